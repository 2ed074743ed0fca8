import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Construct } from 'constructs';
import { alarmMetric } from './alarm-metric';
import { rdsLogGroupName } from '../config/aws';
import type { ClusterModel } from '../config/model';
import { AWS_NAMES, METRIC_NAMESPACE } from '../config/names';
import { alarmSettings } from './detection-alarms';

export interface CrossAccountAlarmsProps {
  /** The account the alarms live in. */
  readonly monitoringAccountId: string;
  readonly region: string;
  /** The source account of the metrics, and the cluster as its own stack resolved it. */
  readonly sourceAccountId: string;
  readonly cluster: ClusterModel;
  readonly actionArns: readonly string[];
}

/**
 * In the monitoring account, one alarm per detection of a source stack's cluster, on the metric its metric filter
 * publishes in the source account (metric_query with account_id). Names, words, thresholds and actions are the ones
 * the alarm would have in its own account (alarmSettings), so moving between the modes changes no message.
 */
export class CrossAccountAlarms extends Construct {
  constructor(scope: Construct, id: string, props: CrossAccountAlarmsProps) {
    super(scope, id);
    const { cluster } = props;
    const source = { accountId: props.sourceAccountId, region: props.region, clusterIdentifier: cluster.identifier };
    for (const detection of cluster.detections) {
      const id = detection.definition.id;
      new CloudwatchMetricAlarm(this, id, {
        ...alarmSettings(detection, source, rdsLogGroupName(cluster.identifier, detection.definition.logType), props.actionArns),
        ...alarmMetric(
          { namespace: METRIC_NAMESPACE, metricName: AWS_NAMES.metric(cluster.identifier, id), stat: 'Sum', unit: 'Count', period: detection.periodSeconds },
          { queryId: 'matches', metricAccountId: props.sourceAccountId, alarmAccountId: props.monitoringAccountId },
        ),
      });
    }
  }
}
