/**
 * Statements leave the audit log only redacted: a Slack channel is not a place for passwords. Aurora may mask some
 * itself, and may not (docs/facts.md, Alert details: never rely on it).
 *
 * Every expression here is linear: string bodies are `(?:[^'\\]|\\.|'')*`, whose alternatives start with different
 * characters, so a hostile statement cannot make them backtrack.
 */

const SINGLE = String.raw`'(?:[^'\\]|\\[^]|'')*(?:'|$)`;
const DOUBLE = String.raw`"(?:[^"\\]|\\[^]|"")*(?:"|$)`;
const STRING = `(?:${SINGLE}|${DOUBLE})`;

const MASK = "'***'";

const SECRETS: readonly RegExp[] = [
  // CREATE/ALTER USER ... IDENTIFIED [WITH plugin] BY 'x' | AS 'hash'.
  new RegExp(String.raw`(\bIDENTIFIED\s+(?:WITH\s+\S+\s+)?(?:BY|AS)\s+)${STRING}`, 'gi'),
  // PASSWORD('x'), OLD_PASSWORD('x').
  new RegExp(String.raw`(\bPASSWORD\s*\(\s*)${STRING}`, 'gi'),
  // SET PASSWORD [FOR u] = 'x'; MASTER_PASSWORD = 'x', SOURCE_PASSWORD = 'x', and any other password = 'x'.
  new RegExp(String.raw`(\bSET\s+PASSWORD\b[^=;]*=\s*)${STRING}`, 'gi'),
  new RegExp(String.raw`(\b\w*PASSWORD\s*=\s*)${STRING}`, 'gi'),
  // PostgreSQL: CREATE/ALTER ROLE ... [ENCRYPTED] PASSWORD 'x'.
  new RegExp(String.raw`(\bPASSWORD\s+)${SINGLE}`, 'gi'),
];

const REPLACED = new RegExp(String.raw`(\bREPLACE\s+)${STRING}`, 'gi');

export interface RedactOptions {
  /** Replace every string literal too, not only passwords. */
  readonly literals: boolean;
  /** PostgreSQL reads "x" as an identifier, MySQL as a string. */
  readonly doubleQuotedAreStrings: boolean;
}

export function redactStatement(statement: string, options: RedactOptions): string {
  let text = statement;
  for (const secret of SECRETS) text = text.replace(secret, (_m, keep: string) => `${keep}${MASK}`);
  // ALTER USER ... IDENTIFIED BY 'new' REPLACE 'current': the current password too.
  if (/\bIDENTIFIED\b/i.test(text)) text = text.replace(REPLACED, (_m, keep: string) => `${keep}${MASK}`);
  if (options.literals) text = text.replace(new RegExp(options.doubleQuotedAreStrings ? STRING : SINGLE, 'g'), MASK);
  return text;
}
