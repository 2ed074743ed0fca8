/**
 * The text cdktf 0.21.0 writes a stack's JSON as: json-stable-stringify 1.3 with `{ space: 2 }`, written for speed.
 *
 * cdktf's StackSynthesizer writes every stack through json-stable-stringify, which builds each indent anew, calls every
 * array method through a bound wrapper and looks each object up in a list of its ancestors: a seventh of a fleet's
 * synth time. Its text is nearly what `JSON.stringify(value, null, 2)` writes with keys sorted, and that is how it is
 * written here: a key-sorted copy goes to the engine's own JSON.stringify. Their rules differ in two places, both kept:
 * - an empty object or array still breaks its line (`{`, newline, indent, `}`). The copy holds a placeholder string
 *   there, and each placeholder is replaced in the text;
 * - keys are sorted as strings, so `"10"` comes before `"9"`, where JSON.stringify puts keys that are array indices
 *   first, in numeric order. A value with such a key (or a key `__proto__`, or a string holding a placeholder's start)
 *   is written by `written` below, which follows json-stable-stringify step by step.
 * Both ways call an object's `toJSON` without a key, leave `undefined`, functions and symbols out of objects (`null` in arrays),
 * and raise a TypeError on a cycle. test/stacks/stable-json.test.ts compares them with json-stable-stringify on hostile
 * values, and test/stacks/synthesis.test.ts compares whole stacks with a plain cdktf app's, byte for byte.
 */

/** What every placeholder starts with. A string of the value holding it goes the slow way, so it is never mistaken. */
const PLACEHOLDER = '\u0000aurora-audit:';
const EMPTY_OBJECT = `${PLACEHOLDER}{}\u0000`;
const EMPTY_ARRAY = `${PLACEHOLDER}[]\u0000`;
/** A placeholder as JSON.stringify writes it: up to its brackets, and whole. */
const WRITTEN_START = JSON.stringify(PLACEHOLDER).slice(0, -1);
const WRITTEN_PLACEHOLDER = JSON.stringify(EMPTY_OBJECT);

/** Why the fast way cannot write a value. */
class NotNative extends Error {}

/** `value` as json-stable-stringify(value, { space: 2 }) writes it; undefined where it gives undefined. */
export function stableJson(value: unknown): string | undefined {
  let copy: unknown;
  try {
    copy = sortedCopy(value, []);
  } catch (error) {
    if (error instanceof NotNative) return written(value, 0, new Set());
    throw error;
  }
  const text = JSON.stringify(copy, null, 2) as string | undefined;
  return text === undefined ? undefined : withEmpties(text);
}

/** The placeholders in `text` replaced by the empty objects and arrays they stand for, each closed at its line's indent. */
function withEmpties(text: string): string {
  let at = text.indexOf(WRITTEN_START);
  if (at < 0) return text;
  let out = '';
  let from = 0;
  while (at >= 0) {
    const lineStart = text.lastIndexOf('\n', at) + 1;
    let indentEnd = lineStart;
    while (text.charCodeAt(indentEnd) === 32) indentEnd++;
    const brackets = text.slice(at + WRITTEN_START.length, at + WRITTEN_START.length + 2);
    out += `${text.slice(from, at)}${brackets[0]}\n${text.slice(lineStart, indentEnd)}${brackets[1]}`;
    from = at + WRITTEN_PLACEHOLDER.length;
    at = text.indexOf(WRITTEN_START, from);
  }
  return out + text.slice(from);
}

/** A copy with keys in sorted order, `toJSON` applied and placeholders for empties; NotNative where that cannot do. */
function sortedCopy(node: unknown, ancestors: object[]): unknown {
  if (typeof node === 'object' && node !== null && typeof (node as { toJSON?: unknown }).toJSON === 'function') node = (node as { toJSON: () => unknown }).toJSON();
  switch (typeof node) {
    case 'string':
      if (node.includes(PLACEHOLDER)) throw new NotNative();
      return node;
    case 'object':
      if (node === null) return null;
      break;
    case 'function':
    case 'symbol':
      return undefined;
    default:
      return node;
  }
  if (Array.isArray(node)) {
    if (node.length === 0) return EMPTY_ARRAY;
    const out: unknown[] = new Array(node.length);
    for (let i = 0; i < node.length; i++) out[i] = sortedCopy(node[i], ancestors) ?? null;
    return out;
  }
  // A list, as json-stable-stringify keeps it: a stack's JSON is a few levels deep.
  if (ancestors.includes(node)) throw new TypeError('Converting circular structure to JSON');
  ancestors.push(node);
  const object = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  let empty = true;
  for (const key of Object.keys(object).sort()) {
    // An index key JSON.stringify would put first; __proto__, which an assignment cannot make a key; a placeholder.
    if (isArrayIndex(key) || key === '__proto__' || key.includes(PLACEHOLDER)) throw new NotNative();
    const value = sortedCopy(object[key], ancestors);
    if (value === undefined) continue;
    out[key] = value;
    empty = false;
  }
  ancestors.pop();
  return empty ? EMPTY_OBJECT : out;
}

function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;
}

const INDENTS: string[] = ['\n'];

/** A newline and `level` two-space indents. */
function indent(level: number): string {
  for (let i = INDENTS.length; i <= level; i++) INDENTS.push(`${INDENTS[i - 1]}  `);
  return INDENTS[level];
}

/** json-stable-stringify's own steps, for what the fast way cannot write. */
function written(node: unknown, level: number, ancestors: Set<object>): string | undefined {
  if (node && typeof (node as { toJSON?: unknown }).toJSON === 'function') node = (node as { toJSON: () => unknown }).toJSON();
  if (node === undefined) return undefined;
  if (typeof node !== 'object' || node === null) return JSON.stringify(node);
  const inner = indent(level + 1);
  if (Array.isArray(node)) {
    let out = '';
    for (let i = 0; i < node.length; i++) out += `${i === 0 ? '' : ','}${inner}${written(node[i], level + 1, ancestors) || 'null'}`;
    return `[${out}${indent(level)}]`;
  }
  if (ancestors.has(node)) throw new TypeError('Converting circular structure to JSON');
  ancestors.add(node);
  const object = node as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(object).sort()) {
    const value = written(object[key], level + 1, ancestors);
    if (!value) continue;
    out += `${out === '' ? '' : ','}${inner}${JSON.stringify(key)}: ${value}`;
  }
  ancestors.delete(node);
  return `{${out}${indent(level)}}`;
}
