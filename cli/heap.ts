/**
 * How far V8 lets this process's heaps grow between full collections.
 *
 * By default V8 lets a heap grow up to fourfold past what its last full collection kept, when collections are quick.
 * Synthesizing a fleet makes a few MB of garbage per stack and keeps little: at 1,000 stacks one thread's memory rose
 * to 340 MB, with under 100 MB live. Growing by 30% at most keeps it under 200 MB, in the same time
 * (scripts/bench-synth.ts measures it). V8 reads the flag at each collection, for every thread of the process, but the
 * limit a heap has already reached stays until its next full collection: so it is set as the process starts, before
 * the config is read.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 30;

/** Sets the growth, unless the process was started with its own --heap-growing-percent. */
export function keepHeapsCompact(): void {
  const own = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => /--heap[-_]growing[-_]percent/.test(a));
  if (!own) setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
