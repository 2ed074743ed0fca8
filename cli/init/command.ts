/**
 * `aurora-audit init` as the CLI runs it: flags in, a terminal when there is one, exit codes out.
 */
import * as path from 'node:path';
import { Option } from 'commander';
import { CONFIG_FILE_NAME } from '../../config/load';
import { EXIT, type Output } from '../output';
import { reportError } from '../report';
import { FlagProblems, INIT_FLAGS, parseInitFlags, type FlagName } from './flags';
import { inquirerPrompter, type Terminal } from './prompter';
import { MissingAnswers, NotWritten, realAwsAccess, runInit, type AwsAccess } from './wizard';

export interface InitCommandOptions {
  /** A terminal to ask on; by default the process's, when both ends are TTYs. */
  readonly terminal?: Terminal;
  readonly aws?: AwsAccess;
}

/** Asks only with a terminal on both ends, without --yes, and outside CI. */
export function canAsk(opts: { yes?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return !opts.yes && Boolean(process.stdin.isTTY && process.stdout.isTTY) && env.CI !== 'true' && env.CI !== '1';
}

export async function initCommand(opts: Record<string, unknown>, io: Output, env: NodeJS.ProcessEnv, options: InitCommandOptions = {}): Promise<number> {
  const raw: Partial<Record<FlagName, string | string[]>> = {};
  for (const [name, spec] of Object.entries(INIT_FLAGS)) {
    const value = opts[new Option(spec.flag).attributeName()];
    if (value !== undefined) raw[name as FlagName] = value as string | string[];
  }
  const terminal = options.terminal ?? (canAsk(opts as { yes?: boolean }, env) ? { input: process.stdin, output: process.stdout } : undefined);
  const configPath = path.resolve(String(opts.config ?? CONFIG_FILE_NAME));
  try {
    const flags = parseInitFlags(raw);
    await runInit({
      flags,
      configPath,
      configGiven: opts.config !== undefined,
      aws: options.aws ?? (await realAwsAccess()),
      prompter: terminal ? await inquirerPrompter(terminal) : undefined,
      note: (text) => io.err(text),
      out: (text) => io.out(text),
    });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof FlagProblems) {
      for (const p of error.problems) io.err(p);
      return EXIT.usage;
    }
    if (error instanceof MissingAnswers) {
      io.err(`aurora-audit init cannot ask without a terminal, and these have no answer yet: ${error.flags.join(' ')}`);
      io.err('Pass them as flags, or run aurora-audit init in a terminal. Nothing was written.');
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
