/**
 * The aurora-audit command line. Only the commands that synthesize load cdktf and the AWS provider, so that
 * `--help` and `validate` answer at once.
 */
import { Command, CommanderError, Option } from 'commander';
import { packageVersion } from '../config/package-root';
import { EXIT, processOutput, type Output } from './output';
import { reportError } from './report';

interface ConfigOption {
  readonly config?: string;
}

export async function run(argv: readonly string[], io: Output = processOutput, env: NodeJS.ProcessEnv = process.env): Promise<number> {
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

  program
    .command('validate')
    .description('check the config and summarize what would be built; writes nothing')
    .addOption(configOption())
    .action(async (opts: ConfigOption) => {
      const { loadConfig } = await import('../config/load');
      const { renderSummary } = await import('./summary');
      const { model, located } = loadConfig({ configFlag: opts.config, env, allowBundledExample: true });
      if (located.isBundledExample) io.err(bundledNotice());
      io.out(renderSummary(model));
    });

  program
    .command('synth')
    .description('write one Terraform stack per account and region (cdktf.out/stacks/<stack>/cdk.tf.json)')
    .addOption(configOption())
    .option('-o, --out <dir>', 'output directory', 'cdktf.out')
    .action(async (opts: ConfigOption & { out: string }) => {
      const { loadConfig } = await import('../config/load');
      const { renderSummary } = await import('./summary');
      const { model, located } = loadConfig({ configFlag: opts.config, env, allowBundledExample: true });
      if (located.isBundledExample) io.err(bundledNotice());
      const { synthesizeAtomically } = await import('./synth');
      const result = synthesizeAtomically(model, opts.out, process.cwd());
      io.out(renderSummary(model, result));
    });

  program
    .command('schema')
    .description('print the JSON Schema of aurora-audit.yaml (for editors)')
    .action(async () => {
      const { configJsonSchema } = await import('../config/schema');
      io.out(JSON.stringify(configJsonSchema(), null, 2));
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    } else {
      exitCode = reportError(error, io, env);
    }
  }
  return exitCode;
}

function bundledNotice(): string {
  return 'No config found (--config, $AURORA_AUDIT_CONFIG, ./aurora-audit.yaml): using the bundled example templates/quickstart.yaml, which holds placeholder ids. Start your own with: cp templates/quickstart.yaml aurora-audit.yaml';
}

export function main(): void {
  run(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = reportError(error, processOutput);
    },
  );
}
