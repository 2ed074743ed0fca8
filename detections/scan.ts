/**
 * Runs detections over a log, line by line, in bounded memory: per detection, the numbers of the matching lines
 * (4 bytes each) and match counts per alarm period, never the lines themselves.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { packageRoot } from '../config/package-root';
import { AlarmSimulator, type SimulatedAlarm } from './alarm-simulation';
import type { AlarmThreshold, DetectionDefinition } from './catalog';
import type { Engine } from '../config/aws';
import { detectFormat, type LogFormat } from './log-lines';
import { checkLogText, LineTooLongError, MAX_LINE_BYTES } from './read-lines';
import { compileChunkScanner, UNREADABLE_SHOWN, type ChunkResult } from './scan-chunk';
import type { ScanBlock, ScanReply, ScanWorkerData } from './scan-worker';

export interface ScanDetection extends AlarmThreshold {
  readonly definition: DetectionDefinition;
}

export interface ScanResult {
  readonly lines: number;
  readonly format: LogFormat;
  /** Lines no timestamp could be found for (before the first one that has one). */
  readonly untimed: number;
  /** Lines shaped like each engine's log, whichever engine's detections ran. */
  readonly linesByEngine: Readonly<Record<Engine, number>>;
  /** Lines shaped like neither engine's audit record (a statement's raw newline, another log): how many, and the first few. */
  readonly unreadable: { readonly count: number; readonly first: readonly number[] };
  readonly detections: ReadonlyArray<{ readonly detection: ScanDetection; readonly lines: Uint32Array; readonly alarms: readonly SimulatedAlarm[] }>;
  /** The threads that matched: 1, or the scan threads (this one then only read). */
  readonly threads: number;
}

/** A growable array of line numbers. */
class LineNumbers {
  private data = new Uint32Array(64);
  private size = 0;
  push(n: number): void {
    if (this.size === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.size++] = n;
  }
  values(): Uint32Array {
    return this.data.subarray(0, this.size);
  }
}

const FORMAT_SAMPLE_LINES = 20;

export interface ScanOptions {
  /**
   * Threads that match: with more than one, this thread reads blocks of lines and as many others scan them
   * (./scan-worker.ts), with the same answers. @default 1
   */
  readonly threads?: number;
  /** Bytes per block handed to a scan thread; small ones let tests cut lines' neighbours apart. @default 1 MiB */
  readonly blockBytes?: number;
}

export async function scanLog(input: Readable, detections: readonly ScanDetection[], format?: LogFormat, options: ScanOptions = {}): Promise<ScanResult> {
  // One thread, or (when the scan thread is built) this one and as many others as asked.
  const file = workerFile();
  const threads = file ? Math.max(1, options.threads ?? 1) : 1;
  return scanBlocks(input, detections, format, threads, file, options.blockBytes ?? BLOCK_BYTES);
}

/** The compiled scan thread, beside this file (dist) or in the package's dist (tests that run the sources). */
function workerFile(): string | undefined {
  return [path.join(__dirname, 'scan-worker.js'), path.join(packageRoot(), 'dist', 'detections', 'scan-worker.js')].find((f) => fs.existsSync(f));
}

/** About this much text goes to a scan thread at a time: big enough that handing it over costs little. */
const BLOCK_BYTES = 1 << 20;

/**
 * A log file opened for scanning, read a block at a time. A file stream reads 64 KiB ahead by default: while a block
 * is scanned (synchronously), one such read finishes, and the next block then waits for fifteen more. Reading a block
 * at a time keeps one block's read under way while another is scanned: a dense million-line log scans about 9% faster
 * (npm run bench:test-patterns reads its logs this way too).
 */
export function openLog(file: string): fs.ReadStream {
  return fs.createReadStream(file, { highWaterMark: BLOCK_BYTES });
}

/** A line too long, found while cutting blocks: its number is known once the blocks before it are counted. */
class LongLine extends Error {
  constructor(
    /** Newlines in the bytes after the last block handed out, before the long line. */
    readonly newlinesBefore: number,
    readonly maxBytes: number,
  ) {
    super('a line longer than any log event');
  }
}

const newlinesIn = (buffers: readonly Buffer[]) => buffers.reduce((n, b) => {
  for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  return n;
}, 0);

/**
 * Blocks of whole lines, cut at a newline. The scan threads count the lines; this thread only looks for each chunk's
 * first and last newline, and refuses a line longer than any log event (the line number
 * follows from the blocks' counts: see LongLine).
 */
async function* lineBlocks(input: Readable, blockBytes: number, maxBytes = MAX_LINE_BYTES): AsyncGenerator<Buffer> {
  let parts: Buffer[] = [];
  let partsBytes = 0;
  /** Bytes of the line under way, since the last newline. */
  let carry = 0;
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const first = buffer.indexOf(10);
    const last = first < 0 ? -1 : buffer.lastIndexOf(10);
    if (first < 0 ? carry + buffer.length > maxBytes : carry + first > maxBytes) throw new LongLine(newlinesIn(parts), maxBytes);
    // A chunk bigger than the longest line allowed may hold whole lines between its first and last newline: each is measured.
    if (buffer.length > maxBytes) {
      for (let at = first, next = buffer.indexOf(10, first + 1); next >= 0 && next <= last; at = next, next = buffer.indexOf(10, next + 1)) {
        if (next - at - 1 > maxBytes) throw new LongLine(newlinesIn(parts) + newlinesIn([buffer.subarray(0, at + 1)]), maxBytes);
      }
    }
    carry = first < 0 ? carry + buffer.length : buffer.length - last - 1;
    if (carry > maxBytes) throw new LongLine(newlinesIn([...parts, buffer]), maxBytes);
    if (last >= 0 && partsBytes + last + 1 >= blockBytes) {
      yield Buffer.concat([...parts, buffer.subarray(0, last + 1)]);
      parts = last + 1 < buffer.length ? [buffer.subarray(last + 1)] : [];
      partsBytes = buffer.length - last - 1;
    } else {
      parts.push(buffer);
      partsBytes += buffer.length;
    }
  }
  // The last block; its last line may have no newline.
  if (partsBytes > 0) yield Buffer.concat(parts);
}

/**
 * The scan: blocks of lines, each scanned by this thread or handed to one of `threads - 1` scan threads in turn, their
 * results merged in file order.
 */
async function scanBlocks(input: Readable, detections: readonly ScanDetection[], format: LogFormat | undefined, threads: number, file: string | undefined, blockBytes: number): Promise<ScanResult> {
  const blocks = lineBlocks(input, blockBytes);
  let first: IteratorResult<Buffer>;
  try {
    first = await blocks.next();
  } catch (error) {
    if (error instanceof LongLine) throw new LineTooLongError(error.newlinesBefore + 1, error.maxBytes);
    throw error;
  }
  if (!first.done) checkLogText(first.value);
  // The first lines decide the format, as they do for one thread.
  const resolved = format ?? detectFormat(first.done ? [] : first.value.toString('utf8').split('\n', FORMAT_SAMPLE_LINES).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l)));
  const simulators = detections.map((d) => new AlarmSimulator(d));
  const lineNumbers = detections.map(() => new LineNumbers());
  const linesByEngine: Record<Engine, number> = { 'aurora-mysql': 0, 'aurora-postgresql': 0 };
  const unreadableFirst: number[] = [];
  let lines = 0;
  let untimed = 0;
  let timeSeen = false;
  let lastTime: number | undefined;

  // This thread reads, and scans every `threads`-th block itself: `threads - 1` others scan the rest.
  const scanHere = compileChunkScanner(detections.map((d) => d.definition), resolved);
  const workers = Array.from({ length: threads - 1 }, () => new Worker(file!, { workerData: { definitions: detections.map((d) => ({ pattern: d.definition.pattern })), format: resolved } satisfies ScanWorkerData }));
  const waiting = new Map<number, { resolve: (r: ChunkResult) => void; reject: (e: Error) => void }>();
  let failed: Error | undefined;
  const fail = (error: Error) => {
    failed ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  for (const w of workers) {
    w.on('message', (reply: ScanReply) => {
      const waiter = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ('error' in reply) fail(new Error(`a scan thread failed: ${reply.error}`));
      else waiter?.resolve(reply.result);
    });
    w.on('error', fail);
  }
  const merge = (result: ChunkResult) => {
    const offset = lines;
    lines += result.lines;
    if (!timeSeen) untimed += Number.isNaN(result.lastTime) ? result.lines : result.leadingUntimed;
    result.matches.forEach((m, d) => {
      for (let i = 0; i < m.lines.length; i++) {
        lineNumbers[d].push(offset + m.lines[i]);
        const time = Number.isNaN(m.times[i]) ? lastTime : m.times[i];
        if (time !== undefined) simulators[d].add(time);
      }
    });
    for (const engine of Object.keys(linesByEngine) as Engine[]) linesByEngine[engine] += result.linesByEngine[engine];
    for (const n of result.unreadableFirst) if (unreadableFirst.length < UNREADABLE_SHOWN) unreadableFirst.push(offset + n);
    if (!Number.isNaN(result.lastTime)) {
      lastTime = result.lastTime;
      timeSeen = true;
    }
  };

  try {
    // Each thread holds at most two blocks: one it scans, one waiting; the results are merged in file order.
    const inFlight: Array<Promise<ChunkResult>> = [];
    let id = 0;
    const send = (block: Buffer) => {
      if (id % threads === threads - 1) {
        if (failed) throw failed;
        inFlight.push(Promise.resolve(scanHere(block.toString('utf8'))));
        id++;
        return;
      }
      // A block of its own (Buffer.concat makes one past 4 KiB) is handed over as it is; a slice of a shared one is copied.
      const own = block.byteOffset === 0 && block.byteLength === block.buffer.byteLength;
      const bytes = (own ? block.buffer : new Uint8Array(block).buffer) as ArrayBuffer;
      const worker = workers[(id % threads) % workers.length];
      const promise = new Promise<ChunkResult>((resolve, reject) => waiting.set(id, { resolve, reject }));
      // Awaited in turn below; until then a failure must not count as unhandled.
      promise.catch(() => undefined);
      if (failed) throw failed;
      worker.postMessage({ id, bytes } satisfies ScanBlock, [bytes]);
      inFlight.push(promise);
      id++;
    };
    const drain = async (keep: number) => {
      while (inFlight.length > keep) merge(await inFlight.shift()!);
    };
    try {
      if (!first.done) send(first.value);
      for await (const block of blocks) {
        await drain(threads * 2 - 1);
        send(block);
      }
    } catch (error) {
      if (!(error instanceof LongLine)) throw error;
      // Its number: the lines of every block before it, then the newlines since.
      await drain(0);
      throw new LineTooLongError(lines + error.newlinesBefore + 1, error.maxBytes);
    }
    await drain(0);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return {
    lines,
    format: resolved,
    untimed,
    linesByEngine,
    unreadable: { count: lines - linesByEngine['aurora-mysql'] - linesByEngine['aurora-postgresql'], first: unreadableFirst },
    detections: detections.map((detection, d) => ({ detection, lines: lineNumbers[d].values(), alarms: simulators[d].alarms() })),
    threads,
  };
}
