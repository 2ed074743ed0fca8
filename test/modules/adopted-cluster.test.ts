import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { Testing } from 'cdktf';
import { AdoptedCluster, RDS_CLUSTER_DELETION_ARGUMENTS, RDS_CLUSTER_IGNORED_ARGUMENTS, RDS_CLUSTER_MANAGED_ARGUMENTS } from '../../modules/adopted-cluster';
import { resources } from '../support/synth';

function synthAdopted() {
  return Testing.synthScope((scope) => {
    const group = new CloudwatchLogGroup(scope, 'audit-log', { name: '/aws/rds/cluster/orders-db/audit', retentionInDays: 365 });
    new AdoptedCluster(scope, 'orders', {
      clusterIdentifier: 'orders-db',
      engine: 'aurora-mysql',
      parameterGroupName: 'aurora-audit-orders-db-aurora-mysql8-0',
      logTypes: ['audit', 'error'],
      logGroups: [group],
    });
  });
}

describe('AdoptedCluster', () => {
  const json = synthAdopted();
  const [[address, cluster]] = resources(json, 'aws_rds_cluster');

  test('is imported, not created', () => {
    expect(JSON.parse(json).import).toEqual([{ id: 'orders-db', to: `aws_rds_cluster.${address}` }]);
  });

  test('adopted clusters can never be destroyed', () => {
    expect(cluster.lifecycle.prevent_destroy).toBe(true);
  });

  test('no argument but the parameter group and log exports can ever change', () => {
    expect(cluster.lifecycle.ignore_changes).toEqual([...RDS_CLUSTER_IGNORED_ARGUMENTS]);
    for (const managed of RDS_CLUSTER_MANAGED_ARGUMENTS) expect(cluster.lifecycle.ignore_changes).not.toContain(managed);
    expect(json).toHaveResourceWithProperties(RdsCluster, {
      cluster_identifier: 'orders-db',
      db_cluster_parameter_group_name: 'aurora-audit-orders-db-aurora-mysql8-0',
      enabled_cloudwatch_logs_exports: ['audit', 'error'],
    });
  });

  test('sets nothing that could reboot or pull pending changes forward', () => {
    expect(cluster).not.toHaveProperty('apply_immediately');
    expect(cluster).not.toHaveProperty('allow_major_version_upgrade');
    expect(Object.keys(cluster).sort()).toEqual(
      ['cluster_identifier', 'db_cluster_parameter_group_name', 'depends_on', 'enabled_cloudwatch_logs_exports', 'engine', 'lifecycle', ...RDS_CLUSTER_DELETION_ARGUMENTS].sort(),
    );
  });

  test('were it ever destroyed, a final snapshot is taken and the automated backups are kept', () => {
    // Import records skip_final_snapshot = true and delete_automated_backups = true; set here, and never ignored.
    expect(cluster).toMatchObject({ skip_final_snapshot: false, final_snapshot_identifier: 'orders-db-aurora-audit-final', delete_automated_backups: false });
    for (const argument of RDS_CLUSTER_DELETION_ARGUMENTS) expect(cluster.lifecycle.ignore_changes).not.toContain(argument);
  });

  test('depends on its log groups, so they exist before RDS exports and outlive the cluster on destroy', () => {
    const [[groupAddress]] = resources(json, 'aws_cloudwatch_log_group');
    expect(cluster.depends_on).toEqual([`aws_cloudwatch_log_group.${groupAddress}`]);
  });
});
