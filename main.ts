/**
 * The CDKTF app: the validated model in, one Terraform stack per account and region out.
 *
 * `cdktf synth` / `cdktf deploy` run this file (compiled, as dist/main.js): it reads the config from
 * AURORA_AUDIT_CONFIG or ./aurora-audit.yaml. `aurora-audit synth` drives `synthesisSteps` itself, so that it can stop
 * between stacks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AccountStackModel, AuditModel, MonitoringStackModel, RetiredStackModel, StackModel } from './config/model';
import { packageVersion } from './config/package-root';
import { checkSynthesisMode, synthesisModeKnown, type SynthesisMode } from './stacks/fast-synthesis/self-check';
import { stackFingerprint } from './stacks/fingerprint';
import { copyStack, OUTPUT_MARKER, readJson, readOutputMarker, stackFiles, type OutputMarker, type StackRecord } from './stacks/output-files';
import { synthesizeStack, type StackJob, type SynthesizedStack } from './stacks/synthesize-stack';

export interface SynthesizeOptions {
  /** Where cdktf writes `stacks/<name>/cdk.tf.json`. @default - CDKTF_OUTDIR, else ./cdktf.out */
  readonly outdir?: string;
  /** Base directory of a local backend's state directory. @default - the current directory */
  readonly projectDir?: string;
  /**
   * An earlier output of aurora-audit at the same place: a stack whose fingerprint it already holds is copied from
   * it, not synthesized again (byte for byte what a synth would write). @default - every stack is synthesized
   */
  readonly previous?: string;
  /**
   * Synthesize only these stacks; the others are copied from `previous` as they are (or left out when it has none).
   * @default - every stack
   */
  readonly only?: ReadonlySet<string>;
  /** Called for each stack copied from `previous` instead of synthesized. */
  readonly onReuse?: (name: string) => void;
  /** Called for each stack synthesized, with the thread that did it (worker_threads' threadId; 0 is the main thread). */
  readonly onSynthesized?: (name: string, threadId: number) => void;
  /** Called once when the fast synthesis path is given up for cdktf's own, with the reason (checkSynthesisMode). */
  readonly onFallback?: (reason: string) => void;
}

/** What a synthesis does with each stack: copy it from the earlier output, synthesize it, or leave it out. */
export interface SynthesisPlan {
  readonly outdir: string;
  readonly steps: ReadonlyArray<{ readonly job: StackJob; readonly action: 'copy' | 'synthesize' | 'leave out' }>;
  readonly previousDir?: string;
  readonly previous?: OutputMarker;
  readonly previousManifest?: Record<string, unknown>;
  /** The earlier output's files by stack. */
  readonly previousFiles: ReadonlyMap<string, string[]>;
  /** Fast or cdktf's own synthesis, as the self-check decided: what worker threads are told. */
  readonly mode: SynthesisMode;
}

/** Decides, stack by stack, what a synthesis into `options.outdir` does. Writes nothing. */
export function planSynthesis(model: AuditModel, options: SynthesizeOptions = {}): SynthesisPlan {
  const known = synthesisModeKnown();
  const checked = checkSynthesisMode();
  if (!checked.fast && !known) options.onFallback?.(checked.reason!);
  const projectDir = options.projectDir ?? process.cwd();
  const outdir = path.resolve(options.outdir ?? process.env.CDKTF_OUTDIR ?? 'cdktf.out');
  const job = <K extends StackJob['kind'], M extends StackModel | RetiredStackModel | MonitoringStackModel | AccountStackModel>(kind: K, stack: M & { name: string }) => {
    const statePath = localStatePath(model, outdir, projectDir, stack.name);
    return { kind, name: stack.name, model: stack, statePath, fingerprint: stackFingerprint(stack, model.backend, statePath) } as StackJob;
  };
  const jobs: StackJob[] = [
    ...model.stacks.map((s) => job('audit', s)),
    ...model.retiredStacks.map((s) => job('retired', s)),
    ...model.monitoringStacks.map((s) => job('monitoring', s)),
    ...model.accountStacks.map((s) => job('account', s)),
  ];
  const previous = options.previous ? readOutputMarker(options.previous) : undefined;
  const previousManifest = previous ? readJson(path.join(options.previous!, 'manifest.json')) : undefined;
  // The earlier output's files by stack, indexed once: a thousand stacks look theirs up a thousand times.
  const previousFiles = new Map<string, string[]>();
  for (const f of previous?.files ?? []) {
    const name = /^stacks\/([^/]+)\//.exec(f)?.[1];
    if (name) previousFiles.set(name, [...(previousFiles.get(name) ?? []), f]);
  }
  const steps = jobs.map((j) => {
    const before = previous?.stacks?.[j.name];
    const wanted = !options.only || options.only.has(j.name);
    // Not asked for and not in the earlier output (a fresh checkout): left out. Not asked for but its earlier files
    // no longer match what was recorded: synthesized, rather than dropped from an output that had it (copyStack says).
    const action = before && (before.fingerprint === j.fingerprint || !wanted) ? ('copy' as const) : !wanted && !before ? ('leave out' as const) : ('synthesize' as const);
    return { job: j, action };
  });
  return { outdir, steps, previousDir: options.previous, previous, previousManifest, previousFiles, mode: checked };
}

/**
 * Copies a planned stack from the earlier output, when its cdktf manifest entry is there too. Undefined when its files
 * there are missing or no longer what was recorded: then it is synthesized instead.
 */
export function copyPlannedStack(plan: SynthesisPlan, name: string): SynthesizedStack | undefined {
  const record = plan.previous?.stacks?.[name];
  const entry = (plan.previousManifest?.stacks as Record<string, Record<string, unknown>> | undefined)?.[name];
  if (!record || !entry || !copyStack(plan.previousDir!, plan.previousFiles.get(name) ?? [], record, plan.outdir, name)) return undefined;
  return { name, manifestEntry: entry, cdktfVersion: String(plan.previousManifest?.version ?? ''), record };
}

/**
 * Writes the output's manifest and marker, from each stack's result, in the plan's order (not the order in which
 * stacks were finished, which differs run to run when they are synthesized in parallel). Returns the output directory.
 */
export function finishSynthesis(plan: SynthesisPlan, results: ReadonlyMap<string, SynthesizedStack>): string {
  const { outdir } = plan;
  const manifests: Record<string, unknown> = {};
  const records: Record<string, StackRecord> = {};
  let version: string | undefined;
  for (const { job } of plan.steps) {
    const result = results.get(job.name);
    if (!result) continue;
    manifests[job.name] = result.manifestEntry;
    records[job.name] = result.record;
    version = result.cdktfVersion || version;
  }
  const manifest = { ...(plan.previousManifest ?? {}), stacks: manifests, ...(version ? { version } : {}) };
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  // What cdktf wrote for each stack: its JSON and its assets (the alert-details package), all aurora-audit's to replace.
  const files = ['manifest.json', ...Object.keys(manifests).flatMap((name) => stackFiles(outdir, name))];
  const marker: OutputMarker = { writtenBy: 'aurora-audit', version: packageVersion(), files, stacks: records };
  fs.writeFileSync(path.join(outdir, OUTPUT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  return outdir;
}

/**
 * Goes through a plan's stacks: each that the earlier output holds is copied from it into `results` and yielded; the
 * ones to synthesize are returned, in the plan's order. Shared by the one-thread and the parallel synthesis.
 */
export function* copyFromPrevious(plan: SynthesisPlan, options: SynthesizeOptions, results: Map<string, SynthesizedStack>): Generator<string, StackJob[]> {
  const jobs: StackJob[] = [];
  for (const { job, action } of plan.steps) {
    if (action === 'leave out') continue;
    const copied = action === 'copy' ? copyPlannedStack(plan, job.name) : undefined;
    if (!copied) {
      jobs.push(job);
      continue;
    }
    options.onReuse?.(job.name);
    results.set(job.name, copied);
    yield job.name;
  }
  return jobs;
}

/**
 * Synthesizes the stacks one at a time in this thread, yielding each stack's name once it is written (those copied
 * from the earlier output first), so that a caller can stop between stacks. The manifest of all of them and the output
 * marker come last. Returns the directory written to. cli/parallel-synth.ts does the same over worker threads.
 */
export function* synthesisSteps(model: AuditModel, options: SynthesizeOptions = {}): Generator<string, string> {
  const plan = planSynthesis(model, options);
  const results = new Map<string, SynthesizedStack>();
  for (const job of yield* copyFromPrevious(plan, options, results)) {
    const result = synthesizeStack(job, model.backend, plan.outdir);
    options.onSynthesized?.(job.name, result.threadId ?? 0);
    results.set(job.name, result);
    yield job.name;
  }
  return finishSynthesis(plan, results);
}

/** Relative, so the synthesized JSON does not depend on where the project sits. */
export function localStatePath(model: AuditModel, outdir: string, projectDir: string, name: string): string {
  if (model.backend.type !== 'local') return '';
  const stackDir = path.join(outdir, 'stacks', name);
  return path.relative(stackDir, path.resolve(projectDir, model.backend.directory, `${name}.tfstate`)).split(path.sep).join('/');
}

/** Synthesizes every stack and returns the directory written to. */
export function synthesize(model: AuditModel, options: SynthesizeOptions = {}): string {
  const steps = synthesisSteps(model, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

if (require.main === module) {
  // Loaded lazily so that this module stays free of config loading when imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runCdktfApp } = require('./cli/cdktf-app') as typeof import('./cli/cdktf-app');
  process.exitCode = runCdktfApp(synthesize);
}
