import { printable } from '../config/text';

/** Where the CLI writes, so tests can run commands in-process and read what a user would see. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

/**
 * The process's stdout and stderr. Everything the CLI prints passes here, so no control character from a config, a
 * log file or AWS ever reaches the terminal raw: each is shown as \u{..} instead.
 */
export const processOutput: Output = {
  out: (text) => write(process.stdout, text),
  err: (text) => write(process.stderr, text),
};

/**
 * The colour codes cli/style.ts writes (bold, dim, yellow, red, and their resets): the only control sequences that
 * reach the terminal. They can colour text and nothing else; every other control character is shown, not acted on.
 */
const STYLE_CODES = /\u001b\[(?:1|2|22|31|33|39)m/g;

/** Text as it may reach a terminal: our style codes as they are, every other control character shown, not acted on. */
export function terminalSafe(text: string): string {
  // The text between style codes is made printable piece by piece; the codes themselves go through as they are.
  const codes = text.match(STYLE_CODES) ?? [];
  return text.split(STYLE_CODES).map((piece, i) => printable(piece) + (codes[i] ?? '')).join('');
}

function write(stream: NodeJS.WriteStream, text: string): void {
  if (stream.destroyed) return;
  stream.write(`${terminalSafe(text)}\n`);
}

/**
 * A reader that stops early (`aurora-audit discover | head`) closes the pipe: the rest of the output has nowhere to go,
 * which is no error. Exit quietly instead of printing an EPIPE stack trace.
 */
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
}

export const EXIT = { ok: 0, failure: 1, usage: 2, interrupted: 130 } as const;

/** A problem with the machine, not the config or a bug: said in one line, exit 1, no stack trace. */
export class EnvironmentError extends Error {}

/** A flag or argument that cannot be used: each problem in one line, exit 2, nothing written. */
export class UsageError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

/** Ctrl+C (or SIGTERM) stopped the command before it wrote anything: exit 130. */
export class InterruptedError extends Error {
  constructor(readonly what: string) {
    super(`interrupted: ${what}`);
  }
}

/** How many names a list shows before it counts the rest, so that one line stays one line at 60 stacks. */
export const NAMES_SHOWN = 8;

/**
 * A cluster as messages name it: with its account and region once the config has more than one, since a cluster
 * identifier is unique only within an account and region.
 */
export function clusterLabel(where: { readonly accountId: string; readonly region: string }, identifier: string, several: boolean): string {
  return several ? `${identifier} (${where.accountId}/${where.region})` : identifier;
}

/** `a, b, c` or, for a long list, `a, b, …, h and 37 more (45 in all)`. */
export function nameList(names: readonly string[], shown = NAMES_SHOWN): string {
  if (names.length <= shown + 1) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more (${names.length} in all)`;
}
