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

/** A log that is not UTF-8 text: UTF-16 (a Windows tool wrote it), or not text at all. */
export class NotTextLogError extends Error {}

/**
 * Refuses a log's first block when it is not the UTF-8 text RDS and CloudWatch Logs write: a UTF-16 byte order mark,
 * or a quarter or more of NUL bytes among its first 4 KiB (UTF-16 without a mark, or a binary file). Scanned as it is,
 * such a file would count nothing and look like a log whose patterns never match. A stray NUL in a logged statement
 * stays allowed.
 */
export function checkLogText(first: Buffer): void {
  if ((first[0] === 0xff && first[1] === 0xfe) || (first[0] === 0xfe && first[1] === 0xff)) {
    throw new NotTextLogError('is UTF-16 text (it starts with a UTF-16 byte order mark), not the UTF-8 RDS and CloudWatch Logs write; convert it (iconv -f UTF-16 -t UTF-8) and scan that');
  }
  const head = first.subarray(0, 4096);
  let nuls = 0;
  for (const byte of head) if (byte === 0) nuls += 1;
  if (head.length > 0 && nuls * 4 >= head.length) {
    throw new NotTextLogError(`is not UTF-8 text: ${nuls} of its first ${head.length} bytes are NUL, as in UTF-16 or a binary file; convert a UTF-16 log (iconv -f UTF-16 -t UTF-8) and scan that`);
  }
}
