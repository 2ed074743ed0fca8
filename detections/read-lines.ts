/**
 * The longest line a log file may hold. Unlike readline, the scan (./scan.ts) refuses a line longer than any log event
 * can be, so a 700 MB file without a newline (or /dev/zero) is a clear error within a megabyte instead of an
 * out-of-memory crash.
 */
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
