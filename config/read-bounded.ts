import * as fs from 'node:fs';

/** A file was longer than its reader allows. */
export class FileTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`longer than ${maxBytes} bytes`);
  }
}

/**
 * A file's text, read without ever holding more than `maxBytes`: a wrong file, or /dev/zero, is a FileTooLargeError
 * within that many bytes instead of an out-of-memory crash. Other failures are the errno errors of fs.
 */
export function readFileBounded(file: string, maxBytes: number): string {
  const fd = fs.openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, maxBytes + 1 - total));
      const n = fs.readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > maxBytes) throw new FileTooLargeError(maxBytes);
    }
    return Buffer.concat(chunks).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
