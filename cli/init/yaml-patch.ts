/**
 * A config rewritten where a value changed, and nowhere else: every line whose value is the same stays byte for byte
 * (flow collections and their spacing, end-of-line comments, quoting, key order, blank lines). The new text is the
 * original with splices: a changed scalar in place of the old one (in the old quoting), a changed flow collection in
 * place of the old one, a removed key or list item taken out with its lines, a new key or item added after the last
 * one, at the same indentation.
 *
 * It is checked, not trusted: the result must read back as exactly the value wanted, or patchYaml gives undefined and
 * the caller writes the whole document instead.
 */
import { Document, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Node, type Pair, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';

interface Splice {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/** How to tell the items of a keyed list apart: the same identities yaml-merge.ts matches them by. */
export type ListIdentity = Record<string, (item: Record<string, unknown>) => string>;

/** The original text changed only where its value differs from `wanted`; undefined when that cannot be done safely. */
export function patchYaml(text: string, wanted: unknown, identities: ListIdentity): string | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  const ctx: Context = { text, splices: [], identities, padding: /[{[] \S/.test(text), js: (node) => (node && typeof node === 'object' && 'toJS' in node ? (node as Node).toJS(doc) : node) };
  try {
    patchNode(doc.contents, wanted, ctx, undefined);
  } catch {
    return undefined;
  }
  let out = text;
  for (const s of [...ctx.splices].sort((a, b) => b.from - a.from || b.to - a.to)) out = out.slice(0, s.from) + s.text + out.slice(s.to);
  const back = parseDocument(out);
  if (back.errors.length > 0 || JSON.stringify(back.toJS()) !== JSON.stringify(wanted)) return undefined;
  return out;
}

interface Context {
  readonly text: string;
  readonly splices: Splice[];
  readonly identities: ListIdentity;
  /** Whether the file writes flow collections with inner spaces: `{ a: 1 }` rather than `{a: 1}`. */
  readonly padding: boolean;
  /** A node's value as the document reads it: aliases resolved. */
  readonly js: (node: unknown) => unknown;
}

/** A refusal to patch: the caller writes the whole document. */
class CannotPatch extends Error {}

const same = (ctx: Context, node: unknown, value: unknown) => JSON.stringify(ctx.js(node)) === JSON.stringify(value);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function patchNode(node: Node | null | undefined, wanted: unknown, ctx: Context, listKey: string | undefined): void {
  if (same(ctx, node, wanted)) return;
  if (!node || !node.range) throw new CannotPatch();
  if (isScalar(node) && !isObject(wanted) && !Array.isArray(wanted)) return replace(ctx, node, renderScalar(node, wanted));
  if (isMap(node) && isObject(wanted)) {
    if (node.flow) return replace(ctx, node, renderFlow(wanted, ownPadding(node, ctx)));
    return patchBlockMap(node, wanted, ctx);
  }
  if (isSeq(node) && Array.isArray(wanted)) {
    if (node.flow) return replace(ctx, node, renderFlow(wanted, ownPadding(node, ctx)));
    const identity = listKey ? ctx.identities[listKey] : undefined;
    if (identity && wanted.every(isObject)) return patchKeyedList(node, wanted as Array<Record<string, unknown>>, identity, ctx);
    return patchBlockSeq(node, wanted, ctx);
  }
  throw new CannotPatch();
}

function replace(ctx: Context, node: Node, text: string): void {
  ctx.splices.push({ from: node.range![0], to: node.range![1], text });
}

function renderScalar(node: Scalar, value: unknown): string {
  if (typeof value === 'string' && node.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (typeof value === 'string' && node.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  const doc = new Document(value);
  const text = doc.toString({ lineWidth: 0 }).replace(/\n$/, '');
  if (text.includes('\n')) throw new CannotPatch();
  return text;
}

/** Whether a flow collection of the file is written with inner spaces (`{ a: 1 }`); empty ones say nothing. */
function ownPadding(node: Node, ctx: Context): boolean {
  const source = ctx.text.slice(node.range![0], node.range![1]);
  return /^[{[]\s*[}\]]$/.test(source) ? ctx.padding : /^[{[] /.test(source);
}

function renderFlow(value: unknown, padding: boolean): string {
  const doc = new Document(value);
  visit(doc, {
    Map(_, map) {
      map.flow = true;
    },
    Seq(_, seq) {
      seq.flow = true;
    },
  });
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: padding }).replace(/\n$/, '');
  if (text.includes('\n')) throw new CannotPatch();
  return text;
}

/** A value written as a block at `indent`, styled as init writes new values (scalar lists and regions' maps in flow). */
function renderBlock(value: unknown, indent: number, ctx: Context): string[] {
  const doc = new Document(value);
  visit(doc, {
    Seq(_, seq) {
      if (seq.items.every((item) => isScalar(item))) seq.flow = true;
    },
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'regions' && isMap(pair.value)) {
        for (const region of pair.value.items) if (isMap(region.value)) region.value.flow = true;
      }
    },
  });
  return doc
    .toString({ lineWidth: 0, flowCollectionPadding: ctx.padding })
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => ' '.repeat(indent) + line);
}

/** A pair `key: value` at `indent`: on one line when the value fits one, else the key then the block below it. */
function renderPair(key: string, value: unknown, indent: number, ctx: Context): string[] {
  const head = `${' '.repeat(indent)}${renderKey(key)}:`;
  if (!isObject(value) && !Array.isArray(value)) return [`${head} ${new Document(value).toString({ lineWidth: 0 }).replace(/\n$/, '')}`];
  const block = renderBlock(value, indent + 2, ctx);
  return block.length === 1 && /^\s*[{[]/.test(block[0]) ? [`${head} ${block[0].trimStart()}`] : [head, ...block];
}

function renderKey(key: string): string {
  return new Document(key).toString({ lineWidth: 0 }).replace(/\n$/, '');
}

function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** Just past the newline of the line `at` is on (or the end of the text). */
function nextLineStart(text: string, at: number): number {
  const newline = text.indexOf('\n', at);
  return newline === -1 ? text.length : newline + 1;
}

function column(text: string, at: number): number {
  return at - lineStart(text, at);
}

/** Where a pair's text ends: the end of the line its value (or its key, for an empty value) ends on. */
function pairEnd(pair: Pair, text: string): number {
  const value = pair.value as Node | null;
  const end = value?.range ? value.range[1] : (pair.key as Node).range![1];
  // A block value's end may already be the start of the next line.
  return end > 0 && text[end - 1] === '\n' ? end : nextLineStart(text, end);
}

function patchBlockMap(node: YAMLMap, wanted: Record<string, unknown>, ctx: Context): void {
  const { text } = ctx;
  const pairs = node.items.filter(isPair) as Pair[];
  if (pairs.length !== node.items.length || pairs.some((p) => !isScalar(p.key) || !(p.key as Node).range)) throw new CannotPatch();
  const keyOf = (p: Pair) => String((p.key as Scalar).value);
  for (const pair of pairs) {
    const key = keyOf(pair);
    if (!(key in wanted)) {
      const start = lineStart(text, (pair.key as Node).range![0]);
      // A pair that shares its line with what precedes it (the first pair of a list item) cannot go alone.
      if (text.slice(start, (pair.key as Node).range![0]).trim() !== '') throw new CannotPatch();
      ctx.splices.push({ from: start, to: pairEnd(pair, text), text: '' });
      continue;
    }
    const value = pair.value as Node | null;
    const next = wanted[key];
    if (same(ctx, value, next)) continue;
    const alike = (isScalar(value) && !isObject(next) && !Array.isArray(next)) || (isMap(value) && isObject(next)) || (isSeq(value) && Array.isArray(next));
    if (value && value.range && alike) {
      patchNode(value, next, ctx, key);
      continue;
    }
    // A value of another kind (a block collection where a scalar was): the pair is written again, at its place.
    const at = (pair.key as Node).range![0];
    if (text.slice(lineStart(text, at), at).trim() !== '') throw new CannotPatch();
    ctx.splices.push({ from: lineStart(text, at), to: pairEnd(pair, text), text: `${renderPair(key, next, column(text, at), ctx).join('\n')}\n` });
  }
  const added = Object.keys(wanted).filter((k) => !pairs.some((p) => keyOf(p) === k));
  if (added.length === 0) return;
  const last = pairs[pairs.length - 1];
  if (!last) throw new CannotPatch();
  const indent = column(text, (pairs[0].key as Node).range![0]);
  const at = pairEnd(last, text);
  const lines = added.flatMap((k) => renderPair(k, wanted[k], indent, ctx));
  ctx.splices.push({ from: at, to: at, text: `${at === text.length && !text.endsWith('\n') ? '\n' : ''}${lines.join('\n')}\n` });
}

/** A list of mappings told apart by identity: kept items patched in place, gone ones taken out, new ones appended. */
function patchKeyedList(node: YAMLSeq, wanted: ReadonlyArray<Record<string, unknown>>, identity: (item: Record<string, unknown>) => string, ctx: Context): void {
  const { text } = ctx;
  const items = node.items as Node[];
  if (!items.every((i) => isMap(i) && i.range)) throw new CannotPatch();
  const wantedBy = new Map(wanted.map((w) => [identity(w), w]));
  const kept: string[] = [];
  for (const item of items) {
    const id = identity(ctx.js(item) as Record<string, unknown>);
    const next = wantedBy.get(id);
    const dash = dashOf(item, text);
    if (next) {
      kept.push(id);
      patchNode(item, next, ctx, undefined);
    } else {
      ctx.splices.push({ from: lineStart(text, dash), to: itemEnd(item, text), text: '' });
    }
  }
  // Kept items stay in their order; the merge appends what is new after them.
  const order = wanted.map(identity);
  if (JSON.stringify(order.filter((id) => kept.includes(id))) !== JSON.stringify(kept)) throw new CannotPatch();
  const added = wanted.filter((w) => !kept.includes(identity(w)));
  if (added.length === 0) return;
  const last = items[items.length - 1];
  if (!last) throw new CannotPatch();
  const dashColumn = column(text, dashOf(items[0], text));
  const at = itemEnd(last, text);
  const lines = added.flatMap((item) => {
    const block = renderBlock(item, dashColumn + 2, ctx);
    return [`${' '.repeat(dashColumn)}- ${block[0].trimStart()}`, ...block.slice(1)];
  });
  ctx.splices.push({ from: at, to: at, text: `${at === text.length && !text.endsWith('\n') ? '\n' : ''}${lines.join('\n')}\n` });
}

/** A list of plain values written as a block: written again whole, at its place, when it changed. */
function patchBlockSeq(node: YAMLSeq, wanted: readonly unknown[], ctx: Context): void {
  const { text } = ctx;
  const items = node.items as Node[];
  if (items.length === 0 || !items.every((i) => i.range)) throw new CannotPatch();
  const dashColumn = column(text, dashOf(items[0], text));
  const from = lineStart(text, dashOf(items[0], text));
  const to = itemEnd(items[items.length - 1], text);
  const lines = wanted.flatMap((item) => {
    const block = renderBlock(item, dashColumn + 2, ctx);
    return [`${' '.repeat(dashColumn)}- ${block[0].trimStart()}`, ...block.slice(1)];
  });
  ctx.splices.push({ from, to, text: `${lines.join('\n')}\n` });
}

/** The `-` of a block list item. */
function dashOf(item: Node, text: string): number {
  const dash = text.lastIndexOf('-', item.range![0]);
  if (dash < 0 || text.slice(dash + 1, item.range![0]).trim() !== '' || text.slice(lineStart(text, dash), dash).trim() !== '') throw new CannotPatch();
  return dash;
}

function itemEnd(item: Node, text: string): number {
  const end = item.range![1];
  return end > 0 && text[end - 1] === '\n' ? end : nextLineStart(text, end);
}
