/**
 * Benchmark: the detail message's latency, from the alarm's SNS delivery to the message published, against the local
 * fake AWS server (test/support/fake-aws.ts), with 10 matching lines and with 10,000. Beside it, in the same run, the
 * same AWS calls made bare (read the alarm, the filters, every page of matching events, publish), so that what the
 * function itself adds shows apart from the server's time. Prints figures; asserts nothing.
 *
 *   npm run bench:alert-latency
 */
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeMetricFiltersCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { handleEvent, type Clients, type DetailSettings } from '../alert-details/handler';
import { AWS_NAMES, METRIC_NAMESPACE } from '../config/names';
import { DETECTIONS } from '../detections';
import { alarmEvent } from '../test/support/alarm-events';
import { fakeCredentials, startFakeAws } from '../test/support/fake-aws';
import { queryRow } from '../test/support/sql-shapes';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const LOG = '/aws/rds/cluster/orders-db/audit';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:aurora-audit-prod-alarms`;
const CHANGE = '2024-01-21T17:57:04.836+0000';
const AT = Date.parse('2024-01-21T17:56:30Z');
const ROUNDS = 5;

async function run(matching: number): Promise<{ function: number; bare: number }> {
  const pattern = DETECTIONS['aurora-mysql'].find((d) => d.id === 'drop-statements')!.pattern;
  // The matching lines among as many others, as a busy cluster's log holds them.
  const events = Array.from({ length: matching * 2 }, (_, i) => ({
    timestamp: AT + i,
    message: queryRow(i % 2 === 0 ? `DROP TABLE t${i}` : `SELECT * FROM t${i}`, 'escaped', { user: `app${i % 7}`, host: `10.0.0.${i % 250}`, timeUs: (AT + i) * 1000 }),
  }));
  const aws = await startFakeAws({
    accounts: [
      {
        accountId: ACCOUNT,
        regions: {
          [REGION]: {
            metricFilters: [{ logGroupName: LOG, filterName: AWS_NAMES.metricFilter('drop-statements'), filterPattern: pattern, metricName: AWS_NAMES.metric('orders-db', 'drop-statements'), metricNamespace: METRIC_NAMESPACE }],
            logEvents: { [LOG]: events },
            alarms: [
              {
                name: AWS_NAMES.alarm(ACCOUNT, REGION, 'orders-db', 'drop-statements'),
                state: 'ALARM',
                stateChanged: '2024-01-21T17:57:04.836Z',
                metricName: AWS_NAMES.metric('orders-db', 'drop-statements'),
                namespace: METRIC_NAMESPACE,
                actions: [TOPIC],
              },
            ],
          },
        },
      },
    ],
  });
  try {
    const config = { endpoint: aws.endpoint, region: REGION, credentials: fakeCredentials(ACCOUNT), maxAttempts: 1 };
    const clients: Clients = { cloudwatch: new CloudWatchClient(config), logs: new CloudWatchLogsClient(config), sns: new SNSClient(config) };
    const settings: DetailSettings = { topicArn: TOPIC, accountId: ACCOUNT, region: REGION, logGroups: [LOG], maxLines: 10, redactLiterals: false, maxEvents: 10_000 };
    const event = alarmEvent({ accountId: ACCOUNT, region: REGION, cluster: 'orders-db', detection: 'drop-statements', state: 'ALARM', stateChange: CHANGE });
    const timed = async (work: () => Promise<unknown>) => {
      const started = process.hrtime.bigint();
      await work();
      return Number(process.hrtime.bigint() - started) / 1e9;
    };
    const bare = async () => {
      await clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [AWS_NAMES.alarm(ACCOUNT, REGION, 'orders-db', 'drop-statements')] }));
      await clients.logs.send(new DescribeMetricFiltersCommand({ logGroupName: LOG }));
      let nextToken: string | undefined;
      let read = 0;
      do {
        const page = await clients.logs.send(new FilterLogEventsCommand({ logGroupName: LOG, filterPattern: pattern, startTime: AT - 60_000, endTime: AT + 600_000, nextToken }));
        read += page.events?.length ?? 0;
        nextToken = page.nextToken;
      } while (nextToken && read < settings.maxEvents);
      await clients.sns.send(new PublishCommand({ TopicArn: TOPIC, Message: '{}' }));
    };
    // Warm both paths once (SDK clients, the server's pattern compile), then take the best of a few rounds each.
    const sent = await handleEvent(event, settings, clients);
    if (sent.length !== 1) throw new Error(`the function sent ${sent.length} messages, not 1`);
    // It read them all: the message counts every matching line.
    const text = JSON.stringify(sent[0]);
    if (process.env.BENCH_SHOW) process.stdout.write(`${JSON.stringify(sent[0].content).slice(0, 600)}\n`);
    if (!text.includes(`*${matching.toLocaleString('en-US')} matching lines*`)) throw new Error(`the message does not count ${matching} lines: ${text.slice(0, 400)}`);
    await bare();
    const fn: number[] = [];
    const raw: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      fn.push(await timed(() => handleEvent(event, settings, clients)));
      raw.push(await timed(bare));
    }
    return { function: Math.min(...fn), bare: Math.min(...raw) };
  } finally {
    await aws.close();
  }
}

void (async () => {
  process.stdout.write(`alert-details latency, from the alarm's SNS delivery to the detail message published (best of ${ROUNDS}, local fake AWS):\n`);
  for (const matching of [10, 10_000]) {
    const r = await run(matching);
    process.stdout.write(
      `  ${matching.toLocaleString('en-US').padStart(6)} matching lines: ${r.function.toFixed(3)} s; the same AWS calls bare: ${r.bare.toFixed(3)} s; the function's own time: ${Math.max(0, r.function - r.bare).toFixed(3)} s (goal: at most 5 s at 10,000)\n`,
    );
  }
})();
