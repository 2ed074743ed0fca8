/**
 * What AWS reports of the resources a stack imports, as `terraform import` records them: every argument set, most of
 * them nobody's business but the database owner's, and the provider's import defaults (skip_final_snapshot and
 * delete_automated_backups true: the provider cannot read them back).
 */
import type { Json } from './fixtures';
import type { AwsWorld } from './state';

export interface WorldCluster {
  readonly engine?: string;
  readonly engineVersion?: string;
  /** The group the cluster uses in AWS before aurora-audit changes anything. */
  readonly group: string;
  readonly exports?: readonly string[];
}

export interface WorldGroup {
  readonly family: string;
  readonly parameters: ReadonlyArray<{ name: string; value: string; apply_method: string }>;
}

export function awsWorld(world: { clusters?: Record<string, WorldCluster>; groups?: Record<string, WorldGroup>; region?: string; account?: string }): AwsWorld {
  const region = world.region ?? 'eu-west-1';
  const account = world.account ?? '123456789012';
  return (type: string, id: string): Json | undefined => {
    if (type === 'aws_rds_cluster') {
      const c = world.clusters?.[id];
      if (!c) return undefined;
      const postgres = c.engine === 'aurora-postgresql';
      return {
        id,
        arn: `arn:aws:rds:${region}:${account}:cluster:${id}`,
        cluster_identifier: id,
        cluster_resource_id: `cluster-${id.toUpperCase().replace(/-/g, '')}`,
        engine: c.engine ?? 'aurora-mysql',
        engine_mode: 'provisioned',
        engine_version: c.engineVersion ?? '8.0.mysql_aurora.3.05.2',
        engine_version_actual: c.engineVersion ?? '8.0.mysql_aurora.3.05.2',
        master_username: postgres ? 'postgres' : 'admin',
        database_name: 'app',
        port: postgres ? 5432 : 3306,
        backup_retention_period: 14,
        preferred_backup_window: '02:00-03:00',
        preferred_maintenance_window: 'sun:04:00-sun:05:00',
        deletion_protection: true,
        storage_encrypted: true,
        kms_key_id: `arn:aws:kms:${region}:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
        vpc_security_group_ids: ['sg-0123456789abcdef0'],
        db_subnet_group_name: 'private',
        availability_zones: [`${region}a`, `${region}b`, `${region}c`],
        iam_database_authentication_enabled: false,
        copy_tags_to_snapshot: true,
        tags: { Team: 'orders' },
        tags_all: { Team: 'orders' },
        db_cluster_parameter_group_name: c.group,
        enabled_cloudwatch_logs_exports: [...(c.exports ?? [])],
        master_user_secret: [],
        // The provider's import defaults.
        skip_final_snapshot: true,
        delete_automated_backups: true,
        final_snapshot_identifier: null,
      };
    }
    if (type === 'aws_rds_cluster_parameter_group') {
      const g = world.groups?.[id];
      if (!g) return undefined;
      return {
        id,
        arn: `arn:aws:rds:${region}:${account}:cluster-pg:${id}`,
        name: id,
        name_prefix: '',
        family: g.family,
        description: 'set up by the orders team',
        parameter: g.parameters,
        tags: {},
        tags_all: {},
      };
    }
    if (type === 'aws_cloudwatch_log_group') {
      // RDS made it on first export: no retention, no key.
      return { id, name: id, arn: `arn:aws:logs:${region}:${account}:log-group:${id}`, retention_in_days: 0, kms_key_id: '', skip_destroy: false, log_group_class: 'STANDARD' };
    }
    return undefined;
  };
}
