/**
 * Every statement detection against statements in every shape the log's rules allow (test/support/sql-shapes.ts),
 * written both ways the log may write them.
 */
import { AURORA_MYSQL_DETECTIONS } from '../../detections/aurora-mysql';
import { compileFilterPattern } from '../../detections/filter-pattern';
import { COUNTED_SHAPES, queryRow, QUIET_SHAPES, type LogWriting } from '../support/sql-shapes';

const STATEMENTS: Record<string, readonly string[]> = {
  'drop-statements': ['DROP TABLE customers', "DROP USER 'ethan'@'%'", 'DROP DATABASE shop', 'drop procedure if exists p1'],
  'privilege-changes': [
    "GRANT ALL PRIVILEGES ON *.* TO 'bob'@'%'",
    "REVOKE SELECT ON app.* FROM 'report'@'%'",
    "CREATE USER 'bob'@'%' IDENTIFIED BY 'secret'",
    "ALTER USER 'bob'@'%' ACCOUNT UNLOCK",
    "DROP USER 'bob'@'%'",
    "RENAME USER 'old'@'%' TO 'new'@'%'",
    'CREATE ROLE app_admin',
    "SET PASSWORD FOR 'bob'@'%' = 'x'",
  ],
  'truncate-statements': ['TRUNCATE TABLE orders', 'truncate orders'],
  'schema-changes': ['CREATE TABLE t (id INT)', 'ALTER TABLE t ADD c INT', 'RENAME TABLE a TO b', 'CREATE UNIQUE INDEX ux ON t (c)'],
};

const WRITINGS: readonly LogWriting[] = ['escaped', 'spaces'];

describe.each(Object.entries(STATEMENTS))('%s', (id, statements) => {
  const pattern = compileFilterPattern(AURORA_MYSQL_DETECTIONS.find((d) => d.id === id)!.pattern);

  const counted = COUNTED_SHAPES.flatMap(({ name, shape, spacesToo }) =>
    WRITINGS.filter((w) => w === 'escaped' || spacesToo).flatMap((writing) => statements.map((sql) => [`${name}, ${writing}: ${sql}`, queryRow(shape(sql), writing)] as const)),
  );
  test.each(counted)('counts %s', (_name, line) => {
    expect(pattern.matches(line)).toBe(true);
  });

  const quiet = QUIET_SHAPES.flatMap(({ name, shape }) => WRITINGS.flatMap((writing) => statements.map((sql) => [`${name}, ${writing}: ${sql}`, queryRow(shape(sql), writing)] as const)));
  test.each(quiet)('stays quiet %s', (_name, line) => {
    expect(pattern.matches(line)).toBe(false);
  });
});

test('the TABLE-event row of a DROP TABLE is not a statement', () => {
  const drop = compileFilterPattern(AURORA_MYSQL_DETECTIONS.find((d) => d.id === 'drop-statements')!.pattern);
  expect(drop.matches('1700000000000000,db-instance-1,admin,10.0.0.5,61,900001,DROP,app,customers,')).toBe(false);
});
