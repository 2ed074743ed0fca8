/**
 * check-plan on plans of every shape it may be handed, one rule at a time, in plan JSON written by hand for shapes
 * Terraform rarely writes. Real Terraform plans against state built from synthesized stacks are in
 * test/terraform/transitions*.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AURORA_AUDIT_RESOURCE_TYPES, findUnsafeChanges, judgePlan } from '../../cli/plan-rules';
import { parseConfig } from '../../config/load';
import { synthAll } from '../support/synth';
import { ROOT, tempDir, TEMPLATES, type Json } from '../support/fixtures';
import { cli } from '../support/cli';

const change = (type: string, address: string, actions: string[], before: Json, after: Json = null, extra: Json = {}) => ({
  address,
  mode: 'managed',
  type,
  change: { actions, before, after, after_unknown: {} },
  ...extra,
});
const update = (type: string, address: string, before: Json, after: Json) => change(type, address, ['update'], before, { ...before, ...after });
const plan = (...changes: Json[]) => ({ format_version: '1.2', terraform_version: '1.11.4', planned_values: { root_module: {} }, resource_changes: changes });
const reasons = (p: Json, allow: string[] = []) => findUnsafeChanges(p, allow).map((f) => `${f.address}: ${f.reason}`);

const AUDIT = { name: '/aws/rds/cluster/orders-db/audit', retention_in_days: 365, kms_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/k', skip_destroy: true };
const group = (parameter: Array<[string, string]>) => ({ name: 'orders-db-params', parameter: parameter.map(([name, value]) => ({ name, value, apply_method: 'immediate' })) });
const LOCK = (mode: string, years: number) => ({ bucket: 'archive-b', object_lock_enabled: 'Enabled', rule: [{ default_retention: [{ mode, years, days: null }] }] });
const lockChange = (mode = 'COMPLIANCE', years = 7) => change('aws_s3_bucket_object_lock_configuration', 'aws_s3_bucket_object_lock_configuration.l', ['no-op'], LOCK(mode, years), LOCK(mode, years));
const lifecycle = (rule: Json) => ({ bucket: 'archive-b', rule: [{ id: 'r', status: 'Enabled', expiration: [], noncurrent_version_expiration: [], ...rule }] });

describe('check-plan: deletions it refuses, whatever the config says', () => {
  test.each([
    ['a DB cluster deleted', change('aws_rds_cluster', 'aws_rds_cluster.x', ['delete'], { cluster_identifier: 'orders-db' }), 'it is the database orders-db'],
    ['a DB cluster replaced', change('aws_rds_cluster', 'aws_rds_cluster.x', ['delete', 'create'], { cluster_identifier: 'orders-db' }), 'it is the database orders-db'],
    ['a DB instance deleted', change('aws_rds_cluster_instance', 'aws_rds_cluster_instance.w', ['delete'], { identifier: 'orders-db-1' }), 'it is the database instance orders-db-1'],
    ['a KMS key deleted', change('aws_kms_key', 'aws_kms_key.k', ['delete'], { key_id: 'k-1' }), 'it is the KMS key k-1'],
    ['a KMS replica key deleted', change('aws_kms_replica_key', 'aws_kms_replica_key.r', ['delete'], { key_id: 'mrk-1' }), 'it is the KMS key mrk-1'],
    ['a KMS external key deleted', change('aws_kms_external_key', 'aws_kms_external_key.e', ['delete'], { id: 'e-1' }), 'it is the KMS key e-1'],
    ['a KMS replica external key deleted', change('aws_kms_replica_external_key', 'aws_kms_replica_external_key.e', ['delete'], { key_id: 're-1' }), 'it is the KMS key re-1'],
    ["a cluster's own parameter group replaced", change('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', ['create', 'delete'], { name: 'orders-db-params' }), 'which aurora-audit did not create'],
    ['an audit log group deleted', change('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', ['delete'], { name: '/aws/rds/cluster/orders-db/audit', skip_destroy: false }), 'which holds audit records'],
    ['a pgAudit log group deleted', change('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.p', ['delete'], { name: '/aws/rds/cluster/reports/postgresql' }), 'which holds audit records'],
    ['a bucket under Object Lock deleted', change('aws_s3_bucket', 'aws_s3_bucket.b', ['delete'], { bucket: 'archive-b', object_lock_enabled: true }), 'keeps audit records under Object Lock'],
    ['the Object Lock configuration deleted', change('aws_s3_bucket_object_lock_configuration', 'aws_s3_bucket_object_lock_configuration.l', ['delete'], LOCK('GOVERNANCE', 1)), 'without a retention'],
    ['a delete whose before is null', change('aws_cloudwatch_metric_alarm', 'aws_cloudwatch_metric_alarm.a', ['delete'], null), 'does not say what it would delete'],
    ['a delete whose before is empty', change('aws_sns_topic', 'aws_sns_topic.t', ['delete'], {}), 'does not say what it would delete'],
    ['a deposed object deleted', change('aws_cloudwatch_metric_alarm', 'aws_cloudwatch_metric_alarm.a', ['delete'], { alarm_name: 'x' }, null, { deposed: '0f1e2d3c' }), 'deposed object (0f1e2d3c)'],
    ['a resource type aurora-audit never creates', change('aws_dynamodb_table', 'aws_dynamodb_table.t', ['delete'], { name: 'orders' }), 'never creates a aws_dynamodb_table'],
    ['an instance aurora-audit never creates, replaced', change('aws_instance', 'aws_instance.i', ['delete', 'create'], { id: 'i-1' }), 'never creates a aws_instance'],
  ])('%s', (_what, c, reason) => {
    expect(findUnsafeChanges(plan(c))).toEqual([expect.objectContaining({ address: c.address, reason: expect.stringContaining(reason) })]);
  });

  test('the versioning and the policy of a bucket under Object Lock, deleted: the bucket is known from the plan', () => {
    const bucket = change('aws_s3_bucket', 'aws_s3_bucket.b', ['no-op'], { bucket: 'archive-b', object_lock_enabled: true }, { bucket: 'archive-b', object_lock_enabled: true });
    const versioning = change('aws_s3_bucket_versioning', 'aws_s3_bucket_versioning.v', ['delete'], { bucket: 'archive-b', versioning_configuration: [{ status: 'Enabled' }] });
    const policy = change('aws_s3_bucket_policy', 'aws_s3_bucket_policy.p', ['delete'], { bucket: 'archive-b', policy: '{}' });
    expect(reasons(plan(bucket, versioning, policy))).toEqual([
      'aws_s3_bucket_versioning.v: it is the versioning of archive-b, which keeps audit records under Object Lock: deleting it suspends versioning',
      'aws_s3_bucket_policy.p: it is the policy of archive-b, which keeps audit records under Object Lock: what it denies would be allowed',
    ]);
    // Known from the prior state alone, as when only the policy changes.
    const prior = { ...plan(policy), prior_state: { values: { root_module: { resources: [{ type: 'aws_s3_bucket_object_lock_configuration', values: LOCK('COMPLIANCE', 7) }] } } } };
    expect(reasons(prior)).toHaveLength(1);
    // Another bucket's policy is none of check-plan's business.
    expect(reasons(plan(change('aws_s3_bucket_policy', 'aws_s3_bucket_policy.o', ['delete'], { bucket: 'other', policy: '{}' })))).toEqual([]);
  });

  test.each([
    ['forgetting a cluster (removed, destroy = false)', change('aws_rds_cluster', 'aws_rds_cluster.x', ['forget'], { cluster_identifier: 'orders-db' })],
    ['a replacement that forgets the old object', change('aws_kms_key', 'aws_kms_key.k', ['create', 'forget'], { key_id: 'k-1' }, { description: 'x' })],
    ['updating a cluster in place', update('aws_rds_cluster', 'aws_rds_cluster.x', { cluster_identifier: 'orders-db', enabled_cloudwatch_logs_exports: ['audit'] }, { enabled_cloudwatch_logs_exports: ['audit', 'error'] })],
    ['replacing a group aurora-audit created (a new engine family)', change('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', ['create', 'delete'], { name: 'aurora-audit-billing-aurora-mysql5-7' })],
    ['an audit log group with skip_destroy (the provider only forgets it)', change('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', ['delete'], { name: '/aws/rds/cluster/orders-db/audit', skip_destroy: true })],
    ['an error log group', change('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.e', ['delete'], { name: '/aws/rds/cluster/orders-db/error' })],
    ['alarms replaced', change('aws_cloudwatch_metric_alarm', 'aws_cloudwatch_metric_alarm.a', ['delete', 'create'], { alarm_name: 'x' }, { alarm_name: 'y' })],
    ['an alarm deleted (coverage, reported)', change('aws_cloudwatch_metric_alarm', 'aws_cloudwatch_metric_alarm.a', ['delete'], { alarm_name: 'x' })],
    ['a longer audit retention', update('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', AUDIT, { retention_in_days: 400 })],
    ['an audit log kept forever', update('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', AUDIT, { retention_in_days: 0 })],
    ['a shorter retention of an error log', update('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.e', { ...AUDIT, name: '/aws/rds/cluster/orders-db/error' }, { retention_in_days: 1 })],
    ['auditing turned on with users excluded (nothing was audited before)', update('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', group([['max_connections', '2000']]), group([['max_connections', '2000'], ['server_audit_logging', '1'], ['server_audit_excl_users', 'rdsadmin']]))],
    ['more audit events', update('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', group([['server_audit_events', 'CONNECT']]), group([['server_audit_events', 'CONNECT,QUERY_DDL']]))],
    ['pgaudit.log widened', update('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', group([['pgaudit.log', 'ddl']]), group([['pgaudit.log', 'ddl,role']]))],
    ['pgaudit.log from ddl,role to all', update('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', group([['pgaudit.log', 'ddl,role']]), group([['pgaudit.log', 'all']]))],
    ['a lifecycle move to colder storage', change('aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_lifecycle_configuration.c', ['create'], null, lifecycle({ transition: [{ days: 90, storage_class: 'GLACIER' }] }))],
    ['a lifecycle expiry after the lock ends', { ...plan(lockChange('COMPLIANCE', 1), change('aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_lifecycle_configuration.c', ['create'], null, lifecycle({ expiration: [{ days: 400 }] }))) }],
  ])('passes %s', (_what, c) => {
    expect(findUnsafeChanges(c.resource_changes ? c : plan(c))).toEqual([]);
  });
});

describe('check-plan: updates that weaken what keeps the records', () => {
  test.each([
    ['the audit retention cut from 365 days to 1', update('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', AUDIT, { retention_in_days: 1 }), 'its retention is cut from 365 days to 1 days'],
    ['an audit log that never expired given a retention', update('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', { ...AUDIT, retention_in_days: 0 }, { retention_in_days: 3653 }), 'from never expiring to 3653 days'],
    ["the audit log group's key removed", update('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', AUDIT, { kms_key_id: '' }), 'its KMS key is removed'],
    ['skip_destroy turned off on the audit log group', update('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', AUDIT, { skip_destroy: false }), 'skip_destroy is turned off'],
    ['the audit log no longer exported', update('aws_rds_cluster', 'aws_rds_cluster.x', { enabled_cloudwatch_logs_exports: ['audit', 'error'] }, { enabled_cloudwatch_logs_exports: ['error'] }), 'the audit log is no longer exported'],
    ['the postgresql log no longer exported', update('aws_rds_cluster', 'aws_rds_cluster.x', { enabled_cloudwatch_logs_exports: ['postgresql'] }, { enabled_cloudwatch_logs_exports: [] }), 'the postgresql log is no longer exported'],
    ['deletion protection off', update('aws_rds_cluster', 'aws_rds_cluster.x', { deletion_protection: true }, { deletion_protection: false }), 'deletion protection is turned off'],
    ['final snapshots off', update('aws_rds_cluster', 'aws_rds_cluster.x', { skip_final_snapshot: false }, { skip_final_snapshot: true }), 'final snapshots are turned off'],
    ['final snapshots off on a DB instance', update('aws_db_instance', 'aws_db_instance.x', { skip_final_snapshot: false }, { skip_final_snapshot: true }), 'final snapshots are turned off'],
    ['server_audit_logging off', update('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', group([['server_audit_logging', '1']]), group([['server_audit_logging', '0']])), 'server_audit_logging goes from 1 to 0'],
    ['server_audit_logging removed', update('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', group([['server_audit_logging', 'ON']]), group([])), 'server_audit_logging goes from ON to unset'],
    ['server_audit_events narrowed', update('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', group([['server_audit_events', 'CONNECT,QUERY_DCL,QUERY_DDL']]), group([['server_audit_events', 'QUERY_DDL']])), 'no longer has CONNECT, QUERY_DCL'],
    ['server_audit_excl_users widened', update('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', group([['server_audit_logging', '1'], ['server_audit_excl_users', 'rdsadmin']]), group([['server_audit_logging', '1'], ['server_audit_excl_users', 'rdsadmin,app']])), 'gains app'],
    ['pgaudit.log narrowed', update('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', group([['pgaudit.log', 'ddl,role']]), group([['pgaudit.log', 'ddl']])), 'pgaudit.log no longer logs role'],
    ['pgaudit.log all minus ddl', update('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', group([['pgaudit.log', 'all']]), group([['pgaudit.log', 'all,-ddl']])), 'no longer logs ddl'],
    ['pgaudit.log none', update('aws_db_parameter_group', 'aws_db_parameter_group.g', group([['pgaudit.log', 'ddl']]), group([['pgaudit.log', 'none']])), 'no longer logs ddl'],
    ['pgaudit out of shared_preload_libraries', update('aws_rds_cluster_parameter_group', 'aws_rds_cluster_parameter_group.g', group([['shared_preload_libraries', 'pg_stat_statements,pgaudit']]), group([['shared_preload_libraries', 'pg_stat_statements']])), 'pgaudit leaves shared_preload_libraries'],
    ['a key disabled', update('aws_kms_key', 'aws_kms_key.k', { is_enabled: true }, { is_enabled: false }), 'the key is disabled'],
    ['a replica key disabled', update('aws_kms_replica_key', 'aws_kms_replica_key.k', { enabled: true }, { enabled: false }), 'the key is disabled'],
    ['Object Lock shortened', update('aws_s3_bucket_object_lock_configuration', 'aws_s3_bucket_object_lock_configuration.l', LOCK('COMPLIANCE', 7), LOCK('COMPLIANCE', 1)), 'shortened from 2555 to 365 days'],
    ['Object Lock from COMPLIANCE to GOVERNANCE', update('aws_s3_bucket_object_lock_configuration', 'aws_s3_bucket_object_lock_configuration.l', LOCK('COMPLIANCE', 7), LOCK('GOVERNANCE', 7)), 'from COMPLIANCE to GOVERNANCE'],
    ['the default retention removed', update('aws_s3_bucket_object_lock_configuration', 'aws_s3_bucket_object_lock_configuration.l', LOCK('COMPLIANCE', 7), { rule: [] }), 'default Object Lock retention is removed'],
    ['versioning suspended', update('aws_s3_bucket_versioning', 'aws_s3_bucket_versioning.v', { bucket: 'archive-b', versioning_configuration: [{ status: 'Enabled' }] }, { versioning_configuration: [{ status: 'Suspended' }] }), 'versioning is suspended'],
    ['a lifecycle expiry added, the lock not in the plan', change('aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_lifecycle_configuration.c', ['create'], null, lifecycle({ expiration: [{ days: 30 }] })), "the bucket's lock is not in this plan"],
    ['a noncurrent-version expiry added to existing rules', update('aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_lifecycle_configuration.c', lifecycle({}), lifecycle({ noncurrent_version_expiration: [{ noncurrent_days: 1 }] })), 'expires noncurrent versions after 1 days'],
    ['an expiry on a date', change('aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_lifecycle_configuration.c', ['create'], null, lifecycle({ expiration: [{ date: '2027-01-01T00:00:00Z' }] })), 'expires objects on 2027-01-01'],
  ])('%s', (_what, c, reason) => {
    expect(findUnsafeChanges(plan(c))).toEqual([expect.objectContaining({ address: c.address, reason: expect.stringContaining(reason) })]);
  });

  test('a lifecycle expiry that comes before the lock of the same bucket ends', () => {
    const expiry = change('aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_lifecycle_configuration.c', ['update'], lifecycle({}), lifecycle({ expiration: [{ days: 90 }] }));
    expect(reasons(plan(lockChange('COMPLIANCE', 7), expiry))).toEqual([
      'aws_s3_bucket_lifecycle_configuration.c: a lifecycle rule (r) expires objects after 90 days, before the Object Lock retention of 2555 days ends',
    ]);
  });

  test('an expiry the rules already had is not counted again', () => {
    const rules = lifecycle({ expiration: [{ days: 30 }] });
    expect(reasons(plan(change('aws_s3_bucket_lifecycle_configuration', 'aws_s3_bucket_lifecycle_configuration.c', ['update'], rules, { ...rules, expected_bucket_owner: '' })))).toEqual([]);
  });

  test('a watched value the plan does not know yet fails closed', () => {
    const c = update('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', AUDIT, { retention_in_days: null });
    c.change.after_unknown = { retention_in_days: true };
    expect(reasons(plan(c))).toEqual([
      'aws_cloudwatch_log_group.a: the plan does not know the new retention_in_days yet, so check-plan cannot tell whether it weakens what keeps the audit records',
    ]);
  });

  test('a group aurora-audit re-creates with less auditing is judged as an update of the old one', () => {
    const c = change(
      'aws_rds_cluster_parameter_group',
      'aws_rds_cluster_parameter_group.g',
      ['create', 'delete'],
      { ...group([['server_audit_logging', '1'], ['server_audit_events', 'CONNECT,QUERY_DDL']]), name: 'aurora-audit-orders-db-aurora-mysql8-0' },
      { ...group([['server_audit_logging', '1'], ['server_audit_events', 'QUERY_DDL']]), name: 'aurora-audit-orders-db-aurora-mysql8-4' },
    );
    expect(reasons(plan(c))).toEqual(['aws_rds_cluster_parameter_group.g: server_audit_events no longer has CONNECT: those events stop being audited']);
  });
});

describe('check-plan: what it counts and reports', () => {
  test('no-ops are not changes; the coverage a plan removes is one line, not a failure', () => {
    const judged = judgePlan(
      plan(
        change('aws_sns_topic', 'aws_sns_topic.t', ['no-op'], { name: 't' }, { name: 't' }),
        change('aws_cloudwatch_metric_alarm', 'aws_cloudwatch_metric_alarm.a', ['delete'], { alarm_name: 'a' }),
        change('aws_cloudwatch_metric_alarm', 'aws_cloudwatch_metric_alarm.b', ['delete'], { alarm_name: 'b' }),
        change('aws_cloudwatch_log_metric_filter', 'aws_cloudwatch_log_metric_filter.f', ['delete'], { name: 'f' }),
        change('aws_cloudwatch_event_rule', 'aws_cloudwatch_event_rule.r', ['delete'], { name: 'r' }),
        change('aws_chatbot_slack_channel_configuration', 'aws_chatbot_slack_channel_configuration.c', ['delete'], { configuration_name: 'c' }),
        change('aws_iam_role', 'aws_iam_role.s', ['delete'], { name: 'CloudWatch-CrossAccountSharingRole' }),
        change('aws_cloudwatch_metric_alarm', 'aws_cloudwatch_metric_alarm.c', ['delete', 'create'], { alarm_name: 'c' }, { alarm_name: 'd' }),
      ),
    );
    expect(judged.changes).toBe(7);
    expect(judged.findings).toEqual([]);
    expect(judged.coverageRemoved).toEqual([
      '2 detection alarms',
      '1 metric filter',
      '1 EventBridge rule (tamper alerts, findings)',
      '1 Slack channel configuration',
      '1 CloudWatch-CrossAccountSharingRole (the monitoring account\'s alarms would read no data)',
    ]);
  });

  test('--allow accepts one named finding, and only that one', () => {
    const unsafe = plan(change('aws_kms_key', 'aws_kms_key.a', ['delete'], { key_id: 'a' }), change('aws_kms_key', 'aws_kms_key.b', ['delete'], { key_id: 'b' }));
    const judged = judgePlan(unsafe, ['aws_kms_key.a', 'aws_kms_key.typo']);
    expect(judged.findings.map((f) => f.address)).toEqual(['aws_kms_key.b']);
    expect(judged.allowed.map((f) => f.address)).toEqual(['aws_kms_key.a']);
    expect(judged.unmatchedAllows).toEqual(['aws_kms_key.typo']);
  });

  test('every resource type the stacks synthesize is one check-plan knows aurora-audit makes', () => {
    const configs = [...TEMPLATES, ...['every-option.yaml', 'siem-every-option.yaml', 'monitoring-delivery.yaml', 'adopted-existing.yaml', 'retired-target.yaml'].map((f) => path.join(ROOT, 'test', 'fixtures', f))];
    const types = new Set<string>();
    const note = (json: Json) => {
      for (const t of Object.keys(json.resource ?? {})) types.add(t);
      for (const b of [...(json.removed ?? []), ...(json.moved ?? [])]) types.add(String(b.from).split('.')[0]);
      for (const b of json.import ?? []) types.add(String(b.to).split('.')[0]);
    };
    for (const file of configs) {
      const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
      for (const json of synthAll(model, path.join(tempDir(), 'cdktf.out')).values()) note(json);
    }
    // And every stack aurora-audit 0.1 wrote, whose resources a state may still hold.
    const legacy = path.join(ROOT, 'test', 'fixtures', 'legacy-0.1');
    for (const dir of fs.readdirSync(legacy).filter((d) => fs.statSync(path.join(legacy, d)).isDirectory())) {
      for (const stack of fs.readdirSync(path.join(legacy, dir))) {
        const file = path.join(legacy, dir, stack, 'cdk.tf.json');
        if (fs.existsSync(file)) note(JSON.parse(fs.readFileSync(file, 'utf8')));
      }
    }
    expect([...types].filter((t) => !AURORA_AUDIT_RESOURCE_TYPES.has(t)).sort()).toEqual([]);
    expect(types.size).toBeGreaterThan(25);
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

  test('a weakening: exit 3, the update named', async () => {
    const file = write(plan(update('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', AUDIT, { retention_in_days: 1 })));
    const { code, stderr } = await cli(['check-plan', file], path.dirname(file));
    expect(code).toBe(3);
    expect(stderr).toContain('aws_cloudwatch_log_group.a: the plan would update it, and its retention is cut from 365 days to 1 days: older audit records would be deleted');
  });

  test('a plan as PowerShell writes it (UTF-16 or UTF-8 with a byte order mark) is judged as the same plan in UTF-8; other bytes are refused', async () => {
    const json = JSON.stringify(plan(update('aws_cloudwatch_log_group', 'aws_cloudwatch_log_group.a', AUDIT, { retention_in_days: 1 }), change('aws_sns_topic', 'aws_sns_topic.t', ['no-op'], { name: 'Zürich ✓' }, { name: 'Zürich ✓' })));
    const utf8 = write(json);
    const expected = await cli(['check-plan', utf8], path.dirname(utf8));
    expect(expected.code).toBe(3);
    const encodings: Array<[string, Buffer]> = [
      ['UTF-16LE', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')])],
      ['UTF-16BE', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(json, 'utf16le').swap16()])],
      ['UTF-8 with a byte order mark', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json, 'utf8')])],
    ];
    for (const [, bytes] of encodings) {
      const file = write('');
      fs.writeFileSync(file, bytes);
      expect(await cli(['check-plan', file], path.dirname(file))).toEqual(expected);
    }
    const latin1 = write('');
    fs.writeFileSync(latin1, Buffer.from(json.replace('Zürich ✓', 'Z\u00fcrich'), 'latin1'));
    const refused = await cli(['check-plan', latin1], path.dirname(latin1));
    expect({ code: refused.code, stdout: refused.stdout }).toEqual({ code: 2, stdout: '' });
    expect(refused.stderr).toMatch(/^aurora-audit: check-plan: "[^"]+plan\.json" is not UTF-8 text: the byte 0xFC at offset \d+ is not a UTF-8 character; save it as UTF-8 \(line 1\)$/m);
  });

  test('--json says the same as data', async () => {
    const file = write(plan(change('aws_kms_key', 'aws_kms_key.k', ['delete'], { key_id: 'k-1' })));
    const { code, stdout } = await cli(['check-plan', file, '--json'], path.dirname(file));
    expect(code).toBe(3);
    expect(JSON.parse(stdout)).toEqual({
      safe: false,
      resourceChanges: 1,
      findings: [expect.objectContaining({ address: 'aws_kms_key.k', actions: ['delete'] })],
      allowed: [],
      coverageRemoved: [],
    });
  });

  test('--allow: the allowed finding is listed as allowed, and the summary never says nothing is lost', async () => {
    const file = write(plan(change('aws_rds_cluster', 'aws_rds_cluster.x', ['delete'], { cluster_identifier: 'orders-db' }), change('aws_sns_topic', 'aws_sns_topic.t', ['no-op'], { name: 't' }, { name: 't' })));
    const { code, stdout, stderr } = await cli(['check-plan', file, '--allow', 'aws_rds_cluster.x'], path.dirname(file));
    expect(code).toBe(0);
    expect(stderr).toBe('allowed by --allow: aws_rds_cluster.x: the plan would delete it, and it is the database orders-db');
    expect(stdout).toBe('check-plan: 1 resource change; 1 change you allowed would lose or weaken what aurora-audit keeps (listed above); nothing else does.');
    expect(stdout).not.toMatch(/none (deletes|loses)/);
  });

  test('--allow naming no finding: exit 2, the findings there are named', async () => {
    const file = write(plan(change('aws_kms_key', 'aws_kms_key.k', ['delete'], { key_id: 'k-1' })));
    const { code, stdout, stderr } = await cli(['check-plan', file, '--allow', 'aws_kms_key.kk'], path.dirname(file));
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('--allow: "aws_kms_key.kk" matches no finding of this plan; its findings are aws_kms_key.k');
  });

  test('a safe plan: the count leaves out no-ops, and what it removes of the alert path is said', async () => {
    const file = write(
      plan(
        change('aws_sns_topic', 'aws_sns_topic.t', ['no-op'], { name: 't' }, { name: 't' }),
        change('aws_cloudwatch_metric_alarm', 'aws_cloudwatch_metric_alarm.a', ['delete'], { alarm_name: 'a' }),
      ),
    );
    const { code, stdout } = await cli(['check-plan', file], path.dirname(file));
    expect(code).toBe(0);
    expect(stdout).toBe(
      'check-plan: 1 resource change; none loses or weakens a database, a KMS key, a parameter group or its auditing, a log group of audit records, or the archive. It removes coverage: 1 detection alarm.',
    );
  });

  test('a plan with no resources at all (Terraform leaves resource_changes out): nothing to lose', async () => {
    const file = write({ format_version: '1.2', terraform_version: '1.11.4', planned_values: {}, configuration: {}, errored: false });
    const { code, stdout } = await cli(['check-plan', file], path.dirname(file));
    expect({ code, stdout: stdout.split(';')[0] }).toEqual({ code: 0, stdout: 'check-plan: 0 resource changes' });
  });

  test.each([
    ['no file given', [], 'give the plan as JSON'],
    ['a file that does not exist', ['missing.json'], 'cannot read "missing.json": ENOENT'],
    ['the binary plan instead of its JSON', ['plan.bin'], 'is not JSON'],
    ['an empty file (a redirect that failed)', ['empty.json'], '"empty.json" is empty; give the output of terraform show -json plan.bin'],
    ['JSON that is not a plan', ['other.json'], 'is not a Terraform plan in JSON (no format_version)'],
    ['the JSON of a state', ['state.json'], 'is the JSON of a state, not of a plan'],
    ['a plan without planned_values', ['bare.json'], 'no planned_values or resource_changes'],
    ['a format check-plan does not know', ['v2.json'], 'of format 2.0, which check-plan does not know'],
    ['a plan Terraform could not finish', ['errored.json'], 'errored: true'],
    ['an action check-plan does not know', ['odd.json'], 'plans ["delete","forget"] for aws_sns_topic.t, actions check-plan does not know'],
    ['resource_changes that are not a list', ['notlist.json'], 'resource_changes is not a list'],
    ['/dev/zero', ['/dev/zero'], 'is larger than 256 MiB'],
  ])('%s: exit 2, one line, no stack trace', async (_what, args, words) => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'plan.bin'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]));
    fs.writeFileSync(path.join(dir, 'other.json'), '{"name": "not a plan"}');
    fs.writeFileSync(path.join(dir, 'empty.json'), '\n');
    fs.writeFileSync(path.join(dir, 'state.json'), JSON.stringify({ format_version: '1.0', terraform_version: '1.11.4', values: { root_module: { resources: [] } } }));
    fs.writeFileSync(path.join(dir, 'bare.json'), JSON.stringify({ format_version: '1.2', resource_changes: [] }));
    fs.writeFileSync(path.join(dir, 'v2.json'), JSON.stringify({ ...plan(), format_version: '2.0' }));
    fs.writeFileSync(path.join(dir, 'errored.json'), JSON.stringify({ ...plan(), errored: true }));
    fs.writeFileSync(path.join(dir, 'odd.json'), JSON.stringify(plan(change('aws_sns_topic', 'aws_sns_topic.t', ['delete', 'forget'], { name: 't' }))));
    fs.writeFileSync(path.join(dir, 'notlist.json'), JSON.stringify({ ...plan(), resource_changes: {} }));
    const { code, stdout, stderr } = await cli(['check-plan', ...args], dir);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(words);
    expect(stderr).not.toMatch(/^\s+at /m);
  });
});
