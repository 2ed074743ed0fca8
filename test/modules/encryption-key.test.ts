import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Testing } from 'cdktf';
import { UNCONFIRMED } from '../../config/unconfirmed';
import { AlarmEncryptionKey } from '../../modules/encryption-key';
import { policyStatements, resources } from '../support/synth';

describe('AlarmEncryptionKey', () => {
  const json = Testing.synthScope((scope) => {
    new AlarmEncryptionKey(scope, 'key', { accountId: '123456789012', region: 'eu-west-1', partition: 'aws', stackName: 'prod', aliasName: 'alias/aurora-audit-prod', deletionWindowDays: 30 });
  });
  const [[, key]] = resources(json, 'aws_kms_key');
  const statements = policyStatements(json, key.policy);
  const bySid = (sid: string) => statements.find((s) => s.sid === sid);

  test('rotates, and waits before deletion', () => {
    expect(json).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  test('alarms can publish to the encrypted topic: CloudWatch may decrypt and generate data keys', () => {
    expect(bySid('CloudWatchAlarmsPublishToEncryptedTopic')).toMatchObject({
      principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    });
  });

  test('no source condition on the CloudWatch grant while AWS does not document that CloudWatch sends one', () => {
    // A condition key the service never sends would make every alarm notification fail silently.
    expect(UNCONFIRMED.cloudwatchSendsSourceConditionsToKms).toBe(false);
    expect(bySid('CloudWatchAlarmsPublishToEncryptedTopic')).not.toHaveProperty('condition');
  });

  test('CloudWatch Logs may encrypt the RDS log groups of this account and region, and only those', () => {
    expect(bySid('CloudWatchLogsEncryptRdsLogGroups')).toMatchObject({
      principals: [{ type: 'Service', identifiers: ['logs.eu-west-1.amazonaws.com'] }],
      condition: [
        {
          test: 'ArnLike',
          variable: 'kms:EncryptionContext:aws:logs:arn',
          values: ['arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/cluster/*'],
        },
      ],
    });
  });

  test('the account keeps administering the key, so no policy can lock it out', () => {
    expect(bySid('AccountAdministersKey')).toMatchObject({ principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] }], actions: ['kms:*'] });
    expect(key).not.toHaveProperty('bypass_policy_lockout_safety_check');
  });
});
