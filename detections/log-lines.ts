/**
 * Reading Aurora log files as they come: downloaded from RDS (the engine's own lines) or exported from CloudWatch
 * Logs (each line prefixed with the event's ISO timestamp). Yields the message CloudWatch would match, and a time
 * for it: its own, or that of the last line that had one (slow-query entries span several lines).
 */

export type LogFormat = 'rds' | 'cloudwatch-export';

/** `2024-01-21T17:56:55.000Z message`: CloudWatch's export to S3 writes millisecond timestamps. */
const EXPORT_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (.*)$/s;

/** A file is a CloudWatch export when every sampled line carries the export prefix. */
export function detectFormat(sample: readonly string[]): LogFormat {
  const lines = sample.filter((l) => l.trim() !== '');
  return lines.length > 0 && lines.every((l) => EXPORT_PREFIX.test(l)) ? 'cloudwatch-export' : 'rds';
}

const TIMESTAMPS: ReadonlyArray<[RegExp, (m: RegExpExecArray) => number]> = [
  // Aurora MySQL audit: epoch microseconds.
  [/^(\d{16}),/, (m) => Math.floor(Number(m[1]) / 1000)],
  // RDS for MySQL / MariaDB audit plugin: 20221201 14:07:05.
  [/^(\d{4})(\d{2})(\d{2}) (\d{2}):(\d{2}):(\d{2}),/, (m) => Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])],
  // MySQL error log, slow-log header: ISO 8601 in UTC.
  [/^(?:# Time: )?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z)/, (m) => Date.parse(m[1])],
  // Slow log: the statement's own epoch seconds.
  [/^SET timestamp=(\d+);/, (m) => Number(m[1]) * 1000],
  // PostgreSQL (log_line_prefix %t): 2021-10-30 07:23:56 UTC.
  [/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC:/, (m) => Date.parse(`${m[1]}T${m[2]}Z`)],
];

/** Sixteen digits and a comma: an Aurora MySQL audit line's epoch microseconds, read without a regex (most lines are these). */
function auditMicros(message: string): number | undefined {
  if (message.length < 17 || message.charCodeAt(16) !== 44) return undefined;
  for (let i = 0; i < 16; i++) {
    const c = message.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
  }
  return Math.floor(Number(message.slice(0, 16)) / 1000);
}

export function timestampOf(message: string): number | undefined {
  const micros = auditMicros(message);
  if (micros !== undefined) return micros;
  for (const [pattern, read] of TIMESTAMPS) {
    const m = pattern.exec(message);
    if (m) {
      const t = read(m);
      return Number.isFinite(t) ? t : undefined;
    }
  }
  return undefined;
}

export interface LogLine {
  /** What CloudWatch matches: the event message, without an export's timestamp prefix. */
  readonly message: string;
  /** Epoch milliseconds, own or inherited; undefined before the first line that has one. */
  readonly timestampMs?: number;
}

/** One line by itself: the message CloudWatch matches, and the line's own time, if it has one. */
export function readLine(raw: string, format: LogFormat): { message: string; own?: number } {
  let message = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  let own: number | undefined;
  if (format === 'cloudwatch-export') {
    const m = EXPORT_PREFIX.exec(message);
    if (m) {
      own = Date.parse(m[1]);
      message = m[2];
    }
  }
  own ??= timestampOf(message);
  return { message, own };
}

/** A stateful reader: feed it lines in file order. */
export function lineReader(format: LogFormat): (raw: string) => LogLine {
  let last: number | undefined;
  return (raw) => {
    const { message, own } = readLine(raw, format);
    if (own !== undefined) last = own;
    return { message, timestampMs: last };
  };
}
