/**
 * Reading one audit log line into who did what: the Aurora MySQL Advanced Auditing CSV row (docs/facts.md, Advanced Auditing)
 * or an Aurora PostgreSQL line with its `%t:%r:%u@%d:[%p]:` prefix and pgAudit's CSV (docs/facts.md, pgAudit). Shared by
 * `test-patterns` (which engine a log looks like) and the alert-details function (what goes into Slack).
 *
 * Parsing is by hand, left to right with no backtracking regex over the statement, so a hostile 256 KB line costs
 * one pass.
 */
import type { Engine } from '../config/aws';

export interface AuditRecord {
  readonly engine: Engine;
  /** Epoch milliseconds, when the line carries a time. */
  readonly timeMs?: number;
  readonly user: string;
  /** The client host (MySQL) or host(port) (PostgreSQL); empty when the log has none. */
  readonly host: string;
  readonly database: string;
  /** MySQL: QUERY, CONNECT, FAILED_CONNECT, TABLE-event operations. PostgreSQL: the level (LOG, FATAL, ...). */
  readonly operation: string;
  /** pgAudit's statement class (DDL, ROLE, READ, ...) and command (DROP TABLE); undefined elsewhere. */
  readonly statementClass?: string;
  readonly command?: string;
  /** The statement as it was sent (the log's escapes undone), or the message of a non-audit line. */
  readonly statement: string;
  /** MySQL: the return code (0 success; 1045 access denied). */
  readonly retcode?: string;
}

/** Reads a line of either engine's log, or undefined when it is neither. */
export function parseAuditLine(line: string): AuditRecord | undefined {
  return parseMysqlAudit(line) ?? parsePostgresLine(line);
}

/** Which engine's log a line comes from, by its shape alone. */
export function engineOfLine(line: string): Engine | undefined {
  // Both start with a digit; the regexes run only on lines that have the right character at the right place.
  const first = line.charCodeAt(0);
  if (first < 48 || first > 57) return undefined;
  if (line.charCodeAt(16) === 44 && MYSQL_START.test(line)) return 'aurora-mysql';
  if (line.charCodeAt(4) === 45 && PG_START.test(line)) return 'aurora-postgresql';
  return undefined;
}

const MYSQL_START = /^\d{16},[^,]*,/;
const PG_START = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? UTC:/;

/** `user,host,connectionid,queryid,OPERATION,database`, the user possibly holding commas: read from the right. */
const MYSQL_MIDDLE = /^(.*),([^,]*),(\d+),(\d+),([A-Z_]+),([^,]*)$/s;

function parseMysqlAudit(line: string): AuditRecord | undefined {
  if (!MYSQL_START.test(line)) return undefined;
  const timeMs = Math.floor(Number(line.slice(0, 16)) / 1000);
  const afterHost = line.indexOf(',', 17) + 1;
  // `,'` never occurs inside a statement (a quote there is written \'), so the first one opens it.
  const quote = line.indexOf(",'", afterHost);
  let middle: string;
  let statement: string;
  let retcode: string;
  if (quote >= 0) {
    middle = line.slice(afterHost, quote);
    const { text, end } = readQuoted(line, quote + 2);
    statement = text;
    retcode = line.slice(end + 1).split(',')[1] ?? '';
  } else {
    // CONNECT, FAILED_CONNECT and TABLE-event rows: `...,database,object,retcode`.
    const last = line.lastIndexOf(',');
    const object = line.lastIndexOf(',', last - 1);
    if (object < afterHost) return undefined;
    middle = line.slice(afterHost, object);
    statement = line.slice(object + 1, last);
    retcode = line.slice(last + 1);
  }
  const m = MYSQL_MIDDLE.exec(middle);
  if (!m) return undefined;
  return { engine: 'aurora-mysql', timeMs, user: m[1], host: m[2], operation: m[5], database: m[6], statement, retcode };
}

const UNESCAPE: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', "'": "'", '\\': '\\' };

/** The statement from after its opening quote to the closing one, escapes undone (MariaDB's escape_string). */
function readQuoted(line: string, start: number): { text: string; end: number } {
  let text = '';
  let i = start;
  for (; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      const next = line[++i];
      text += UNESCAPE[next] ?? `\\${next}`;
    } else if (c === "'") {
      break;
    } else {
      text += c;
    }
  }
  return { text, end: i };
}

function parsePostgresLine(line: string): AuditRecord | undefined {
  const start = PG_START.exec(line);
  if (!start) return undefined;
  const timeMs = Date.parse(`${line.slice(0, 10)}T${line.slice(11, start[0].length - 5)}Z`);
  const pid = /:\[(\d+)\]:/.exec(line.slice(start[0].length));
  if (!pid) return undefined;
  // %r:%u@%d, where the host may be IPv6 (colons) and is followed by (port).
  const who = line.slice(start[0].length, start[0].length + pid.index);
  const at = who.lastIndexOf('@');
  const hostUser = at >= 0 ? who.slice(0, at) : who;
  const colon = hostUser.lastIndexOf(':');
  const host = colon >= 0 ? hostUser.slice(0, colon) : '';
  const user = colon >= 0 ? hostUser.slice(colon + 1) : hostUser;
  const database = at >= 0 ? who.slice(at + 1) : '';
  const rest = line.slice(start[0].length + pid.index + pid[0].length);
  // LOG, FATAL, ...; DEBUG1 to DEBUG5 where pgaudit.log_level asks for them.
  const level = /^([A-Z]+[0-9]?):\s+/.exec(rest);
  const operation = level?.[1] ?? '';
  const message = level ? rest.slice(level[0].length) : rest;
  const base = { engine: 'aurora-postgresql' as const, timeMs: Number.isFinite(timeMs) ? timeMs : undefined, user, host, database, operation };
  if (!message.startsWith('AUDIT: ')) return { ...base, statement: message };
  // AUDIT_TYPE,STATEMENT_ID,SUBSTATEMENT_ID,CLASS,COMMAND,OBJECT_TYPE,OBJECT_NAME,STATEMENT,PARAMETER
  const fields = readCsv(message.slice('AUDIT: '.length), 9);
  return { ...base, statementClass: fields[3], command: fields[4], statement: fields[7] ?? '' };
}

/** The first `count` fields of a CSV text, the last one taking the rest; quoted fields may hold commas and "". */
function readCsv(text: string, count: number): string[] {
  const fields: string[] = [];
  let i = 0;
  while (fields.length < count && i <= text.length) {
    if (text[i] === '"') {
      let value = '';
      i++;
      while (i < text.length) {
        if (text[i] === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          value += text[i++];
        }
      }
      fields.push(value);
      i = text.indexOf(',', i) < 0 ? text.length + 1 : text.indexOf(',', i) + 1;
    } else if (fields.length === count - 1) {
      fields.push(text.slice(i));
      break;
    } else {
      const comma = text.indexOf(',', i);
      fields.push(comma < 0 ? text.slice(i) : text.slice(i, comma));
      i = comma < 0 ? text.length + 1 : comma + 1;
    }
  }
  return fields;
}
