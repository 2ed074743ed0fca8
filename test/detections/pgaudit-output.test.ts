/**
 * The PostgreSQL detections against pgAudit's own regression output (test/fixtures/pgaudit): every audit line pgAudit's
 * tests produce, behind the Aurora PostgreSQL prefix, at the level the tests wrote it (NOTICE, WARNING) and at the one
 * pgAudit writes by default (LOG). What each line is comes from its own fields, read by detections/records.ts: its
 * class and its command. Each detection counts exactly the lines those fields say it should, at every level.
 */
import { AURORA_POSTGRESQL_DETECTIONS } from '../../detections/aurora-postgresql';
import { compileFilterPattern } from '../../detections/filter-pattern';
import { parseAuditLine, type AuditRecord } from '../../detections/records';
import { PGAUDIT_PREFIX, pgauditLines } from '../support/corpora';

const written = pgauditLines();

/** What a line is, by its own class and command: the detections that must count it. */
const EXPECTED: Record<string, (r: AuditRecord) => boolean> = {
  'drop-statements': (r) => (r.statementClass === 'DDL' || r.statementClass === 'ROLE') && /^DROP /.test(r.command ?? ''),
  'privilege-changes': (r) => r.statementClass === 'ROLE' || (r.statementClass === 'DDL' && r.command === 'ALTER DATABASE'),
  'truncate-statements': (r) => r.statementClass === 'WRITE' && r.command === 'TRUNCATE TABLE',
  'schema-changes': (r) => r.statementClass === 'DDL' && (/^(CREATE|ALTER) /.test(r.command ?? '') || r.command === 'SELECT INTO'),
  'failed-connections': () => false,
};

describe.each([
  ['as the tests wrote them (NOTICE and WARNING)', (line: string) => `${PGAUDIT_PREFIX}${line}`],
  ['at pgAudit\'s default level (LOG)', (line: string) => `${PGAUDIT_PREFIX}${line.replace(/^[A-Z]+:/, 'LOG:')}`],
])('pgAudit\'s regression output, %s', (_level, aurora) => {
  const lines = written.map(aurora);
  const records = lines.map((line) => parseAuditLine(line)!);

  test('every line is read as a pgAudit record', () => {
    expect(written.length).toBeGreaterThan(400);
    expect(records.filter((r) => !r?.statementClass)).toEqual([]);
  });

  test.each(AURORA_POSTGRESQL_DETECTIONS.map((d) => [d.id, d.pattern] as const))('%s counts exactly the lines its class and command say', (id, pattern) => {
    const compiled = compileFilterPattern(pattern);
    const counted = lines.filter((line) => compiled.matches(line));
    const expected = lines.filter((_, i) => EXPECTED[id](records[i]));
    expect(counted).toEqual(expected);
  });

  test('the output holds what each detection is for (so that the checks above can fail)', () => {
    const count = (id: string) => records.filter(EXPECTED[id]).length;
    expect({ drops: count('drop-statements') > 30, roles: count('privilege-changes') > 40, schema: count('schema-changes') > 60 }).toEqual({ drops: true, roles: true, schema: true });
  });
});
