/**
 * Saved CloudWatch Logs Insights queries over the audit logs, one set per engine. Each starts by parsing the line
 * format into named fields (the same regular expressions the tests run against real and adversarial lines), so the
 * rest of the query reads like the question it answers.
 *
 * Aurora MySQL audit lines (Aurora User Guide, "Advanced Auditing"):
 *   timestamp,serverhost,username,host,connectionid,queryid,operation,database,object,retcode
 * The object (the statement, quoted) may hold commas; the return code never does, so it is read from the end.
 *
 * Aurora PostgreSQL lines carry the prefix log_line_prefix `%t:%r:%u@%d:[%p]:` (time, remote host and port, user and
 * database, process id), then the severity and the message; pgAudit's message is `AUDIT: <type>,<statement id>,
 * <substatement id>,<class>,<command>,<object type>,<object name>,<statement>,<parameter>`.
 */
import type { Engine } from '../config/aws';

/** The stable ids of the saved queries: part of their names (`aurora-audit/<stack>/<engine>/<id>`). */
export const QUERY_IDS = ['who-dropped-what', 'failed-logins', 'privilege-changes', 'one-connection', 'busiest-users'] as const;
export type QueryId = (typeof QUERY_IDS)[number];

export interface InsightsQuery {
  readonly id: QueryId;
  /** What it answers, for the README and the summary. */
  readonly title: string;
  readonly query: string;
}

/**
 * Named fields of an Aurora MySQL audit line: ts, serverhost, user, host, connection, queryid, operation, db, object
 * (the statement, in its quotes) and retcode. Read as detections/records.ts reads it: the user may hold commas, so the
 * fields after it are found by their shapes (digits, the capitals of an operation) up to the first quote, which opens
 * the statement; test/detections/insights-queries.test.ts runs both on every catalog sample.
 */
export const MYSQL_AUDIT_FIELDS =
  /^(?<ts>\d+),(?<serverhost>[^,]*),(?<user>[^']*),(?<host>[^,']*),(?<connection>\d+),(?<queryid>\d+),(?<operation>[A-Z_]+),(?<db>[^,']*),(?<object>.*),(?<retcode>-?\d*)$/;

/**
 * Named fields of an Aurora PostgreSQL log line: time, host (an IPv6 address keeps its colons; `[local]` has no port),
 * user, db, pid, severity and text (the message). As detections/records.ts reads it: the database follows the last `@`
 * before `:[pid]:`, the user the last `:` before that `@`.
 */
export const POSTGRESQL_LINE_FIELDS =
  /^(?<time>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)? \w+):(?<host>.*?)(?:\(\d+\))?:(?<user>[^:]*)@(?<db>[^@]*?):\[(?<pid>\d+)\]:(?<severity>[A-Z]+[0-9]?):\s+(?<text>.*)$/;

/** Named fields of a pgAudit message: auditType, class, command, objectType, objectName, statement (with its parameter). */
export const PGAUDIT_FIELDS =
  /^AUDIT: (?<auditType>SESSION|OBJECT),\d+,\d+,(?<class>[A-Z]+),(?<command>[^,]*),(?<objectType>[^,]*),(?<objectName>[^,]*),(?<statement>.*)$/;

/** The failed logins of the postgresql log: what each engine writes when a login is refused. */
export const POSTGRESQL_FAILED_LOGIN = /(?:password authentication failed|PAM authentication failed|no pg_hba\.conf entry|pg_hba\.conf rejects connection)/;

/** A regular expression as Logs Insights writes it: between slashes, with `/` escaped. */
function insights(re: RegExp, caseInsensitive = false): string {
  return `/${caseInsensitive ? '(?i)' : ''}${re.source.replace(/(?<!\\)\//g, '\\/')}/`;
}

/** Statements that drop something, in the quoted object of a QUERY row (after leading blanks and comments, too). */
export const MYSQL_DROP = /\bdrop\s/;
/** Statements that change who may do what. */
export const MYSQL_PRIVILEGE = /\b(?:grant|revoke|create\s+user|alter\s+user|drop\s+user|rename\s+user|set\s+password|create\s+role|drop\s+role)\b/;

const lines = (...parts: string[]) => parts.join('\n| ');

const MYSQL: readonly InsightsQuery[] = [
  {
    id: 'who-dropped-what',
    title: 'Who dropped what: every statement with a DROP, newest first',
    query: lines(
      `parse @message ${insights(MYSQL_AUDIT_FIELDS)}`,
      `filter operation = "QUERY" and object like ${insights(MYSQL_DROP, true)}`,
      'fields @timestamp, user, host, db, object, retcode, connection, @logStream',
      'sort @timestamp desc',
      'limit 1000',
    ),
  },
  {
    id: 'failed-logins',
    title: 'Failed logins by user and host, per hour',
    query: lines(`parse @message ${insights(MYSQL_AUDIT_FIELDS)}`, 'filter operation = "FAILED_CONNECT"', 'stats count(*) as failures by bin(1h), user, host', 'sort failures desc'),
  },
  {
    id: 'privilege-changes',
    title: 'Privilege changes: GRANT, REVOKE, users and passwords',
    query: lines(
      `parse @message ${insights(MYSQL_AUDIT_FIELDS)}`,
      `filter operation = "QUERY" and object like ${insights(MYSQL_PRIVILEGE, true)}`,
      'fields @timestamp, user, host, db, object, retcode, @logStream',
      'sort @timestamp desc',
      'limit 1000',
    ),
  },
  {
    id: 'one-connection',
    title: 'Every row of one connection, in order (put its connection id, from an alert, in place of 0)',
    query: lines(`parse @message ${insights(MYSQL_AUDIT_FIELDS)}`, 'filter connection = "0"', 'fields @timestamp, user, host, operation, db, object, retcode, @logStream', 'sort @timestamp asc', 'limit 10000'),
  },
  {
    id: 'busiest-users',
    title: 'The busiest users: audit rows by user and host',
    query: lines(`parse @message ${insights(MYSQL_AUDIT_FIELDS)}`, 'filter ispresent(user) and user != ""', 'stats count(*) as rows by user, host', 'sort rows desc', 'limit 50'),
  },
];

const POSTGRESQL: readonly InsightsQuery[] = [
  {
    id: 'who-dropped-what',
    title: 'Who dropped what: every DROP pgAudit logged, newest first',
    query: lines(
      `parse @message ${insights(POSTGRESQL_LINE_FIELDS)}`,
      `parse text ${insights(PGAUDIT_FIELDS)}`,
      'filter command like /^DROP /',
      'fields @timestamp, user, host, db, command, objectName, statement, @logStream',
      'sort @timestamp desc',
      'limit 1000',
    ),
  },
  {
    id: 'failed-logins',
    title: 'Failed logins by user and host, per hour',
    query: lines(
      `parse @message ${insights(POSTGRESQL_LINE_FIELDS)}`,
      `filter severity = "FATAL" and text like ${insights(POSTGRESQL_FAILED_LOGIN)}`,
      'stats count(*) as failures by bin(1h), user, host',
      'sort failures desc',
    ),
  },
  {
    id: 'privilege-changes',
    title: 'Privilege changes: pgAudit\'s ROLE class (GRANT, REVOKE, roles)',
    query: lines(
      `parse @message ${insights(POSTGRESQL_LINE_FIELDS)}`,
      `parse text ${insights(PGAUDIT_FIELDS)}`,
      'filter class = "ROLE"',
      'fields @timestamp, user, host, db, command, objectName, statement, @logStream',
      'sort @timestamp desc',
      'limit 1000',
    ),
  },
  {
    id: 'one-connection',
    title: 'Every line of one session, in order (put its process id, from an alert, in place of 0)',
    query: lines(`parse @message ${insights(POSTGRESQL_LINE_FIELDS)}`, 'filter pid = "0"', 'fields @timestamp, user, host, db, severity, text, @logStream', 'sort @timestamp asc', 'limit 10000'),
  },
  {
    id: 'busiest-users',
    title: 'The busiest users: audited statements by user and host',
    query: lines(`parse @message ${insights(POSTGRESQL_LINE_FIELDS)}`, 'filter text like /^AUDIT: /', 'stats count(*) as statements by user, host', 'sort statements desc', 'limit 50'),
  },
];

export const INSIGHTS_QUERIES: Readonly<Record<Engine, readonly InsightsQuery[]>> = { 'aurora-mysql': MYSQL, 'aurora-postgresql': POSTGRESQL };

/** Statements that change the schema: CREATE, ALTER, DROP, RENAME, TRUNCATE at the start of the statement. */
export const MYSQL_DDL = /^'\s*(?:create|alter|drop|rename|truncate)\s/;

/** DDL statements by user, for the dashboard. */
export const DDL_BY_USER: Readonly<Record<Engine, string>> = {
  'aurora-mysql': lines(
    `parse @message ${insights(MYSQL_AUDIT_FIELDS)}`,
    `filter operation = "QUERY" and object like ${insights(MYSQL_DDL, true)}`,
    'stats count(*) as statements by user',
    'sort statements desc',
    'limit 20',
  ),
  'aurora-postgresql': lines(
    `parse @message ${insights(POSTGRESQL_LINE_FIELDS)}`,
    `parse text ${insights(PGAUDIT_FIELDS)}`,
    'filter class = "DDL"',
    'stats count(*) as statements by user',
    'sort statements desc',
    'limit 20',
  ),
};

/** The short engine name in a saved query's name. */
export const QUERY_ENGINE_FOLDER: Readonly<Record<Engine, string>> = { 'aurora-mysql': 'mysql', 'aurora-postgresql': 'postgresql' };
