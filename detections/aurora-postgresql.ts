/**
 * Detections on the Aurora PostgreSQL log (the `postgresql` export), with the lines that prove each pattern.
 *
 * Every line starts with the fixed prefix `%t:%r:%u@%d:[%p]:` (docs/facts.md, pgAudit): `2021-10-30 07:23:56 UTC:`, the
 * client host(port), user@database, and the backend pid in brackets. pgAudit writes
 * `LOG:  AUDIT: SESSION,<statement>,<substatement>,<CLASS>,<COMMAND>,...,<statement text>`, the command in capitals
 * whatever the client typed. The patterns anchor on the prefix up to the first `[`, so that statement text (which
 * follows it) can never look like a field.
 */
import type { DetectionDefinition } from './catalog';

/** The line prefix up to the pid: `^<date> <time> UTC:<anything but [>[<pid>]:`. */
const PREFIX = '^[0-9-]+\\s[0-9:]+\\sUTC:[^\\x5b]*\\x5b[0-9]+\\x5d:';
/**
 * The level pgAudit writes at (docs/facts.md, pgAudit): LOG, whatever pgaudit.log_level says, while pgaudit.log_client
 * is off (the default); with it on, the level pgaudit.log_level names (DEBUG1-5, INFO, NOTICE, WARNING or LOG), which
 * reaches the log when log_min_messages lets it through. CloudWatch regex has no groups, so it is one class per letter:
 * it also admits DETAIL, whose text the server or a RAISE writes, which a RAISE could already log at LOG: it can only
 * count more, never fewer.
 */
const LEVEL = '[DILNW][A-Z]{2,6}[1-5]?:';
const AUDIT = `${PREFIX}${LEVEL}\\s+AUDIT:\\sSESSION,[0-9]+,[0-9]+,`;
const P = '2024-01-21 17:56:55 UTC:10.0.1.25(50222):app@appdb:[43627]:';
/** The start of an Aurora MySQL audit line, for samples that must not match here. */
const T_MYSQL = '1603442662867983,database-1-instance-1';

export const AURORA_POSTGRESQL_DETECTIONS = [
  {
    id: 'drop-statements',
    engine: 'aurora-postgresql',
    logType: 'postgresql',
    title: 'DROP statements',
    // pgAudit's DDL and ROLE classes with a DROP command, or the STATEMENT line PostgreSQL logs after a DROP failed.
    pattern: `%${AUDIT}DDL,DROP\\s|${AUDIT}ROLE,DROP\\s|${PREFIX}STATEMENT:\\s+[Dd][Rr][Oo][Pp]\\s%`,
    enabledByDefault: true,
    notifyOnOk: false,
    defaults: { threshold: 1, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'critical',
    whyItMatters: 'A DROP statement (table, schema, database, index, view, function, role) ran or was attempted, which can destroy data or access.',
    nextSteps:
      'Confirm with the change owner that it was planned. If not: find the user, host and statement in the log, revoke the role, and restore from a snapshot if data was lost.',
    requiresEvents: [['ddl', 'all']],
    limitations: ['A user or database name containing "[" hides the line from the pattern.', 'Needs CREATE EXTENSION pgaudit in each database.'],
    samples: {
      match: [
        ['2021-10-30 07:23:56 UTC:116.14.204.216(50222):postgres@mytest:[28180]:LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,public.t3,drop table t3;,<not logged>', 'DROP TABLE typed in lower case (published sample)'],
        [`${P}LOG:  AUDIT: SESSION,4,1,DDL,DROP SCHEMA,SCHEMA,reporting,DROP SCHEMA reporting CASCADE;,<not logged>`, 'DROP SCHEMA'],
        [`${P}LOG:  AUDIT: SESSION,5,1,ROLE,DROP ROLE,,,drop role bob;,<not logged>`, 'DROP ROLE (pgAudit class ROLE)'],
        [`${P}STATEMENT:  DROP TABLE orders;`, 'a failed attempt: the statement logged after the error'],
        ['2024-01-21 17:56:55 UTC:2001:db8::7(50222):app@appdb:[43627]:LOG:  AUDIT: SESSION,6,1,DDL,DROP INDEX,INDEX,public.ix,drop index ix;,<not logged>', 'an IPv6 client'],
        [`${P}NOTICE:  AUDIT: SESSION,9,1,DDL,DROP TABLE,TABLE,public.t,drop table t;,<not logged>`, 'pgaudit.log_level notice, with pgaudit.log_client on'],
        [`${P}WARNING:  AUDIT: SESSION,10,1,DDL,DROP TABLE,TABLE,public.t,drop table t;,<not logged>`, 'pgaudit.log_level warning'],
        [`${P}DEBUG1:  AUDIT: SESSION,11,1,DDL,DROP TABLE,TABLE,public.t,drop table t;,<not logged>`, 'pgaudit.log_level debug1, with log_min_messages lowered'],
      ],
      noMatch: [
        [`${P}LOG:  AUDIT: SESSION,2,1,READ,SELECT,,,select 'drop table x',<not logged>`, 'DROP inside a string literal'],
        [`${P}LOG:  AUDIT: SESSION,3,1,DDL,CREATE TABLE,TABLE,public.drop_log,create table drop_log (id int);,<not logged>`, 'a table named drop_log'],
        [`${P}LOG:  AUDIT: SESSION,7,1,READ,SELECT,,,select 'x:[1]:LOG:  AUDIT: SESSION,1,1,DDL,DROP y',<not logged>`, 'a literal that imitates a DROP audit line'],
        [`${P}STATEMENT:  select * from drop_log`, 'the statement of a failed query that mentions drop'],
        [`${P}LOG:  AUDIT: SESSION,8,1,DDL,ALTER TABLE,TABLE,public.t,ALTER TABLE t DROP COLUMN c;,<not logged>`, 'DROP COLUMN inside ALTER TABLE'],
        ['1603442662867983,database-1-instance-1,admin,1.34.6.81,50,984868,QUERY,mysqldemo,\'DROP TABLE customers\',0', 'an Aurora MySQL audit line'],
      ],
    },
  },
  {
    id: 'failed-connections',
    engine: 'aurora-postgresql',
    logType: 'postgresql',
    title: 'failed connections',
    pattern: `%${PREFIX}FATAL:\\s+password\\sauthentication\\sfailed\\sfor\\suser|${PREFIX}FATAL:\\s+no\\spg_hba\\.conf\\sentry|${PREFIX}FATAL:\\s+PAM\\sauthentication\\sfailed%`,
    enabledByDefault: true,
    notifyOnOk: true,
    defaults: { threshold: 5, periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'high',
    whyItMatters: 'Repeated failed logins (wrong passwords, IAM tokens refused, or hosts pg_hba rejects) point to password guessing, a leaked or rotated credential, or a misconfigured client.',
    nextSteps: 'Find the user and source host in the FATAL lines. Block the source if unknown; if it is your own service, fix its credentials. Check whether a login from the same host succeeded.',
    requiresEvents: [],
    limitations: ['A user or database name containing "[" hides the line from the pattern.'],
    samples: {
      match: [
        ['2024-01-21 17:56:55 UTC:3.92.54.14(57164):postgresql@postgresql:[43627]:FATAL:  password authentication failed for user "postgresql"', 'a wrong password (published sample)'],
        [`2024-01-21 17:57:02 UTC:203.0.113.9(51000):bob@appdb:[43628]:FATAL:  no pg_hba.conf entry for host "203.0.113.9", user "bob", database "appdb", SSL off`, 'a host pg_hba rejects'],
        [`2024-01-21 17:57:05 UTC:10.0.1.25(51001):iam_user@appdb:[43629]:FATAL:  PAM authentication failed for user "iam_user"`, 'an IAM token refused'],
      ],
      noMatch: [
        [`${P}LOG:  AUDIT: SESSION,2,1,READ,SELECT,,,select 'FATAL:  password authentication failed for user',<not logged>`, 'a query that quotes the message'],
        [`${P}LOG:  connection authorized: user=app database=appdb`, 'a successful login'],
        [`${P}ERROR:  password authentication failed for user "x"`, 'not FATAL'],
      ],
    },
  },
  {
    id: 'privilege-changes',
    engine: 'aurora-postgresql',
    logType: 'postgresql',
    title: 'privilege changes',
    // pgAudit's ROLE class: GRANT, REVOKE, CREATE/ALTER/DROP ROLE (and USER), ALTER ROLE ... SET. And every ALTER
    // DATABASE (the DDL class): its owner, or a setting every later session in it takes, pgaudit.log = 'none' among
    // them (docs/facts.md, pgAudit). Every one, not only those whose text names pgaudit: an identifier can be written
    // with Unicode escapes (U&"pg\0061udit.log"), and RESET ALL names nothing.
    pattern: `%${AUDIT}ROLE,|${AUDIT}DDL,ALTER\\sDATABASE,%`,
    enabledByDefault: true,
    notifyOnOk: false,
    defaults: { threshold: 1, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'high',
    whyItMatters:
      'Someone granted or revoked privileges, created, changed or dropped a role, or altered a database (its owner, or a setting such as pgaudit.log that every later session in it takes): the classic steps of privilege escalation and persistence, and the way to switch auditing off from inside the database.',
    nextSteps:
      'Check the statement and who ran it against an approved change. If unplanned: revoke what was granted, drop or lock the new role, undo a pgaudit setting (ALTER ROLE or ALTER DATABASE ... RESET pgaudit.log), rotate the credentials of the account that did it.',
    // ALTER DATABASE is counted too when the DDL class is audited (it is by default).
    requiresEvents: [['role', 'all']],
    limitations: [
      'A user or database name containing "[" hides the line from the pattern.',
      'ALTER DATABASE reaches the log only with ddl (or all) audited, as it is by default.',
      'A session\'s own SET pgaudit.log (or set_config) is logged only with misc or misc_set audited, and counted by no detection.',
    ],
    samples: {
      match: [
        [`${P}LOG:  AUDIT: SESSION,1,1,ROLE,GRANT,,,GRANT SELECT ON orders TO bob;,<not logged>`, 'GRANT'],
        [`${P}LOG:  AUDIT: SESSION,2,1,ROLE,CREATE ROLE,,,create role bob login;,<not logged>`, 'CREATE ROLE in lower case'],
        [`${P}LOG:  AUDIT: SESSION,3,1,ROLE,ALTER ROLE,,,ALTER ROLE bob SUPERUSER;,<not logged>`, 'ALTER ROLE'],
        [`${P}INFO:  AUDIT: SESSION,6,1,ROLE,GRANT,,,GRANT ALL ON orders TO bob;,<not logged>`, 'pgaudit.log_level info'],
        [`${P}LOG:  AUDIT: SESSION,7,1,ROLE,ALTER ROLE,,,ALTER ROLE bob SET pgaudit.log = 'none',<not logged>`, 'auditing switched off for a role'],
        [`${P}LOG:  AUDIT: SESSION,8,1,DDL,ALTER DATABASE,,,ALTER DATABASE app SET pgaudit.log = 'none',<not logged>`, 'auditing switched off for every later session in a database'],
        [`${P}LOG:  AUDIT: SESSION,9,1,DDL,ALTER DATABASE,,,"alter database app set U&""pg\\0061udit.log"" to 'none'",<not logged>`, 'the same, its setting written with Unicode escapes'],
        [`${P}LOG:  AUDIT: SESSION,10,1,DDL,ALTER DATABASE,,,ALTER DATABASE app RESET ALL,<not logged>`, 'RESET ALL, which names no setting'],
        [`${P}LOG:  AUDIT: SESSION,51,1,DDL,ALTER DATABASE,,,ALTER DATABASE contrib_regression_pgaudit RENAME TO contrib_regression_pgaudit2,<none>`, 'a rename, as pgAudit\'s own regression output writes it'],
      ],
      noMatch: [
        [`${P}LOG:  AUDIT: SESSION,4,1,READ,SELECT,,,select * from grants,<not logged>`, 'a table named grants'],
        [`${P}LOG:  AUDIT: SESSION,5,1,DDL,CREATE TABLE,TABLE,public.role,create table role (id int);,<not logged>`, 'a table named role'],
        [`${P}STATEMENT:  AUDIT: SESSION,1,1,ROLE,GRANT,,,x`, 'a failed statement that imitates an audit line'],
        [`${P}LOG:  AUDIT: SESSION,11,1,DDL,ALTER TABLE,TABLE,public.database,alter table database add c int;,<not logged>`, 'ALTER TABLE of a table named database'],
        [`${P}LOG:  AUDIT: SESSION,12,1,READ,SELECT,,,"select 'x,DDL,ALTER DATABASE,'",<not logged>`, 'inside a string literal'],
        [`${P}LOG:  AUDIT: SESSION,13,1,MISC,SET,,,SET pgaudit.log = 'none',<not logged>`, 'a session\'s own SET (misc_set): a limitation'],
      ],
    },
  },
  {
    id: 'truncate-statements',
    engine: 'aurora-postgresql',
    logType: 'postgresql',
    title: 'TRUNCATE statements',
    // pgAudit's WRITE class holds TRUNCATE (command tag TRUNCATE TABLE, whatever was typed); or the STATEMENT line
    // PostgreSQL logs after a TRUNCATE failed.
    pattern: `%${AUDIT}WRITE,TRUNCATE\\sTABLE,|${PREFIX}STATEMENT:\\s+[Tt][Rr][Uu][Nn][Cc][Aa][Tt][Ee]\\s%`,
    enabledByDefault: true,
    notifyOnOk: false,
    defaults: { threshold: 1, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'critical',
    whyItMatters: 'A TRUNCATE emptied one or more tables at once, without per-row logging; the data is gone unless restored from a backup.',
    nextSteps: 'Confirm with the change owner. If unplanned: find the user and host in the log, stop the account, and restore the table from a snapshot or a point in time.',
    requiresEvents: [['write', 'all']],
    limitations: [
      'pgAudit logs TRUNCATE in its WRITE class, with every INSERT, UPDATE and DELETE: audit.pgauditLog must include write (or all), which costs log volume.',
      'A user or database name containing "[" hides the line from the pattern.',
    ],
    samples: {
      match: [
        [`${P}LOG:  AUDIT: SESSION,1,1,WRITE,TRUNCATE TABLE,,,TRUNCATE TABLE orders;,<not logged>`, 'TRUNCATE TABLE'],
        [`${P}LOG:  AUDIT: SESSION,2,1,WRITE,TRUNCATE TABLE,,,"truncate orders, order_lines restart identity",<not logged>`, 'lower case, two tables (the statement quoted for its comma)'],
        [`${P}NOTICE:  AUDIT: SESSION,3,1,WRITE,TRUNCATE TABLE,,,truncate only orders,<not logged>`, 'pgaudit.log_level notice'],
        [`${P}STATEMENT:  truncate orders`, 'a failed attempt: the statement logged after the error'],
      ],
      noMatch: [
        [`${P}LOG:  AUDIT: SESSION,4,1,READ,SELECT,,,select 'truncate table x',<not logged>`, 'inside a string literal'],
        [`${P}LOG:  AUDIT: SESSION,5,1,READ,SELECT,,,"select trunc(price, 2) from orders",<not logged>`, 'the trunc() function'],
        [`${P}LOG:  AUDIT: SESSION,6,1,DDL,CREATE TABLE,TABLE,public.truncate_log,create table truncate_log (id int);,<not logged>`, 'a table named truncate_log'],
        [`${P}LOG:  AUDIT: SESSION,7,1,WRITE,DELETE,,,delete from orders,<not logged>`, 'DELETE'],
        [`${P}STATEMENT:  select truncate_log from t`, 'the statement of a failed query that mentions truncate'],
        ['1603442662867983,database-1-instance-1,admin,1.34.6.81,50,984900,QUERY,app,\'TRUNCATE TABLE orders\',0', 'an Aurora MySQL audit line'],
      ],
    },
  },
  {
    id: 'schema-changes',
    engine: 'aurora-postgresql',
    logType: 'postgresql',
    title: 'schema changes',
    // pgAudit's DDL class with a CREATE or ALTER command (tables, schemas, databases, views, functions, indexes,
    // extensions, ...; ALTER ... RENAME is an ALTER), or SELECT INTO, which creates a table. Roles are in the ROLE class
    // (privilege changes); DROP and TRUNCATE have detections of their own.
    pattern: `%${AUDIT}DDL,CREATE\\s|${AUDIT}DDL,ALTER\\s|${AUDIT}DDL,SELECT\\sINTO,%`,
    enabledByDefault: false,
    notifyOnOk: false,
    defaults: { threshold: 1, periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'low',
    whyItMatters: 'The schema changed (CREATE or ALTER of a table, index, view, function, schema, database or extension). Expected during deployments; a change outside one is worth a look.',
    nextSteps: 'Match the change with a deployment. If none: review the statement and who ran it.',
    requiresEvents: [['ddl', 'all']],
    limitations: ['Off by default: deployments make it noisy.', 'A user or database name containing "[" hides the line from the pattern.', 'Needs CREATE EXTENSION pgaudit in each database.'],
    samples: {
      match: [
        [`${P}LOG:  AUDIT: SESSION,1,1,DDL,CREATE TABLE,TABLE,public.tmp,"CREATE TABLE tmp (id int, data text)",<not logged>`, 'CREATE TABLE (as pgAudit\'s own tests write it)'],
        [`${P}LOG:  AUDIT: SESSION,2,1,DDL,ALTER TABLE,TABLE,public.t,alter table t add column c int;,<not logged>`, 'ALTER TABLE in lower case'],
        [`${P}LOG:  AUDIT: SESSION,3,1,DDL,CREATE SCHEMA,SCHEMA,reporting,CREATE SCHEMA reporting;,<not logged>`, 'CREATE SCHEMA'],
        [`${P}LOG:  AUDIT: SESSION,4,1,DDL,CREATE FUNCTION,FUNCTION,public.f(),CREATE FUNCTION f() RETURNS int AS $$ SELECT 1 $$ LANGUAGE sql;,<not logged>`, 'CREATE FUNCTION'],
        [`${P}LOG:  AUDIT: SESSION,5,2,DDL,CREATE TABLE AS,TABLE,public.tmp2,CREATE TABLE tmp2 AS (SELECT * FROM tmp),<not logged>`, 'CREATE TABLE AS'],
        [`${P}LOG:  AUDIT: SESSION,6,1,DDL,SELECT INTO,TABLE,public.copy,select * into copy from t,<not logged>`, 'SELECT INTO creates a table'],
        [`${P}LOG:  AUDIT: SESSION,7,1,DDL,ALTER TABLE,TABLE,public.t,ALTER TABLE t RENAME TO u;,<not logged>`, 'a rename is an ALTER'],
        [`${P}WARNING:  AUDIT: SESSION,8,1,DDL,CREATE INDEX,INDEX,public.ix,create index ix on t (c),<not logged>`, 'pgaudit.log_level warning'],
      ],
      noMatch: [
        [`${P}LOG:  AUDIT: SESSION,9,1,ROLE,CREATE ROLE,,,create role bob login;,<not logged>`, 'CREATE ROLE is a privilege change'],
        [`${P}LOG:  AUDIT: SESSION,10,1,ROLE,ALTER ROLE,,,ALTER ROLE bob SUPERUSER;,<not logged>`, 'ALTER ROLE is a privilege change'],
        [`${P}LOG:  AUDIT: SESSION,11,1,DDL,DROP TABLE,TABLE,public.t,drop table t;,<not logged>`, 'DROP has its own detection'],
        [`${P}LOG:  AUDIT: SESSION,12,1,READ,SELECT,,,select 'x,DDL,CREATE TABLE,',<not logged>`, 'inside a string literal'],
        [`${P}LOG:  AUDIT: SESSION,13,1,WRITE,INSERT,,,"insert into ddl_log values ('CREATE TABLE')",<not logged>`, 'an INSERT that mentions it'],
        [`${T_MYSQL},admin,1.34.6.81,30,966941,QUERY,world,'CREATE TABLE customers (id int)',0`, 'an Aurora MySQL audit line'],
      ],
    },
  },
] as const satisfies readonly DetectionDefinition[];
