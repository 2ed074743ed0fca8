/**
 * Monitoring-account mode: metric filters stay in each account, the alarms, their topic and one Slack channel per
 * region live in the monitoring account. Checked on what the stacks synthesize; test/terraform validates them and plans
 * the move into this mode against state.
 */
import * as path from 'node:path';
import { modelOf, problemsOf, tempDir, type Json } from '../support/fixtures';
import { synthAll } from '../support/synth';

const SLACK = { slack: { teamId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } };

function fleet(change: (c: Json) => void = () => undefined): Json {
  const c: Json = {
    version: 1,
    role: 'deploy',
    attach: 'adopt',
    monitoring: { accountId: '999999999999' },
    notifications: SLACK,
    accounts: [
      { id: '111111111111', name: 'cards', regions: { 'eu-west-1': { cards: 'aurora-mysql8.0' }, 'us-east-1': { 'cards-us': 'aurora-postgresql16' } } },
      { id: '999999999999', name: 'tools', regions: { 'eu-west-1': { tools: 'aurora-mysql8.4' } } },
    ],
  };
  change(c);
  return c;
}


const resources = (json: Json, type: string): Array<[string, Json]> => Object.entries(json.resource?.[type] ?? {});

describe('monitoring-account mode', () => {
  const model = modelOf(fleet());
  const out = synthAll(model, path.join(tempDir(), 'cdktf.out'));
  const json = (name: string): Json => out.get(name);

  test('one monitoring stack per region, in the monitoring account, holding every alarm of that region', () => {
    expect(model.monitoringStacks.map((m) => [m.name, m.accountId, m.region, m.roleArn, m.sources.map((s) => s.stack)])).toEqual([
      ['monitoring-eu-west-1', '999999999999', 'eu-west-1', 'arn:aws:iam::999999999999:role/deploy', ['cards-eu-west-1', 'tools-eu-west-1']],
      ['monitoring-us-east-1', '999999999999', 'us-east-1', 'arn:aws:iam::999999999999:role/deploy', ['cards-us-east-1']],
    ]);
  });

  test('a source stack keeps its metric filters and key, and has no alarm, topic, channel or alert details', () => {
    const source = json('cards-eu-west-1');
    for (const type of ['aws_cloudwatch_metric_alarm', 'aws_sns_topic', 'aws_chatbot_slack_channel_configuration', 'aws_lambda_function']) expect(resources(source, type)).toEqual([]);
    expect(resources(source, 'aws_cloudwatch_log_metric_filter').length).toBeGreaterThan(0);
    expect(resources(source, 'aws_kms_key')).toHaveLength(1);
  });

  test('each alarm reads its source account\'s metric, and notifies the monitoring topic: none is left without delivery', () => {
    const m = json('monitoring-eu-west-1');
    const alarms = resources(m, 'aws_cloudwatch_metric_alarm');
    // One per detection, and one on each cluster's audit log silence.
    const clusters = model.monitoringStacks[0].sources.flatMap((s) => s.clusters);
    expect(clusters.every((c) => c.silence)).toBe(true);
    expect(alarms).toHaveLength(clusters.flatMap((c) => c.detections).length + clusters.length);
    for (const [, alarm] of alarms) {
      expect(alarm.alarm_actions).toEqual(['${aws_sns_topic.alarm-topic_topic.arn}']);
      expect(alarm.metric_name).toBeUndefined();
      expect(alarm.metric_query).toHaveLength(1);
    }
    const byName = new Map(alarms.map(([, a]) => [a.alarm_name, a]));
    // Another account's metric names the account; the monitoring account's own does not.
    expect(byName.get('aurora-audit/111111111111/eu-west-1/cards/drop-statements').metric_query[0].account_id).toBe('111111111111');
    expect(byName.get('aurora-audit/999999999999/eu-west-1/tools/drop-statements').metric_query[0].account_id).toBeUndefined();
    // The silence of a source account's audit log is read there too, from CloudWatch Logs' own metric.
    const silence = byName.get('aurora-audit/111111111111/eu-west-1/cards/audit-log/silent');
    expect(silence.metric_query[0]).toMatchObject({
      account_id: '111111111111',
      metric: { namespace: 'AWS/Logs', metric_name: 'IncomingLogEvents', dimensions: { LogGroupName: '/aws/rds/cluster/cards/audit' }, stat: 'Sum' },
    });
    expect(silence).toMatchObject({ comparison_operator: 'LessThanThreshold', treat_missing_data: 'breaching', ok_actions: ['${aws_sns_topic.alarm-topic_topic.arn}'] });
    expect(byName.get('aurora-audit/999999999999/eu-west-1/tools/audit-log/silent').metric_query[0].account_id).toBeUndefined();
    expect(resources(m, 'aws_chatbot_slack_channel_configuration')).toHaveLength(1);
  });

  test('the sharing role: in the account stack of each source account, never in a region stack nor in the monitoring account, trusting it to read metrics and nothing more', () => {
    const roles = (name: string) => resources(json(name), 'aws_iam_role').filter(([, r]) => r.name === 'CloudWatch-CrossAccountSharingRole');
    expect(
      ['account-111111111111', 'account-999999999999', 'cards-eu-west-1', 'cards-us-east-1', 'tools-eu-west-1', 'monitoring-eu-west-1'].map((n) => [n, roles(n).length]),
    ).toEqual([
      ['account-111111111111', 1],
      ['account-999999999999', 0],
      ['cards-eu-west-1', 0],
      ['cards-us-east-1', 0],
      ['tools-eu-west-1', 0],
      ['monitoring-eu-west-1', 0],
    ]);
    // Created, not imported, unless the config says a region stack of aurora-audit 0.2 made it (sharingRole: adopt).
    expect(json('account-111111111111').import).toBeUndefined();
    const documents = Object.entries<Json>(json('account-111111111111').data.aws_iam_policy_document).filter(([id]) => id.startsWith('metric-sharing_'));
    const read = documents.find(([id]) => id === 'metric-sharing_read-metrics')![1];
    expect(read.statement[0].actions).toEqual(['cloudwatch:GetMetricData', 'cloudwatch:GetMetricStatistics', 'cloudwatch:ListMetrics']);
    const trust = documents.find(([id]) => id === 'metric-sharing_trust')![1];
    expect(trust.statement[0].principals[0].identifiers).toEqual(['arn:aws:iam::999999999999:root']);
  });

  test('tamper alerts of a source account reach the monitoring topic through a role that may publish there and nowhere else', () => {
    const source = json('cards-eu-west-1');
    const topicArn = 'arn:aws:sns:eu-west-1:999999999999:aurora-audit-monitoring-eu-west-1-alarms';
    const rules = resources(source, 'aws_cloudwatch_event_rule').map(([id]) => id.replace(/^tamper-alerts_/, ''));
    // Its alarms and topic are the monitoring account's, and watched there.
    expect(rules.sort()).toEqual(['clusters', 'expected', 'instance-parameters', 'key', 'log-groups', 'parameter-groups', 'roles', 'rules', 'rules-watch', 'trails', 'upgrade-paths']);
    for (const [, target] of resources(source, 'aws_cloudwatch_event_target')) {
      expect(target).toMatchObject({ arn: topicArn, role_arn: '${aws_iam_role.event-delivery_role.arn}' });
    }
    const [[, role]] = resources(source, 'aws_iam_role').filter(([id]) => id === 'event-delivery_role');
    expect(role.name).toBe('aurora-audit-events-cards-eu-west-1');
    const documents = source.data.aws_iam_policy_document;
    expect(documents['event-delivery_trust'].statement).toEqual([
      expect.objectContaining({
        principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
        actions: ['sts:AssumeRole'],
        condition: [
          { test: 'StringEquals', variable: 'aws:SourceAccount', values: ['111111111111'] },
          { test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws:events:eu-west-1:111111111111:rule/aurora-audit-*'] },
        ],
      }),
    ]);
    expect(documents['event-delivery_publish'].statement).toEqual([
      { sid: 'PublishToMonitoringTopic', actions: ['sns:Publish'], resources: [topicArn] },
      {
        sid: 'UseTopicKeyThroughSns',
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['arn:aws:kms:eu-west-1:999999999999:key/*'],
        condition: [{ test: 'StringEquals', variable: 'kms:ViaService', values: ['sns.eu-west-1.amazonaws.com'] }],
      },
    ]);
    // The source stack's own topic and key policies grant EventBridge nothing: it has no topic.
    expect(JSON.stringify(documents['alarm-key_policy'])).not.toContain('events.amazonaws.com');
  });

  test('the monitoring topic and key admit the source accounts\' delivery roles only, and its own alarms, topic and key are watched there', () => {
    const m = json('monitoring-eu-west-1');
    const documents = m.data.aws_iam_policy_document;
    const admits = {
      principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::111111111111:root', 'arn:aws:iam::999999999999:root'] }],
      condition: expect.arrayContaining([
        { test: 'ArnLike', variable: 'aws:PrincipalArn', values: ['arn:aws:iam::111111111111:role/aurora-audit-events-*', 'arn:aws:iam::999999999999:role/aurora-audit-events-*'] },
      ]),
    };
    // The topic names each source stack's delivery role by ARN: another role of those accounts, whatever its name, is denied.
    expect(documents['alarm-topic_policy'].statement).toContainEqual(
      expect.objectContaining({
        sid: 'SourceAccountEventRulesPublish',
        actions: ['sns:Publish'],
        principals: admits.principals,
        condition: [{ test: 'ArnEquals', variable: 'aws:PrincipalArn', values: ['arn:aws:iam::111111111111:role/aurora-audit-events-cards-eu-west-1', 'arn:aws:iam::999999999999:role/aurora-audit-events-tools-eu-west-1'] }],
      }),
    );
    expect(documents['alarm-topic_policy'].statement).toContainEqual(expect.objectContaining({ sid: 'NoOtherIdentityPublishes', effect: 'Deny' }));
    expect(documents['alarm-key_policy'].statement).toContainEqual(
      expect.objectContaining({
        sid: 'SourceAccountEventRulesPublishToEncryptedTopic',
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        ...admits,
        condition: expect.arrayContaining([{ test: 'StringEquals', variable: 'kms:ViaService', values: ['sns.eu-west-1.amazonaws.com'] }]),
      }),
    );
    const rules = new Map(resources(m, 'aws_cloudwatch_event_rule').map(([id, r]) => [id.replace(/^tamper-alerts_/, ''), JSON.parse(r.event_pattern)]));
    expect([...rules.keys()].sort()).toEqual(['alarms', 'chatbot', 'expected', 'function', 'key', 'roles', 'rules', 'rules-watch', 'topic', 'trails']);
    // The channel rule reads Chatbot's calls recorded in the other regions, which the monitoring account's stack forwards.
    const forwarding = resources(json('account-999999999999'), 'aws_cloudwatch_event_rule').map(([id]) => id);
    expect(forwarding.sort()).toEqual([
      // IAM's and CloudTrail's calls, recorded in us-east-1, go to the account's other region with tamper rules.
      'chatbot-forwarding_account-to-eu-west-1',
      'chatbot-forwarding_ap-southeast-1-to-eu-west-1',
      'chatbot-forwarding_ap-southeast-1-to-us-east-1',
      'chatbot-forwarding_eu-west-1-to-us-east-1',
      'chatbot-forwarding_us-east-2-to-eu-west-1',
      'chatbot-forwarding_us-east-2-to-us-east-1',
      'chatbot-forwarding_us-west-2-to-eu-west-1',
      'chatbot-forwarding_us-west-2-to-us-east-1',
    ]);
    // A source account has no channel, so no Chatbot call to forward; its roles and trails are watched in its region.
    expect(resources(json('account-111111111111'), 'aws_cloudwatch_event_rule').map(([id]) => id)).toEqual(['chatbot-forwarding_account-to-eu-west-1']);
    expect(rules.get('alarms').detail.$or).toEqual([
      { requestParameters: { alarmNames: [{ prefix: 'aurora-audit/' }] } },
      { eventName: [{ 'anything-but': ['SetAlarmState'] }], requestParameters: { alarmName: [{ prefix: 'aurora-audit/' }] } },
      { eventName: ['SetAlarmState'], requestParameters: { alarmName: [{ prefix: 'aurora-audit/' }], stateValue: ['ALARM'] } },
    ]);
    // The monitoring account's own deployments are reported as expected changes, by a rule of their own.
    expect(rules.get('topic').detail.userIdentity.$or).toEqual([{ arn: [{ 'anything-but': ['arn:aws:sts::999999999999:assumed-role/deploy/aurora-audit'] }] }, { arn: [{ exists: false }] }]);
    expect(rules.get('expected').detail.userIdentity).toEqual({ arn: ['arn:aws:sts::999999999999:assumed-role/deploy/aurora-audit'] });
  });

  test('GuardDuty findings of a source account go the same way; with tampering off and no GuardDuty, no role and no admission', () => {
    const withGuardDuty = synthAll(modelOf(fleet((c) => (c.guardDuty = { enabled: true }))), path.join(tempDir(), 'cdktf.out'));
    const [[, target]] = resources(withGuardDuty.get('cards-eu-west-1'), 'aws_cloudwatch_event_target').filter(([id]) => id.startsWith('guardduty'));
    expect(target).toMatchObject({ arn: 'arn:aws:sns:eu-west-1:999999999999:aurora-audit-monitoring-eu-west-1-alarms', role_arn: '${aws_iam_role.event-delivery_role.arn}' });
    const quiet = synthAll(modelOf(fleet((c) => (c.tampering = { enabled: false }))), path.join(tempDir(), 'cdktf.out'));
    expect(resources(quiet.get('cards-eu-west-1'), 'aws_iam_role').filter(([id]) => id.startsWith('event-delivery'))).toEqual([]);
    expect(JSON.stringify(quiet.get('monitoring-eu-west-1').data.aws_iam_policy_document)).not.toContain('aurora-audit-events-');
    expect(resources(quiet.get('monitoring-eu-west-1'), 'aws_cloudwatch_event_rule')).toEqual([]);
  });

  test('with sharingRole: existing, no stack makes the role; with adopt, the account stack imports the role and its policy', () => {
    const existing = modelOf(fleet((c) => (c.monitoring.sharingRole = 'existing')));
    expect(existing.accountStacks.map((a) => a.sharingRole)).toEqual([undefined, undefined]);
    const adopted = synthAll(modelOf(fleet((c) => (c.monitoring.sharingRole = 'adopt'))), path.join(tempDir(), 'cdktf.out')).get('account-111111111111');
    expect(adopted.import).toEqual([
      { id: 'CloudWatch-CrossAccountSharingRole', to: 'aws_iam_role.metric-sharing_role' },
      { id: 'CloudWatch-CrossAccountSharingRole:read-metrics', to: 'aws_iam_role_policy.metric-sharing_role-policy' },
    ]);
  });

  test("retiring the account's first region moves nothing: the role stays in the account stack, and the retired stack forgets any it held", () => {
    const retiring = modelOf(
      fleet((c) => {
        delete c.accounts[0].regions['eu-west-1'];
        c.retired = [{ accountId: '111111111111', region: 'eu-west-1', identifier: 'cards', stack: 'cards-eu-west-1', attach: 'adopt' }];
      }),
    );
    const out = synthAll(retiring, path.join(tempDir(), 'cdktf.out'));
    expect(resources(out.get('account-111111111111'), 'aws_iam_role').map(([id]) => id)).toEqual(['metric-sharing_role']);
    expect(resources(out.get('cards-us-east-1'), 'aws_iam_role').map(([id]) => id)).toEqual(['alert-details-reader_role', 'event-delivery_role']);
    expect(out.get('cards-eu-west-1').removed.map((r: Json) => r.from)).toEqual(expect.arrayContaining(['aws_iam_role.metric-sharing_role', 'aws_iam_role_policy.metric-sharing_role-policy']));
  });

  test.each<[string, (c: Json) => void, string, string]>([
    ['a Slack channel for one account', (c) => (c.accounts[0].notifications = { slack: { channelId: 'C0CARDS0001' } }), 'accounts[0].notifications', 'not used in monitoring-account mode'],
    ['a monitoring role of another account', (c) => (c.monitoring.role = 'arn:aws:iam::111111111111:role/deploy'), 'monitoring.role', 'assumed in account 999999999999'],
    ['a target named like a monitoring stack', (c) => (c.accounts[0].name = 'monitoring'), 'monitoring', '"monitoring-eu-west-1"'],
    ['no Slack channel anywhere', (c) => delete c.notifications, 'monitoring.notifications.slack.teamId', 'is required'],
  ])('%s is a problem at its line', (_what, change, where, words) => {
    const problems = problemsOf(fleet(change));
    expect(problems.find((p) => p.startsWith(`${where}: `))).toContain(words);
  });
});
