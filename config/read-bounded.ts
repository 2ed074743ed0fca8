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
  return utf8Text(readBytesBounded(file, maxBytes));
}

/** readFileBounded's bytes, before they are read as text. */
export function readBytesBounded(file: string, maxBytes: number): Buffer {
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
    return Buffer.concat(chunks);
  } finally {
    fs.closeSync(fd);
  }
}

/** A text that is not UTF-8: `why` says what it is instead, and where. */
export class NotUtf8Error extends Error {
  constructor(
    readonly why: string,
    /** 1-based line of the first byte UTF-8 cannot hold (a message names it beside the file); none for UTF-16. */
    readonly line?: number,
  ) {
    super(why);
  }
}

/** The UTF-16 a byte order mark at the start of `bytes` names, if one does. */
export function utf16ByteOrder(bytes: Buffer): 'UTF-16LE' | 'UTF-16BE' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'UTF-16LE';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'UTF-16BE';
  return undefined;
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * `bytes` as UTF-8 text (a UTF-8 byte order mark kept, as the reader expects it), or a NotUtf8Error that names what
 * they are: UTF-16 (PowerShell 5's `>` writes it), or the first byte UTF-8 cannot hold, by offset and line. Decoding
 * with replacement characters would hand the parser a text that is not the file.
 */
export function utf8Text(bytes: Buffer): string {
  const utf16 = utf16ByteOrder(bytes);
  if (utf16) throw new NotUtf8Error(`is ${utf16} text (it starts with a UTF-16 byte order mark), not UTF-8; save it as UTF-8`);
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    // Where: each U+FFFD of the lenient reading is either one the file holds (the bytes EF BF BD) or a replacement for
    // bytes UTF-8 cannot hold. Up to the first replacement every earlier one is the file's own, three bytes long, so
    // counting bytes from one to the next gives the offset exactly.
    const text = bytes.toString('utf8');
    let offset = 0;
    let from = 0;
    for (let i = text.indexOf('\ufffd'); i !== -1; i = text.indexOf('\ufffd', i + 1)) {
      offset += Buffer.byteLength(text.slice(from, i), 'utf8');
      from = i;
      if (bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd) continue;
      const hex = bytes[offset].toString(16).toUpperCase().padStart(2, '0');
      const line = text.slice(0, i).split('\n').length;
      throw new NotUtf8Error(`is not UTF-8 text: the byte 0x${hex} at offset ${offset} is not a UTF-8 character; save it as UTF-8`, line);
    }
    throw new NotUtf8Error('is not UTF-8 text; save it as UTF-8');
  }
}

/**
 * A JSON text as a tool wrote it: UTF-8, with or without a byte order mark, or UTF-16 with one (PowerShell 5's `>`
 * writes `terraform show -json` that way). Anything else is a NotUtf8Error.
 */
export function jsonText(bytes: Buffer): string {
  const utf16 = utf16ByteOrder(bytes);
  if (utf16 === 'UTF-16LE') return bytes.subarray(2).toString('utf16le');
  if (utf16 === 'UTF-16BE') return Buffer.from(bytes.subarray(2, bytes.length - (bytes.length % 2))).swap16().toString('utf16le');
  const text = utf8Text(bytes);
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}
