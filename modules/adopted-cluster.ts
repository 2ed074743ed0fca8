import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { LogType } from '../config/aws';

/**
 * Every argument of aws_rds_cluster in hashicorp/aws 5.100.0 except the two aurora-audit manages. Terraform has no
 * "ignore all but", so the list is explicit; test/terraform checks it against the provider's own schema, so a
 * provider upgrade that adds an argument fails the suite instead of letting a plan touch the database.
 */
export const RDS_CLUSTER_IGNORED_ARGUMENTS = [
  'allocated_storage',
  'allow_major_version_upgrade',
  'apply_immediately',
  'availability_zones',
  'backtrack_window',
  'backup_retention_period',
  'ca_certificate_identifier',
  'cluster_identifier',
  'cluster_identifier_prefix',
  'cluster_members',
  'cluster_scalability_type',
  'copy_tags_to_snapshot',
  'database_insights_mode',
  'database_name',
  'db_cluster_instance_class',
  'db_instance_parameter_group_name',
  'db_subnet_group_name',
  'db_system_id',
  'deletion_protection',
  'domain',
  'domain_iam_role_name',
  'enable_global_write_forwarding',
  'enable_http_endpoint',
  'enable_local_write_forwarding',
  'engine',
  'engine_lifecycle_support',
  'engine_mode',
  'engine_version',
  'global_cluster_identifier',
  'iam_database_authentication_enabled',
  'iam_roles',
  'iops',
  'kms_key_id',
  'manage_master_user_password',
  'master_password',
  'master_password_wo',
  'master_password_wo_version',
  'master_user_secret_kms_key_id',
  'master_username',
  'monitoring_interval',
  'monitoring_role_arn',
  'network_type',
  'performance_insights_enabled',
  'performance_insights_kms_key_id',
  'performance_insights_retention_period',
  'port',
  'preferred_backup_window',
  'preferred_maintenance_window',
  'replication_source_identifier',
  'restore_to_point_in_time',
  's3_import',
  'scaling_configuration',
  'serverlessv2_scaling_configuration',
  'snapshot_identifier',
  'source_region',
  'storage_encrypted',
  'storage_type',
  'tags',
  'tags_all',
  'vpc_security_group_ids',
] as const;

/** The only arguments an adopted cluster's plan may change on the database. */
export const RDS_CLUSTER_MANAGED_ARGUMENTS = ['db_cluster_parameter_group_name', 'enabled_cloudwatch_logs_exports'] as const;

/**
 * Arguments that only say what a destroy would do (they are DeleteDBCluster's parameters; nothing about the running
 * database depends on them). Importing a cluster records
 * skip_final_snapshot = true and delete_automated_backups = true (the provider cannot read them back), so they are set
 * here, and never ignored: should anything ever destroy the cluster, a final snapshot is taken and backups are kept.
 */
export const RDS_CLUSTER_DELETION_ARGUMENTS = ['delete_automated_backups', 'final_snapshot_identifier', 'skip_final_snapshot'] as const;

/** The snapshot a destroy would take: named so nobody mistakes it for one of their own. */
export function finalSnapshotIdentifier(clusterIdentifier: string): string {
  return `${clusterIdentifier}-aurora-audit-final`;
}

export interface AdoptedClusterProps {
  readonly clusterIdentifier: string;
  readonly engine: string;
  readonly parameterGroupName: string;
  readonly logTypes: readonly LogType[];
  /** The log groups, which must exist before the cluster exports to them. */
  readonly logGroups: readonly ITerraformDependable[];
}

/**
 * An existing cluster that no other Terraform manages, imported so that the stack can set its cluster parameter
 * group and log exports, and nothing else. It can never be destroyed or replaced from here; and were it ever
 * destroyed some other way (its block taken out of the config by hand), the destroy would take a final snapshot
 * and keep the automated backups.
 *
 * Attaching a new cluster parameter group leaves the writer in pending-reboot until someone reboots it; nothing
 * here reboots (apply_immediately stays unset, so no other pending modification is pulled forward either).
 */
export class AdoptedCluster extends Construct {
  readonly cluster: RdsCluster;

  constructor(scope: Construct, id: string, props: AdoptedClusterProps) {
    super(scope, id);
    const cluster = new RdsCluster(this, 'default', {
      clusterIdentifier: props.clusterIdentifier,
      engine: props.engine,
      dbClusterParameterGroupName: props.parameterGroupName,
      enabledCloudwatchLogsExports: [...props.logTypes],
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: finalSnapshotIdentifier(props.clusterIdentifier),
      deleteAutomatedBackups: false,
      // Destroy order: the cluster goes before its log groups, so RDS cannot re-create them mid-destroy.
      dependsOn: [...props.logGroups],
      lifecycle: {
        preventDestroy: true,
        ignoreChanges: [...RDS_CLUSTER_IGNORED_ARGUMENTS],
      },
    });
    cluster.importFrom(props.clusterIdentifier);
    this.cluster = cluster;
  }
}
