/**
 * A literal prefilter for a CloudWatch regex: the substrings a line must hold, in any letter case, before the
 * automaton (detections/linear-regex.ts) is worth running. CloudWatch regex has no groups, so each top-level
 * alternative is a plain sequence of atoms, and every run of single-character atoms in it (`DROP`, `[Dd][Rr][Oo][Pp]`,
 * `\x27`) must appear in any line that alternative matches. A line that holds every run of no alternative cannot match:
 * it is skipped, and only then. The answers are the automaton's (test/detections/prefilter.test.ts compares them on
 * the adversarial corpus); what changes is that most lines of a real log are never given to it.
 */

/** Runs shorter than this say too little to be worth a search. */
const MIN_RUN = 3;

/**
 * A run: consecutive characters a match must hold, in lower case, each as the one or two characters that atom admits
 * (`[Dd]` is d; the compact keyword classes `[GgRr][RrEe]...`, GRANT or REVOKE, are g or r, then r or e, ...).
 */
export interface Run {
  /** The atoms, each the one or two characters it admits. */
  readonly sets: readonly string[];
  /** The run as one string, when every atom is one character: then a plain search finds it. */
  readonly plain?: string;
  /**
   * Otherwise the run as a sequence of one- or two-character classes, searched by the engine's own regular expressions:
   * a fixed-length sequence of classes, with no repetition or alternative, runs in time linear in the line.
   */
  readonly classes?: RegExp;
}

/**
 * For each top-level alternative, the runs its matches must contain; undefined when some alternative requires none, so
 * that any line might match.
 */
export function requiredRuns(source: string): Run[][] | undefined {
  // A class that starts with ] is read differently by different engines: no prefilter rather than a wrong one.
  if (/\[\^?\]/.test(source)) return undefined;
  const branches = splitAlternatives(source).map(runsOf);
  if (branches.some((runs) => runs.length === 0)) return undefined;
  // The same requirement written by several alternatives (a keyword after each comment prelude) is checked once.
  const seen = new Map(branches.map((runs) => [runs.map((r) => r.sets.join('/')).join('\u0000'), runs]));
  return [...seen.values()];
}

/** A test of a line, with its lower-case copy, against required runs: false only when no alternative could match. */
export function mayMatch(lower: string, required: readonly Run[][]): boolean {
  for (const runs of required) {
    let all = true;
    for (const run of runs) {
      if (!holds(lower, run)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

/**
 * The lines of a block that may match, marked 1: those holding every run of some alternative. `lower` is the block in
 * lower case, as long as the block itself (the caller checks: a few characters grow when lowered), and `starts` each
 * line's offset in it, with one entry more, past the last line. An alternative is driven by its most telling run: each
 * place that run occurs is found in one search of the whole block, and only the lines it occurs in are asked for the
 * others. The answers are mayMatch's, line by line (test/detections/prefilter.test.ts).
 */
export function candidateLines(lower: string, starts: Int32Array, required: readonly Run[][]): Uint8Array {
  const count = starts.length - 1;
  const out = new Uint8Array(count);
  for (const runs of required) {
    // A run that could span two lines (it holds a newline) cannot be searched across the block: every line is asked.
    if (runs.some((r) => r.sets.some((set) => set.includes('\n')))) {
      for (let line = 0; line < count; line++) if (!out[line] && mayMatch(lower.slice(starts[line], starts[line + 1] - 1), [runs])) out[line] = 1;
      continue;
    }
    const driver = mostTelling(runs);
    const others = runs.filter((r) => r !== driver);
    const global = driver.plain === undefined ? new RegExp(driver.classes!.source, 'g') : undefined;
    let line = 0;
    let from = 0;
    while (from < lower.length) {
      let at: number;
      if (global) {
        global.lastIndex = from;
        const m = global.exec(lower);
        at = m ? m.index : -1;
      } else at = lower.indexOf(driver.plain!, from);
      if (at < 0) break;
      line = lineAt(starts, at, line);
      if (!out[line]) {
        const text = lower.slice(starts[line], starts[line + 1] - 1);
        if (others.every((r) => holds(text, r))) out[line] = 1;
      }
      // The next place worth looking is the next line.
      from = starts[line + 1];
    }
  }
  return out;
}

/** The line holding offset `at`, at or after line `from`: a binary search, since a rare word skips many lines. */
function lineAt(starts: Int32Array, at: number, from: number): number {
  let lo = from;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The run that rules out most lines: a plain word, then a run of letter classes (GRANT-or-REVOKE), and a whole field
 * of the record last (`,query,`, which most lines hold); the longest first among equals.
 */
function mostTelling(runs: readonly Run[]): Run {
  const rank = (r: Run) => (r.plain === undefined ? 1 : r.plain.startsWith(',') && r.plain.endsWith(',') ? 2 : 0);
  return [...runs].sort((a, b) => rank(a) - rank(b) || b.sets.length - a.sets.length)[0];
}

/** Whether the text holds the run somewhere: a plain search when every atom is one character. */
function holds(text: string, run: Run): boolean {
  return run.plain !== undefined ? text.includes(run.plain) : run.classes!.test(text);
}

/** A character as a regular expression class member: escaped, by its code. */
const member = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** The top-level alternatives: `|` outside a class, unescaped. */
function splitAlternatives(source: string): string[] {
  const out: string[] = [];
  let start = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) {
      if (c === ']') inClass = false;
    } else if (c === '[') {
      inClass = true;
      // A ] first in a class is a member, not its end.
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++;
    } else if (c === '|') {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

/** One atom: the one or two characters it admits (lower case), or undefined when it may match more. */
interface Atom {
  readonly chars?: string;
  readonly end: number;
}

/** The runs of narrow atoms of one alternative, each at least MIN_RUN long, longest first. */
function runsOf(branch: string): Run[] {
  const runs: Run[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length >= MIN_RUN) {
      runs.push(
        run.every((set) => set.length === 1)
          ? { sets: run, plain: run.join('') }
          : { sets: run, classes: new RegExp(run.map((set) => `[${[...set].map(member).join('')}]`).join('')) },
      );
    }
    run = [];
  };
  let i = 0;
  while (i < branch.length) {
    const c = branch[i];
    if (c === '^' || c === '$') {
      flush();
      i++;
      continue;
    }
    const atom = readAtom(branch, i);
    i = atom.end;
    const q = branch[i];
    if (q === '?' || q === '*' || q === '+' || q === '{') {
      // Repeated or optional: not a fixed character of the sequence (a + still needs one, but where the run resumes
      // after it is unknown), so the run ends before it.
      flush();
      i = q === '{' ? branch.indexOf('}', i) + 1 || branch.length : i + 1;
      continue;
    }
    if (atom.chars === undefined) flush();
    else run.push(atom.chars);
  }
  flush();
  const unique = new Map(runs.map((r) => [r.sets.join('/'), r]));
  // Plain searches first, longest first; a run of wider atoms is scanned only when those are all there.
  return [...unique.values()].sort((a, b) => Number(b.plain !== undefined) - Number(a.plain !== undefined) || b.sets.length - a.sets.length);
}

function readAtom(s: string, i: number): Atom {
  const c = s[i];
  if (c === '\\') {
    const next = s[i + 1];
    if (next === 'x') return { chars: String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16)).toLowerCase(), end: i + 4 };
    if ('dDsSwW'.includes(next)) return { end: i + 2 };
    return { chars: next.toLowerCase(), end: i + 2 };
  }
  if (c === '.') return { end: i + 1 };
  if (c === '[') return readClass(s, i);
  return { chars: c.toLowerCase(), end: i + 1 };
}

/** A class of at most two characters once lower-cased (`[Dd]`, `[GgRr]`) is those; a wider one is not narrow. */
function readClass(s: string, start: number): Atom {
  let i = start + 1;
  const negated = s[i] === '^';
  if (negated) i++;
  const members = new Set<string>();
  let wide = negated;
  let first = true;
  while (i < s.length && (s[i] !== ']' || first)) {
    first = false;
    let c = s[i];
    if (c === '\\') {
      const next = s[i + 1];
      if (next === 'x') {
        c = String.fromCharCode(parseInt(s.slice(i + 2, i + 4), 16));
        i += 4;
      } else if ('dDsSwW'.includes(next)) {
        wide = true;
        i += 2;
        continue;
      } else {
        c = next;
        i += 2;
      }
    } else i++;
    if (s[i] === '-' && s[i + 1] !== ']' && i + 1 < s.length) {
      // A range: wide unless it is one character.
      const to = s[i + 1] === '\\' && s[i + 2] === 'x' ? String.fromCharCode(parseInt(s.slice(i + 3, i + 5), 16)) : s[i + 1];
      i += s[i + 1] === '\\' ? (s[i + 2] === 'x' ? 5 : 3) : 2;
      if (to !== c) wide = true;
    }
    members.add(c);
  }
  const end = i + 1;
  if (wide) return { end };
  const lowered = [...new Set([...members].map((m) => m.toLowerCase()))];
  return lowered.length <= 2 && lowered.every((m) => m.length === 1) ? { chars: lowered.join(''), end } : { end };
}
