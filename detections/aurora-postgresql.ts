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

/** The line prefix up to the pid and the level: `^<date> <time> UTC:<anything but [>[<pid>]:`. */
const PREFIX = '^[0-9-]+\\s[0-9:]+\\sUTC:[^\\x5b]*\\x5b[0-9]+\\x5d:';
const AUDIT = `${PREFIX}LOG:\\s+AUDIT:\\sSESSION,[0-9]+,[0-9]+,`;
const P = '2024-01-21 17:56:55 UTC:10.0.1.25(50222):app@appdb:[43627]:';

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
    // pgAudit's ROLE class: GRANT, REVOKE, CREATE/ALTER/DROP ROLE (and USER).
    pattern: `%${AUDIT}ROLE,%`,
    enabledByDefault: true,
    notifyOnOk: false,
    defaults: { threshold: 1, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'high',
    whyItMatters: 'Someone granted or revoked privileges, or created, changed or dropped a role: the classic steps of privilege escalation and persistence.',
    nextSteps: 'Check the statement and who ran it against an approved change. If unplanned: revoke what was granted, drop or lock the new role, rotate the credentials of the account that did it.',
    requiresEvents: [['role', 'all']],
    limitations: ['A user or database name containing "[" hides the line from the pattern.'],
    samples: {
      match: [
        [`${P}LOG:  AUDIT: SESSION,1,1,ROLE,GRANT,,,GRANT SELECT ON orders TO bob;,<not logged>`, 'GRANT'],
        [`${P}LOG:  AUDIT: SESSION,2,1,ROLE,CREATE ROLE,,,create role bob login;,<not logged>`, 'CREATE ROLE in lower case'],
        [`${P}LOG:  AUDIT: SESSION,3,1,ROLE,ALTER ROLE,,,ALTER ROLE bob SUPERUSER;,<not logged>`, 'ALTER ROLE'],
      ],
      noMatch: [
        [`${P}LOG:  AUDIT: SESSION,4,1,READ,SELECT,,,select * from grants,<not logged>`, 'a table named grants'],
        [`${P}LOG:  AUDIT: SESSION,5,1,DDL,CREATE TABLE,TABLE,public.role,create table role (id int);,<not logged>`, 'a table named role'],
      ],
    },
  },
] as const satisfies readonly DetectionDefinition[];
