import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ADDRESS, addressOf, LEGACY, terraformName } from '../../stacks/addresses';
import { checkAddresses } from '../../stacks/addressed-stack';
import { configWith, modelOf, ROOT, tempDir, type Json } from '../support/fixtures';
import { resources, synthAll, synthStack } from '../support/synth';

const synthOne = (config: Json): Json => [...synthAll(modelOf(config), path.join(tempDir(), 'cdktf.out')).values()][0];
const addresses = (json: Json) => Object.entries<Json>(json.resource).flatMap(([type, instances]) => Object.keys(instances).map((name) => `${type}.${name}`));

describe('addresses are unique by construction', () => {
  test('cluster x exporting iam-db-auth-error and cluster x-iam-db-auth exporting error get two log groups (0.1 gave both one address)', () => {
    const json = synthOne(
      configWith((c) => {
        c.targets[0].clusters = [
          { identifier: 'x', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'external', audit: { logTypes: ['audit', 'iam-db-auth-error'] } },
          { identifier: 'x-iam-db-auth', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'external', audit: { logTypes: ['audit', 'error'] } },
        ];
      }),
    );
    const names = resources(json, 'aws_cloudwatch_log_group').map(([, g]) => g.name);
    expect(names).toEqual(expect.arrayContaining(['/aws/rds/cluster/x/iam-db-auth-error', '/aws/rds/cluster/x-iam-db-auth/error']));
    expect(LEGACY.logGroup('x', 'iam-db-auth-error')).toEqual(LEGACY.logGroup('x-iam-db-auth', 'error'));
    expect(addressOf(ADDRESS.logGroup('x', 'iam-db-auth-error'))).not.toBe(addressOf(ADDRESS.logGroup('x-iam-db-auth', 'error')));
    // The ambiguous 0.1 address is only ever forgotten: nobody can tell which group it held.
    expect(json.moved.map((m: Json) => m.from)).not.toContain('aws_cloudwatch_log_group.log_x_iam_db_auth_error');
    expect(json.removed.map((r: Json) => r.from)).toContain('aws_cloudwatch_log_group.log_x_iam_db_auth_error');
  });

  test('cluster orders with detection db-drop-statements and cluster orders-db with drop-statements get two alarms (0.1 gave both one name)', () => {
    const json = synthOne(
      configWith((c) => {
        c.customDetections = [{ id: 'db-drop-statements', logType: 'audit', pattern: 'DROP' }];
        c.targets[0].clusters = [
          { identifier: 'orders', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'external' },
          { identifier: 'orders-db', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'external' },
        ];
      }),
    );
    const alarmNames = resources(json, 'aws_cloudwatch_metric_alarm').map(([, a]) => a.alarm_name);
    expect(alarmNames).toContain('aurora-audit/123456789012/eu-west-1/orders/db-drop-statements');
    expect(alarmNames).toContain('aurora-audit/123456789012/eu-west-1/orders-db/drop-statements');
    expect(new Set(alarmNames).size).toBe(alarmNames.length);
  });

  test('an address is the construct path joined by _, and no construct id on it may hold one', () => {
    expect(terraformName(['cluster-orders-db', 'log-groups', 'audit'])).toBe('cluster-orders-db_log-groups_audit');
    expect(terraformName(['alarm-key', 'default'])).toBe('alarm-key');
    expect(() => terraformName(['cluster-a_b', 'x'])).toThrow('cannot be part of a Terraform address');
  });

  test('each stack refuses, at synth, addresses that collide or blocks that disagree with what it declares', () => {
    const topic = ADDRESS.topic();
    expect(() => checkAddresses(['a.x', 'a.x'], [], { moved: [], forgotten: [] })).toThrow('two resources share the address a.x');
    expect(() => checkAddresses([], [topic], { moved: [], forgotten: [] })).toThrow(`promises ${addressOf(topic)}`);
    expect(() => checkAddresses(['a.x'], [], { moved: [{ from: { type: 'a', name: 'y' }, to: { type: 'a', name: 'z' } }], forgotten: [] })).toThrow('moved to a.z, which is not declared');
    expect(() => checkAddresses(['a.x'], [], { moved: [], forgotten: [{ type: 'a', name: 'x' }] })).toThrow('forgets a.x, which is declared');
  });

  test('every address 0.1 wrote for the deployed fixture is moved to where today declares the same resource', () => {
    const model = modelOf(parseYaml(fs.readFileSync(path.join(ROOT, 'test/fixtures/deployed-0.1.yaml'), 'utf8')));
    const today = synthAll(model, path.join(tempDir(), 'cdktf.out'));
    for (const stack of ['production', 'old-region']) {
      const legacy = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/legacy-0.1/deployed-0.1', stack, 'cdk.tf.json'), 'utf8'));
      const json = today.get(stack);
      const moved = new Map<string, string>(json.moved.map((m: Json) => [m.from, m.to]));
      for (const address of addresses(legacy)) {
        const to = moved.get(address);
        expect({ address, movedTo: to !== undefined && addresses(json).includes(to) }).toEqual({ address, movedTo: true });
        // The same resource: same type, and the same AWS name where it has one.
        const [type, name] = [address.split('.')[0], address.split('.').slice(1).join('.')];
        const [, toName] = [to!.split('.')[0], to!.split('.').slice(1).join('.')];
        expect(to!.split('.')[0]).toBe(type);
        const [before, after] = [legacy.resource[type][name], json.resource[type][toName]];
        for (const key of ['name', 'cluster_identifier', 'configuration_name']) if (key in before) expect({ address, [key]: after[key] }).toEqual({ address, [key]: before[key] });
      }
    }
  });
});

describe('a parameter group several clusters keep', () => {
  const shared = { name: 'shared-params', parameters: { max_connections: '500' }, alsoUsedBy: ['reporting-replica'] };
  const config = configWith((c) => {
    c.targets[0].clusters = [
      { identifier: 'a', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'adopt', parameterGroup: shared },
      { identifier: 'b', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'adopt', parameterGroup: { ...shared, alsoUsedBy: ['a', 'reporting-replica'] } },
    ];
  });

  test('is one resource with one import, which both clusters use', () => {
    const json = synthOne(config);
    const groups = resources(json, 'aws_rds_cluster_parameter_group');
    expect(groups.map(([, g]) => g.name)).toEqual(['shared-params']);
    expect(json.import.filter((i: Json) => i.id === 'shared-params')).toHaveLength(1);
    const reference = `\${aws_rds_cluster_parameter_group.${groups[0][0]}.name}`;
    expect(resources(json, 'aws_rds_cluster').map(([, c]) => c.db_cluster_parameter_group_name)).toEqual([reference, reference]);
  });

  test('the model names who else it reaches: in the config, and outside it', () => {
    const [a, b] = modelOf(config).stacks[0].clusters;
    expect(a.parameterGroup).toMatchObject({ sharedWith: ['b'], alsoUsedBy: ['reporting-replica'] });
    expect(b.parameterGroup).toMatchObject({ sharedWith: ['a'], alsoUsedBy: ['reporting-replica'] });
  });
});

describe('a retired cluster is forgotten only as far as it could have existed', () => {
  const removedOf = (engine?: string) => {
    const model = modelOf(
      configWith((c) => {
        c.retired = [{ accountId: '123456789012', region: 'eu-west-1', identifier: 'old-db', attach: 'adopt', ...(engine ? { engine } : {}) }];
      }),
    );
    const json = JSON.parse(synthStack(model));
    return (json.removed ?? []).map((r: { from: string }) => r.from).filter((a: string) => a.includes('old-db'));
  };

  test('with its engine recorded, only that engine\'s log groups are forgotten: a MySQL cluster never had a postgresql group', () => {
    const mysql = removedOf('aurora-mysql');
    expect(mysql.some((a: string) => a.includes('log-groups_audit'))).toBe(true);
    expect(mysql.filter((a: string) => /postgresql/.test(a))).toEqual([]);
    const postgres = removedOf('aurora-postgresql');
    expect(postgres.some((a: string) => a.includes('log-groups_postgresql'))).toBe(true);
    expect(postgres.filter((a: string) => /log-groups_(audit|slowquery|general)/.test(a))).toEqual([]);
  });

  test('without it (an entry written before init recorded engines), every engine\'s groups are forgotten: more than was there, never less', () => {
    const unknown = removedOf();
    expect(unknown.some((a: string) => a.includes('log-groups_audit'))).toBe(true);
    expect(unknown.some((a: string) => a.includes('log-groups_postgresql'))).toBe(true);
  });
});
