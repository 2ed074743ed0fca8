/**
 * Finds the Aurora clusters of an account's regions and reads their audit posture: parameter group, Advanced
 * Auditing settings, log exports and the retention of their audit log group.
 */
import { CloudWatchLogsClient, DescribeSubscriptionFiltersCommand, paginateDescribeLogGroups } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeDBEngineVersionsCommand, paginateDescribeDBClusterParameters, paginateDescribeDBClusters, RDSClient, type DBCluster } from '@aws-sdk/client-rds';
import { ENGINES, LOG_TYPES, PLANNED_ENGINES, rdsLogGroupName, type Engine, type LogType } from '../config/aws';
import { FAMILY, resolveEngineVersion } from '../config/engine-versions';
import { mapWithConcurrency } from './pool';
import { readWatchers, type Watchers } from './watchers';
import { classifyAwsError, clientConfig, type AwsProblem, type AwsSession } from './session';

export interface DiscoveredCluster {
  readonly accountId: string;
  readonly region: string;
  readonly identifier: string;
  readonly engine: string;
  readonly engineVersion: string;
  /**
   * The cluster parameter group family AWS gives the engine version (DescribeDBEngineVersions), or the one its default
   * group is named for; undefined when neither could be read.
   */
  readonly family?: string;
  readonly parameterGroup: string;
  /** default.* groups cannot be modified; attaching a custom one needs a reboot. */
  readonly parameterGroupIsDefault: boolean;
  /** Other clusters of the same account and region that use the same parameter group. */
  readonly parameterGroupUsedBy: readonly string[];
  /** in-sync, or pending-reboot when a parameter group change waits for the writer to reboot. */
  readonly parameterGroupStatus?: string;
  readonly exports: readonly string[];
  /**
   * Whether auditing is on, when the parameter group could be read: server_audit_logging and server_audit_events on
   * Aurora MySQL; pgaudit in shared_preload_libraries and pgaudit.log on Aurora PostgreSQL.
   */
  readonly audit?: { readonly logging: boolean; readonly events: readonly string[] };
  /**
   * For a custom group, every parameter set in it (Source=user), so that adopting the group keeps them all. For an
   * Aurora PostgreSQL default group, its shared_preload_libraries, which pgaudit is added to.
   */
  readonly parameters?: Readonly<Record<string, { readonly value: string; readonly applyMethod: 'immediate' | 'pending-reboot' }>>;
  /** Log types whose /aws/rds/cluster/<id>/<type> log group exists already. */
  readonly existingLogGroups: readonly LogType[];
  /** Whether the log groups could be read: when not, an empty existingLogGroups means nothing. */
  readonly logGroupsRead: boolean;
  /**
   * The log group of its audit records (…/audit, or …/postgresql): absent, or its retention (null: never expire) and
   * the names of its subscription filters (undefined: they could not be read). CloudWatch Logs allows two per group.
   */
  readonly auditLogGroup?: { readonly retentionDays: number | null; readonly subscriptionFilters?: readonly string[] };
  /** The cluster's tags (DescribeDBClusters TagList), for selection by tag. */
  readonly tags: Readonly<Record<string, string>>;
  /** Why aurora-audit cannot take the cluster yet, if it cannot. */
  readonly unsupported?: string;
  /** The same in a few words, for a list of clusters. */
  readonly unsupportedBrief?: string;
}

export interface RegionDiscovery {
  readonly accountId: string;
  readonly region: string;
  readonly clusters: readonly DiscoveredCluster[];
  /** Set when the region could not be read (or only in part). */
  readonly problem?: AwsProblem;
  /** CloudTrail and GuardDuty there, as far as they could be read. */
  readonly watchers?: Watchers;
}

export interface DiscoveryTarget {
  readonly session: AwsSession;
  readonly accountId: string;
  readonly regions: readonly string[];
}

/** How many account-regions are read at once: enough to hide latency, few enough not to trip API rate limits. */
export const DISCOVERY_CONCURRENCY = 16;

export interface DiscoveryTiming {
  /** After this long, a region still being read is reported as slow, with what it waits for. @default 10 s */
  readonly slowAfterMs?: number;
  /** A region not read after this long is given up, as a problem of that region. @default 60 s */
  readonly timeoutMs?: number;
}

export type DiscoveryProgress =
  | { readonly kind: 'region-done'; readonly accountId: string; readonly region: string; readonly done: number; readonly total: number }
  | { readonly kind: 'slow'; readonly accountId: string; readonly region: string; readonly waitingFor: string; readonly seconds: number };

const DEFAULT_TIMING = { slowAfterMs: 10_000, timeoutMs: 60_000 };

export async function discoverClusters(
  targets: readonly DiscoveryTarget[],
  concurrency = DISCOVERY_CONCURRENCY,
  onProgress?: (event: DiscoveryProgress) => void,
  timing: DiscoveryTiming = {},
): Promise<RegionDiscovery[]> {
  const work = targets.flatMap((t) => t.regions.map((region) => ({ target: t, region })));
  let done = 0;
  return mapWithConcurrency(work, concurrency, async ({ target, region }) => {
    const result = await discoverRegion(target.session, target.accountId, region, onProgress, timing);
    onProgress?.({ kind: 'region-done', accountId: target.accountId, region, done: ++done, total: work.length });
    return result;
  });
}

/** The endpoint a service is reached at in a region: the AWS_ENDPOINT_URL override, or AWS's own. */
function endpointOf(service: string, region: string): string {
  return process.env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] ?? process.env.AWS_ENDPOINT_URL ?? `https://${service}.${region}.amazonaws.com`;
}

export async function discoverRegion(
  session: AwsSession,
  accountId: string,
  region: string,
  onProgress?: (event: DiscoveryProgress) => void,
  timing: DiscoveryTiming = {},
): Promise<RegionDiscovery> {
  const { slowAfterMs, timeoutMs } = { ...DEFAULT_TIMING, ...timing };
  // What the region waits for now: named when it is slow, and when it times out.
  const pending = new Set<string>();
  const waitingFor = () => [...pending].join(', ') || 'the answers to be put together';
  const track = <T>(what: string, work: Promise<T>): Promise<T> => {
    pending.add(what);
    return work.finally(() => pending.delete(what));
  };
  const started = Date.now();
  const slow = setInterval(() => {
    onProgress?.({ kind: 'slow', accountId, region, waitingFor: waitingFor(), seconds: Math.round((Date.now() - started) / 1000) });
  }, slowAfterMs);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<RegionDiscovery>((resolve) => {
    timer = setTimeout(
      () =>
        resolve({
          accountId,
          region,
          clusters: [],
          problem: { kind: 'timeout', message: `no answer after ${Math.round(timeoutMs / 1000)} s from ${waitingFor()}; this region was skipped` },
        }),
      timeoutMs,
    );
  });
  const rds = new RDSClient(clientConfig(session, region));
  const logs = new CloudWatchLogsClient(clientConfig(session, region));
  const unknown: Watchers = { cloudTrail: 'unknown', trails: [], guardDuty: 'unknown' };
  try {
    const [found, watchers] = await Promise.all([
      Promise.race([readRegion(rds, logs, accountId, region, track), deadline]),
      // Never the reason a region is skipped: what is not read by the deadline is unknown.
      Promise.race([track(`cloudtrail and guardduty at ${endpointOf('cloudtrail', region)}`, readWatchers(session, region)), deadline.then(() => unknown)]),
    ]);
    return { ...found, watchers };
  } finally {
    clearInterval(slow);
    clearTimeout(timer);
    // Also ends what a region that timed out still waits for.
    rds.destroy();
    logs.destroy();
  }
}

type Track = <T>(what: string, work: Promise<T>) => Promise<T>;

async function readRegion(rds: RDSClient, logs: CloudWatchLogsClient, accountId: string, region: string, track: Track): Promise<RegionDiscovery> {
  const rdsCall = (action: string) => `rds ${action} at ${endpointOf('rds', region)}`;
  try {
    // Clusters and log groups are independent: ask for both at once.
    let problem: AwsProblem | undefined;
    let logGroupsRead = true;
    const [raw, logGroups] = await Promise.all([
      track(
        rdsCall('DescribeDBClusters'),
        (async () => {
          const clusters: DBCluster[] = [];
          for await (const page of paginateDescribeDBClusters({ client: rds }, {})) clusters.push(...(page.DBClusters ?? []));
          return clusters;
        })(),
      ),
      track(`logs DescribeLogGroups at ${endpointOf('logs', region)}`, readLogGroups(logs)).catch((error: unknown) => {
        problem = classifyAwsError(error);
        logGroupsRead = false;
        return new Map<string, number | null>();
      }),
    ]);
    const families = await track(rdsCall('DescribeDBEngineVersions'), readFamilies(rds, raw));
    const usersOf = new Map<string, string[]>();
    for (const c of raw) {
      const group = (c.DBClusterParameterGroup ?? '').toLowerCase();
      usersOf.set(group, [...(usersOf.get(group) ?? []), c.DBClusterIdentifier ?? '']);
    }
    const clusters = await mapWithConcurrency(raw, 4, async (c) => {
      const described = describe(c, accountId, region, logGroups, usersOf, families, logGroupsRead);
      if (described.unsupported) return described;
      const cluster = await withSubscriptionFilters(logs, described, region, track);
      const isPostgres = cluster.engine === 'aurora-postgresql';
      if (cluster.parameterGroupIsDefault && !isPostgres) return cluster;
      try {
        if (cluster.parameterGroupIsDefault) {
          // Only what pgaudit must be merged with; a default group never has pgaudit loaded.
          const defaults = await track(rdsCall(`DescribeDBClusterParameters ${cluster.parameterGroup}`), readParameters(rds, cluster.parameterGroup, 'engine-default', ['shared_preload_libraries']));
          return { ...cluster, parameters: defaults };
        }
        const parameters = await track(rdsCall(`DescribeDBClusterParameters ${cluster.parameterGroup}`), readParameters(rds, cluster.parameterGroup, 'user'));
        return { ...cluster, parameters, audit: auditState(cluster.engine, parameters) };
      } catch (error) {
        problem ??= classifyAwsError(error);
        return cluster;
      }
    });
    return { accountId, region, clusters, problem };
  } catch (error) {
    return { accountId, region, clusters: [], problem: classifyAwsError(error) };
  }
}

function describe(
  c: DBCluster,
  accountId: string,
  region: string,
  logGroups: ReadonlyMap<string, number | null>,
  usersOf: ReadonlyMap<string, readonly string[]>,
  families: ReadonlyMap<string, string>,
  logGroupsRead: boolean,
): DiscoveredCluster {
  const identifier = c.DBClusterIdentifier ?? '';
  const engine = c.Engine ?? '';
  const engineVersion = c.EngineVersion ?? '';
  const parameterGroup = c.DBClusterParameterGroup ?? '';
  // AWS's word for the family first; a default group is named for its family (default.aurora-mysql8.4).
  const defaultGroupFamily = parameterGroup.startsWith('default.') && FAMILY.test(parameterGroup.slice(8)) ? parameterGroup.slice(8) : undefined;
  const family = families.get(`${engine} ${engineVersion}`) ?? defaultGroupFamily;
  const { unsupported, unsupportedBrief } = unsupportedReason(engine, engineVersion, family);
  const writer = c.DBClusterMembers?.find((m) => m.IsClusterWriter) ?? c.DBClusterMembers?.[0];
  // The log that holds audit records: audit on Aurora MySQL, postgresql (pgAudit) on Aurora PostgreSQL.
  const auditGroup = rdsLogGroupName(identifier, engine in ENGINES ? ENGINES[engine as Engine].auditLogType : 'audit');
  return {
    accountId,
    region,
    identifier,
    engine,
    engineVersion,
    family,
    parameterGroup,
    parameterGroupIsDefault: parameterGroup.startsWith('default.'),
    parameterGroupUsedBy: (usersOf.get(parameterGroup.toLowerCase()) ?? []).filter((id) => id !== identifier).sort(),
    parameterGroupStatus: writer?.DBClusterParameterGroupStatus,
    exports: c.EnabledCloudwatchLogsExports ?? [],
    // A default group never has auditing on: server_audit_logging defaults to OFF, and pgaudit is not loaded.
    audit: parameterGroup.startsWith('default.') ? { logging: false, events: [] } : undefined,
    auditLogGroup: logGroups.has(auditGroup) ? { retentionDays: logGroups.get(auditGroup) ?? null } : undefined,
    existingLogGroups: LOG_TYPES.filter((t) => logGroups.has(rdsLogGroupName(identifier, t))),
    logGroupsRead,
    tags: Object.fromEntries((c.TagList ?? []).flatMap((t) => (t.Key !== undefined ? [[t.Key, t.Value ?? '']] : []))),
    unsupported,
    unsupportedBrief,
  };
}

export function unsupportedReason(engine: string, engineVersion: string, family?: string): { unsupported?: string; unsupportedBrief?: string } {
  if (engine in ENGINES) {
    const verdict = resolveEngineVersion(engine as Engine, engineVersion, family);
    return verdict.ok ? {} : { unsupported: verdict.problem, unsupportedBrief: verdict.brief };
  }
  if (PLANNED_ENGINES.includes(engine)) return { unsupported: `${engine} is not supported yet` };
  return { unsupported: `${engine} is not Aurora MySQL or Aurora PostgreSQL` };
}

type Parameters = Record<string, { value: string; applyMethod: 'immediate' | 'pending-reboot' }>;

async function readParameters(rds: RDSClient, group: string, source: 'user' | 'engine-default', only?: readonly string[]): Promise<Parameters> {
  const values: Parameters = {};
  const paginator = paginateDescribeDBClusterParameters({ client: rds }, { DBClusterParameterGroupName: group, Source: source });
  for await (const page of paginator) {
    for (const p of page.Parameters ?? []) {
      if (!p.ParameterName || p.ParameterValue === undefined || (only && !only.includes(p.ParameterName))) continue;
      values[p.ParameterName] = { value: p.ParameterValue, applyMethod: p.ApplyMethod === 'pending-reboot' ? 'pending-reboot' : 'immediate' };
    }
  }
  return values;
}

/**
 * The parameter group family of each engine version the clusters run, as DescribeDBEngineVersions states it: keyed
 * `<engine> <version>`. One call per distinct version; a version AWS will not describe (or a denied call) is left
 * out, and the family is then read from the version.
 */
async function readFamilies(rds: RDSClient, clusters: readonly DBCluster[]): Promise<Map<string, string>> {
  const families = new Map<string, string>();
  const versions = new Set(clusters.filter((c) => c.Engine && c.Engine in ENGINES && c.EngineVersion).map((c) => `${c.Engine} ${c.EngineVersion}`));
  await mapWithConcurrency([...versions], 4, async (key) => {
    const [engine, version] = key.split(' ');
    try {
      const answer = await rds.send(new DescribeDBEngineVersionsCommand({ Engine: engine, EngineVersion: version }));
      const family = answer.DBEngineVersions?.find((v) => v.EngineVersion === version)?.DBParameterGroupFamily;
      if (family) families.set(key, family);
    } catch {
      // The version is still read from its own text; only a version written in a new way needs AWS's word.
    }
  });
  return families;
}

/** Whether the parameters turn auditing on, and with what. */
function auditState(engine: string, parameters: Parameters): { logging: boolean; events: string[] } {
  if (engine === 'aurora-postgresql') {
    const loaded = (parameters.shared_preload_libraries?.value ?? '').split(',').map((l) => l.trim()).includes('pgaudit');
    const classes = (parameters['pgaudit.log']?.value ?? '').split(',').map((c) => c.trim()).filter((c) => c && c !== 'none');
    return { logging: loaded && classes.length > 0, events: classes };
  }
  const logging = ['1', 'ON'].includes((parameters.server_audit_logging?.value ?? '').toUpperCase());
  const events = (parameters.server_audit_events?.value ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  return { logging, events };
}

/**
 * The subscription filters on the cluster's audit log group, so that a push or an archive that would exceed the two a
 * group allows is caught before deploy. Unreadable (a role without logs:DescribeSubscriptionFilters) leaves them
 * unknown and costs the cluster nothing else.
 */
async function withSubscriptionFilters(logs: CloudWatchLogsClient, cluster: DiscoveredCluster, region: string, track: Track): Promise<DiscoveredCluster> {
  if (!cluster.auditLogGroup || !(cluster.engine in ENGINES)) return cluster;
  const name = rdsLogGroupName(cluster.identifier, ENGINES[cluster.engine as Engine].auditLogType);
  try {
    const answer = await track(`logs DescribeSubscriptionFilters ${name} at ${endpointOf('logs', region)}`, logs.send(new DescribeSubscriptionFiltersCommand({ logGroupName: name })));
    return { ...cluster, auditLogGroup: { ...cluster.auditLogGroup, subscriptionFilters: (answer.subscriptionFilters ?? []).map((f) => f.filterName ?? '') } };
  } catch {
    return cluster;
  }
}

async function readLogGroups(logs: CloudWatchLogsClient): Promise<Map<string, number | null>> {
  const groups = new Map<string, number | null>();
  for await (const page of paginateDescribeLogGroups({ client: logs }, { logGroupNamePrefix: '/aws/rds/cluster/' })) {
    for (const g of page.logGroups ?? []) if (g.logGroupName) groups.set(g.logGroupName, g.retentionInDays ?? null);
  }
  return groups;
}
