/**
 * The estimated monthly cost of a stack, from the model: what it creates, at the prices in config/unconfirmed.ts,
 * each line labelled with what it counts. What depends on traffic (log volume) is given as a rate, not a guess.
 */
import { ALERT_DETAILS_FUNCTION, ENGINES, LAMBDA_PRICE, type LogType } from '../config/aws';
import { firehoseStreams, type ClusterModel, type MonitoringStackModel, type StackModel } from '../config/model';
import { UNCONFIRMED } from '../config/unconfirmed';
import { CLUSTERS_PER_DASHBOARD } from '../config/names';

/** Alarms a month the alert-details bound is quoted for: about thirty a day, far above what a channel can act on. */
export const ALARMS_PER_MONTH_QUOTED = 1000;

/** Bytes of one audit record as CloudWatch Logs bills it, roughly: the published lines are 80 to 250 characters. */
const AUDIT_RECORD_BYTES = 200;

export interface CostLine {
  /** What is counted, in the singular. */
  readonly what: string;
  readonly count: number;
  /** Dollars a month, at most. */
  readonly monthly: number;
}

export interface StackCost {
  readonly lines: readonly CostLine[];
  /** Dollars a month for what the stack creates, before free tiers. */
  readonly fixed: number;
}

const P = UNCONFIRMED.prices;

/** The alert-details function's cost at most: every run taking its whole timeout, outside Lambda's free tier. */
export function alertDetailsBound(): number {
  const perRun = LAMBDA_PRICE.perRequest + (ALERT_DETAILS_FUNCTION.memoryMb / 1024) * ALERT_DETAILS_FUNCTION.timeoutSeconds * LAMBDA_PRICE.perGbSecond;
  return Math.ceil(perRun * ALARMS_PER_MONTH_QUOTED * 100) / 100;
}

export function stackCost(stack: StackModel): StackCost {
  const alarmsHere = !stack.monitoredBy;
  // A detection alarm per detection, a silence alarm per cluster, a stalled-delivery alarm per Firehose stream.
  const alarms = alarmsHere ? stack.clusters.reduce((n, c) => n + c.detections.length + (c.silence ? 1 : 0), 0) + firehoseStreams(stack).length : 0;
  const metrics = stack.clusters.reduce((n, c) => n + c.detections.length, 0);
  const dashboards = stack.dashboard && stack.clusters.length > 0 ? Math.ceil(stack.clusters.length / CLUSTERS_PER_DASHBOARD) : 0;
  const lines: CostLine[] = [
    { what: 'alarm', count: alarms, monthly: alarms * P.alarmMetricMonth },
    // Custom metrics are billed by the hour, only while they receive data: this is every detection firing all month.
    { what: 'detection metric', count: metrics, monthly: metrics * P.customMetricMonth },
    { what: 'dashboard', count: dashboards, monthly: dashboards * P.dashboardMonth },
    { what: 'KMS key', count: stack.encryption.mode === 'create' ? 1 : 0, monthly: stack.encryption.mode === 'create' ? P.kmsKeyMonth : 0 },
    { what: 'alert-details function', count: alarmsHere && stack.alertDetails ? 1 : 0, monthly: alarmsHere && stack.alertDetails ? alertDetailsBound() : 0 },
  ].filter((l) => l.count > 0);
  return { lines, fixed: round(lines.reduce((sum, l) => sum + l.monthly, 0)) };
}

/** The alarms a monitoring stack holds: each source cluster's detections and silence alarm, and each stream's. */
export function monitoringAlarmCount(stack: MonitoringStackModel): number {
  return stack.sources.reduce((n, s) => n + s.clusters.reduce((k, c) => k + c.detections.length + (c.silence ? 1 : 0), 0) + s.firehoseStreams.length, 0);
}

export function monitoringStackCost(stack: MonitoringStackModel): StackCost {
  const alarms = monitoringAlarmCount(stack);
  const lines: CostLine[] = [
    { what: 'alarm', count: alarms, monthly: alarms * P.alarmMetricMonth },
    { what: 'KMS key', count: stack.encryption.mode === 'create' ? 1 : 0, monthly: stack.encryption.mode === 'create' ? P.kmsKeyMonth : 0 },
    { what: 'alert-details function', count: stack.alertDetails ? 1 : 0, monthly: stack.alertDetails ? alertDetailsBound() : 0 },
  ].filter((l) => l.count > 0);
  return { lines, fixed: round(lines.reduce((sum, l) => sum + l.monthly, 0)) };
}

/** What a million audit records cost: ingestion, then storage for each month they are kept. */
export function perMillionRecords(): { ingest: number; storeMonth: number } {
  const gb = (AUDIT_RECORD_BYTES * 1_000_000) / 1024 ** 3;
  return { ingest: round(gb * P.logsIngestGb), storeMonth: round(gb * P.logsStorageGbMonth, 3) };
}

const A = UNCONFIRMED.archivePrices;
const DAYS_PER_MONTH = 365.25 / 12;

/**
 * What keeping a million audit records costs, in CloudWatch Logs and in the stack's archive: for the archive's years,
 * and for the audit retention the config gives CloudWatch now (its longest, across the stack's clusters). The archive
 * pays Firehose once, then S3 month by month in the class the lifecycle has moved the records to by then. Sizes are
 * uncompressed (CloudWatch Logs sends gzip batches), so the archive's figure is the most it costs.
 */
export interface ArchiveComparison {
  readonly years: number;
  /** CloudWatch Logs storage for the archive's years. */
  readonly cloudWatchForYears: number;
  /** Firehose ingestion and S3 storage for the same years. */
  readonly archiveForYears: number;
  /** The longest audit retention in CloudWatch now, and what it costs. */
  readonly cloudWatchRetentionDays: number;
  readonly cloudWatchNow: number;
}

export function archiveComparison(stack: StackModel): ArchiveComparison | undefined {
  if (!stack.archive) return undefined;
  const gb = (AUDIT_RECORD_BYTES * 1_000_000) / 1024 ** 3;
  const months = stack.archive.retentionYears * 12;
  const transitions = [...stack.archive.transitions].sort((a, b) => a.afterDays - b.afterDays);
  let archive = gb * A.firehoseIngestGb;
  for (let month = 0; month < months; month += 1) {
    const day = month * DAYS_PER_MONTH;
    const storageClass = transitions.filter((t) => t.afterDays <= day).at(-1)?.storageClass ?? 'STANDARD';
    archive += gb * A.s3GbMonth[storageClass];
  }
  const retentionDays = Math.max(0, ...stack.clusters.map((c) => c.audit.retentionDays[auditLogTypeOf(c)] ?? 0));
  return {
    years: stack.archive.retentionYears,
    cloudWatchForYears: round(gb * P.logsStorageGbMonth * months, 3),
    archiveForYears: round(archive, 3),
    cloudWatchRetentionDays: retentionDays,
    cloudWatchNow: round((gb * P.logsStorageGbMonth * retentionDays) / DAYS_PER_MONTH, 3),
  };
}

export function describeArchiveComparison(c: ArchiveComparison): string {
  return (
    `keeping a million audit records ${yearsText(c.years)} costs about $${c.archiveForYears.toFixed(3)} in the archive (Firehose, then S3 by class; ${A.source}, ${A.recorded}) ` +
    `against $${c.cloudWatchForYears.toFixed(3)} in CloudWatch Logs; CloudWatch keeps them ${c.cloudWatchRetentionDays} days now, $${c.cloudWatchNow.toFixed(3)} a million, and could keep them only as long as investigations need`
  );
}

/** One line for the summary: the fixed part, and the source and date of the prices. */
export function describeCost(cost: StackCost): string {
  return `≈ $${cost.fixed.toFixed(2)}/month (${cost.lines.map((l) => `${l.count} ${l.what}${l.count === 1 ? '' : 's'} $${l.monthly.toFixed(2)}`).join(', ')})`;
}

export function priceNote(): string {
  const m = perMillionRecords();
  return (
    `Costs are estimates at ${P.region} prices recorded ${P.recorded} (${P.source}; config/unconfirmed.ts), before free tiers, for what each stack creates; ` +
    `detection metrics are billed only in hours they receive data, so their figure is the most they cost. ` +
    `Logs come on top: each million audit records (about ${AUDIT_RECORD_BYTES} bytes each) costs about $${m.ingest.toFixed(2)} to ingest and $${m.storeMonth.toFixed(3)} a month to keep; ` +
    'the events you audit decide how many there are (QUERY or QUERY_DML log every statement). Tamper rules, saved queries and CloudTrail events to EventBridge cost nothing; GuardDuty bills RDS Protection itself.'
  );
}

/** The price note in a line, for a fleet's summary: what the estimate leaves out, and where the rest is said. */
export function shortPriceNote(): string {
  return `Estimates at ${P.region} prices recorded ${P.recorded}, before free tiers; audit log volume comes on top (--verbose says how much).`;
}

/** "1 year", "7 years". */
export function yearsText(n: number): string {
  return `${n} year${n === 1 ? '' : 's'}`;
}

function auditLogTypeOf(cluster: ClusterModel): LogType {
  return ENGINES[cluster.engine].auditLogType;
}

function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
