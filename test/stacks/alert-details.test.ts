/**
 * The alert-details path in a synthesized stack: beside Chatbot on the alarm topic (never in front of it), least
 * privilege, a retention on its own logs, a deterministic package, and on or off per target.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildAlertDetailsPackage } from '../../scripts/build-lambda';
import { alertDetailsPackage, ALERT_DETAILS_PACKAGE } from '../../stacks/alert-details-package';
import { alarmEvent } from '../support/alarm-events';
import { matchesPattern } from '../support/event-pattern';
import { configWith, modelOf, ROOT } from '../support/fixtures';
import { policyStatements, resources, synthStack } from '../support/synth';

const withPg = configWith((c) => c.targets[0].clusters.push({ identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'external' }));

describe('the alert-details function of a stack', () => {
  const json = JSON.parse(synthStack(modelOf(withPg)));
  const [[topicId]] = resources(json, 'aws_sns_topic');
  const topicArn = `\${aws_sns_topic.${topicId}.arn}`;
  const [[, fn]] = resources(json, 'aws_lambda_function');

  test('is subscribed to the alarm topic beside Chatbot: every alarm still notifies the topic, and Chatbot reads the topic itself', () => {
    const [[, chatbot]] = resources(json, 'aws_chatbot_slack_channel_configuration');
    expect(chatbot.sns_topic_arns).toEqual([topicArn]);
    for (const [, alarm] of resources(json, 'aws_cloudwatch_metric_alarm')) expect(alarm.alarm_actions).toEqual([topicArn]);
    const [[, subscription]] = resources(json, 'aws_sns_topic_subscription');
    expect(subscription).toMatchObject({ topic_arn: topicArn, protocol: 'lambda', filter_policy_scope: 'MessageBody' });
    const [[, permission]] = resources(json, 'aws_lambda_permission');
    expect(permission).toMatchObject({ principal: 'sns.amazonaws.com', source_arn: topicArn, action: 'lambda:InvokeFunction' });
    // No subscription filter on any log group: both of a group's two slots stay free for the user's SIEM.
    expect(resources(json, 'aws_cloudwatch_log_subscription_filter')).toEqual([]);
  });

  test('its subscription lets through only a detection alarm going to ALARM: never its own detail messages, OK, the silence alarm, or tamper notifications', () => {
    const [[, subscription]] = resources(json, 'aws_sns_topic_subscription');
    const policy = JSON.parse(subscription.filter_policy);
    const body = (event: { readonly Records: ReadonlyArray<{ readonly Sns: { readonly Message: string } }> }) => JSON.parse(event.Records[0].Sns.Message);
    const alarm = (state: 'ALARM' | 'OK') => body(alarmEvent({ accountId: '123456789012', region: 'eu-west-1', cluster: 'orders-db', detection: 'drop-statements', state, stateChange: '2026-11-30T10:00:00.000+0000' }));
    // SNS body filtering reads the JSON payload with the same matching as an event pattern (exact values, nested keys).
    expect(matchesPattern(policy, alarm('ALARM'))).toBe(true);
    expect(matchesPattern(policy, alarm('OK'))).toBe(false);
    const silence = alarm('ALARM');
    silence.Trigger = { ...silence.Trigger, Namespace: 'AWS/Logs', MetricName: 'IncomingLogEvents' };
    expect(matchesPattern(policy, silence)).toBe(false);
    const custom = { version: '1.0', source: 'custom', content: { textType: 'client-markdown', title: 'x', description: 'y' } };
    expect(matchesPattern(policy, custom)).toBe(false);
  });

  test('may read only its stack\'s detection log groups, publish only to its topic, use only its key, and write only its own logs', () => {
    const [[, policy]] = resources(json, 'aws_iam_role_policy');
    const statements = policyStatements(json, policy.policy);
    const arn = (g: string) => `arn:aws:logs:eu-west-1:123456789012:log-group:${g}`;
    const groups = ['/aws/rds/cluster/billing/audit', '/aws/rds/cluster/billing/slowquery', '/aws/rds/cluster/orders-db/audit', '/aws/rds/cluster/orders-db/slowquery', '/aws/rds/cluster/reports/postgresql'];
    expect(statements).toHaveLength(5);
    expect(statements[0]).toEqual({ sid: 'ReadAuditLogs', actions: ['logs:DescribeMetricFilters', 'logs:FilterLogEvents'], resources: groups.flatMap((g) => [arn(g), `${arn(g)}:*`]) });
    // It verifies each alarm it is told about: this account's and region's aurora-audit alarms only.
    expect(statements[1]).toEqual({ sid: 'VerifyAlarms', actions: ['cloudwatch:DescribeAlarms'], resources: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:aurora-audit/123456789012/eu-west-1/*'] });
    expect(statements[2]).toEqual({ sid: 'PublishDetails', actions: ['sns:Publish'], resources: [topicArn] });
    const [[keyId]] = resources(json, 'aws_kms_key');
    expect(statements[3]).toEqual({ sid: 'UseTopicKey', actions: ['kms:GenerateDataKey*', 'kms:Decrypt'], resources: [`\${aws_kms_key.${keyId}.arn}`] });
    expect(statements[4].actions).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(JSON.stringify(statements)).not.toMatch(/"\*"|logs:\*|sns:\*|kms:\*/);
    const [[, role]] = resources(json, 'aws_iam_role');
    expect(role.managed_policy_arns ?? []).toEqual([]);
  });

  test('keeps its own logs for a bounded time, on the Lambda Node.js runtime, with the package Terraform hashes', () => {
    const [[logGroupId, logGroup]] = resources(json, 'aws_cloudwatch_log_group').filter(([, g]) => String(g.name).startsWith('/aws/lambda/'));
    expect(logGroup).toMatchObject({ name: '/aws/lambda/aurora-audit-prod-alert-details', retention_in_days: 30 });
    expect(fn).toMatchObject({ runtime: 'nodejs22.x', handler: 'index.handler', source_code_hash: alertDetailsPackage().sha256 });
    expect(fn.logging_config).toMatchObject({ log_group: `\${aws_cloudwatch_log_group.${logGroupId}.name}` });
    expect(fn.environment.variables).toMatchObject({ REDACT_LITERALS: 'false' });
    const [[, invoke]] = resources(json, 'aws_lambda_function_event_invoke_config');
    expect(invoke).toMatchObject({ maximum_retry_attempts: 1 });
  });

  test('the package is built at build time, the same bytes every time (fflate, fixed time and mode), and the stack names it by its hashes', () => {
    const a = buildAlertDetailsPackage();
    const b = buildAlertDetailsPackage();
    expect(Buffer.from(b.zip)).toEqual(Buffer.from(a.zip));
    // What the build wrote (npm run build, before the tests) is what this source builds, and what the stack hands Terraform.
    const built = alertDetailsPackage();
    expect(Buffer.from(fs.readFileSync(built.zipPath))).toEqual(Buffer.from(a.zip));
    expect(built).toMatchObject({ sha256: a.sha256, assetHash: a.assetHash });
    expect(fn.source_code_hash).toBe(a.sha256);
    expect(fn.filename).toContain(`alert-details_package_`);
    expect(fn.filename).toContain(`/${a.assetHash}/`);
    // An independent reader (Python's zipfile, as Lambda's unzip would) finds one regular file, index.js, holding the code.
    const listing = execFileSync('python3', ['-c', 'import sys,zipfile,json; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; i=z.infolist(); print(json.dumps([[x.filename, x.date_time, oct(x.external_attr >> 16), z.read(x).decode()] for x in i]))', built.zipPath], { encoding: 'utf8' });
    expect(JSON.parse(listing)).toEqual([['index.js', [1980, 1, 1, 0, 0, 0], '0o100644', a.code]]);
    expect(fs.readFileSync(path.join(ROOT, ALERT_DETAILS_PACKAGE.dir, ALERT_DETAILS_PACKAGE.code), 'utf8')).toBe(a.code);
    // Nothing but the Lambda runtime: the only modules it requires are Node's and the runtime's AWS SDK v3.
    const required = [...a.code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(required.filter((r) => !r.startsWith('node:') && !r.startsWith('@aws-sdk/') && !['fs', 'path', 'os', 'crypto', 'zlib', 'util', 'stream'].includes(r))).toEqual([]);
    expect(new Set(required.filter((r) => r.startsWith('@aws-sdk/')))).toEqual(new Set(['@aws-sdk/client-cloudwatch', '@aws-sdk/client-cloudwatch-logs', '@aws-sdk/client-sns', '@aws-sdk/client-sts']));
  });

  test('modules/ does no file I/O and imports no cdktf internals: the construct is handed the package', () => {
    for (const file of fs.readdirSync(path.join(ROOT, 'modules'))) {
      const text = fs.readFileSync(path.join(ROOT, 'modules', file), 'utf8');
      expect({ file, io: /from 'node:(fs|os|worker_threads|zlib)'|require\('esbuild'\)|cdktf\/lib\//.test(text) }).toEqual({ file, io: false });
    }
  });

  test('is off for a target that turns it off, and redacts every literal where asked', () => {
    const off = JSON.parse(synthStack(modelOf(configWith((c) => (c.targets[0].alertDetails = { enabled: false })))));
    expect(resources(off, 'aws_lambda_function')).toEqual([]);
    expect(resources(off, 'aws_sns_topic_subscription')).toEqual([]);
    const redacting = JSON.parse(synthStack(modelOf(configWith((c) => (c.alertDetails = { redactStringLiterals: true })))));
    expect(resources(redacting, 'aws_lambda_function')[0][1].environment.variables.REDACT_LITERALS).toBe('true');
  });
});
