/**
 * `aurora-audit plan`: the reviewer's preview, per cluster: what changes, whether a reboot is needed, what is kept.
 */
import * as path from 'node:path';
import { cli } from '../support/cli';
import { ROOT, tempDir } from '../support/fixtures';

const EXISTING = path.join(ROOT, 'templates', 'existing-clusters.yaml');

describe('plan', () => {
  test('says per cluster what changes, whether it reboots and why, and what is kept', async () => {
    const { code, stdout } = await cli(['plan', '--config', EXISTING], tempDir());
    expect(code).toBe(0);
    const block = (id: string) => stdout.split('\n\n').find((b) => b.startsWith(`production/${id} `))!;
    expect(block('orders-db')).toContain('parameter group: keeps orders-db-params; sets server_audit_logging = 1 (new)');
    expect(block('orders-db')).toContain('keeps: the 3 parameter(s) you set (binlog_format, innodb_print_all_deadlocks, max_connections), unchanged');
    expect(block('orders-db')).toContain('log group /aws/rds/cluster/orders-db/error: imports the existing one');
    expect(block('orders-db')).toContain('reboot: not needed');
    expect(block('billing')).toContain('creates aurora-audit-billing-aurora-mysql5-7');
    expect(block('billing')).toContain('attached in place of default.aurora-mysql5.7');
    expect(block('billing')).toMatch(/reboot: needed: it moves from default.aurora-mysql5.7 to a new custom group/);
    // Aurora MySQL 8.4 on its default group: a group of its own family, the same Advanced Auditing parameters, a reboot.
    expect(block('ledger')).toMatch(/^production\/ledger \(aurora-mysql 8\.4\.mysql_aurora\.8\.4\.7, adopted/);
    expect(block('ledger')).toContain(
      'parameter group: creates aurora-audit-ledger-aurora-mysql8-4 (aurora-mysql8.4: engine defaults + server_audit_logging = 1, server_audit_events = CONNECT,QUERY_DCL,QUERY_DDL, server_audit_excl_users = rdsadmin), attached in place of default.aurora-mysql8.4',
    );
    expect(block('ledger')).toMatch(/reboot: needed: it moves from default.aurora-mysql8.4 to a new custom group/);
    expect(block('reports')).toContain('shared_preload_libraries = pg_stat_statements,pg_hint_plan,pgaudit (was pg_stat_statements,pg_hint_plan)');
    expect(block('reports')).toContain('reboot: needed: shared_preload_libraries gains pgaudit, a static parameter');
    expect(block('reports')).toContain('by hand: in every database, after the reboot that loads pgaudit: CREATE EXTENSION IF NOT EXISTS pgaudit;');
    expect(stdout).toContain('Retired (Terraform forgets them and leaves them standing');
    expect(stdout).toContain('production/legacy-db');
  });

  test('--json gives the same as data', async () => {
    const { stdout } = await cli(['plan', '--config', EXISTING, '--json'], tempDir());
    const plan = JSON.parse(stdout);
    expect(plan.clusters.map((c: { identifier: string; reboot: { needed: boolean } }) => [c.identifier, c.reboot.needed])).toEqual([
      ['orders-db', false],
      ['billing', true],
      ['ledger', true],
      ['reports', true],
    ]);
    expect(plan.retired).toEqual([{ stack: 'production', identifier: 'legacy-db', wholeTarget: false }]);
  });

  test('a bad config is refused like everywhere else', async () => {
    expect((await cli(['plan', '--config', 'nope.yaml'], tempDir())).code).toBe(2);
  });
});
