/**
 * Finds, reads and validates aurora-audit.yaml. Either the whole file is valid and a model comes back, or a
 * ConfigError lists every problem; nothing downstream runs on a half-valid config.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import type { AuditModel } from './model';
import { packageRoot } from './package-root';
import { ConfigError, problemsFromIssues, type PathSegment, type Problem, type SourceLookup } from './problems';
import { resolveConfig } from './resolve';
import { configSchema } from './schema';

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
    const file = path.resolve(cwd, value);
    if (!fs.existsSync(file)) {
      throw new ConfigError(value, [{ path: '', message: `${origin} names ${JSON.stringify(value)}, which does not exist` }]);
    }
    return { path: file, origin, isBundledExample: false };
  }
  const local = path.join(cwd, CONFIG_FILE_NAME);
  if (fs.existsSync(local)) return { path: local, origin: `./${CONFIG_FILE_NAME}`, isBundledExample: false };
  if (opts.allowBundledExample) return { path: bundledExample(), origin: 'bundled example', isBundledExample: true };
  throw new ConfigError(CONFIG_FILE_NAME, [
    {
      path: '',
      message: `no config found: pass --config FILE, set ${CONFIG_ENV_VAR}, or create ./${CONFIG_FILE_NAME} (cp templates/quickstart.yaml ${CONFIG_FILE_NAME})`,
    },
  ]);
}

export function loadConfig(opts: LocateOptions = {}): { model: AuditModel; located: LocatedConfig } {
  const located = locateConfig(opts);
  let text: string;
  try {
    text = fs.readFileSync(located.path, 'utf8');
  } catch (e) {
    throw new ConfigError(located.path, [{ path: '', message: `cannot read ${located.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }]);
  }
  return { model: parseConfig(text, located.path, located.isBundledExample), located };
}

/** Parses YAML text into the validated model, or throws a ConfigError with every problem found. */
export function parseConfig(text: string, file: string, isBundledExample = false): AuditModel {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({
        path: '',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
        line: lineCounter.linePos(e.pos[0]).line,
      })),
    );
  }
  const data: unknown = doc.toJS({ maxAliasCount: 100 });
  const source = sourceLookup(doc, lineCounter);

  if (data === null || data === undefined) {
    throw new ConfigError(file, [{ path: '', message: 'the file is empty; start from templates/quickstart.yaml' }]);
  }
  const parsed = configSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    throw new ConfigError(file, sortProblems(problemsFromIssues(parsed.error.issues, source, (p) => allowedKeysAt(configSchema, p, data))));
  }
  const { model, problems } = resolveConfig(parsed.data, { sourcePath: file, isBundledExample, source });
  if (!model) throw new ConfigError(file, sortProblems(problems));
  return model;
}

/** In file order, each once: a top-level value that is wrong for every target is one problem, not one per target. */
function sortProblems(problems: Problem[]): Problem[] {
  const unique = new Map(problems.map((p) => [`${p.path}\n${p.message}`, p]));
  return [...unique.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function sourceLookup(doc: Document, lineCounter: LineCounter): SourceLookup {
  const node = (p: readonly PathSegment[]) => {
    // Walk down to the deepest node that exists, so a missing key points at its parent's line.
    for (let n = p.length; n >= 0; n--) {
      const found = n === 0 ? doc.contents : doc.getIn(p.slice(0, n), true);
      if (found && (isScalar(found) || isMap(found) || isSeq(found))) return { found, exact: n === p.length };
    }
    return undefined;
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
