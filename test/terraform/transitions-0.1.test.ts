/**
 * Upgrading a deployment made with aurora-audit 0.1: its state, built from the stacks 0.1 synthesized
 * (test/fixtures/legacy-0.1), planned against what this version synthesizes.
 */
import { findUnsafeChanges } from '../../cli/check-plan';
import { actionsOf, planStack, stateAfterApply, type StateResource } from '../support/state';
import { describeWithTerraform } from '../support/terraform';
import { byType, config, deleted, legacyStack, oldRegion, production, retiring, synth } from '../support/transitions';

describeWithTerraform('terraform transitions from 0.1', [
  'upgrading from 0.1 moves every resource and destroys nothing that must be kept',
  'retiring a cluster and a target forgets what must be kept, under 0.1 addresses',
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
});
