/**
 * Statements as real clients send them, written into Aurora MySQL audit rows the two ways the log is known to
 * write them (docs/facts.md, Filter patterns and the audit log's text): special characters escaped (`\n`, `\t`, `\r`, `\'`, `\\`), or line breaks turned
 * into spaces (the 2020 sample). Derived from the format's rules, not from samples, so a pattern is tested on shapes
 * nobody published.
 */

/** How the log writes a statement's text inside its quotes. */
export type LogWriting = 'escaped' | 'spaces';

export function writeStatement(sql: string, writing: LogWriting): string {
  if (writing === 'spaces') return sql.replace(/\r?\n/g, ' ').replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  const escapes: Record<string, string> = { '\n': '\\n', '\t': '\\t', '\r': '\\r', "'": "\\'", '\\': '\\\\', '\b': '\\b', '\f': '\\f' };
  return sql.replace(/[\n\t\r'\\\b\f]/g, (c) => escapes[c]);
}

let queryId = 900000;
/** A QUERY row of the audit log. */
export function queryRow(sql: string, writing: LogWriting, opts: { user?: string; host?: string; database?: string; retcode?: number; timeUs?: number } = {}): string {
  const time = opts.timeUs ?? 1700000000000000 + queryId;
  return `${time},db-instance-1,${opts.user ?? 'admin'},${opts.host ?? '10.0.0.5'},61,${++queryId},QUERY,${opts.database ?? 'app'},'${writeStatement(sql, writing)}',${opts.retcode ?? 0}`;
}

/**
 * Shapes a statement may arrive in, each a function of the bare statement. `spacesToo` marks the shapes that stay
 * countable when line breaks become spaces (a `--` comment line then runs into the statement).
 */
export const COUNTED_SHAPES: ReadonlyArray<{ name: string; shape: (sql: string) => string; spacesToo: boolean }> = [
  { name: 'as typed', shape: (s) => s, spacesToo: true },
  { name: 'lower case', shape: (s) => s.toLowerCase(), spacesToo: true },
  { name: 'a leading line break', shape: (s) => `\n${s}`, spacesToo: true },
  { name: 'leading CRLF and indentation', shape: (s) => `\r\n\t  ${s}`, spacesToo: true },
  { name: 'a line break after the keyword', shape: (s) => s.replace(' ', '\n'), spacesToo: true },
  { name: 'a tab after the keyword', shape: (s) => s.replace(' ', '\t'), spacesToo: true },
  { name: 'an empty comment after the keyword', shape: (s) => s.replace(' ', '/**/'), spacesToo: true },
  { name: 'after a -- comment line', shape: (s) => `-- migration 42: cleanup\n${s}`, spacesToo: false },
  { name: 'after a # comment line', shape: (s) => `# run by deploy.sh\n${s}`, spacesToo: false },
  { name: 'after two -- comment lines', shape: (s) => `-- a\n-- b\n${s}`, spacesToo: false },
  { name: 'after a block comment', shape: (s) => `/* deploy 42 */ ${s}`, spacesToo: true },
  { name: 'after two block comments', shape: (s) => `/* a */ /* b */${s}`, spacesToo: true },
  { name: 'after a block comment over several lines', shape: (s) => `/*\n * Flyway V42\n */\n${s}`, spacesToo: true },
  { name: 'after a block comment and a line comment', shape: (s) => `/* a */ -- b\n${s}`, spacesToo: false },
  { name: 'inside a versioned comment', shape: (s) => `/*!50000 ${s} */`, spacesToo: true },
  { name: 'a line break after the keyword, after a comment line', shape: (s) => `-- x\n${s.replace(' ', '\n')}`, spacesToo: false },
];

/** Shapes in which the keyword is not the statement's: inside comments, string literals, or other statements. */
export const QUIET_SHAPES: ReadonlyArray<{ name: string; shape: (sql: string) => string }> = [
  { name: 'inside a -- comment before another statement', shape: (s) => `-- ${s}\nSELECT 1` },
  { name: 'inside a # comment before another statement', shape: (s) => `# ${s}\nSELECT 1` },
  { name: 'inside a block comment', shape: (s) => `/* ${s} */ SELECT 1` },
  { name: 'inside a trailing comment', shape: (s) => `SELECT 1 /* ${s} */` },
  { name: 'inside a trailing -- comment', shape: (s) => `SELECT 1 -- ${s}` },
  { name: 'inside a string literal', shape: (s) => `INSERT INTO notes VALUES ('${s}')` },
  { name: 'after a line break inside a string literal', shape: (s) => `SELECT 'x\n${s}'` },
  { name: 'after a comment end inside a string literal', shape: (s) => `/* a */ SELECT '*/ ${s}'` },
  { name: 'in a literal after a comment line', shape: (s) => `-- a\nSELECT '\n${s}'` },
  { name: 'inside a double-quoted string', shape: (s) => `SELECT "${s}"` },
  { name: 'as a word inside a name', shape: (s) => `SELECT * FROM x_${s.split(' ')[0]}_log` },
];
