/**
 * The CDKTF app: the validated model in, one Terraform stack per account and region out.
 *
 * `cdktf synth` / `cdktf deploy` run this file (compiled, as dist/main.js): it reads the config from
 * AURORA_AUDIT_CONFIG or ./aurora-audit.yaml. `aurora-audit synth` drives `synthesisSteps` itself, so that it can stop
 * between stacks.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { App, TerraformStack } from 'cdktf';
import type { AccountStackModel, AuditModel, MonitoringStackModel, RetiredStackModel, StackModel } from './config/model';
import { AccountStack } from './stacks/account-stack';
import { packageVersion } from './config/package-root';
import { AuditStack } from './stacks/audit-stack';
import { stackFingerprint } from './stacks/fingerprint';
import { cdktfInternals, internalsProblem } from './stacks/fast-synthesis/cdktf-internals';
import { useFastSynthesis } from './stacks/fast-synthesis/mode';
import { stableJson } from './stacks/fast-synthesis/stable-json';
import { MonitoringStack } from './stacks/monitoring-stack';
import { RetiredStack } from './stacks/retired-stack';

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

function newApp(outdir: string | undefined): App {
  return new App({
    outdir,
    // Stack traces in the output would make every synth differ by machine and path.
    stackTraces: false,
    // cdktf's own validation runs `terraform version` once per import block, which makes synth need terraform
    // (and fail without it). The stacks declare required_version instead, which Terraform itself enforces.
    skipValidation: true,
  });
}

/**
 * cdktf records where every token was made, a full stack trace each, and only its annotations could ever show one
 * (App stackTraces: false leaves them out of the output). Not capturing them makes a fleet's synth markedly cheaper;
 * what is written is the same (test/stacks/synthesis.test.ts compares it with a plain cdktf app's).
 */
function withoutStackTraces(run: () => void): void {
  // cdktf raises the limit itself before each capture, so the capture itself is what is turned off. An error thrown
  // meanwhile has no trace either way: the limit is 0.
  const { stackTraceLimit, prepareStackTrace, captureStackTrace } = Error;
  Error.stackTraceLimit = 0;
  Error.prepareStackTrace = () => '';
  Error.captureStackTrace = () => undefined;
  try {
    run();
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
    Error.prepareStackTrace = prepareStackTrace;
    Error.captureStackTrace = captureStackTrace;
  }
}

/**
 * cdktf keeps every token of the process in one global map, so stacks synthesized one after another would each keep the
 * tokens of all before them alive. A stack's tokens are its own (each has an App of its own), so once it is written
 * they are dropped; the counter goes on, so a key is never given twice.
 */
function forgetTokens(): void {
  const map = (globalThis as { __cdktfTokenMap?: { stringTokenMap?: Map<unknown, unknown>; numberTokenMap?: Map<unknown, unknown> } }).__cdktfTokenMap;
  map?.stringTokenMap?.clear();
  map?.numberTokenMap?.clear();
}

/** The one small stack the self-check synthesizes both ways: an adopted cluster, its groups, alarms, topic, key and rules. */
const PROBE_CONFIG = `version: 1
notifications: { slack: { teamId: T07EA123LEP, channelId: C07EZ1ABC23 } }
alertDetails: { enabled: false }
targets:
  - name: probe
    accountId: "123456789012"
    region: eu-west-1
    roleArn: arn:aws:iam::123456789012:role/aurora-audit-deploy
    clusters:
      - { identifier: probe-db, engine: aurora-mysql, engineVersion: "8.0.mysql_aurora.3.05.2", attach: adopt, existingLogGroups: [error] }
`;

export interface SynthesisMode {
  readonly fast: boolean;
  /** Why the fast path was given up. */
  readonly reason?: string;
}

let mode: SynthesisMode | undefined;

/**
 * The start-up self-check of the fast synthesis path (stacks/fast-synthesis/), once per process: cdktf's internals it
 * uses must load, and a probe stack synthesized the fast way must be the text cdktf's own synthesis writes. Otherwise
 * every stack of the process is synthesized the way cdktf does it (slower, and the same text): a cdktf that moved an
 * internal, or CDK Terrain, costs speed, never a wrong output.
 */
export function checkSynthesisMode(): SynthesisMode {
  if (mode) return mode;
  const problem = internalsProblem();
  if (problem) mode = { fast: false, reason: problem };
  else {
    try {
      mode = probeWritesAsCdktf() ? { fast: true } : { fast: false, reason: 'the fast synthesis wrote other text than cdktf on a probe stack' };
    } catch (error) {
      mode = { fast: false, reason: `the fast synthesis failed on a probe stack (${(error as Error).message.split('\n')[0]})` };
    }
  }
  useFastSynthesis(mode.fast);
  return mode;
}

/** Sets the mode a parent thread decided (a worker of a parallel synthesis does not check again). */
export function adoptSynthesisMode(decided: SynthesisMode): void {
  mode = decided;
  useFastSynthesis(decided.fast);
}

function probeWritesAsCdktf(): boolean {
  // Loaded here only: main.ts stays free of config loading when imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseConfig } = require('./config/load') as typeof import('./config/load');
  const probe = parseConfig(PROBE_CONFIG, 'aurora-audit probe');
  const target = probe.stacks[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-audit-probe-'));
  try {
    useFastSynthesis(true);
    const job: StackJob = { kind: 'audit', name: target.name, model: target, statePath: 'probe.tfstate', fingerprint: '' };
    synthesizeStack(job, probe.backend, path.join(dir, 'fast'));
    // cdktf's own preparing pass, toTerraform and synthesizer, as a plain cdktf app has them.
    const app = newApp(path.join(dir, 'plain'));
    const stack = new AuditStack(app, target.name, { target, backend: probe.backend, localStatePath: 'probe.tfstate' });
    stack.prepareStack = TerraformStack.prototype.prepareStack;
    stack.toTerraform = TerraformStack.prototype.toTerraform;
    stack.synthesizer = new (cdktfInternals()!.StackSynthesizer)(stack);
    app.synth();
    forgetTokens();
    const read = (way: string) => fs.readFileSync(path.join(dir, way, 'stacks', target.name, 'cdk.tf.json'), 'utf8');
    return read('fast') === read('plain');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** One stack to synthesize, as plain data: what a worker thread is sent (cli/parallel-synth.ts). */
export type StackJob = { readonly name: string; readonly statePath: string; readonly fingerprint: string } & (
  | { readonly kind: 'audit'; readonly model: StackModel }
  | { readonly kind: 'retired'; readonly model: RetiredStackModel }
  | { readonly kind: 'monitoring'; readonly model: MonitoringStackModel }
  | { readonly kind: 'account'; readonly model: AccountStackModel }
);

/** What synthesizing one stack gives back: its cdktf manifest entry and its record in the output marker. */
export interface SynthesizedStack {
  readonly name: string;
  readonly manifestEntry: Record<string, unknown>;
  readonly cdktfVersion: string;
  readonly record: StackRecord;
  /** The thread that synthesized it (worker_threads' threadId; 0 is the main thread). Not written anywhere. */
  readonly threadId?: number;
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
  const known = mode !== undefined;
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
 * Synthesizes one stack into `outdir` with an App of its own. Its tokens are dropped once it is written. Used alike
 * by the one-thread synthesis and by each worker thread of a parallel one.
 */
export function synthesizeStack(job: StackJob, backend: AuditModel['backend'], outdir: string): SynthesizedStack {
  const app = newApp(outdir);
  // Each App would write a manifest.json of its one stack; the output's manifest is written once, from the entries.
  app.manifest.writeToFile = () => undefined;
  let stack: AuditStack | RetiredStack | MonitoringStack | AccountStack | undefined;
  withoutStackTraces(() => {
    const props = { backend, localStatePath: job.statePath };
    if (job.kind === 'audit') stack = new AuditStack(app, job.name, { ...props, target: job.model });
    else if (job.kind === 'retired') stack = new RetiredStack(app, job.name, { ...props, retired: job.model });
    else if (job.kind === 'monitoring') stack = new MonitoringStack(app, job.name, { ...props, monitoring: job.model });
    else stack = new AccountStack(app, job.name, { ...props, account: job.model });
    app.synth();
  });
  forgetTokens();
  const root = path.resolve(app.outdir);
  return {
    name: job.name,
    // As cdktf writes it (json-stable-stringify): keys sorted, undefined left out.
    manifestEntry: JSON.parse(stableJson(app.manifest.stacks[job.name])!),
    cdktfVersion: app.manifest.version,
    threadId,
    record: { fingerprint: job.fingerprint, contentHash: contentHash(root, stackFiles(root, job.name)), resources: stack!.synthesizedResources },
  };
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

/** A stack's files in an output: its JSON and its assets. */
function stackFiles(outdir: string, name: string): string[] {
  return [`stacks/${name}/cdk.tf.json`, ...filesUnder(outdir, `stacks/${name}/assets`)];
}

/** A hash of files, by their relative paths and contents. */
function contentHash(dir: string, files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort()) hash.update(f).update('\0').update(fs.readFileSync(path.join(dir, f))).update('\0');
  return hash.digest('hex');
}

/**
 * Copies a stack's files from an earlier output, when the marker lists them, they are all there and they still hash
 * to what was recorded. False when any of that fails: then it is synthesized.
 */
function copyStack(from: string, files: readonly string[], record: StackRecord, to: string, name: string): boolean {
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

function readJson(file: string): Record<string, unknown> | undefined {
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
