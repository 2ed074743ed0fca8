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
