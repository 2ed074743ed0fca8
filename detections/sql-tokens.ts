/**
 * SQL text cut into tokens by the quoting and comment rules of Aurora MySQL and Aurora PostgreSQL, in one pass: each
 * character is looked at a bounded number of times, so a hostile statement costs time linear in its length.
 *
 * MySQL (MySQL 8.0 reference manual, "String Literals", "Comments", "Hexadecimal Literals", "Bit-Value Literals",
 * "Character Set Introducers"): '…' and "…" strings with backslash escapes and doubled quotes, an optional
 * `_charset` or `N` introducer; X'…' and 0x… hex, B'…' and 0b… bit literals; `-- ` (a space or control after the
 * dashes), `#` and `/* … *\/` comments; `/*!NNNNN … *\/` versioned comments, whose content MySQL executes (so it is
 * tokenized as code); `backtick` identifiers.
 *
 * PostgreSQL (PostgreSQL documentation, "Lexical Structure"): '…' strings with doubled quotes and literal
 * backslashes (standard_conforming_strings is on by default), E'…' with backslash escapes, U&'…', B'…', X'…';
 * $$…$$ and $tag$…$tag$ dollar quotes; "…" identifiers; `--` and nested `/* … *\/` comments.
 *
 * An unterminated string or comment runs to the end of the text: a cut-off statement never lets its tail be read
 * as code.
 */

export type SqlDialect = 'mysql' | 'postgresql';

export type TokenKind = 'word' | 'string' | 'number' | 'identifier' | 'punct' | 'space' | 'comment';

export interface SqlToken {
  readonly kind: TokenKind;
  readonly start: number;
  readonly end: number;
  /** For words: the word in upper case; for punctuation: the character; otherwise the raw text. */
  readonly text: string;
}

/** E'..', U&'..', B'..', X'..', N'..', and MySQL's _charset introducers, right before a quote. */
const PREFIX = /(?:[EeXxBbNn]|[Uu]&|_[A-Za-z0-9]+)(?=['"])/y;
const DOLLAR_TAG = /\$(?:[\p{L}_][\p{L}\p{N}_]{0,62})?\$/uy;
const LETTER = /\p{L}/u;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const SPACE = /\s/;

const run = (re: RegExp, text: string, at: number): string | undefined => {
  re.lastIndex = at;
  return re.exec(text)?.[0];
};

// Character classes by code, ASCII first: the Unicode expressions are asked only about other characters.
const isSpace = (code: number, c: string) => code === 32 || (code >= 9 && code <= 13) || (code > 127 && SPACE.test(c));
const isWordStart = (code: number, c: string) =>
  (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36 || code === 64 || (code > 127 && LETTER.test(c));
const isWordPart = (code: number, c: string) => isWordStart(code, c) || (code >= 48 && code <= 57) || (code > 127 && LETTER_OR_DIGIT.test(c));
const isNumberPart = (code: number) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 46;

/**
 * The tokens of `sql`, covering it from start to end; with `significantOnly`, without its spaces and comments (what
 * a reader of the statement acts on, at half the cost).
 */
export function tokenizeSql(sql: string, dialect: SqlDialect, significantOnly = false): SqlToken[] {
  const tokens: SqlToken[] = [];
  const n = sql.length;
  let i = 0;
  // Inside a MySQL versioned comment: its closing star-slash is a space, not the end of a comment.
  let versioned = false;
  const push = (kind: TokenKind, start: number, end: number, text?: string) => {
    if (significantOnly && (kind === 'space' || kind === 'comment')) return;
    tokens.push({ kind, start, end, text: text ?? sql.slice(start, end) });
  };

  /** The end of a quoted run that starts at `open` (the quote's index). */
  const quoted = (open: number, quote: string, backslashEscapes: boolean): number => {
    let j = open + 1;
    while (j < n) {
      const c = sql[j];
      if (backslashEscapes && c === '\\') {
        j += 2;
        continue;
      }
      if (c === quote) {
        if (sql[j + 1] === quote) {
          j += 2;
          continue;
        }
        return j + 1;
      }
      j++;
    }
    return n;
  };

  while (i < n) {
    const c = sql[i];
    const code = sql.charCodeAt(i);
    const next = sql[i + 1];

    if (isSpace(code, c)) {
      let j = i + 1;
      while (j < n && isSpace(sql.charCodeAt(j), sql[j])) j++;
      push('space', i, j);
      i = j;
      continue;
    }
    // Comments to the end of the line: `--` (in MySQL only before a space or a control character), and MySQL's `#`.
    const dashes = c === '-' && next === '-' && (dialect === 'postgresql' || i + 2 >= n || /[\s\p{Cc}]/u.test(sql[i + 2]));
    if (dashes || (c === '#' && dialect === 'mysql')) {
      const j = sql.indexOf('\n', i);
      const end = j < 0 ? n : j;
      push('comment', i, end);
      i = end;
      continue;
    }
    if (c === '/' && next === '*') {
      if (dialect === 'mysql' && sql[i + 2] === '!') {
        // /*!NNNNN ... */: MySQL runs the content. The opener is a space, and so is the closer when it comes.
        let j = i + 3;
        while (j < n && j < i + 9 && sql[j] >= '0' && sql[j] <= '9') j++;
        push('space', i, j);
        versioned = true;
        i = j;
        continue;
      }
      if (dialect === 'postgresql') {
        let depth = 0;
        let j = i;
        while (j < n) {
          if (sql[j] === '/' && sql[j + 1] === '*') {
            depth++;
            j += 2;
          } else if (sql[j] === '*' && sql[j + 1] === '/') {
            depth--;
            j += 2;
            if (depth === 0) break;
          } else j++;
        }
        const end = Math.min(j, n);
        push('comment', i, end);
        i = end;
        continue;
      }
      const j = sql.indexOf('*/', i + 2);
      const end = j < 0 ? n : j + 2;
      push('comment', i, end);
      i = end;
      continue;
    }
    if (versioned && c === '*' && next === '/') {
      push('space', i, i + 2);
      versioned = false;
      i += 2;
      continue;
    }

    // Strings, with their prefixes.
    if (c === "'") {
      const end = quoted(i, "'", dialect === 'mysql');
      push('string', i, end);
      i = end;
      continue;
    }
    if (c === '"') {
      const end = quoted(i, '"', dialect === 'mysql');
      push(dialect === 'mysql' ? 'string' : 'identifier', i, end);
      i = end;
      continue;
    }
    if (c === '`' && dialect === 'mysql') {
      const end = quoted(i, '`', false);
      push('identifier', i, end);
      i = end;
      continue;
    }
    if (c === '$' && dialect === 'postgresql') {
      const tag = run(DOLLAR_TAG, sql, i);
      if (tag) {
        const close = sql.indexOf(tag, i + tag.length);
        const end = close < 0 ? n : close + tag.length;
        push('string', i, end);
        i = end;
        continue;
      }
    }
    const prefix = 'EeXxBbNnUu_'.includes(c) ? run(PREFIX, sql, i) : undefined;
    if (prefix && (sql[i + prefix.length] === "'" || (dialect === 'mysql' && prefix.startsWith('_')))) {
      const open = i + prefix.length;
      const end = quoted(open, sql[open], dialect === 'mysql' || prefix === 'E' || prefix === 'e');
      push('string', i, end);
      i = end;
      continue;
    }
    if ((code >= 48 && code <= 57) || (code === 46 && next >= '0' && next <= '9')) {
      let j = i + 1;
      while (j < n && isNumberPart(sql.charCodeAt(j))) j++;
      push('number', i, j);
      i = j;
      continue;
    }
    if (isWordStart(code, c)) {
      let j = i + 1;
      while (j < n && isWordPart(sql.charCodeAt(j), sql[j])) j++;
      push('word', i, j, sql.slice(i, j).toUpperCase());
      i = j;
      continue;
    }
    push('punct', i, i + 1, c);
    i++;
  }
  return tokens;
}

/** Whether a token holds a value a statement gives: a string, a number, a hex or bit literal. */
export const isLiteral = (t: SqlToken | undefined): boolean => t !== undefined && (t.kind === 'string' || t.kind === 'number');
