import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { Construct } from 'constructs';
import { ENGINES, rdsLogGroupName, type Engine } from '../config/aws';
import { exportedAuditLogGroup, type ClusterModel } from '../config/model';
import { AWS_NAMES, CLUSTERS_PER_DASHBOARD, METRIC_NAMESPACE } from '../config/names';
import { DDL_BY_USER, INSIGHTS_QUERIES, QUERY_ENGINE_FOLDER } from '../detections/insights-queries';
import { INCOMING_LOG_EVENTS } from './silence-alarm';

/** CloudWatch dashboards are a grid 24 units wide. */
const GRID_WIDTH = 24;
const ROW_HEIGHT = 6;
const HEADER_HEIGHT = 2;
/** Graphs sum what matched in 5-minute buckets. */
const GRAPH_PERIOD_SECONDS = 300;

export interface AuditDashboardProps {
  readonly stackName: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly clusters: readonly ClusterModel[];
  /** Whether the alarms live in this account (not in monitoring-account mode): then each row shows their state. */
  readonly alarmsHere: boolean;
}

export interface Widget {
  readonly type: 'text' | 'metric' | 'alarm' | 'log';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

/**
 * The stack's CloudWatch dashboards: for each cluster, every detection's count over time, the audit log's volume and
 * the state of its alarms; below them, Logs Insights widgets for failed logins by user and host and for DDL by user.
 * Ten clusters to a dashboard (`aurora-audit-<stack>`, then `-2`, `-3`, ...), each naming the others in its header.
 */
export class AuditDashboard extends Construct {
  constructor(scope: Construct, id: string, props: AuditDashboardProps) {
    super(scope, id);
    const pages = dashboardPages(props);
    pages.forEach((widgets, i) => {
      new CloudwatchDashboard(this, i === 0 ? 'dashboard' : `dashboard-${i + 1}`, {
        dashboardName: AWS_NAMES.dashboard(props.stackName, i + 1),
        dashboardBody: JSON.stringify({ widgets }),
      });
    });
  }
}

/** The widgets of each dashboard of a stack, in order. */
export function dashboardPages(props: AuditDashboardProps): Widget[][] {
  const pages: ClusterModel[][] = [];
  for (let i = 0; i < props.clusters.length; i += CLUSTERS_PER_DASHBOARD) pages.push(props.clusters.slice(i, i + CLUSTERS_PER_DASHBOARD));
  const names = pages.map((_, i) => AWS_NAMES.dashboard(props.stackName, i + 1));
  return pages.map((clusters, page) => {
    const widgets: Widget[] = [header(props, clusters, names, page)];
    let y = HEADER_HEIGHT;
    for (const cluster of clusters) {
      widgets.push(...clusterRow(props, cluster, y));
      y += ROW_HEIGHT;
    }
    const engines = [...new Set(clusters.map((c) => c.engine))];
    for (const engine of engines) {
      const groups = clusters.filter((c) => c.engine === engine).flatMap((c) => exportedAuditLogGroup(c) ?? []);
      if (groups.length === 0) continue;
      const label = ENGINES[engine].label;
      const failedLogins = INSIGHTS_QUERIES[engine].find((q) => q.id === 'failed-logins')!.query;
      widgets.push(logWidget(props.region, `${label}: failed logins by user and host, per hour`, groups, failedLogins, 0, y));
      widgets.push(logWidget(props.region, `${label}: DDL statements by user`, groups, DDL_BY_USER[engine], GRID_WIDTH / 2, y));
      y += ROW_HEIGHT;
    }
    return widgets;
  });
}

function header(props: AuditDashboardProps, clusters: readonly ClusterModel[], names: readonly string[], page: number): Widget {
  const others = names.filter((_, i) => i !== page);
  const engines = [...new Set(props.clusters.map((c) => c.engine))] as Engine[];
  const markdown = [
    `# aurora-audit: ${props.stackName}${names.length > 1 ? ` (${page + 1} of ${names.length})` : ''}`,
    `Account ${props.accountId}, ${props.region}: ${clusters.map((c) => c.identifier).join(', ')}. ` +
      `Saved queries: ${engines.map((e) => `aurora-audit/${props.stackName}/${QUERY_ENGINE_FOLDER[e]}/`).join(', ')}.` +
      (others.length > 0 ? ` Other clusters: ${others.join(', ')}.` : ''),
  ].join('\n\n');
  return { type: 'text', x: 0, y: 0, width: GRID_WIDTH, height: HEADER_HEIGHT, properties: { markdown } };
}

function clusterRow(props: AuditDashboardProps, cluster: ClusterModel, y: number): Widget[] {
  const auditLog = ENGINES[cluster.engine].auditLogType;
  // Without the alarm state the two graphs share the row.
  const [detectionsWidth, volumeWidth] = props.alarmsHere ? [10, 7] : [12, 12];
  const row: Widget[] = [
    {
      type: 'metric',
      x: 0,
      y,
      width: detectionsWidth,
      height: ROW_HEIGHT,
      properties: {
        title: `${cluster.identifier}: detections`,
        view: 'timeSeries',
        stacked: false,
        region: props.region,
        stat: 'Sum',
        period: GRAPH_PERIOD_SECONDS,
        metrics: cluster.detections.map((d) => [METRIC_NAMESPACE, AWS_NAMES.metric(cluster.identifier, d.definition.id), { label: d.definition.title }]),
      },
    },
    {
      type: 'metric',
      x: detectionsWidth,
      y,
      width: volumeWidth,
      height: ROW_HEIGHT,
      properties: {
        title: `${cluster.identifier}: ${auditLog} log events`,
        view: 'timeSeries',
        region: props.region,
        stat: 'Sum',
        period: GRAPH_PERIOD_SECONDS,
        metrics: cluster.audit.logTypes.includes(auditLog)
          ? [[INCOMING_LOG_EVENTS.namespace, INCOMING_LOG_EVENTS.metricName, 'LogGroupName', rdsLogGroupName(cluster.identifier, auditLog), { label: 'events received' }]]
          : [],
      },
    },
  ];
  if (props.alarmsHere) {
    const alarmNames = [
      ...cluster.detections.map((d) => AWS_NAMES.alarm(props.accountId, props.region, cluster.identifier, d.definition.id)),
      ...(cluster.silence ? [AWS_NAMES.silenceAlarm(props.accountId, props.region, cluster.identifier)] : []),
    ];
    row.push({
      type: 'alarm',
      x: detectionsWidth + volumeWidth,
      y,
      width: GRID_WIDTH - detectionsWidth - volumeWidth,
      height: ROW_HEIGHT,
      properties: {
        title: `${cluster.identifier}: alarms`,
        alarms: alarmNames.map((name) => `arn:${props.partition}:cloudwatch:${props.region}:${props.accountId}:alarm:${name}`),
      },
    });
  }
  return row.filter((w) => w.type !== 'metric' || (w.properties.metrics as unknown[]).length > 0);
}

function logWidget(region: string, title: string, logGroups: readonly string[], query: string, x: number, y: number): Widget {
  return {
    type: 'log',
    x,
    y,
    width: GRID_WIDTH / 2,
    height: ROW_HEIGHT,
    // A dashboard's Logs Insights widget names its log groups in the query itself.
    properties: { title, region, view: 'table', query: `${logGroups.map((g) => `SOURCE '${g}'`).join(' | ')} | ${query}` },
  };
}
