/**
 * Transitions between modes, planned against state built from what this version synthesized: into monitoring-account
 * mode, alert details off and on, the archive and a SIEM push on and off.
 */
import * as path from 'node:path';
import { findUnsafeChanges } from '../../cli/check-plan';
import { cliProcess } from '../support/cli';
import type { Json } from '../support/fixtures';
import { actionsOf, planStack, stateAfterApply, type StateResource } from '../support/state';
import { describeWithTerraform } from '../support/terraform';
import { config, deleted, deployedState, production, synth } from '../support/transitions';

describeWithTerraform('terraform transitions between modes', [
  'moving to monitoring-account mode keeps what holds records and only creates in the monitoring account',
  'turning alert details off and on again',
  'turning the saved queries off',
  'alert details arriving in monitoring-account mode',
  'turning the archive off forgets its bucket; deleting its section is stopped by check-plan',
], () => {
  describe('terraform transitions between modes', () => {
    let before: Map<string, Json>;
    let state: StateResource[];
    beforeAll(async () => {
      ({ before, state } = await deployedState());
    });

    test('moving to monitoring-account mode: the stack keeps its key, groups, log groups and filters; only the alarm plumbing goes; the monitoring stack only creates', async () => {
      const monitored = synth(config((c) => (c.monitoring = { accountId: '999999999999' })));
      const planned = await planStack(monitored.get('production'), state);
      const actions = actionsOf(planned);
      const byAction = (action: string) => Object.keys(actions).filter((a) => actions[a].includes(action)).sort();
      // Creates and deletes only, but for in-place updates: the key's policy (EventBridge no longer publishes to a
      // topic here), the dashboard (the alarm state moves to the monitoring account), the tamper rules' targets,
      // which now deliver to the monitoring topic through the new delivery role, and the roles rule, which now
      // watches that role instead of the channel's and the function's.
      const updated = [
        'aws_cloudwatch_dashboard.dashboard_dashboard',
        'aws_cloudwatch_event_rule.tamper-alerts_roles',
        'aws_cloudwatch_event_target.tamper-alerts_clusters-target',
        'aws_cloudwatch_event_target.tamper-alerts_instance-parameters-target',
        'aws_cloudwatch_event_target.tamper-alerts_key-target',
        'aws_cloudwatch_event_target.tamper-alerts_log-groups-target',
        'aws_cloudwatch_event_target.tamper-alerts_parameter-groups-target',
        'aws_cloudwatch_event_target.tamper-alerts_roles-target',
        'aws_cloudwatch_event_target.tamper-alerts_rules-target',
        'aws_cloudwatch_event_target.tamper-alerts_rules-watch-target',
        'aws_cloudwatch_event_target.tamper-alerts_trails-target',
        'aws_cloudwatch_event_target.tamper-alerts_upgrade-paths-target',
        'aws_kms_key.alarm-key_key',
      ];
      expect(byAction('update')).toEqual(updated);
      expect(Object.entries(actions).every(([a, act]) => act.length === 1 && (act[0] === 'delete' || act[0] === 'create' || updated.includes(a)))).toBe(true);
      // The delivery role of its tamper rules, and the role it lends the monitoring account's alert-details function.
      expect(byAction('create')).toEqual(['aws_iam_role.alert-details-reader_role', 'aws_iam_role.event-delivery_role', 'aws_iam_role_policy.alert-details-reader_policy', 'aws_iam_role_policy.event-delivery_role-policy']);
      const reader = planned.changes.get('aws_iam_role.alert-details-reader_role').change.after;
      expect(JSON.parse(reader.assume_role_policy).Statement).toEqual([
        expect.objectContaining({
          Principal: { AWS: 'arn:aws:iam::999999999999:root' },
          Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::999999999999:role/aurora-audit-monitoring-eu-west-1-alert-details' } },
        }),
      ]);
      const gone = byAction('delete');
      expect(gone.every((a) => /^(aws_cloudwatch_metric_alarm\.cluster-|aws_sns_topic|aws_chatbot_|aws_iam_(role|role_policy|policy)\.(slack|alert-details|tamper-alerts)_|aws_cloudwatch_log_group\.(slack|alert-details)_|aws_lambda_|aws_sns_topic_subscription\.alert-details|aws_cloudwatch_event_(rule|target)\.tamper-alerts_)/.test(a))).toBe(true);
      expect(gone).toEqual(expect.arrayContaining(['aws_sns_topic.alarm-topic_topic', 'aws_chatbot_slack_channel_configuration.slack_channel', 'aws_cloudwatch_metric_alarm.cluster-orders-db_detections_drop-statements_alarm']));
      // Nothing that holds or encrypts audit records goes (the tamper rule that watched the log groups may).
      expect(gone.filter((a) => /^aws_(kms|rds)|^aws_cloudwatch_log_metric_filter|^aws_cloudwatch_log_group\.cluster-/.test(a))).toEqual([]);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
      // The account's sharing role is its account stack's: created there, trusting the monitoring account.
      const account = await planStack(monitored.get('account-123456789012'), []);
      expect(new Set(Object.values(actionsOf(account)).flat())).toEqual(new Set(['create']));
      const sharing = account.changes.get('aws_iam_role.metric-sharing_role').change.after;
      expect([sharing.name, JSON.parse(sharing.assume_role_policy).Statement[0].Principal.AWS]).toEqual(['CloudWatch-CrossAccountSharingRole', 'arn:aws:iam::999999999999:root']);

      const monitoring = await planStack(monitored.get('monitoring-eu-west-1'), []);
      expect(new Set(Object.values(actionsOf(monitoring)).flat())).toEqual(new Set(['create']));
      // The region's alert-details function, whose role is the one the reader role trusts.
      expect(monitoring.changes.get('aws_iam_role.alert-details_role').change.after.name).toBe('aurora-audit-monitoring-eu-west-1-alert-details');
      expect(monitoring.changes.get('aws_lambda_function.alert-details_function').change.after.function_name).toBe('aurora-audit-monitoring-eu-west-1-alert-details');
      const alarm = monitoring.changes.get('aws_cloudwatch_metric_alarm.alarms-production_cluster-orders-db_drop-statements').change.after;
      expect(alarm.alarm_name).toBe('aurora-audit/123456789012/eu-west-1/orders-db/drop-statements');
      expect(alarm.metric_query).toEqual([expect.objectContaining({ account_id: '123456789012', return_data: true, metric: [expect.objectContaining({ namespace: 'AuroraAudit', metric_name: 'orders-db/drop-statements', stat: 'Sum' })] })]);
      // Its one action is the monitoring account's own topic, known once it exists.
      const json = monitored.get('monitoring-eu-west-1').resource.aws_cloudwatch_metric_alarm['alarms-production_cluster-orders-db_drop-statements'];
      expect(json.alarm_actions).toEqual(['${aws_sns_topic.alarm-topic_topic.arn}']);
    });

    test('in monitoring-account mode, alert details arriving (an upgrade from when the mode had none) only create, and update the topic policy and the roles rules to name the new roles', async () => {
      const monitoringMode = (details: boolean) =>
        synth(
          config((c) => {
            c.monitoring = { accountId: '999999999999' };
            if (!details) c.alertDetails = { enabled: false };
          }),
        );
      const [without, withDetails] = [monitoringMode(false), monitoringMode(true)];
      for (const [stack, updated] of [
        ['production', ['aws_cloudwatch_event_rule.tamper-alerts_roles']],
        ['monitoring-eu-west-1', ['aws_cloudwatch_event_rule.tamper-alerts_roles', 'aws_sns_topic_policy.alarm-topic_topic-policy']],
      ] as const) {
        const applied = await stateAfterApply(without.get(stack), stack === 'production' ? production : undefined);
        const planned = await planStack(withDetails.get(stack), applied);
        const actions = actionsOf(planned);
        expect([stack, new Set(Object.values(actions).flat())]).toEqual([stack, new Set(['create', 'update'])]);
        expect([stack, Object.keys(actions).filter((a) => actions[a].includes('update')).sort()]).toEqual([stack, [...updated]]);
        expect(findUnsafeChanges(planned.plan)).toEqual([]);
      }
    });

    test('turning the saved queries off deletes only the query definitions, which check-plan lets pass', async () => {
      const planned = await planStack(synth(config((c) => (c.savedQueries = { enabled: false }))).get('production'), state);
      const actions = actionsOf(planned);
      expect(deleted(planned).length).toBeGreaterThan(0);
      for (const address of deleted(planned)) expect(address).toMatch(/^aws_cloudwatch_query_definition\./);
      // GuardDuty's message changes its words where findings are routed: an in-place update of its rule's target.
      for (const [address, list] of Object.entries(actions)) if (!list.includes('delete')) expect({ address, list }).toEqual({ address, list: ['update'] });
      expect(Object.keys(actions).filter((a) => !actions[a].includes('delete')).every((a) => /^aws_cloudwatch_event_target\.guardduty/.test(a))).toBe(true);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
    });

    test('turning alert details off destroys the function, its wiring and its tamper rule; the topic policy and the roles rule stop naming its role; turning it on again only creates', async () => {
      const off = synth(config((c) => (c.alertDetails = { enabled: false }))).get('production');
      const planned = await planStack(off, state);
      const actions = actionsOf(planned);
      const byAction = (action: string) => Object.keys(actions).filter((a) => actions[a].includes(action)).sort();
      expect(Object.values(actions).every((a) => a.length === 1 && (a[0] === 'delete' || a[0] === 'update'))).toBe(true);
      expect(byAction('delete')).toEqual(
        [
          'aws_cloudwatch_event_rule.tamper-alerts_function',
          'aws_cloudwatch_event_target.tamper-alerts_function-target',
          'aws_cloudwatch_log_group.alert-details_log-group',
          'aws_iam_role.alert-details_role',
          'aws_iam_role_policy.alert-details_policy',
          'aws_lambda_function.alert-details_function',
          'aws_lambda_function_event_invoke_config.alert-details_invoke-config',
          'aws_lambda_permission.alert-details_topic-invokes',
          'aws_sns_topic_subscription.alert-details_subscription',
        ].sort(),
      );
      expect(byAction('update')).toEqual(['aws_cloudwatch_event_rule.tamper-alerts_roles', 'aws_sns_topic_policy.alarm-topic_topic-policy']);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
      const offState = await stateAfterApply(off, production);
      const back = actionsOf(await planStack(before.get('production'), offState));
      expect(new Set(Object.values(back).flat())).toEqual(new Set(['create', 'update']));
      expect(Object.keys(back).filter((a) => back[a].includes('update')).sort()).toEqual(['aws_cloudwatch_event_rule.tamper-alerts_roles', 'aws_sns_topic_policy.alarm-topic_topic-policy']);
    });

    /** The stack with the archive and a push, and the state its apply leaves: made once, read by two tests. */
    const handedOn = (change: (c: Json) => void = () => undefined) =>
      synth(
        config((c) => {
          c.archive = { enabled: true };
          c.siem = { push: { to: 'http', url: 'https://siem.example.net/ingest', backupBucketArn: 'arn:aws:s3:::siem-failed-records' } };
          change(c);
        }),
      ).get('production');
    let handedOnState: Promise<StateResource[]> | undefined;
    const stateHandedOn = () => (handedOnState ??= stateAfterApply(handedOn(), production));

    test('turning the archive and a SIEM push on only creates; turning them off forgets the bucket and what keeps its records, and destroys only the delivery', async () => {
      const created = await planStack(handedOn(), state);
      const createdActions = actionsOf(created);
      expect(new Set(Object.values(createdActions).flat())).toEqual(new Set(['create', 'update']));
      // The two updates: the roles rule now watches the delivery roles too, and the topic lets the new streams' and
      // archive's tamper rules publish.
      expect(Object.keys(createdActions).filter((a) => createdActions[a].includes('update')).sort()).toEqual(['aws_cloudwatch_event_rule.tamper-alerts_roles', 'aws_sns_topic_policy.alarm-topic_topic-policy']);

      const turnedOff = synth(config((c) => (c.archive = { enabled: false }))).get('production');
      const planned = await planStack(turnedOff, await stateHandedOn());
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
      // Only the delivery goes: streams, their roles, their alarms and the subscription filters, and the tamper rules
      // that watched the streams and the bucket; the roles rule stops naming the delivery roles; nothing else changes.
      for (const address of deleted(planned)) {
        expect(address).toMatch(/^((aws_kinesis_firehose_delivery_stream|aws_iam_role|aws_iam_role_policy|aws_cloudwatch_log_subscription_filter|aws_cloudwatch_metric_alarm)\.(archive_delivery|siem-push)_|aws_cloudwatch_event_(rule|target)\.tamper-alerts_(streams|archive)(-target)?$)/);
      }
      // Per delivery: two roles, their policies, the stream and its alarm; a filter per audit log group; two rules and their targets.
      expect(deleted(planned)).toHaveLength(2 * 6 + 2 * 2 + 4);
      const updates = Object.keys(actions).filter((a) => actions[a].includes('update')).sort();
      expect(updates).toEqual(['aws_cloudwatch_event_rule.tamper-alerts_roles', 'aws_sns_topic_policy.alarm-topic_topic-policy']);
      expect(Object.keys(actions).length).toBe(forgotten.length + deleted(planned).length + updates.length);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
    });

    test('deleting the archive section instead plans deleting the bucket and what protects it: check-plan stops it and names the fix', async () => {
      // The config before the archive, which never named one: no removed blocks, and prevent_destroy went with the bucket.
      const planned = await planStack(before.get('production'), await stateHandedOn());
      expect(actionsOf(planned)['aws_s3_bucket.archive_bucket']).toEqual(['delete']);
      expect(findUnsafeChanges(planned.plan).map((f) => f.address).sort()).toEqual(
        [
          'aws_s3_bucket.archive_bucket',
          'aws_s3_bucket_object_lock_configuration.archive_object-lock',
          'aws_s3_bucket_policy.archive_policy',
          'aws_s3_bucket_public_access_block.archive_public-access',
          'aws_s3_bucket_server_side_encryption_configuration.archive_encryption',
          'aws_s3_bucket_versioning.archive_versioning',
        ].sort(),
      );
      const run = cliProcess(['check-plan', path.join(planned.dir, 'plan.json')], planned.dir);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('If the archive left the config, set archive.enabled: false instead, which forgets its bucket and leaves it standing');
    });

    test("weakening the archive by config and by hand (a shorter lock, the key disabled, versioning suspended, the bucket's policy gone, an expiry): check-plan stops each", async () => {
      const edited = handedOn((c) => (c.archive.objectLock = { years: 1 }));
      const r = edited.resource;
      r.aws_kms_key['alarm-key_key'].is_enabled = false;
      r.aws_s3_bucket_versioning['archive_versioning'].versioning_configuration.status = 'Suspended';
      delete r.aws_s3_bucket_policy;
      for (const filter of Object.values<Json>(r.aws_cloudwatch_log_subscription_filter)) filter.depends_on = filter.depends_on.filter((d: string) => !d.startsWith('aws_s3_bucket_policy.'));
      r.aws_s3_bucket_lifecycle_configuration['archive_lifecycle'].rule[0].expiration = { days: 30 };
      const planned = await planStack(edited, await stateHandedOn());
      const findings = findUnsafeChanges(planned.plan).map((f) => `${f.address}: ${f.reason}`);
      expect(findings).toEqual(
        expect.arrayContaining([
          'aws_s3_bucket_object_lock_configuration.archive_object-lock: the default Object Lock retention is shortened from 2555 to 365 days',
          'aws_kms_key.alarm-key_key: the key is disabled: what it encrypted (audit log groups, the archive) cannot be read while it is',
          expect.stringMatching(/^aws_s3_bucket_versioning\.archive_versioning: versioning is suspended on /),
          expect.stringMatching(/^aws_s3_bucket_policy\.archive_policy: it is the policy of .*, which keeps audit records under Object Lock/),
          expect.stringMatching(/^aws_s3_bucket_lifecycle_configuration\.archive_lifecycle: a lifecycle rule .*expires objects after 30 days, before the Object Lock retention of 365 days ends$/),
        ]),
      );
      expect(findings).toHaveLength(5);
      const run = cliProcess(['check-plan', path.join(planned.dir, 'plan.json')], planned.dir);
      expect(run.code).toBe(3);
    });
  });
});
