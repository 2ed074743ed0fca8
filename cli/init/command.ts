/**
 * `aurora-audit init` as the CLI runs it: flags in, a terminal when there is one, exit codes out.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Option } from 'commander';
import { CONFIG_FILE_NAME, parseConfig } from '../../config/load';
import type { AuditModel } from '../../config/model';
import { EXIT, nameList, type Output } from '../output';
import { reportError } from '../report';
import { FlagProblems, INIT_FLAGS, parseInitFlags, type FlagName } from './flags';
import { inquirerPrompter, type Terminal } from './prompter';
import type { AwsAccess } from './context';
import { MissingAnswers, NotWritten, realAwsAccess, runInit, type InitResult } from './wizard';

export interface InitCommandOptions {
  /** A terminal to ask on; by default the process's, when both ends are TTYs. */
  readonly terminal?: Terminal;
  readonly aws?: AwsAccess;
}

/** Asks only with a terminal on both ends, without --yes, and outside CI. */
export function canAsk(opts: { yes?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return !opts.yes && Boolean(process.stdin.isTTY && process.stdout.isTTY) && env.CI !== 'true' && env.CI !== '1';
}

/** sync's exit code when it rewrote the config: a scheduled pipeline opens a pull request. */
export const SYNC_CHANGED = 3;
/**
 * sync's exit code when some account-region of the config could not be read: what it holds was kept as it was, so
 * the config may not be current. Never "current": a scheduled job says so, whether or not the rest was rewritten.
 */
export const SYNC_INCOMPLETE = 4;

/**
 * `aurora-audit sync`: discovery again, without asking, against the config as it is; the config gains the new
 * clusters its tag selector matches and loses the ones gone from regions that answered, and is rewritten only if that
 * changed it, only where it changed. Exit 0: current; 3: rewritten; 4: some account-region could not be read (named).
 */
export async function syncCommand(opts: { config?: string }, io: Output, env: NodeJS.ProcessEnv, options: InitCommandOptions = {}): Promise<number> {
  const configPath = path.resolve(opts.config ?? env.AURORA_AUDIT_CONFIG ?? CONFIG_FILE_NAME);
  if (!fs.existsSync(configPath)) {
    io.err(`aurora-audit sync: ${path.relative(process.cwd(), configPath) || configPath} does not exist; run aurora-audit init first (sync keeps an existing config current). Nothing was written.`);
    return EXIT.usage;
  }
  const before = fs.readFileSync(configPath, 'utf8');
  const beforeModel = safeModel(before, configPath);
  let unread: readonly string[] = [];
  const code = await initCommand({ config: configPath, yes: true }, io, env, { ...options, terminal: undefined, sync: true, onResult: (r) => (unread = r.unread) });
  if (code !== EXIT.ok) return code;
  const after = fs.readFileSync(configPath, 'utf8');
  const incomplete = () => {
    io.err(
      `sync: could not read ${unread.length} account-region(s) of the config, so what they hold was kept as it was and may not be current: ${unread.join('; ')}. ${after === before ? 'Nothing was written.' : 'The rest of the config was rewritten.'} Give the role access there, then sync again.`,
    );
    return SYNC_INCOMPLETE;
  };
  if (after === before) {
    if (unread.length > 0) return incomplete();
    io.err('sync: the config is current; nothing was written.');
    return EXIT.ok;
  }
  const key = (s: { accountId: string; region: string }, c: { identifier: string }) => `${s.accountId}/${s.region}/${c.identifier}`;
  const clusters = (m: AuditModel | undefined) => new Set(m?.stacks.flatMap((s) => s.clusters.map((c) => key(s, c))) ?? []);
  const [was, now] = [clusters(beforeModel), clusters(safeModel(after, configPath))];
  const added = [...now].filter((k) => !was.has(k));
  const gone = [...was].filter((k) => !now.has(k));
  io.err(`sync: rewrote ${path.relative(process.cwd(), configPath) || configPath}: ${added.length} cluster(s) added${added.length ? ` (${nameList(added)})` : ''}, ${gone.length} retired${gone.length ? ` (${nameList(gone)})` : ''}, and what AWS reports now of the others. Review the change and open a pull request.`);
  return unread.length > 0 ? incomplete() : SYNC_CHANGED;
}

function safeModel(text: string, file: string): AuditModel | undefined {
  try {
    return parseConfig(text, file);
  } catch {
    return undefined;
  }
}

export async function initCommand(
  opts: Record<string, unknown>,
  io: Output,
  env: NodeJS.ProcessEnv,
  options: InitCommandOptions & { sync?: boolean; onResult?: (result: InitResult) => void } = {},
): Promise<number> {
  const raw: Partial<Record<FlagName, string | string[]>> = {};
  for (const [name, spec] of Object.entries(INIT_FLAGS)) {
    const value = opts[new Option(spec.flag).attributeName()];
    if (value !== undefined) raw[name as FlagName] = value as string | string[];
  }
  const terminal = options.terminal ?? (canAsk(opts as { yes?: boolean }, env) ? { input: process.stdin, output: process.stdout } : undefined);
  const configPath = path.resolve(String(opts.config ?? CONFIG_FILE_NAME));
  try {
    const flags = parseInitFlags(raw);
    const result = await runInit({
      flags,
      configPath,
      configGiven: opts.config !== undefined,
      aws: options.aws ?? (await realAwsAccess()),
      prompter: terminal ? await inquirerPrompter(terminal) : undefined,
      note: (text) => io.err(text),
      out: (text) => io.out(text),
      sync: options.sync,
    });
    options.onResult?.(result);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof FlagProblems) {
      for (const p of error.problems) io.err(p);
      return EXIT.usage;
    }
    if (error instanceof MissingAnswers) {
      const atTerminal = Boolean(process.stdin.isTTY && process.stdout.isTTY);
      const ci = env.CI === 'true' || env.CI === '1';
      if (atTerminal && ci && !opts.yes) {
        // A terminal, but CI is set (some shells and IDE terminals export it): that, not the terminal, turned prompting off.
        io.err(`aurora-audit init does not ask while CI=${env.CI} is set, which says a pipeline runs it; these have no answer yet: ${error.flags.join(' ')}`);
        io.err('Pass them as flags, or ask anyway: CI= aurora-audit init (or unset CI). Nothing was written.');
      } else {
        io.err(`aurora-audit init cannot ask ${opts.yes ? 'with --yes' : 'without a terminal'}, and these have no answer yet: ${error.flags.join(' ')}`);
        io.err(`Pass them as flags, or run aurora-audit init in a terminal${opts.yes ? ' without --yes' : ''}. Nothing was written.`);
      }
      return EXIT.usage;
    }
    if (error instanceof NotWritten) {
      io.err('Not written.');
      return EXIT.failure;
    }
    if (error instanceof Error && error.name === 'ExitPromptError') {
      io.err('Cancelled; nothing was written.');
      return EXIT.interrupted;
    }
    return reportError(error, io, env);
  }
}
