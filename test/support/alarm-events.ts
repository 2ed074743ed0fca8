/**
 * CloudWatch alarm notifications as SNS hands them to Lambda. The shape is CloudWatch's (the fields and their
 * spelling as many public consumers type them: AlarmName, AWSAccountId, NewStateValue, StateChangeTime with a
 * `+0000` offset, a display-name Region, Trigger with MetricName, Namespace, StatisticType, Statistic "SUM", Unit
 * null, Period, EvaluationPeriods, DatapointsToAlarm, TreatMissingData), inside Lambda's documented SNS event
 * (Records[].EventSource "aws:sns", Sns.Type "Notification", Sns.Message a JSON string).
 */
import type { SnsEvent } from '../../alert-details/alarm';
import { AWS_NAMES, METRIC_NAMESPACE } from '../../config/names';

export interface AlarmSnsEvent extends SnsEvent {
  readonly Records: ReadonlyArray<{ readonly Sns: { readonly Message: string; readonly [key: string]: unknown }; readonly [key: string]: unknown }>;
}

export function alarmEvent(opts: {
  accountId: string;
  region: string;
  regionName?: string;
  cluster: string;
  detection: string;
  state?: 'ALARM' | 'OK';
  stateChange: string;
  period?: number;
  evaluationPeriods?: number;
  /**
   * The monitoring account the alarm lives in, reading the metric of `accountId` through a metric query. Its Trigger
   * then names the metric under Metrics, as PutMetricAlarm's metric queries are written (the notification's exact
   * shape for such alarms is not documented: the function reads the metric from the alarm itself).
   */
  monitoring?: { accountId: string; topicArn: string };
}): AlarmSnsEvent {
  const alarmName = AWS_NAMES.alarm(opts.accountId, opts.region, opts.cluster, opts.detection);
  const alarmAccountId = opts.monitoring?.accountId ?? opts.accountId;
  const topic = opts.monitoring?.topicArn ?? `arn:aws:sns:${opts.region}:${opts.accountId}:aurora-audit-prod-alarms`;
  const metric = { MetricName: AWS_NAMES.metric(opts.cluster, opts.detection), Namespace: METRIC_NAMESPACE };
  const message = {
    AlarmName: alarmName,
    AlarmDescription: `DROP statements on Aurora cluster ${opts.cluster}`,
    AWSAccountId: alarmAccountId,
    AlarmConfigurationUpdatedTimestamp: '2024-01-20T09:12:44.118+0000',
    NewStateValue: opts.state ?? 'ALARM',
    NewStateReason:
      'Threshold Crossed: 1 out of the last 1 datapoints [1.0 (21/01/24 17:56:00)] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).',
    StateChangeTime: opts.stateChange,
    Region: opts.regionName ?? 'EU (Ireland)',
    AlarmArn: `arn:aws:cloudwatch:${opts.region}:${alarmAccountId}:alarm:${alarmName}`,
    OldStateValue: opts.state === 'OK' ? 'ALARM' : 'OK',
    OKActions: [],
    AlarmActions: [topic],
    InsufficientDataActions: [],
    Trigger: {
      ...(opts.monitoring
        ? { Metrics: [{ Id: 'matches', MetricStat: { Metric: { ...metric, Dimensions: [] }, Period: opts.period ?? 60, Stat: 'Sum' }, ReturnData: true, AccountId: opts.accountId }] }
        : { ...metric, StatisticType: 'Statistic', Statistic: 'SUM', Unit: null, Dimensions: [] }),
      Period: opts.period ?? 60,
      EvaluationPeriods: opts.evaluationPeriods ?? 1,
      DatapointsToAlarm: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1.0,
      TreatMissingData: 'notBreaching',
      EvaluateLowSampleCountPercentile: '',
    },
  };
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topic}:2bcfbf39-05c3-41de-beaa-fcfcc21c8f55`,
        Sns: {
          Type: 'Notification',
          MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          TopicArn: topic,
          Subject: `ALARM: "${alarmName}" in ${opts.regionName ?? 'EU (Ireland)'}`,
          Message: JSON.stringify(message),
          Timestamp: '2024-01-21T17:57:05.123Z',
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
          UnsubscribeUrl: 'https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe',
          MessageAttributes: {},
        },
      },
    ],
  };
}
