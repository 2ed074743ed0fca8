/**
 * `aurora-audit changed --since <manifest | git ref>`: the stacks whose Terraform would differ from what an earlier
 * synth wrote (its manifest, `<out>/.aurora-audit-output.json`) or from what the config at a git ref would give. A
 * pipeline plans only those: one job per changed stack, instead of a plan of every stack of the fleet.
 *
 * It compares stack fingerprints (stacks/fingerprint.ts), so it reads the config and never synthesizes. With a git ref
 * both configs are read with the code that runs now, so a new aurora-audit shows in what the repository pins (its
 * lockfile, else its package.json): when that differs from the ref's, every stack is changed. Comparing against the
 * manifest of the last synth catches a new aurora-audit too.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig, parseConfig } from '../config/load';
import type { AuditModel } from '../config/model';
import { goneStacks, unrecordedDepartures } from '../config/departures';
import { ConfigError, formatProblem } from '../config/problems';
import { NotUtf8Error, utf8Text } from '../config/read-bounded';
import { localStatePath } from '../main';
import { OUTPUT_MARKER, readOutputMarker, readOutputMarkerFile } from '../stacks/output-files';
import { stackFingerprints } from '../stacks/fingerprint';
import { EXIT, UsageError, type Output } from './output';
import { reportError } from './report';

export interface ChangedStacks {
  /** What the stacks were compared with. */
  readonly since: string;
  /** Stacks whose Terraform would differ, or that are new: plan these. */
  readonly changed: readonly string[];
  readonly unchanged: readonly string[];
  /** Set when the aurora-audit the repository pins differs from the ref's: every stack is then changed. */
  readonly upgraded?: { readonly since: string; readonly now: string };
  /** The stacks to plan, in at most `--shards` groups of nearly equal size, for a pipeline's jobs. */
  readonly shards?: readonly (readonly string[])[];
  /**
   * Stacks the earlier side had and the config no longer has at all (not even as a retired target): from a git ref,
   * only monitoring-account stacks whose every source left, since every other departure must be recorded.
   */
  readonly gone: readonly string[];
}

export interface ChangedOptions {
  readonly config?: string;
  readonly since?: string;
  readonly out: string;
  readonly json?: boolean;
  /** Group the stacks to plan into at most this many shards (1-256). */
  readonly shards?: string;
}

/** GitHub Actions runs at most 256 jobs of one matrix; GitLab's child pipelines are kept to the same. */
export const MAX_SHARDS = 256;

/** The stacks, dealt in turn into at most `n` shards: sizes differ by one at most, and the order is kept within each. */
export function shardsOf(stacks: readonly string[], n: number): string[][] {
  const shards: string[][] = Array.from({ length: Math.min(n, stacks.length) }, () => []);
  stacks.forEach((name, i) => shards[i % shards.length].push(name));
  return shards;
}

function parseShards(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1 || n > MAX_SHARDS) {
    throw new UsageError([`--shards: ${JSON.stringify(value)} is not a number of shards; give a whole number from 1 to ${MAX_SHARDS} (GitHub Actions runs at most ${MAX_SHARDS} jobs of a matrix)`]);
  }
  return n;
}

const LOCKFILES = ['npm-shrinkwrap.json', 'package-lock.json'];

/**
 * The aurora-audit a project pins, from its lockfile (the version npm installs) or else its package.json (the spec),
 * given how to read a file of it; undefined when the project pins none (aurora-audit's own repository, a global
 * install).
 */
export function pinnedAuroraAudit(read: (file: string) => string | undefined): string | undefined {
  for (const file of LOCKFILES) {
    const text = read(file);
    if (text === undefined) continue;
    try {
      const version = JSON.parse(text)?.packages?.['node_modules/aurora-audit']?.version;
      if (typeof version === 'string') return version;
    } catch {
      return `an unreadable ${file}`;
    }
  }
  const text = read('package.json');
  if (text === undefined) return undefined;
  try {
    const pkg = JSON.parse(text);
    const spec = pkg?.dependencies?.['aurora-audit'] ?? pkg?.devDependencies?.['aurora-audit'];
    return typeof spec === 'string' ? spec : undefined;
  } catch {
    return 'an unreadable package.json';
  }
}

/** What the earlier side holds: fingerprints by stack name, and (from a git ref) the config it had. */
interface Earlier {
  readonly label: string;
  readonly fingerprints: Map<string, string> | undefined;
  readonly model?: AuditModel;
}

function earlier(since: string, configPath: string, outdir: string, projectDir: string): Earlier {
  const asPath = path.resolve(since);
  if (fs.existsSync(asPath)) {
    const dir = fs.statSync(asPath).isDirectory() ? asPath : path.dirname(asPath);
    const marker = fs.statSync(asPath).isDirectory() ? readOutputMarker(asPath) : readOutputMarkerFile(asPath);
    if (!marker?.stacks) {
      throw new UsageError([`--since: ${since} is not a manifest aurora-audit wrote (${OUTPUT_MARKER} of an output directory, with stack fingerprints; synth writes it)`]);
    }
    return { label: path.relative(projectDir, path.join(dir, OUTPUT_MARKER)) || since, fingerprints: new Map(Object.entries(marker.stacks).map(([name, s]) => [name, s.fingerprint])) };
  }
  // A git ref: the config as it was there, read with today's code.
  const relative = path.relative(projectDir, path.resolve(configPath)).split(path.sep).join('/');
  // Bytes, not text: the committed file is read as the working copy is (config/read-bounded.ts), UTF-8 or refused.
  const shown = spawnSync('git', ['show', `${since}:./${relative}`], { cwd: projectDir, maxBuffer: 16 * 1024 * 1024 });
  if (shown.error) throw new UsageError([`--since: ${since} is neither a manifest file nor a git ref here (git could not run: ${shown.error.message})`]);
  if (shown.status !== 0) {
    const stderr = shown.stderr.toString('utf8').trim();
    const unknownRef = /unknown revision|bad revision|not a git repository|invalid object name/i.test(stderr) && !/exists on disk, but not in|does not exist in/i.test(stderr);
    if (unknownRef) throw new UsageError([`--since: ${since} is neither a manifest file nor a git ref here (${stderr.split('\n')[0]})`]);
    // The config did not exist at that ref: every stack is new.
    return { label: `${since}:${relative} (absent)`, fingerprints: new Map() };
  }
  let before: AuditModel;
  try {
    before = parseConfig(utf8Text(shown.stdout), `${since}:${relative}`);
  } catch (error) {
    if (error instanceof NotUtf8Error) {
      throw new UsageError([`--since: the config at ${since} (${relative}) ${error.why}, so changed cannot tell what left the config since; compare with a commit whose config is UTF-8`]);
    }
    if (!(error instanceof ConfigError)) throw error;
    // Without the earlier config nothing says what left it: fail closed rather than plan as if nothing had.
    throw new UsageError([
      `--since: the config at ${since} (${relative}) does not validate with this aurora-audit (${formatProblem(error.problems[0])}), so changed cannot tell what left the config since; compare with a commit whose config validates`,
    ]);
  }
  return { label: `${since}:${relative}`, fingerprints: stackFingerprints(before, (name) => localStatePath(before, outdir, projectDir, name)), model: before };
}

/**
 * The stacks to plan since `opts.since`. With a git ref, a cluster, target or account that left the config without a
 * complete retired entry is refused (ConfigError, exit 2), naming the entry to add.
 */
export function changedStacks(model: AuditModel, configPath: string, opts: { since: string; out: string }, projectDir = process.cwd()): ChangedStacks {
  const outdir = path.resolve(projectDir, opts.out);
  const now = stackFingerprints(model, (name) => localStatePath(model, outdir, projectDir, name));
  const { label, fingerprints, model: before } = earlier(opts.since, configPath, outdir, projectDir);
  if (before) {
    const problems = unrecordedDepartures(before, model);
    if (problems.length) throw new ConfigError(configPath, problems);
  }
  // Both configs are read with the code that runs now, so a new aurora-audit, which changes every stack, shows only in
  // what the repository pins.
  const upgraded = asGitRef(opts.since, projectDir) ? pinChange(opts.since, projectDir) : undefined;
  const changed = [...now].filter(([name, fp]) => upgraded !== undefined || fingerprints?.get(name) !== fp).map(([name]) => name);
  return {
    since: label,
    ...(upgraded ? { upgraded } : {}),
    changed,
    unchanged: [...now.keys()].filter((name) => !changed.includes(name)),
    gone: before ? goneStacks(before, model) : [...(fingerprints?.keys() ?? [])].filter((name) => !now.has(name)),
  };
}

/** Whether --since names a git ref (not a manifest on disk). */
function asGitRef(since: string, projectDir: string): boolean {
  return !fs.existsSync(path.resolve(projectDir, since));
}

/** The pinned aurora-audit at the ref and now, when they differ. */
function pinChange(since: string, projectDir: string): { since: string; now: string } | undefined {
  const atRef = pinnedAuroraAudit((file) => {
    const shown = spawnSync('git', ['show', `${since}:./${file}`], { cwd: projectDir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return shown.status === 0 ? shown.stdout : undefined;
  });
  const now = pinnedAuroraAudit((file) => {
    try {
      return fs.readFileSync(path.join(projectDir, file), 'utf8');
    } catch {
      return undefined;
    }
  });
  return atRef === now ? undefined : { since: atRef ?? 'none pinned', now: now ?? 'none pinned' };
}

export async function changedCommand(opts: ChangedOptions, io: Output, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    if (!opts.since) throw new UsageError(['--since: give the manifest of an earlier synth (cdktf.out/.aurora-audit-output.json, or its directory) or a git ref (origin/main)']);
    const shards = parseShards(opts.shards);
    const { model, located } = loadConfig({ configFlag: opts.config, env });
    const found = changedStacks(model, located.path, { since: opts.since, out: opts.out });
    const result = shards ? { ...found, shards: shardsOf(found.changed, shards) } : found;
    if (opts.json) {
      io.out(JSON.stringify(result));
    } else {
      for (const name of result.changed) io.out(name);
      io.err(
        `${result.changed.length} of ${result.changed.length + result.unchanged.length} stack(s) changed since ${result.since}${
          result.upgraded ? ` (aurora-audit ${result.upgraded.since} there, ${result.upgraded.now} now: every stack)` : ''
        }${result.shards ? `, in ${result.shards.length} shard${result.shards.length === 1 ? '' : 's'}` : ''}${
          result.gone.length ? `; gone from the config entirely, so no pipeline plans them: ${result.gone.join(', ')} (destroy what they hold by hand: README, "A stack that is gone entirely")` : ''
        }`,
      );
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, env);
  }
}
