/**
 * The one place where strings from the config (and so from AWS, which `init` copies into it) become Terraform JSON.
 *
 * In Terraform's JSON syntax every string is a template: `${...}` is evaluated (a config value could read files or
 * environment variables of the machine running the plan) and `%{...}` is a directive. `$${` and `%%{` are their escapes
 * and stand for the literal text. Both stacks pass their whole model through `terraformLiterals` before building a
 * construct, so no construct ever sees an unescaped value, and nothing else in the code base escapes.
 *
 * cdktf itself reads `${TfToken[`, `#{TfToken[` and `&{TfToken[` inside any string as references to its own tokens.
 * The config refuses them (config/load.ts); meeting one here is a bug, and synthesis stops.
 */

const CDKTF_TOKEN_MARKER = /[$#&]\{TfToken\[/;

/** The text as a Terraform template that evaluates to exactly that text. */
export function terraformLiteral(text: string): string {
  // Every template sequence and token marker holds a brace; most text holds none.
  if (!text.includes('{')) return text;
  if (CDKTF_TOKEN_MARKER.test(text)) {
    throw new Error(`a config value holds a cdktf token marker (${JSON.stringify(text.slice(0, 40))}), which the config loader should have refused`);
  }
  // A function, not a replacement string: in one, `$$` would stand for a single `$`.
  return text.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{');
}

/**
 * A copy of plain data with every string, keys included, made a Terraform literal. The copy of an object or array is
 * frozen and remembered for as long as the original lives (a model is not changed once validated): a fleet's stacks
 * share most of their model (every cluster's detections come from one catalog), and each shared part is made literal
 * once.
 */
export function terraformLiterals<T>(value: T): T {
  return literalize(value) as T;
}

const LITERALS = new WeakMap<object, unknown>();

function literalize(value: unknown): unknown {
  if (typeof value === 'string') return terraformLiteral(value);
  if (value === null || typeof value !== 'object') return value;
  const known = LITERALS.get(value);
  if (known !== undefined) return known;
  let copy: unknown;
  if (Array.isArray(value)) {
    copy = value.map(literalize);
  } else {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new Error(`terraformLiterals takes plain data, not ${proto?.constructor?.name ?? 'an object'}`);
    copy = Object.fromEntries(Object.entries(value).map(([k, v]) => [terraformLiteral(k), literalize(v)]));
  }
  LITERALS.set(value, Object.freeze(copy));
  return copy;
}
