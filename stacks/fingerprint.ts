/**
 * A fingerprint per stack: what its Terraform depends on, hashed. Two synths of stacks with the same fingerprint write
 * the same files, so a pipeline plans only the stacks whose fingerprint changed, and synth reuses the rest.
 *
 * A stack's output depends on its slice of the model (the target, its clusters and retired clusters), on the backend
 * (its state key), on where the output sits relative to the project (a local state path), and on the code that turns
 * the model into Terraform. The code is fingerprinted by the files this installation of aurora-audit runs, so a new
 * release, or any change to them in a checkout, changes every stack. Where a thing sits in the config (`configPath`)
 * only names it in messages, and is left out: moving a target in the list changes no stack.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { allStacks, type AnyStackModel, type AuditModel, type BackendModel } from '../config/model';
import { DETECTIONS } from '../detections';

/** The directories (and the app) whose code decides what a stack synthesizes, relative to this file's parent. */
const CODE = ['main', 'stacks', 'modules', 'config', 'detections', 'alert-details'];

let codeFingerprint: string | undefined;

/** A hash of the code that synthesizes stacks, as this process runs it (dist/*.js, or *.ts under ts-jest). */
export function synthesisCodeFingerprint(): string {
  if (codeFingerprint) return codeFingerprint;
  const root = path.resolve(__dirname, '..');
  const ext = path.extname(__filename);
  const files = CODE.flatMap((entry) => {
    const file = path.join(root, `${entry}${ext}`);
    if (fs.existsSync(file)) return [file];
    const dir = path.join(root, entry);
    if (!fs.existsSync(dir)) return [];
    return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith(ext) && !f.endsWith(`.d${ext}`)).map((f) => path.join(dir, f));
  }).sort();
  const hash = createHash('sha256');
  for (const file of files) hash.update(path.relative(root, file).split(path.sep).join('/')).update('\0').update(fs.readFileSync(file)).update('\0');
  return (codeFingerprint = hash.digest('hex'));
}

/** Catalog entries are code (fingerprinted with it): a stack names them instead of spelling them out. */
const CATALOG = new Map<unknown, string>(Object.values(DETECTIONS).flatMap((list) => list.map((d) => [d, `catalog:${d.engine}:${d.id}`] as const)));

/** The model with `configPath` dropped at every depth, in a stable key order. */
function canonical(value: unknown): unknown {
  const catalogEntry = CATALOG.get(value);
  if (catalogEntry) return catalogEntry;
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => k !== 'configPath' && (value as Record<string, unknown>)[k] !== undefined)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function stackFingerprint(stack: AnyStackModel, backend: BackendModel, localStatePath: string, code = synthesisCodeFingerprint()): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical({ code, backend, localStatePath, stack })))
    .digest('hex');
}

/** Every stack's fingerprint, by name, for a model whose stacks keep their state at `localStatePathOf(name)`. */
export function stackFingerprints(model: AuditModel, localStatePathOf: (name: string) => string, code = synthesisCodeFingerprint()): Map<string, string> {
  return new Map(allStacks(model).map((s) => [s.name, stackFingerprint(s, model.backend, localStatePathOf(s.name), code)]));
}
