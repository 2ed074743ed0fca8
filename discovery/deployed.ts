/**
 * What `aurora-audit verify` asks AWS of a deployed stack, in one account and region: read-only calls, but for
 * SetAlarmState, which only `verify --drill` makes. Each reader returns what AWS said; errors propagate, and the
 * caller names what could not be read (classifyAwsError).
 */
import { CloudTrailClient, GetEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient, DescribeAlarmsCommand, GetMetricDataCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, DescribeMetricFiltersCommand, FilterLogEventsCommand, TestMetricFilterCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRuleCommand, EventBridgeClient, ListTargetsByRuleCommand } from '@aws-sdk/client-eventbridge';
import { DescribeBlueGreenDeploymentsCommand, DescribeDBClusterParametersCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeDBParametersCommand, RDSClient } from '@aws-sdk/client-rds';
import { ListSubscriptionsByTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { coveringTrails, readGuardDuty, type Watchers } from './watchers';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { clientConfig, type AwsSession } from './session';

export interface DeployedLogGroup {
  readonly name: string;
  /** undefined: never expire. */
  readonly retentionDays?: number;
}

export interface DeployedMetricFilter {
  readonly name: string;
  readonly pattern: string;
  readonly metricName?: string;
  readonly metricNamespace?: string;
}

export interface DeployedAlarm {
  readonly name: string;
  readonly actions: readonly string[];
  readonly actionsEnabled: boolean;
  readonly state?: string;
}

export interface DeployedCluster {
  readonly parameterGroup?: string;
  readonly exports: readonly string[];
  /** Each instance's view of the cluster parameter group: in-sync, pending-reboot, applying. */
  readonly members: ReadonlyArray<{ readonly instance: string; readonly writer: boolean; readonly parameterGroupStatus?: string }>;
}

/** A blue/green deployment: its green cluster takes over from its source at switchover. */
export interface DeployedBlueGreen {
  readonly identifier: string;
  readonly name: string;
  /** PROVISIONING, AVAILABLE, SWITCHOVER_IN_PROGRESS, SWITCHOVER_COMPLETED, INVALID_CONFIGURATION, SWITCHOVER_FAILED, DELETING. */
  readonly status: string;
  /** The green cluster's identifier, from the deployment's target ARN; undefined while it has none. */
  readonly green?: string;
}

export interface DeployedTrail {
  readonly name: string;
  readonly logging: boolean;
  /** Whether it records management write events (basic or advanced event selectors). */
  readonly managementWrites: boolean;
}

/** One metric, summed over a time range. */
export interface MetricQuery {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** The state reason a drill sets on the alarm it fires: what the alarm's history and Slack show of it. */
export const DRILL_REASON = 'aurora-audit verify --drill: a test of the alert path, not an incident';

export class DeployedReader {
  private readonly config: ReturnType<typeof clientConfig>;
  private clients = new Map<string, { destroy(): void }>();

  constructor(
    session: AwsSession,
    readonly region: string,
  ) {
    this.config = clientConfig(session, region);
  }

  private client<T extends { destroy(): void }>(name: string, make: () => T): T {
    let c = this.clients.get(name) as T | undefined;
    if (!c) {
      c = make();
      this.clients.set(name, c);
    }
    return c;
  }

  private get logs() {
    return this.client('logs', () => new CloudWatchLogsClient(this.config));
  }
  private get cloudwatch() {
    return this.client('cloudwatch', () => new CloudWatchClient(this.config));
  }

  close(): void {
    for (const c of this.clients.values()) c.destroy();
    this.clients.clear();
  }

  async logGroup(name: string): Promise<DeployedLogGroup | undefined> {
    let nextToken: string | undefined;
    do {
      const out = await this.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken }));
      const found = out.logGroups?.find((g) => g.logGroupName === name);
      if (found) return { name, retentionDays: found.retentionInDays };
      nextToken = out.nextToken;
    } while (nextToken);
    return undefined;
  }

  async metricFilters(logGroupName: string): Promise<DeployedMetricFilter[]> {
    const found: DeployedMetricFilter[] = [];
    let nextToken: string | undefined;
    do {
      const out = await this.logs.send(new DescribeMetricFiltersCommand({ logGroupName, nextToken }));
      for (const f of out.metricFilters ?? []) {
        const [t] = f.metricTransformations ?? [];
        found.push({ name: f.filterName ?? '', pattern: f.filterPattern ?? '', metricName: t?.metricName, metricNamespace: t?.metricNamespace });
      }
      nextToken = out.nextToken;
    } while (nextToken);
    return found;
  }

  /** The line numbers (0-based) of `lines` that CloudWatch Logs' own engine says the pattern matches. TestMetricFilter takes 1 to 50 lines. */
  async testMetricFilter(pattern: string, lines: readonly string[]): Promise<Set<number>> {
    const matched = new Set<number>();
    for (let start = 0; start < lines.length; start += 50) {
      const out = await this.logs.send(new TestMetricFilterCommand({ filterPattern: pattern, logEventMessages: lines.slice(start, start + 50) }));
      // eventNumber counts from 1 within the call.
      for (const m of out.matches ?? []) if (m.eventNumber !== undefined) matched.add(start + m.eventNumber - 1);
    }
    return matched;
  }

  /** Up to `limit` lines the group received since `sinceMs`, oldest first. */
  async recentLines(logGroupName: string, sinceMs: number, limit: number): Promise<string[]> {
    const out = await this.logs.send(new FilterLogEventsCommand({ logGroupName, startTime: sinceMs, limit }));
    return (out.events ?? []).map((e) => e.message ?? '');
  }

  async alarms(names: readonly string[]): Promise<Map<string, DeployedAlarm>> {
    const found = new Map<string, DeployedAlarm>();
    for (let i = 0; i < names.length; i += 100) {
      const out = await this.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: names.slice(i, i + 100), MaxRecords: 100 }));
      for (const a of out.MetricAlarms ?? []) {
        if (a.AlarmName) found.set(a.AlarmName, { name: a.AlarmName, actions: a.AlarmActions ?? [], actionsEnabled: a.ActionsEnabled !== false, state: a.StateValue });
      }
    }
    return found;
  }

  /** The sum of a metric from `startMs` to `endMs`, by one-minute periods; 0 without data. */
  async metricSum(metric: MetricQuery, startMs: number, endMs: number): Promise<number> {
    const out = await this.cloudwatch.send(
      new GetMetricDataCommand({
        StartTime: new Date(Math.floor(startMs / 60_000) * 60_000),
        EndTime: new Date(Math.ceil(endMs / 60_000) * 60_000 + 60_000),
        MetricDataQueries: [
          {
            Id: 'm',
            MetricStat: {
              Metric: { Namespace: metric.namespace, MetricName: metric.metricName, Dimensions: Object.entries(metric.dimensions).map(([Name, Value]) => ({ Name, Value })) },
              Period: 60,
              Stat: 'Sum',
            },
            ReturnData: true,
          },
        ],
      }),
    );
    return (out.MetricDataResults ?? []).flatMap((r) => r.Values ?? []).reduce((a, b) => a + b, 0);
  }

  async setAlarmState(alarmName: string): Promise<void> {
    await this.cloudwatch.send(new SetAlarmStateCommand({ AlarmName: alarmName, StateValue: 'ALARM', StateReason: DRILL_REASON }));
  }

  async subscriptions(topicArn: string): Promise<Array<{ protocol: string; endpoint: string }>> {
    const sns = this.client('sns', () => new SNSClient(this.config));
    const found: Array<{ protocol: string; endpoint: string }> = [];
    let NextToken: string | undefined;
    do {
      const out = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken }));
      for (const s of out.Subscriptions ?? []) found.push({ protocol: s.Protocol ?? '', endpoint: s.Endpoint ?? '' });
      NextToken = out.NextToken;
    } while (NextToken);
    return found;
  }

  /** The rule's state and its targets' ARNs; undefined when there is no such rule. */
  async rule(name: string, eventBusName?: string): Promise<{ state: string; targets: string[] } | undefined> {
    const events = this.client('events', () => new EventBridgeClient(this.config));
    try {
      const rule = await events.send(new DescribeRuleCommand({ Name: name, EventBusName: eventBusName }));
      const targets: string[] = [];
      let NextToken: string | undefined;
      do {
        const out = await events.send(new ListTargetsByRuleCommand({ Rule: name, EventBusName: eventBusName, NextToken }));
        for (const t of out.Targets ?? []) if (t.Arn) targets.push(t.Arn);
        NextToken = out.NextToken;
      } while (NextToken);
      return { state: rule.State ?? '', targets };
    } catch (error) {
      if ((error as Error).name === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  async cluster(identifier: string): Promise<DeployedCluster | undefined> {
    const rds = this.client('rds', () => new RDSClient(this.config));
    try {
      const out = await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: identifier }));
      const c = out.DBClusters?.find((x) => x.DBClusterIdentifier === identifier);
      if (!c) return undefined;
      return {
        parameterGroup: c.DBClusterParameterGroup,
        exports: c.EnabledCloudwatchLogsExports ?? [],
        members: (c.DBClusterMembers ?? []).map((m) => ({ instance: m.DBInstanceIdentifier ?? '', writer: m.IsClusterWriter === true, parameterGroupStatus: m.DBClusterParameterGroupStatus })),
      };
    } catch (error) {
      if ((error as Error).name === 'DBClusterNotFoundFault') return undefined;
      throw error;
    }
  }

  /** The values of these parameters in a cluster parameter group. */
  async clusterParameters(group: string, names: readonly string[]): Promise<Record<string, string | undefined>> {
    const rds = this.client('rds', () => new RDSClient(this.config));
    const values: Record<string, string | undefined> = {};
    let Marker: string | undefined;
    do {
      const out = await rds.send(new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: group, Marker }));
      for (const p of out.Parameters ?? []) if (p.ParameterName && names.includes(p.ParameterName)) values[p.ParameterName] = p.ParameterValue;
      Marker = out.Marker;
    } while (Marker);
    return values;
  }

  /**
   * The blue/green deployments whose source is this cluster (by ARN, in any letter case). Every deployment of the
   * region is listed and picked here, so that nothing rests on how the API's filter spells a source.
   */
  async blueGreenDeployments(clusterArn: string): Promise<DeployedBlueGreen[]> {
    const rds = this.client('rds', () => new RDSClient(this.config));
    const found: DeployedBlueGreen[] = [];
    let Marker: string | undefined;
    do {
      const out = await rds.send(new DescribeBlueGreenDeploymentsCommand({ Marker }));
      for (const d of out.BlueGreenDeployments ?? []) {
        if (d.Source?.toLowerCase() !== clusterArn.toLowerCase()) continue;
        const green = /:cluster:([^:/]+)$/.exec(d.Target ?? '')?.[1];
        found.push({ identifier: d.BlueGreenDeploymentIdentifier ?? '', name: d.BlueGreenDeploymentName ?? '', status: d.Status ?? 'unknown', ...(green ? { green } : {}) });
      }
      Marker = out.Marker;
    } while (Marker);
    return found;
  }

  /** Each instance of the cluster with its own DB parameter group (an instance has one; AWS lists it in a list). */
  async instanceParameterGroups(clusterIdentifier: string): Promise<Array<{ instance: string; group: string }>> {
    const rds = this.client('rds', () => new RDSClient(this.config));
    const found: Array<{ instance: string; group: string }> = [];
    let Marker: string | undefined;
    do {
      const out = await rds.send(new DescribeDBInstancesCommand({ Filters: [{ Name: 'db-cluster-id', Values: [clusterIdentifier] }], Marker }));
      for (const i of out.DBInstances ?? []) {
        for (const g of i.DBParameterGroups ?? []) if (i.DBInstanceIdentifier && g.DBParameterGroupName) found.push({ instance: i.DBInstanceIdentifier, group: g.DBParameterGroupName });
      }
      Marker = out.Marker;
    } while (Marker);
    return found;
  }

  /** The parameters someone set in a DB (instance) parameter group (Source user), with whether each applies without a reboot. */
  async instanceParameters(group: string): Promise<Array<{ name: string; value: string | undefined; dynamic: boolean }>> {
    const rds = this.client('rds', () => new RDSClient(this.config));
    const found: Array<{ name: string; value: string | undefined; dynamic: boolean }> = [];
    let Marker: string | undefined;
    do {
      const out = await rds.send(new DescribeDBParametersCommand({ DBParameterGroupName: group, Source: 'user', Marker }));
      for (const p of out.Parameters ?? []) if (p.ParameterName) found.push({ name: p.ParameterName, value: p.ParameterValue, dynamic: p.ApplyType === 'dynamic' });
      Marker = out.Marker;
    } while (Marker);
    return found;
  }

  /** The trails that cover this region (shadow trails included), whether each logs, and whether it records management writes. */
  async trails(): Promise<DeployedTrail[]> {
    const cloudtrail = this.client('cloudtrail', () => new CloudTrailClient(this.config));
    const found: DeployedTrail[] = [];
    for (const t of await coveringTrails(cloudtrail, this.region)) {
      const selectors = await cloudtrail.send(new GetEventSelectorsCommand({ TrailName: t.arn }));
      const basic = (selectors.EventSelectors ?? []).some((s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? 'All') !== 'ReadOnly');
      const advanced = (selectors.AdvancedEventSelectors ?? []).some((s) => {
        const fields = s.FieldSelectors ?? [];
        const management = fields.some((f) => f.Field === 'eventCategory' && (f.Equals ?? []).includes('Management'));
        const readOnlyOnly = fields.some((f) => f.Field === 'readOnly' && (f.Equals ?? []).includes('true'));
        return management && !readOnlyOnly;
      });
      found.push({ name: t.name, logging: t.logging, managementWrites: basic || advanced });
    }
    return found;
  }

  async guardDuty(): Promise<Watchers['guardDuty']> {
    return readGuardDuty(this.client('guardduty', () => new GuardDutyClient(this.config)), true);
  }
}
