/**
 * The audit tools' own output, as Aurora would write it to CloudWatch Logs: the MariaDB audit plugin's regression rows
 * (test/fixtures/mariadb-audit) and pgAudit's regression lines (test/fixtures/pgaudit). Shared by the detection tests
 * and the alert-details tests, so that both read the same rows the same way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

const lines = (file: string) => fs.readFileSync(path.join(FIXTURES, file), 'utf8').split('\n').filter(Boolean);

/** `TIME,HOSTNAME,user,host,ID,ID,OPERATION,...,retcode`: the placeholders mysqltest writes. */
const PLACEHOLDERS = /^(?:TIME|TIMESTAMP),HOSTNAME,([^,]*),([^,]*),(ID|\d+),(ID|\d+),([A-Z_]+),(.*)$/s;

/** Where the fixture starts the rows' time: 2024-12-07 08:43:20 UTC, one row a millisecond apart. */
export const MARIADB_ROWS_START_US = 1733561000000000;

/**
 * Every audit row of the MariaDB audit plugin's regression results, as Aurora writes them: a 16-digit microsecond
 * timestamp, the instance as serverhost, ids where the test wrote `ID`, and an error number for a failed row's `ID`
 * (1045, access denied, for a login; 1146 for a query).
 */
export function mariadbAuditRows(): string[] {
  let id = 100;
  const number = (v: string) => (v === 'ID' ? String(++id) : v);
  return ['server_audit.log', 'thread_pool_server_audit.log', 'server_audit_query_id.log']
    .flatMap((file) => lines(path.join('mariadb-audit', file)))
    .map((line, i) => {
      const m = PLACEHOLDERS.exec(line);
      if (!m) throw new Error(`not a server_audit row: ${line}`);
      const [, user, host, connection, query, operation, rest] = m;
      const fields = rest.replace(/,ID$/, operation === 'FAILED_CONNECT' ? ',1045' : ',1146');
      return `${MARIADB_ROWS_START_US + i * 1000},aurora-mysql-instance-1,${user},${host},${number(connection)},${number(query)},${operation},${fields}`;
    });
}

/** The Aurora PostgreSQL log line prefix (`%t:%r:%u@%d:[%p]:`) put in front of each pgAudit line. */
export const PGAUDIT_PREFIX = '2024-01-21 17:56:55 UTC:10.0.1.25(50222):app@appdb:[43627]:';

/** Every audit line of pgAudit's regression output, as the tests wrote them (NOTICE, WARNING), without a prefix. */
export function pgauditLines(): string[] {
  return lines(path.join('pgaudit', 'pgaudit-17.audit.log'));
}
