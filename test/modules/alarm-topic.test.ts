import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Testing } from 'cdktf';
import { AlarmTopic } from '../../modules/alarm-topic';
import { policyStatements, resources } from '../support/synth';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('AlarmTopic', () => {
  const json = Testing.synthScope((scope) => {
    new AlarmTopic(scope, 'topic', { topicName: 'aurora-audit-prod-alarms', accountId: '123456789012', region: 'eu-west-1', partition: 'aws', kmsKeyArn: KEY });
  });
  const [[, policy]] = resources(json, 'aws_sns_topic_policy');
  const statements = policyStatements(json, policy.policy);

  test('is encrypted with the given customer managed key, never alias/aws/sns', () => {
    expect(json).toHaveResourceWithProperties(SnsTopic, { name: 'aurora-audit-prod-alarms', kms_master_key_id: KEY });
    expect(json).not.toContain('alias/aws/sns');
  });

  test("only CloudWatch alarms of this account and region may publish", () => {
    const publishers = statements.filter((s) => s.actions.some((a: string) => a === 'sns:Publish' || a === 'sns:*'));
    expect(publishers).toEqual([
      expect.objectContaining({
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*'] },
        ],
      }),
    ]);
  });

  test('the policy, which replaces the default one, keeps the owner able to manage and subscribe', () => {
    const owner = statements.find((s) => s.sid === 'OwnerManagesTopic');
    expect(owner.principals).toEqual([{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] }]);
    expect(owner.actions).toEqual(expect.arrayContaining(['sns:Subscribe', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes']));
  });
});
