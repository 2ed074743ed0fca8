/**
 * `aurora-audit synth`: config → Terraform JSON. The stacks are written into a staging directory beside the output
 * and swapped in whole, so a failure or Ctrl+C leaves the old output as it was; the output is replaced only when
 * aurora-audit wrote it (cli/output-dir.ts); and a synth that would let Terraform destroy what the previous one
 * adopted is refused (cli/previous-output.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stackNames, type AuditModel } from '../config/model';
import { ConfigError } from '../config/problems';
import { readOutputMarker } from '../stacks/output-files';
import { EnvironmentError, InterruptedError } from './output';
import {
  carryOverForeignEntries,
  inspectOutputDir,
  removeAbandoned,
  retiredPath,
  STAGING_MARKER,
  stagingPrefix,
} from './output-dir';
import { parallelSynthesisSteps } from './parallel-synth';
import { lostResources } from './previous-output';
import type { SynthResult } from './summary';

export interface SynthOptions {
  /** Stops the synthesis between two stacks; the CLI aborts it on SIGINT and SIGTERM. */
  readonly signal?: AbortSignal;
  /** Called after each stack is written, with its name. */
  readonly onStack?: (name: string, done: number, total: number) => void;
  /** Synthesize only these stacks; the others stay as the earlier output has them. @default - every stack */
  readonly only?: ReadonlySet<string>;
  /** Threads that synthesize (cli/parallel-synth.ts). @default - one per core, at most 4 */
  readonly threads?: number;
  /** Called for each stack synthesized (not copied), with the thread that did it (0 is the main thread). */
  readonly onSynthesized?: (name: string, threadId: number) => void;
  /** Called once if the fast synthesis path is given up for cdktf's own (stacks/fast-synthesis/self-check.ts). */
  readonly onFallback?: (reason: string) => void;
}

export async function synthesizeSafely(model: AuditModel, outdir: string, projectDir: string, options: SynthOptions = {}): Promise<SynthResult> {
  const target = path.resolve(outdir);
  const existing = inspectOutputDir(target, outdir);
  removeAbandoned(target);
  let staging: string;
  const reused: string[] = [];
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    staging = fs.mkdtempSync(stagingPrefix(target));
    // mkdtemp makes a private directory (0700); the output is a project folder like any other, subject to the umask.
    fs.chmodSync(staging, 0o777 & ~process.umask());
    fs.writeFileSync(path.join(staging, STAGING_MARKER), JSON.stringify({ writtenBy: 'aurora-audit', pid: process.pid }));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const reason = { EEXIST: 'a file is in the way', ENOTDIR: 'a file is in the way', EACCES: 'permission denied', EROFS: 'read-only file system', ENOSPC: 'no space left' }[code];
    throw new EnvironmentError(`cannot write the output directory ${outdir}: ${reason ?? (code || (error as Error).message)}; choose another with --out`);
  }
  try {
    const total = stackNames(model).length;
    // An earlier output of aurora-audit here: the stacks it holds unchanged are copied, not synthesized again.
    const steps = parallelSynthesisSteps(model, {
      outdir: staging,
      projectDir,
      previous: existing.kind === 'ours' ? target : undefined,
      only: options.only,
      threads: options.threads,
      onSynthesized: options.onSynthesized,
      onFallback: options.onFallback,
      onReuse: (name) => reused.push(name),
    });
    let done = 0;
    // Leaving the loop (Ctrl+C, a failure) stops the synthesis and its worker threads before the staging is removed.
    for await (const name of steps) {
      done += 1;
      options.onStack?.(name, done, total);
      // Let a pending Ctrl+C be heard between stacks: synthesizing one is synchronous.
      await new Promise((resolve) => setImmediate(resolve));
      if (options.signal?.aborted) throw new InterruptedError(`the output directory ${outdir} is as it was`);
    }
    fs.rmSync(path.join(staging, STAGING_MARKER));

    if (existing.kind === 'ours') {
      const lost = lostResources(target, staging, new Set(reused));
      if (lost.length > 0) throw new ConfigError(model.sourcePath, lost);
      carryOverForeignEntries(target, staging, existing.files);
    }
    if (options.signal?.aborted) throw new InterruptedError(`the output directory ${outdir} is as it was`);
    swapIn(staging, target, existing.kind);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  const written = stackNames(model).filter((name) => fs.existsSync(path.join(target, 'stacks', name, 'cdk.tf.json')));
  return { outdir: target, resources: countResources(target, written), reused };
}

/** Puts the staged output in place: the old output of aurora-audit out, the new one in, by renames. */
function swapIn(staging: string, target: string, kind: 'absent' | 'empty' | 'ours'): void {
  if (kind === 'absent') {
    fs.renameSync(staging, target);
    return;
  }
  if (kind === 'empty') {
    // Somebody made the directory; it stays theirs. Its contents are new.
    for (const entry of fs.readdirSync(staging)) fs.renameSync(path.join(staging, entry), path.join(target, entry));
    fs.rmdirSync(staging);
    return;
  }
  const retired = retiredPath(target);
  fs.renameSync(target, retired);
  fs.renameSync(staging, target);
  // What is left in it is aurora-audit's own output: anything else was carried over into the new output.
  fs.rmSync(retired, { recursive: true, force: true });
}

/** Resource counts by type from a synthesized stack directory. */
function countResources(outdir: string, stackNames: readonly string[]): Map<string, Map<string, number>> {
  // Synth records each stack's counts in the output's marker; a stack without them is read.
  const recorded = readOutputMarker(outdir)?.stacks ?? {};
  const result = new Map<string, Map<string, number>>();
  for (const name of stackNames) {
    const known = recorded[name]?.resources;
    const counts = known
      ? Object.entries(known)
      : Object.entries<Record<string, unknown>>(JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')).resource ?? {}).map(
          ([type, instances]) => [type, Object.keys(instances).length] as [string, number],
        );
    result.set(name, new Map(counts));
  }
  return result;
}

