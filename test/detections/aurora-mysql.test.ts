import * as fs from 'node:fs';
import * as path from 'node:path';
import { METRIC_FILTER_QUOTAS } from '../../config/aws';
import { DETECTIONS } from '../../detections';
import { AURORA_MYSQL_DETECTIONS } from '../../detections/aurora-mysql';
import { compileFilterPattern } from '../../detections/filter-pattern';
import { describeCatalog } from '../support/catalog';

const byId = (id: string) => compileFilterPattern(AURORA_MYSQL_DETECTIONS.find((d) => d.id === id)!.pattern);
const drop = byId('drop-statements');

const published = fs
  .readFileSync(path.join(__dirname, '..', 'fixtures', 'published', 'aurora-mysql-audit.published.log'), 'utf8')
  .split('\n')
  .filter((l) => l.length > 0);
const matchingLines = (pattern: ReturnType<typeof compileFilterPattern>) =>
  published.flatMap((line, i) => (pattern.matches(line) ? [i + 1] : []));

describeCatalog('Aurora MySQL', AURORA_MYSQL_DETECTIONS);

describe('on the lines AWS and others published (test/fixtures/published)', () => {
  test.each([
    ['drop-statements', [8, 12], 'the DROP TABLE and the DROP USER; not the lower-case CREATE or the TABLE row'],
    ['failed-connections', [1, 13], 'the two FAILED_CONNECT rows, not the DISCONNECT after them'],
    ['privilege-changes', [11, 12], 'CREATE USER and DROP USER'],
    ['truncate-statements', [], 'there is none'],
    ['schema-changes', [4, 6, 7], 'create database (lower case), CREATE TABLE, ALTER TABLE; not the CREATE row of the TABLE event'],
    ['slow-query-volume', [], 'an audit log has no slow-query entries'],
  ])('%s matches lines %j: %s', (id, expected) => {
    expect(matchingLines(byId(id))).toEqual(expected);
  });

  test('no Aurora MySQL pattern fires on the published Aurora PostgreSQL lines', () => {
    const pg = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'published', 'aurora-postgresql.published.log'), 'utf8').split('\n').filter(Boolean);
    for (const d of AURORA_MYSQL_DETECTIONS) expect(pg.filter((l) => compileFilterPattern(d.pattern).matches(l))).toEqual([]);
  });
});

describe('letter case', () => {
  const casings = (word: string): string[] =>
    [...Array(2 ** word.length).keys()].map((mask) =>
      [...word].map((c, i) => (mask & (1 << i) ? c.toUpperCase() : c.toLowerCase())).join(''),
    );

  test.each(casings('drop'))('a DROP written %s is caught', (keyword) => {
    for (const object of ['TABLE t1', 'database d1', 'Schema s1', "USER \\'u\\'@\\'%\\'", 'INDEX i ON t', 'procedure p', 'FUNCTION f', 'VIEW v', 'TRIGGER tr', 'EVENT e']) {
      expect(drop.matches(`1603442662867983,db-1,admin,10.0.0.1,50,984868,QUERY,app,'${keyword} ${object}',0`)).toBe(true);
    }
  });

  test.each(casings('drop'))('%s inside a string literal is not', (keyword) => {
    expect(drop.matches(`1603442662867983,db-1,admin,10.0.0.1,50,984869,QUERY,app,'INSERT INTO notes VALUES (\\'${keyword} table x\\')',0`)).toBe(false);
  });
});

describe('every keyword in any letter case', () => {
  const anyCase = (word: string) => [word.toUpperCase(), word.toLowerCase(), word[0].toUpperCase() + word.slice(1).toLowerCase(), [...word].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('')];
  const line = (statement: string) => `1603442662867983,db-1,admin,10.0.0.1,50,984868,QUERY,app,'${statement}',0`;
  test.each([
    ['privilege-changes', 'grant', 'ALL ON *.* TO x'],
    ['privilege-changes', 'revoke', 'ALL ON *.* FROM x'],
    ['truncate-statements', 'truncate', 'TABLE t'],
    ['schema-changes', 'create', 'TABLE t (id int)'],
    ['schema-changes', 'alter', 'TABLE t ADD c int'],
  ])('%s catches %s', (id, keyword, rest) => {
    for (const k of anyCase(keyword)) expect(byId(id).matches(line(`${k} ${rest}`))).toBe(true);
  });
});

describe('the TABLE event', () => {
  test('a DROP TABLE with TABLE auditing on counts once, not twice', () => {
    const lines = [
      "1603442662867983,db-1,admin,10.0.0.1,50,984868,QUERY,app,'DROP TABLE customers',0",
      '1603442662867990,db-1,admin,10.0.0.1,50,984868,DROP,app,customers,',
    ];
    expect(lines.filter((l) => drop.matches(l))).toHaveLength(1);
  });
});

describe('quotas per log group', () => {
  test('the catalog puts at most 5 regex patterns and 100 filters on any one log group', () => {
    for (const list of Object.values(DETECTIONS)) {
      const byLog = new Map<string, { regex: number; filters: number }>();
      for (const d of list) {
        const c = byLog.get(d.logType) ?? { regex: 0, filters: 0 };
        c.filters += 1;
        c.regex += compileFilterPattern(d.pattern).regexCount > 0 ? 1 : 0;
        byLog.set(d.logType, c);
      }
      for (const c of byLog.values()) {
        expect(c.regex).toBeLessThanOrEqual(METRIC_FILTER_QUOTAS.regexPatternsPerLogGroup);
        expect(c.filters).toBeLessThanOrEqual(METRIC_FILTER_QUOTAS.metricFiltersPerLogGroup);
      }
    }
  });
});
