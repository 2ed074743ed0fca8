import type { CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';

/** One metric an alarm reads, and how: its statistic over each period. */
export interface AlarmMetric {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly stat: string;
  readonly period: number;
  readonly unit?: string;
}

/** An alarm in a monitoring account, on a metric of another account (or of its own). */
export interface AcrossAccounts {
  /** The metric query's id, as alarm messages show it. */
  readonly queryId: string;
  readonly metricAccountId: string;
  readonly alarmAccountId: string;
}

/** Where an alarm's metric is published, where the alarm notifies, and, in monitoring-account mode, where it lives. */
export interface AlarmPlace {
  /** The account and region that publish the metric. */
  readonly accountId: string;
  readonly region: string;
  readonly actionArns: readonly string[];
  /**
   * The account the alarm lives in, when it is not the metric's (monitoring-account mode): the metric is then read
   * across accounts (metric_query with account_id). @default - the metric's own account
   */
  readonly alarmAccountId?: string;
}

/** How an alarm at `place` reads its metric across accounts; undefined when it lives beside the metric. */
export function acrossAccounts(place: AlarmPlace, queryId: string): AcrossAccounts | undefined {
  return place.alarmAccountId === undefined ? undefined : { queryId, metricAccountId: place.accountId, alarmAccountId: place.alarmAccountId };
}

/**
 * The part of an alarm that says what it reads. In the metric's own account, the metric itself. In a monitoring account,
 * a metric query naming the metric's account (PutMetricAlarm's cross-account form; none named when the metric is the
 * monitoring account's own), so that the alarms of both modes read the same metric the same way.
 */
export function alarmMetric(
  metric: AlarmMetric,
  across?: AcrossAccounts,
): Pick<CloudwatchMetricAlarmConfig, 'namespace' | 'metricName' | 'dimensions' | 'statistic' | 'period' | 'unit' | 'metricQuery'> {
  const { stat, ...rest } = metric;
  if (!across) return { ...rest, dimensions: metric.dimensions && { ...metric.dimensions }, statistic: stat };
  return {
    metricQuery: [
      {
        id: across.queryId,
        accountId: across.metricAccountId === across.alarmAccountId ? undefined : across.metricAccountId,
        returnData: true,
        metric: { namespace: metric.namespace, metricName: metric.metricName, dimensions: metric.dimensions && { ...metric.dimensions }, stat, unit: metric.unit, period: metric.period },
      },
    ],
  };
}
