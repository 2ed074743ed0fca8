import * as path from 'node:path';
import { ConfigError, formatProblem } from '../config/problems';
import { EnvironmentError, EXIT, InterruptedError, UsageError, type Output } from './output';
import { PLAIN, type Style } from './style';

/** More problems than this are counted, not listed: the first screenful is what a person fixes first. */
export const MAX_PROBLEMS_SHOWN = 50;

/**
 * Turns what went wrong into what the user reads and the exit code: config problems are one line each and exit 2;
 * anything else is an internal error, with the stack trace only on request.
 */
export interface ReportOptions {
  /** Whether the command could have written a file (init, sync, synth): only then does it say it wrote nothing. */
  readonly writes?: boolean;
}

export function reportError(error: unknown, io: Output, env: NodeJS.ProcessEnv = process.env, style: Style = PLAIN, options: ReportOptions = {}): number {
  const unwritten = options.writes ? '; nothing was written.' : '.';
  if (error instanceof ConfigError) {
    const relative = path.relative(process.cwd(), error.file);
    const file = path.isAbsolute(error.file) && relative && !relative.startsWith('..') ? relative : error.file;
    for (const problem of error.problems.slice(0, MAX_PROBLEMS_SHOWN)) {
      const line = formatProblem(problem, file);
      const at = formatProblem({ ...problem, path: '', message: '' }, file);
      io.err(at ? `${style.dim(at)}${line.slice(at.length)}` : line);
    }
    const n = error.problems.length;
    if (n > MAX_PROBLEMS_SHOWN) io.err(`... and ${n - MAX_PROBLEMS_SHOWN} more.`);
    const what = error.subject === 'config' ? `${n} problem${n === 1 ? '' : 's'} in the config` : error.subject === 'no config' ? 'No config' : `${n} problem${n === 1 ? '' : 's'} with ${error.subject}`;
    io.err(style.error(`${what}${unwritten}`));
    return EXIT.usage;
  }
  if (error instanceof UsageError) {
    for (const problem of error.problems) io.err(`aurora-audit: ${problem}`);
    if (options.writes) io.err('Nothing was written.');
    return EXIT.usage;
  }
  if (error instanceof InterruptedError) {
    io.err(`Interrupted: ${error.what}.`);
    return EXIT.interrupted;
  }
  if (error instanceof EnvironmentError) {
    io.err(`aurora-audit: ${error.message}`);
    return EXIT.failure;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`aurora-audit: internal error: ${message}`);
  if (env.AURORA_AUDIT_DEBUG && error instanceof Error && error.stack) io.err(error.stack);
  else io.err('Set AURORA_AUDIT_DEBUG=1 to see where it happened, and please report it.');
  return EXIT.failure;
}
