/**
 * A CloudWatch Logs filter-pattern engine for unstructured log events: it predicts what a metric filter counts,
 * so patterns are tested here before CloudWatch ever sees them.
 *
 * Semantics, per "Filter pattern syntax for metric filters, subscription filters, filter log events, and Live
 * Tail" (docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html) and docs/facts.md (CloudWatch Logs filter patterns and quotas):
 * - terms are case-sensitive substrings, all of which must match;
 * - `"quoted phrases"` match as one substring; non-alphanumeric terms must be quoted;
 * - `?term` alternatives match when any one does, but are ignored when mixed with other terms;
 * - `-term` excludes events that contain the term;
 * - `%regex%` searches the event with the documented subset: no parentheses, no case-insensitive flag,
 *   only the listed symbols and operators, `\xhh` for anything else.
 * JSON (`{ $.x = ... }`) and space-delimited (`[a, b]`) patterns are refused: Aurora audit lines are CSV.
 */
import { UNCONFIRMED } from '../config/unconfirmed';
import { compileLinearRegex, RegexSyntaxError, type LinearRegex } from './linear-regex';
import { mayMatch, requiredRuns, type Run } from './prefilter';

export class FilterPatternError extends Error {}

interface TextTerm {
  readonly kind: 'text';
  readonly text: string;
  readonly modifier: 'required' | 'optional' | 'excluded';
}

interface RegexTerm {
  readonly kind: 'regex';
  readonly source: string;
  readonly regex: LinearRegex;
}

export interface CompiledPattern {
  readonly pattern: string;
  /** How many regular expressions the pattern holds, for AWS's per-pattern and per-log-group quotas. */
  readonly regexCount: number;
  matches(event: string): boolean;
  /**
   * For a %regex% with a literal prefilter: the runs a matching event must hold (lower case; see ./prefilter.ts), and
   * the automaton alone, for a scanner that finds the runs over many lines at once (./scan-chunk.ts). `matches` is
   * `mayMatch` on the runs and then the automaton.
   */
  readonly prefilter?: { readonly required: readonly Run[][]; readonly automaton: (event: string) => boolean };
}

// Symbols and operators that a %regex% may contain (FilterAndPatternSyntax.html, "Using regex").
const REGEX_SYMBOLS = new Set([':', '_', '#', '=', '@', '/', ';', ',', '-']);
const REGEX_OPERATORS = new Set(['^', '$', '?', '[', ']', '{', '}', '|', '\\', '*', '+', '.']);
const REGEX_CLASS_ESCAPES = new Set(['d', 'D', 's', 'S', 'w', 'W']);

export function compileFilterPattern(pattern: string): CompiledPattern {
  const trimmed = pattern.trim();
  // An empty pattern, or `" "`, matches every event.
  if (trimmed === '' || trimmed === '" "') return { pattern, regexCount: 0, matches: () => true };
  if (trimmed.startsWith('{')) {
    throw new FilterPatternError(
      'JSON filter patterns ({ $.field = ... }) are not supported: Aurora audit and error logs are not JSON',
    );
  }
  if (trimmed.startsWith('[')) {
    throw new FilterPatternError(
      'space-delimited filter patterns ([field1, field2]) are not supported: they split on spaces, and Aurora audit lines are comma-separated',
    );
  }

  const terms = tokenize(trimmed);
  const regexTerms = terms.filter((t): t is RegexTerm => t.kind === 'regex');
  if (regexTerms.length > 0 && terms.length > 1 && !UNCONFIRMED.regexCombinesWithTerms) {
    throw new FilterPatternError(
      'a %regex% cannot be combined with other terms in a text pattern; put the whole condition in one regex, using | for alternatives',
    );
  }
  if (regexTerms.length === 1) {
    const { regex, source } = regexTerms[0];
    // Most lines of a log hold none of the words a pattern needs: they are turned away before the automaton runs.
    const required = requiredRuns(source);
    if (!required) return { pattern, regexCount: 1, matches: (event) => regex.test(event) };
    return {
      pattern,
      regexCount: 1,
      matches: (event) => mayMatch(lowerCase(event), required) && regex.test(event),
      prefilter: { required, automaton: (event) => regex.test(event) },
    };
  }

  const text = terms as TextTerm[];
  const required = text.filter((t) => t.modifier === 'required').map((t) => t.text);
  const excluded = text.filter((t) => t.modifier === 'excluded').map((t) => t.text);
  // "If you combine "?" with other filter patterns, all question mark terms will be ignored."
  const optional = required.length + excluded.length > 0 ? [] : text.filter((t) => t.modifier === 'optional').map((t) => t.text);
  return {
    pattern,
    regexCount: 0,
    matches: (event) =>
      required.every((t) => event.includes(t)) &&
      !excluded.some((t) => event.includes(t)) &&
      (optional.length === 0 || optional.some((t) => event.includes(t))),
  };
}

/** The event in lower case, kept for the next pattern that asks about the same event (a scan asks each detection). */
let lastEvent: string | undefined;
let lastLower = '';
function lowerCase(event: string): string {
  if (event !== lastEvent) {
    lastEvent = event;
    lastLower = event.toLowerCase();
  }
  return lastLower;
}

function tokenize(pattern: string): Array<TextTerm | RegexTerm> {
  const terms: Array<TextTerm | RegexTerm> = [];
  let i = 0;
  while (i < pattern.length) {
    if (/\s/.test(pattern[i])) {
      i++;
      continue;
    }
    if (pattern[i] === '%') {
      const end = pattern.indexOf('%', i + 1);
      if (end < 0) throw new FilterPatternError(`unterminated regex: a % at position ${i + 1} has no closing %`);
      const source = pattern.slice(i + 1, end);
      terms.push({ kind: 'regex', source, regex: compileRegex(source) });
      i = end + 1;
      continue;
    }
    let modifier: TextTerm['modifier'] = 'required';
    if (pattern[i] === '?' || pattern[i] === '-') {
      modifier = pattern[i] === '?' ? 'optional' : 'excluded';
      i++;
    }
    if (pattern[i] === '"') {
      let text = '';
      let j = i + 1;
      for (; j < pattern.length && pattern[j] !== '"'; j++) {
        if (pattern[j] === '\\' && pattern[j + 1] === '"') j++;
        text += pattern[j];
      }
      if (j >= pattern.length) throw new FilterPatternError(`unterminated quoted phrase starting at position ${i + 1}`);
      terms.push({ kind: 'text', text, modifier });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < pattern.length && !/\s/.test(pattern[j])) j++;
    const text = pattern.slice(i, j);
    if (text === '') throw new FilterPatternError(`a ${modifier === 'optional' ? '?' : '-'} at position ${i} has no term after it`);
    if (!/^[A-Za-z0-9]+$/.test(text)) {
      throw new FilterPatternError(`the term ${text} has non-alphanumeric characters; enclose it in double quotes: "${text}"`);
    }
    terms.push({ kind: 'text', text, modifier });
    i = j;
  }
  return terms;
}

/**
 * Checks a regex body against CloudWatch's supported subset and returns a matcher for it that runs in linear time,
 * whatever the pattern (detections/linear-regex.ts): a custom pattern can never make a scan hang.
 */
export function compileRegex(source: string): LinearRegex {
  if (source === '') throw new FilterPatternError('an empty regex (%%) matches nothing useful');
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      if (next === undefined) throw new FilterPatternError('the regex ends with a lone backslash');
      if (next === 'x') {
        if (!/^[0-9A-Fa-f]{2}$/.test(source.slice(i + 2, i + 4))) {
          throw new FilterPatternError(`\\x at position ${i + 1} needs two hex digits, as in \\x27 for a single quote`);
        }
        i += 3;
      } else if (REGEX_CLASS_ESCAPES.has(next) || REGEX_OPERATORS.has(next) || REGEX_SYMBOLS.has(next)) {
        i += 1;
      } else {
        throw new FilterPatternError(`\\${next} is not a supported escape; use \\d \\D \\s \\S \\w \\W, \\xhh, or a backslash before an operator`);
      }
      continue;
    }
    if (c === '(' || c === ')') {
      throw new FilterPatternError(
        'CloudWatch regex does not support ( or ) and so has no groups and no (?i) flag; for any letter case use character classes such as [Dd][Rr][Oo][Pp], and | between whole alternatives',
      );
    }
    if (/[A-Za-z0-9]/.test(c) || REGEX_SYMBOLS.has(c) || REGEX_OPERATORS.has(c)) continue;
    // A space is not in the documented symbol list, yet the same page's example %^starting|^initializing|^shutting down%
    // holds one: CloudWatch takes it literally (docs/facts.md, "Regex and spaces").
    if (c === ' ') continue;
    const hex = c.codePointAt(0)!;
    if (hex > 0x7f) throw new FilterPatternError(`the regex holds the multi-byte character ${c}, which CloudWatch does not support`);
    throw new FilterPatternError(`the character ${JSON.stringify(c)} is not allowed in a CloudWatch regex; write it as \\x${hex.toString(16).padStart(2, '0')}`);
  }
  try {
    return compileLinearRegex(source);
  } catch (e) {
    if (!(e instanceof RegexSyntaxError)) throw e;
    throw new FilterPatternError(`the regex does not compile: ${e.message}`);
  }
}

/** What a pattern looks for, for a person or another query language: its regex bodies, or its text terms by kind. */
export function patternTerms(pattern: string): { regex: string[]; required: string[]; excluded: string[]; optional: string[] } {
  const trimmed = pattern.trim();
  const terms = trimmed === '' || trimmed === '" "' ? [] : tokenize(trimmed);
  const text = terms.filter((t): t is TextTerm => t.kind === 'text');
  return {
    regex: terms.filter((t): t is RegexTerm => t.kind === 'regex').map((t) => t.source),
    required: text.filter((t) => t.modifier === 'required').map((t) => t.text),
    excluded: text.filter((t) => t.modifier === 'excluded').map((t) => t.text),
    optional: text.filter((t) => t.modifier === 'optional').map((t) => t.text),
  };
}
