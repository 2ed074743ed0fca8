import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { Testing } from 'cdktf';
import type { DetectionModel } from '../../config/model';
import { AURORA_MYSQL_DETECTIONS } from '../../detections/aurora-mysql';
import { AWS_NAMES } from '../../config/names';
import { DetectionAlarms } from '../../modules/detection-alarms';
import { resources } from '../support/synth';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:aurora-audit-prod-alarms';
const detections: DetectionModel[] = AURORA_MYSQL_DETECTIONS.filter((d) => d.logType === 'audit').map((definition) => ({ definition, ...definition.defaults, notifyOnOk: definition.notifyOnOk }));

const synth = () =>
  Testing.synthScope((scope) => {
    new DetectionAlarms(scope, 'alarms', {
      clusterIdentifier: 'orders-db',
      accountId: '123456789012',
      region: 'eu-west-1',
      logGroupNames: new Map([['audit', '/aws/rds/cluster/orders-db/audit']]),
      detections,
      actionArns: [TOPIC],
    });
  });

describe('DetectionAlarms', () => {
  const json = synth();

  test('a metric filter per detection on the audit log group, counting 1 per match', () => {
    for (const d of detections.map((x) => x.definition)) {
      expect(json).toHaveResourceWithProperties(CloudwatchLogMetricFilter, {
        log_group_name: '/aws/rds/cluster/orders-db/audit',
        pattern: d.pattern,
        metric_transformation: { name: `orders-db/${d.id}`, namespace: 'AuroraAudit', value: '1', unit: 'Count' },
      });
    }
  });

  test('no default value, which would conflict with dimensions and bill for zeros', () => {
    for (const [, filter] of resources(json, 'aws_cloudwatch_log_metric_filter')) expect(filter.metric_transformation).not.toHaveProperty('default_value');
  });

  test('alarms sum counts, treat missing data as not breaching, and notify the topic on ALARM and OK', () => {
    expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'aurora-audit/123456789012/eu-west-1/orders-db/drop-statements',
      namespace: 'AuroraAudit',
      metric_name: 'orders-db/drop-statements',
      statistic: 'Sum',
      unit: 'Count',
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      threshold: 1,
      period: 60,
      evaluation_periods: 1,
      datapoints_to_alarm: 1,
      treat_missing_data: 'notBreaching',
      alarm_actions: [TOPIC],
      ok_actions: [],
    });
    expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, { metric_name: 'orders-db/failed-connections', threshold: 5, period: 300, ok_actions: [TOPIC] });
  });

  test('one DROP gives the channel one ALARM and no OK a minute later; rates say when they end; the config decides', () => {
    const okOf = (json: string) => Object.fromEntries(resources(json, 'aws_cloudwatch_metric_alarm').map(([, a]) => [a.metric_name.split('/')[1], a.ok_actions]));
    expect(okOf(json)).toEqual({ 'drop-statements': [], 'failed-connections': [TOPIC], 'privilege-changes': [], 'truncate-statements': [], 'schema-changes': [] });
    const flipped = Testing.synthScope((scope) => {
      new DetectionAlarms(scope, 'alarms', {
        clusterIdentifier: 'orders-db',
        accountId: '123456789012',
        region: 'eu-west-1',
        logGroupNames: new Map([['audit', '/aws/rds/cluster/orders-db/audit']]),
        detections: detections.map((d) => ({ ...d, notifyOnOk: !d.notifyOnOk })),
        actionArns: [TOPIC],
      });
    });
    expect(okOf(flipped)['drop-statements']).toEqual([TOPIC]);
    expect(okOf(flipped)['failed-connections']).toEqual([]);
  });

  test('descriptions say what happened and what to do next', () => {
    const [, drop] = resources(json, 'aws_cloudwatch_metric_alarm').find(([, a]) => a.metric_name.endsWith('drop-statements'))!;
    expect(drop.alarm_description).toMatch(/^DROP statements on Aurora cluster orders-db \(account 123456789012, eu-west-1\): at least one in 1 minute\./);
    expect(drop.alarm_description).toContain('Next: Confirm with the change owner');
    expect(drop.alarm_description).toContain('/aws/rds/cluster/orders-db/audit');
    expect(drop.alarm_description.length).toBeLessThanOrEqual(1024);
  });

  test('alarm names are deterministic and unique across accounts, regions, clusters and detections', () => {
    const alarmName = AWS_NAMES.alarm;
    const names = new Set([
      alarmName('123456789012', 'eu-west-1', 'orders-db', 'drop-statements'),
      alarmName('123456789012', 'us-east-2', 'orders-db', 'drop-statements'),
      alarmName('210987654321', 'eu-west-1', 'orders-db', 'drop-statements'),
      alarmName('123456789012', 'eu-west-1', 'orders-db', 'failed-connections'),
      // A cluster and a detection whose hyphenated names run together the same way stay apart.
      alarmName('123456789012', 'eu-west-1', 'orders', 'db-drop-statements'),
    ]);
    expect(names.size).toBe(5);
    expect(alarmName('123456789012', 'eu-west-1', 'orders-db', 'drop-statements')).toBe(alarmName('123456789012', 'eu-west-1', 'orders-db', 'drop-statements'));
    expect(alarmName('123456789012', 'ap-southeast-5', 'a'.repeat(63), 'x'.repeat(250)).length).toBeLessThanOrEqual(255);
  });
});
