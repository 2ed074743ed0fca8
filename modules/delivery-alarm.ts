import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { ALARM_DESCRIPTION_MAX_LENGTH, FIREHOSE_DATA_FRESHNESS } from '../config/aws';
import type { FirehoseStream } from '../config/model';
import { AWS_NAMES } from '../config/names';
import { acrossAccounts, alarmMetric, type AlarmPlace } from './alarm-metric';

const STALLED_AFTER_SECONDS = FIREHOSE_DATA_FRESHNESS.stalledAfterSeconds;
const PERIOD_SECONDS = 300;

/** The account and region are the stream's. */
export interface DeliveryAlarmProps extends AlarmPlace {
  readonly stackName: string;
  readonly stream: FirehoseStream;
}

/**
 * An alarm when a Firehose stream of the stack holds a record longer than any buffering would: the archive's bucket
 * or the SIEM's endpoint refuses what it is sent. Firehose keeps retrying (S3 for up to 24 hours; Splunk and HTTP
 * endpoints, then their backup bucket), so this is the time to act before records are given up on. No records flowing
 * means no metric, which is not an alarm: the silence alarm watches the log itself. It also says when delivery
 * catches up.
 */
export class DeliveryAlarm extends Construct {
  constructor(scope: Construct, id: string, props: DeliveryAlarmProps) {
    super(scope, id);
    const streamName = AWS_NAMES.deliveryStream(props.stackName, props.stream.purpose);
    const metric = {
      namespace: FIREHOSE_DATA_FRESHNESS.namespace,
      metricName: FIREHOSE_DATA_FRESHNESS.metricName[props.stream.destination],
      dimensions: { DeliveryStreamName: streamName },
      stat: 'Maximum',
      period: PERIOD_SECONDS,
    };
    new CloudwatchMetricAlarm(this, 'alarm', {
      alarmName: AWS_NAMES.deliveryAlarm(props.accountId, props.region, streamName),
      alarmDescription: describeDelivery(props, streamName),
      comparisonOperator: 'GreaterThanThreshold',
      threshold: STALLED_AFTER_SECONDS,
      evaluationPeriods: 1,
      treatMissingData: 'notBreaching',
      alarmActions: [...props.actionArns],
      okActions: [...props.actionArns],
      // In the monitoring account every alarm reads a metric query, as its detection alarms do (CrossAccountAlarms).
      ...alarmMetric(metric, acrossAccounts(props, 'freshness')),
    });
  }
}

function describeDelivery(props: DeliveryAlarmProps, streamName: string): string {
  const where = props.stream.purpose === 'archive' ? 'the audit archive bucket' : `the SIEM (${props.stream.destination === 's3' ? 'S3' : props.stream.destination === 'splunk' ? 'Splunk HEC' : 'HTTPS endpoint'})`;
  const text = [
    `Audit log delivery stalled: Firehose stream ${streamName} (account ${props.accountId}, ${props.region}) holds audit records older than ${STALLED_AFTER_SECONDS / 60} minutes that it could not deliver to ${where}.`,
    'Firehose keeps retrying; the records are still in CloudWatch Logs for its retention.',
    `Next: look at the stream's delivery metrics in the Firehose console, and check ${props.stream.destination === 's3' ? "the bucket's policy and key" : "the endpoint, its secret and the backup bucket's failed/ prefix"}.`,
  ].join(' ');
  return text.length <= ALARM_DESCRIPTION_MAX_LENGTH ? text : `${text.slice(0, ALARM_DESCRIPTION_MAX_LENGTH - 3)}...`;
}
