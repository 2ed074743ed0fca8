/**
 * cdktf's resolve, with a short way through plain data.
 *
 * cdktf's resolve walks every value of a stack's JSON and, for each one, builds a resolution context and runs its
 * token regular expressions: half of a fleet's synth time, though most values (names, policy text, patterns) hold no
 * token at all. Here a value that cannot hold a token comes back as cdktf's resolve would give it: undefined dropped
 * from objects and arrays, everything else as it is (a plain object or array that needs no change is returned itself,
 * not copied). Anything that might hold one (a string with a token marker or something shaped like an encoded number,
 * a number in a token's bit pattern, a resolvable, a construct, a function) goes to cdktf's resolve unchanged.
 * test/stacks/synthesis.test.ts compares the output with a plain cdktf app's, byte for byte, and
 * test/stacks/plain-resolve.test.ts compares the two resolves value by value.
 */

/** Every token marker cdktf 0.21.0 writes into a string: `${TfToken[`, `#{TfToken[` (list) and `&{TfToken[` (map). */
const TOKEN_MARKER = '{TfToken[';
/** cdktf's own test for a number token written into a string (encoding.ts, NUMBER_TOKEN_REGEX), without `g`. */
const NUMBER_IN_STRING = /[-|\d|.+]+(e[-|\d|.|e|E|+]+)/;
/** The placeholders cdktf puts where a map token stands; its resolve rejects them, so they go to it. */
const MAP_TOKEN_PLACEHOLDERS: ReadonlySet<unknown> = new Set(['String Map Token Value', 'Any Map Token Value', -123456789]);

const DOUBLE = new Float64Array(1);
const WORDS = new Uint32Array(DOUBLE.buffer);
/** The top 16 bits cdktf gives an encoded number token (0xfdff) and an encoded list-of-numbers token (0xfbff). */
const TOKEN_BITS = new Set([0xfdff, 0xfbff]);

function mayHoldToken(value: string | number): boolean {
  if (typeof value === 'number') {
    if (MAP_TOKEN_PLACEHOLDERS.has(value)) return true;
    DOUBLE[0] = value;
    return TOKEN_BITS.has(WORDS[1] >>> 16);
  }
  return value.includes(TOKEN_MARKER) || NUMBER_IN_STRING.test(value) || MAP_TOKEN_PLACEHOLDERS.has(value);
}

/**
 * Resolves `value` as `resolve` (cdktf's) would, calling it only for the parts that may hold a token.
 * `resolve` must be cdktf's resolve with the stack's scope and resolver.
 */
export function resolvePlain(value: unknown, resolve: (value: unknown) => unknown): unknown {
  switch (typeof value) {
    case 'undefined':
    case 'boolean':
    case 'bigint':
    case 'symbol':
      return value;
    case 'string':
    case 'number':
      return mayHoldToken(value) ? resolve(value) : value;
    case 'function':
      return resolve(value);
  }
  if (value === null || value instanceof Date) return value;
  if (Array.isArray(value)) {
    if (value.some((x) => (typeof x === 'string' || typeof x === 'number') && mayHoldToken(x))) return resolve(value);
    // Copied only from the first item that changes: most arrays come back as they are, and are not copied at all.
    let out: unknown[] | undefined = Object.getPrototypeOf(value) === Array.prototype ? undefined : [];
    for (let i = 0; i < value.length; i++) {
      const resolved = resolvePlain(value[i], resolve);
      if (!out && (resolved !== value[i] || resolved === undefined)) out = value.slice(0, i);
      if (out && resolved !== undefined) out.push(resolved);
    }
    return out ?? value;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  // A resolvable, a construct (which cdktf's resolve rejects) or a key that may hold a token: all cdktf's.
  if (typeof object.resolve === 'function' || (object._children !== undefined && object._metadata !== undefined) || keys.some(mayHoldToken)) {
    return resolve(value);
  }
  // As with arrays, a plain object is copied only from its first key whose value changes; any other object always is.
  const proto = Object.getPrototypeOf(object);
  let out: Record<string, unknown> | undefined = proto === Object.prototype || proto === null ? undefined : {};
  for (let i = 0; i < keys.length; i++) {
    const resolved = resolvePlain(object[keys[i]], resolve);
    if (!out && (resolved !== object[keys[i]] || resolved === undefined)) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]] = object[keys[j]];
    }
    if (out && resolved !== undefined) out[keys[i]] = resolved;
  }
  return out ?? object;
}
