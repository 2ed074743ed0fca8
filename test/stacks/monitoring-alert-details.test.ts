/**
 * The detail message in monitoring-account mode, as the stacks synthesize it: one function per region in the
 * monitoring account, and in each source stack a reader role that trusts that function's role alone and may read the
 * stack's detection log groups, nothing else. test/alert-details/monitoring.test.ts runs the function against the fake
 * AWS server; test/terraform validates the stacks.
 */
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { monitoringStackCost } from '../../cli/cost';
import { renderSummary } from '../../cli/summary';
import { ALERT_DETAILS_FUNCTION } from '../../config/aws';
import { MonitoringStack } from '../../stacks/monitoring-stack';
import { alarmEvent } from '../support/alarm-events';
import { matchesPattern } from '../support/event-pattern';
import { modelOf, problemsOf, tempDir, type Json } from '../support/fixtures';
import { evaluate } from '../support/iam-eval';
import { policyStatements, resources, synthAll } from '../support/synth';

const SLACK = { slack: { teamId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } };
const MONITORING = '999999999999';
const FUNCTION_ROLE = `arn:aws:iam::${MONITORING}:role/aurora-audit-monitoring-eu-west-1-alert-details`;
const READER = 'aurora-audit-alert-details-reader-eu-west-1';

function fleet(change: (c: Json) => void = () => undefined): Json {
  const c: Json = {
    version: 1,
    role: 'deploy',
    attach: 'adopt',
    monitoring: { accountId: MONITORING },
    notifications: SLACK,
    accounts: [
      { id: '111111111111', name: 'cards', regions: { 'eu-west-1': { cards: 'aurora-mysql8.0', ledger: 'aurora-postgresql16' }, 'us-east-1': { 'cards-us': 'aurora-postgresql16' } } },
      { id: '222222222222', name: 'web', regions: { 'eu-west-1': { shop: 'aurora-mysql8.4' } } },
      { id: MONITORING, name: 'tools', regions: { 'eu-west-1': { tools: 'aurora-mysql8.4' } } },
    ],
  };
  change(c);
  return c;
}

const byId = (json: Json, type: string, id: string): Json => resources(json, type).find(([name]) => name === id)?.[1];

describe('the detail message in monitoring-account mode', () => {
  const model = modelOf(fleet());
  const out = synthAll(model, path.join(tempDir(), 'cdktf.out'));
  const monitoring = out.get('monitoring-eu-west-1');
  const topicRef = '${aws_sns_topic.alarm-topic_topic.arn}';

  test('one function per region in the monitoring account, subscribed to its topic beside Chatbot; none in a source stack', () => {
    expect(resources(monitoring, 'aws_lambda_function').map(([, f]) => f.function_name)).toEqual(['aurora-audit-monitoring-eu-west-1-alert-details']);
    expect(resources(out.get('monitoring-us-east-1'), 'aws_lambda_function').map(([, f]) => f.function_name)).toEqual(['aurora-audit-monitoring-us-east-1-alert-details']);
    for (const stack of ['cards-eu-west-1', 'web-eu-west-1', 'tools-eu-west-1', 'cards-us-east-1']) expect(resources(out.get(stack), 'aws_lambda_function')).toEqual([]);
    const [[, chatbot]] = resources(monitoring, 'aws_chatbot_slack_channel_configuration');
    expect(chatbot.sns_topic_arns).toEqual([topicRef]);
    const [[, subscription]] = resources(monitoring, 'aws_sns_topic_subscription');
    expect(subscription).toMatchObject({ topic_arn: topicRef, protocol: 'lambda', filter_policy_scope: 'MessageBody' });
  });

  test('its subscription lets a source account\'s detection alarm through, and not OK, its own messages or a tamper notification', () => {
    const [[, subscription]] = resources(monitoring, 'aws_sns_topic_subscription');
    const policy = JSON.parse(subscription.filter_policy);
    const body = (state: 'ALARM' | 'OK') =>
      JSON.parse(alarmEvent({ accountId: '111111111111', region: 'eu-west-1', cluster: 'cards', detection: 'drop-statements', state, stateChange: '2026-11-30T10:00:00.000+0000', monitoring: { accountId: MONITORING, topicArn: 'arn:aws:sns:eu-west-1:999999999999:t' } }).Records[0].Sns.Message);
    expect(matchesPattern(policy, body('ALARM'))).toBe(true);
    expect(matchesPattern(policy, body('OK'))).toBe(false);
    expect(matchesPattern(policy, { version: '1.0', source: 'custom', content: { textType: 'client-markdown', title: 'x', description: 'y' } })).toBe(false);
    expect(matchesPattern(policy, { version: '0', source: 'aws.rds', 'detail-type': 'AWS API Call via CloudTrail', detail: { eventName: 'ModifyDBClusterParameterGroup' } })).toBe(false);
  });

  test('its role may assume the reader role of each source account of its region, read back the region\'s aurora-audit alarms, publish to its topic, use its key, and write its own logs: it reads no log itself', () => {
    const [[, policy]] = resources(monitoring, 'aws_iam_role_policy');
    const statements = policyStatements(monitoring, policy.policy);
    expect(statements).toEqual([
      { sid: 'AssumeReaderRoles', actions: ['sts:AssumeRole'], resources: ['111111111111', '222222222222', MONITORING].map((a) => `arn:aws:iam::${a}:role/${READER}`) },
      { sid: 'VerifyAlarms', actions: ['cloudwatch:DescribeAlarms'], resources: [`arn:aws:cloudwatch:eu-west-1:${MONITORING}:alarm:aurora-audit/*`] },
      { sid: 'PublishDetails', actions: ['sns:Publish'], resources: [topicRef] },
      { sid: 'UseTopicKey', actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: ['${aws_kms_key.alarm-key_key.arn}'] },
      expect.objectContaining({ sid: 'OwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'] }),
    ]);
    expect(JSON.stringify(statements)).not.toMatch(/"\*"|logs:FilterLogEvents|logs:DescribeMetricFilters/);
    const [[, fn]] = resources(monitoring, 'aws_lambda_function');
    expect(fn.environment.variables).toEqual({
      TOPIC_ARN: topicRef,
      ACCOUNT_ID: MONITORING,
      SOURCE_ACCOUNTS: `111111111111,222222222222,${MONITORING}`,
      REDACT_ACCOUNTS: '',
      READER_ROLE: READER,
    });
  });

  test('the monitoring topic lets its role publish the detail message, and no other identity of the account', () => {
    const [[, topicPolicy]] = resources(monitoring, 'aws_sns_topic_policy');
    const statements = policyStatements(monitoring, topicPolicy.policy);
    const publish = (arn: string) =>
      evaluate(statements, { caller: { type: 'AWS', arn, account: arn.split(':')[4], identityAllows: true }, action: 'sns:Publish', resource: topicRef, resourceAccount: MONITORING, context: {} }).decision;
    expect(publish(FUNCTION_ROLE)).toBe('Allow');
    expect(publish(`arn:aws:iam::${MONITORING}:role/Admin`)).toBe('Deny');
    expect(publish(`arn:aws:iam::111111111111:role/${READER}`)).toBe('Deny');
  });

  test('each source stack lends a reader role: trusted by the function\'s role alone, reading the stack\'s detection log groups and nothing else', () => {
    const cards = out.get('cards-eu-west-1');
    const role = byId(cards, 'aws_iam_role', 'alert-details-reader_role');
    expect(role.name).toBe(READER);
    const trust = policyStatements(cards, role.assume_role_policy);
    const assume = (arn: string) =>
      evaluate(trust, { caller: { type: 'AWS', arn, account: arn.split(':')[4], identityAllows: true }, action: 'sts:AssumeRole', resource: `arn:aws:iam::111111111111:role/${READER}`, resourceAccount: '111111111111' }).decision;
    expect(assume(FUNCTION_ROLE)).toBe('Allow');
    // Another role of the monitoring account, whatever its own policy allows; the same name in another account; the
    // other region's function; and the source account's own administrators.
    expect(assume(`arn:aws:iam::${MONITORING}:role/Admin`)).toBe('Deny');
    expect(assume('arn:aws:iam::444444444444:role/aurora-audit-monitoring-eu-west-1-alert-details')).toBe('Deny');
    expect(assume(`arn:aws:iam::${MONITORING}:role/aurora-audit-monitoring-us-east-1-alert-details`)).toBe('Deny');
    expect(assume('arn:aws:iam::111111111111:role/Admin')).toBe('Deny');

    const policy = byId(cards, 'aws_iam_role_policy', 'alert-details-reader_policy');
    const arn = (g: string) => `arn:aws:logs:eu-west-1:111111111111:log-group:${g}`;
    const groups = ['/aws/rds/cluster/cards/audit', '/aws/rds/cluster/cards/slowquery', '/aws/rds/cluster/ledger/postgresql'];
    expect(policyStatements(cards, policy.policy)).toEqual([{ sid: 'ReadAuditLogs', actions: ['logs:DescribeMetricFilters', 'logs:FilterLogEvents'], resources: groups.flatMap((g) => [arn(g), `${arn(g)}:*`]) }]);
    expect(role.managed_policy_arns ?? []).toEqual([]);
  });

  test('the function and its role are watched in the monitoring account, and each reader role in its own account', () => {
    const watched = (json: Json) => JSON.stringify(JSON.parse(byId(json, 'aws_cloudwatch_event_rule', 'tamper-alerts_roles').event_pattern));
    expect(watched(monitoring)).toContain('aurora-audit-monitoring-eu-west-1-alert-details');
    expect(watched(out.get('cards-eu-west-1'))).toContain(READER);
    // A change to the function's code or configuration alerts, as in per-account mode.
    expect(JSON.stringify(JSON.parse(byId(monitoring, 'aws_cloudwatch_event_rule', 'tamper-alerts_function').event_pattern))).toContain(':function:aurora-audit-monitoring-eu-west-1-alert-details');
  });

  test('alert details off for one account: it lends no role and the function may not assume one there; off everywhere: no function', () => {
    const someOff = synthAll(modelOf(fleet((c) => (c.accounts[1].alertDetails = { enabled: false }))), path.join(tempDir(), 'cdktf.out'));
    expect(resources(someOff.get('web-eu-west-1'), 'aws_iam_role').map(([id]) => id)).not.toContain('alert-details-reader_role');
    const m = someOff.get('monitoring-eu-west-1');
    const [[, policy]] = resources(m, 'aws_iam_role_policy');
    expect(JSON.stringify(policyStatements(m, policy.policy))).not.toContain('222222222222');
    expect(resources(m, 'aws_lambda_function')[0][1].environment.variables.SOURCE_ACCOUNTS).toBe(`111111111111,${MONITORING}`);

    const off = synthAll(modelOf(fleet((c) => (c.alertDetails = { enabled: false }))), path.join(tempDir(), 'cdktf.out'));
    for (const [name, json] of off) {
      expect([name, resources(json, 'aws_lambda_function')]).toEqual([name, []]);
      expect([name, resources(json, 'aws_iam_role').map(([id]) => id).filter((id) => id.startsWith('alert-details'))]).toEqual([name, []]);
    }
  });

  test('redaction per account reaches the function; the function\'s log retention is set at the top', () => {
    const m = modelOf(fleet((c) => {
      c.accounts[1].alertDetails = { redactStringLiterals: true };
      c.alertDetails = { logRetentionDays: 90 };
    }));
    const json = JSON.parse(Testing.synth(new MonitoringStack(Testing.app(), 'monitoring-eu-west-1', { monitoring: m.monitoringStacks[0], backend: m.backend, localStatePath: 'x.tfstate' })));
    expect(resources(json, 'aws_lambda_function')[0][1].environment.variables.REDACT_ACCOUNTS).toBe('222222222222');
    expect(byId(json, 'aws_cloudwatch_log_group', 'alert-details_log-group')).toMatchObject({ name: '/aws/lambda/aurora-audit-monitoring-eu-west-1-alert-details', retention_in_days: 90 });
  });

  test.each<[string, (c: Json) => void, string, string]>([
    ['a function log retention for one account', (c) => (c.accounts[0].alertDetails = { logRetentionDays: 90 }), 'accounts[0].alertDetails.logRetentionDays', 'set alertDetails.logRetentionDays at the top level'],
  ])('%s is a problem at its line', (_what, change, where, words) => {
    const problems = problemsOf(fleet(change));
    expect(problems.find((p) => p.startsWith(`${where}: `))).toContain(words);
  });
});

describe('a fleet at the function\'s limits', () => {
  const accounts = (n: number) => Array.from({ length: n }, (_, i) => ({ id: String(100000000000 + i), name: `a${i}`, regions: { 'ap-southeast-2': { [`db${i}`]: 'aurora-mysql8.0' } } }));

  test(`${ALERT_DETAILS_FUNCTION.maxSourceAccounts} source accounts in a region: the environment stays under Lambda's 4 KB and the role policy under IAM's 10,240 characters`, () => {
    const m = modelOf(fleet((c) => (c.accounts = accounts(ALERT_DETAILS_FUNCTION.maxSourceAccounts))));
    const json = JSON.parse(Testing.synth(new MonitoringStack(Testing.app(), 'monitoring-ap-southeast-2', { monitoring: m.monitoringStacks[0], backend: m.backend, localStatePath: 'x.tfstate' })));
    const [[, fn]] = resources(json, 'aws_lambda_function');
    const variables: Record<string, string> = { ...fn.environment.variables, TOPIC_ARN: `arn:aws:sns:ap-southeast-2:${MONITORING}:aurora-audit-monitoring-ap-southeast-2-alarms` };
    // Lambda counts the keys and values.
    expect(Object.entries(variables).reduce((n, [k, v]) => n + k.length + v.length, 0)).toBeLessThan(4 * 1024);
    const [[, policy]] = resources(json, 'aws_iam_role_policy');
    const statements = policyStatements(json, policy.policy);
    expect(statements[0].resources).toHaveLength(ALERT_DETAILS_FUNCTION.maxSourceAccounts);
    // The policy as IAM stores it, references written out at their longest, white space not counted.
    const document = JSON.stringify({
      Version: '2012-10-17',
      Statement: statements.map((s: Json) => ({
        Sid: s.sid,
        Effect: 'Allow',
        Action: s.actions,
        Resource: s.resources.map((r: string) => r.replace(/\$\{[^}]+\}/g, `arn:aws-us-gov:kms:us-gov-west-1:${MONITORING}:key/00000000-0000-0000-0000-000000000000`)),
      })),
    });
    expect(document.replace(/\s/g, '').length).toBeLessThan(10_240);
  });

  test('one more is a problem, with the way out', () => {
    const problems = problemsOf(fleet((c) => (c.accounts = accounts(ALERT_DETAILS_FUNCTION.maxSourceAccounts + 1))));
    expect(problems.find((p) => p.startsWith('monitoring: '))).toContain(`${ALERT_DETAILS_FUNCTION.maxSourceAccounts + 1} source accounts in ap-southeast-2 with the detail message on`);
  });
});

describe('what the summary says of it', () => {
  test('a source stack names the monitoring stack\'s function and its reader role; the monitoring stack counts the function in its cost', () => {
    const model = modelOf(fleet((c) => (c.accounts[1].alertDetails = { enabled: false })));
    const text = renderSummary(model, undefined, '2026-12-07');
    const section = (name: string) => text.slice(text.indexOf(name), text.indexOf('\n\n', text.indexOf(name)));
    expect(section('cards-eu-west-1')).toContain('alert details: the function of monitoring-eu-west-1 follows each detection alarm with who did what, reading these lines through a reader role here that only it may assume');
    expect(section('web-eu-west-1')).toContain('alert details: off (alarms only)');
    expect(monitoringStackCost(model.monitoringStacks[0]).lines.map((l) => l.what)).toContain('alert-details function');
    // The monitoring line counts every alarm it holds, as its cost line does, and says whose lines its function reads.
    const alarms = monitoringStackCost(model.monitoringStacks[0]).lines.find((l) => l.what === 'alarm')!.count;
    expect(text).toContain(`${alarms} alarms of 3 stacks → SNS`);
    expect(text).toMatch(/monitoring stack monitoring-eu-west-1: .*; alert details for 2 source accounts/);
    const off = modelOf(fleet((c) => (c.alertDetails = { enabled: false })));
    expect(monitoringStackCost(off.monitoringStacks[0]).lines.map((l) => l.what)).not.toContain('alert-details function');
  });
});
