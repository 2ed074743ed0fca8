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

const SECRET = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:splunk-hec-AbCdEf';
/** A stack with every part of the path: the archive, a SIEM push and collector, the alert details and GuardDuty routing. */
const everything = (c: Json) => {
  c.targets[0].roleArn = DEPLOY_ROLE;
  c.archive = { enabled: true };
  c.siem = {
    collector: { principal: 'arn:aws:iam::123456789012:role/siem-reader' },
    push: { to: 'splunk', endpoint: 'https://hec.example.com:443', secretArn: SECRET, backupBucketArn: 'arn:aws:s3:::siem-failed-prod' },
  };
  c.guardDuty = { enabled: true };
};
const json = JSON.parse(synthStack(modelOf(configWith(everything))));
const groupName = (Object.values(json.resource.aws_rds_cluster_parameter_group) as Json[]).find((g) => g.name.includes('orders-db')).name;

/** What Terraform would write after apply: the stack's references in a rule's pattern become the resources' ARNs. */
function applied(text: string): string {
  return text.replaceAll('${aws_kms_key.alarm-key_key.arn}', KEY_ARN).replaceAll('${aws_sns_topic.alarm-topic_topic.arn}', TOPIC_ARN);
}

const allRules = resources(json, 'aws_cloudwatch_event_rule').filter(([id]) => id.startsWith('tamper-alerts_')).map(([id, rule]) => [id.replace(/^tamper-alerts_/, ''), { ...rule, pattern: JSON.parse(applied(rule.event_pattern)) }] as const);
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
  test('one rule per service watched (two for the rules themselves, which watch each other), and one for the deployment\'s own changes, each named for the stack', () => {
    expect([...rules.keys()].sort()).toEqual(
      ['alarms', 'archive', 'chatbot', 'clusters', 'expected', 'function', 'guardduty', 'instance-parameters', 'key', 'log-groups', 'parameter-groups', 'roles', 'rules', 'rules-watch', 'streams', 'topic', 'trails', 'upgrade-paths'].sort(),
    );
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
  ])('%s by someone else raises the %s rule, and only it; by the stack\'s own deploy role, the expected-change rule', (name, rule) => {
    expect(matching(sample(name))).toEqual([rule]);
    // The provider assumes the role with the session name aurora-audit; CloudTrail records the session's ARN (no path).
    expect(matching(sample(name, 'arn:aws:sts::123456789012:assumed-role/aurora-audit-deploy/aurora-audit'))).toEqual(['expected']);
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

  test('without a deploy role nothing can be told apart as the stack\'s own: every matching call alerts, and there is no expected-change rule', () => {
    const ambient = JSON.parse(synthStack(modelOf(configWith(() => undefined))));
    const ids = resources(ambient, 'aws_cloudwatch_event_rule').map(([id]) => id);
    expect(ids).not.toContain('tamper-alerts_expected');
    for (const [, rule] of resources(ambient, 'aws_cloudwatch_event_rule')) expect(JSON.parse(rule.event_pattern).detail.userIdentity).toBeUndefined();
  });

  test('what reaches Slack: a Chatbot custom notification with who, what, which resource, from where', () => {
    const targets = new Map(
      resources(json, 'aws_cloudwatch_event_target')
        .filter(([id]) => id.startsWith('tamper-alerts_'))
        .map(([id, t]) => [id.replace(/^tamper-alerts_/, '').replace(/-target$/, ''), t]),
    );
    expect([...targets.keys()].sort()).toEqual([...rules.keys()].sort());
    for (const target of targets.values()) expect(target.arn).toBe('${aws_sns_topic.alarm-topic_topic.arn}');
    const message = transform(targets.get('log-groups'), sample('PutRetentionPolicy'));
    expect(message).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
    expect(message.content.title).toContain('Audit logs at risk');
    expect(message.content.description).toContain("*PutRetentionPolicy* on a watched log group, or the account's log policies (the event names it)");
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
    const routes = resources(account, 'aws_cloudwatch_event_rule')
      .map(([id, rule]) => [id.replace(/^chatbot-forwarding_/, ''), rule] as const)
      .filter(([id]) => !id.startsWith('account-to-'));
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

  test('EventBridge may publish to the topic (this stack\'s rules, by ARN, and no other) and use its key', () => {
    const [[, topicPolicy]] = resources(json, 'aws_sns_topic_policy');
    const ruleRefs = resources(json, 'aws_cloudwatch_event_rule').map(([id]) => `\${aws_cloudwatch_event_rule.${id}.arn}`).sort();
    const statement = policyStatements(json, topicPolicy.policy).find((st: Json) => st.sid === 'AuroraAuditEventRulesPublish');
    expect(statement).toMatchObject({ actions: ['sns:Publish'], principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }] });
    expect([...statement.condition.find((c: Json) => c.variable === 'aws:SourceArn').values].sort()).toEqual(ruleRefs);
    const keyPolicy = json.data.aws_iam_policy_document['alarm-key_policy'];
    expect(keyPolicy.statement).toContainEqual(expect.objectContaining({ sid: 'EventBridgeRulesPublishToEncryptedTopic', actions: ['kms:Decrypt', 'kms:GenerateDataKey*'] }));
  });

  test('turned off, the stack has no rule and grants EventBridge nothing', () => {
    const off = JSON.parse(synthStack(modelOf(configWith((c) => (c.tampering = { enabled: false })))));
    expect(resources(off, 'aws_cloudwatch_event_rule')).toEqual([]);
    expect(JSON.stringify(off.data.aws_iam_policy_document)).not.toContain('events.amazonaws.com');
  });
});

/**
 * A CloudTrail management event as EventBridge delivers it (CloudTrail user guide, "CloudTrail record contents";
 * EventBridge user guide, "AWS service events delivered via AWS CloudTrail"): the record in `detail`, with the
 * service's own source, in the region where the call was recorded.
 */
function cloudTrail(call: { source: string; eventSource: string; eventName: string; requestParameters: Json; resources?: Json[]; region?: string; who?: string; readOnly?: boolean }): Json {
  const region = call.region ?? 'eu-west-1';
  const who = call.who ?? 'arn:aws:sts::123456789012:assumed-role/Admin/mallory';
  const [, roleName, session] = /assumed-role\/([^/]+)\/(.+)$/.exec(who) ?? [];
  return {
    version: '0',
    id: '0d7ac3f6-8a1c-4c0e-9d1f-4b8f1e9a2c3d',
    'detail-type': 'AWS API Call via CloudTrail',
    source: call.source,
    account: '123456789012',
    time: '2026-12-07T10:02:11Z',
    region,
    resources: [],
    detail: {
      eventVersion: '1.09',
      userIdentity: {
        type: 'AssumedRole',
        principalId: `AROAEXAMPLEID:${session}`,
        arn: who,
        accountId: '123456789012',
        accessKeyId: 'ASIAEXAMPLEKEY',
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: `arn:aws:iam::123456789012:role/${roleName}`, accountId: '123456789012', userName: roleName },
          attributes: { creationDate: '2026-12-07T09:58:01Z', mfaAuthenticated: 'false' },
        },
      },
      eventTime: '2026-12-07T10:02:11Z',
      eventSource: call.eventSource,
      eventName: call.eventName,
      awsRegion: region,
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15.0',
      requestParameters: call.requestParameters,
      responseElements: null,
      requestID: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f',
      eventID: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      readOnly: call.readOnly ?? false,
      ...(call.resources ? { resources: call.resources } : {}),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: '123456789012',
      eventCategory: 'Management',
    },
  };
}

const ALARM = 'aurora-audit/123456789012/eu-west-1/orders-db/drop-statements';
const SUBSCRIPTION = `${TOPIC_ARN}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`;
const FUNCTION = 'aurora-audit-prod-alert-details';
const STREAM = 'aurora-audit-prod-archive';
const BUCKET = 'aurora-audit-archive-123456789012-eu-west-1';
const GUARDRAIL = 'arn:aws:iam::123456789012:policy/aurora-audit-prod-guardrail';
const keyResource = (arn: string) => [{ accountId: '123456789012', type: 'AWS::KMS::Key', ARN: arn }];

/**
 * Every write on what the stack deploys and depends on: [rule, service source, event source, call, its request on the
 * stack's own resource, the same call on someone else's (null: the rule watches every one of the account's)].
 */
const CALLS: ReadonlyArray<readonly [string, string, string, string, Json, Json | null, Json[]?]> = [
  ['parameter-groups', 'aws.rds', 'rds.amazonaws.com', 'ModifyDBClusterParameterGroup', { dBClusterParameterGroupName: '<group>', parameters: [] }, { dBClusterParameterGroupName: 'theirs' }],
  ['parameter-groups', 'aws.rds', 'rds.amazonaws.com', 'ResetDBClusterParameterGroup', { dBClusterParameterGroupName: '<group>', resetAllParameters: true }, { dBClusterParameterGroupName: 'theirs' }],
  ['parameter-groups', 'aws.rds', 'rds.amazonaws.com', 'DeleteDBClusterParameterGroup', { dBClusterParameterGroupName: '<group>' }, { dBClusterParameterGroupName: 'theirs' }],
  // Any DB (instance) parameter group of the account, by what the call sets: an audit parameter there overrides the
  // cluster's group for the instances that use it.
  ['instance-parameters', 'aws.rds', 'rds.amazonaws.com', 'ModifyDBParameterGroup', { dBParameterGroupName: 'orders-db-writer', parameters: [{ parameterName: 'server_audit_logging', parameterValue: '0', applyMethod: 'immediate' }] }, { dBParameterGroupName: 'orders-db-writer', parameters: [{ parameterName: 'max_connections', parameterValue: '500', applyMethod: 'immediate' }] }],
  // Moving an instance to another group names the instance only: every move alerts; a change of class does not.
  ['instance-parameters', 'aws.rds', 'rds.amazonaws.com', 'ModifyDBInstance', { dBInstanceIdentifier: 'orders-db-2', dBParameterGroupName: 'quiet', applyImmediately: true }, { dBInstanceIdentifier: 'orders-db-2', dBInstanceClass: 'db.r6g.xlarge', applyImmediately: true }],
  ['instance-parameters', 'aws.rds', 'rds.amazonaws.com', 'ModifyDBParameterGroup', { dBParameterGroupName: 'tuning', parameters: [{ parameterName: 'long_query_time', parameterValue: '1', applyMethod: 'immediate' }, { parameterName: 'server_audit_excl_users', parameterValue: 'admin', applyMethod: 'immediate' }] }, { dBParameterGroupName: 'tuning', parameters: [{ parameterName: 'audit_log_policy', parameterValue: 'NONE', applyMethod: 'immediate' }] }],
  ['clusters', 'aws.rds', 'rds.amazonaws.com', 'ModifyDBCluster', { dBClusterIdentifier: 'orders-db', dBClusterParameterGroupName: 'default.aurora-mysql8.0' }, { dBClusterIdentifier: 'theirs', dBClusterParameterGroupName: 'x' }],
  ['clusters', 'aws.rds', 'rds.amazonaws.com', 'ModifyDBCluster', { dBClusterIdentifier: 'orders-db', cloudwatchLogsExportConfiguration: { disableLogTypes: ['audit'] } }, { dBClusterIdentifier: 'theirs', cloudwatchLogsExportConfiguration: { disableLogTypes: ['audit'] } }],
  ['clusters', 'aws.rds', 'rds.amazonaws.com', 'ModifyDBCluster', { dBClusterIdentifier: 'orders-db', newDBClusterIdentifier: 'orders-db-2', applyImmediately: true }, { dBClusterIdentifier: 'theirs', newDBClusterIdentifier: 'x' }],
  ['clusters', 'aws.rds', 'rds.amazonaws.com', 'DeleteDBCluster', { dBClusterIdentifier: 'orders-db', skipFinalSnapshot: false }, { dBClusterIdentifier: 'theirs' }],
  // A major version upgrade takes the cluster off the stack's group (the old family's); a minor one keeps it.
  ['clusters', 'aws.rds', 'rds.amazonaws.com', 'ModifyDBCluster', { dBClusterIdentifier: 'orders-db', engineVersion: '8.0.mysql_aurora.3.08.0', allowMajorVersionUpgrade: true, applyImmediately: true }, { dBClusterIdentifier: 'orders-db', engineVersion: '8.0.mysql_aurora.3.05.3', allowMajorVersionUpgrade: false, applyImmediately: true }],
  ['clusters', 'aws.rds', 'rds.amazonaws.com', 'ModifyDBCluster', { dBClusterIdentifier: 'orders-db', engineVersion: '16.4', allowMajorVersionUpgrade: true, dBInstanceParameterGroupName: 'quiet' }, { dBClusterIdentifier: 'theirs', engineVersion: '16.4', allowMajorVersionUpgrade: true }],
  // A new instance of a watched cluster on a group of its own; on the default group (no dBParameterGroupName) it is not.
  ['clusters', 'aws.rds', 'rds.amazonaws.com', 'CreateDBInstance', { dBInstanceIdentifier: 'orders-db-3', dBClusterIdentifier: 'orders-db', engine: 'aurora-mysql', dBInstanceClass: 'db.r6g.large', dBParameterGroupName: 'quiet' }, { dBInstanceIdentifier: 'orders-db-3', dBClusterIdentifier: 'orders-db', engine: 'aurora-mysql', dBInstanceClass: 'db.r6g.large' }],
  ['clusters', 'aws.rds', 'rds.amazonaws.com', 'CreateDBInstance', { dBInstanceIdentifier: 'orders-db-3', dBClusterIdentifier: 'Orders-DB', engine: 'aurora-mysql', dBParameterGroupName: 'quiet' }, { dBInstanceIdentifier: 'x-1', dBClusterIdentifier: 'theirs', engine: 'aurora-mysql', dBParameterGroupName: 'quiet' }],
  // A green copy of a watched cluster may take over with other groups and exports; a switchover names only the
  // deployment, and a global database's major upgrade only the global database (every member then gets the new
  // version's default groups): those two alert in the whole account, a global database's minor change does not.
  ['upgrade-paths', 'aws.rds', 'rds.amazonaws.com', 'CreateBlueGreenDeployment', { blueGreenDeploymentName: 'orders-84', source: 'arn:aws:rds:eu-west-1:123456789012:cluster:orders-db', targetEngineVersion: '8.4.0', targetDBClusterParameterGroupName: 'quiet' }, { blueGreenDeploymentName: 'theirs-84', source: 'arn:aws:rds:eu-west-1:123456789012:cluster:theirs', targetEngineVersion: '8.4.0' }],
  ['upgrade-paths', 'aws.rds', 'rds.amazonaws.com', 'CreateBlueGreenDeployment', { blueGreenDeploymentName: 'orders-copy', source: 'ARN:AWS:RDS:EU-WEST-1:123456789012:CLUSTER:ORDERS-DB' }, { blueGreenDeploymentName: 'orders-copy', source: 'arn:aws:rds:eu-west-1:123456789012:cluster:orders-db-2' }],
  ['upgrade-paths', 'aws.rds', 'rds.amazonaws.com', 'SwitchoverBlueGreenDeployment', { blueGreenDeploymentIdentifier: 'bgd-v53303651eexfake', switchoverTimeout: 300 }, null],
  ['upgrade-paths', 'aws.rds', 'rds.amazonaws.com', 'ModifyGlobalCluster', { globalClusterIdentifier: 'orders-global', engineVersion: '8.4.0', allowMajorVersionUpgrade: true }, { globalClusterIdentifier: 'orders-global', deletionProtection: true }],
  ['log-groups', 'aws.logs', 'logs.amazonaws.com', 'DeleteLogGroup', { logGroupName: '/aws/rds/cluster/orders-db/audit' }, { logGroupName: '/aws/rds/cluster/theirs/audit' }],
  ['log-groups', 'aws.logs', 'logs.amazonaws.com', 'PutRetentionPolicy', { logGroupName: '/aws/rds/cluster/orders-db/audit', retentionInDays: 1 }, { logGroupName: '/aws/lambda/x', retentionInDays: 1 }],
  ['log-groups', 'aws.logs', 'logs.amazonaws.com', 'PutMetricFilter', { logGroupName: '/aws/rds/cluster/orders-db/audit', filterName: 'aurora-audit-drop-statements', filterPattern: 'nothing' }, { logGroupName: '/app', filterName: 'f', filterPattern: 'x' }],
  ['log-groups', 'aws.logs', 'logs.amazonaws.com', 'PutSubscriptionFilter', { logGroupName: '/aws/rds/cluster/orders-db/audit', filterName: 'x', destinationArn: 'arn:aws:lambda:eu-west-1:999999999999:function:exfil' }, { logGroupName: '/app', filterName: 'x', destinationArn: 'y' }],
  ['log-groups', 'aws.logs', 'logs.amazonaws.com', 'DisassociateKmsKey', { logGroupName: '/aws/rds/cluster/orders-db/audit' }, { logGroupName: '/app' }],
  ['log-groups', 'aws.logs', 'logs.amazonaws.com', 'AssociateKmsKey', { logGroupName: '/aws/rds/cluster/orders-db/audit', kmsKeyId: 'arn:aws:kms:eu-west-1:999999999999:key/theirs' }, { logGroupName: '/app', kmsKeyId: 'k' }],
  ['log-groups', 'aws.logs', 'logs.amazonaws.com', 'PutDataProtectionPolicy', { logGroupIdentifier: '/aws/rds/cluster/orders-db/audit', policyDocument: '{}' }, { logGroupIdentifier: '/app', policyDocument: '{}' }],
  ['log-groups', 'aws.logs', 'logs.amazonaws.com', 'PutAccountPolicy', { policyName: 'mask-everything', policyType: 'DATA_PROTECTION_POLICY', policyDocument: '{}' }, null],
  ['alarms', 'aws.cloudwatch', 'monitoring.amazonaws.com', 'DeleteAlarms', { alarmNames: [ALARM] }, { alarmNames: ['my-alarm'] }],
  ['alarms', 'aws.cloudwatch', 'monitoring.amazonaws.com', 'DisableAlarmActions', { alarmNames: [ALARM] }, { alarmNames: ['my-alarm'] }],
  ['alarms', 'aws.cloudwatch', 'monitoring.amazonaws.com', 'PutMetricAlarm', { alarmName: ALARM, actionsEnabled: false, alarmActions: [] }, { alarmName: 'my-alarm' }],
  // Set to ALARM by hand, a real event behind it would not notify while it stays there.
  ['alarms', 'aws.cloudwatch', 'monitoring.amazonaws.com', 'SetAlarmState', { alarmName: ALARM, stateValue: 'ALARM', stateReason: 'maintenance' }, { alarmName: 'my-alarm', stateValue: 'ALARM', stateReason: 'x' }],
  ['topic', 'aws.sns', 'sns.amazonaws.com', 'DeleteTopic', { topicArn: TOPIC_ARN }, { topicArn: 'arn:aws:sns:eu-west-1:123456789012:theirs' }],
  ['topic', 'aws.sns', 'sns.amazonaws.com', 'SetTopicAttributes', { topicArn: TOPIC_ARN, attributeName: 'Policy', attributeValue: '{}' }, { topicArn: 'arn:aws:sns:eu-west-1:123456789012:theirs', attributeName: 'Policy' }],
  ['topic', 'aws.sns', 'sns.amazonaws.com', 'Subscribe', { topicArn: TOPIC_ARN, protocol: 'https', endpoint: 'https://evil.example/hook' }, { topicArn: 'arn:aws:sns:eu-west-1:123456789012:theirs', protocol: 'email' }],
  ['topic', 'aws.sns', 'sns.amazonaws.com', 'Unsubscribe', { subscriptionArn: SUBSCRIPTION }, { subscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:theirs:1' }],
  ['topic', 'aws.sns', 'sns.amazonaws.com', 'SetSubscriptionAttributes', { subscriptionArn: SUBSCRIPTION, attributeName: 'FilterPolicy', attributeValue: '{"x":["never"]}' }, { subscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:theirs:1', attributeName: 'FilterPolicy' }],
  ['topic', 'aws.sns', 'sns.amazonaws.com', 'AddPermission', { topicArn: TOPIC_ARN, label: 'x', aWSAccountId: ['999999999999'], actionName: ['Publish'] }, { topicArn: 'arn:aws:sns:eu-west-1:123456789012:theirs', label: 'x' }],
  // A deny statement blocks publishing; a de-identify statement masks what the notification says.
  ['topic', 'aws.sns', 'sns.amazonaws.com', 'PutDataProtectionPolicy', { resourceArn: TOPIC_ARN, dataProtectionPolicy: '{"Name":"quiet","Version":"2021-06-01","Statement":[{"DataDirection":"Inbound","Principal":["*"],"DataIdentifier":["arn:aws:dataprotection::aws:data-identifier/AwsSecretKey"],"Operation":{"Deny":{}}}]}' }, { resourceArn: 'arn:aws:sns:eu-west-1:123456789012:theirs', dataProtectionPolicy: '{}' }],
  ['key', 'aws.kms', 'kms.amazonaws.com', 'DisableKey', { keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }, { keyId: 'other' }, keyResource(KEY_ARN)],
  ['key', 'aws.kms', 'kms.amazonaws.com', 'ScheduleKeyDeletion', { keyId: KEY_ARN, pendingWindowInDays: 7 }, { keyId: 'other' }, keyResource(KEY_ARN)],
  ['key', 'aws.kms', 'kms.amazonaws.com', 'PutKeyPolicy', { keyId: KEY_ARN, policyName: 'default' }, { keyId: 'other', policyName: 'default' }, keyResource(KEY_ARN)],
  ['key', 'aws.kms', 'kms.amazonaws.com', 'CreateGrant', { keyId: KEY_ARN, granteePrincipal: 'arn:aws:iam::999999999999:root', operations: ['Decrypt'] }, { keyId: 'other' }, keyResource(KEY_ARN)],
  ['rules', 'aws.events', 'events.amazonaws.com', 'DisableRule', { name: 'aurora-audit-prod-tamper-log-groups' }, { name: 'my-rule' }],
  ['rules', 'aws.events', 'events.amazonaws.com', 'DeleteRule', { name: 'aurora-audit-prod-guardduty' }, { name: 'my-rule' }],
  ['rules', 'aws.events', 'events.amazonaws.com', 'PutRule', { name: 'aurora-audit-prod-tamper-rules-watch', eventPattern: '{"source":["nothing"]}' }, { name: 'my-rule', eventPattern: '{}' }],
  ['rules', 'aws.events', 'events.amazonaws.com', 'RemoveTargets', { rule: 'aurora-audit-prod-tamper-rules', ids: ['x'] }, { rule: 'my-rule', ids: ['x'] }],
  ['rules', 'aws.events', 'events.amazonaws.com', 'PutTargets', { rule: 'aurora-audit-prod-tamper-expected', targets: [] }, { rule: 'my-rule', targets: [] }],
  ['function', 'aws.lambda', 'lambda.amazonaws.com', 'UpdateFunctionCode20150331v2', { functionName: FUNCTION, publish: false }, { functionName: 'my-function' }],
  ['function', 'aws.lambda', 'lambda.amazonaws.com', 'UpdateFunctionConfiguration20150331v2', { functionName: `arn:aws:lambda:eu-west-1:123456789012:function:${FUNCTION}`, environment: {} }, { functionName: 'my-function' }],
  ['function', 'aws.lambda', 'lambda.amazonaws.com', 'DeleteFunction20150331', { functionName: FUNCTION }, { functionName: 'my-function' }],
  ['streams', 'aws.firehose', 'firehose.amazonaws.com', 'DeleteDeliveryStream', { deliveryStreamName: STREAM }, { deliveryStreamName: 'theirs' }],
  ['streams', 'aws.firehose', 'firehose.amazonaws.com', 'UpdateDestination', { deliveryStreamName: 'aurora-audit-prod-push', currentDeliveryStreamVersionId: '1', destinationId: 'x' }, { deliveryStreamName: 'theirs' }],
  ['archive', 'aws.s3', 's3.amazonaws.com', 'PutBucketPolicy', { bucketName: BUCKET, Host: `${BUCKET}.s3.eu-west-1.amazonaws.com`, bucketPolicy: {} }, { bucketName: 'theirs' }],
  ['archive', 'aws.s3', 's3.amazonaws.com', 'DeleteBucketPolicy', { bucketName: BUCKET }, { bucketName: 'theirs' }],
  ['archive', 'aws.s3', 's3.amazonaws.com', 'PutBucketVersioning', { bucketName: BUCKET, VersioningConfiguration: { Status: 'Suspended' } }, { bucketName: 'theirs' }],
  ['archive', 'aws.s3', 's3.amazonaws.com', 'PutObjectLockConfiguration', { bucketName: BUCKET, ObjectLockConfiguration: {} }, { bucketName: 'theirs' }],
  ['archive', 'aws.s3', 's3.amazonaws.com', 'PutBucketLifecycle', { bucketName: BUCKET, LifecycleConfiguration: {} }, { bucketName: 'theirs' }],
  ['roles', 'aws.iam', 'iam.amazonaws.com', 'UpdateAssumeRolePolicy', { roleName: FUNCTION, policyDocument: '{}' }, { roleName: 'my-role' }],
  ['roles', 'aws.iam', 'iam.amazonaws.com', 'PutRolePolicy', { roleName: 'aurora-audit-prod-chatbot', policyName: 'x', policyDocument: '{}' }, { roleName: 'my-role' }],
  ['roles', 'aws.iam', 'iam.amazonaws.com', 'AttachRolePolicy', { roleName: 'aurora-audit-prod-archive-firehose', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }, { roleName: 'my-role', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
  ['roles', 'aws.iam', 'iam.amazonaws.com', 'DeleteRole', { roleName: 'aurora-audit-prod-siem-collector' }, { roleName: 'my-role' }],
  ['roles', 'aws.iam', 'iam.amazonaws.com', 'CreatePolicyVersion', { policyArn: GUARDRAIL, policyDocument: '{}', setAsDefault: true }, { policyArn: 'arn:aws:iam::123456789012:policy/mine' }],
  ['trails', 'aws.cloudtrail', 'cloudtrail.amazonaws.com', 'StopLogging', { name: 'arn:aws:cloudtrail:eu-west-1:123456789012:trail/management' }, null],
  ['trails', 'aws.cloudtrail', 'cloudtrail.amazonaws.com', 'DeleteTrail', { name: 'management' }, null],
  ['trails', 'aws.cloudtrail', 'cloudtrail.amazonaws.com', 'UpdateTrail', { name: 'management', isMultiRegionTrail: false }, null],
  ['trails', 'aws.cloudtrail', 'cloudtrail.amazonaws.com', 'PutEventSelectors', { trailName: 'management', eventSelectors: [{ readWriteType: 'ReadOnly', includeManagementEvents: true }] }, null],
  ['guardduty', 'aws.guardduty', 'guardduty.amazonaws.com', 'UpdateDetector', { detectorId: '12abc34d567e8fa901bc2d34e56789f0', features: [{ name: 'RDS_LOGIN_EVENTS', status: 'DISABLED' }] }, null],
  ['guardduty', 'aws.guardduty', 'guardduty.amazonaws.com', 'CreateFilter', { detectorId: '12abc34d567e8fa901bc2d34e56789f0', name: 'hide', action: 'ARCHIVE' }, null],
  ['guardduty', 'aws.guardduty', 'guardduty.amazonaws.com', 'CreateIPSet', { detectorId: '12abc34d567e8fa901bc2d34e56789f0', name: 'trusted', activate: true }, null],
  ['guardduty', 'aws.guardduty', 'guardduty.amazonaws.com', 'DeleteDetector', { detectorId: '12abc34d567e8fa901bc2d34e56789f0' }, null],
];

describe('every write on the path', () => {
  const withGroup = (request: Json) => JSON.parse(JSON.stringify(request).replace('<group>', groupName));
  const DEPLOY_SESSION = 'arn:aws:sts::123456789012:assumed-role/aurora-audit-deploy/aurora-audit';

  // Every row as long as the callback's parameter list: jest takes a longer list's last parameter for done().
  test.each(CALLS.map(([rule, source, eventSource, eventName, mine, theirs, keyResources]) => [`${eventName} (${rule})`, rule, source, eventSource, eventName, mine, theirs, keyResources ?? null] as const))('%s: alerts on the stack\'s own, stays silent on someone else\'s, and the deployment\'s is an expected change', (_label, rule, source, eventSource, eventName, mine, theirs, keyResources) => {
    const call = { source, eventSource, eventName, resources: keyResources ?? undefined };
    // The rules are watched by two rules, each of the other.
    const alerting = rule === 'rules' ? ['rules', 'rules-watch'] : [rule];
    expect(matching(cloudTrail({ ...call, requestParameters: withGroup(mine) }))).toEqual(alerting);
    if (theirs) {
      const other = eventSource === 'kms.amazonaws.com' ? { ...call, resources: keyResource('arn:aws:kms:eu-west-1:123456789012:key/theirs') } : call;
      expect(matching(cloudTrail({ ...other, requestParameters: theirs }))).toEqual([]);
    }
    // The pipeline's own session: quiet, and reported.
    expect(matching(cloudTrail({ ...call, requestParameters: withGroup(mine), who: DEPLOY_SESSION }))).toEqual(['expected']);
    // A person who assumes the deploy role by hand, under any other session name: alerted.
    expect(matching(cloudTrail({ ...call, requestParameters: withGroup(mine), who: 'arn:aws:sts::123456789012:assumed-role/aurora-audit-deploy/alice' }))).toEqual(alerting);
  });

  test('reading is not tampering, and neither is tagging nor what restores: nothing matches', () => {
    const quiet = [
      cloudTrail({ source: 'aws.logs', eventSource: 'logs.amazonaws.com', eventName: 'DescribeLogGroups', requestParameters: { logGroupNamePrefix: '/aws/rds/cluster/orders-db/' }, readOnly: true }),
      cloudTrail({ source: 'aws.logs', eventSource: 'logs.amazonaws.com', eventName: 'CreateLogStream', requestParameters: { logGroupName: '/aws/rds/cluster/orders-db/audit', logStreamName: 'orders-db-instance-1' } }),
      // Set back to OK (or to no data) by hand: how a person clears an alarm; its next evaluation sets it again.
      cloudTrail({ source: 'aws.cloudwatch', eventSource: 'monitoring.amazonaws.com', eventName: 'SetAlarmState', requestParameters: { alarmName: ALARM, stateValue: 'OK', stateReason: 'reviewed' } }),
      cloudTrail({ source: 'aws.cloudwatch', eventSource: 'monitoring.amazonaws.com', eventName: 'SetAlarmState', requestParameters: { alarmName: ALARM, stateValue: 'INSUFFICIENT_DATA', stateReason: 'reviewed' } }),
      cloudTrail({ source: 'aws.cloudwatch', eventSource: 'monitoring.amazonaws.com', eventName: 'EnableAlarmActions', requestParameters: { alarmNames: [ALARM] } }),
      cloudTrail({ source: 'aws.sns', eventSource: 'sns.amazonaws.com', eventName: 'TagResource', requestParameters: { resourceArn: TOPIC_ARN, tags: [] } }),
      cloudTrail({ source: 'aws.cloudtrail', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StartLogging', requestParameters: { name: 'management' } }),
      cloudTrail({ source: 'aws.kms', eventSource: 'kms.amazonaws.com', eventName: 'Decrypt', requestParameters: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, resources: keyResource(KEY_ARN), readOnly: true }),
    ];
    for (const event of quiet) expect([event.detail.eventName, matching(event)]).toEqual([event.detail.eventName, []]);
  });

  test('the rules watch one another: disabling any of them is seen by another that is still on', () => {
    for (const [id, rule] of rules) {
      const event = cloudTrail({ source: 'aws.events', eventSource: 'events.amazonaws.com', eventName: 'DisableRule', requestParameters: { name: rule.name } });
      const seenBy = matching(event).filter((r) => r !== id);
      expect([id, seenBy.length > 0]).toEqual([id, true]);
    }
  });

  test('a call recorded with no caller ARN (a service\'s) is not taken for the deployment', () => {
    const event = cloudTrail({ source: 'aws.logs', eventSource: 'logs.amazonaws.com', eventName: 'DeleteLogGroup', requestParameters: { logGroupName: '/aws/rds/cluster/orders-db/audit' } });
    event.detail.userIdentity = { type: 'AWSService', invokedBy: 'rds.amazonaws.com' };
    expect(matching(event)).toEqual(['log-groups']);
  });

  test('the deployment\'s changes reach Slack quietly, with what to do when no deployment ran; every rule\'s message is a valid custom notification', () => {
    const targets = new Map(resources(json, 'aws_cloudwatch_event_target').filter(([id]) => id.startsWith('tamper-alerts_')).map(([id, t]) => [id.replace(/^tamper-alerts_/, '').replace(/-target$/, ''), t]));
    const expected = transform(targets.get('expected'), cloudTrail({ source: 'aws.s3', eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', requestParameters: { bucketName: BUCKET }, who: DEPLOY_SESSION }));
    expect(expected.content.title).toBe(":information_source: Expected change by aurora-audit's deployment (prod)");
    expect(expected.content.description).toContain('*PutBucketPolicy* by aurora-audit\'s deployment of prod');
    expect(expected.content.nextSteps[0]).toContain('If no aurora-audit deployment ran at that time, someone used the deploy role by hand');
    for (const [rule, source, eventSource, eventName, mine, , keyResources] of CALLS) {
      const message = transform(targets.get(rule), cloudTrail({ source, eventSource, eventName, requestParameters: withGroup(mine), resources: keyResources }));
      expect(message).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
      expect(message.content.description).toContain(`*${eventName}* on `);
      expect(message.content.description).toContain('*Who:* arn:aws:sts::123456789012:assumed-role/Admin/mallory');
    }
  });

  test('IAM and CloudTrail calls recorded in us-east-1 are forwarded by the account\'s stack to this region, where the roles and trails rules read them', () => {
    const account = synthAll(modelOf(configWith(everything)), path.join(tempDir(), 'cdktf.out')).get('account-123456789012');
    const [[, forwarder]] = resources(account, 'aws_cloudwatch_event_rule').filter(([id]) => id === 'chatbot-forwarding_account-to-eu-west-1');
    expect(forwarder.provider).toBeUndefined();
    expect(resources(account, 'aws_cloudwatch_event_target').find(([id]) => id === 'chatbot-forwarding_account-to-eu-west-1-target')![1]).toMatchObject({ arn: 'arn:aws:events:eu-west-1:123456789012:event-bus/default' });
    const pattern = JSON.parse(forwarder.event_pattern);
    const iam = cloudTrail({ source: 'aws.iam', eventSource: 'iam.amazonaws.com', eventName: 'PutRolePolicy', requestParameters: { roleName: FUNCTION, policyName: 'x' }, region: 'us-east-1' });
    const stop = cloudTrail({ source: 'aws.cloudtrail', eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'org-trail' }, region: 'us-east-1' });
    expect(matchesPattern(pattern, iam)).toBe(true);
    expect(matchesPattern(pattern, stop)).toBe(true);
    expect(matching(iam)).toEqual(['roles']);
    expect(matching(stop)).toEqual(['trails']);
    // Reads are not forwarded.
    expect(matchesPattern(pattern, cloudTrail({ source: 'aws.iam', eventSource: 'iam.amazonaws.com', eventName: 'GetRole', requestParameters: { roleName: FUNCTION }, region: 'us-east-1', readOnly: true }))).toBe(false);
    const [[, policy]] = resources(account, 'aws_iam_role_policy').filter(([id]) => id === 'chatbot-forwarding_role-policy');
    expect(policyStatements(account, policy.policy)).toEqual([{ sid: 'PutOnTheChannelRegionsDefaultBuses', actions: ['events:PutEvents'], resources: ['arn:aws:events:eu-west-1:123456789012:event-bus/default'] }]);
  });
});

describe('a large stack', () => {
  test('every pattern fits EventBridge\'s 2,048 characters: long lists of names are split over several rules, and every name is still watched once', () => {
    const clusters = Array.from({ length: 60 }, (_, i) => ({ identifier: `inventory-shard-${String(i).padStart(3, '0')}`, engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.05.2', attach: 'adopt' }));
    const big = JSON.parse(synthStack(modelOf(configWith((c) => { everything(c); c.targets[0].clusters = clusters; }))));
    const bigRules = new Map(resources(big, 'aws_cloudwatch_event_rule').filter(([id]) => id.startsWith('tamper-alerts_')).map(([id, r]) => [id.replace(/^tamper-alerts_/, ''), r]));
    for (const [id, rule] of bigRules) expect([id, applied(rule.event_pattern).length <= 2048]).toEqual([id, true]);
    expect([...bigRules.keys()].filter((id) => /^clusters-\d+$/.test(id)).length).toBeGreaterThan(0);
    expect([...bigRules.keys()].filter((id) => /^log-groups-\d+$/.test(id)).length).toBeGreaterThan(0);
    const matchingBig = (event: Json) => [...bigRules].filter(([, r]) => matchesPattern(JSON.parse(applied(r.event_pattern)), event)).map(([id]) => id.replace(/-\d+$/, ''));
    for (const { identifier } of clusters) {
      expect(matchingBig(cloudTrail({ source: 'aws.rds', eventSource: 'rds.amazonaws.com', eventName: 'DeleteDBCluster', requestParameters: { dBClusterIdentifier: identifier } }))).toEqual(['clusters']);
      expect(matchingBig(cloudTrail({ source: 'aws.logs', eventSource: 'logs.amazonaws.com', eventName: 'PutSubscriptionFilter', requestParameters: { logGroupName: `/aws/rds/cluster/${identifier}/audit`, filterName: 'x' } }))).toEqual(['log-groups']);
      expect(matchingBig(cloudTrail({ source: 'aws.rds', eventSource: 'rds.amazonaws.com', eventName: 'CreateBlueGreenDeployment', requestParameters: { blueGreenDeploymentName: 'x', source: `arn:aws:rds:eu-west-1:123456789012:cluster:${identifier}` } }))).toEqual(['upgrade-paths']);
    }
    // What names no cluster is in one of the split rules only: one call, one alert.
    expect([...bigRules.keys()].filter((id) => /^upgrade-paths-\d+$/.test(id)).length).toBeGreaterThan(0);
    expect(matchingBig(cloudTrail({ source: 'aws.rds', eventSource: 'rds.amazonaws.com', eventName: 'SwitchoverBlueGreenDeployment', requestParameters: { blueGreenDeploymentIdentifier: 'bgd-x' } }))).toEqual(['upgrade-paths']);
    expect(matchingBig(cloudTrail({ source: 'aws.rds', eventSource: 'rds.amazonaws.com', eventName: 'ModifyGlobalCluster', requestParameters: { globalClusterIdentifier: 'g', allowMajorVersionUpgrade: true } }))).toEqual(['upgrade-paths']);
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

describe('audit parameters in a DB instance parameter group', () => {
  const mixed = JSON.parse(
    synthStack(modelOf(configWith((c) => c.targets[0].clusters.push({ identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'adopt' })))),
  );
  const [[, rule]] = resources(mixed, 'aws_cloudwatch_event_rule').filter(([id]) => id === 'tamper-alerts_instance-parameters');
  const pattern = JSON.parse(rule.event_pattern);
  const setting = (...names: string[]) =>
    cloudTrail({
      source: 'aws.rds',
      eventSource: 'rds.amazonaws.com',
      eventName: 'ModifyDBParameterGroup',
      requestParameters: { dBParameterGroupName: 'reports-instance-params', parameters: names.map((parameterName) => ({ parameterName, parameterValue: 'none', applyMethod: 'immediate' })) },
    });

  test('watches both engines\' audit parameters, by their beginnings, and each other parameter the stack sets on a cluster', () => {
    expect(pattern.detail.eventName).toEqual(['ModifyDBParameterGroup', 'ModifyDBInstance']);
    expect(pattern.detail.$or[0].requestParameters.parameters.parameterName).toEqual([
      { prefix: { 'equals-ignore-case': 'pgaudit.' } },
      { prefix: { 'equals-ignore-case': 'server_audit_' } },
      { 'equals-ignore-case': 'log_connections' },
      { 'equals-ignore-case': 'log_disconnections' },
      { 'equals-ignore-case': 'shared_preload_libraries' },
    ]);
  });

  test.each([['pgaudit.log'], ['PGAUDIT.LOG'], ['pgaudit.log_statement'], ['shared_preload_libraries'], ['Log_Connections'], ['server_audit_events']])('setting %s alerts', (name) => {
    expect(matchesPattern(pattern, setting('work_mem', name))).toBe(true);
  });

  test.each([['work_mem'], ['log_min_duration_statement'], ['pgaudit'], ['rds.force_ssl']])('setting only %s does not', (name) => {
    expect(matchesPattern(pattern, setting(name))).toBe(false);
  });

  test('a reset of an instance group, which brings the cluster\'s values back, does not', () => {
    const reset = setting('pgaudit.log');
    reset.detail.eventName = 'ResetDBParameterGroup';
    expect(matchesPattern(pattern, reset)).toBe(false);
  });

  test('the message does not show the group\'s name, which is the caller\'s text', () => {
    const [[, target]] = resources(mixed, 'aws_cloudwatch_event_target').filter(([id]) => id === 'tamper-alerts_instance-parameters-target');
    expect(target.input_transformer.input_paths.resource).toBeUndefined();
    const message = transform(target, setting('pgaudit.log'));
    expect(message.content.title).toContain('an audit parameter set in a DB instance parameter group');
    expect(message.content.description).toContain('*ModifyDBParameterGroup* on a DB parameter group or DB instance of the account (the event names it)');
    expect(message.content.description).not.toContain('reports-instance-params');
  });

  test('a stack of one engine watches that engine\'s parameters only', () => {
    const mysqlOnly = rules.get('instance-parameters')!.pattern;
    expect(mysqlOnly.detail.$or[0].requestParameters.parameters.parameterName).toEqual([{ prefix: { 'equals-ignore-case': 'server_audit_' } }]);
  });
});
