/**
 * Detections on the Aurora MySQL Advanced Auditing log, with the lines that prove each pattern.
 *
 * The audit log is CSV: `timestamp,serverhost,username,host,connectionid,queryid,operation,database,object,retcode`.
 * Query text sits in `object`, single-quoted, with inner quotes written `\'`, and in the letter case the client
 * typed. CloudWatch patterns are case-sensitive, so keywords are matched with character classes (docs/facts.md, "Advanced Auditing" and "CloudWatch Logs filter patterns and quotas").
 */
import type { DetectionDefinition } from './catalog';
import { anyCase, KEYWORD_END, statementStartsWith, WORD_BREAK } from './mysql-statement';

const T = '1603442662867983,database-1-instance-1';

/** A keyword in any letter case, followed by a blank, an escape or a comment. */
const keyword = (word: string) => anyCase(word) + KEYWORD_END;

/** What every statement detection knowingly misses (./mysql-statement.ts); the README repeats them. */
const STATEMENT_LIMITATIONS = [
  'Where the log turns line breaks into spaces (as the 2020 Aurora sample shows), a statement after a -- or # comment line cannot be told from the comment, and is not matched.',
  'More than two comment lines before the statement, a comment holding a quote, or a versioned comment without a version number (/*! DROP ... */) hide it.',
  'A database name that contains a comma shifts the CSV fields and hides the statement from the pattern.',
];

export const AURORA_MYSQL_DETECTIONS = [
  {
    id: 'drop-statements',
    engine: 'aurora-mysql',
    logType: 'audit',
    title: 'DROP statements',
    // A QUERY row whose statement starts with DROP, in any letter case, after blanks and comments as the log writes
    // them (./mysql-statement.ts). TABLE-event rows carry the operation DROP, not QUERY, so a DROP TABLE counts once.
    pattern: statementStartsWith([keyword('drop')]),
    enabledByDefault: true,
    notifyOnOk: false,
    defaults: { threshold: 1, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'critical',
    whyItMatters:
      'A DROP statement (table, database, schema, user, index, view, procedure, function, trigger or event) ran or was attempted, which can destroy data or access.',
    nextSteps:
      'Confirm with the change owner that it was planned. If not: find the user, host and statement in the audit log, revoke the account, and restore from a snapshot or backtrack if data was lost.',
    requiresEvents: [['QUERY_DDL', 'QUERY']],
    limitations: [
      ...STATEMENT_LIMITATIONS,
      'A DROP run inside a stored procedure is logged only as its CALL, and is not matched.',
    ],
    samples: {
      match: [
        [`${T},admin,1.34.6.81,50,984868,QUERY,mysqldemo,'DROP TABLE customers',0`, 'DROP TABLE (AWS sample)'],
        [`${T},admin,1.34.6.81,47,981659,QUERY,mysql,'DROP USER \\'ethan\\'@\\'%\\'',0`, 'DROP USER with escaped quotes'],
        [`${T},admin,1.34.6.81,30,964320,QUERY,world,'drop database mysqldemo',0`, 'lower case'],
        [`${T},admin,1.34.6.81,30,964321,QUERY,,'Drop Schema if exists s1',0`, 'mixed case, no current database'],
        [`${T},admin,1.34.6.81,30,964322,QUERY,app,'  DROP INDEX idx_name ON customers',0`, 'leading spaces'],
        [`${T},admin,1.34.6.81,30,964323,QUERY,app,'DROP PROCEDURE IF EXISTS refresh_totals',0`, 'DROP PROCEDURE'],
        [`${T},app_user,10.0.3.7,31,964324,QUERY,app,'DROP TABLE orders',1142`, 'a failed attempt (1142: command denied)'],
        [`${T},admin,1.34.6.81,30,964325,QUERY,app,'/* deploy 42 */ DROP VIEW v_sales',0`, 'after a leading comment'],
        [`${T},admin,1.34.6.81,30,964326,QUERY,app,'drop\\ttable t1',0`, 'a tab after the keyword, escaped as the log writes it'],
        [`${T},admin,1.34.6.81,30,964327,QUERY,app,'\\nDROP TABLE t1',0`, 'a statement that starts with a line break'],
        [`${T},admin,1.34.6.81,30,964328,QUERY,app,'-- cleanup\\nDROP TABLE t1',0`, 'after a -- comment line'],
        [`${T},admin,1.34.6.81,30,964329,QUERY,app,'DROP\\nTABLE t1',0`, 'a line break after the keyword'],
        [`${T},admin,1.34.6.81,30,964330,QUERY,app,'/*!50000 DROP TABLE t1 */',0`, 'inside a versioned comment, which MySQL runs'],
        [`${T},admin,1.34.6.81,30,964331,QUERY,app,'/* a */ /* b */ DROP TABLE t1',0`, 'after two comments'],
        [`${T},admin,1.34.6.81,30,964332,QUERY,app,'# flyway\\r\\n-- V42\\r\\n  drop table t1',0`, 'after two comment lines with CRLF line ends'],
        [`${T},admin,1.34.6.81,30,964333,QUERY,app,'/*\\n * migration 42\\n */\\nDROP TABLE t1',0`, 'after a block comment over several lines'],
        [`${T},admin,1.34.6.81,30,964334,QUERY,app,'DROP/**/TABLE t1',0`, 'an empty comment as the space'],
        [`${T},admin,1.34.6.81,30,964335,QUERY,app,'  \\t/* x */\\n\\tDROP\\r\\nTABLE t1',0`, 'blanks, a comment and escapes mixed'],
      ],
      noMatch: [
        [`${T},admin,1.34.6.81,50,984868,DROP,mysqldemo,customers,`, 'the TABLE event row of a DROP TABLE: counting it would double-count'],
        [`${T},admin,1.34.6.81,30,973790,QUERY,app,'INSERT INTO audit_notes VALUES (\\'drop table customers\\')',0`, 'DROP only inside a string literal'],
        [`${T},admin,1.34.6.81,30,973791,QUERY,app,'SELECT * FROM drop_log WHERE id = 1',0`, 'a table whose name starts with drop'],
        [`${T},admin,1.34.6.81,30,973792,QUERY,dropbox,'SELECT 1',0`, 'a database named dropbox'],
        [`${T},dropper,1.34.6.81,30,973793,QUERY,app,'SELECT 1',0`, 'a user named dropper'],
        [`${T},admin,1.34.6.81,30,973794,QUERY,app,'ALTER TABLE customers DROP COLUMN discount',0`, 'DROP inside another statement'],
        [`${T},admin,1.34.6.81,30,973795,QUERY,app,'select \\'x\\',\\'DROP TABLE y\\'',0`, 'a literal that looks like a new field'],
        [`${T},admin,1.34.6.81,30,973796,QUERY,app,'CREATE TABLE dropped_items (id INT)',0`, 'CREATE of a table named dropped_items'],
        [`${T},admin,1.34.6.81,30,973797,QUERY,app,'DROPPING',0`, 'DROP as a prefix of another word'],
        [`${T},admin,1.34.6.81,30,973801,QUERY,app,'-- DROP TABLE t1\\nSELECT 1',0`, 'DROP inside a -- comment'],
        [`${T},admin,1.34.6.81,30,973802,QUERY,app,'/* DROP TABLE t1 */ SELECT 1',0`, 'DROP inside a block comment'],
        [`${T},admin,1.34.6.81,30,973803,QUERY,app,'-- migrate\\nALTER TABLE t\\n  DROP COLUMN c',0`, 'DROP COLUMN on a later line of an ALTER TABLE'],
        [`${T},admin,1.34.6.81,30,973804,QUERY,app,'INSERT INTO notes VALUES (\\'\\nDROP TABLE x\\')',0`, 'a line break then DROP inside a string literal'],
        [`${T},admin,1.34.6.81,30,973805,QUERY,app,'/* x */ SELECT \\'*/ DROP TABLE y\\'',0`, 'a comment end and DROP inside a string literal'],
        [`${T},admin,1.34.6.81,30,973806,QUERY,app,'SELECT 1 /* drop table t */',0`, 'DROP inside a trailing comment'],
        ['1603442208508100,database-1-instance-1,drop,1.34.6.81,50,0,CONNECT,,,0', 'a user named drop connecting'],
      ],
    },
  },
  {
    id: 'failed-connections',
    engine: 'aurora-mysql',
    logType: 'audit',
    title: 'failed connections',
    // The row ends `,FAILED_CONNECT,<database>,,<retcode>`. A query that mentions FAILED_CONNECT ends with its
    // closing quote and retcode (`...',0`), so the anchored end cannot match it.
    pattern: '%,FAILED_CONNECT,[^,]*,,[0-9]+$%',
    enabledByDefault: true,
    notifyOnOk: true,
    defaults: { threshold: 5, periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'high',
    whyItMatters:
      'Repeated failed logins (usually error 1045, access denied) point to password guessing, a leaked or rotated credential, or a misconfigured client.',
    nextSteps:
      'Find the user and source host of the FAILED_CONNECT rows in the audit log. Block the source if unknown; if it is your own service, fix its credentials. Check whether any login from the same host succeeded.',
    requiresEvents: [['CONNECT']],
    limitations: ['A database name that contains a comma shifts the CSV fields and hides the row from the pattern.'],
    samples: {
      match: [
        ['1728498527380921,auora-mysql-node1,user_1,172.31.49.222,147189,0,FAILED_CONNECT,,,1045', 'AWS troubleshooting sample'],
        ['1536652826127350,dv-mysql,alyjak,192.168.169.108,8426327,0,FAILED_CONNECT,,,1045', 'published consumer sample'],
        ['1728498527380999,node1,app,10.0.0.9,147190,0,FAILED_CONNECT,orders,,1045', 'with the database the client asked for'],
        ['1728498527381000,node1,app,x,10.0.0.9,147191,0,FAILED_CONNECT,,,1045', 'a user name with a comma in it'],
      ],
      noMatch: [
        ['1728498527380940,auora-mysql-node1,user_1,172.31.49.222,147189,0,DISCONNECT,,,0', 'the DISCONNECT after a failure'],
        ['1603442208508100,database-1-instance-1,admin,1.34.6.81,50,0,CONNECT,,,0', 'a successful CONNECT'],
        [`${T},admin,1.34.6.81,30,973798,QUERY,app,'SELECT \\'a,FAILED_CONNECT,,,1045\\'',0`, 'a query that quotes a FAILED_CONNECT row'],
        [`${T},admin,1.34.6.81,30,973799,QUERY,app,'SELECT 1 -- ,FAILED_CONNECT,,,1',0`, 'a comment that mentions it'],
        [`${T},admin,1.34.6.81,30,973800,QUERY,app,'SELECT count(*) FROM login_log WHERE event = \\'FAILED_CONNECT\\'',0`, 'a query about failed connects'],
      ],
    },
  },
  {
    id: 'privilege-changes',
    engine: 'aurora-mysql',
    logType: 'audit',
    title: 'privilege changes',
    // GRANT, REVOKE, CREATE/ALTER/DROP/RENAME USER or ROLE, and SET PASSWORD at the start of a statement, any letter
    // case. Three keywords fit in 1,024 characters only with the compact preludes (./mysql-statement.ts).
    pattern: statementStartsWith(
      [
        // GRANT or REVOKE: [GR][RE][AV][NO][TK] then a break, or the E of REVOKE.
        `[GgRr][RrEe][AaVv][NnOo][TtKk][\\s\\\\/Ee]`,
        // A four-to-six-letter verb starting C, A, D or R (CREATE, ALTER, DROP, RENAME), then USER or ROLE.
        `[CcAaDdRr][A-Za-z]{3,5}${WORD_BREAK}[UuRr][SsOo][EeLl][RrEe]${KEYWORD_END}`,
        `${anyCase('set')}${WORD_BREAK}${anyCase('password')}`,
      ],
      'compact',
    ),
    enabledByDefault: true,
    notifyOnOk: false,
    defaults: { threshold: 1, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'high',
    whyItMatters: 'Someone granted or revoked privileges, or created, changed, renamed or dropped a database user or its password: the classic steps of privilege escalation and persistence.',
    nextSteps:
      'Check the statement and the user who ran it in the audit log against an approved change. If unplanned: revoke what was granted, lock or drop the new user, rotate the credentials of the account that did it.',
    requiresEvents: [['QUERY_DCL', 'QUERY']],
    limitations: [
      ...STATEMENT_LIMITATIONS,
      'After a leading comment, an UPDATE whose later line starts with SET password counts too.',
      'SET DEFAULT ROLE and SET ROLE are not matched.',
    ],
    samples: {
      match: [
        [`${T},admin,1.34.6.81,45,979048,QUERY,mysql,'CREATE USER \\'ethan\\'@\\'%\\' IDENTIFIED WITH \\'mysql_native_password\\' AS \\'*F846B31F10DD4389C384272E70B9BBA3AD9E1F94\\'',0`, 'CREATE USER (published sample)'],
        [`${T},admin,1.34.6.81,47,981659,QUERY,mysql,'DROP USER \\'ethan\\'@\\'%\\'',0`, 'DROP USER (published sample)'],
        [`${T},admin,1.34.6.81,47,981660,QUERY,app,'grant all privileges on *.* to \\'ethan\\'@\\'%\\'',0`, 'GRANT in lower case'],
        [`${T},admin,1.34.6.81,47,981661,QUERY,app,'REVOKE SELECT ON app.* FROM \\'report\\'@\\'%\\'',0`, 'REVOKE'],
        [`${T},admin,1.34.6.81,47,981662,QUERY,,'Alter User \\'app\\'@\\'%\\' IDENTIFIED BY \\'***\\'',0`, 'ALTER USER, mixed case'],
        [`${T},admin,1.34.6.81,47,981663,QUERY,mysql,'SET PASSWORD FOR \\'app\\'@\\'%\\' = \\'***\\'',0`, 'SET PASSWORD'],
        [`${T},admin,1.34.6.81,47,981664,QUERY,mysql,'RENAME USER \\'old\\'@\\'%\\' TO \\'new\\'@\\'%\\'',0`, 'RENAME USER'],
        [`${T},app_user,10.0.3.7,31,981665,QUERY,app,'GRANT SUPER ON *.* TO \\'app_user\\'@\\'%\\'',1227`, 'a failed attempt (1227: access denied)'],
        [`${T},admin,1.34.6.81,47,981666,QUERY,app,'-- onboarding\\nGRANT SELECT ON app.* TO \\'bob\\'@\\'%\\'',0`, 'after a -- comment line'],
        [`${T},admin,1.34.6.81,47,981667,QUERY,app,'CREATE\\nUSER \\'bob\\'@\\'%\\' IDENTIFIED BY \\'x\\'',0`, 'a line break inside CREATE USER'],
        [`${T},admin,1.34.6.81,47,981668,QUERY,app,'/*!80000 CREATE ROLE app_admin */',0`, 'CREATE ROLE in a versioned comment'],
        [`${T},admin,1.34.6.81,47,981669,QUERY,app,'/* a */ /* b */ revoke all on *.* from \\'bob\\'@\\'%\\'',0`, 'after two comments'],
        [`${T},admin,1.34.6.81,47,981675,QUERY,app,'\\nALTER USER \\'bob\\'@\\'%\\' ACCOUNT UNLOCK',0`, 'a statement that starts with a line break'],
        // MySQL 8.4 (Aurora MySQL 8.4) replaced SET_USER_ID with SET_ANY_DEFINER and ALLOW_NONEXISTENT_DEFINER, and
        // creates users with caching_sha2_password: still GRANT and ALTER USER statements.
        [`${T},admin,1.34.6.81,47,981679,QUERY,app,'GRANT SET_ANY_DEFINER, ALLOW_NONEXISTENT_DEFINER ON *.* TO \\'deploy\\'@\\'%\\'',0`, 'a privilege new in MySQL 8.4'],
        [`${T},admin,1.34.6.81,47,981680,QUERY,mysql,'ALTER USER \\'app\\'@\\'%\\' IDENTIFIED WITH caching_sha2_password BY \\'***\\'',0`, 'the MySQL 8.4 default authentication plugin'],
      ],
      noMatch: [
        [`${T},admin,1.34.6.81,47,981670,QUERY,app,'SHOW GRANTS FOR CURRENT_USER()',0`, 'SHOW GRANTS'],
        [`${T},admin,1.34.6.81,47,981671,QUERY,app,'SELECT * FROM grants_log',0`, 'a table named grants_log'],
        [`${T},admin,1.34.6.81,47,981672,QUERY,app,'INSERT INTO notes VALUES (\\'grant all to bob\\')',0`, 'GRANT inside a string literal'],
        [`${T},admin,1.34.6.81,47,981673,QUERY,app,'CREATE TABLE users (id INT)',0`, 'CREATE TABLE users, not CREATE USER'],
        [`${T},admin,1.34.6.81,47,981674,QUERY,app,'UPDATE users SET password = \\'x\\' WHERE id = 1',0`, 'an application password column'],
        ['1603442208508100,database-1-instance-1,granter,1.34.6.81,50,0,CONNECT,,,0', 'a user named granter connecting'],
        [`${T},admin,1.34.6.81,47,981676,QUERY,mysql,'SELECT user FROM mysql.user',0`, 'SELECT user: a six-letter verb that is not one of the four'],
        [`${T},admin,1.34.6.81,47,981677,QUERY,app,'-- GRANT ALL ON *.* TO x\\nSELECT 1',0`, 'GRANT inside a comment'],
        [`${T},admin,1.34.6.81,47,981678,QUERY,app,'SELECT \\'\\nGRANT ALL\\'',0`, 'GRANT after a line break inside a string literal'],
      ],
    },
  },
  {
    id: 'truncate-statements',
    engine: 'aurora-mysql',
    logType: 'audit',
    title: 'TRUNCATE statements',
    pattern: statementStartsWith([keyword('truncate')]),
    enabledByDefault: true,
    notifyOnOk: false,
    defaults: { threshold: 1, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'critical',
    whyItMatters: 'A TRUNCATE emptied a table at once, without per-row logging; the data is gone unless restored from a backup.',
    nextSteps: 'Confirm with the change owner. If unplanned: find the user and host in the audit log, stop the account, and restore the table from a snapshot or backtrack.',
    requiresEvents: [['QUERY_DDL', 'QUERY']],
    limitations: STATEMENT_LIMITATIONS,
    samples: {
      match: [
        [`${T},admin,1.34.6.81,50,984900,QUERY,app,'TRUNCATE TABLE orders',0`, 'TRUNCATE TABLE'],
        [`${T},admin,1.34.6.81,50,984901,QUERY,app,'truncate orders',0`, 'lower case, without TABLE'],
        [`${T},admin,1.34.6.81,50,984904,QUERY,app,'-- reset\\nTRUNCATE TABLE orders',0`, 'after a -- comment line'],
        [`${T},admin,1.34.6.81,50,984905,QUERY,app,'TRUNCATE\\nTABLE orders',0`, 'a line break after the keyword'],
        [`${T},admin,1.34.6.81,50,984906,QUERY,app,'/*!50000 TRUNCATE orders */',0`, 'in a versioned comment'],
      ],
      noMatch: [
        [`${T},admin,1.34.6.81,50,984902,QUERY,app,'SELECT TRUNCATE(price, 2) FROM orders',0`, 'the TRUNCATE() function'],
        [`${T},admin,1.34.6.81,50,984903,QUERY,app,'INSERT INTO notes VALUES (\\'truncate table x\\')',0`, 'inside a string literal'],
        [`${T},admin,1.34.6.81,50,984907,QUERY,app,'/* truncate orders */ SELECT 1',0`, 'inside a comment'],
        [`${T},admin,1.34.6.81,50,984908,QUERY,app,'-- x\\nSELECT\\nTRUNCATE(price, 2) FROM orders',0`, 'the TRUNCATE() function at the start of a line'],
      ],
    },
  },
  {
    id: 'schema-changes',
    engine: 'aurora-mysql',
    logType: 'audit',
    title: 'schema changes',
    // CREATE, ALTER or RENAME of anything but a user (those are privilege changes): the word after the verb must
    // not start with U, except UNIQUE (CREATE UNIQUE INDEX). DROP and TRUNCATE have detections of their own.
    pattern: statementStartsWith(
      [
        `${anyCase('create')}${WORD_BREAK}[A-TV-Za-tv-z]`,
        `${anyCase('create')}${WORD_BREAK}[Uu][Nn]`,
        `${anyCase('alter')}${WORD_BREAK}[A-TV-Za-tv-z]`,
        `${anyCase('rename')}${WORD_BREAK}[Tt]`,
      ],
      'compact',
    ),
    enabledByDefault: false,
    notifyOnOk: false,
    defaults: { threshold: 1, periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'low',
    whyItMatters: 'The schema changed (CREATE, ALTER or RENAME of a table, index, view, routine or database). Expected during deployments; a change outside one is worth a look.',
    nextSteps: 'Match the change with a deployment. If none: review the statement and who ran it.',
    requiresEvents: [['QUERY_DDL', 'QUERY']],
    limitations: [
      'Off by default: deployments make it noisy.',
      ...STATEMENT_LIMITATIONS,
      'CREATE ROLE counts here as well as a privilege change; CREATE USER written with a line break after CREATE may too.',
    ],
    samples: {
      match: [
        [`${T},admin,1.34.6.81,30,966941,QUERY,world,'CREATE TABLE customers (   C_Id INT,   Name varchar(50),   Address varchar(255),   Phone varchar(20) )',0`, 'CREATE TABLE (published sample)'],
        [`${T},admin,1.34.6.81,30,964317,QUERY,world,'create database mysqldemo',0`, 'create database, lower case (published sample)'],
        [`${T},admin,1.34.6.81,50,984383,QUERY,mysqldemo,'ALTER TABLE customers ADD Discount VARCHAR(10)',0`, 'ALTER TABLE (published sample)'],
        [`${T},admin,1.34.6.81,50,984384,QUERY,app,'CREATE UNIQUE INDEX ux_email ON users (email)',0`, 'CREATE UNIQUE INDEX'],
        [`${T},admin,1.34.6.81,50,984385,QUERY,app,'RENAME TABLE a TO b',0`, 'RENAME TABLE'],
        [`${T},admin,1.34.6.81,50,984386,QUERY,app,'-- V7__add_index.sql\\nCREATE INDEX ix ON t (c)',0`, 'after a -- comment line (a migration tool)'],
        [`${T},admin,1.34.6.81,50,984387,QUERY,app,'/*!40101 ALTER TABLE t ENGINE=InnoDB */',0`, 'in a versioned comment (mysqldump)'],
      ],
      noMatch: [
        [`${T},admin,1.34.6.81,30,966941,CREATE,world,customers,`, 'the TABLE event row of a CREATE TABLE'],
        [`${T},admin,1.34.6.81,45,979048,QUERY,mysql,'CREATE USER \\'ethan\\'@\\'%\\' IDENTIFIED BY \\'x\\'',0`, 'CREATE USER is a privilege change'],
        [`${T},admin,1.34.6.81,45,979049,QUERY,mysql,'ALTER USER \\'ethan\\'@\\'%\\' ACCOUNT LOCK',0`, 'ALTER USER is a privilege change'],
        [`${T},admin,1.34.6.81,50,984868,QUERY,mysqldemo,'DROP TABLE customers',0`, 'DROP has its own detection'],
        [`${T},admin,1.34.6.81,50,984869,QUERY,app,'SELECT \\'create table x\\'',0`, 'inside a string literal'],
      ],
    },
  },
  {
    id: 'slow-query-volume',
    engine: 'aurora-mysql',
    logType: 'slowquery',
    title: 'slow queries',
    // One `# Query_time:` line per slow query: at the start of a line, whether CloudWatch gets one line per event
    // or a whole entry (lines joined by newlines, \x0a) per event.
    pattern: '%^#\\sQuery_time:|\\x0a#\\sQuery_time:%',
    enabledByDefault: true,
    notifyOnOk: true,
    defaults: { threshold: 50, periodSeconds: 300, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'medium',
    whyItMatters: 'Many queries ran longer than long_query_time: the database is overloaded, a query plan changed, or someone is scanning data in bulk.',
    nextSteps: 'Open Performance Insights for the time of the alarm and find the statements; check for a new deployment, a missing index, or an unusual client pulling data.',
    requiresEvents: [],
    limitations: ['The slow query log carries data only when slow_query_log is on in the DB parameter group.'],
    samples: {
      match: [
        ['# Query_time: 12.345678  Lock_time: 0.000123 Rows_sent: 1  Rows_examined: 1000000', 'a slow query entry, line by line'],
        [
          '# Time: 2024-05-01T10:15:32.123456Z\n# User@Host: app[app] @  [10.0.1.25]  Id: 12345\n# Query_time: 12.345678  Lock_time: 0.000123 Rows_sent: 1  Rows_examined: 1000000\nSET timestamp=1714558532;\nSELECT * FROM orders;',
          'a whole entry as one event',
        ],
      ],
      noMatch: [
        ['# User@Host: app[app] @  [10.0.1.25]  Id: 12345', 'the other header lines'],
        ["SELECT * FROM notes WHERE body LIKE '%# Query_time:%';", 'a query that mentions Query_time'],
      ],
    },
  },
] as const satisfies readonly DetectionDefinition[];

export type AuroraMysqlDetectionId = (typeof AURORA_MYSQL_DETECTIONS)[number]['id'];
