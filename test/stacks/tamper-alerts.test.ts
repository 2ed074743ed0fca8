/**
 * Tamper alerts: each EventBridge rule the stack synthesizes matches the CloudTrail events of the calls it watches
 * (test/fixtures/cloudtrail/events.json, in CloudTrail's record layout as EventBridge delivers it), on this stack's
 * resources only, and never the stack's own deploy role; and what reaches Slack is a Chatbot custom notification that
 * says who, what, on which resource and from where.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { matchesPattern } from '../support/event-pattern';
import { configWith, modelOf, ROOT, tempDir, type Json } from '../support/fixtures';
import { policyStatements, resources, synthAll, synthStack } from '../support/synth';

const EVENTS: Record<string, Json> = JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'cloudtrail', 'events.json'), 'utf8'));
const KEY_ARN = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:aurora-audit-prod-alarms';
const DEPLOY_ROLE = 'arn:aws:iam::123456789012:role/ops/aurora-audit-deploy';

const json = JSON.parse(synthStack(modelOf(configWith((c) => (c.targets[0].roleArn = DEPLOY_ROLE)))));
const groupName = (Object.values(json.resource.aws_rds_cluster_parameter_group) as Json[]).find((g) => g.name.includes('orders-db')).name;

/** What Terraform would write after apply: the stack's references in a rule's pattern become the resources' ARNs. */
function applied(text: string): string {
  return text.replaceAll('${aws_kms_key.alarm-key_key.arn}', KEY_ARN).replaceAll('${aws_sns_topic.alarm-topic_topic.arn}', TOPIC_ARN);
}

const allRules = resources(json, 'aws_cloudwatch_event_rule').map(([id, rule]) => [id.replace(/^tamper-alerts_/, ''), { ...rule, pattern: JSON.parse(applied(rule.event_pattern)) }] as const);
/** The rules in the stack's region; the others forward Chatbot's events from the regions CloudTrail records them in. */
const rules = new Map(allRules.filter(([id]) => !id.includes('-from-')));
const forwarders = new Map(allRules.filter(([id]) => id.includes('-from-')));

/** A sample, pointed at this stack's parameter group (the samples name a group of their own). */
function sample(name: string, who?: string): Json {
  const event = structuredClone(EVENTS[name]);
  if (event.detail.requestParameters?.dBClusterParameterGroupName === 'orders-db-params') event.detail.requestParameters.dBClusterParameterGroupName = groupName;
  if (who) event.detail.userIdentity.arn = who;
  return event;
}

const matching = (event: Json) => [...rules].filter(([, r]) => matchesPattern(r.pattern, event)).map(([id]) => id);

describe('tamper rules', () => {
  test('one rule per kind of change, each named for the stack', () => {
    expect([...rules.keys()].sort()).toEqual(['alarms', 'chatbot', 'clusters', 'key', 'log-groups', 'parameter-groups', 'topic']);
    for (const [id, rule] of rules) expect(rule.name).toBe(`aurora-audit-prod-tamper-${id}`);
  });

  test.each<[string, string]>([
    ['ModifyDBClusterParameterGroup', 'parameter-groups'],
    ['ResetDBClusterParameterGroup', 'parameter-groups'],
    ['ModifyDBCluster (parameter group)', 'clusters'],
    ['ModifyDBCluster (log exports)', 'clusters'],
    ['DeleteLogGroup', 'log-groups'],
    ['PutRetentionPolicy', 'log-groups'],
    ['DeleteMetricFilter', 'log-groups'],
    ['DeleteSubscriptionFilter', 'log-groups'],
    ['DeleteAlarms', 'alarms'],
    ['DisableAlarmActions', 'alarms'],
    ['DisableKey', 'key'],
    ['ScheduleKeyDeletion', 'key'],
    ['DeleteTopic', 'topic'],
    ['DeleteSlackChannelConfiguration', 'chatbot'],
    ['UpdateSlackChannelConfiguration', 'chatbot'],
  ])('%s by someone else raises the %s rule, and only it; by the stack\'s own deploy role, none', (name, rule) => {
    expect(matching(sample(name))).toEqual([rule]);
    // The provider assumes the role with the session name aurora-audit; CloudTrail records the session's ARN (no path).
    expect(matching(sample(name, 'arn:aws:sts::123456789012:assumed-role/aurora-audit-deploy/aurora-audit'))).toEqual([]);
    // Another session of the same role is not the stack's deployment.
    expect(matching(sample(name, 'arn:aws:sts::123456789012:assumed-role/aurora-audit-deploy/someone'))).toEqual([rule]);
  });

  test('the same calls on resources the stack does not watch raise nothing', () => {
    const elsewhere = (name: string, change: (e: Json) => void) => {
      const event = sample(name);
      change(event);
      return matching(event);
    };
    expect(elsewhere('ModifyDBClusterParameterGroup', (e) => (e.detail.requestParameters.dBClusterParameterGroupName = 'someone-elses-group'))).toEqual([]);
    expect(elsewhere('ModifyDBCluster (parameter group)', (e) => (e.detail.requestParameters.dBClusterIdentifier = 'other-db'))).toEqual([]);
    // A watched cluster's other settings (a backup window, say) are not tampering.
    expect(elsewhere('ModifyDBCluster (parameter group)', (e) => (e.detail.requestParameters = { dBClusterIdentifier: 'orders-db', preferredBackupWindow: '03:00-04:00' }))).toEqual([]);
    expect(elsewhere('DeleteLogGroup', (e) => (e.detail.requestParameters.logGroupName = '/aws/rds/cluster/other-db/audit'))).toEqual([]);
    expect(elsewhere('DeleteAlarms', (e) => (e.detail.requestParameters.alarmNames = ['my-own-alarm']))).toEqual([]);
    expect(elsewhere('DisableKey', (e) => (e.detail.resources[0].ARN = 'arn:aws:kms:eu-west-1:123456789012:key/other'))).toEqual([]);
    expect(elsewhere('DeleteTopic', (e) => (e.detail.requestParameters.topicArn = 'arn:aws:sns:eu-west-1:123456789012:other'))).toEqual([]);
    expect(elsewhere('DeleteSlackChannelConfiguration', (e) => (e.detail.requestParameters.chatConfigurationArn = 'arn:aws:chatbot::123456789012:chat-configuration/slack-channel/other'))).toEqual([]);
    // Cluster names are compared without case, as RDS treats them.
    expect(elsewhere('ModifyDBCluster (log exports)', (e) => (e.detail.requestParameters.dBClusterIdentifier = 'Orders-DB'))).toEqual(['clusters']);
  });

  test('without a deploy role nothing can be told apart as the stack\'s own: every matching call alerts', () => {
    const ambient = JSON.parse(synthStack(modelOf(configWith(() => undefined))));
    for (const [, rule] of resources(ambient, 'aws_cloudwatch_event_rule')) expect(JSON.parse(rule.event_pattern).detail.userIdentity).toBeUndefined();
  });

  test('what reaches Slack: a Chatbot custom notification with who, what, which resource, from where', () => {
    const targets = new Map(
      resources(json, 'aws_cloudwatch_event_target')
        .filter(([id]) => !id.includes('-from-'))
        .map(([id, t]) => [id.replace(/^tamper-alerts_/, '').replace(/-target$/, ''), t]),
    );
    expect([...targets.keys()].sort()).toEqual([...rules.keys()].sort());
    for (const target of targets.values()) expect(target.arn).toBe('${aws_sns_topic.alarm-topic_topic.arn}');
    const message = transform(targets.get('log-groups'), sample('PutRetentionPolicy'));
    expect(message).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
    expect(message.content.title).toContain('Audit logs at risk');
    expect(message.content.description).toContain('*PutRetentionPolicy* on /aws/rds/cluster/orders-db/audit');
    expect(message.content.description).toContain('*Who:* arn:aws:sts::123456789012:assumed-role/Admin/mallory');
    expect(message.content.description).toContain('*From:* 203.0.113.7');
    expect(message.content.description).toContain('e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b');
    expect(transform(targets.get('alarms'), sample('DeleteAlarms')).content.description).toContain('*DeleteAlarms* on alarms named aurora-audit/123456789012/eu-west-1/');
  });

  test("Chatbot calls are recorded where they are made: the account's stack forwards them from every other Chatbot API region to this one, through a role that may only put events on the default buses of the account's channel regions", () => {
    // The region stack makes no forwarding rule, and uses two providers: its region's and Chatbot's log region's.
    expect(forwarders.size).toBe(0);
    const used = new Set(Object.values<Json>(json.resource).flatMap((byName) => Object.values<Json>(byName).map((r) => r.provider ?? 'aws')));
    expect([...used].sort()).toEqual(['aws', 'aws.chatbot_logs']);

    const model = modelOf(configWith((c) => (c.targets[0].roleArn = DEPLOY_ROLE)));
    const account = synthAll(model, path.join(tempDir(), 'cdktf.out')).get('account-123456789012');
    const routes = resources(account, 'aws_cloudwatch_event_rule').map(([id, rule]) => [id.replace(/^chatbot-forwarding_/, ''), rule] as const);
    expect(routes.map(([id]) => id).sort()).toEqual(['ap-southeast-1-to-eu-west-1', 'us-east-2-to-eu-west-1', 'us-west-2-to-eu-west-1']);
    for (const [id, rule] of routes) {
      const region = id.replace('-to-eu-west-1', '');
      expect(rule.provider).toBe(`aws.chatbot_events_${region.replace(/-/g, '_')}`);
      expect(rule.name).toBe('aurora-audit-account-123456789012-tamper-chatbot-to-eu-west-1');
      expect(resources(account, 'aws_cloudwatch_event_target').find(([tid]) => tid === `chatbot-forwarding_${id}-target`)![1]).toMatchObject({
        provider: rule.provider,
        arn: 'arn:aws:events:eu-west-1:123456789012:event-bus/default',
        role_arn: '${aws_iam_role.chatbot-forwarding_role.arn}',
      });
      const provider = account.provider.aws.find((p: Json) => p.alias === `chatbot_events_${region.replace(/-/g, '_')}`);
      expect(provider).toMatchObject({ region, allowed_account_ids: ['123456789012'], assume_role: [{ role_arn: DEPLOY_ROLE, session_name: 'aurora-audit' }] });
    }
    // The account stack's own provider is IAM's region, which no region stack of the account can take away.
    expect(account.provider.aws.find((p: Json) => !p.alias)).toMatchObject({ region: 'us-east-1', allowed_account_ids: ['123456789012'] });
    // The console's deletion, recorded in us-east-2, is forwarded and then raises the rule here.
    const deletion = sample('DeleteSlackChannelConfiguration');
    expect(deletion.region).toBe('us-east-2');
    const [, forwarder] = routes.find(([id]) => id === 'us-east-2-to-eu-west-1')!;
    expect(matchesPattern(JSON.parse(forwarder.event_pattern), deletion)).toBe(true);
    expect(matching(deletion)).toEqual(['chatbot']);
    // Only Chatbot's channel changes go: nothing else of the account is copied to another region.
    expect(matchesPattern(JSON.parse(forwarder.event_pattern), sample('DeleteTopic'))).toBe(false);
    const [[, role]] = resources(account, 'aws_iam_role').filter(([id]) => id === 'chatbot-forwarding_role');
    expect(policyStatements(account, role.assume_role_policy)).toEqual([
      { principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }], actions: ['sts:AssumeRole'], condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: ['123456789012'] }] },
    ]);
    const [[, policy]] = resources(account, 'aws_iam_role_policy').filter(([id]) => id === 'chatbot-forwarding_role-policy');
    expect(policyStatements(account, policy.policy)).toEqual([{ sid: 'PutOnTheChannelRegionsDefaultBuses', actions: ['events:PutEvents'], resources: ['arn:aws:events:eu-west-1:123456789012:event-bus/default'] }]);
  });

  test('EventBridge may publish to the topic (aurora-audit\'s rules of this account only) and use its key', () => {
    const [[, topicPolicy]] = resources(json, 'aws_sns_topic_policy');
    expect(policyStatements(json, topicPolicy.policy)).toContainEqual(
      expect.objectContaining({
        actions: ['sns:Publish'],
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
        condition: expect.arrayContaining([expect.objectContaining({ variable: 'aws:SourceArn', values: ['arn:aws:events:eu-west-1:123456789012:rule/aurora-audit-*'] })]),
      }),
    );
    const keyPolicy = json.data.aws_iam_policy_document['alarm-key_policy'];
    expect(keyPolicy.statement).toContainEqual(expect.objectContaining({ sid: 'EventBridgeRulesPublishToEncryptedTopic', actions: ['kms:Decrypt', 'kms:GenerateDataKey*'] }));
  });

  test('turned off, the stack has no rule and grants EventBridge nothing', () => {
    const off = JSON.parse(synthStack(modelOf(configWith((c) => (c.tampering = { enabled: false })))));
    expect(resources(off, 'aws_cloudwatch_event_rule')).toEqual([]);
    expect(JSON.stringify(off.data.aws_iam_policy_document)).not.toContain('events.amazonaws.com');
  });
});

/** EventBridge's input transformer: each `<name>` of the template replaced by the value at its path in the event. */
function transform(target: Json, event: Json): Json {
  const { input_paths: paths, input_template: template } = target.input_transformer;
  const text = (template as string).replace(/<(\w+)>/g, (whole, name: string) => {
    if (!(name in paths)) return whole;
    const value = (paths[name] as string).replace(/^\$\./, '').split('.').reduce<Json>((v, k) => v?.[k], event);
    return String(value);
  });
  return JSON.parse(text);
}
