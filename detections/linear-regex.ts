/**
 * A regular-expression matcher that runs in time linear in the length of the text, whatever the pattern: a Thompson
 * NFA, run as a DFA built lazily and cached (the approach of RE2 and Go's regexp). JavaScript's RegExp backtracks, so
 * a pattern such as `\w*\w*\w*\w*\w*\w*\w*\w*,` takes minutes on a 50-character line; here it takes microseconds.
 *
 * It reads the syntax CloudWatch Logs accepts inside `%...%` (detections/filter-pattern.ts checks the character set
 * first): literals, `.`, `[...]` classes with ranges and negation, `\d \D \s \S \w \W`, `\xhh`, a backslash before
 * an operator, the anchors `^` and `$`, the quantifiers `* + ? {n} {n,} {n,m}` (a trailing `?` makes no difference
 * to whether a line matches), and `|` between whole alternatives (there are no parentheses). Classes and `.` follow
 * JavaScript's definitions, so results agree with `new RegExp(source).test(text)` wherever that finishes.
 */

export class RegexSyntaxError extends Error {}

/** Bounded repetition is expanded into states; beyond these sizes a pattern is refused rather than run. */
export const MAX_REPEAT = 1000;
const MAX_NFA_STATES = 20_000;
/** Cached DFA states; past this the cache starts over, which keeps memory bounded and time linear. */
const MAX_DFA_STATES = 4096;

// ---------------------------------------------------------------------------------------------------------------
// Character sets

/** A set of UTF-16 code units: a bitmap for ASCII, sorted ranges beyond it, optionally negated. */
class CharSet {
  private readonly ascii = new Uint32Array(4);
  private readonly ranges: Array<[number, number]> = [];
  negated = false;

  addRange(from: number, to: number): this {
    for (let c = from; c <= Math.min(to, 127); c++) this.ascii[c >>> 5] |= 1 << (c & 31);
    if (to > 127) this.ranges.push([Math.max(from, 128), to]);
    return this;
  }

  addSet(other: CharSet): this {
    if (other.negated) {
      // Only classes such as \D, \S, \W are negated sets inside a class: fold them in by their complement ranges.
      for (const [from, to] of other.complementRanges()) this.addRange(from, to);
      return this;
    }
    for (let i = 0; i < 4; i++) this.ascii[i] |= other.ascii[i];
    this.ranges.push(...other.ranges);
    return this;
  }

  has(c: number): boolean {
    const inside = c < 128 ? (this.ascii[c >>> 5] & (1 << (c & 31))) !== 0 : this.ranges.some(([from, to]) => c >= from && c <= to);
    return inside !== this.negated;
  }

  /** The code units outside this (non-negated) set, as ranges over 0..0xFFFF. */
  private complementRanges(): Array<[number, number]> {
    const result: Array<[number, number]> = [];
    let start = -1;
    for (let c = 0; c <= 0xffff; c++) {
      const inside = c < 128 ? (this.ascii[c >>> 5] & (1 << (c & 31))) !== 0 : this.ranges.some(([from, to]) => c >= from && c <= to);
      if (!inside && start < 0) start = c;
      if (inside && start >= 0) {
        result.push([start, c - 1]);
        start = -1;
      }
    }
    if (start >= 0) result.push([start, 0xffff]);
    return result;
  }
}

const set = (...ranges: Array<[number, number]>) => ranges.reduce((s, [a, b]) => s.addRange(a, b), new CharSet());
const negate = (s: CharSet) => {
  s.negated = !s.negated;
  return s;
};
// JavaScript's definitions (ECMA-262): \s is WhiteSpace and LineTerminator; . is anything but a line terminator.
const WHITESPACE: Array<[number, number]> = [
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
];
const CLASS_ESCAPES: Record<string, () => CharSet> = {
  d: () => set([0x30, 0x39]),
  D: () => negate(set([0x30, 0x39])),
  w: () => set([0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]),
  W: () => negate(set([0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a])),
  s: () => set(...WHITESPACE),
  S: () => negate(set(...WHITESPACE)),
};
const ANY_BUT_NEWLINE = () => negate(set([0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]));

// ---------------------------------------------------------------------------------------------------------------
// NFA

const Kind = { Char: 0, Split: 1, Bol: 2, Eol: 3, Match: 4 } as const;
type Kind = (typeof Kind)[keyof typeof Kind];

interface State {
  kind: Kind;
  chars?: CharSet;
  out: number;
  out2: number;
}

/** A piece of NFA under construction: its start, and the states whose `out` still dangles. */
interface Fragment {
  start: number;
  dangling: Array<[state: number, which: 'out' | 'out2']>;
}

class Builder {
  readonly states: State[] = [];

  add(kind: Kind, chars?: CharSet): number {
    if (this.states.length >= MAX_NFA_STATES) throw new RegexSyntaxError(`the regex is too large once its repetitions are expanded (more than ${MAX_NFA_STATES} states)`);
    this.states.push({ kind, chars, out: -1, out2: -1 });
    return this.states.length - 1;
  }

  patch(fragment: Fragment, to: number): void {
    for (const [state, which] of fragment.dangling) this.states[state][which] = to;
  }

  atom(kind: Kind, chars?: CharSet): Fragment {
    const s = this.add(kind, chars);
    return { start: s, dangling: [[s, 'out']] };
  }

  concat(a: Fragment | undefined, b: Fragment): Fragment {
    if (!a) return b;
    this.patch(a, b.start);
    return { start: a.start, dangling: b.dangling };
  }

  alternate(a: Fragment, b: Fragment): Fragment {
    const s = this.add(Kind.Split);
    this.states[s].out = a.start;
    this.states[s].out2 = b.start;
    return { start: s, dangling: [...a.dangling, ...b.dangling] };
  }

  optional(a: Fragment): Fragment {
    const s = this.add(Kind.Split);
    this.states[s].out = a.start;
    return { start: s, dangling: [...a.dangling, [s, 'out2']] };
  }

  star(a: Fragment): Fragment {
    const s = this.add(Kind.Split);
    this.states[s].out = a.start;
    this.patch(a, s);
    return { start: s, dangling: [[s, 'out2']] };
  }

  plus(a: Fragment): Fragment {
    const s = this.add(Kind.Split);
    this.states[s].out = a.start;
    this.patch(a, s);
    return { start: a.start, dangling: [[s, 'out2']] };
  }

  /** An empty fragment, for an empty alternative: a split whose both exits lead on. */
  empty(): Fragment {
    const s = this.add(Kind.Split);
    return { start: s, dangling: [[s, 'out'], [s, 'out2']] };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Parser

type Piece = { build: (b: Builder) => Fragment; anchor: boolean };

function parse(source: string, b: Builder): number {
  let i = 0;
  const fail = (message: string) => new RegexSyntaxError(`${message} (at position ${i + 1})`);

  const hex = (at: number): number => {
    const digits = source.slice(at, at + 2);
    if (!/^[0-9A-Fa-f]{2}$/.test(digits)) throw fail('\\x needs two hex digits, as in \\x27');
    return parseInt(digits, 16);
  };

  /** An escape after `\` at i; returns a set and advances. */
  const escape = (): CharSet => {
    const c = source[i];
    if (c === undefined) throw fail('the regex ends with a lone backslash');
    if (CLASS_ESCAPES[c]) {
      i += 1;
      return CLASS_ESCAPES[c]();
    }
    if (c === 'x') {
      const code = hex(i + 1);
      i += 3;
      return set([code, code]);
    }
    if (/[A-Za-z0-9]/.test(c)) throw fail(`\\${c} is not a supported escape`);
    i += 1;
    return set([c.charCodeAt(0), c.charCodeAt(0)]);
  };

  const charClass = (): CharSet => {
    // i is after '['
    const result = new CharSet();
    let negated = false;
    if (source[i] === '^') {
      negated = true;
      i++;
    }
    const single = (): { set: CharSet; code?: number } => {
      if (source[i] === '\\') {
        i++;
        const before = i;
        const s = escape();
        const isClass = CLASS_ESCAPES[source[before]] !== undefined;
        return isClass ? { set: s } : { set: s, code: source[before] === 'x' ? parseInt(source.slice(before + 1, before + 3), 16) : source.charCodeAt(before) };
      }
      const code = source.charCodeAt(i);
      i++;
      return { set: set([code, code]), code };
    };
    while (i < source.length && source[i] !== ']') {
      const low = single();
      if (source[i] === '-' && source[i + 1] !== undefined && source[i + 1] !== ']' && low.code !== undefined) {
        i++;
        const high = single();
        if (high.code === undefined) {
          // [a-\d]: the hyphen is literal, as in JavaScript.
          result.addSet(low.set).addRange(0x2d, 0x2d).addSet(high.set);
          continue;
        }
        if (high.code < low.code) throw fail('a range in [...] runs backwards');
        result.addRange(low.code, high.code);
        continue;
      }
      result.addSet(low.set);
    }
    if (source[i] !== ']') throw fail('a [ has no closing ]');
    i++;
    result.negated = negated;
    return result;
  };

  const atomPiece = (): Piece => {
    const c = source[i];
    if (c === '^') {
      i++;
      return { build: (bb) => bb.atom(Kind.Bol), anchor: true };
    }
    if (c === '$') {
      i++;
      return { build: (bb) => bb.atom(Kind.Eol), anchor: true };
    }
    let chars: CharSet;
    if (c === '.') {
      i++;
      chars = ANY_BUT_NEWLINE();
    } else if (c === '[') {
      i++;
      chars = charClass();
    } else if (c === '\\') {
      i++;
      chars = escape();
    } else if (c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d/.test(source.slice(i)))) {
      throw fail(`${c} has nothing to repeat`);
    } else if (c === '{' || c === '}' || c === ']') {
      throw fail(`a ${c} that is not part of a repetition or a class; write \\x${c.charCodeAt(0).toString(16)} for the character itself`);
    } else {
      i++;
      chars = set([c.charCodeAt(0), c.charCodeAt(0)]);
    }
    const fixed = chars;
    return { build: (bb) => bb.atom(Kind.Char, fixed), anchor: false };
  };

  /** A quantifier at i, if any: [min, max] (max Infinity). */
  const quantifier = (): [number, number] | undefined => {
    const c = source[i];
    let q: [number, number] | undefined;
    if (c === '*') q = [0, Infinity];
    else if (c === '+') q = [1, Infinity];
    else if (c === '?') q = [0, 1];
    if (q) i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
      if (!m) return undefined;
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) throw fail(`{${min},${max}} repeats fewer times at most than at least`);
      if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT)) throw fail(`repetitions are limited to ${MAX_REPEAT}`);
      i += m[0].length;
      q = [min, max];
    }
    // A lazy quantifier (x*?) matches the same lines.
    if (q && source[i] === '?') i++;
    return q;
  };

  const repeat = (bb: Builder, piece: Piece, [min, max]: [number, number]): Fragment => {
    if (min === 0 && max === Infinity) return bb.star(piece.build(bb));
    if (min === 1 && max === Infinity) return bb.plus(piece.build(bb));
    let result: Fragment | undefined;
    for (let k = 0; k < min; k++) result = bb.concat(result, piece.build(bb));
    if (max === Infinity) return bb.concat(result, bb.star(piece.build(bb)));
    for (let k = min; k < max; k++) result = bb.concat(result, bb.optional(piece.build(bb)));
    return result ?? bb.empty();
  };

  const alternative = (): Fragment => {
    let result: Fragment | undefined;
    while (i < source.length && source[i] !== '|') {
      const piece = atomPiece();
      const q = quantifier();
      if (q && piece.anchor) throw fail('an anchor (^ or $) cannot be repeated');
      const fragment = q ? repeat(b, piece, q) : piece.build(b);
      if (quantifier()) throw fail('a quantifier cannot follow another');
      result = b.concat(result, fragment);
    }
    return result ?? b.empty();
  };

  let whole = alternative();
  while (source[i] === '|') {
    i++;
    whole = b.alternate(whole, alternative());
  }
  const match = b.add(Kind.Match);
  b.patch(whole, match);
  return whole.start;
}

// ---------------------------------------------------------------------------------------------------------------
// Lazy DFA

interface DState {
  readonly nfa: Int32Array;
  readonly matched: boolean;
  readonly dead: boolean;
  readonly next: Array<DState | undefined>;
  other?: Map<number, DState>;
  eol?: boolean;
}

export interface LinearRegex {
  readonly source: string;
  test(text: string): boolean;
}

export function compileLinearRegex(source: string): LinearRegex {
  const builder = new Builder();
  const start = parse(source, builder);
  return new Matcher(source, builder.states, start);
}

class Matcher implements LinearRegex {
  private cache = new Map<string, DState>();
  private readonly first: DState;
  /** The states a match can begin in after the first character (no ^ there). */
  private readonly restart: number[];
  private readonly mark: Uint32Array;
  private generation = 0;

  constructor(
    readonly source: string,
    private readonly states: State[],
    start: number,
  ) {
    this.mark = new Uint32Array(states.length);
    this.restart = this.closure([start], false, false);
    this.first = this.stateFor(this.closure([start], true, false));
  }

  test(text: string): boolean {
    let s = this.first;
    if (s.matched) return true;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      let n = c < 128 ? s.next[c] : s.other?.get(c);
      if (n === undefined) n = this.step(s, c);
      s = n;
      if (s.matched) return true;
      if (s.dead) return false;
    }
    if (s.eol === undefined) s.eol = this.closure(Array.from(s.nfa), false, true).some((id) => this.states[id].kind === Kind.Match);
    return s.eol;
  }

  private step(from: DState, c: number): DState {
    const moved: number[] = [];
    for (const id of from.nfa) {
      const st = this.states[id];
      if (st.kind === Kind.Char && st.chars!.has(c)) moved.push(st.out);
    }
    const next = this.stateFor(this.closure([...moved, ...this.restart], false, false));
    if (this.cache.size > MAX_DFA_STATES) {
      this.cache = new Map();
      return next;
    }
    if (c < 128) from.next[c] = next;
    else (from.other ??= new Map()).set(c, next);
    return next;
  }

  /** Every state reachable without reading a character; ^ passes only at the start, $ only at the end. */
  private closure(seeds: readonly number[], atStart: boolean, atEnd: boolean): number[] {
    const gen = ++this.generation;
    const result: number[] = [];
    const stack = [...seeds];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (id < 0 || this.mark[id] === gen) continue;
      this.mark[id] = gen;
      const st = this.states[id];
      switch (st.kind) {
        case Kind.Split:
          stack.push(st.out2, st.out);
          break;
        case Kind.Bol:
          if (atStart) stack.push(st.out);
          break;
        case Kind.Eol:
          // Kept in the set: at the end of the text it may still lead to a match.
          if (atEnd) stack.push(st.out);
          else result.push(id);
          break;
        default:
          result.push(id);
      }
    }
    return result.sort((a, b) => a - b);
  }

  private stateFor(ids: number[]): DState {
    const key = ids.join(',');
    let s = this.cache.get(key);
    if (!s) {
      const matched = ids.some((id) => this.states[id].kind === Kind.Match);
      const live = ids.some((id) => this.states[id].kind === Kind.Char || this.states[id].kind === Kind.Eol);
      // Every field from the start, so that all states share one shape and the loop in test() stays monomorphic.
      s = { nfa: Int32Array.from(ids), matched, dead: !matched && !live && this.restart.length === 0, next: new Array(128).fill(undefined), other: undefined, eol: undefined };
      this.cache.set(key, s);
    }
    return s;
  }
}
