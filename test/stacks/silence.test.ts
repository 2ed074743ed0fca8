/**
 * The silence alarm: a cluster's audit log group that receives nothing for a while raises an alarm, because a broken
 * export or auditing switched off looks exactly like a quiet database.
 */
import { configWith, modelOf, problemsOf, type Json } from '../support/fixtures';
import { resources, synthStack } from '../support/synth';

function silenceAlarms(config: Json): Map<string, Json> {
  const json = JSON.parse(synthStack(modelOf(config)));
  return new Map(resources(json, 'aws_cloudwatch_metric_alarm').filter(([, a]) => a.namespace === 'AWS/Logs').map(([id, a]) => [id, a]));
}


describe('the silence alarm', () => {
  test('by default every cluster has one on its audit log group: six quiet hours, missing data breaching, to the stack topic and back', () => {
    const alarms = silenceAlarms(configWith(() => undefined));
    expect([...alarms.keys()].sort()).toEqual(['cluster-billing_silence_alarm', 'cluster-orders-db_silence_alarm']);
    expect(alarms.get('cluster-orders-db_silence_alarm')).toEqual(
      expect.objectContaining({
        alarm_name: 'aurora-audit/123456789012/eu-west-1/orders-db/audit-log/silent',
        namespace: 'AWS/Logs',
        metric_name: 'IncomingLogEvents',
        dimensions: { LogGroupName: '/aws/rds/cluster/orders-db/audit' },
        statistic: 'Sum',
        period: 3600,
        evaluation_periods: 6,
        datapoints_to_alarm: 6,
        comparison_operator: 'LessThanThreshold',
        threshold: 1,
        // A group that receives nothing publishes no IncomingLogEvents at all: that must be the alarm, not "no data".
        treat_missing_data: 'breaching',
        alarm_actions: ['${aws_sns_topic.alarm-topic_topic.arn}'],
        ok_actions: ['${aws_sns_topic.alarm-topic_topic.arn}'],
      }),
    );
    expect(alarms.get('cluster-orders-db_silence_alarm').alarm_description).toContain('for 6 hours to /aws/rds/cluster/orders-db/audit');
  });

  test('PostgreSQL watches its postgresql log, where pgAudit writes', () => {
    const alarms = silenceAlarms(
      configWith((c) => (c.targets[0].clusters = [{ identifier: 'ledger', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'adopt' }])),
    );
    expect([...alarms.values()].map((a) => a.dimensions.LogGroupName)).toEqual(['/aws/rds/cluster/ledger/postgresql']);
  });

  test('the period, the quiet periods and the threshold are set per cluster, and turned off per target or cluster', () => {
    const alarms = silenceAlarms(
      configWith((c) => {
        c.silence = { periodSeconds: 1800 };
        c.targets[0].clusters[0].silence = { evaluationPeriods: 48, threshold: 10 };
        c.targets[0].clusters[1].silence = { enabled: false };
      }),
    );
    expect([...alarms.keys()]).toEqual(['cluster-orders-db_silence_alarm']);
    // The nearest level wins, field by field: the period from the top, the rest from the cluster.
    expect(alarms.get('cluster-orders-db_silence_alarm')).toMatchObject({ period: 1800, evaluation_periods: 48, datapoints_to_alarm: 48, threshold: 10 });
    expect(alarms.get('cluster-orders-db_silence_alarm').alarm_description).toContain('fewer than 10 audit records in each 30-minute period for 24 hours');
    expect(silenceAlarms(configWith((c) => (c.targets[0].silence = { enabled: false })))).toEqual(new Map());
  });

  test('a cluster that does not export its audit log has none, and says why; turned on there, it is an error', () => {
    const model = modelOf(configWith((c) => (c.targets[0].clusters[0].audit = { logTypes: ['error'] })));
    const cluster = model.stacks[0].clusters[0];
    expect(cluster.silence).toBeUndefined();
    expect(cluster.skippedDetections).toContainEqual({ id: 'silence', reason: 'it watches the audit log, which audit.logTypes ["error"] does not export' });
    expect(
      problemsOf(
        configWith((c) => {
          c.targets[0].clusters[0].audit = { logTypes: ['error'] };
          c.targets[0].clusters[0].silence = { enabled: true };
          c.targets[0].clusters[0].detections = { 'drop-statements': { enabled: false }, 'truncate-statements': { enabled: false } };
        }),
      ),
    ).toContainEqual(expect.stringMatching(/^targets\[0\]\.clusters\[0\]\.silence\.enabled: .*does not export it; add audit or set silence\.enabled: false/));
  });

  test.each<[string, Json, string]>([
    ['a period that is not whole minutes', { periodSeconds: 90 }, 'targets[0].clusters[0].silence.periodSeconds: 90 is not a multiple of 60'],
    ['more than a day in all', { periodSeconds: 3600, evaluationPeriods: 25 }, 'targets[0].clusters[0].silence.evaluationPeriods: periodSeconds x evaluationPeriods is 90000 s; CloudWatch allows at most 86400'],
    ['a threshold of 0, which could never fire', { threshold: 0 }, 'targets[0].clusters[0].silence.threshold: 0 must be 1 or more log events'],
    ['an unknown key', { minutes: 5 }, 'targets[0].clusters[0].silence.minutes'],
  ])('%s is refused at its path', (_what, silence, expected) => {
    expect(problemsOf(configWith((c) => (c.targets[0].clusters[0].silence = silence))).join('\n')).toContain(expected);
  });
});
