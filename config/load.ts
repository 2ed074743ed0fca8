/**
 * Finds, reads and validates aurora-audit.yaml. Either the whole file is valid and a model comes back, or a
 * ConfigError lists every problem; nothing downstream runs on a half-valid config.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLMap } from 'yaml';
import type { z } from 'zod';
import type { AuditModel } from './model';
import { packageRoot } from './package-root';
import { ConfigError, formatPath, problemsFromIssues, show, type PathSegment, type Problem, type SourceLookup } from './problems';
import { FileTooLargeError, NotUtf8Error, readFileBounded } from './read-bounded';
import { resolveConfig } from './resolve';
import { configSchema, type ConfigInput } from './schema';
import { textProblem } from './text';

/** A config is a small text file; anything larger is refused before it is parsed (a /dev/zero stays harmless). */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;
/** YAML aliases may repeat a node at most this many times in all: enough for real configs, not for an alias bomb. */
export const MAX_ALIAS_EXPANSIONS = 1000;

export const CONFIG_FILE_NAME = 'aurora-audit.yaml';
export const CONFIG_ENV_VAR = 'AURORA_AUDIT_CONFIG';
/** The example that ships with the package, used by `synth` and `validate` when no config exists yet. */
export function bundledExample(): string {
  return path.join(packageRoot(), 'templates', 'quickstart.yaml');
}

export interface LocateOptions {
  /** The --config flag. */
  readonly configFlag?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Fall back to the bundled example when no config is found (the CLI does; the cdktf app does not). */
  readonly allowBundledExample?: boolean;
}

export interface LocatedConfig {
  readonly path: string;
  /** How it was found, for messages: `--config`, `AURORA_AUDIT_CONFIG`, `./aurora-audit.yaml`, `bundled example`. */
  readonly origin: string;
  readonly isBundledExample: boolean;
}

/** `--config`, then AURORA_AUDIT_CONFIG, then ./aurora-audit.yaml, then (if allowed) the bundled example. */
export function locateConfig(opts: LocateOptions = {}): LocatedConfig {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const given: Array<[string, string | undefined]> = [
    ['--config', opts.configFlag],
    [CONFIG_ENV_VAR, env[CONFIG_ENV_VAR] || undefined],
  ];
  for (const [origin, value] of given) {
    if (value === undefined) continue;
    // An empty --config would resolve to the directory itself: said as what it is.
    if (value.trim() === '') {
      throw new ConfigError('', [{ path: '', message: `${origin} is empty; give the path of the config file (${CONFIG_FILE_NAME})` }], origin === '--config' ? '--config' : '$AURORA_AUDIT_CONFIG');
    }
    const file = path.resolve(cwd, value);
    if (!fs.existsSync(file)) {
      throw new ConfigError(value, [{ path: '', message: `${origin} names ${JSON.stringify(value)}, which does not exist` }], origin === '--config' ? '--config' : '$AURORA_AUDIT_CONFIG');
    }
    return { path: file, origin, isBundledExample: false };
  }
  const local = path.join(cwd, CONFIG_FILE_NAME);
  if (fs.existsSync(local)) return { path: local, origin: `./${CONFIG_FILE_NAME}`, isBundledExample: false };
  if (opts.allowBundledExample) return { path: bundledExample(), origin: 'bundled example', isBundledExample: true };
  const example = path.relative(cwd, bundledExample());
  throw new ConfigError(CONFIG_FILE_NAME, [
    {
      path: '',
      message: `no config found: pass --config FILE, set ${CONFIG_ENV_VAR}, or create ./${CONFIG_FILE_NAME} (aurora-audit init writes one; or start from the example: cp ${example.startsWith('..') ? bundledExample() : example} ${CONFIG_FILE_NAME}). Without a terminal, or with CI set, aurora-audit never falls back to the bundled example`,
    },
  ], 'no config');
}

export function loadConfig(opts: LocateOptions = {}): { model: AuditModel; located: LocatedConfig } {
  const located = locateConfig(opts);
  return { model: parseConfig(readConfigText(located.path), located.path, located.isBundledExample), located };
}

/** The file's text, read without ever holding more than MAX_CONFIG_BYTES. */
export function readConfigText(file: string): string {
  const fail = (message: string) => new ConfigError(file, [{ path: '', message }]);
  try {
    return readFileBounded(file, MAX_CONFIG_BYTES);
  } catch (e) {
    // The line starts with the file's name: the message does not repeat it.
    if (e instanceof FileTooLargeError) throw fail(`is larger than ${MAX_CONFIG_BYTES / 1024 / 1024} MiB; a config is a small YAML text file`);
    if (e instanceof NotUtf8Error) throw new ConfigError(file, [{ path: '', message: e.why, line: e.line }]);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EISDIR') throw fail('is a directory; give the config file');
    throw fail(`cannot be read: ${code ?? (e as Error).message}`);
  }
}

/** Parses YAML text into the validated model, or throws a ConfigError with every problem found. */
export function parseConfig(text: string, file: string, isBundledExample = false): AuditModel {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    // Duplicate keys are checked below in one pass; the yaml library's own check compares every key with every
    // other key of its map, which takes minutes on a hostile file with many keys.
    doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
  } catch (e) {
    if (e instanceof RangeError) throw new ConfigError(file, [{ path: '', message: 'not valid YAML: it nests too deeply to be a config' }]);
    throw e;
  }
  const line = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({
        path: '',
        // The parser gives up on very deep nesting with the engine's own words.
        message: /call stack/i.test(e.message) ? 'not valid YAML: it nests too deeply to be a config' : `not valid YAML: ${e.message.split('\n')[0]}`,
        line: line(e.pos[0]),
      })),
    );
  }
  const structural = structuralProblems(doc, line);
  if (structural.length > 0) throw new ConfigError(file, structural);

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (e) {
    if (e instanceof ReferenceError || e instanceof RangeError) {
      throw new ConfigError(file, [
        { path: '', message: `not a usable config: its YAML aliases expand too far (more than ${MAX_ALIAS_EXPANSIONS} repetitions, or nested too deeply), which only an alias bomb needs` },
      ]);
    }
    throw e;
  }
  const source = sourceLookup(doc, lineCounter);

  if (data === null || data === undefined) {
    throw new ConfigError(file, [{ path: '', message: 'the file is empty; start from templates/quickstart.yaml' }]);
  }
  const textProblems = findTextProblems(data, source);
  if (textProblems.length > 0) throw new ConfigError(file, textProblems);
  const parsed = configSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const shape = problemsFromIssues(parsed.error.issues, source, (p) => allowedKeysAt(configSchema, p, data));
    // Every problem in one run: the rules that span fields are still checked on the parts without a type error.
    const rest = withoutBrokenParts(data, parsed.error.issues);
    const more = rest ? resolveConfig(rest.config, { sourcePath: file, isBundledExample, source }).problems.filter((p) => !rest.consequence(p)) : [];
    throw new ConfigError(file, sortProblems([...shape, ...more]));
  }
  const { model, problems } = resolveConfig(parsed.data, { sourcePath: file, isBundledExample, source });
  if (!model) throw new ConfigError(file, sortProblems(problems));
  return model;
}

/**
 * The config without the parts that have a type error, for the rules that span fields: each broken cluster, target,
 * account, retired entry or custom detection is left out where it stands (null, so every other one keeps its index and
 * its path), and a broken top-level section, group or region is dropped. Undefined when what is left still does not
 * have the right shape. `consequence` tells a problem that only the dropped parts caused (a section now missing).
 */
function withoutBrokenParts(
  data: unknown,
  issues: readonly z.core.$ZodIssue[],
): { config: ConfigInput; consequence: (p: Problem) => boolean } | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const copy = structuredClone(data) as Record<string, unknown>;
  const dropped: string[] = [];
  const LISTS = new Set(['targets', 'accounts', 'retired', 'customDetections']);
  for (const issue of issues) {
    const p = issue.path as PathSegment[];
    let unit: PathSegment[];
    if (p.length === 0) {
      // Unknown keys at the top: leave them out; anything else at the top cannot be worked around.
      if (issue.code !== 'unrecognized_keys') return undefined;
      for (const key of issue.keys) delete copy[key];
      continue;
    } else if (p[0] === 'targets' && p[2] === 'clusters' && p.length >= 4) unit = p.slice(0, 4);
    else if (p[0] === 'accounts' && p[2] === 'regions' && p.length >= 4) unit = p.slice(0, Math.min(p.length, 5));
    else if (LISTS.has(String(p[0])) && p.length >= 2) unit = p.slice(0, 2);
    else if (p[0] === 'groups' && p.length >= 2) unit = p.slice(0, 2);
    else if (p[0] === 'version') {
      copy.version = 1;
      continue;
    } else unit = p.slice(0, 1);
    const parent = unit.slice(0, -1).reduce<unknown>((node, seg) => (node as Record<string | number, unknown> | null)?.[seg], copy);
    const last = unit[unit.length - 1];
    if (Array.isArray(parent)) parent[last as number] = null;
    else if (parent && typeof parent === 'object') delete (parent as Record<string, unknown>)[last as string];
    dropped.push(formatPath(unit));
  }
  // What is left must have the right shape once the left-out entries are taken out of their lists.
  const compacted = structuredClone(copy);
  for (const key of LISTS) if (Array.isArray(compacted[key])) compacted[key] = (compacted[key] as unknown[]).filter((x) => x !== null);
  for (const t of (compacted.targets as Array<{ clusters?: unknown[] }> | undefined) ?? []) if (Array.isArray(t.clusters)) t.clusters = t.clusters.filter((x) => x !== null);
  const parsed = configSchema.safeParse(compacted);
  if (!parsed.success) return undefined;
  // Defaults of the compacted parse (none today) would be lost: the config resolved is the copy, with its holes.
  const sectionDropped = dropped.some((d) => !/[.[]/.test(d));
  return {
    config: copy as unknown as ConfigInput,
    consequence: (problem) =>
      (sectionDropped && problem.message.startsWith('is required')) ||
      dropped.some((d) => problem.path === d || problem.path.startsWith(`${d}.`) || problem.path.startsWith(`${d}[`) || problem.message.includes(d)),
  };
}

/** Duplicate keys and aliases to nothing, found in one pass over the document. */
function structuralProblems(doc: Document, line: (offset: number | undefined) => number | undefined): Problem[] {
  const problems: Problem[] = [];
  const anchors = new Set<string>();
  const anchor = (node: Node) => {
    if (node.anchor) anchors.add(node.anchor);
  };
  let tooDeep = false;
  visit(doc, {
    Alias(_, alias, path) {
      if (!anchors.has(alias.source)) {
        problems.push({ path: '', message: `not valid YAML: the alias *${alias.source} names no anchor &${alias.source} defined before it`, line: line(alias.range?.[0]) });
        return;
      }
      // An alias inside the node its anchor names would repeat forever.
      const target = alias.resolve(doc);
      if (target && path.includes(target as never)) {
        problems.push({ path: pathOf([...path, alias]), message: `is the alias *${alias.source} inside &${alias.source} itself, which would repeat forever; write the value out`, line: line(alias.range?.[0]) });
      }
    },
    Scalar: (_, node) => anchor(node),
    Seq(_, node, path) {
      anchor(node);
      if (path.length > MAX_NESTING * 2 && !tooDeep) {
        tooDeep = true;
        problems.push({ path: pathOf(path), message: `nests more than ${MAX_NESTING} levels deep, which no config needs`, line: line(node.range?.[0]) });
        return visit.BREAK;
      }
      return undefined;
    },
    Map(_, map: YAMLMap, path) {
      anchor(map);
      if (path.length > MAX_NESTING * 2 && !tooDeep) {
        tooDeep = true;
        problems.push({ path: pathOf(path), message: `nests more than ${MAX_NESTING} levels deep, which no config needs`, line: line(map.range?.[0]) });
        return visit.BREAK;
      }
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key);
        if (seen.has(key)) {
          problems.push({ path: '', message: `not valid YAML: the key ${JSON.stringify(key).slice(0, 80)} appears twice in one mapping`, line: line((pair.key as Node | null)?.range?.[0]) });
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return problems;
}

/** Mappings and lists nested deeper than this are refused before anything walks them. */
const MAX_NESTING = 32;

/** The config path of a node, from the ancestors `visit` gives: each pair's key, each list's position. */
function pathOf(ancestors: readonly unknown[]): string {
  const segments: PathSegment[] = [];
  ancestors.forEach((node, i) => {
    const next = ancestors[i + 1];
    if (isPair(node)) segments.push(isScalar(node.key) ? String(node.key.value) : '?');
    else if (isSeq(node) && next !== undefined) segments.push(node.items.indexOf(next as never));
  });
  return formatPath(segments);
}

/** Control characters and cdktf's token markers, in any key or value: refused wherever they are. */
function findTextProblems(data: unknown, source: SourceLookup): Problem[] {
  const problems: Problem[] = [];
  const walk = (value: unknown, path: PathSegment[]) => {
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) problems.push({ path: formatPath(path), message: `${show(value)} ${problem}`, line: source.lineAt(path) });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, [...path, i]));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        const problem = textProblem(k);
        if (problem) problems.push({ path: formatPath(path), message: `the key ${show(k)} ${problem}`, line: source.lineAt(path) });
        else walk(v, [...path, k]);
      }
    }
  };
  walk(data, []);
  return problems;
}

/** In file order, each once: a top-level value that is wrong for every target is one problem, not one per target. */
function sortProblems(problems: Problem[]): Problem[] {
  const unique = new Map(problems.map((p) => [`${p.path}\n${p.message}`, p]));
  return [...unique.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function sourceLookup(doc: Document, lineCounter: LineCounter): SourceLookup {
  // Maps are indexed by key on first use, so looking up many paths stays linear in the size of the file.
  const indexes = new WeakMap<YAMLMap, Map<string, Node | null>>();
  const child = (node: unknown, seg: PathSegment): unknown => {
    if (isMap(node)) {
      let index = indexes.get(node);
      if (!index) {
        index = new Map();
        for (const pair of node.items) {
          const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
          if (!index.has(k)) index.set(k, (pair.value ?? pair.key) as Node | null);
        }
        indexes.set(node, index);
      }
      return index.get(String(seg));
    }
    if (isSeq(node) && typeof seg === 'number') return node.items[seg];
    return undefined;
  };
  const node = (p: readonly PathSegment[]) => {
    // Walk down to the deepest node that exists, so a missing key points at its parent's line.
    let current: unknown = doc.contents;
    let depth = 0;
    for (; depth < p.length; depth++) {
      const next = child(current, p[depth]);
      if (!next || !(isScalar(next) || isMap(next) || isSeq(next))) break;
      current = next;
    }
    if (!current || !(isScalar(current) || isMap(current) || isSeq(current))) return undefined;
    return { found: current, exact: depth === p.length };
  };
  return {
    textAt: (p) => {
      const hit = node(p);
      return hit?.exact && isScalar(hit.found) ? hit.found.source : undefined;
    },
    lineAt: (p) => {
      const range = node(p)?.found.range;
      return range ? lineCounter.linePos(range[0]).line : undefined;
    },
  };
}

type AnySchema = z.core.$ZodType;

/** The keys a strict object at `p` accepts, read off the schema itself so messages never drift from it. */
export function allowedKeysAt(schema: AnySchema, p: readonly PathSegment[], data: unknown): string[] {
  let current: AnySchema | undefined = schema;
  let value: unknown = data;
  const unwrap = (s: AnySchema, v: unknown): AnySchema => {
    for (;;) {
      const def = s._zod.def as unknown as Record<string, unknown>;
      if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') s = def.innerType as AnySchema;
      else if (def.type === 'union' && typeof def.discriminator === 'string') {
        const options = def.options as AnySchema[];
        const wanted = (v as Record<string, unknown> | undefined)?.[def.discriminator];
        const match = options.find((o) => {
          const shape = (o._zod.def as unknown as { shape: Record<string, AnySchema> }).shape;
          const literal = shape[def.discriminator as string]._zod.def as unknown as { values: unknown[] };
          return literal.values.includes(wanted);
        });
        s = match ?? options[0];
      } else return s;
    }
  };
  for (const seg of p) {
    current = unwrap(current, value);
    const def = current._zod.def as unknown as Record<string, unknown>;
    if (def.type === 'array') current = def.element as AnySchema;
    else if (def.type === 'object') current = (def.shape as Record<string, AnySchema>)[seg as string];
    else return [];
    if (!current) return [];
    value = (value as Record<string | number, unknown> | undefined)?.[seg];
  }
  const def = unwrap(current, value)._zod.def as unknown as Record<string, unknown>;
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}
