/**
 * The parameter group each cluster gets: no plan ever resets a parameter the user set.
 */
import { DEFAULT_AUDIT } from '../../config/defaults';
import { UNCONFIRMED } from '../../config/unconfirmed';
import { configWith, modelOf, type Json } from '../support/fixtures';

const mysqlCluster = (extra: Json) => ({ identifier: 'orders-db', engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.05.2', attach: 'adopt', ...extra });
const pgCluster = (extra: Json) => ({ identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'adopt', ...extra });
const groupOf = (cluster: Json, change: (c: Json) => void = () => undefined) =>
  modelOf(
    configWith((c) => {
      c.targets[0].clusters = [cluster];
      change(c);
    }),
  ).stacks[0].clusters[0].parameterGroup;

const USER = {
  max_connections: '2000',
  innodb_print_all_deadlocks: '1',
  binlog_format: { value: 'ROW', applyMethod: 'pending-reboot' },
  server_audit_events: 'CONNECT',
};

describe('an adopted cluster with a custom group', () => {
  const group = groupOf(mysqlCluster({ parameterGroup: { name: 'orders-db-params', parameters: USER } }));

  test('keeps the group: imported, not replaced, so no reboot', () => {
    expect(group).toMatchObject({ mode: 'adopt', name: 'orders-db-params', current: 'orders-db-params', rebootReasons: [] });
  });

  test('keeps every parameter the user set, with its value and apply method', () => {
    const byName = Object.fromEntries(group.parameters.map((p) => [p.name, p]));
    expect(byName.max_connections).toEqual({ name: 'max_connections', value: '2000', applyMethod: 'immediate' });
    expect(byName.innodb_print_all_deadlocks).toEqual({ name: 'innodb_print_all_deadlocks', value: '1', applyMethod: 'immediate' });
    expect(byName.binlog_format).toEqual({ name: 'binlog_format', value: 'ROW', applyMethod: 'pending-reboot' });
    expect(group.preserved).toEqual(['binlog_format', 'innodb_print_all_deadlocks', 'max_connections']);
  });

  test.each(Object.keys(USER).filter((k) => !k.startsWith('server_audit')))('never drops %s, whatever the audit settings', (name) => {
    for (const audit of [{}, { events: ['CONNECT', 'QUERY'] }, { includeUsers: ['app'], excludeUsers: [] }]) {
      const g = groupOf(mysqlCluster({ parameterGroup: { name: 'orders-db-params', parameters: USER }, audit }));
      expect(g.parameters.map((p) => p.name)).toContain(name);
    }
  });

  test('sets the audit parameters, saying what each was', () => {
    expect(group.changes).toEqual([
      { name: 'server_audit_logging', before: undefined, after: '1' },
      { name: 'server_audit_events', before: 'CONNECT', after: 'CONNECT,QUERY_DCL,QUERY_DDL' },
      { name: 'server_audit_excl_users', before: undefined, after: DEFAULT_AUDIT.excludeUsers.join(',') },
    ]);
  });

  test('an audit parameter already at the wanted value keeps its apply method, so the plan shows no change', () => {
    const g = groupOf(mysqlCluster({ parameterGroup: { name: 'p', parameters: { server_audit_logging: { value: '1', applyMethod: 'pending-reboot' } } } }));
    expect(g.parameters.find((p) => p.name === 'server_audit_logging')).toEqual({ name: 'server_audit_logging', value: '1', applyMethod: 'pending-reboot' });
  });
});

describe('a cluster on a default group', () => {
  test('gets a new group of its own, and a reboot it is told about', () => {
    const group = groupOf(mysqlCluster({ parameterGroup: { name: 'default.aurora-mysql8.0' } }));
    expect(group).toMatchObject({ mode: 'create', name: 'aurora-audit-orders-db-aurora-mysql8-0', current: 'default.aurora-mysql8.0' });
    expect(group.rebootReasons).toEqual([expect.stringContaining('moves from default.aurora-mysql8.0 to a new custom group')]);
  });

  test('with nothing recorded, is treated the same way', () => {
    expect(groupOf(mysqlCluster({})).mode).toBe('create');
  });

  test('an external cluster never has its group adopted: its owner attaches ours', () => {
    const group = groupOf(mysqlCluster({ attach: 'external', parameterGroup: { name: 'owner-params', parameters: USER } }));
    expect(group).toMatchObject({ mode: 'create', name: 'aurora-audit-orders-db-aurora-mysql8-0' });
    expect(group.rebootReasons).toEqual([expect.stringContaining('owning Terraform attaches')]);
  });

  test('a group aurora-audit made on an earlier run is not adopted, and needs no second reboot', () => {
    const group = groupOf(mysqlCluster({ parameterGroup: { name: 'aurora-audit-orders-db-aurora-mysql8-0', parameters: { server_audit_logging: '1' } } }));
    expect(group).toMatchObject({ mode: 'create', rebootReasons: [] });
  });
});

describe('Aurora PostgreSQL', () => {
  test('pgaudit joins the libraries already preloaded, never replaces them; a static change needs a reboot', () => {
    const group = groupOf(
      pgCluster({ parameterGroup: { name: 'reports-pg16', parameters: { shared_preload_libraries: { value: 'pg_stat_statements,pg_hint_plan', applyMethod: 'pending-reboot' }, work_mem: '65536' } } }),
    );
    expect(group.parameters).toEqual([
      { name: 'log_connections', value: '1', applyMethod: UNCONFIRMED.pgConnectionLogApplyMethod },
      { name: 'log_disconnections', value: '1', applyMethod: UNCONFIRMED.pgConnectionLogApplyMethod },
      { name: 'pgaudit.log', value: 'ddl,role', applyMethod: UNCONFIRMED.pgauditParameterApplyMethod },
      { name: 'shared_preload_libraries', value: 'pg_stat_statements,pg_hint_plan,pgaudit', applyMethod: 'pending-reboot' },
      { name: 'work_mem', value: '65536', applyMethod: 'immediate' },
    ]);
    expect(group.rebootReasons).toEqual(['shared_preload_libraries gains pgaudit, a static parameter that takes effect at the next reboot']);
  });

  test('with pgaudit already loaded, only pgaudit.log changes, and no reboot', () => {
    const group = groupOf(pgCluster({ parameterGroup: { name: 'reports-pg16', parameters: { shared_preload_libraries: { value: 'pg_stat_statements,pgaudit', applyMethod: 'pending-reboot' } } } }));
    expect(group.rebootReasons).toEqual([]);
    expect(group.parameters.find((p) => p.name === 'shared_preload_libraries')).toEqual({ name: 'shared_preload_libraries', value: 'pg_stat_statements,pgaudit', applyMethod: 'pending-reboot' });
  });

  test('a default group gets a new one that keeps the engine default libraries', () => {
    const recorded = groupOf(pgCluster({ parameterGroup: { name: 'default.aurora-postgresql16', parameters: { shared_preload_libraries: 'pg_stat_statements,auto_explain' } } }));
    expect(recorded.parameters.find((p) => p.name === 'shared_preload_libraries')?.value).toBe('pg_stat_statements,auto_explain,pgaudit');
    const unknown = groupOf(pgCluster({}));
    expect(unknown.parameters.find((p) => p.name === 'shared_preload_libraries')?.value).toBe([...UNCONFIRMED.auroraPostgresqlDefaultPreloadLibraries, 'pgaudit'].join(','));
  });

  test('pgaudit.log and pgaudit.role follow the config', () => {
    const group = groupOf(pgCluster({}), (c) => (c.audit = { pgauditLog: ['ddl', 'role', 'write'], pgauditRole: 'rds_pgaudit' }));
    expect(group.parameters.filter((p) => p.name.startsWith('pgaudit.')).map((p) => [p.name, p.value])).toEqual([
      ['pgaudit.log', 'ddl,role,write'],
      ['pgaudit.role', 'rds_pgaudit'],
    ]);
  });

  describe('connection logging', () => {
    const value = (group: ReturnType<typeof groupOf>, name: string) => group.parameters.find((p) => p.name === name)?.value;

    test('is on by default, in a new group and in an adopted one, with no reboot', () => {
      for (const group of [groupOf(pgCluster({})), groupOf(pgCluster({ parameterGroup: { name: 'reports-pg16', parameters: { shared_preload_libraries: 'pgaudit' } } }))]) {
        expect([value(group, 'log_connections'), value(group, 'log_disconnections')]).toEqual(['1', '1']);
        expect(group.rebootReasons.join(' ')).not.toContain('log_connections');
      }
    });

    test('a value the user set in the group is kept unless the config says otherwise', () => {
      const parameters = { shared_preload_libraries: 'pgaudit', log_connections: '0', log_disconnections: { value: '1', applyMethod: 'pending-reboot' } };
      const kept = groupOf(pgCluster({ parameterGroup: { name: 'reports-pg16', parameters } }));
      expect(kept.parameters.filter((p) => p.name.startsWith('log_'))).toEqual([
        { name: 'log_connections', value: '0', applyMethod: 'immediate' },
        { name: 'log_disconnections', value: '1', applyMethod: 'pending-reboot' },
      ]);
      expect(kept.preserved).toEqual(['log_connections', 'log_disconnections']);
      expect(kept.changes.map((c) => c.name)).not.toContain('log_connections');

      // Either one set is a choice about both: the other is not turned on beside it.
      const one = groupOf(pgCluster({ parameterGroup: { name: 'reports-pg16', parameters: { log_connections: '0' } } }));
      expect(one.parameters.filter((p) => p.name.startsWith('log_'))).toEqual([{ name: 'log_connections', value: '0', applyMethod: 'immediate' }]);

      const asked = groupOf(pgCluster({ parameterGroup: { name: 'reports-pg16', parameters }, audit: { logConnections: true } }));
      expect(asked.changes).toContainEqual({ name: 'log_connections', before: '0', after: '1' });
      expect(asked.preserved).toEqual([]);
    });

    test('false leaves both as they are: not set in a new group, kept in an adopted one', () => {
      expect(value(groupOf(pgCluster({}), (c) => (c.audit = { logConnections: false })), 'log_connections')).toBeUndefined();
      const adopted = groupOf(pgCluster({ parameterGroup: { name: 'reports-pg16', parameters: { log_connections: '1' } }, audit: { logConnections: false } }));
      expect(adopted.parameters.find((p) => p.name === 'log_connections')).toEqual({ name: 'log_connections', value: '1', applyMethod: 'immediate' });
      expect(adopted.preserved).toContain('log_connections');
    });

    test('is never set on Aurora MySQL, where CONNECT logs connections', () => {
      expect(groupOf(mysqlCluster({})).parameters.map((p) => p.name)).not.toContain('log_connections');
    });
  });
});
