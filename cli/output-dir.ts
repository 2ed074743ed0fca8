/**
 * aurora-audit replaces an output directory only when it wrote that directory itself. It knows its own output by the
 * marker synthesis writes (stacks/output-files.ts: OUTPUT_MARKER, with the list of files it wrote), or, for output of aurora-audit
 * 0.1 which had no marker, by holding nothing but cdktf's manifest.json and stacks/. Anything else is somebody's
 * work: refused, with nothing touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { OUTPUT_MARKER, type OutputMarker } from '../stacks/output-files';
import { UsageError } from './output';

export type OutputDirState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'ours'; readonly files: ReadonlySet<string> };

/** Files (relative, `/`-separated) aurora-audit knows it wrote in `dir`; undefined when it did not write `dir`. */
export function ownFiles(dir: string): Set<string> | undefined {
  const marker = readMarker(path.join(dir, OUTPUT_MARKER));
  if (marker) return new Set([...marker.files, OUTPUT_MARKER]);
  // aurora-audit 0.1 wrote cdktf's output and nothing else: manifest.json and stacks/<name>/cdk.tf.json.
  const entries = fs.readdirSync(dir);
  if (entries.length === 0 || !entries.every((e) => e === 'manifest.json' || e === 'stacks')) return undefined;
  let manifest: { stacks?: Record<string, { synthesizedStackPath?: string }> };
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  } catch {
    return undefined;
  }
  if (!manifest.stacks || typeof manifest.stacks !== 'object') return undefined;
  return new Set(['manifest.json', ...Object.values(manifest.stacks).flatMap((s) => (typeof s.synthesizedStackPath === 'string' ? [s.synthesizedStackPath] : []))]);
}

function readMarker(file: string): OutputMarker | undefined {
  try {
    const marker = JSON.parse(fs.readFileSync(file, 'utf8')) as OutputMarker;
    return marker.writtenBy === 'aurora-audit' && Array.isArray(marker.files) && marker.files.every((f) => typeof f === 'string' && !f.split('/').includes('..'))
      ? marker
      : undefined;
  } catch {
    return undefined;
  }
}

/** What is at the output path, or a UsageError naming it when aurora-audit may not replace it. */
export function inspectOutputDir(target: string, given: string): OutputDirState {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'absent' };
    if (code === 'ENOTDIR') {
      throw new UsageError([`--out: ${JSON.stringify(given)} is inside a file, so nothing can be written there; give --out a directory path (the default is cdktf.out)`]);
    }
    throw error;
  }
  const refuse = (why: string) =>
    new UsageError([`--out: ${JSON.stringify(given)} ${why}. aurora-audit only ever replaces a directory it wrote itself; give --out a new directory${path.basename(path.resolve(given)) === 'cdktf.out' ? '' : ' (the default is cdktf.out)'}.`]);
  if (stat.isSymbolicLink()) throw refuse('is a symbolic link, which aurora-audit does not follow');
  if (!stat.isDirectory()) throw refuse('is a file, not a directory');
  const entries = fs.readdirSync(target);
  if (entries.length === 0) return { kind: 'empty' };
  const files = ownFiles(target);
  if (!files) {
    const shown = entries.slice(0, 5).join(', ') + (entries.length > 5 ? `, ... (${entries.length} entries)` : '');
    throw refuse(`holds files aurora-audit did not write (${shown})`);
  }
  return { kind: 'ours', files };
}

/** Names of the staging and retired directories a run uses beside the output directory. */
export function stagingPrefix(target: string): string {
  return `${target}.tmp-`;
}
export function retiredPath(target: string): string {
  return `${target}.old-${process.pid}`;
}

/** What a run writes into its staging directory first, so that a later run knows it as abandoned work. */
export const STAGING_MARKER = '.aurora-audit-staging.json';

/**
 * Removes what a killed run left beside the output directory: staging (`<out>.tmp-*`) and retired (`<out>.old-*`)
 * directories whose run is gone. Only directories aurora-audit marked as its own, or left empty, are removed.
 */
export function removeAbandoned(target: string): string[] {
  const dir = path.dirname(target);
  const base = path.basename(target);
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(`${base}.tmp-`) && !entry.startsWith(`${base}.old-`)) continue;
    const full = path.join(dir, entry);
    try {
      if (!fs.lstatSync(full).isDirectory()) continue;
      const contents = fs.readdirSync(full);
      const staging = readJson(path.join(full, STAGING_MARKER)) as { writtenBy?: string; pid?: number } | undefined;
      const abandoned =
        contents.length === 0 ||
        (staging?.writtenBy === 'aurora-audit' && !isAlive(staging.pid)) ||
        (entry.startsWith(`${base}.old-`) && !isAlive(Number(entry.slice(base.length + 5))) && ownFiles(full) !== undefined);
      if (!abandoned) continue;
      fs.rmSync(full, { recursive: true, force: true });
      removed.push(entry);
    } catch {
      // Not ours to worry about: leave it.
    }
  }
  return removed;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function isAlive(pid: number | undefined): boolean {
  if (!pid || !Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Moves every entry of `previous` that aurora-audit did not write (Terraform's .terraform and lock file, a plan file,
 * notes) to the same place in `next`, so that replacing the output never loses them.
 */
export function carryOverForeignEntries(previous: string, next: string, own: ReadonlySet<string>): void {
  const ownDirs = new Set<string>();
  for (const f of own) {
    const parts = f.split('/');
    for (let i = 1; i < parts.length; i++) ownDirs.add(parts.slice(0, i).join('/'));
  }
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(previous, relative))) {
      const rel = relative ? `${relative}/${entry}` : entry;
      if (own.has(rel)) continue;
      const from = path.join(previous, rel);
      if (ownDirs.has(rel) && fs.lstatSync(from).isDirectory()) {
        walk(rel);
        continue;
      }
      const to = path.join(next, rel);
      if (fs.existsSync(to)) continue; // the new output has its own file here
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.renameSync(from, to);
    }
  };
  walk('');
}
