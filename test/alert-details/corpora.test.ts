/**
 * The alert-details message built from the audit tools' own output (test/support/corpora.ts): every row of the MariaDB
 * audit plugin's regression results and every line of pgAudit's, each alone and all together. Whatever the row holds
 * (quotes, escapes, masked passwords, statements cut short, comments, `%`), the message keeps Slack's rules: nothing
 * unescaped that Slack would act on, every code span closed on its own line, nothing hidden, and, with literals
 * redacted, no quoted string literal of the statement shown.
 */
import { detailMessage, type DetailInput } from '../../alert-details/message';
import { parseAuditLine } from '../../detections/records';
import { MARIADB_ROWS_START_US, mariadbAuditRows, PGAUDIT_PREFIX, pgauditLines } from '../support/corpora';

const corpora = {
  'the MariaDB audit plugin': { engine: 'aurora-mysql' as const, lines: mariadbAuditRows() },
  pgAudit: { engine: 'aurora-postgresql' as const, lines: pgauditLines().map((line) => `${PGAUDIT_PREFIX}${line.replace(/^[A-Z]+:/, 'LOG:')}`) },
};

const at = MARIADB_ROWS_START_US / 1000;

function message(engine: DetailInput['engine'], lines: readonly string[], redactLiterals: boolean) {
  return detailMessage({
    detectionId: 'drop-statements',
    title: 'DROP statements',
    engine,
    cluster: 'orders-db',
    accountId: '123456789012',
    region: 'eu-west-1',
    alarmName: 'aurora-audit-orders-db-drop-statements',
    logGroupName: '/aws/rds/cluster/orders-db/audit',
    window: { startMs: at - 60_000, endMs: at },
    lines: lines.map((line, i) => ({ timeMs: at + i, message: line, record: parseAuditLine(line) })),
    more: false,
    insightsUrl: 'https://console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:logs-insights',
    maxLines: lines.length,
    redactLiterals,
  });
}

/** What breaks Slack's rules in a description: the reasons, none when it keeps them. */
function broken(description: string): string[] {
  const problems: string[] = [];
  if (/[<>]/.test(description)) problems.push('a raw < or >');
  if (/&(?!amp;|lt;|gt;)/.test(description)) problems.push('a raw &');
  if (/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(description.replace(/\n/g, ''))) problems.push('a control or hidden character');
  for (const line of description.split('\n')) if ((line.match(/`/g) ?? []).length % 2 !== 0) problems.push(`an open code span: ${line}`);
  return problems;
}

/** The string literals of a statement that are words (a literal of blanks or punctuation could stand anywhere). */
const literals = (statement: string) => [...statement.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]).filter((l) => /[A-Za-z]{3}/.test(l));

describe.each(Object.entries(corpora))('alert details from %s\'s own output', (_name, { engine, lines }) => {
  test('every row is read as an audit record of its engine', () => {
    expect(lines.every((line) => parseAuditLine(line)?.engine === engine)).toBe(true);
  });

  test.each([true, false])('each row alone keeps Slack\'s rules (literals redacted: %s)', (redact) => {
    const failures = lines.flatMap((line) => broken(message(engine, [line], redact).content.description).map((p) => `${p} from ${line}`));
    expect(failures).toEqual([]);
  });

  test('all rows together keep Slack\'s rules, and the message fits', () => {
    const all = message(engine, lines, true);
    expect(broken(all.content.description)).toEqual([]);
    expect(all.content.description).toContain('left out to fit Slack');
  });

  test('with literals redacted, no word-like string literal of a statement is shown in its quotes', () => {
    const rows = lines.map((line) => ({ line, statement: parseAuditLine(line)!.statement })).filter(({ statement }) => literals(statement).length > 0);
    expect(rows.length).toBeGreaterThan(5);
    const shown = rows.flatMap(({ line, statement }) => {
      const description = message(engine, [line], true).content.description;
      // Quoted, as the statement would show it; a word of the literal may also stand outside it (an identifier).
      return literals(statement)
        .filter((l) => description.includes(`'${l.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}'`))
        .map((l) => `${l} in ${line}`);
    });
    expect(shown).toEqual([]);
  });
});
