/**
 * A major version upgrade recorded by init, planned against state built from what this version synthesized.
 */
import { findUnsafeChanges } from '../../cli/check-plan';
import { awsWorld } from '../support/aws-world';
import type { Json } from '../support/fixtures';
import { actionsOf, planStack, stateAfterApply, type StateResource } from '../support/state';
import { describeWithTerraform } from '../support/terraform';
import { byType, config, deleted, deployedState, synth } from '../support/transitions';

describeWithTerraform('terraform transitions: a major version upgrade', [
  "a major upgrade replaces only aurora-audit's own groups and forgets the user's old one",
], () => {
  describe('terraform transitions: a major version upgrade', () => {
    let state: StateResource[];
    beforeAll(async () => {
      ({ state } = await deployedState());
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
  });
});
