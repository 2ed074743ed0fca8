/**
 * check-plan on plans of every shape it may be handed. Real Terraform plans against state built from synthesized
 * stacks are in test/terraform/transitions.test.ts; these check each rule and each bad input.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findUnsafeChanges } from '../../cli/check-plan';
import { tempDir, type Json } from '../support/fixtures';
import { cli } from '../support/cli';

const change = (type: string, address: string, actions: string[], before: Json) => ({ address, mode: 'managed', type, change: { actions, before, after: null } });
const plan = (...changes: Json[]) => ({ format_version: '1.2', terraform_version: '1.11.4', resource_changes: changes });

describe('what check-plan refuses, whatever the config says', () => {
  test.each([
    ['a DB cluster deleted', change('aws_rds_cluster', 'aws_rds_cluster.x', ['delete'], { cluster_identifier: 'orders-db' }), 'it is the database orders-db'],
    ['a DB cluster replaced', change('aws_rds_cluster', 'aws_rds_cluster.x', ['delete', 'create'], { cluster_identifier: 'orders-db' }), 'it is the database orders-db'],
    ['a DB instance deleted', change('aws_rds_cluster_instance', 'aws_rds_cluster_instance.w', ['delete'], { identifier: 'orders-db-1' }), 'it is the database instance orders-db-1'],
    ['a KMS key deleted', change('aws_kms_key', 'aws_kms_key.k', ['delete'], { key_id: 'k-1' }), 'it is the KMS key k-1'],
    ["a cluster's own parameter group replaced", change('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', ['create', 'delete'], { name: 'orders-db-params' }), 'which aurora-audit did not create'],
    ['an audit log group deleted', change('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', ['delete'], { name: '/aws/rds/cluster/orders-db/audit', skip_destroy: false }), 'which holds audit records'],
    ['a pgAudit log group deleted', change('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.p', ['delete'], { name: '/aws/rds/cluster/reports/postgresql' }), 'which holds audit records'],
  ])('%s', (_what, c, reason) => {
    expect(findUnsafeChanges(plan(c))).toEqual([expect.objectContaining({ address: c.address, reason: expect.stringContaining(reason) })]);
  });

  test.each([
    ['forgetting a cluster', change('aws_rds_cluster', 'aws_rds_cluster.x', ['forget'], { cluster_identifier: 'orders-db' })],
    ['updating a cluster in place', change('aws_rds_cluster', 'aws_rds_cluster.x', ['update'], { cluster_identifier: 'orders-db' })],
    ['replacing a group aurora-audit created (a new engine family)', change('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', ['create', 'delete'], { name: 'aurora-audit-billing-aurora-mysql5-7' })],
    ['an audit log group with skip_destroy (the provider only forgets it)', change('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', ['delete'], { name: '/aws/rds/cluster/orders-db/audit', skip_destroy: true })],
    ['an error log group', change('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.e', ['delete'], { name: '/aws/rds/cluster/orders-db/error' })],
    ['alarms replaced', change('aws_cloudwatch_metric_alarm', 'aws_cloudwatch_metric_alarm.a', ['delete', 'create'], { alarm_name: 'x' })],
  ])('passes %s', (_what, c) => {
    expect(findUnsafeChanges(plan(c))).toEqual([]);
  });

  test('--allow accepts one named deletion, and only that one', () => {
    const unsafe = plan(change('aws_kms_key', 'aws_kms_key.a', ['delete'], {}), change('aws_kms_key', 'aws_kms_key.b', ['delete'], {}));
    expect(findUnsafeChanges(unsafe, ['aws_kms_key.a']).map((f) => f.address)).toEqual(['aws_kms_key.b']);
  });
});

describe('check-plan as a command', () => {
  const write = (content: string | Json) => {
    const file = path.join(tempDir(), 'plan.json');
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  test('an unsafe plan: exit 3, each resource named, the way out said', async () => {
    const file = write(plan(change('aws_rds_cluster', 'aws_rds_cluster.cluster-orders-db_adopted', ['delete'], { cluster_identifier: 'orders-db' })));
    const { code, stdout, stderr } = await cli(['check-plan', file], path.dirname(file));
    expect({ code, stdout }).toEqual({ code: 3, stdout: '' });
    expect(stderr).toContain('aws_rds_cluster.cluster-orders-db_adopted: the plan would delete it, and it is the database orders-db');
    expect(stderr).toContain('do not apply this plan');
  });

  test('--json says the same as data', async () => {
    const file = write(plan(change('aws_kms_key', 'aws_kms_key.k', ['delete'], { key_id: 'k-1' })));
    const { code, stdout } = await cli(['check-plan', file, '--json'], path.dirname(file));
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toEqual({ safe: false, resourceChanges: 1, findings: [expect.objectContaining({ address: 'aws_kms_key.k', actions: ['delete'] })] });
  });

  test.each([
    ['no file given', [], 'give the plan as JSON'],
    ['a file that does not exist', ['missing.json'], 'cannot read "missing.json": ENOENT'],
    ['the binary plan instead of its JSON', ['plan.bin'], 'is not JSON'],
    ['JSON that is not a plan', ['other.json'], 'is not a Terraform plan in JSON'],
    ['/dev/zero', ['/dev/zero'], 'is larger than 256 MiB'],
  ])('%s: exit 2, one line, no stack trace', async (_what, args, words) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'plan.bin'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]));
    fs.writeFileSync(path.join(dir, 'other.json'), '{"name": "not a plan"}');
    const { code, stderr } = await cli(['check-plan', ...args], dir);
    expect(code).toBe(2);
    expect(stderr).toContain(words);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
