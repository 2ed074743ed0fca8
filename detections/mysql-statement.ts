/**
 * CloudWatch regexes that find a keyword at the start of the statement of an Aurora MySQL audit QUERY row, the way
 * real clients send statements and the way the log writes them (docs/facts.md, "Advanced Auditing" and "Filter patterns and the audit log's text"):
 * - line breaks either turned into spaces (the 2020 Aurora sample) or escaped as the two characters `\n`, with
 *   `\t` and `\r` likewise (MariaDB's and AWS's audit plugins): both are "blank" here;
 * - comments before the statement: `-- ...` and `# ...` lines, `/* ... *\/` blocks (one or several, over several
 *   lines), and MySQL's versioned comments `/*!50000 DROP ... *\/`, whose content MySQL executes;
 * - `/**\/` or a line break between two words (`DROP\nTABLE`).
 *
 * CloudWatch regex has no groups, so "any number of comments" cannot be written, and every keyword repeats each
 * prelude. Two sets of preludes, by how many keywords a pattern must fit in CloudWatch's 1,024 characters:
 * - `precise`: one line of comments, two lines, or block comments over any number of lines. A keyword at the start
 *   of a later line of the statement (`-- x\nALTER TABLE t\nDROP COLUMN c`) is not mistaken for the statement's.
 * - `compact`: any comments, then the keyword after an escaped line break or the end of a comment. Shorter, and so
 *   usable for many keywords, but after a leading comment a keyword that starts a later line also counts.
 * No prelude can cross a quote: inside the statement a quote is always written `\'`, so a keyword inside a string
 * literal, or after one, never matches.
 */

/** A QUERY row, its database, and the quote that opens the statement: `,'` never occurs inside a statement. */
const QUERY = ',QUERY,[^,]*,\\x27';
/** Blanks as the log writes them: whitespace, or the escapes `\n`, `\t`, `\r`. */
const BLANK = '[\\s\\\\ntr]*';
/** The end of a comment: a block's star-slash, an escaped line break, or the `!<version>` of a versioned comment (`!` is outside the regex symbol set: `\x21`). */
const COMMENT_END = '[*\\\\\\x21][/nr0-9]+';
/** A comment line (or a run of comments on one line): an opener, then anything but a quote or a backslash. */
const COMMENT_LINE = `[-/#][^\\x27\\\\]*${COMMENT_END}${BLANK}`;
/** Block comments over any number of lines: from the first `/*` to a star-slash followed by the keyword. */
const BLOCK_COMMENTS = `/\\*[^\\x27]*\\*/${BLANK}`;
/** Any comments, over any number of lines, up to the end of one. */
const ANY_COMMENTS = `[-/#][^\\x27]*${COMMENT_END}${BLANK}`;

const PRELUDES = {
  precise: [BLANK, BLANK + COMMENT_LINE, BLANK + COMMENT_LINE + COMMENT_LINE, BLANK + BLOCK_COMMENTS],
  compact: [BLANK, BLANK + ANY_COMMENTS],
} as const;

/** What may separate two words of a keyword: at least one blank or a `/**\/` comment. */
export const WORD_BREAK = '[\\s\\\\/*][\\s\\\\ntr/*]*';
/** What must follow a keyword: a blank, an escape's backslash, or a comment. */
export const KEYWORD_END = '[\\s\\\\/]';

/** `[Dd][Rr][Oo][Pp]`: a word in any letter case (CloudWatch has no case-insensitive flag). */
export function anyCase(word: string): string {
  return [...word].map((c) => (/[A-Za-z]/.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join('');
}

/**
 * One `%regex%` that matches a QUERY row whose statement starts with one of `keywords` (regex fragments, each
 * ending with what must follow it), before or after comments.
 */
export function statementStartsWith(keywords: readonly string[], preludes: keyof typeof PRELUDES = 'precise'): string {
  return `%${keywords.flatMap((keyword) => PRELUDES[preludes].map((prelude) => `${QUERY}${prelude}${keyword}`)).join('|')}%`;
}
