/**
 * stacks/stable-json.ts writes what cdktf writes a stack with, json-stable-stringify 1.3 with `{ space: 2 }`, byte for
 * byte: on the values its two ways part at (empties, index keys, placeholders' text, __proto__), on values shaped to
 * break a text-level fix-up (brackets, quotes, escapes and newlines inside strings), and on random trees.
 */
import * as path from 'node:path';
import { stableJson } from '../../stacks/fast-synthesis/stable-json';

/** The json-stable-stringify cdktf itself loads (its own dependency, not ours). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const stringify = require(require.resolve('json-stable-stringify', { paths: [path.dirname(require.resolve('cdktf'))] })) as (value: unknown, options: { space: number }) => string | undefined;
const cdktfWrites = (value: unknown) => stringify(value, { space: 2 });

describe('stableJson', () => {
  const placeholderText = '\u0000aurora-audit:{}\u0000';
  const cases: Array<[string, unknown]> = [
    ['scalars', [1, -0, 1.5e300, NaN, Infinity, true, false, null, '', 'x']],
    ['an empty object at the top', {}],
    ['an empty array at the top', []],
    ['empties at every depth, in arrays and objects', { a: {}, b: [], c: [{}, [], [[]], { d: {} }], e: { f: { g: [] } } }],
    ['objects whose every value is undefined are empty', { a: { b: undefined }, c: [{ d: undefined }] }],
    ['undefined, functions and symbols: left out of objects, null in arrays', { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('t')] }],
    ['keys sorted as strings, index keys among them', { 9: 'nine', 10: 'ten', b: 1, a: 2, '01': 'zero-one', '-1': 'minus' }],
    ['a key past the largest array index', { '4294967295': 'x', '4294967294': 'y', a: 1 }],
    ['a __proto__ key', JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')],
    ['a placeholder\'s own text as a value, a key and inside a string', { v: placeholderText, [placeholderText]: 1, w: `x"${placeholderText}"`, e: {} }],
    ['a placeholder\'s text written out', { v: '\\u0000aurora-audit:{}\\u0000', w: '"\\u0000aurora-audit:[]\\u0000"', e: [] }],
    ['brackets, quotes, escapes and newlines inside strings', { s: '{}', t: '[]', u: '"{}"', v: 'a\n  }', w: '\\"', x: '\u2028\u2029', y: '\ud800', z: [''] }],
    ['toJSON, called without a key', { d: new Date(0), t: { toJSON: (key?: string) => ({ key: key ?? 'none', e: {} }) } }],
    ['deep nesting', JSON.parse(`${'{"a":['.repeat(30)}{}${']}'.repeat(30)}`)],
  ];

  test.each(cases)('%s', (_label, value) => {
    expect(stableJson(value)).toEqual(cdktfWrites(value));
  });

  test('what cannot be written is undefined, as with json-stable-stringify', () => {
    expect(stableJson(undefined)).toBeUndefined();
    expect(stableJson(() => 1)).toBeUndefined();
  });

  test('a cycle is a TypeError both ways', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(() => cdktfWrites(cycle)).toThrow(TypeError);
    expect(() => stableJson(cycle)).toThrow(TypeError);
    // The same object twice, not inside itself, is no cycle.
    const shared = { x: {} };
    expect(stableJson({ a: shared, b: [shared, shared] })).toEqual(cdktfWrites({ a: shared, b: [shared, shared] }));
  });

  test('random trees', () => {
    // A fixed-seed generator: the same trees on every run.
    let seed = 20261130;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];
    const strings = ['', 'a', 'b c', '{}', '[]', '"', '\\', '\n', '1', '10', '2', 'ü', '${x}', 'aurora-audit:{}', '\u0000'];
    const tree = (depth: number): unknown => {
      const kind = depth > 4 ? pick(['s', 'n', 'b', 'null', 'u']) : pick(['s', 'n', 'b', 'null', 'u', 'o', 'o', 'a', 'a']);
      if (kind === 's') return pick(strings);
      if (kind === 'n') return pick([0, 1, -1, 2.5, 1e21, NaN]);
      if (kind === 'b') return next() < 0.5;
      if (kind === 'null') return null;
      if (kind === 'u') return undefined;
      const size = Math.floor(next() * 4);
      if (kind === 'a') return Array.from({ length: size }, () => tree(depth + 1));
      return Object.fromEntries(Array.from({ length: size }, () => [pick(strings), tree(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const value = tree(0);
      expect({ i, text: stableJson(value) }).toEqual({ i, text: cdktfWrites(value) });
    }
  });
});
