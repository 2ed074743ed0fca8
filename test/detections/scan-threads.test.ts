/**
 * scanLog with scan threads gives the answers it gives on one: the same matching lines, alarms, untimed lines and
 * format, on logs cut into blocks small enough that lines, their time and the lines that inherit it fall into
 * different blocks. The threads run the built dist/detections/scan-worker.js.
 */
import { Readable } from 'node:stream';
import { DETECTIONS } from '../../detections';
import { LineTooLongError } from '../../detections/read-lines';
import { scanLog, type ScanDetection } from '../../detections/scan';
import { queryRow } from '../support/sql-shapes';
import { pgauditLines } from '../support/corpora';

const mysql: ScanDetection[] = DETECTIONS['aurora-mysql'].map((definition) => ({ definition, ...definition.defaults }));
const postgres: ScanDetection[] = DETECTIONS['aurora-postgresql'].map((definition) => ({ definition, ...definition.defaults }));
const from = (text: string | Buffer) => Readable.from([typeof text === 'string' ? Buffer.from(text) : text]);

/** A MySQL audit log: untimed lines first, then a burst of every kind of line, a minute apart in places. */
function auditLog(): string {
  const lines = ['garbage before any time', 'more garbage'];
  const statements = ['SELECT 1', 'DROP TABLE t', "GRANT ALL ON *.* TO 'bob'@'%'", 'TRUNCATE TABLE audit', 'CREATE TABLE x (a int)', "INSERT INTO n VALUES ('drop table x')"];
  let us = Date.parse('2024-01-21T17:00:00Z') * 1000;
  for (let i = 0; i < 3000; i++) {
    us += (i % 97 === 0 ? 61_000_000 : 700_000) + (i % 3);
    lines.push(i % 11 === 0 ? `${us},db-1,root,203.0.113.9,${i},0,FAILED_CONNECT,,,1045` : queryRow(statements[i % statements.length], 'escaped', { timeUs: us }));
    if (i % 250 === 0) lines.push('a line with no time of its own, which takes the last one');
  }
  return `${lines.join('\n')}\n`;
}

/** A slow query log: the time is on the header and SET timestamp lines, the statement lines inherit it. */
function slowLog(): string {
  const out: string[] = [];
  let t = Date.parse('2024-01-21T17:00:00Z') / 1000;
  for (let i = 0; i < 400; i++) {
    t += i % 5 === 0 ? 400 : 3;
    out.push(`# Time: ${new Date(t * 1000).toISOString()}`, '# User@Host: app[app] @  [10.0.0.5]  Id: 42', `# Query_time: ${(i % 13) + 0.5}  Lock_time: 0.000  Rows_sent: 1  Rows_examined: 100000`, `SET timestamp=${t};`, 'SELECT * FROM orders;');
  }
  return out.join('\r\n');
}

const cases: Array<[string, () => string | Buffer, ScanDetection[]]> = [
  ['an Aurora MySQL audit log with untimed lines first, and lines that inherit a time', auditLog, mysql],
  ['a slow query log with CRLF endings and no newline at the end', slowLog, mysql],
  ['the same audit log, exported from CloudWatch Logs', () => auditLog().split('\n').map((l, i) => (l ? `${new Date(Date.parse('2024-01-21T17:00:00Z') + i * 1000).toISOString()} ${l}` : l)).join('\n'), mysql],
  [
    'pgAudit\'s own regression output, behind the Aurora PostgreSQL prefix, a second apart',
    () =>
      pgauditLines()
        .map((line, i) => `${new Date(Date.parse('2024-01-21T17:00:00Z') + i * 1000).toISOString().replace('T', ' ').slice(0, 19)} UTC:10.0.1.25(50222):app@appdb:[43627]:${line}`)
        .join('\n'),
    postgres,
  ],
  ['an empty file', () => '', mysql],
  ['one line without a newline', () => queryRow('DROP TABLE t', 'escaped', { timeUs: 1_700_000_000_000_000 }), mysql],
];

describe('scan threads give the answers of one thread', () => {
  test.each(cases)('%s', async (_what, text, detections) => {
    const one = await scanLog(from(text()), detections);
    for (const blockBytes of [64, 1000, 1 << 20]) {
      const threaded = await scanLog(from(text()), detections, undefined, { threads: 2, blockBytes });
      expect([one.threads, threaded.threads]).toEqual([1, 2]);
      expect({ blockBytes, ...threaded, threads: 0, detections: threaded.detections.map((d) => ({ id: d.detection.definition.id, lines: [...d.lines], alarms: d.alarms })) }).toEqual({
        blockBytes,
        ...one,
        threads: 0,
        detections: one.detections.map((d) => ({ id: d.detection.definition.id, lines: [...d.lines], alarms: d.alarms })),
      });
    }
    // Something was found where something is to find: the comparison is not of two empty results.
    if (text().length > 100) expect(one.detections.some((d) => d.lines.length > 0)).toBe(true);
  });

  /** The text as one chunk, or in 64 KiB chunks as a file stream reads it. */
  const chunked = (text: string, size?: number) => {
    const bytes = Buffer.from(text);
    if (!size) return Readable.from([bytes]);
    const parts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
    return Readable.from(parts);
  };
  const ok = (n: number) => Array.from({ length: n }, (_, i) => queryRow('SELECT 1', 'escaped', { timeUs: 1_700_000_000_000_000 + i })).join('\n');
  test.each([
    ['after a line, ending in a newline', `${ok(1)}\n${'x'.repeat(1_100_000)}\n${ok(2)}\n`],
    ['after 3,000 lines, at the end without a newline', `${ok(3000)}\n${'x'.repeat(1_100_000)}`],
    ['first', `${'x'.repeat(1_100_000)}\n${ok(3)}`],
  ])('a line longer than any log event, %s, is refused with the same line number, however the file is read', async (_where, text) => {
    const one = await scanLog(chunked(text), mysql).catch((e) => e);
    expect(one).toBeInstanceOf(LineTooLongError);
    for (const size of [undefined, 65_536]) {
      for (const blockBytes of [1000, 1 << 20]) {
        const threaded = await scanLog(chunked(text, size), mysql, undefined, { threads: 2, blockBytes }).catch((e) => e);
        expect({ size, blockBytes, error: threaded instanceof LineTooLongError, line: threaded.lineNumber }).toEqual({ size, blockBytes, error: true, line: one.lineNumber });
      }
    }
  });
});
