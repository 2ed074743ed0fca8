/**
 * Statements leave the audit log only redacted: a Slack channel is not a place for passwords. Aurora may mask some
 * itself, and may not (docs/facts.md, Alert details: never rely on it).
 *
 * The statement is cut into tokens by its engine's quoting and comment rules (detections/sql-tokens.ts), so a
 * comment, a line break, a charset introducer or a dollar quote between a keyword and its value changes nothing.
 * After every position where a statement gives a password, the value is replaced: the literal, with the literals
 * adjacent to it (which SQL joins into one). Every step is one pass over the tokens: linear in the statement.
 *
 * Password positions:
 * - MySQL: `IDENTIFIED … BY | AS | USING <value>` and `REPLACE <value>` after IDENTIFIED; `PASSWORD(<value>)` and
 *   `OLD_PASSWORD(<value>)`; `SET PASSWORD … = <value>`; `<anything>PASSWORD = <value>` (MASTER_PASSWORD,
 *   SOURCE_PASSWORD in CHANGE MASTER / CHANGE REPLICATION SOURCE); `PASSWORD <value>` (CREATE SERVER … OPTIONS); the
 *   password argument of the `mysql.rds_set_external_master…` / `…source…` procedures.
 * - PostgreSQL: `PASSWORD <value>` (CREATE/ALTER ROLE and USER, and `password` in USER MAPPING and SERVER OPTIONS);
 *   every argument of `aws_commons.create_aws_credentials`; `password=` and `user:password@` inside any string (a
 *   dblink or postgres_fdw connection string).
 */
import { isLiteral, tokenizeSql, type SqlDialect, type SqlToken } from '../detections/sql-tokens';

const MASK = "'***'";

export interface RedactOptions {
  /** Replace every string literal too, not only passwords. */
  readonly literals: boolean;
  /** PostgreSQL reads "x" as an identifier, MySQL as a string. */
  readonly doubleQuotedAreStrings: boolean;
}

/** The procedures whose fourth argument is the replication user's password (Aurora MySQL, "Replication stored procedures"). */
const EXTERNAL_REPLICATION = /^RDS_SET_EXTERNAL_(?:MASTER|SOURCE)\w*$/;

export function redactStatement(statement: string, options: RedactOptions): string {
  const dialect: SqlDialect = options.doubleQuotedAreStrings ? 'mysql' : 'postgresql';
  // The tokens that carry meaning: comments and spaces between a keyword and its value change nothing.
  const sig = tokenizeSql(statement, dialect, true);
  // For each token, the index of the next `=` (or of the next `;`, or the end) from it: SET PASSWORD looks for its
  // `=` in one step, however many SET PASSWORDs a statement repeats.
  const nextEquals = new Array<number>(sig.length + 1).fill(sig.length);
  for (let k = sig.length - 1; k >= 0; k--) nextEquals[k] = sig[k].text === '=' || sig[k].text === ';' ? k : nextEquals[k + 1];
  /** Character ranges to replace, each by one mask. */
  const spans: Array<[number, number]> = [];

  /** Masks the literal at sig[k] and the literals right after it (adjacent literals are one value). */
  const maskValue = (k: number): void => {
    let j = k;
    while (isLiteral(sig[j])) j++;
    if (j > k) spans.push([sig[k].start, sig[j - 1].end]);
  };
  /** The value after a keyword, at sig[k]: a literal, or PASSWORD(literal). */
  const maskAfter = (k: number): void => {
    if (isLiteral(sig[k])) maskValue(k);
    else if (/^(?:OLD_)?PASSWORD$/.test(sig[k]?.text ?? '') && sig[k + 1]?.text === '(') maskValue(k + 2);
  };

  let identified = false;
  for (let k = 0; k < sig.length; k++) {
    const t = sig[k];
    if (t.kind === 'punct' && t.text === ';') identified = false;
    if (t.kind === 'string') {
      if (options.literals) spans.push([t.start, t.end]);
      continue;
    }
    if (t.kind !== 'word') continue;
    const w = t.text;
    if (w === 'IDENTIFIED') identified = true;
    if (identified && (w === 'BY' || w === 'AS' || w === 'USING' || w === 'REPLACE')) maskAfter(k + 1);
    if (/^(?:OLD_)?PASSWORD$/.test(w) && sig[k + 1]?.text === '(') maskValue(k + 2);
    if (w.endsWith('PASSWORD')) {
      // PASSWORD 'x' (PostgreSQL roles, OPTIONS), <x>PASSWORD = 'x', and SET PASSWORD [FOR u] = 'x' | PASSWORD('x').
      if (isLiteral(sig[k + 1])) maskValue(k + 1);
      else if (sig[k + 1]?.text === '=') maskAfter(k + 2);
      else if (w === 'PASSWORD' && sig[k - 1]?.text === 'SET' && sig[nextEquals[k]]?.text === '=') maskAfter(nextEquals[k] + 1);
    }
    if (EXTERNAL_REPLICATION.test(w) && sig[k + 1]?.text === '(') k = maskArguments(sig, k + 2, spans, (index) => index === 3) - 1;
    else if (w === 'CREATE_AWS_CREDENTIALS' && sig[k + 1]?.text === '(') k = maskArguments(sig, k + 2, spans, () => true) - 1;
  }
  // Strings that hold a connection string: its password.
  const replacements = spans.map(([from, to]) => ({ from, to, text: MASK }));
  if (!options.literals) {
    for (const t of sig) {
      if (t.kind !== 'string') continue;
      const masked = connectionSecrets(statement.slice(t.start, t.end));
      if (masked !== undefined) replacements.push({ from: t.start, to: t.end, text: masked });
    }
  }
  // In order; one that overlaps an earlier (or, at the same start, a wider) one is inside it and already masked.
  replacements.sort((a, b) => a.from - b.from || b.to - a.to || (a.text === MASK ? -1 : 1));
  let out = '';
  let at = 0;
  for (const r of replacements) {
    if (r.from < at) continue;
    out += statement.slice(at, r.from) + r.text;
    at = r.to;
  }
  return out + statement.slice(at);
}

/**
 * Masks the literals of the arguments of a call whose first argument is at sig[k], where `which(index)` says so;
 * returns the index of the token after the call.
 */
function maskArguments(sig: readonly SqlToken[], k: number, spans: Array<[number, number]>, which: (index: number) => boolean): number {
  let depth = 0;
  let index = 0;
  for (let j = k; j < sig.length; j++) {
    const t = sig[j];
    if (t.text === '(') depth++;
    else if (t.text === ')') {
      if (depth === 0) return j + 1;
      depth--;
    } else if (t.text === ',' && depth === 0) index++;
    else if (t.text === ';' && depth === 0) return j;
    else if (isLiteral(t) && which(index)) spans.push([t.start, t.end]);
  }
  return sig.length;
}

/**
 * A string literal with a connection string's secrets masked: everything after `password=` (its value may be quoted
 * in several ways, so the rest of the literal goes), and the password of each `scheme://user:password@host`.
 * Undefined when it has none. One pass each: indexOf moves forward only.
 */
function connectionSecrets(literal: string): string | undefined {
  let text = literal;
  const closing = /['"]$/.test(text) && text.length > 1 ? text[text.length - 1] : '';
  const password = /password\s*=\s*/i.exec(text);
  if (password) text = `${text.slice(0, password.index + password[0].length)}***${closing}`;
  let out = '';
  let at = 0;
  // The next `://` may begin with the last character of an authority (`a:b://`): look again from there.
  for (let i = text.indexOf('://'); i >= 0; i = text.indexOf('://', Math.max(at - 1, i + 3))) {
    // The authority: up to the next slash, space or quote.
    let end = i + 3;
    while (end < text.length && !/[\s/'"]/.test(text[end])) end++;
    const authority = text.slice(i + 3, end);
    const colon = authority.indexOf(':');
    const atSign = authority.lastIndexOf('@');
    out += text.slice(at, i + 3) + (colon >= 0 && atSign > colon ? `${authority.slice(0, colon + 1)}***${authority.slice(atSign)}` : authority);
    at = end;
  }
  text = out + text.slice(at);
  return text === literal ? undefined : text;
}
