/**
 * Detections on the Aurora MySQL Advanced Auditing log, with the lines that prove each pattern.
 *
 * The audit log is CSV: `timestamp,serverhost,username,host,connectionid,queryid,operation,database,object,retcode`.
 * Query text sits in `object`, single-quoted, with inner quotes written `\'`, and in the letter case the client
 * typed. CloudWatch patterns are case-sensitive, so keywords are matched with character classes (aws-facts.md §2, §4).
 */
import type { DetectionDefinition } from './catalog';

const T = '1603442662867983,database-1-instance-1';

export const AURORA_MYSQL_DETECTIONS = [
  {
    id: 'drop-statements',
    engine: 'aurora-mysql',
    logType: 'audit',
    title: 'DROP statements',
    // A QUERY row whose statement starts with DROP, in any letter case, optionally after one /* comment */.
    // `,QUERY,<database>,'` pins the match to the start of the statement text: a quote inside the text is
    // always logged as \', so `,'` cannot occur inside a statement. TABLE-event rows carry the operation DROP,
    // not QUERY, so a DROP TABLE counts once.
    pattern:
      '%,QUERY,[^,]*,\\x27\\s*[Dd][Rr][Oo][Pp]\\s|,QUERY,[^,]*,\\x27\\s*/\\*[^*]*\\*/\\s*[Dd][Rr][Oo][Pp]\\s%',
    enabledByDefault: true,
    defaults: { threshold: 1, periodSeconds: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
    severity: 'critical',
    whyItMatters:
      'A DROP statement (table, database, schema, user, index, view, procedure, function, trigger or event) ran or was attempted, which can destroy data or access.',
    nextSteps:
      'Confirm with the change owner that it was planned. If not: find the user, host and statement in the audit log, revoke the account, and restore from a snapshot or backtrack if data was lost.',
    requiresEvents: [['QUERY', 'QUERY_DDL']],
    limitations: [
      'A statement that starts with more than one comment, or writes DROP/**/TABLE with no space, is not matched.',
      'A DROP inside a multi-statement query (SELECT 1; DROP TABLE t) is not matched, so that string literals cannot trigger it.',
      'A database name that contains a comma shifts the CSV fields and hides the statement from the pattern.',
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
        [`${T},admin,1.34.6.81,30,964326,QUERY,app,'drop\ttable t1',0`, 'a tab after the keyword'],
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
] as const satisfies readonly DetectionDefinition[];

export type AuroraMysqlDetectionId = (typeof AURORA_MYSQL_DETECTIONS)[number]['id'];
