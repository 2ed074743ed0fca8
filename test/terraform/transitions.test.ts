/**
 * Config transitions, planned by the real Terraform against state built from what the earlier config synthesized
 * (test/support/state.ts), never from addresses written by hand: upgrading from aurora-audit 0.1, retiring a
 * cluster or a whole target, adopt → external, dropping the created key, no longer exporting a log type, a major
 * version upgrade that moves clusters to groups of a new family, and a cluster deleted from the config with no retired
 * entry (which check-plan must stop).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { findUnsafeChanges } from '../../cli/check-plan';
import { parseConfig } from '../../config/load';
import type { AuditModel } from '../../config/model';
import { awsWorld } from '../support/aws-world';
import { cliProcess } from '../support/cli';
import { ROOT, tempDir, type Json } from '../support/fixtures';
import { synthAll } from '../support/synth';
import { actionsOf, planStack, stateAfterApply, type PlannedStack, type StateResource } from '../support/state';
import { describeWithTerraform } from '../support/terraform';


const DEPLOYED = path.join(ROOT, 'test', 'fixtures', 'deployed-0.1.yaml');
const LEGACY = path.join(ROOT, 'test', 'fixtures', 'legacy-0.1', 'deployed-0.1');

const legacyStack = (name: string): Json => JSON.parse(fs.readFileSync(path.join(LEGACY, name, 'cdk.tf.json'), 'utf8'));

/** deployed-0.1.yaml, changed. */
function config(change: (c: Json) => void = () => undefined): AuditModel {
  const c = parseYaml(fs.readFileSync(DEPLOYED, 'utf8'));
  change(c);
  return parseConfig(stringify(c), 'aurora-audit.yaml');
}

/** What today's aurora-audit synthesizes for a model, by stack name: a fresh output directory each time. */
function synth(model: AuditModel): Map<string, Json> {
  const outdir = path.join(tempDir(), 'cdktf.out');
  synthAll(model, outdir);
  return new Map([...model.stacks, ...model.retiredStacks, ...model.monitoringStacks].map((s) => [s.name, JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', s.name, 'cdk.tf.json'), 'utf8'))]));
}

/** AWS as the production stack of deployed-0.1.yaml found it. */
const production = awsWorld({
  clusters: {
    'orders-db': { group: 'orders-db-params', exports: ['error', 'slowquery'] },
    'legacy-db': { group: 'default.aurora-mysql8.0', exports: [] },
  },
  groups: {
    'orders-db-params': {
      family: 'aurora-mysql8.0',
      parameters: [
        { name: 'max_connections', value: '2000', apply_method: 'immediate' },
        { name: 'binlog_format', value: 'ROW', apply_method: 'pending-reboot' },
      ],
    },
  },
});
const oldRegion = awsWorld({ region: 'us-east-2', clusters: { 'payments-us': { group: 'default.aurora-mysql8.0' } } });

/** Retires legacy-db, and the whole old-region target, as init writes it. */
const retiring = (c: Json) => {
  c.targets[0].clusters = c.targets[0].clusters.filter((x: Json) => x.identifier !== 'legacy-db');
  c.targets = c.targets.filter((t: Json) => t.name !== 'old-region');
  c.retired = [
    { accountId: '123456789012', region: 'eu-west-1', stack: 'production', identifier: 'legacy-db', attach: 'adopt' },
    { accountId: '123456789012', region: 'us-east-2', stack: 'old-region', identifier: 'payments-us', attach: 'adopt' },
  ];
};

const byType = (planned: PlannedStack, type: string) => [...planned.changes.values()].filter((r) => r.type === type && r.mode === 'managed');
const deleted = (planned: PlannedStack) => Object.entries(actionsOf(planned)).filter(([, a]) => a.includes('delete')).map(([address]) => address);

describeWithTerraform('terraform transitions', [
  'upgrading from 0.1 moves every resource and destroys nothing that must be kept',
  'retiring a cluster and a target forgets what must be kept, under 0.1 and current addresses',
  'adopt → external, dropping the created key, and a log type no longer exported forget, never destroy',
  'a cluster deleted from the config without a retired entry: check-plan stops the plan',
  'moving to monitoring-account mode keeps what holds records and only creates in the monitoring account',
  'turning the archive off forgets its bucket; check-plan stops any plan that would destroy it',
], () => {
  describe('terraform transitions: upgrading from aurora-audit 0.1', () => {
    let legacyProduction: StateResource[];
    let legacyOldRegion: StateResource[];
    beforeAll(async () => {
      legacyProduction = await stateAfterApply(legacyStack('production'), production);
      legacyOldRegion = await stateAfterApply(legacyStack('old-region'), oldRegion);
    });

    test('the 0.1 state is what 0.1 wrote: its hashed KMS key address, and the import defaults on the clusters', () => {
      expect(legacyProduction.map((r) => `${r.type}.${r.name}`)).toContain('aws_kms_key.encryption-key_B3391E8B');
      const orders = legacyProduction.find((r) => r.type === 'aws_rds_cluster' && r.attributes.cluster_identifier === 'orders-db')!;
      expect(orders.attributes).toMatchObject({ skip_final_snapshot: true, delete_automated_backups: true, db_cluster_parameter_group_name: 'orders-db-params' });
    });

    test('every resource moves to its new address; nothing that must be kept is destroyed or replaced', async () => {
      const next = synth(config());
      for (const [name, state] of [
        ['production', legacyProduction],
        ['old-region', legacyOldRegion],
      ] as const) {
        const planned = await planStack(next.get(name), state);
        const moved = [...planned.changes.values()].filter((r) => r.previous_address);
        // Every resource 0.1 had in state is carried to its new address (the alarms are then renamed, see below).
        expect(moved.map((r) => r.previous_address).sort()).toEqual(state.map((r) => `${r.type}.${r.name}`).sort());
        expect(findUnsafeChanges(planned.plan)).toEqual([]);
        // Only alarms are replaced (their names changed to a form that cannot collide); nothing else goes.
        expect(deleted(planned).filter((a) => !a.startsWith('aws_cloudwatch_metric_alarm.'))).toEqual([]);
        for (const cluster of byType(planned, 'aws_rds_cluster')) {
          // What changes on a cluster says only what a destroy would do: a final snapshot, backups kept.
          const changed = Object.keys(cluster.change.after).filter((k) => JSON.stringify(cluster.change.before[k]) !== JSON.stringify(cluster.change.after[k]));
          expect({ cluster: cluster.address, changed: changed.sort() }).toEqual({
            cluster: cluster.address,
            changed: ['delete_automated_backups', 'final_snapshot_identifier', 'skip_final_snapshot'],
          });
          expect(cluster.change.after).toMatchObject({ skip_final_snapshot: false, delete_automated_backups: false });
        }
      }
    });

    test('retiring a cluster and a whole target after the upgrade: the 0.1 addresses are forgotten, the key kept', async () => {
      const next = synth(config(retiring));
      const planned = await planStack(next.get('production'), legacyProduction);
      const forgotten = Object.entries(actionsOf(planned)).filter(([, a]) => a.includes('forget')).map(([address]) => address).sort();
      expect(forgotten).toEqual([
        'aws_cloudwatch_log_group.log_legacy_db_audit',
        'aws_cloudwatch_log_group.log_legacy_db_error',
        'aws_cloudwatch_log_group.log_legacy_db_general',
        'aws_cloudwatch_log_group.log_legacy_db_slowquery',
        'aws_rds_cluster.cluster_legacy_db',
        'aws_rds_cluster_parameter_group.parameter_group_legacy_db',
      ]);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);

      // The retired target keeps its stack (and so its state): it forgets, and destroys only the alarm plumbing.
      const retired = await planStack(next.get('old-region'), legacyOldRegion);
      const actions = actionsOf(retired);
      const kept = Object.entries(actions).filter(([, a]) => a.includes('forget')).map(([address]) => address).sort();
      expect(kept).toEqual([
        'aws_cloudwatch_log_group.log_payments_us_audit',
        'aws_cloudwatch_log_group.log_payments_us_error',
        'aws_cloudwatch_log_group.log_payments_us_general',
        'aws_cloudwatch_log_group.log_payments_us_slowquery',
        'aws_kms_key.encryption-key_B3391E8B',
        'aws_rds_cluster.cluster_payments_us',
        'aws_rds_cluster_parameter_group.parameter_group_payments_us',
      ]);
      expect(findUnsafeChanges(retired.plan)).toEqual([]);
      expect(Object.keys(actions).filter((a) => actions[a].includes('delete')).map((a) => a.split('.')[0]).sort()).toEqual(
        [
          'aws_chatbot_slack_channel_configuration',
          'aws_cloudwatch_log_group', // Chatbot's own log group in us-east-1
          'aws_cloudwatch_log_metric_filter',
          'aws_cloudwatch_log_metric_filter',
          'aws_cloudwatch_log_metric_filter',
          'aws_cloudwatch_log_metric_filter',
          'aws_cloudwatch_log_metric_filter',
          'aws_cloudwatch_metric_alarm',
          'aws_cloudwatch_metric_alarm',
          'aws_cloudwatch_metric_alarm',
          'aws_cloudwatch_metric_alarm',
          'aws_cloudwatch_metric_alarm',
          'aws_iam_role',
          'aws_iam_role_policy',
          'aws_kms_alias',
          'aws_sns_topic',
          'aws_sns_topic_policy',
        ].sort(),
      );
    });
  });

  describe('terraform transitions: from what this version synthesized', () => {
    let before: Map<string, Json>;
    let state: StateResource[];
    beforeAll(async () => {
      before = synth(config());
      state = await stateAfterApply(before.get('production'), production);
    });

    test('the state holds exactly what the stack declares, at its addresses', () => {
      const declared = Object.entries<Json>(before.get('production').resource).flatMap(([type, instances]) => Object.keys(instances).map((name) => `${type}.${name}`));
      expect(state.map((r) => `${r.type}.${r.name}`).sort()).toEqual(declared.sort());
    });

    test('the same config again plans nothing', async () => {
      expect(actionsOf(await planStack(before.get('production'), state))).toEqual({});
    });

    /** The plan of retiring legacy-db, made once: two tests read it. */
    let retirePlan: Promise<PlannedStack> | undefined;
    const retiringPlan = () => (retirePlan ??= planStack(synth(config(retiring)).get('production'), state));

    test('retiring a cluster forgets it, its group and every log group; only its alarms go', async () => {
      const planned = await retiringPlan();
      const actions = actionsOf(planned);
      const forgotten = Object.keys(actions).filter((a) => actions[a].includes('forget')).sort();
      expect(forgotten).toEqual([
        'aws_cloudwatch_log_group.cluster-legacy-db_log-groups_audit',
        'aws_cloudwatch_log_group.cluster-legacy-db_log-groups_error',
        'aws_cloudwatch_log_group.cluster-legacy-db_log-groups_general',
        'aws_cloudwatch_log_group.cluster-legacy-db_log-groups_slowquery',
        'aws_rds_cluster.cluster-legacy-db_adopted',
        'aws_rds_cluster_parameter_group.cluster-legacy-db_parameter-group',
      ]);
      expect(deleted(planned).every((a) => /^aws_cloudwatch_(log_metric_filter|metric_alarm)\.cluster-legacy-db_/.test(a))).toBe(true);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
    });

    test("a whole target retired: its stack keeps the target's name and state, forgets what must be kept, and destroys the rest", async () => {
      const oldRegionState = await stateAfterApply(before.get('old-region'), oldRegion);
      const next = synth(config(retiring)).get('old-region');
      expect(next.terraform.backend.local.path).toBe(before.get('old-region').terraform.backend.local.path);
      const planned = await planStack(next, oldRegionState);
      const actions = actionsOf(planned);
      const forgotten = Object.keys(actions).filter((a) => actions[a].includes('forget')).sort();
      expect(forgotten).toEqual([
        'aws_cloudwatch_log_group.cluster-payments-us_log-groups_audit',
        'aws_cloudwatch_log_group.cluster-payments-us_log-groups_error',
        'aws_cloudwatch_log_group.cluster-payments-us_log-groups_general',
        'aws_cloudwatch_log_group.cluster-payments-us_log-groups_slowquery',
        'aws_kms_key.alarm-key_key',
        'aws_rds_cluster.cluster-payments-us_adopted',
        'aws_rds_cluster_parameter_group.cluster-payments-us_parameter-group',
      ]);
      // Everything else the stack made goes: the alarm plumbing, the channel, its guardrail and the key's alias.
      expect(deleted(planned).length).toBe(Object.keys(actions).length - forgotten.length);
      expect(deleted(planned)).toEqual(expect.arrayContaining(['aws_kms_alias.alarm-key_alias', 'aws_chatbot_slack_channel_configuration.slack_channel', 'aws_iam_policy.slack_guardrail']));
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
    });

    test('moving to monitoring-account mode: the stack keeps its key, groups, log groups and filters; only the alarm plumbing goes; the monitoring stack only creates', async () => {
      const monitored = synth(config((c) => (c.monitoring = { accountId: '999999999999' })));
      const planned = await planStack(monitored.get('production'), state);
      const actions = actionsOf(planned);
      const byAction = (action: string) => Object.keys(actions).filter((a) => actions[a].includes(action)).sort();
      // Creates and deletes only, but for in-place updates: the key's policy (EventBridge no longer publishes to a
      // topic here), the dashboard (the alarm state moves to the monitoring account), and the tamper rules' targets,
      // which now deliver to the monitoring topic through the new delivery role.
      const updated = [
        'aws_cloudwatch_dashboard.dashboard_dashboard',
        'aws_cloudwatch_event_target.tamper-alerts_clusters-target',
        'aws_cloudwatch_event_target.tamper-alerts_key-target',
        'aws_cloudwatch_event_target.tamper-alerts_log-groups-target',
        'aws_cloudwatch_event_target.tamper-alerts_parameter-groups-target',
        'aws_kms_key.alarm-key_key',
      ];
      expect(byAction('update')).toEqual(updated);
      expect(Object.entries(actions).every(([a, act]) => act.length === 1 && (act[0] === 'delete' || act[0] === 'create' || updated.includes(a)))).toBe(true);
      expect(byAction('create')).toEqual([
        'aws_iam_role.event-delivery_role',
        'aws_iam_role.metric-sharing_role',
        'aws_iam_role_policy.event-delivery_role-policy',
        'aws_iam_role_policy.metric-sharing_role-policy',
      ]);
      const gone = byAction('delete');
      expect(gone.every((a) => /^(aws_cloudwatch_metric_alarm\.cluster-|aws_sns_topic|aws_chatbot_|aws_iam_(role|role_policy|policy)\.(slack|alert-details|tamper-alerts)_|aws_cloudwatch_log_group\.(slack|alert-details)_|aws_lambda_|aws_sns_topic_subscription\.alert-details|aws_cloudwatch_event_(rule|target)\.tamper-alerts_)/.test(a))).toBe(true);
      expect(gone).toEqual(expect.arrayContaining(['aws_sns_topic.alarm-topic_topic', 'aws_chatbot_slack_channel_configuration.slack_channel', 'aws_cloudwatch_metric_alarm.cluster-orders-db_detections_drop-statements_alarm']));
      // Nothing that holds or encrypts audit records goes (the tamper rule that watched the log groups may).
      expect(gone.filter((a) => /^aws_(kms|rds)|^aws_cloudwatch_log_metric_filter|^aws_cloudwatch_log_group\.cluster-/.test(a))).toEqual([]);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
      const sharing = planned.changes.get('aws_iam_role.metric-sharing_role').change.after;
      expect([sharing.name, JSON.parse(sharing.assume_role_policy).Statement[0].Principal.AWS]).toEqual(['CloudWatch-CrossAccountSharingRole', 'arn:aws:iam::999999999999:root']);

      const monitoring = await planStack(monitored.get('monitoring-eu-west-1'), []);
      expect(new Set(Object.values(actionsOf(monitoring)).flat())).toEqual(new Set(['create']));
      const alarm = monitoring.changes.get('aws_cloudwatch_metric_alarm.alarms-production_cluster-orders-db_drop-statements').change.after;
      expect(alarm.alarm_name).toBe('aurora-audit/123456789012/eu-west-1/orders-db/drop-statements');
      expect(alarm.metric_query).toEqual([expect.objectContaining({ account_id: '123456789012', return_data: true, metric: [expect.objectContaining({ namespace: 'AuroraAudit', metric_name: 'orders-db/drop-statements', stat: 'Sum' })] })]);
      // Its one action is the monitoring account's own topic, known once it exists.
      const json = monitored.get('monitoring-eu-west-1').resource.aws_cloudwatch_metric_alarm['alarms-production_cluster-orders-db_drop-statements'];
      expect(json.alarm_actions).toEqual(['${aws_sns_topic.alarm-topic_topic.arn}']);
    });

    test('turning alert details off destroys the function and its wiring, and nothing else; turning it on again only creates', async () => {
      const off = synth(config((c) => (c.alertDetails = { enabled: false }))).get('production');
      const planned = await planStack(off, state);
      const actions = actionsOf(planned);
      expect(Object.values(actions).every((a) => a.length === 1 && a[0] === 'delete')).toBe(true);
      expect(Object.keys(actions).sort()).toEqual(
        [
          'aws_cloudwatch_log_group.alert-details_log-group',
          'aws_iam_role.alert-details_role',
          'aws_iam_role_policy.alert-details_policy',
          'aws_lambda_function.alert-details_function',
          'aws_lambda_function_event_invoke_config.alert-details_invoke-config',
          'aws_lambda_permission.alert-details_topic-invokes',
          'aws_sns_topic_subscription.alert-details_subscription',
        ].sort(),
      );
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
      const offState = await stateAfterApply(off, production);
      const back = actionsOf(await planStack(before.get('production'), offState));
      expect(new Set(Object.values(back).flat())).toEqual(new Set(['create']));
    });

    /** The stack with the archive and a push, and the state its apply leaves: made once, read by two tests. */
    const handedOn = () =>
      synth(
        config((c) => {
          c.archive = { enabled: true };
          c.siem = { push: { to: 'http', url: 'https://siem.example.net/ingest', backupBucketArn: 'arn:aws:s3:::siem-failed-records' } };
        }),
      ).get('production');
    let handedOnState: Promise<StateResource[]> | undefined;
    const stateHandedOn = () => (handedOnState ??= stateAfterApply(handedOn(), production));

    test('turning the archive and a SIEM push on only creates; turning them off forgets the bucket and what keeps its records, and destroys only the delivery', async () => {
      const created = await planStack(handedOn(), state);
      expect(new Set(Object.values(actionsOf(created)).flat())).toEqual(new Set(['create']));

      const planned = await planStack(before.get('production'), await stateHandedOn());
      const actions = actionsOf(planned);
      const forgotten = Object.keys(actions).filter((a) => actions[a].includes('forget'));
      expect(forgotten.sort()).toEqual(
        [
          'aws_s3_bucket.archive_bucket',
          'aws_s3_bucket_lifecycle_configuration.archive_lifecycle',
          'aws_s3_bucket_object_lock_configuration.archive_object-lock',
          'aws_s3_bucket_ownership_controls.archive_ownership',
          'aws_s3_bucket_policy.archive_policy',
          'aws_s3_bucket_public_access_block.archive_public-access',
          'aws_s3_bucket_server_side_encryption_configuration.archive_encryption',
          'aws_s3_bucket_versioning.archive_versioning',
        ].sort(),
      );
      // Only the delivery goes: streams, their roles, their alarms and the subscription filters; nothing else changes.
      for (const address of deleted(planned)) {
        expect(address).toMatch(/^(aws_kinesis_firehose_delivery_stream|aws_iam_role|aws_iam_role_policy|aws_cloudwatch_log_subscription_filter|aws_cloudwatch_metric_alarm)\.(archive_delivery|siem-push)_/);
      }
      // Per delivery: two roles, their policies, the stream and its alarm; a filter per audit log group.
      expect(deleted(planned)).toHaveLength(2 * 6 + 2 * 2);
      expect(Object.keys(actions).length).toBe(forgotten.length + deleted(planned).length);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
    });

    test('check-plan stops a plan that would destroy the archive bucket, if anything ever tried', async () => {
      // A hand edit that drops the removed blocks: the plan would now delete the bucket (prevent_destroy went with it).
      const edited = structuredClone(before.get('production'));
      delete edited.removed;
      const planned = await planStack(edited, await stateHandedOn());
      expect(actionsOf(planned)['aws_s3_bucket.archive_bucket']).toEqual(['delete']);
      expect(findUnsafeChanges(planned.plan).map((f) => f.address)).toContain('aws_s3_bucket.archive_bucket');
    });

    test('adopt → external forgets the cluster and the group it keeps; aurora-audit creates a group for the owner', async () => {
      const planned = await planStack(synth(config((c) => (c.targets[0].clusters[0].attach = 'external'))).get('production'), state);
      const actions = actionsOf(planned);
      expect(actions['aws_rds_cluster.cluster-orders-db_adopted']).toEqual(['forget']);
      expect(actions['aws_rds_cluster_parameter_group.parameter-group-orders-db-params']).toEqual(['forget']);
      expect(actions['aws_rds_cluster_parameter_group.cluster-orders-db_parameter-group']).toEqual(['create']);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
    });

    test('dropping the created key forgets it, so what it encrypted stays readable; only its alias goes', async () => {
      const planned = await planStack(synth(config((c) => (c.encryption = { mode: 'none' }))).get('production'), state);
      const actions = actionsOf(planned);
      expect(actions['aws_kms_key.alarm-key_key']).toEqual(['forget']);
      expect(actions['aws_kms_alias.alarm-key_alias']).toEqual(['delete']);
      // With the key goes the rule that watched it.
      expect(deleted(planned)).toEqual(['aws_cloudwatch_event_rule.tamper-alerts_key', 'aws_cloudwatch_event_target.tamper-alerts_key-target', 'aws_kms_alias.alarm-key_alias']);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
    });

    test('a log group that existed before aurora-audit is forgotten when its type is no longer exported', async () => {
      const planned = await planStack(
        synth(config((c) => (c.targets[0].clusters[0].audit = { logTypes: ['audit', 'general', 'slowquery'] }))).get('production'),
        state,
      );
      expect(actionsOf(planned)['aws_cloudwatch_log_group.cluster-orders-db_log-groups_error']).toEqual(['forget']);
      expect(deleted(planned).filter((a) => a.startsWith('aws_cloudwatch_log_group.'))).toEqual([]);
    });

    test('a cluster deleted from the config with no retired entry: the destroy would snapshot, and check-plan stops it', async () => {
      // Synthesized into a fresh directory, as a pipeline on a fresh checkout does: synth has no earlier output to
      // compare with, so only Terraform's plan shows the loss, and check-plan is the guard.
      const planned = await planStack(synth(config((c) => c.targets[0].clusters.splice(0, 1))).get('production'), state);
      const cluster = planned.changes.get('aws_rds_cluster.cluster-orders-db_adopted');
      expect(cluster.change.actions).toEqual(['delete']);
      // Were it applied, RDS would take a final snapshot and keep the automated backups.
      expect(cluster.change.before).toMatchObject({ skip_final_snapshot: false, final_snapshot_identifier: 'orders-db-aurora-audit-final', delete_automated_backups: false });
      expect(findUnsafeChanges(planned.plan).map((f) => f.address).sort()).toEqual([
        'aws_rds_cluster.cluster-orders-db_adopted',
        'aws_rds_cluster_parameter_group.parameter-group-orders-db-params',
      ]);
      // The command a pipeline runs between plan and apply: exit 3, naming each resource.
      const run = cliProcess(['check-plan', path.join(planned.dir, 'plan.json')], planned.dir);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('aws_rds_cluster.cluster-orders-db_adopted: the plan would delete it, and it is the database orders-db');
      expect(run.stderr).toContain('aws_rds_cluster_parameter_group.parameter-group-orders-db-params: the plan would delete it, and it is the parameter group orders-db-params, which aurora-audit did not create');
    });

    describe('a major version upgrade, 8.0 to 8.4, recorded by init', () => {
      /** As init records it after the DBA upgraded both clusters: orders-db onto a custom group of the new family. */
      const upgraded = (recordPrevious: boolean) => (c: Json) => {
        const [orders, legacy] = c.targets[0].clusters;
        Object.assign(orders, { engineVersion: '8.4.mysql_aurora.8.4.7', family: 'aurora-mysql8.4' });
        orders.parameterGroup = { ...orders.parameterGroup, name: 'orders-db-params-84', ...(recordPrevious ? { previous: ['orders-db-params'] } : {}) };
        Object.assign(legacy, { engineVersion: '8.4.mysql_aurora.8.4.7', family: 'aurora-mysql8.4', parameterGroup: { name: 'default.aurora-mysql8.4' } });
      };
      const upgradedWorld = awsWorld({
        clusters: {
          'orders-db': { group: 'orders-db-params-84', engineVersion: '8.4.mysql_aurora.8.4.7', exports: ['error', 'slowquery'] },
          'legacy-db': { group: 'default.aurora-mysql8.4', engineVersion: '8.4.mysql_aurora.8.4.7', exports: [] },
        },
        groups: {
          'orders-db-params-84': {
            family: 'aurora-mysql8.4',
            parameters: [
              { name: 'max_connections', value: '2000', apply_method: 'immediate' },
              { name: 'binlog_format', value: 'ROW', apply_method: 'pending-reboot' },
            ],
          },
        },
      });
      /** The state of the 8.0 deployment, plus the new group as its import finds it (offline, a plan cannot import). */
      const planUpgrade = async (next: Json) => {
        const newGroup = 'aws_rds_cluster_parameter_group.parameter-group-orders-db-params-84';
        const imported = (await stateAfterApply(next, upgradedWorld)).find((r) => `${r.type}.${r.name}` === newGroup)!;
        expect(imported.attributes.family).toBe('aurora-mysql8.4');
        return planStack(next, [...state, imported]);
      };

      test("the user's old group is forgotten, not destroyed; aurora-audit's own group is replaced by one of the new family; the databases change in place", async () => {
        const planned = await planUpgrade(synth(config(upgraded(true))).get('production'));
        const actions = actionsOf(planned);
        expect(actions['aws_rds_cluster_parameter_group.parameter-group-orders-db-params']).toEqual(['forget']);
        const own = planned.changes.get('aws_rds_cluster_parameter_group.cluster-legacy-db_parameter-group');
        expect({ actions: own.change.actions, before: own.change.before.name, after: own.change.after.name, family: own.change.after.family }).toEqual({
          actions: ['create', 'delete'],
          before: 'aurora-audit-legacy-db-aurora-mysql8-0',
          after: 'aurora-audit-legacy-db-aurora-mysql8-4',
          family: 'aurora-mysql8.4',
        });
        for (const c of byType(planned, 'aws_rds_cluster')) expect({ id: c.change.after.cluster_identifier, actions: c.change.actions }).toEqual({ id: c.change.after.cluster_identifier, actions: ['update'] });
        expect(planned.changes.get('aws_rds_cluster.cluster-orders-db_adopted').change.after.db_cluster_parameter_group_name).toBe('orders-db-params-84');
        expect(deleted(planned)).toEqual(['aws_rds_cluster_parameter_group.cluster-legacy-db_parameter-group']);
        expect(findUnsafeChanges(planned.plan)).toEqual([]);
      });

      test('without the old group recorded as previous, the plan would delete it, and check-plan stops it', async () => {
        const planned = await planUpgrade(synth(config(upgraded(false))).get('production'));
        expect(findUnsafeChanges(planned.plan).map((f) => f.address)).toEqual(['aws_rds_cluster_parameter_group.parameter-group-orders-db-params']);
      });
    });

    test('check-plan passes a plan that keeps everything, read from stdin as a pipeline pipes it', async () => {
      const planned = await retiringPlan();
      const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'aurora-audit.js'), 'check-plan', '-'], {
        input: fs.readFileSync(path.join(planned.dir, 'plan.json')),
        encoding: 'utf8',
      });
      expect({ code: run.status, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^check-plan: \d+ resource changes; none deletes or replaces a database/);
    });
  });
});
