/**
 * Handing the audit trail on: the compliance archive (Object Lock, lifecycle, the stack's key, never destroyed), the
 * push to a SIEM (subscription filters, Firehose, two roles scoped to this stack), the cross-account log destination,
 * and the read-only collector role. Every IAM policy is checked to name only this stack's resources.
 */
import * as path from 'node:path';
import { PLAIN } from '../../cli/style';
import { renderSummary } from '../../cli/summary';
import { firehoseStreams } from '../../config/model';
import { AWS_NAMES } from '../../config/names';
import { configWith, modelOf, problemsOf, tempDir, type Json } from '../support/fixtures';
import { evaluate } from '../support/iam-eval';
import { dataSources, policyStatements, resources, synthAll, synthStack } from '../support/synth';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:splunk-hec-AbCdEf';
const synth = (change: (c: Json) => void, index = 0) => JSON.parse(synthStack(modelOf(configWith(change)), index));
const ofScope = (json: Json, type: string, scope: string) => resources(json, type).filter(([id]) => id.startsWith(`${scope}_`));

/** Two accounts, each with a collector, a push and the archive: what one stack's policies may name, the other's may not. */
function fleet(c: Json): void {
  c.siem = {
    collector: { principal: 'arn:aws:iam::999988887777:role/usm-sensor', externalId: 'usm-7f3a' },
    push: { to: 'splunk', endpoint: 'https://hec.example.com:443', secretArn: SECRET, backupBucketArn: 'arn:aws:s3:::siem-failed-prod' },
  };
  c.archive = { enabled: true };
  c.targets.push({
    name: 'staging',
    accountId: '210987654321',
    region: 'eu-west-1',
    siem: {
      push: {
        to: 'http',
        url: 'https://siem.example.net/ingest',
        secretArn: 'arn:aws:secretsmanager:eu-west-1:210987654321:secret:siem-key-XyZ123',
        backupBucketArn: 'arn:aws:s3:::siem-failed-staging',
      },
    },
    clusters: [{ identifier: 'staging-db', engine: 'aurora-postgresql', engineVersion: '16', attach: 'adopt' }],
  });
}

/** Every statement of every inline role policy the stack makes, with the role's trust beside it. */
function rolePolicies(json: Json): Array<{ role: string; trust: Json[]; statements: Json[] }> {
  const roles = new Map(resources(json, 'aws_iam_role').map(([id, r]) => [id, r]));
  return resources(json, 'aws_iam_role_policy')
    .filter(([id]) => /^(archive|siem-push|siem-collector)_/.test(id))
    .map(([, p]) => {
      const roleId = /^\$\{aws_iam_role\.([^.]+)\.name\}$/.exec(p.role)![1];
      return { role: roleId, trust: policyStatements(json, roles.get(roleId)!.assume_role_policy), statements: policyStatements(json, p.policy) };
    });
}

describe('compliance archive', () => {
  const archiveRemoved = (json: Json) => (json.removed ?? []).filter((r: Json) => r.from.startsWith('aws_s3_'));

  test('off by default: no bucket, stream or filter, and no blocks for a bucket the config never named', () => {
    const json = synth(() => undefined);
    expect(resources(json, 'aws_s3_bucket')).toEqual([]);
    expect(resources(json, 'aws_kinesis_firehose_delivery_stream')).toEqual([]);
    expect(resources(json, 'aws_cloudwatch_log_subscription_filter')).toEqual([]);
    expect(archiveRemoved(json)).toEqual([]);
  });

  test.each([
    ['at the top', (c: Json) => (c.archive = { enabled: false })],
    ['at the target, over an archive turned on at the top', (c: Json) => ((c.archive = { enabled: true, objectLock: { years: 3 } }), (c.targets[0].archive = { enabled: false }))],
  ])('turned off in so many words (%s): the bucket and what keeps its records are forgotten, never destroyed', (_, change) => {
    const json = synth(change);
    expect(resources(json, 'aws_s3_bucket')).toEqual([]);
    expect(resources(json, 'aws_kinesis_firehose_delivery_stream')).toEqual([]);
    expect(archiveRemoved(json).map((r: Json) => r.from).sort()).toEqual([
      'aws_s3_bucket.archive_bucket',
      'aws_s3_bucket_lifecycle_configuration.archive_lifecycle',
      'aws_s3_bucket_object_lock_configuration.archive_object-lock',
      'aws_s3_bucket_ownership_controls.archive_ownership',
      'aws_s3_bucket_policy.archive_policy',
      'aws_s3_bucket_public_access_block.archive_public-access',
      'aws_s3_bucket_server_side_encryption_configuration.archive_encryption',
      'aws_s3_bucket_versioning.archive_versioning',
    ]);
    for (const r of archiveRemoved(json)) expect(r.lifecycle).toEqual({ destroy: false });
  });

  test('a section that names the archive without saying off (only its lock, say) turns nothing off and forgets nothing', () => {
    const json = synth((c) => (c.archive = { objectLock: { years: 3 } }));
    expect(resources(json, 'aws_s3_bucket')).toEqual([]);
    expect(archiveRemoved(json)).toEqual([]);
  });

  const json = synth((c) => {
    c.archive = { enabled: true, objectLock: { mode: 'COMPLIANCE', years: 10 }, transitions: [{ afterDays: 30, storageClass: 'GLACIER_IR' }, { afterDays: 400, storageClass: 'DEEP_ARCHIVE' }] };
  });
  const bucket = resources(json, 'aws_s3_bucket')[0][1];

  test('the bucket has Object Lock and versioning, cannot be destroyed by any plan, and is never emptied', () => {
    expect(bucket).toMatchObject({ bucket: 'aurora-audit-archive-123456789012-eu-west-1', object_lock_enabled: true, force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(ofScope(json, 'aws_s3_bucket_versioning', 'archive')[0][1].versioning_configuration).toEqual({ status: 'Enabled' });
    expect(ofScope(json, 'aws_s3_bucket_object_lock_configuration', 'archive')[0][1].rule).toEqual({ default_retention: { mode: 'COMPLIANCE', years: 10 } });
    expect((json.removed ?? []).filter((r: Json) => r.from.startsWith('aws_s3_'))).toEqual([]);
  });

  test('encrypted with the stack key, no public access, TLS only', () => {
    const [[, sse]] = ofScope(json, 'aws_s3_bucket_server_side_encryption_configuration', 'archive');
    expect(sse.rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: '${aws_kms_key.alarm-key_key.arn}' }, bucket_key_enabled: true }]);
    expect(ofScope(json, 'aws_s3_bucket_public_access_block', 'archive')[0][1]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const [[, policy]] = ofScope(json, 'aws_s3_bucket_policy', 'archive');
    const [deny] = policyStatements(json, policy.policy);
    expect(deny).toMatchObject({ effect: 'Deny', actions: ['s3:*'], condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] });
    // The key now protects records that outlive the stack.
    expect(resources(json, 'aws_kms_key')[0][1].lifecycle).toEqual({ prevent_destroy: true });
  });

  test('the archive holds against its own administrators: only the break-glass role may bypass governance, delete a version, change retention or delete the policy', () => {
    const BUCKET = 'arn:aws:s3:::aurora-audit-archive-123456789012-eu-west-1';
    const GLASS = 'arn:aws:iam::123456789012:role/audit-break-glass';
    const statementsOf = (change: (c: Json) => void) => {
      const out = synth(change);
      const [[, p]] = ofScope(out, 'aws_s3_bucket_policy', 'archive');
      // The bucket's ARN is a reference in the document: resolve it to the bucket's, as Terraform will.
      return JSON.parse(JSON.stringify(policyStatements(out, p.policy)).split('${aws_s3_bucket.archive_bucket.arn}').join(BUCKET));
    };
    const admin = { type: 'AWS' as const, arn: 'arn:aws:iam::123456789012:role/Admin', account: '123456789012', identityAllows: true };
    const glass = { ...admin, arn: GLASS };
    const ask = (statements: Json[], caller: typeof admin, action: string) =>
      evaluate(statements, { caller, action, resource: action === 's3:DeleteBucketPolicy' ? BUCKET : `${BUCKET}/aurora-audit/2026/12/07/x.gz`, resourceAccount: '123456789012', context: { 'aws:SecureTransport': 'true' } }).decision;

    const none = statementsOf((c) => (c.archive = { enabled: true }));
    const withGlass = statementsOf((c) => (c.archive = { enabled: true, breakGlassRoleArn: GLASS }));
    for (const action of ['s3:BypassGovernanceRetention', 's3:DeleteObjectVersion', 's3:PutObjectRetention', 's3:DeleteBucketPolicy']) {
      expect([action, ask(none, admin, action)]).toEqual([action, 'Deny']);
      expect([action, ask(none, glass, action)]).toEqual([action, 'Deny']);
      expect([action, ask(withGlass, admin, action)]).toEqual([action, 'Deny']);
      expect([action, ask(withGlass, glass, action)]).toEqual([action, 'Allow']);
    }
    // What aurora-audit and readers need stays: Firehose puts objects, an auditor reads them.
    expect(ask(none, admin, 's3:PutObject')).toBe('Allow');
    expect(ask(none, admin, 's3:GetObject')).toBe('Allow');
    expect(problemsOf(configWith((c) => (c.archive = { enabled: true, breakGlassRoleArn: 'admin' })))).toEqual([expect.stringMatching(/^archive\.breakGlassRoleArn: "admin" is not an IAM role ARN/)]);
  });

  test('archive settings with no enabled at any level do nothing, and the summary says so where they are written', () => {
    const words = (change: (c: Json) => void) => renderSummary(modelOf(configWith(change)), undefined, '2026-11-30', PLAIN);
    const model = modelOf(configWith((c) => (c.targets[0].archive = { objectLock: { mode: 'COMPLIANCE', years: 3 } })));
    expect(model.stacks[0].archive).toBeUndefined();
    expect(words((c) => (c.targets[0].archive = { objectLock: { mode: 'COMPLIANCE', years: 3 } }))).toContain(
      'targets[0].archive: its settings do nothing, since the archive is off unless enabled: true is set, and nothing is archived. Set targets[0].archive.enabled: true to keep the audit records in S3, or targets[0].archive.enabled: false to say it is off.',
    );
    // Said at some level, either way, or an empty section: nothing to say.
    for (const change of [(c: Json) => ((c.archive = { enabled: true }), (c.targets[0].archive = { objectLock: { years: 3 } })), (c: Json) => (c.archive = { enabled: false, objectLock: { years: 3 } }), (c: Json) => (c.archive = {})]) {
      expect(words(change)).not.toContain('its settings do nothing');
    }
  });

  test('the summary says what GOVERNANCE and COMPLIANCE each protect against', () => {
    const words = (change: (c: Json) => void) => renderSummary(modelOf(configWith(change)), undefined, '2026-11-30', PLAIN);
    const governance = words((c) => (c.archive = { enabled: true }));
    expect(governance).toContain('Object Lock in GOVERNANCE mode (prod: 7 years): it protects records from deletion and overwrite by anyone without s3:BypassGovernanceRetention; the bucket policy denies that, deleting versions and changing retention to everyone (no breakGlassRoleArn is set)');
    expect(governance).toContain("the account's root user can always delete it (each raises a tamper alert), and then bypass. COMPLIANCE holds against all of them, the root user included, and cannot be undone.");
    expect(words((c) => (c.archive = { enabled: true, objectLock: { mode: 'COMPLIANCE' } }))).toContain('Object Lock in COMPLIANCE mode (prod: 7 years): once an object is written nobody, the root user included');
  });

  test('lifecycle moves current and noncurrent versions to the configured classes, and deletes nothing', () => {
    const [[, lifecycle]] = ofScope(json, 'aws_s3_bucket_lifecycle_configuration', 'archive');
    const [rule] = lifecycle.rule;
    expect(rule.transition).toEqual([{ days: 30, storage_class: 'GLACIER_IR' }, { days: 400, storage_class: 'DEEP_ARCHIVE' }]);
    expect(rule.noncurrent_version_transition).toEqual([{ noncurrent_days: 30, storage_class: 'GLACIER_IR' }, { noncurrent_days: 400, storage_class: 'DEEP_ARCHIVE' }]);
    expect(rule.expiration).toBeUndefined();
    expect(rule.noncurrent_version_expiration).toBeUndefined();
  });

  test('every audit log group of the stack is archived, each through one filter, into the archive stream; no other log', () => {
    const filters = ofScope(json, 'aws_cloudwatch_log_subscription_filter', 'archive');
    expect(filters.map(([, f]) => f.log_group_name).sort()).toEqual(['${aws_cloudwatch_log_group.cluster-billing_log-groups_audit.name}', '${aws_cloudwatch_log_group.cluster-orders-db_log-groups_audit.name}']);
    for (const [, f] of filters) expect(f).toMatchObject({ name: 'aurora-audit-archive', filter_pattern: '', destination_arn: '${aws_kinesis_firehose_delivery_stream.archive_delivery_stream.arn}' });
    const [[, stream]] = resources(json, 'aws_kinesis_firehose_delivery_stream');
    expect(stream.extended_s3_configuration).toMatchObject({ bucket_arn: '${aws_s3_bucket.archive_bucket.arn}', kms_key_arn: '${aws_kms_key.alarm-key_key.arn}', compression_format: 'UNCOMPRESSED' });
  });

  test('without encryption the archive uses SSE-S3, and the summary-facing rules refuse a bad lifecycle', () => {
    const plain = synth((c) => {
      c.archive = { enabled: true };
      c.encryption = { mode: 'none' };
    });
    expect(ofScope(plain, 'aws_s3_bucket_server_side_encryption_configuration', 'archive')[0][1].rule).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' } }]);
    expect(problemsOf(configWith((c) => (c.archive = { enabled: true, transitions: [{ afterDays: 10, storageClass: 'STANDARD_IA' }] })))).toEqual([
      'archive.transitions[0].afterDays: 10 is too soon: S3 moves objects to STANDARD_IA only after 30 days',
    ]);
    expect(problemsOf(configWith((c) => (c.archive = { enabled: true, transitions: [{ afterDays: 90, storageClass: 'DEEP_ARCHIVE' }, { afterDays: 30, storageClass: 'GLACIER' }] })))).toEqual([
      'archive.transitions[1].afterDays: 30 must be later than the transition before it (90 days)',
      'archive.transitions[1].storageClass: "GLACIER" must be colder than the transition before it (DEEP_ARCHIVE); from warm to cold: STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE',
    ]);
    expect(problemsOf(configWith((c) => (c.archive = { enabled: true, objectLock: { mode: 'compliance' } })))).toEqual([
      'archive.objectLock.mode: "compliance" is not how S3 spells it: write COMPLIANCE, in capitals',
    ]);
  });
});

describe('push to a SIEM', () => {
  test('Splunk: each audit log group through one filter into a Firehose stream, decompressed, the token read from Secrets Manager only', () => {
    const json = synth(fleet);
    const [[, stream]] = ofScope(json, 'aws_kinesis_firehose_delivery_stream', 'siem-push');
    expect(stream.splunk_configuration).toMatchObject({
      hec_endpoint: 'https://hec.example.com:443',
      hec_endpoint_type: 'Raw',
      secrets_manager_configuration: { enabled: true, secret_arn: SECRET },
      s3_backup_mode: 'FailedEventsOnly',
      s3_configuration: { bucket_arn: 'arn:aws:s3:::siem-failed-prod' },
      processing_configuration: { enabled: true, processors: [{ type: 'Decompression', parameters: [{ parameter_name: 'CompressionFormat', parameter_value: 'GZIP' }] }] },
    });
    expect(stream.splunk_configuration.hec_token).toBeUndefined();
    expect(ofScope(json, 'aws_cloudwatch_log_subscription_filter', 'siem-push')).toHaveLength(2);
  });

  test('a token written into the config is refused, with its path, and nothing else is accepted in its place', () => {
    expect(problemsOf(configWith((c) => (c.siem = { push: { to: 'splunk', endpoint: 'https://hec.example.com', hecToken: 'abc', secretArn: SECRET, backupBucketArn: 'arn:aws:s3:::b-1' } })))).toEqual([
      expect.stringMatching(/^siem\.push\.hecToken: is not a known key/),
    ]);
    expect(problemsOf(configWith((c) => (c.siem = { push: { to: 'splunk', endpoint: 'https://hec.example.com', secretArn: 'my-token-value', backupBucketArn: 'arn:aws:s3:::b-1' } })))).toEqual([
      'siem.push.secretArn: "my-token-value" is not a Secrets Manager secret ARN; use arn:aws:secretsmanager:<region>:<account-id>:secret:<name>. The token itself never goes in the config',
    ]);
    expect(problemsOf(configWith((c) => (c.siem = { push: { to: 'http', url: 'http://siem.example.net', backupBucketArn: 'arn:aws:s3:::b-1' } })))).toEqual([
      'siem.push.url: "http://siem.example.net" is not an https:// URL; Firehose delivers only over HTTPS',
    ]);
  });

  test('every IAM policy names only its own stack: its stream, its buckets, its secret, its log groups and clusters', () => {
    const model = modelOf(configWith(fleet));
    for (let i = 0; i < model.stacks.length; i += 1) {
      const stack = model.stacks[i];
      const other = model.stacks[1 - i];
      const json = JSON.parse(synthStack(model, i));
      const policies = rolePolicies(json);
      expect(policies.length).toBeGreaterThan(0);
      for (const { role, statements } of policies) {
        for (const statement of statements) {
          for (const resource of statement.resources as string[]) {
            // A reference to a resource of this stack, or an ARN in this account (or a bucket the config names for it).
            const own = resource.startsWith('${aws_') || resource.includes(`:${stack.accountId}:`) || /^arn:aws:s3:::siem-failed-/.test(resource);
            expect({ role, resource, own }).toEqual({ role, resource, own: true });
            expect(resource).not.toContain(other.accountId);
            // A wildcard only for the streams of a named log group, or the objects of a named bucket.
            if (resource.includes('*')) expect(resource).toMatch(/^(arn:aws:logs:[^*]+:log-group:\/aws\/rds\/cluster\/[^*]+:\*|arn:aws:s3:::[^*/]+\/\*|\$\{aws_s3_bucket\.[^}]+\}\/\*)$/);
            for (const cluster of other.clusters) expect(resource).not.toContain(`/${cluster.identifier}/`);
          }
        }
      }
      const backups = policies.flatMap((p) => p.statements).flatMap((s) => s.resources as string[]).filter((r) => r.startsWith('arn:aws:s3:::siem-failed-'));
      expect(new Set(backups.map((r) => r.replace(/\/\*$/, '')))).toEqual(new Set([i === 0 ? 'arn:aws:s3:::siem-failed-prod' : 'arn:aws:s3:::siem-failed-staging']));
    }
  });

  test('CloudWatch Logs may only put records into this stream, from this account and region; Firehose only for this stream', () => {
    const json = synth(fleet);
    const [logs] = rolePolicies(json).filter((p) => p.role === 'siem-push_logs-role');
    expect(logs.statements).toEqual([{ sid: 'PutIntoThisStream', actions: ['firehose:PutRecord', 'firehose:PutRecordBatch'], resources: ['${aws_kinesis_firehose_delivery_stream.siem-push_stream.arn}'] }]);
    expect(logs.trust).toEqual([
      {
        principals: [{ type: 'Service', identifiers: ['logs.amazonaws.com'] }],
        actions: ['sts:AssumeRole'],
        condition: [{ test: 'StringLike', variable: 'aws:SourceArn', values: ['arn:aws:logs:eu-west-1:123456789012:*'] }],
      },
    ]);
    const [firehose] = rolePolicies(json).filter((p) => p.role === 'siem-push_firehose-role');
    expect(firehose.trust[0].condition).toEqual([
      { test: 'StringEquals', variable: 'sts:ExternalId', values: ['123456789012'] },
      { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] },
      { test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws:firehose:eu-west-1:123456789012:deliverystream/aurora-audit-prod-push'] },
    ]);
    expect(firehose.statements.map((s) => s.sid)).toEqual(['WriteToBucket', 'ReadEndpointSecret']);
    expect(firehose.statements[1]).toEqual({ sid: 'ReadEndpointSecret', actions: ['secretsmanager:GetSecretValue'], resources: [SECRET] });
  });

  test('a central log destination: filters straight to it, no stream and no role here; one in another region is refused', () => {
    const destination = 'arn:aws:logs:eu-west-1:444455556666:destination:security-lake';
    const json = synth((c) => (c.siem = { push: { to: 'logDestination', destinationArn: destination } }));
    const filters = ofScope(json, 'aws_cloudwatch_log_subscription_filter', 'siem-push');
    expect(filters).toHaveLength(2);
    for (const [, f] of filters) {
      expect(f.destination_arn).toBe(destination);
      expect(f.role_arn).toBeUndefined();
    }
    expect(resources(json, 'aws_kinesis_firehose_delivery_stream')).toEqual([]);
    expect(ofScope(json, 'aws_iam_role', 'siem-push')).toEqual([]);
    expect(problemsOf(configWith((c) => (c.siem = { push: { to: 'logDestination', destinationArn: 'arn:aws:logs:us-east-1:444455556666:destination:security-lake' } })))).toEqual([
      expect.stringMatching(/^targets\[0\]\.siem\.push\.destinationArn|^siem\.push\.destinationArn/),
    ]);
  });

  test('a push and the archive take the two subscription filters a log group allows, under different names', () => {
    const json = synth((c) => {
      fleet(c);
      c.targets.pop();
    });
    const names = resources(json, 'aws_cloudwatch_log_subscription_filter').map(([, f]) => `${f.log_group_name} ${f.name}`);
    expect(names.sort()).toEqual([
      '${aws_cloudwatch_log_group.cluster-billing_log-groups_audit.name} aurora-audit-archive',
      '${aws_cloudwatch_log_group.cluster-billing_log-groups_audit.name} aurora-audit-push',
      '${aws_cloudwatch_log_group.cluster-orders-db_log-groups_audit.name} aurora-audit-archive',
      '${aws_cloudwatch_log_group.cluster-orders-db_log-groups_audit.name} aurora-audit-push',
    ]);
  });
});

describe('collector role for a pulling SIEM', () => {
  test('trusts the SIEM principal with its external id, and reads only the audit log groups and clusters of the stack', () => {
    const json = synth(fleet);
    const [collector] = rolePolicies(json).filter((p) => p.role === 'siem-collector_role');
    expect(collector.trust).toEqual([
      { principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::999988887777:role/usm-sensor'] }], actions: ['sts:AssumeRole'], condition: [{ test: 'StringEquals', variable: 'sts:ExternalId', values: ['usm-7f3a'] }] },
    ]);
    expect(collector.statements).toEqual([
      {
        sid: 'ReadAuditLogGroups',
        actions: ['logs:Describe*', 'logs:Get*', 'logs:FilterLogEvents'],
        resources: [
          'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/cluster/orders-db/audit',
          'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/cluster/orders-db/audit:*',
          'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/cluster/billing/audit',
          'arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/cluster/billing/audit:*',
        ],
      },
      { sid: 'DescribeAuditedClusters', actions: ['rds:Describe*'], resources: ['arn:aws:rds:eu-west-1:123456789012:cluster:orders-db', 'arn:aws:rds:eu-west-1:123456789012:cluster:billing'] },
    ]);
    expect(ofScope(json, 'aws_iam_role', 'siem-collector')[0][1].name).toBe('aurora-audit-prod-siem-collector');
  });

  test('none unless asked for; a principal that is not an IAM ARN is refused', () => {
    expect(ofScope(synth(() => undefined), 'aws_iam_role', 'siem-collector')).toEqual([]);
    expect(problemsOf(configWith((c) => (c.siem = { collector: { principal: '999988887777' } })))).toEqual([expect.stringMatching(/^siem\.collector\.principal: "999988887777" is not an IAM principal ARN/)]);
  });


  test('a principal in another account needs an external id (the confused deputy); one in the stack\'s own account does not', () => {
    for (const principal of ['arn:aws:iam::999988887777:role/usm-sensor', 'arn:aws:iam::999988887777:root', 'arn:aws:iam::999988887777:user/usm']) {
      expect(problemsOf(configWith((c) => (c.siem = { collector: { principal } })))).toEqual([
        `siem.collector.externalId: is missing: "${principal}" is in account 999988887777, not the stack's account 123456789012, so the role must require the external id the SIEM sends (without one, anyone who can make that principal assume roles can read these audit logs: the confused deputy). Set externalId to the value the SIEM shows, 2-1224 letters, digits and +=,.@:/-`,
      ]);
    }
    const json = synth((c) => (c.siem = { collector: { principal: 'arn:aws:iam::123456789012:role/siem-reader' } }));
    expect(rolePolicies(json).find((p) => p.role === 'siem-collector_role')!.trust).toEqual([
      { principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:role/siem-reader'] }], actions: ['sts:AssumeRole'] },
    ]);
  });
  test('policy documents hold no wildcard principal anywhere but the TLS deny', () => {
    const json = synth(fleet);
    for (const [id, doc] of dataSources(json, 'aws_iam_policy_document')) {
      for (const statement of doc.statement ?? []) {
        const wildcard = (statement.principals ?? []).some((p: Json) => p.identifiers.includes('*'));
        expect({ id, wildcard: wildcard && statement.effect !== 'Deny' }).toEqual({ id, wildcard: false });
      }
    }
  });
});

describe('an alarm when a Firehose stream stops delivering', () => {
  const METRIC = { archive: 'DeliveryToS3.DataFreshness', splunk: 'DeliveryToSplunk.DataFreshness', http: 'DeliveryToHttpEndpoint.DataFreshness' } as const;
  const stalled = (json: Json) => resources(json, 'aws_cloudwatch_metric_alarm').filter(([, a]) => /\/firehose\/[^/]+\/stalled$/.test(a.alarm_name));
  const streamNames = (json: Json) => resources(json, 'aws_kinesis_firehose_delivery_stream').map(([, s]) => s.name as string).sort();

  test("each stream of each stack has one, on that stream's own delivery metric, to the stack's topic, under the names the tamper alerts watch", () => {
    const model = modelOf(configWith(fleet));
    const stacks = synthAll(model, path.join(tempDir(), 'cdktf.out'));
    for (const target of model.stacks) {
      const json = stacks.get(target.name)!;
      const alarms = stalled(json);
      expect(alarms.map(([, a]) => a.dimensions.DeliveryStreamName).sort()).toEqual(streamNames(json));
      expect(streamNames(json)).toHaveLength(2);
      const push = target.siem.push!.to as 'splunk' | 'http';
      for (const [, a] of alarms) {
        const purpose = a.dimensions.DeliveryStreamName.endsWith('-archive') ? 'archive' : 'push';
        expect(a).toMatchObject({
          namespace: 'AWS/Firehose',
          metric_name: purpose === 'archive' ? METRIC.archive : METRIC[push],
          statistic: 'Maximum',
          comparison_operator: 'GreaterThanThreshold',
          threshold: 900,
          treat_missing_data: 'notBreaching',
          alarm_actions: ['${aws_sns_topic.alarm-topic_topic.arn}'],
          ok_actions: ['${aws_sns_topic.alarm-topic_topic.arn}'],
        });
        expect(a.alarm_name.startsWith(AWS_NAMES.alarmPrefix(target.accountId, target.region))).toBe(true);
        expect(a.alarm_description).toContain(a.dimensions.DeliveryStreamName);
      }
    }
  });

  test('a push to a central log destination has no stream here, and so no alarm', () => {
    const json = synth((c) => (c.siem = { push: { to: 'logDestination', destinationArn: 'arn:aws:logs:eu-west-1:444455556666:destination:security-lake' } }));
    expect(stalled(json)).toEqual([]);
  });

  test("the summary's audit-trail line says which streams alarm, and says nothing of it where there is no stream", () => {
    const summaryOf = (change: (c: Json) => void) => renderSummary(modelOf(configWith(change)), undefined, '2026-11-30', PLAIN);
    expect(summaryOf(fleet)).toContain('an alarm on each of its 2 Firehose streams when a record waits undelivered over 15 minutes');
    expect(summaryOf((c) => (c.archive = { enabled: true }))).toContain('an alarm on its Firehose stream when a record waits undelivered over 15 minutes');
    expect(summaryOf((c) => (c.siem = { push: { to: 'logDestination', destinationArn: 'arn:aws:logs:eu-west-1:444455556666:destination:security-lake' } }))).not.toContain('Firehose');
  });

  test('in monitoring-account mode the monitoring stack holds one per stream the source stacks make, reading each source account', () => {
    const model = modelOf(
      configWith((c) => {
        fleet(c);
        c.monitoring = { accountId: '999999999999', sharingRole: 'create' };
      }),
    );
    const stacks = synthAll(model, path.join(tempDir(), 'cdktf.out'));
    const monitoring = stacks.get(model.monitoringStacks[0].name)!;
    const expected: string[] = [];
    for (const target of model.stacks) {
      const json = stacks.get(target.name)!;
      // The source stack makes its streams but has no topic: no alarm of its own.
      expect(stalled(json)).toEqual([]);
      expect(streamNames(json)).toEqual(firehoseStreams(target).map((s) => AWS_NAMES.deliveryStream(target.name, s.purpose)).sort());
      for (const name of streamNames(json)) expected.push(`${target.accountId} ${name}`);
    }
    const alarms = stalled(monitoring).map(([, a]) => {
      expect(a.alarm_actions).toEqual(['${aws_sns_topic.alarm-topic_topic.arn}']);
      const [query] = a.metric_query;
      expect(query.metric).toMatchObject({ namespace: 'AWS/Firehose', stat: 'Maximum' });
      return `${query.account_id} ${query.metric.dimensions.DeliveryStreamName}`;
    });
    expect(alarms.sort()).toEqual(expected.sort());
    expect(expected).toHaveLength(4);
  });
});
