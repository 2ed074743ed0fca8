import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { Testing } from 'cdktf';
import { AuditLogGroups } from '../../modules/audit-log-groups';
import { resources } from '../support/synth';

describe('AuditLogGroups', () => {
  const json = Testing.synthScope((scope) => {
    new AuditLogGroups(scope, 'logs', {
      clusterIdentifier: 'orders-db',
      logTypes: ['audit', 'error'],
      retentionDays: { audit: 365, error: 30 },
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
  });

  test('one group per log type, named from the literal identifier as RDS names them', () => {
    expect(resources(json, 'aws_cloudwatch_log_group').map(([, g]) => g.name)).toEqual([
      '/aws/rds/cluster/orders-db/audit',
      '/aws/rds/cluster/orders-db/error',
    ]);
  });

  test('every group has its retention, the key, and the STANDARD class metric filters need', () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws/rds/cluster/orders-db/audit',
      retention_in_days: 365,
      kms_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      log_group_class: 'STANDARD',
    });
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, { name: '/aws/rds/cluster/orders-db/error', retention_in_days: 30 });
  });

  test('refuses a log type without a retention rather than keep logs forever', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        new AuditLogGroups(scope, 'logs', { clusterIdentifier: 'x', logTypes: ['general'], retentionDays: {} });
      }),
    ).toThrow('logs must never be kept forever');
  });
});
