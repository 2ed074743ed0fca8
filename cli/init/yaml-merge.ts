/**
 * Writes new values into an existing YAML document without disturbing the rest: only keys whose value changed are
 * rewritten, comments and keys init does not manage stay where they are, and list items (targets, clusters) are
 * matched by what identifies them rather than by position.
 */
import { Document, isMap, isScalar, isSeq, visit, type Node, type YAMLMap, type YAMLSeq } from 'yaml';

/** How to tell list items apart, by the list's key: a target by account and region, a cluster by identifier. */
export const ITEM_IDENTITY: Record<string, (item: Record<string, unknown>) => string> = {
  targets: (t) => `${t.accountId}/${t.region}`,
  accounts: (a) => String(a.id),
  clusters: (c) => String(c.identifier),
  retired: (r) => `${r.accountId}/${r.region}/${r.identifier}`,
};

/**
 * Maps whose keys init owns: an account's regions, and each region's clusters. Keys the answers no longer hold leave
 * them (a region without clusters, a cluster that is gone), as items leave a keyed list.
 */
type OwnedKeys = 'regions' | 'clusters';

export function mergeIntoDocument(doc: Document, value: Record<string, unknown>): void {
  if (!isMap(doc.contents)) {
    doc.contents = doc.createNode(value) as Node as YAMLMap;
    return;
  }
  mergeMap(doc, doc.contents, value);
}

function mergeMap(doc: Document, node: YAMLMap, value: Record<string, unknown>, owned?: OwnedKeys): void {
  if (owned) {
    node.items = node.items.filter((pair) => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key)) in value);
  }
  for (const [key, next] of Object.entries(value)) {
    if (next === undefined) {
      if (node.has(key)) node.delete(key);
      continue;
    }
    const current = node.get(key, true) as Node | undefined;
    if (isMap(current) && isPlainObject(next)) {
      // Below a region's clusters, each cluster's own fields are the user's too: merged, never pruned.
      mergeMap(doc, current, next, owned === 'regions' ? 'clusters' : owned === undefined && key === 'regions' ? 'regions' : undefined);
    } else if (isSeq(current) && Array.isArray(next) && ITEM_IDENTITY[key] && next.every(isPlainObject)) {
      mergeKeyedList(doc, current, next as Array<Record<string, unknown>>, ITEM_IDENTITY[key]);
    } else if (!current || !sameValue(current, next)) {
      const replacement = compact(doc.createNode(next)) as Node;
      if (owned === 'regions' && isMap(replacement)) replacement.flow = true;
      if (current) {
        // The comments around a value belong to the key, not to the old value: keep them.
        replacement.comment = current.comment;
        replacement.commentBefore = current.commentBefore;
        replacement.spaceBefore = current.spaceBefore;
      }
      node.set(key, replacement);
    }
  }
}

function mergeKeyedList(doc: Document, node: YAMLSeq, next: ReadonlyArray<Record<string, unknown>>, identity: (item: Record<string, unknown>) => string): void {
  const existing = new Map<string, YAMLMap>();
  for (const item of node.items) {
    if (isMap(item)) existing.set(identity(item.toJSON() as Record<string, unknown>), item);
  }
  const wanted = new Set(next.map(identity));
  // Drop what is no longer wanted, keep the rest in place (with its comments), and append what is new.
  node.items = node.items.filter((item) => !isMap(item) || wanted.has(identity(item.toJSON() as Record<string, unknown>)));
  for (const item of next) {
    const match = existing.get(identity(item));
    if (match) mergeMap(doc, match, item);
    else node.items.push(compact(doc.createNode(item)) as YAMLMap);
  }
}

function sameValue(node: Node, value: unknown): boolean {
  return JSON.stringify(node.toJSON()) === JSON.stringify(value);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A new document for the answers, with a header that says where it came from. */
export function newDocument(value: Record<string, unknown>, header: string): Document {
  const doc = new Document(stripUndefinedDeep(value));
  compact(doc.contents as Node);
  doc.commentBefore = header;
  return doc;
}

function stripUndefinedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripUndefinedDeep);
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, stripUndefinedDeep(v)]));
  }
  return value;
}

/**
 * Lists of plain values read best on one line: events: [CONNECT, QUERY_DDL]. So does a region's map of clusters
 * (eu-west-1: { payments: aurora-mysql8.4 }), with each cluster's own mapping.
 */
function compact<T>(node: T): T {
  visit(node as Node, {
    Seq(_, seq) {
      if (seq.items.every((item) => isScalar(item))) seq.flow = true;
    },
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === 'regions' && isMap(pair.value)) {
        for (const region of pair.value.items) if (isMap(region.value)) region.value.flow = true;
      }
    },
  });
  return node;
}

/**
 * The yaml library writes one space before every end-of-line comment; a line that only differs from one of the file
 * by that spacing keeps the file's own (comments aligned by hand stay aligned).
 */
export function keepCommentAlignment(original: string, output: string): string {
  const normal = (line: string) => line.replace(/\s+#/, ' #');
  const own = new Map<string, string>();
  for (const line of original.split('\n')) if (line.includes('#') && !own.has(normal(line))) own.set(normal(line), line);
  return output
    .split('\n')
    .map((line) => (line.includes(' #') ? (own.get(normal(line)) ?? line) : line))
    .join('\n');
}

/**
 * The yaml library always puts a blank line before a comment at the end of a document; keep the file's own spacing
 * there, so that a comment the user added at the end does not move.
 */
export function keepTrailingCommentSpacing(original: string, output: string): string {
  const trailing = /\n((?:#[^\n]*\n)+)$/.exec(original)?.[1];
  if (!trailing || /\n\n(?:#[^\n]*\n)+$/.test(original)) return output;
  return output.endsWith(`\n\n${trailing}`) ? `${output.slice(0, -trailing.length - 1)}${trailing}` : output;
}
