import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { ALARM_DESCRIPTION_MAX_LENGTH } from '../config/aws';
import type { SilenceModel } from '../config/model';
import { AWS_NAMES } from '../config/names';
import { acrossAccounts, alarmMetric, type AlarmPlace } from './alarm-metric';

/** CloudWatch Logs' own metric of what arrives in a log group (namespace AWS/Logs, dimension LogGroupName). */
export const INCOMING_LOG_EVENTS = { namespace: 'AWS/Logs', metricName: 'IncomingLogEvents' } as const;

/** The account and region are the cluster's and its log group's. */
export interface SilenceAlarmProps extends AlarmPlace {
  readonly clusterIdentifier: string;
  readonly logGroupName: string;
  readonly silence: SilenceModel;
}

/**
 * An alarm when a cluster's audit log group receives fewer events than the threshold, or none, in each of several
 * periods in a row. A broken export, a parameter group switched, or auditing turned off all look like a quiet
 * database; this is the alarm that tells them apart from one. Missing data breaches: a group that receives nothing
 * publishes no IncomingLogEvents at all. It also says when the log flows again.
 */
export class SilenceAlarm extends Construct {
  constructor(scope: Construct, id: string, props: SilenceAlarmProps) {
    super(scope, id);
    const { silence } = props;
    const metric = { ...INCOMING_LOG_EVENTS, dimensions: { LogGroupName: props.logGroupName }, stat: 'Sum', period: silence.periodSeconds };
    new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: AWS_NAMES.silenceAlarm(props.accountId, props.region, props.clusterIdentifier),
      alarmDescription: describeSilence(props),
      comparisonOperator: 'LessThanThreshold',
      threshold: silence.threshold,
      evaluationPeriods: silence.evaluationPeriods,
      datapointsToAlarm: silence.evaluationPeriods,
      treatMissingData: 'breaching',
      alarmActions: [...props.actionArns],
      okActions: [...props.actionArns],
      // In the monitoring account every alarm reads a metric query, as its detection alarms do (CrossAccountAlarms).
      ...alarmMetric(metric, acrossAccounts(props, 'incoming')),
    });
  }
}

/** What the silence means and what to check, in the words a person on call reads. */
export function describeSilence(props: Pick<SilenceAlarmProps, 'clusterIdentifier' | 'accountId' | 'region' | 'logGroupName' | 'silence'>): string {
  const { periodSeconds, evaluationPeriods, threshold } = props.silence;
  const span = periodSeconds * evaluationPeriods;
  const duration = span % 3600 === 0 ? `${span / 3600} hour${span === 3600 ? '' : 's'}` : `${span / 60} minutes`;
  const quiet = threshold === 1 ? 'no audit records' : `fewer than ${threshold} audit records in each ${periodSeconds / 60}-minute period`;
  const text = [
    `Audit log silent: Aurora cluster ${props.clusterIdentifier} (account ${props.accountId}, ${props.region}) sent ${quiet} for ${duration} to ${props.logGroupName}.`,
    'Auditing may have been switched off, the log export removed, or the parameter group changed; or the cluster is idle.',
    'Next: run aurora-audit discover --check for this account and region, and look at the cluster\'s log exports and parameter group. If it is only idle, lengthen silence.periodSeconds for it or set silence.enabled: false.',
  ].join(' ');
  return text.length <= ALARM_DESCRIPTION_MAX_LENGTH ? text : `${text.slice(0, ALARM_DESCRIPTION_MAX_LENGTH - 3)}...`;
}
