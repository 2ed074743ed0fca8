import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Testing } from 'cdktf';
import { AlarmTopic, type AlarmTopicProps } from '../../modules/alarm-topic';
import { evaluate, type Caller } from '../support/iam-eval';
import { policyStatements, resources } from '../support/synth';

const KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const ACCOUNT = '123456789012';
const PREFIX = 'aurora-audit/123456789012/eu-west-1/';
const FUNCTION_ROLE = 'arn:aws:iam::123456789012:role/aurora-audit-prod-alert-details';

function topicPolicy(props: Partial<AlarmTopicProps> = {}) {
  const json = Testing.synthScope((scope) => {
    new AlarmTopic(scope, 'topic', { topicName: 'aurora-audit-prod-alarms', accountId: ACCOUNT, region: 'eu-west-1', partition: 'aws', kmsKeyArn: KEY, alarmNamePrefix: PREFIX, ...props });
  });
  const [[, policy]] = resources(json, 'aws_sns_topic_policy');
  return { json, statements: policyStatements(json, policy.policy), topic: policy.arn as string };
}

const alarm = (name: string, account = ACCOUNT): { caller: Caller; context: Record<string, string> } => ({
  caller: { type: 'Service', service: 'cloudwatch.amazonaws.com' },
  context: { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:cloudwatch:eu-west-1:${account}:alarm:${name}` },
});
const rule = (name: string, account = ACCOUNT) => ({
  caller: { type: 'Service' as const, service: 'events.amazonaws.com' },
  context: { 'aws:SourceAccount': account, 'aws:SourceArn': `arn:aws:events:eu-west-1:${account}:rule/${name}` },
});
const role = (arn: string, identityAllows = true) => ({ caller: { type: 'AWS' as const, arn, account: arn.split(':')[4], identityAllows }, context: {} });

describe('AlarmTopic', () => {
  const RULE = 'arn:aws:events:eu-west-1:123456789012:rule/aurora-audit-prod-tamper-log-groups';
  const { json, statements } = topicPolicy({ eventRuleArns: [RULE], publisherRoleArns: [FUNCTION_ROLE] });
  const publish = (who: { caller: Caller; context: Record<string, string> }, policy = statements, topic = topicPolicy().topic) =>
    evaluate(policy, { ...who, action: 'sns:Publish', resource: topic, resourceAccount: ACCOUNT }).decision;

  test('is encrypted with the given customer managed key, never alias/aws/sns', () => {
    expect(json).toHaveResourceWithProperties(SnsTopic, { name: 'aurora-audit-prod-alarms', kms_master_key_id: KEY });
    expect(json).not.toContain('alias/aws/sns');
  });

  test('only the alarms can speak: this stack\'s alarms, aurora-audit\'s rules and the alert-details function publish; nobody else does, an administrator included', () => {
    expect(publish(alarm(`${PREFIX}orders-db/drop-statements`))).toBe('Allow');
    expect(publish(alarm(`${PREFIX}firehose/aurora-audit-prod-archive/stalled`))).toBe('Allow');
    expect(publish(rule('aurora-audit-prod-tamper-log-groups'))).toBe('Allow');
    expect(publish(role(FUNCTION_ROLE))).toBe('Allow');

    // Forgers: another alarm of the account, another account's aurora-audit alarm, a rule of another name, a service
    // call with no source, and any identity of the account whatever its own policy allows.
    expect(publish(alarm('billing-high'))).toBe('Deny');
    expect(publish(alarm(`aurora-audit/123456789012/us-east-1/orders-db/drop-statements`))).toBe('Deny');
    expect(publish(alarm(`${PREFIX}orders-db/drop-statements`, '999999999999'))).toBe('Deny');
    expect(publish(rule('my-rule'))).toBe('Deny');
    // A rule anyone may name like aurora-audit's is not the stack's: only the stack's rules, by ARN, speak.
    expect(publish(rule('aurora-audit-prod-tamper-forged'))).toBe('Deny');
    expect(publish(rule('aurora-audit-prod-tamper-log-groups', '999999999999'))).toBe('Deny');
    expect(publish({ caller: { type: 'Service', service: 'events.amazonaws.com' }, context: {} })).toBe('Deny');
    expect(evaluate(statements, { ...role('arn:aws:iam::123456789012:role/Admin'), action: 'sns:Publish', resource: topicPolicy().topic, resourceAccount: ACCOUNT })).toEqual({ decision: 'Deny', by: 'NoOtherIdentityPublishes' });
    expect(publish(role('arn:aws:iam::123456789012:user/dba'))).toBe('Deny');
    expect(publish(role('arn:aws:iam::999999999999:role/aurora-audit-events-prod'))).toBe('Deny');
  });

  test('without rules, EventBridge may not publish either', () => {
    const { statements: alarmsOnly, topic } = topicPolicy();
    expect(publish(alarm(`${PREFIX}orders-db/drop-statements`), alarmsOnly, topic)).toBe('Allow');
    expect(publish(rule('aurora-audit-prod-tamper-log-groups'), alarmsOnly, topic)).toBe('Deny');
    expect(publish(role(FUNCTION_ROLE), alarmsOnly, topic)).toBe('Deny');
  });

  test('monitoring mode: each source stack\'s delivery role by ARN, never another role of that account, whatever its name', () => {
    const delivery = ['arn:aws:iam::222222222222:role/aurora-audit-events-payments', 'arn:aws:iam::333333333333:role/aurora-audit-events-shop'];
    const { statements: monitoring, topic } = topicPolicy({ alarmNamePrefix: 'aurora-audit/', eventRuleArns: ['arn:aws:events:eu-west-1:123456789012:rule/aurora-audit-monitoring-eu-west-1-tamper-topic'], eventPublisherRoleArns: delivery });
    for (const arn of delivery) expect(publish(role(arn), monitoring, topic)).toBe('Allow');
    expect(publish(role('arn:aws:iam::222222222222:role/aurora-audit-events-forged'), monitoring, topic)).toBe('Deny');
    expect(publish(role('arn:aws:iam::222222222222:role/Admin'), monitoring, topic)).toBe('Deny');
    expect(publish(alarm('aurora-audit/222222222222/eu-west-1/payments/drop-statements'), monitoring, topic)).toBe('Allow');
  });

  test('the policy, which replaces the default one, keeps the owner able to manage and subscribe', () => {
    const owner = statements.find((s) => s.sid === 'OwnerManagesTopic');
    expect(owner.principals).toEqual([{ type: 'AWS', identifiers: ['arn:aws:iam::123456789012:root'] }]);
    expect(owner.actions).toEqual(expect.arrayContaining(['sns:Subscribe', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes']));
    expect(owner.actions).not.toContain('sns:Publish');
  });
});
