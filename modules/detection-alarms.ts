import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { ALARM_DESCRIPTION_MAX_LENGTH, type LogType } from '../config/aws';
import type { DetectionModel } from '../config/model';
import { AWS_NAMES, METRIC_NAMESPACE } from '../config/names';


export interface DetectionAlarmsProps {
  readonly clusterIdentifier: string;
  readonly accountId: string;
  readonly region: string;
  /** Log group names by log type; the metric filters read these. */
  readonly logGroupNames: ReadonlyMap<LogType, string>;
  readonly detections: readonly DetectionModel[];
  /**
   * Notified on ALARM, and on OK for detections that ask for it. Undefined in monitoring-account mode: the alarms on
   * these metrics live in the monitoring account (CrossAccountAlarms), and only the metric filters are here.
   */
  readonly actionArns?: readonly string[];
}

/**
 * One metric filter and one alarm per enabled detection of a cluster, each pair in a scope named by the detection id
 * (`<detection>/filter`, `<detection>/alarm`: part of their Terraform addresses).
 */
export class DetectionAlarms extends Construct {
  constructor(scope: Construct, id: string, props: DetectionAlarmsProps) {
    super(scope, id);
    for (const detection of props.detections) {
      const { definition } = detection;
      const logGroupName = props.logGroupNames.get(definition.logType);
      if (!logGroupName) throw new Error(`DetectionAlarms: ${definition.id} reads the ${definition.logType} log, which is not exported`);
      const pair = new Construct(this, definition.id);

      new CloudwatchLogMetricFilter(pair, 'filter', {
        name: AWS_NAMES.metricFilter(definition.id),
        logGroupName,
        pattern: definition.pattern,
        // No default_value: a 0 per event would bill for nothing, and missing data is treated as not breaching.
        metricTransformation: { name: AWS_NAMES.metric(props.clusterIdentifier, definition.id), namespace: METRIC_NAMESPACE, value: '1', unit: 'Count' },
      });

      if (props.actionArns) {
        new CloudwatchMetricAlarm(pair, 'alarm', {
          ...alarmSettings(detection, props, logGroupName, props.actionArns),
          namespace: METRIC_NAMESPACE,
          metricName: AWS_NAMES.metric(props.clusterIdentifier, definition.id),
          statistic: 'Sum',
          unit: 'Count',
          period: detection.periodSeconds,
        });
      }
    }
  }
}

/** Where a detection's metric comes from: the cluster, and the account and region of its logs. */
export interface MetricSource {
  readonly clusterIdentifier: string;
  readonly accountId: string;
  readonly region: string;
}

/**
 * What every alarm on a detection's metric says and does, wherever it lives: its name (unique across accounts), the
 * words on call read, when it fires, and whom it notifies. The metric itself is given by the caller.
 */
export function alarmSettings(detection: DetectionModel, source: MetricSource, logGroupName: string, actionArns: readonly string[]) {
  return {
    alarmName: AWS_NAMES.alarm(source.accountId, source.region, source.clusterIdentifier, detection.definition.id),
    alarmDescription: describeAlarm(detection, source.clusterIdentifier, source.accountId, source.region, logGroupName),
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    threshold: detection.threshold,
    evaluationPeriods: detection.evaluationPeriods,
    datapointsToAlarm: detection.datapointsToAlarm,
    // The metric only has data when something matched; "missing" would park the alarm in INSUFFICIENT_DATA.
    treatMissingData: 'notBreaching',
    alarmActions: [...actionArns],
    // A one-event detection would post ALARM, then OK a minute later: OK only where the config asks for it.
    okActions: detection.notifyOnOk ? [...actionArns] : [],
  };
}

/** What happened and what to do, in the words a person on call reads in Slack. */
export function describeAlarm(detection: DetectionModel, cluster: string, accountId: string, region: string, logGroupName: string): string {
  const { definition, threshold, periodSeconds, evaluationPeriods, datapointsToAlarm } = detection;
  const minutes = periodSeconds / 60;
  const window = `${minutes} minute${minutes === 1 ? '' : 's'}`;
  const when =
    threshold === 1 && evaluationPeriods === 1
      ? `at least one in ${window}`
      : `${threshold} or more in ${window}${evaluationPeriods > 1 ? `, in ${datapointsToAlarm} of ${evaluationPeriods} periods` : ''}`;
  const text = [
    `${capitalize(definition.title)} on Aurora cluster ${cluster} (account ${accountId}, ${region}): ${when}.`,
    definition.whyItMatters,
    `Next: ${definition.nextSteps}`,
    `Log: ${logGroupName}.`,
  ].join(' ');
  return text.length <= ALARM_DESCRIPTION_MAX_LENGTH ? text : `${text.slice(0, ALARM_DESCRIPTION_MAX_LENGTH - 3)}...`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
