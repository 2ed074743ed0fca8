/**
 * A worker thread of a parallel synthesis (cli/parallel-synth.ts). It loads cdktf and the stacks as it starts, then
 * waits for the list of stacks. It takes stacks from that list by bumping the shared counter, so that no stack is taken
 * twice and a thread that finishes early takes more, synthesizes each exactly as the main thread would
 * (stacks/synthesize-stack.ts), and reports each one back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AuditModel } from '../config/model';
import { adoptSynthesisMode, type SynthesisMode } from '../stacks/fast-synthesis/self-check';
import { synthesizeStack, type StackJob } from '../stacks/synthesize-stack';
import { alertDetailsPackage } from '../stacks/alert-details-package';

/** What a worker is started with. */
export interface SynthWorkerData {
  /** Read the alert-details package's manifest while waiting for the stacks: some stack will need it. */
  readonly readAlertDetails: boolean;
}

/** The one message a worker is sent. */
export interface SynthWorkerStart {
  readonly jobs: readonly StackJob[];
  readonly backend: AuditModel['backend'];
  readonly outdir: string;
  /** One Int32: the index of the next job to take, shared by every thread. */
  readonly next: SharedArrayBuffer;
  /** The synthesis path the main thread's self-check chose. */
  readonly mode: SynthesisMode;
}

export type SynthWorkerMessage =
  | { readonly kind: 'done'; readonly index: number; readonly result: ReturnType<typeof synthesizeStack> }
  | { readonly kind: 'failed'; readonly index: number; readonly message: string; readonly stack?: string };

if (parentPort) {
  const port = parentPort;
  if ((workerData as SynthWorkerData | undefined)?.readAlertDetails) alertDetailsPackage();
  port.once('message', ({ jobs, backend, outdir, next, mode }: SynthWorkerStart) => {
    adoptSynthesisMode(mode);
    const counter = new Int32Array(next);
    for (;;) {
      const index = Atomics.add(counter, 0, 1);
      if (index >= jobs.length) break;
      try {
        port.postMessage({ kind: 'done', index, result: synthesizeStack(jobs[index], backend, outdir) } satisfies SynthWorkerMessage);
      } catch (error) {
        port.postMessage({ kind: 'failed', index, message: (error as Error)?.message ?? String(error), stack: (error as Error)?.stack } satisfies SynthWorkerMessage);
        break;
      }
    }
    // Nothing else keeps the thread (the listener was for one message): it ends, and the main thread counts it out.
  });
}
