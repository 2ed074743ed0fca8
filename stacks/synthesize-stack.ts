/**
 * One stack of the model, synthesized into an output directory with an App of its own: what the one-thread synthesis
 * (main.ts), each worker thread of a parallel one (cli/synth-worker.ts) and the fast path's self-check run.
 */
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { App } from 'cdktf';
import type { AccountStackModel, AuditModel, MonitoringStackModel, RetiredStackModel, StackModel } from '../config/model';
import { AccountStack } from './account-stack';
import { AuditStack } from './audit-stack';
import { MonitoringStack } from './monitoring-stack';
import { contentHash, stackFiles, type StackRecord } from './output-files';
import { RetiredStack } from './retired-stack';

export function newApp(outdir: string | undefined): App {
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
export function forgetTokens(): void {
  const map = (globalThis as { __cdktfTokenMap?: { stringTokenMap?: Map<unknown, unknown>; numberTokenMap?: Map<unknown, unknown> } }).__cdktfTokenMap;
  map?.stringTokenMap?.clear();
  map?.numberTokenMap?.clear();
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
    manifestEntry: sortedKeys(JSON.parse(JSON.stringify(app.manifest.stacks[job.name]))) as Record<string, unknown>,
    cdktfVersion: app.manifest.version,
    threadId,
    record: { fingerprint: job.fingerprint, contentHash: contentHash(root, stackFiles(root, job.name)), resources: stack!.synthesizedResources },
  };
}

/** Plain JSON data with every object's keys in sorted order, as json-stable-stringify writes them. */
function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
  );
}
