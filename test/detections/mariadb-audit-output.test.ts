/**
 * The Aurora MySQL detections against the MariaDB audit plugin's own regression output (test/fixtures/mariadb-audit):
 * the row format Aurora's Advanced Auditing writes, from the plugin itself rather than from samples. Each row gets an
 * Aurora timestamp, host and ids where the test's placeholders stand, and is checked as the plugin wrote it and with
 * its escaped line breaks turned into spaces (as the 2020 Aurora sample shows them). What each row is comes from its
 * own fields: its operation, and the first words of its statement after blanks and comments, read here by MySQL's
 * rules with no regex shared with the patterns. Each detection counts exactly the rows those fields say it should.
 */
import { AURORA_MYSQL_DETECTIONS } from '../../detections/aurora-mysql';
import { compileFilterPattern } from '../../detections/filter-pattern';
import { parseAuditLine, type AuditRecord } from '../../detections/records';
import { mariadbAuditRows } from '../support/corpora';

/** The statement's first words, upper-cased, after blanks and comments as MySQL skips them. */
function leadingWords(sql: string): string[] {
  let s = sql;
  for (;;) {
    s = s.replace(/^\s+/, '');
    if (s.startsWith('/*!')) {
      // A versioned comment: MySQL runs what it holds.
      s = s.slice(3).replace(/^\d{5,6}/, '');
    } else if (s.startsWith('/*')) {
      const end = s.indexOf('*/');
      s = end < 0 ? '' : s.slice(end + 2);
    } else if (/^(?:--\s|#)/.test(s)) {
      const end = s.indexOf('\n');
      s = end < 0 ? '' : s.slice(end + 1);
    } else {
      break;
    }
  }
  return (s.match(/[A-Za-z_]+/g) ?? []).slice(0, 2).map((w) => w.toUpperCase());
}

/** What a row is, by its own fields: the detections that must count it. */
const EXPECTED: Record<string, (r: AuditRecord) => boolean> = {
  'drop-statements': (r) => r.operation === 'QUERY' && leadingWords(r.statement)[0] === 'DROP',
  'failed-connections': (r) => r.operation === 'FAILED_CONNECT',
  'privilege-changes': (r) => {
    if (r.operation !== 'QUERY') return false;
    const [verb, object] = leadingWords(r.statement);
    return (
      verb === 'GRANT' ||
      verb === 'REVOKE' ||
      (['CREATE', 'ALTER', 'DROP', 'RENAME'].includes(verb) && (object === 'USER' || object === 'ROLE')) ||
      (verb === 'SET' && object === 'PASSWORD')
    );
  },
  'truncate-statements': (r) => r.operation === 'QUERY' && leadingWords(r.statement)[0] === 'TRUNCATE',
  'schema-changes': (r) => {
    if (r.operation !== 'QUERY') return false;
    const [verb, object] = leadingWords(r.statement);
    return ((verb === 'CREATE' || verb === 'ALTER') && object !== 'USER') || (verb === 'RENAME' && object === 'TABLE');
  },
  // An audit log holds no slow-query entries.
  'slow-query-volume': () => false,
};

const aurora = mariadbAuditRows();

describe.each([
  ['as the plugin writes them (line breaks escaped)', (line: string) => line],
  ['with line breaks turned into spaces', (line: string) => line.replace(/\\n/g, ' ')],
])('the MariaDB audit plugin\'s regression output, %s', (_writing, rewrite) => {
  const lines = aurora.map(rewrite);
  const records = lines.map((line) => parseAuditLine(line));

  test('every row is read as an Aurora MySQL audit row', () => {
    expect(lines.length).toBe(304);
    expect(lines.filter((_, i) => records[i]?.engine !== 'aurora-mysql')).toEqual([]);
  });

  test.each(AURORA_MYSQL_DETECTIONS.map((d) => [d.id, d.pattern] as const))('%s counts exactly the rows its fields say', (detection, pattern) => {
    const compiled = compileFilterPattern(pattern);
    const counted = lines.filter((line) => compiled.matches(line));
    const expected = lines.filter((_, i) => EXPECTED[detection](records[i]!));
    expect(counted).toEqual(expected);
  });

  test('the output holds what each detection is for (so that the checks above can fail)', () => {
    const count = (detection: string) => records.filter((r) => EXPECTED[detection](r!)).length;
    expect({
      drops: count('drop-statements'),
      failedLogins: count('failed-connections'),
      privileges: count('privilege-changes'),
      schema: count('schema-changes'),
    }).toEqual({ drops: 20, failedLogins: 2, privileges: 22, schema: 22 });
    // Rows that look like a detection's but must not count: the TABLE-event rows of DROP and CREATE statements.
    expect(records.filter((r) => r!.operation === 'DROP').length).toBe(4);
    expect(records.filter((r) => r!.operation === 'CREATE').length).toBe(6);
  });
});
