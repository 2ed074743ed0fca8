import * as fs from 'node:fs';
import * as path from 'node:path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { parseConfig } from '../../config/load';
import { configWith, modelOf, tempDir, TEMPLATES } from '../support/fixtures';
import { REQUIRED_TERRAFORM_VERSION } from '../../stacks/addressed-stack';
import { policyStatements, resources, synthAll, synthStack } from '../support/synth';

describe('the provider of a stack', () => {
  test('is pinned to the target account and region, tagged, and assumes the role when one is given', () => {
    const json = synthStack(modelOf(configWith((c) => (c.targets[0].roleArn = 'arn:aws:iam::123456789012:role/aurora-audit-deploy'))));
    expect(json).toHaveProviderWithProperties(AwsProvider, {
      region: 'eu-west-1',
      allowed_account_ids: ['123456789012'],
      assume_role: [{ role_arn: 'arn:aws:iam::123456789012:role/aurora-audit-deploy', session_name: 'aurora-audit' }],
      default_tags: [{ tags: { ManagedBy: 'aurora-audit', 'aurora-audit:stack': 'prod' } }],
    });
  });

  test('uses the ambient credentials when no role is given', () => {
    const provider = JSON.parse(synthStack(modelOf(configWith(() => undefined)))).provider.aws[0];
    expect(provider).not.toHaveProperty('assume_role');
  });
});

describe('state', () => {
  test('a local backend keeps one state file per stack outside the synth output', () => {
    const out = tempDir();
    const model = modelOf(configWith((c) => c.targets.push({ ...structuredClone(c.targets[0]), name: 'dr', region: 'eu-central-1' })));
    const stacks = synthAll(model, path.join(out, 'cdktf.out'));
    expect([...stacks].map(([name, json]) => [name, json.terraform.backend.local.path])).toEqual([
      ['prod', '../../../terraform-state/prod.tfstate'],
      ['dr', '../../../terraform-state/dr.tfstate'],
      // What exists once per account has a stack, and a state, of its own.
      ['account-123456789012', '../../../terraform-state/account-123456789012.tfstate'],
    ]);
  });

  test('an S3 backend gets a distinct key per stack, encryption and native locking', () => {
    const model = parseConfig(fs.readFileSync(TEMPLATES.find((t) => t.endsWith('multi-account.yaml'))!, 'utf8'), 'multi-account.yaml');
    const stacks = synthAll(model, tempDir());
    const backends = [...stacks.values()].map((json) => json.terraform.backend.s3);
    expect(backends.map((b) => b.key)).toEqual(['aurora-audit/prod-eu.tfstate', 'aurora-audit/prod-us.tfstate', 'aurora-audit/staging.tfstate', 'aurora-audit/account-111111111111.tfstate', 'aurora-audit/account-222222222222.tfstate']);
    for (const b of backends) expect(b).toMatchObject({ bucket: 'example-org-terraform-state', region: 'eu-west-1', encrypt: true, use_lockfile: true });
  });

  test('DynamoDB locking names the table and drops the lock file', () => {
    const model = modelOf(configWith((c) => (c.backend = { type: 's3', bucket: 'tf-state', region: 'eu-west-1', locking: 'dynamodb', dynamodbTable: 'tf-locks' })));
    const backend = [...synthAll(model, tempDir()).values()][0].terraform.backend.s3;
    expect(backend).toMatchObject({ dynamodb_table: 'tf-locks' });
    expect(backend).not.toHaveProperty('use_lockfile');
  });
});

describe('clusters in a stack', () => {
  const json = JSON.parse(synthStack(modelOf(configWith(() => undefined))));

  test('an adopted cluster is imported; an external one is not touched', () => {
    expect(Object.values(json.resource.aws_rds_cluster).map((c) => (c as { cluster_identifier: string }).cluster_identifier)).toEqual(['orders-db']);
    expect(json.import).toHaveLength(1);
  });

  test('the adopted cluster uses its audit parameter group and exports the configured logs', () => {
    const cluster = Object.values(json.resource.aws_rds_cluster)[0] as Record<string, unknown>;
    const group = Object.entries(json.resource.aws_rds_cluster_parameter_group).find(([, g]) => (g as { name: string }).name.includes('orders-db'))!;
    expect(cluster.db_cluster_parameter_group_name).toBe(`\${aws_rds_cluster_parameter_group.${group[0]}.name}`);
    expect(cluster.enabled_cloudwatch_logs_exports).toEqual(['audit', 'error', 'general', 'slowquery']);
  });

  test('an external cluster hands over its parameter group, log types and the reboot warning as outputs', () => {
    expect(json.output.billing_parameter_group.description).toContain('db_cluster_parameter_group_name');
    expect(json.output.billing_log_exports.value).toEqual(['audit', 'error', 'general', 'slowquery']);
    expect(json.output.billing_reboot_required.value).toContain('pending-reboot');
    expect(json.output.orders_db_reboot_required.value).toContain('Nothing reboots on its own');
  });

  test('a test command for end-to-end delivery is an output', () => {
    expect(json.output.test_alarm_command.value).toMatch(/^aws cloudwatch set-alarm-state --region eu-west-1 --alarm-name 'aurora-audit\/123456789012\/eu-west-1\/orders-db\/drop-statements' --state-value ALARM/);
  });
});

describe('encryption modes', () => {
  test('a given key encrypts the topic and log groups, and no key is created', () => {
    const keyArn = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const json = synthStack(modelOf(configWith((c) => (c.encryption = { mode: 'key', keyArn }))));
    expect(resources(json, 'aws_kms_key')).toEqual([]);
    expect(resources(json, 'aws_sns_topic')[0][1].kms_master_key_id).toBe(keyArn);
    for (const [, g] of resources(json, 'aws_cloudwatch_log_group').filter(([, g]) => g.name.startsWith('/aws/rds/'))) expect(g.kms_key_id).toBe(keyArn);
  });

  test('none leaves the topic unencrypted, which still delivers', () => {
    const json = synthStack(modelOf(configWith((c) => (c.encryption = { mode: 'none' }))));
    expect(resources(json, 'aws_kms_key')).toEqual([]);
    expect(resources(json, 'aws_sns_topic')[0][1]).not.toHaveProperty('kms_master_key_id');
  });
});

// The promises of the brief, checked on everything every template synthesizes.
describe.each(TEMPLATES.map((t) => [path.basename(t), t]))('safe by default: %s', (_name, file) => {
  const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
  const stacks = [...synthAll(model, tempDir()).values()];

  test('it never destroys, replaces or reboots a database', () => {
    for (const json of stacks) {
      expect(resources(json, 'aws_rds_cluster_instance')).toEqual([]);
      expect(resources(json, 'aws_db_instance')).toEqual([]);
      for (const [, cluster] of resources(json, 'aws_rds_cluster')) {
        expect(cluster.lifecycle.prevent_destroy).toBe(true);
        expect(cluster.lifecycle.ignore_changes).toEqual(expect.arrayContaining(['engine_version', 'master_password', 'cluster_identifier', 'snapshot_identifier']));
        expect(cluster).not.toHaveProperty('apply_immediately');
      }
    }
    // What aurora-audit sets applies at once; pending-reboot only where the user had it, or where the parameter is
    // static (shared_preload_libraries, for pgaudit), and then the model says a reboot is needed and why.
    for (const cluster of model.stacks.flatMap((s) => s.clusters)) {
      for (const p of cluster.parameterGroup.parameters.filter((x) => x.applyMethod === 'pending-reboot')) {
        const allowed = cluster.parameterGroup.preserved.includes(p.name) || p.name === 'shared_preload_libraries';
        expect({ cluster: cluster.identifier, parameter: p.name, allowed }).toEqual({ cluster: cluster.identifier, parameter: p.name, allowed: true });
      }
      const changesStatic = cluster.parameterGroup.changes.some((c) => c.name === 'shared_preload_libraries' && c.before !== c.after);
      if (changesStatic || cluster.parameterGroup.mode === 'create') expect(cluster.parameterGroup.rebootReasons.length).toBeGreaterThan(0);
    }
  });

  test("it never drops a parameter the user set in an adopted group", () => {
    for (const json of stacks) {
      for (const [, group] of resources(json, 'aws_rds_cluster_parameter_group')) {
        const users = model.stacks.flatMap((s) => s.clusters).filter((c) => c.parameterGroup.name === group.name);
        expect(users.length).toBeGreaterThan(0);
        for (const cluster of users) {
          for (const name of cluster.parameterGroup.preserved) expect(group.parameter.map((p: { name: string }) => p.name)).toContain(name);
        }
      }
    }
  });

  test('it never leaves an alarm that cannot deliver', () => {
    // Every metric filter has its alarm: in its own stack, or (monitoring-account mode) in the monitoring account's.
    const alarmed = new Set(
      stacks.flatMap((json) =>
        resources(json, 'aws_cloudwatch_metric_alarm').map(([, a]) => {
          const query = a.metric_query?.[0];
          const account = query ? (query.account_id ?? json.provider.aws[0].allowed_account_ids[0]) : json.provider.aws[0].allowed_account_ids[0];
          return `${account}/${json.provider.aws[0].region}/${query ? query.metric.metric_name : a.metric_name}`;
        }),
      ),
    );
    for (const json of stacks) {
      for (const [, filter] of resources(json, 'aws_cloudwatch_log_metric_filter')) {
        expect(alarmed).toContain(`${json.provider.aws[0].allowed_account_ids[0]}/${json.provider.aws[0].region}/${filter.metric_transformation.name}`);
      }
    }
    // Every stack with alarms has the one topic they notify, which CloudWatch may publish to and Chatbot carries.
    for (const json of stacks.filter((j) => resources(j, 'aws_cloudwatch_metric_alarm').length > 0)) {
      const topics = resources(json, 'aws_sns_topic');
      expect(topics).toHaveLength(1);
      const [topicId, topic] = topics[0];
      const topicArn = `\${aws_sns_topic.${topicId}.arn}`;
      for (const [, alarm] of resources(json, 'aws_cloudwatch_metric_alarm')) {
        expect(alarm.alarm_actions).toEqual([topicArn]);
        // A rate, or a silence, also says when it is over; a one-event detection does not.
        expect(alarm.ok_actions).toEqual(alarm.threshold > 1 || alarm.comparison_operator === 'LessThanThreshold' ? [topicArn] : []);
      }
      const [[, topicPolicy]] = resources(json, 'aws_sns_topic_policy');
      expect(policyStatements(json, topicPolicy.policy)).toContainEqual(
        expect.objectContaining({ actions: ['sns:Publish'], principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }] }),
      );
      const keys = resources(json, 'aws_kms_key');
      if (keys.length > 0) {
        expect(topic.kms_master_key_id).toBe(`\${aws_kms_key.${keys[0][0]}.arn}`);
        expect(policyStatements(json, keys[0][1].policy)).toContainEqual(
          expect.objectContaining({ principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }], actions: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        );
      }
      const [[, channel]] = resources(json, 'aws_chatbot_slack_channel_configuration');
      expect(channel.sns_topic_arns).toEqual([topicArn]);
    }
  });

  test('it never grants Chatbot AdministratorAccess', () => {
    for (const json of stacks) {
      for (const [, channel] of resources(json, 'aws_chatbot_slack_channel_configuration')) {
        expect(channel.guardrail_policy_arns.length).toBeGreaterThan(0);
        for (const arn of channel.guardrail_policy_arns) expect(arn).not.toMatch(/AdministratorAccess|PowerUserAccess|IAMFullAccess/);
      }
      expect(resources(json, 'aws_iam_role_policy_attachment')).toEqual([]);
      expect(JSON.stringify(json)).not.toContain('AdministratorAccess');
    }
  });

  test('every EventBridge rule\'s pattern fits EventBridge\'s default 2,048 characters, its references measured as the longest ARN they become', () => {
    for (const json of stacks) {
      for (const [id, rule] of resources(json, 'aws_cloudwatch_event_rule')) {
        const length = String(rule.event_pattern).replace(/\$\{[^}]*\}/g, 'x'.repeat(140)).length;
        expect([id, length <= 2048]).toEqual([id, true]);
      }
    }
  });

  test('every metric filter is one CloudWatch accepts: name, namespace, and at most 5 regex patterns and 100 filters per log group', () => {
    for (const json of stacks) {
      const perGroup = new Map<string, { filters: number; regex: number }>();
      for (const [, filter] of resources(json, 'aws_cloudwatch_log_metric_filter')) {
        const { name, namespace } = filter.metric_transformation;
        expect(name).toMatch(/^[^:*$]{1,255}$/);
        expect(namespace).toMatch(/^[^:*$]{1,255}$/);
        const counts = perGroup.get(filter.log_group_name) ?? { filters: 0, regex: 0 };
        counts.filters += 1;
        counts.regex += filter.pattern.includes('%') ? 1 : 0;
        perGroup.set(filter.log_group_name, counts);
      }
      for (const counts of perGroup.values()) {
        expect(counts.regex).toBeLessThanOrEqual(5);
        expect(counts.filters).toBeLessThanOrEqual(100);
      }
    }
  });

  test('every stack requires the one Terraform minimum the README states', () => {
    for (const json of stacks) expect(json.terraform.required_version).toBe(REQUIRED_TERRAFORM_VERSION);
  });

  test('it never leaves logs that never expire', () => {
    for (const json of stacks) {
      for (const [, group] of resources(json, 'aws_cloudwatch_log_group')) expect(group.retention_in_days).toBeGreaterThan(0);
      // Chatbot creates /aws/chatbot/<name> with no expiry unless it exists first.
      for (const [, channel] of resources(json, 'aws_chatbot_slack_channel_configuration').filter(([, c]) => c.logging_level !== 'NONE')) {
        expect(resources(json, 'aws_cloudwatch_log_group').map(([, g]) => g.name)).toContain(`/aws/chatbot/${channel.configuration_name}`);
      }
      // RDS creates /aws/rds/cluster/<id>/<type> with no expiry unless it exists first.
      for (const [, cluster] of resources(json, 'aws_rds_cluster')) {
        for (const type of cluster.enabled_cloudwatch_logs_exports) {
          expect(resources(json, 'aws_cloudwatch_log_group').map(([, g]) => g.name)).toContain(`/aws/rds/cluster/${cluster.cluster_identifier}/${type}`);
        }
      }
    }
  });
});
