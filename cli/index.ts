/**
 * The aurora-audit command line. Only the commands that synthesize load cdktf and the AWS provider, so that
 * `--help` and `validate` answer at once.
 */
import { Command, CommanderError, Option } from 'commander';
import { packageVersion } from '../config/package-root';
import { keepHeapsCompact } from './heap';
import { INIT_FLAGS } from './init/flag-specs';
import { EXIT, exitQuietlyOnClosedPipe, processOutput, UsageError, type Output } from './output';
import { ConfigError } from '../config/problems';
import { reportError } from './report';
import { PLAIN, styleFor } from './style';

interface ConfigOption {
  readonly config?: string;
}

interface OutputFlags {
  readonly json?: boolean;
  readonly quiet?: boolean;
}

/** The problems were already printed as JSON: only the exit code is left to give. */
class JsonReported extends Error {
  constructor(readonly exitCode: number) {
    super('reported as JSON');
  }
}

export interface RunOptions {
  /**
   * Whether a person is at a terminal: stdin and stdout are TTYs and CI is not set. Only then may validate and synth
   * fall back to the bundled example. @default - read from the process
   */
  readonly interactive?: boolean;
  /** Aborts a running synth; the CLI aborts it on SIGINT and SIGTERM. @default - the process's signals */
  readonly signal?: AbortSignal;
}

/** A person at a terminal, not a pipeline: both ends are TTYs and CI is unset. */
export function isInteractive(env: NodeJS.ProcessEnv): boolean {
  return Boolean(process.stdin.isTTY && process.stdout.isTTY) && !['true', '1'].includes(String(env.CI ?? '').toLowerCase());
}

export async function run(argv: readonly string[], io: Output = processOutput, env: NodeJS.ProcessEnv = process.env, options: RunOptions = {}): Promise<number> {
  const interactive = options.interactive ?? isInteractive(env);
  let exitCode: number = EXIT.ok;
  const program = new Command()
    .name('aurora-audit')
    .description('Aurora Advanced Auditing, log export and Slack alarms, as Terraform (CDK for Terraform).')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showHelpAfterError('(run aurora-audit --help for usage)');

  const configOption = () =>
    new Option('-c, --config <file>', `config file (default: $AURORA_AUDIT_CONFIG, then ./aurora-audit.yaml)`);

  // Colour only for what reaches this process's own terminal (never for a caller's Output, a pipe or NO_COLOR).
  const outStyle = () => (io === processOutput ? styleFor(process.stdout, env) : PLAIN);
  const errStyle = () => (io === processOutput ? styleFor(process.stderr, env) : PLAIN);

  /** With --json, config problems go to stdout as data (exit 2, nothing written); otherwise they are thrown as usual. */
  const jsonProblems = <T>(opts: OutputFlags, load: () => T): T => {
    try {
      return load();
    } catch (error) {
      if (!opts.json || !(error instanceof ConfigError)) throw error;
      io.out(JSON.stringify({ valid: false, config: error.file, problems: error.problems.map((p) => ({ line: p.line ?? null, path: p.path, message: p.message })) }));
      throw new JsonReported(EXIT.usage);
    }
  };

  program
    .command('validate')
    .description('check the config and summarize what would be built; writes nothing')
    .addOption(configOption())
    .option('--json', 'print the summary as JSON ({"valid": false, "problems": [...]} and exit 2 on a bad config)')
    .option('-q, --quiet', 'print nothing when the config is valid')
    .option('--verbose', 'every stack\'s clusters, settings and state, however many stacks (a fleet gets a line a stack otherwise)')
    .action(async (opts: ConfigOption & OutputFlags & { verbose?: boolean }) => {
      const { loadConfig } = await import('../config/load');
      const { renderSummary, summaryDate, summaryJson } = await import('./summary');
      const { model, located } = jsonProblems(opts, () => loadConfig({ configFlag: opts.config, env, allowBundledExample: interactive }));
      if (located.isBundledExample && !opts.quiet) io.err(bundledNotice());
      if (opts.json) io.out(JSON.stringify({ valid: true, ...summaryJson(model, undefined, summaryDate(env)) }));
      else if (!opts.quiet) io.out(renderSummary(model, undefined, summaryDate(env), outStyle(), { verbose: opts.verbose }));
    });

  program
    .command('synth')
    .description('write one Terraform stack per account and region (cdktf.out/stacks/<stack>/cdk.tf.json)')
    .addOption(configOption())
    .option('-o, --out <dir>', 'output directory: a new one, or one aurora-audit wrote (anything else is refused)', 'cdktf.out')
    .option('--progress', 'say on stderr as each stack is written')
    .option('--stack <names>', 'synthesize only these stacks, comma-separated; the others stay as the earlier output has them')
    .option('--threads <n>', 'threads that synthesize, 1 to 64; more is faster from 80 stacks on, and each holds its own cdktf in memory (default: one per core, at most 4)')
    .option('--json', 'print the summary as JSON ({"valid": false, "problems": [...]} and exit 2 on a bad config)')
    .option('-q, --quiet', 'print nothing when it succeeds')
    .option('--verbose', 'every stack\'s clusters, settings and state, however many stacks (a fleet gets a line a stack otherwise)')
    .action(async (opts: ConfigOption & OutputFlags & { out: string; progress?: boolean; stack?: string; threads?: string; verbose?: boolean }) => {
      const threads = opts.threads === undefined ? undefined : threadsFlag(opts.threads);
      const { loadConfig } = await import('../config/load');
      const { renderSummary, summaryDate, summaryJson } = await import('./summary');
      const { model, located } = jsonProblems(opts, () => loadConfig({ configFlag: opts.config, env, allowBundledExample: interactive }));
      if (located.isBundledExample && !opts.quiet) io.err(bundledNotice());
      const { synthesizeSafely } = await import('./synth');
      const { fallbackWarning } = await import('./synthesis-warning');
      const { stackSelection } = await import('./stack-selection');
      const only = opts.stack === undefined ? undefined : stackSelection(model, opts.stack);
      const result = await withInterrupts(options.signal, (signal) =>
        synthesizeSafely(model, opts.out, process.cwd(), {
          signal,
          only,
          threads,
          onStack: opts.progress ? (name, done, total) => io.err(`synthesized stack ${name} (${done}/${total})`) : undefined,
          onFallback: (reason) => io.err(fallbackWarning(reason)),
        }),
      );
      // With --stack, what it wrote is those stacks: the report is theirs alone.
      const { onlyStacks } = await import('./summary');
      const reported = onlyStacks(model, only);
      if (opts.json) io.out(JSON.stringify({ valid: true, ...summaryJson(reported, result, summaryDate(env)) }));
      else if (!opts.quiet) io.out(renderSummary(reported, result, summaryDate(env), outStyle(), { verbose: opts.verbose }));
    });

  const init = program
    .command('init')
    .description('discover your Aurora clusters and write the config, asking only what it must; every question has a flag')
    .addOption(new Option('-c, --config <file>', 'the config to write, and to read for defaults when it exists (default: ./aurora-audit.yaml)'))
    .option('-y, --yes', 'never ask: take flags, then the existing config, then what was discovered, then defaults');
  for (const spec of Object.values(INIT_FLAGS)) {
    const option = new Option(spec.flag, `${spec.description} [${spec.configKey}]`);
    if ('repeatable' in spec && spec.repeatable) option.argParser((value: string, previous: string[] = []) => [...previous, value]);
    init.addOption(option);
  }
  init.action(async (opts: Record<string, unknown>) => {
    const { initCommand } = await import('./init/command');
    exitCode = await initCommand(opts, io, env);
  });

  program
    .command('sync')
    .description('keep the config current, never asking: discover again, add new clusters the tag selector matches, retire clusters gone from AWS, record what changed, rewriting only those lines; exit 0 when it is current, 3 when it was rewritten (open a pull request), 4 when some account-region could not be read (named; never current)')
    .addOption(configOption())
    .action(async (opts: { config?: string }) => {
      const { syncCommand } = await import('./init/command');
      exitCode = await syncCommand(opts, io, env);
    });

  program
    .command('discover')
    .description('list the Aurora clusters of your accounts and their audit posture (Security Hub RDS.34, RDS.45)')
    .addOption(configOption())
    .option('--profile <name>', 'AWS profile (default: discovery.profile of the config, then the default credential chain)')
    .option('--regions <list>', 'regions, comma-separated (default: the regions of the config, then the current region)')
    .option('--role-arn <arn>', 'a role to assume (default: the roles of the config targets)')
    .option('--organization <role-name>', 'walk the AWS Organization (from its management account): every active account, through this role')
    .option('--json', 'print JSON instead of a table')
    .option('--check', 'exit 3 when a cluster falls short of RDS.34 or RDS.45')
    .action(async (opts: { config?: string; profile?: string; regions?: string; roleArn?: string; organization?: string; json?: boolean; check?: boolean }) => {
      const { discoverCommand } = await import('./discover');
      exitCode = await discoverCommand(opts, io, env);
    });

  program
    .command('plan')
    .description('preview, per cluster, what changes, whether a reboot is needed, and what is kept (from the config; not a Terraform plan)')
    .addOption(configOption())
    .option('--json', 'print the preview as JSON')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const { planCommand } = await import('./plan');
      exitCode = await planCommand(opts, io, env);
    });

  program
    .command('changed')
    .description('list the stacks whose Terraform differs from an earlier synth or from the config at a git ref: plan only those')
    .addOption(configOption())
    .option('--since <manifest-or-ref>', 'the manifest of an earlier synth (cdktf.out/.aurora-audit-output.json, or its directory) or a git ref (origin/main)')
    .option('-o, --out <dir>', 'the output directory the stacks are synthesized to (it is part of each stack: a local state path)', 'cdktf.out')
    .option('--shards <n>', 'also group the stacks to plan into at most n shards (1-256), one pipeline job each')
    .option('--json', 'print {"since", "changed", "unchanged", "gone", "shards"}, for a pipeline matrix')
    .action(async (opts: { config?: string; since?: string; out: string; json?: boolean; shards?: string }) => {
      const { changedCommand } = await import('./changed');
      exitCode = await changedCommand(opts, io, env);
    });

  program
    .command('check-plan')
    .description('fail when a Terraform plan would lose or weaken what keeps the audit records: a database, a KMS key, a parameter group or its auditing, a log group of audit records, the archive')
    .argument('[plan-json]', 'the output of terraform show -json plan.bin (- for stdin)')
    .option('--allow <address>', 'accept what the plan does to this resource address (repeatable; one that matches nothing is refused)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--json', 'print {"safe", "resourceChanges", "findings", "allowed", "coverageRemoved"}')
    .action(async (file: string | undefined, opts: { allow?: string[]; json?: boolean }) => {
      const { checkPlanCommand } = await import('./check-plan');
      exitCode = await checkPlanCommand(file, opts, io, env);
    });

  program
    .command('test-patterns')
    .description('run the detections over a log file: what each matches, and which alarms would have fired')
    .option('--log <file>', 'log file, as downloaded from RDS or exported from CloudWatch Logs (.gz is fine)')
    .option('--engine <engine>', "engine whose detections to run (default: --cluster's engine, else the config's clusters' when they have one, else aurora-mysql)")
    .option('--detections <list>', 'detection ids, comma-separated (default: every detection of the engine)')
    .option('--json', 'print {"lines": N, "unreadable": {"count", "lines"}, "detections": {"<id>": {"count", "lines", "alarms"}}}')
    .addOption(configOption())
    .option('--cluster <id>', 'take the thresholds of this cluster of the config (default: its first cluster)')
    .option('--format <format>', 'auto, rds or cloudwatch-export', 'auto')
    .option('--threads <n>', 'threads that match, 1 to 64; more than one read the log in blocks, with the same answers (default: one per core, at most 4, from 16 MB of log text)')
    .action(async (opts: Record<string, string | boolean | undefined>) => {
      const { testPatternsCommand } = await import('./test-patterns');
      exitCode = await testPatternsCommand(opts, io, env);
    });

  program
    .command('handoff')
    .description('print what a SIEM needs from each stack: the collection job of one that pulls, the push, the archive')
    .addOption(configOption())
    .option('--stack <names>', 'only these stacks, comma-separated')
    .option('--json', 'print [{"stack", "pull": {"jobs", "collectorRole"}, "push", "archive"}, ...]')
    .action(async (opts: ConfigOption & { stack?: string; json?: boolean }) => {
      const { loadConfig } = await import('../config/load');
      const { model } = loadConfig({ configFlag: opts.config, env, allowBundledExample: interactive });
      const { stackSelection } = await import('./stack-selection');
      const { handoffSheets, renderHandoff } = await import('./handoff');
      const sheets = handoffSheets(model, opts.stack === undefined ? undefined : stackSelection(model, opts.stack));
      io.out(opts.json ? JSON.stringify(sheets, null, 2) : renderHandoff(sheets));
    });

  program
    .command('verify')
    .description('after deploying: check each stack is in AWS as synthesized, auditing is live, AWS agrees with the patterns, and (--drill) an alarm reaches Slack')
    .addOption(configOption())
    .option('--stack <names>', 'only these stacks, comma-separated')
    .option('--json', 'print {"passed", "counts", "stacks": [{"stack", "accountId", "region", "checks": [...]}]}')
    .option('--drill', 'set one detection alarm per stack to ALARM and wait for the topic, the detail function and Chatbot (needs cloudwatch:SetAlarmState)')
    .option('--drill-timeout <seconds>', 'how long the drill waits for its evidence (default: 300)')
    .option('--policy', 'print the IAM policy verify needs (read-only, and the one action --drill adds)')
    .action(async (opts: ConfigOption & { stack?: string; json?: boolean; drill?: boolean; drillTimeout?: string; policy?: boolean }) => {
      const { verifyCommand } = await import('./verify/command');
      exitCode = await verifyCommand(opts, io, env);
    });

  program
    .command('bootstrap')
    .description('write the deploy role every account needs: its least-privilege policy, its trust for your CI, and a StackSet template that makes it')
    .addOption(configOption())
    .option('-o, --out <dir>', 'directory to write the policies and the template to')
    .option('--ci <kind>', 'who may assume the role: github (Actions OIDC), gitlab (CI OIDC) or role (a named role, for any other CI)')
    .option('--repository <owner/name>', 'with --ci github: the repository whose workflows deploy')
    .option('--branch <name>', 'the one branch whose pipelines may deploy (github or gitlab)')
    .option('--environment <name>', 'with --ci github: the one GitHub environment whose jobs may deploy, instead of --branch')
    .option('--project <group/project>', 'with --ci gitlab: the project whose pipelines deploy')
    .option('--gitlab-host <host>', 'with --ci gitlab: a self-managed GitLab (default: gitlab.com)')
    .option('--role-arn <arn>', 'with --ci role: the role your CI runs as')
    .option('--role-name <name>', "the deploy role's name in every account (default: the config's role, else aurora-audit-deploy)")
    .option('--ou <ids>', 'organizational units (or the root) the StackSet deploys to, comma-separated, for the commands it prints')
    .action(async (opts: import('./bootstrap').BootstrapFlags) => {
      const { bootstrapCommand } = await import('./bootstrap');
      exitCode = await bootstrapCommand(opts, io, env);
    });

  program
    .command('completion')
    .description('print a completion script for bash, zsh or fish: commands, flags, and the stacks and clusters of the config')
    .argument('[shell]', 'bash, zsh or fish')
    .option('--names <kind>', 'print the config\'s stacks or clusters, one a line (what the script asks for as you type)')
    .action(async (shell: string | undefined, opts: { names?: string }) => {
      const { completionScript, configNames, SHELLS } = await import('./completion');
      if (opts.names !== undefined) {
        if (opts.names !== 'stacks' && opts.names !== 'clusters') throw new UsageError([`--names: ${JSON.stringify(opts.names)} is not allowed; use stacks or clusters`]);
        for (const name of configNames(opts.names, env)) io.out(name);
        return;
      }
      if (!shell || !(SHELLS as readonly string[]).includes(shell)) throw new UsageError([`completion: ${shell === undefined ? 'name a shell' : `${JSON.stringify(shell)} is not supported`}; use ${SHELLS.join(', ')}`]);
      io.out(completionScript(shell as (typeof SHELLS)[number], program).trimEnd());
    });

  program
    .command('schema')
    .description('print the JSON Schema of aurora-audit.yaml (for editors)')
    .action(async () => {
      const { configJsonSchema } = await import('../config/schema');
      io.out(JSON.stringify(configJsonSchema(), null, 2));
    });

  try {
    // -v is --version too, before a command (no command takes -v of its own).
    await program.parseAsync(argv[0] === '-v' ? ['--version', ...argv.slice(1)] : [...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else if (error instanceof JsonReported) {
      exitCode = error.exitCode;
    } else {
      // Only the commands that write files say that they wrote nothing.
      const command = argv.find((a) => !a.startsWith('-'));
      exitCode = reportError(error, io, env, errStyle(), { writes: ['init', 'sync', 'synth', 'bootstrap'].includes(command ?? '') });
    }
  }
  return exitCode;
}

/** Runs `work` with a signal that Ctrl+C (SIGINT) and SIGTERM abort, unless the caller brings its own. */
async function withInterrupts<T>(given: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (given) return work(given);
  const controller = new AbortController();
  const abort = () => controller.abort();
  process.on('SIGINT', abort);
  process.on('SIGTERM', abort);
  try {
    return await work(controller.signal);
  } finally {
    process.removeListener('SIGINT', abort);
    process.removeListener('SIGTERM', abort);
  }
}

/** `--threads`: a whole number of threads, 1 to 64. */
function threadsFlag(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 64) throw new UsageError([`--threads: ${JSON.stringify(value)} is not allowed; give a whole number from 1 to 64`]);
  return n;
}

function bundledNotice(): string {
  return 'No config found (--config, $AURORA_AUDIT_CONFIG, ./aurora-audit.yaml): using the bundled example templates/quickstart.yaml, which holds placeholder ids. Start your own with: cp templates/quickstart.yaml aurora-audit.yaml';
}

export function main(): void {
  keepHeapsCompact();
  exitQuietlyOnClosedPipe();
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportError(error, processOutput);
    },
  );
}
