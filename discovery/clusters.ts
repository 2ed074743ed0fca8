/**
 * Finds the Aurora clusters of an account's regions and reads their audit posture: parameter group, Advanced
 * Auditing settings, log exports and the retention of their audit log group.
 */
import { CloudWatchLogsClient, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { paginateDescribeDBClusterParameters, paginateDescribeDBClusters, RDSClient, type DBCluster } from '@aws-sdk/client-rds';
import { ENGINES, PLANNED_ENGINES, rdsLogGroupName, type Engine } from '../config/aws';
import { familyOf } from '../config/resolve';
import { mapWithConcurrency } from './pool';
import { classifyAwsError, clientConfig, type AwsProblem, type AwsSession } from './session';

export interface DiscoveredCluster {
  readonly accountId: string;
  readonly region: string;
  readonly identifier: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly parameterGroup: string;
  /** default.* groups cannot be modified; attaching a custom one needs a reboot. */
  readonly parameterGroupIsDefault: boolean;
  /** in-sync, or pending-reboot when a parameter group change waits for the writer to reboot. */
  readonly parameterGroupStatus?: string;
  readonly exports: readonly string[];
  /** server_audit_logging and server_audit_events, when the parameter group could be read. */
  readonly audit?: { readonly logging: boolean; readonly events: readonly string[] };
  /** The /aws/rds/cluster/<id>/audit log group: absent, or its retention (null: never expire). */
  readonly auditLogGroup?: { readonly retentionDays: number | null };
  /** Why aurora-audit cannot take the cluster yet, if it cannot. */
  readonly unsupported?: string;
}

export interface RegionDiscovery {
  readonly accountId: string;
  readonly region: string;
  readonly clusters: readonly DiscoveredCluster[];
  /** Set when the region could not be read (or only in part). */
  readonly problem?: AwsProblem;
}

export interface DiscoveryTarget {
  readonly session: AwsSession;
  readonly accountId: string;
  readonly regions: readonly string[];
}

/** How many account-regions are read at once: enough to hide latency, few enough not to trip API rate limits. */
export const DISCOVERY_CONCURRENCY = 16;

export async function discoverClusters(targets: readonly DiscoveryTarget[], concurrency = DISCOVERY_CONCURRENCY): Promise<RegionDiscovery[]> {
  const work = targets.flatMap((t) => t.regions.map((region) => ({ target: t, region })));
  return mapWithConcurrency(work, concurrency, ({ target, region }) => discoverRegion(target.session, target.accountId, region));
}

export async function discoverRegion(session: AwsSession, accountId: string, region: string): Promise<RegionDiscovery> {
  const rds = new RDSClient(clientConfig(session, region));
  const logs = new CloudWatchLogsClient(clientConfig(session, region));
  try {
    // Clusters and log groups are independent: ask for both at once.
    let problem: AwsProblem | undefined;
    const [raw, logGroups] = await Promise.all([
      (async () => {
        const clusters: DBCluster[] = [];
        for await (const page of paginateDescribeDBClusters({ client: rds }, {})) clusters.push(...(page.DBClusters ?? []));
        return clusters;
      })(),
      readLogGroups(logs).catch((error: unknown) => {
        problem = classifyAwsError(error);
        return new Map<string, number | null>();
      }),
    ]);
    const clusters = await mapWithConcurrency(raw, 4, async (c) => {
      const cluster = describe(c, accountId, region, logGroups);
      if (cluster.unsupported || cluster.parameterGroupIsDefault) return cluster;
      try {
        return { ...cluster, audit: await readAuditParameters(rds, cluster.parameterGroup) };
      } catch (error) {
        problem ??= classifyAwsError(error);
        return cluster;
      }
    });
    return { accountId, region, clusters, problem };
  } catch (error) {
    return { accountId, region, clusters: [], problem: classifyAwsError(error) };
  } finally {
    rds.destroy();
    logs.destroy();
  }
}

function describe(c: DBCluster, accountId: string, region: string, logGroups: ReadonlyMap<string, number | null>): DiscoveredCluster {
  const identifier = c.DBClusterIdentifier ?? '';
  const engine = c.Engine ?? '';
  const engineVersion = c.EngineVersion ?? '';
  const parameterGroup = c.DBClusterParameterGroup ?? '';
  const writer = c.DBClusterMembers?.find((m) => m.IsClusterWriter) ?? c.DBClusterMembers?.[0];
  const auditGroup = rdsLogGroupName(identifier, 'audit');
  return {
    accountId,
    region,
    identifier,
    engine,
    engineVersion,
    parameterGroup,
    parameterGroupIsDefault: parameterGroup.startsWith('default.'),
    parameterGroupStatus: writer?.DBClusterParameterGroupStatus,
    exports: c.EnabledCloudwatchLogsExports ?? [],
    // A default group never has auditing on: server_audit_logging defaults to OFF.
    audit: parameterGroup.startsWith('default.') ? { logging: false, events: [] } : undefined,
    auditLogGroup: logGroups.has(auditGroup) ? { retentionDays: logGroups.get(auditGroup) ?? null } : undefined,
    unsupported: unsupportedReason(engine, engineVersion),
  };
}

export function unsupportedReason(engine: string, engineVersion: string): string | undefined {
  if (engine in ENGINES) {
    return familyOf(engine as Engine, engineVersion) ? undefined : `${engine} ${engineVersion} is not a supported version`;
  }
  if ((PLANNED_ENGINES as readonly string[]).includes(engine)) return `${engine} is not supported yet`;
  return `${engine} is not Aurora MySQL`;
}

async function readAuditParameters(rds: RDSClient, group: string): Promise<{ logging: boolean; events: string[] }> {
  const values = new Map<string, string>();
  const paginator = paginateDescribeDBClusterParameters({ client: rds }, { DBClusterParameterGroupName: group, Source: 'user' });
  for await (const page of paginator) {
    for (const p of page.Parameters ?? []) if (p.ParameterName && p.ParameterValue !== undefined) values.set(p.ParameterName, p.ParameterValue);
  }
  const logging = ['1', 'ON'].includes((values.get('server_audit_logging') ?? '').toUpperCase());
  const events = (values.get('server_audit_events') ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  return { logging, events };
}

async function readLogGroups(logs: CloudWatchLogsClient): Promise<Map<string, number | null>> {
  const groups = new Map<string, number | null>();
  for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: '/aws/rds/cluster/' })) {
    for (const g of page.logGroups ?? []) if (g.logGroupName) groups.set(g.logGroupName, g.retentionInDays ?? null);
  }
  return groups;
}
