/**
 * Colour for a person at a terminal, none for a pipe, a file or a log: chalk at the lowest level (16 colours), and
 * only when the stream is a TTY, NO_COLOR is not set (no-color.org: any value) and the terminal is not "dumb".
 */
import chalk from 'chalk';

export interface Style {
  /** Section headings of a summary. */
  readonly heading: (text: string) => string;
  /** What deserves a look before deploying. */
  readonly warning: (text: string) => string;
  /** What stopped the command. */
  readonly error: (text: string) => string;
  /** Where a problem is (file and line): read second. */
  readonly dim: (text: string) => string;
}

const same = (text: string) => text;
export const PLAIN: Style = { heading: same, warning: same, error: same, dim: same };

export function useColour(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stream.isTTY) && env.NO_COLOR === undefined && env.TERM !== 'dumb';
}

export function styleFor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): Style {
  if (!useColour(stream, env)) return PLAIN;
  const c = new chalk.Instance({ level: 1 });
  return { heading: (t) => c.bold(t), warning: (t) => c.yellow(t), error: (t) => c.red(t), dim: (t) => c.dim(t) };
}
