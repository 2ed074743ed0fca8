import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { run, type RunOptions } from '../../cli/index';
import type { Output } from '../../cli/output';
import { ROOT } from './fixtures';

/**
 * The day every CLI run of the suite takes as today (2026-11-30, SOURCE_DATE_EPOCH), so that the support-lifecycle
 * lines of a summary do not change under a test as the calendar moves on. A test that is about those lines sets its own.
 */
export const SUITE_DATE_EPOCH = String(Date.parse('2026-11-30T12:00:00Z') / 1000);

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process, as a user would type it, from `cwd`; as a pipeline unless `interactive` is set. */
export async function cli(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}, options: RunOptions = { interactive: false }): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Output = { out: (t) => out.push(t), err: (t) => err.push(t) };
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    const code = await run(args, io, { SOURCE_DATE_EPOCH: SUITE_DATE_EPOCH, ...env }, options);
    return { code, stdout: out.join('\n'), stderr: err.join('\n') };
  } finally {
    process.chdir(previous);
  }
}

/** Runs the built CLI (dist/) as a separate process with no TTY, as a pipeline does. */
export function cliProcess(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'aurora-audit.js'), ...args], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', SOURCE_DATE_EPOCH: SUITE_DATE_EPOCH, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 300_000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
