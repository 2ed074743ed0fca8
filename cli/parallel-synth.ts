/**
 * The synthesis `aurora-audit synth` runs: main.ts's, over several threads when there are enough stacks to pay for them.
 *
 * Synthesizing a stack is synchronous JavaScript, so one thread uses one core. Here the main thread and worker threads
 * (cli/synth-worker.ts) take stacks from one list through a shared counter, and each synthesizes what it takes exactly
 * as main.ts's one-thread synthesis would: the same function, the same per-stack App, into the same directory. The
 * output's manifest and marker are written once, in the config's order. test/cli/parallel-synth.test.ts compares the
 * output with a plain cdktf app's, byte for byte.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { stackNames, type AuditModel } from '../config/model';
import { packageRoot } from '../config/package-root';
import { copyFromPrevious, finishSynthesis, planSynthesis, type SynthesizeOptions } from '../main';
import { synthesizeStack, type StackJob, type SynthesizedStack } from '../stacks/synthesize-stack';
import type { SynthWorkerData, SynthWorkerMessage, SynthWorkerStart } from './synth-worker';

/**
 * Below this many stacks to synthesize, no worker is started. A worker loads cdktf and the provider classes and warms
 * up before it is as fast as the main thread, and takes about 75 MB. Measured on 2 cores, one thread against two: 40
 * stacks 1.24 s against 1.32 s; 60 stacks 1.67 s against 1.73 s; 80 stacks 2.5–2.9 s against 2.2–2.4 s; 100
 * stacks 3.0 s against 2.2 s.
 */
export const PARALLEL_FROM = 80;

/** At most this many threads: each holds its own cdktf, and the memory goal is for the whole process. */
const MAX_THREADS = 4;

export interface ParallelSynthesizeOptions extends SynthesizeOptions {
  /** Threads that synthesize, the main thread included. @default - the cores this process may use, at most 4 */
  readonly threads?: number;
}

/** The threads a synthesis uses by default: one per core this process may use, at most 4. */
export function defaultThreads(): number {
  return Math.max(1, Math.min(os.availableParallelism(), MAX_THREADS));
}

/**
 * The compiled worker. Under the test runner this module is TypeScript, and the worker is the build's (npm test builds
 * first); none at all means no worker is started.
 */
function workerFile(): string | undefined {
  return [path.join(__dirname, 'synth-worker.js'), path.join(packageRoot(), 'dist', 'cli', 'synth-worker.js')].find((f) => fs.existsSync(f));
}

/**
 * Like main.ts's synthesisSteps: yields each stack's name once it is written (copied from the earlier output, or
 * synthesized by any thread), so that a caller can stop between stacks; stopping, or a failure, terminates the
 * workers before it returns. Returns the directory written to.
 */
export async function* parallelSynthesisSteps(model: AuditModel, options: ParallelSynthesizeOptions = {}): AsyncGenerator<string, string> {
  const file = workerFile();
  const workerCount = file ? Math.max(0, (options.threads ?? defaultThreads()) - 1) : 0;
  const next = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
  const counter = new Int32Array(next);
  let jobs: StackJob[] = [];
  const results = new Map<string, SynthesizedStack>();
  const reported: string[] = [];
  let failedJob: StackJob | undefined;
  let workerError: Error | undefined;
  let running = 0;
  let wake: (() => void) | undefined;
  let workers: Worker[] = [];
  /** Starts the workers, listened to from the first moment: a worker that fails while loading is heard. */
  const startWorkers = () => {
    // Each thread reads the alert-details package's manifest before its first stack that has the function; a worker
    // does it while it waits for the stacks.
    const workerData: SynthWorkerData = { readAlertDetails: model.stacks.some((s) => s.alertDetails) };
    return Array.from({ length: workerCount }, () => {
      const worker = new Worker(file!, { workerData });
      running += 1;
      worker.on('message', (message: SynthWorkerMessage) => {
        if (message.kind === 'done') {
          results.set(message.result.name, message.result);
          options.onSynthesized?.(message.result.name, message.result.threadId ?? worker.threadId);
          reported.push(message.result.name);
        } else {
          failedJob ??= jobs[message.index];
        }
        wake?.();
      });
      worker.on('error', (error) => {
        workerError ??= error;
        wake?.();
      });
      worker.on('exit', () => {
        running -= 1;
        wake?.();
      });
      return worker;
    });
  };
  // A synthesis from nothing synthesizes every stack, so its workers can load cdktf while the stacks are planned.
  if (!options.previous && !options.only && stackNames(model).length >= PARALLEL_FROM) workers = startWorkers();
  try {
    const plan = planSynthesis(model, options);
    jobs = yield* copyFromPrevious(plan, options, results);
    if (jobs.length < PARALLEL_FROM) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      workers = [];
      workerError = undefined;
    } else if (workers.length === 0) {
      workers = startWorkers();
    }

    // cdktf makes the output directory and its stacks/ with a check and then a mkdir; made here first, two threads
    // cannot race to make them.
    if (workers.length > 0) fs.mkdirSync(path.join(plan.outdir, 'stacks'), { recursive: true });
    const start: SynthWorkerStart = { jobs, backend: model.backend, outdir: plan.outdir, next, mode: plan.mode };
    for (const worker of workers) worker.postMessage(start);

    /** A stack a worker could not synthesize is synthesized here, so that its error is the one a one-thread synth raises. */
    const raiseFailure = () => {
      if (failedJob) {
        synthesizeStack(failedJob, model.backend, plan.outdir);
        throw new Error(`a synthesis thread failed on stack ${failedJob.name}, which this thread synthesizes without error`);
      }
      if (workerError) throw workerError;
    };

    for (;;) {
      while (reported.length > 0) yield reported.shift()!;
      raiseFailure();
      const index = Atomics.add(counter, 0, 1);
      if (index >= jobs.length) break;
      results.set(jobs[index].name, synthesizeStack(jobs[index], model.backend, plan.outdir));
      options.onSynthesized?.(jobs[index].name, 0);
      yield jobs[index].name;
    }
    while (running > 0 || reported.length > 0) {
      while (reported.length > 0) yield reported.shift()!;
      raiseFailure();
      if (running > 0) await new Promise<void>((resolve) => (wake = resolve));
    }
    raiseFailure();
    const lost = jobs.find((job) => !results.has(job.name));
    if (lost) throw new Error(`a synthesis thread stopped before it wrote stack ${lost.name}`);
    return finishSynthesis(plan, results);
  } finally {
    // Nothing more is taken, and no worker is left writing into a directory the caller may be about to remove.
    Atomics.store(counter, 0, jobs.length);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
