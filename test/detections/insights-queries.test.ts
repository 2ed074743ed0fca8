/**
 * The saved Logs Insights queries: their parse expressions read every published line and lines built from the
 * format's rules (commas and escaped quotes in statements, IPv6 and local hosts, unknown users), and each stack saves
 * them under stable names on its clusters' audit log groups.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  INSIGHTS_QUERIES,
  MYSQL_AUDIT_FIELDS,
  MYSQL_DROP,
  MYSQL_PRIVILEGE,
  PGAUDIT_FIELDS,
  POSTGRESQL_FAILED_LOGIN,
  POSTGRESQL_LINE_FIELDS,
  QUERY_IDS,
} from '../../detections/insights-queries';
import { DETECTIONS } from '../../detections';
import { parseAuditLine } from '../../detections/records';
import { configWith, modelOf, ROOT } from '../support/fixtures';
import { resources, synthStack } from '../support/synth';
import { PGAUDIT_PREFIX, pgauditLines } from '../support/corpora';

const sample = (file: string) => fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'published', file), 'utf8').split('\n').filter(Boolean);

describe('Aurora MySQL audit lines', () => {
  test.each(sample('aurora-mysql-audit.published.log'))('every published line parses: %s', (line) => {
    const m = MYSQL_AUDIT_FIELDS.exec(line);
    expect(m?.groups).toBeDefined();
    expect(m!.groups!.operation).toMatch(/^[A-Z_]+$/);
  });

  test.each<[string, string, Record<string, string>]>([
    [
      'a statement with commas and escaped quotes keeps them, and the return code is read from the end',
      "1603440571474649,db-1,admin,1.34.6.81,30,973788,QUERY,shop,'INSERT INTO t (a, b) VALUES (1, \\'x,y\\')',0",
      { user: 'admin', host: '1.34.6.81', connection: '30', db: 'shop', object: "'INSERT INTO t (a, b) VALUES (1, \\'x,y\\')'", retcode: '0' },
    ],
    [
      'a failed login has no database, object or statement',
      '1728498527380921,node1,user_1,172.31.49.222,147189,0,FAILED_CONNECT,,,1045',
      { user: 'user_1', operation: 'FAILED_CONNECT', db: '', object: '', retcode: '1045' },
    ],
    [
      'a TABLE row ends without a return code',
      '1603439251354761,db-1,admin,1.34.6.81,30,966941,CREATE,world,customers,',
      { operation: 'CREATE', object: 'customers', retcode: '' },
    ],
    [
      'a line break inside a statement is the escape \\n, and a comment leads the statement',
      "1700000000000000,db-1,app,10.0.0.9,7,12,QUERY,shop,'/* deploy */\\nDROP TABLE orders',1051",
      { object: "'/* deploy */\\nDROP TABLE orders'", retcode: '1051' },
    ],
  ])('%s', (_what, line, fields) => {
    expect(MYSQL_AUDIT_FIELDS.exec(line)?.groups).toMatchObject(fields);
  });

  test('DROP and privilege filters find the statements, in any case, and not words that merely contain them', () => {
    const object = (line: string) => MYSQL_AUDIT_FIELDS.exec(line)!.groups!.object;
    const drop = new RegExp(MYSQL_DROP.source, 'i');
    const privilege = new RegExp(MYSQL_PRIVILEGE.source, 'i');
    const lines = sample('aurora-mysql-audit.published.log');
    expect(lines.filter((l) => drop.test(object(l))).map((l) => object(l))).toEqual(["'DROP TABLE customers'", "'DROP USER \\'ethan\\'@\\'%\\''"]);
    expect(lines.filter((l) => privilege.test(object(l))).map((l) => object(l).slice(0, 12))).toEqual(["'CREATE USER", "'DROP USER \\"]);
    expect(drop.test("'select * from dropbox_files'")).toBe(false);
    expect(drop.test("'drop\\ttable t'")).toBe(false); // the escape is not a space: found by the detection, not by this filter
    expect(drop.test("'/* x */ drop table t'")).toBe(true);
    expect(privilege.test("'update grants_log set x = 1'")).toBe(false);
  });
});

describe('Aurora PostgreSQL lines', () => {
  test.each(sample('aurora-postgresql.published.log'))('every published line parses: %s', (line) => {
    expect(POSTGRESQL_LINE_FIELDS.exec(line)?.groups).toBeDefined();
  });

  test.each<[string, string, Record<string, string>]>([
    [
      'a pgAudit line',
      '2021-10-30 07:23:56 UTC:116.14.204.216(50222):postgres@mytest:[28180]:LOG:  AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,public.t3,drop table t3;,<not logged>',
      { host: '116.14.204.216', user: 'postgres', db: 'mytest', pid: '28180', severity: 'LOG' },
    ],
    [
      'an IPv6 client keeps its colons',
      '2024-01-21 17:56:55 UTC:2001:db8::7(57164):app@orders:[43627]:FATAL:  password authentication failed for user "app"',
      { host: '2001:db8::7', user: 'app', db: 'orders', severity: 'FATAL' },
    ],
    [
      'a local connection has no port',
      '2024-01-21 17:56:55 UTC:[local]:rdsadmin@rdsadmin:[811]:LOG:  connection authorized: user=rdsadmin database=rdsadmin',
      { host: '[local]', user: 'rdsadmin', db: 'rdsadmin', pid: '811' },
    ],
    [
      'a connection before authentication has unknown user and database',
      '2024-01-21 17:56:55 UTC:10.1.2.3(40000):[unknown]@[unknown]:[9]:LOG:  connection received: host=10.1.2.3 port=40000',
      { host: '10.1.2.3', user: '[unknown]', db: '[unknown]' },
    ],
    [
      'fractional seconds in the time',
      '2024-01-21 17:56:55.123 UTC:10.1.2.3(40000):app@orders:[9]:ERROR:  relation "x" does not exist',
      { severity: 'ERROR', text: 'relation "x" does not exist' },
    ],
  ])('%s', (_what, line, fields) => {
    expect(POSTGRESQL_LINE_FIELDS.exec(line)?.groups).toMatchObject(fields);
  });

  test('pgAudit messages split into class, command, object and the statement, commas and all', () => {
    const text = (line: string) => POSTGRESQL_LINE_FIELDS.exec(line)!.groups!.text;
    const [audit] = sample('aurora-postgresql.published.log');
    expect(PGAUDIT_FIELDS.exec(text(audit))?.groups).toMatchObject({ class: 'DDL', command: 'DROP TABLE', objectType: 'TABLE', objectName: 'public.t3', statement: 'drop table t3;,<not logged>' });
    expect(PGAUDIT_FIELDS.exec('AUDIT: SESSION,3,1,ROLE,GRANT,,,"GRANT SELECT ON a, b TO bob",<not logged>')?.groups).toMatchObject({ class: 'ROLE', command: 'GRANT', statement: '"GRANT SELECT ON a, b TO bob",<not logged>' });
    expect(PGAUDIT_FIELDS.exec('connection authorized: user=app')).toBeNull();
  });

  test('failed logins: the published one, and the other refusals PostgreSQL writes', () => {
    const [, failed] = sample('aurora-postgresql.published.log');
    expect(POSTGRESQL_FAILED_LOGIN.test(POSTGRESQL_LINE_FIELDS.exec(failed)!.groups!.text)).toBe(true);
    expect(POSTGRESQL_FAILED_LOGIN.test('no pg_hba.conf entry for host "10.0.0.1", user "x", database "y", no encryption')).toBe(true);
    expect(POSTGRESQL_FAILED_LOGIN.test('connection authorized: user=app database=orders')).toBe(false);
  });
});

// One reading of a line: the saved queries' parse expressions and detections/records.ts (test-patterns, the detail
// message) must agree on who, where and what, on every line the catalog holds and on pgAudit's own output.
describe('the queries read a line as detections/records.ts does', () => {
  const pgaudit = pgauditLines();
  const catalog = (engine: 'aurora-mysql' | 'aurora-postgresql') =>
    DETECTIONS[engine].flatMap((d) => [...d.samples.match, ...d.samples.noMatch]).map(([line]) => line).filter((line) => parseAuditLine(line)?.engine === engine);
  const mysqlLines = [...sample('aurora-mysql-audit.published.log'), ...catalog('aurora-mysql')];
  const postgresLines = [
    ...sample('aurora-postgresql.published.log'),
    ...catalog('aurora-postgresql'),
    ...pgaudit.map((l) => `${PGAUDIT_PREFIX}${l}`),
    '2024-01-21 17:56:55 UTC:10.0.1.25(50222):bob@corp@appdb:[43627]:LOG:  AUDIT: SESSION,1,1,ROLE,GRANT,,,grant x to y,<not logged>',
    '2024-01-21 17:56:55 UTC:2001:db8::7(50222):app@appdb:[43627]:DEBUG1:  AUDIT: SESSION,1,1,DDL,DROP TABLE,TABLE,public.t,drop table t,<not logged>',
  ];

  test('Aurora MySQL: user, host, operation, database and return code, on every catalog sample (a user with a comma too)', () => {
    expect(mysqlLines.length).toBeGreaterThan(60);
    for (const line of mysqlLines) {
      const record = parseAuditLine(line)!;
      const fields = MYSQL_AUDIT_FIELDS.exec(line)?.groups;
      expect({ line, fields: fields && { user: fields.user, host: fields.host, operation: fields.operation, db: fields.db, retcode: fields.retcode } }).toEqual({
        line,
        fields: { user: record.user, host: record.host, operation: record.operation, db: record.database, retcode: record.retcode },
      });
    }
  });

  test('Aurora PostgreSQL: user, database, level, and pgAudit\'s class and command, on every catalog sample and pgAudit\'s output', () => {
    expect(postgresLines.length).toBeGreaterThan(400);
    for (const line of postgresLines) {
      const record = parseAuditLine(line)!;
      const fields = POSTGRESQL_LINE_FIELDS.exec(line)?.groups;
      const audit = fields && PGAUDIT_FIELDS.exec(fields.text)?.groups;
      expect({ line, user: fields?.user, db: fields?.db, level: fields?.severity, class: audit?.class, command: audit?.command }).toEqual({
        line,
        user: record.user,
        db: record.database,
        level: record.operation,
        class: record.statementClass,
        command: record.command,
      });
    }
  });
});

describe('the queries as Logs Insights reads them', () => {
  test.each(Object.entries(INSIGHTS_QUERIES))('%s: every id once, each parsing the line first with a regular expression that compiles', (_engine, queries) => {
    expect(queries.map((q) => q.id)).toEqual([...QUERY_IDS]);
    for (const q of queries) {
      const first = q.query.split('\n| ')[0];
      const re = /^parse @message \/(.*)\/$/.exec(first);
      expect(re).not.toBeNull();
      // Logs Insights writes `/` inside a regex as `\/`; JavaScript accepts both.
      expect(() => new RegExp(re![1])).not.toThrow();
      // A case-insensitive flag only at the start of an expression, where Logs Insights reads it.
      expect(q.query.replace(/\/\(\?i\)/g, '/')).not.toContain('(?i)');
    }
  });
});

describe('saved queries in a stack', () => {
  test('one set per engine, named aurora-audit/<stack>/<engine>/<query>, on the audit log groups of that engine', () => {
    const json = JSON.parse(
      synthStack(modelOf(configWith((c) => c.targets[0].clusters.push({ identifier: 'ledger', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'adopt' })))),
    );
    const queries = new Map(resources(json, 'aws_cloudwatch_query_definition').map(([, q]) => [q.name, q]));
    expect([...queries.keys()].sort()).toEqual(
      [...QUERY_IDS.map((id) => `aurora-audit/prod/mysql/${id}`), ...QUERY_IDS.map((id) => `aurora-audit/prod/postgresql/${id}`)].sort(),
    );
    expect(queries.get('aurora-audit/prod/mysql/who-dropped-what').log_group_names).toEqual([
      '${aws_cloudwatch_log_group.cluster-orders-db_log-groups_audit.name}',
      '${aws_cloudwatch_log_group.cluster-billing_log-groups_audit.name}',
    ]);
    expect(queries.get('aurora-audit/prod/postgresql/failed-logins').log_group_names).toEqual(['${aws_cloudwatch_log_group.cluster-ledger_log-groups_postgresql.name}']);
    expect(queries.get('aurora-audit/prod/postgresql/failed-logins').query_string).toBe(INSIGHTS_QUERIES['aurora-postgresql'][1].query);
  });

  test('more audit log groups than one query may read are split into parts', () => {
    const clusters = Array.from({ length: 51 }, (_, i) => ({ identifier: `db-${i}`, engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.05.2', attach: 'external' }));
    const json = JSON.parse(synthStack(modelOf(configWith((c) => (c.targets[0].clusters = clusters)))));
    const byName = new Map(resources(json, 'aws_cloudwatch_query_definition').map(([, q]) => [q.name, q.log_group_names.length]));
    expect([byName.get('aurora-audit/prod/mysql/busiest-users'), byName.get('aurora-audit/prod/mysql/busiest-users-2')]).toEqual([50, 1]);
  });
});
