/**
 * An output directory as aurora-audit writes it: the marker listing every file a synthesis wrote, with each stack's
 * fingerprint and content hash, and the copying of an unchanged stack's files from an earlier output.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The file by which aurora-audit knows an output directory as its own: it lists every file the synthesis wrote, so
 * that a later synth replaces exactly those and keeps anything else a person or Terraform put there.
 */
export const OUTPUT_MARKER = '.aurora-audit-output.json';

export interface OutputMarker {
  readonly writtenBy: 'aurora-audit';
  readonly version: string;
  /** Relative paths, `/`-separated. */
  readonly files: readonly string[];
  /**
   * The manifest a pipeline compares: each stack's fingerprint (stacks/fingerprint.ts), and a hash of its files.
   * Absent in outputs written before aurora-audit recorded fingerprints: then every stack is synthesized.
   */
  readonly stacks?: Readonly<Record<string, StackRecord>>;
}

export interface StackRecord {
  readonly fingerprint: string;
  readonly contentHash: string;
  /** Resources by type, for the summary: a stack copied from an earlier output is not read again to count them. */
  readonly resources?: Readonly<Record<string, number>>;
}

/** The marker of an output directory, when aurora-audit wrote one there. */
export function readOutputMarker(dir: string): OutputMarker | undefined {
  return readOutputMarkerFile(path.join(dir, OUTPUT_MARKER));
}

/** A marker file, wherever it was copied to (a pipeline keeps the last synth's as an artifact). */
export function readOutputMarkerFile(file: string): OutputMarker | undefined {
  try {
    const marker = JSON.parse(fs.readFileSync(file, 'utf8')) as OutputMarker;
    return marker.writtenBy === 'aurora-audit' && Array.isArray(marker.files) ? marker : undefined;
  } catch {
    return undefined;
  }
}

/** A stack's files in an output: its JSON and its assets. */
export function stackFiles(outdir: string, name: string): string[] {
  return [`stacks/${name}/cdk.tf.json`, ...filesUnder(outdir, `stacks/${name}/assets`)];
}

/** A hash of files, by their relative paths and contents. */
export function contentHash(dir: string, files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort()) hash.update(f).update('\0').update(fs.readFileSync(path.join(dir, f))).update('\0');
  return hash.digest('hex');
}

/**
 * Copies a stack's files from an earlier output, when the marker lists them, they are all there and they still hash
 * to what was recorded. False when any of that fails: then it is synthesized.
 */
export function copyStack(from: string, files: readonly string[], record: StackRecord, to: string, name: string): boolean {
  if (!files.includes(`stacks/${name}/cdk.tf.json`) || !files.every((f) => fs.existsSync(path.join(from, f)))) return false;
  if (contentHash(from, files) !== record.contentHash) return false;
  const made = new Set<string>();
  for (const f of files) {
    const dir = path.dirname(path.join(to, f));
    if (!made.has(dir)) fs.mkdirSync(dir, { recursive: true });
    made.add(dir);
    linkOrCopy(path.join(from, f), path.join(to, f));
  }
  return true;
}

/**
 * A hard link where the file system allows one: the earlier output is replaced whole afterwards, and a link keeps the
 * bytes without copying them (an asset per stack adds up at a thousand stacks). A copy otherwise.
 */
function linkOrCopy(from: string, to: string): void {
  try {
    fs.linkSync(from, to);
  } catch {
    fs.copyFileSync(from, to);
  }
}

export function readJson(file: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Every file under `dir/relative`, relative to `dir` with `/` separators; none when it does not exist. */
function filesUnder(dir: string, relative: string): string[] {
  const root = path.join(dir, relative);
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(root, f)).isFile())
    .map((f) => `${relative}/${f.split(path.sep).join('/')}`)
    .sort();
}
