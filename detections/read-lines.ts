/**
 * Lines of a log file, read chunk by chunk in bounded memory. Unlike readline, it refuses a line longer than any
 * log event can be, so a 700 MB file without a newline (or /dev/zero) is a clear error within a megabyte instead
 * of an out-of-memory crash.
 */
import type { Readable } from 'node:stream';
import { CLOUDWATCH_MAX_EVENT_BYTES } from '../config/aws';

/** A CloudWatch event, and the timestamp prefix an export to S3 adds to it. */
export const MAX_LINE_BYTES = CLOUDWATCH_MAX_EVENT_BYTES + 64;

export class LineTooLongError extends Error {
  constructor(
    readonly lineNumber: number,
    readonly maxBytes: number,
  ) {
    super(`line ${lineNumber} is longer than ${Math.round(maxBytes / 1024)} KiB, which no log event can be (CloudWatch Logs events are at most 1 MB)`);
  }
}

/** Yields each line without its line ending (\n or \r\n); a last line without a newline is yielded too. */
export async function* readLines(input: Readable, maxBytes = MAX_LINE_BYTES): AsyncGenerator<string> {
  for await (const batch of readLineBatches(input, maxBytes)) yield* batch;
}

/**
 * The same lines, as the lines each chunk of the input completes: one step of the async iteration per chunk rather than
 * per line, which is most of what reading a million short lines costs.
 */
export async function* readLineBatches(input: Readable, maxBytes = MAX_LINE_BYTES): AsyncGenerator<string[]> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let lineNumber = 0;
  const take = (tail: Buffer): string => {
    const whole = pending.length === 0 ? tail : Buffer.concat([...pending, tail]);
    pending = [];
    pendingBytes = 0;
    const end = whole.length > 0 && whole[whole.length - 1] === 13 ? whole.length - 1 : whole.length;
    return whole.toString('utf8', 0, end);
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const batch: string[] = [];
    let start = 0;
    for (;;) {
      const newline = buffer.indexOf(10, start);
      if (newline < 0) break;
      lineNumber++;
      if (pendingBytes + newline - start > maxBytes) throw new LineTooLongError(lineNumber, maxBytes);
      batch.push(take(buffer.subarray(start, newline)));
      start = newline + 1;
    }
    if (batch.length > 0) yield batch;
    if (start < buffer.length) {
      pending.push(buffer.subarray(start));
      pendingBytes += buffer.length - start;
      if (pendingBytes > maxBytes) throw new LineTooLongError(lineNumber + 1, maxBytes);
    }
  }
  if (pendingBytes > 0) {
    lineNumber++;
    yield [take(Buffer.alloc(0))];
  }
}
