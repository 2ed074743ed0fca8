/**
 * The alert-details function against the local fake AWS server (CloudWatch Logs DescribeMetricFilters and
 * FilterLogEvents, SNS Publish), with real alarm notification payloads and the catalog's own patterns.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SNSClient } from '@aws-sdk/client-sns';
import { AWS_NAMES, METRIC_NAMESPACE } from '../../config/names';
import { DETECTIONS } from '../../detections';
import { handleEvent, type Clients, type DetailSettings } from '../../alert-details/handler';
import { alarmEvent } from '../support/alarm-events';
import { fakeCredentials, startFakeAws, type FakeAccount, type FakeAws } from '../support/fake-aws';
import { runPackage } from '../support/lambda-package';
import { queryRow } from '../support/sql-shapes';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const MYSQL_LOG = '/aws/rds/cluster/orders-db/audit';
const PG_LOG = '/aws/rds/cluster/reports/postgresql';
const TOPIC = `arn:aws:sns:${REGION}:${ACCOUNT}:aurora-audit-prod-alarms`;
const CHANGE = '2024-01-21T17:57:04.836+0000';
const AT = Date.parse('2024-01-21T17:56:30Z');

const filterOf = (engine: 'aurora-mysql' | 'aurora-postgresql', cluster: string, logGroupName: string, id: string) => ({
  logGroupName,
  filterName: AWS_NAMES.metricFilter(id),
  filterPattern: DETECTIONS[engine].find((d) => d.id === id)!.pattern,
  metricName: AWS_NAMES.metric(cluster, id),
  metricNamespace: METRIC_NAMESPACE,
});

const ALL_FILTERS = [
  ...['drop-statements', 'failed-connections', 'privilege-changes'].map((id) => filterOf('aurora-mysql', 'orders-db', MYSQL_LOG, id)),
  ...['drop-statements', 'privilege-changes'].map((id) => filterOf('aurora-postgresql', 'reports', PG_LOG, id)),
];

const us = (ms: number) => ms * 1000;

/** The stack's detection alarms as CloudWatch describes them: each in ALARM since CHANGE, notifying the topic. */
const ALARMS = [
  ...['drop-statements', 'failed-connections', 'privilege-changes'].map((id) => ['orders-db', id] as const),
  ...['drop-statements', 'privilege-changes'].map((id) => ['reports', id] as const),
].map(([cluster, id]) => ({
  name: AWS_NAMES.alarm(ACCOUNT, REGION, cluster, id),
  state: 'ALARM' as const,
  stateChanged: '2024-01-21T17:57:04.836Z',
  metricName: AWS_NAMES.metric(cluster, id),
  namespace: METRIC_NAMESPACE,
  actions: [TOPIC],
}));

async function world(events: Record<string, Array<{ timestamp: number; message: string }>>, extra: Partial<FakeAccount['regions'][string]> = {}): Promise<{ aws: FakeAws; clients: Clients }> {
  const aws = await startFakeAws({ accounts: [{ accountId: ACCOUNT, regions: { [REGION]: { metricFilters: ALL_FILTERS, logEvents: events, alarms: ALARMS, ...extra } } }] });
  const config = { endpoint: aws.endpoint, region: REGION, credentials: fakeCredentials(ACCOUNT), maxAttempts: 1 };
  worlds.push(aws);
  return { aws, clients: { cloudwatch: new CloudWatchClient(config), logs: new CloudWatchLogsClient(config), sns: new SNSClient(config) } };
}
const worlds: FakeAws[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

const settings = (over: Partial<DetailSettings> = {}): DetailSettings => ({ topicArn: TOPIC, accountId: ACCOUNT, region: REGION, logGroups: [MYSQL_LOG, PG_LOG], maxLines: 10, redactLiterals: false, maxEvents: 10_000, ...over });
const event = (detection: string, cluster = 'orders-db', state: 'ALARM' | 'OK' = 'ALARM') => alarmEvent({ accountId: ACCOUNT, region: REGION, cluster, detection, state, stateChange: CHANGE });
const line = (message: string, timestamp = AT) => ({ timestamp, message });

/** Chatbot delivers only these keys (docs/facts.md, Alert details). */
function expectChatbotShape(message: Record<string, unknown>): void {
  expect(Object.keys(message).sort()).toEqual(['content', 'id', 'metadata', 'source', 'version']);
  expect(message).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
  expect(Object.keys(message.content as object).sort()).toEqual(['description', 'keywords', 'nextSteps', 'textType', 'title']);
  expect(Object.keys(message.metadata as object).sort()).toEqual(['additionalContext', 'eventType', 'summary', 'threadId']);
}

describe('alert details', () => {
  test('a DROP: one message with the cluster, account, region, time, user@host, database, statement and a Logs Insights link', async () => {
    const drop = queryRow('-- cleanup\nDROP TABLE customers', 'escaped', { user: 'admin', host: '10.0.0.5', database: 'shop', timeUs: us(AT) });
    const { aws, clients } = await world({ [MYSQL_LOG]: [line(drop), line(queryRow('SELECT 1', 'escaped', { timeUs: us(AT) }))] });
    await handleEvent(event('drop-statements'), settings(), clients);

    expect(aws.published).toHaveLength(1);
    const [sent] = aws.published;
    expect(sent).toMatchObject({ topicArn: TOPIC, attributes: { 'aurora-audit': 'alert-details' } });
    const message = JSON.parse(sent.message);
    expectChatbotShape(message);
    expect(message.content.title).toBe(':mag: DROP statements on orders-db: who and what');
    const d: string = message.content.description;
    expect(d).toContain('*Cluster* `orders-db` · *account* `123456789012` · *region* `eu-west-1`');
    expect(d).toContain('*1 matching line* between 17:55:00 and 17:57:04 UTC in `/aws/rds/cluster/orders-db/audit`');
    expect(d).toContain('• `17:56:30` `admin@10.0.0.5` on `shop`: `-- cleanup DROP TABLE customers`');
    expect(d).not.toContain('SELECT 1');
    expect(message.content.nextSteps[0]).toMatch(/^<https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=eu-west-1#logsV2:logs-insights\$3FqueryDetail\$3D~\(end~'[^|>]+\|Open these lines in CloudWatch Logs Insights>$/);
    expect(message.content.nextSteps[1]).toContain('Confirm with the change owner');
    expect(message.metadata).toMatchObject({ threadId: AWS_NAMES.alarm(ACCOUNT, REGION, 'orders-db', 'drop-statements'), additionalContext: { cluster: 'orders-db', account: ACCOUNT, region: REGION } });
    // FilterLogEvents ran with the metric filter's own pattern, found through the alarm's metric.
    // The alarm was read first, in the function's own account and region.
    expect(aws.calls.map((c) => c.action)).toEqual(['DescribeAlarms', 'DescribeMetricFilters', 'FilterLogEvents', 'Publish']);
  });

  test('OK and INSUFFICIENT_DATA notifications, and its own detail messages, send nothing', async () => {
    const { aws, clients } = await world({ [MYSQL_LOG]: [line(queryRow('DROP TABLE t', 'escaped', { timeUs: us(AT) }))] });
    await handleEvent(event('drop-statements', 'orders-db', 'OK'), settings(), clients);
    await handleEvent({ Records: [{ Sns: { Message: JSON.stringify({ version: '1.0', source: 'custom', content: {} }) } }] }, settings(), clients);
    await handleEvent({ Records: [{ Sns: { Message: 'not json' } }] }, settings(), clients);
    expect(aws.published).toEqual([]);
    expect(aws.calls).toEqual([]);
  });

  test('a burst of 10,000 failed logins: one message, well under 256 KB, the first lines and counts by user@host', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => {
      const [user, host] = i % 4 === 0 ? ['app', '10.0.3.7'] : ['root', '203.0.113.9'];
      return line(`${us(AT) + i},orders-db-instance-1,${user},${host},${5000 + i},0,FAILED_CONNECT,,,1045`, AT + Math.floor(i / 1000));
    });
    const { aws, clients } = await world({ [MYSQL_LOG]: rows });
    await handleEvent(event('failed-connections'), settings(), clients);
    expect(aws.published).toHaveLength(1);
    expect(Buffer.byteLength(aws.published[0].message)).toBeLessThan(8 * 1024);
    const d: string = JSON.parse(aws.published[0].message).content.description;
    expect(d).toContain('*10,000 matching lines*');
    expect(d).toContain('• `17:56:30` `app@10.0.3.7`: `FAILED_CONNECT` (error `1045`)');
    expect(d.match(/^• /gm)).toHaveLength(10);
    expect(d).toContain('… and 9,990 more');
    expect(d).toContain('*By user:* `root@203.0.113.9` 7,500 · `app@10.0.3.7` 2,500');
  });

  test('more lines than it reads: it stops at the bound and says there were more', async () => {
    const rows = Array.from({ length: 300 }, (_, i) => line(`${us(AT) + i},n1,root,203.0.113.9,${i},0,FAILED_CONNECT,,,1045`));
    const { aws, clients } = await world({ [MYSQL_LOG]: rows });
    await handleEvent(event('failed-connections'), settings({ maxEvents: 100 }), clients);
    const d: string = JSON.parse(aws.published[0].message).content.description;
    expect(d).toContain('*100+ matching lines*');
    expect(aws.calls.filter((c) => c.action === 'FilterLogEvents').length).toBeLessThanOrEqual(2);
  });

  test('GRANT ... IDENTIFIED BY: the password never leaves the log; with literals redacted, no string does', async () => {
    const grant = queryRow("GRANT ALL ON *.* TO 'bob'@'%' IDENTIFIED BY 'hunter2'", 'escaped', { timeUs: us(AT) });
    const setpw = queryRow("SET PASSWORD FOR 'bob'@'%' = PASSWORD('s3cret')", 'escaped', { timeUs: us(AT) + 1 });
    const { aws, clients } = await world({ [MYSQL_LOG]: [line(grant), line(setpw)] });
    await handleEvent(event('privilege-changes'), settings(), clients);
    const d: string = JSON.parse(aws.published[0].message).content.description;
    expect(d).toContain("`GRANT ALL ON *.* TO 'bob'@'%' IDENTIFIED BY '***'`");
    expect(d).toContain("`SET PASSWORD FOR 'bob'@'%' = PASSWORD('***')`");
    expect(aws.published[0].message).not.toMatch(/hunter2|s3cret/);

    await handleEvent(event('privilege-changes'), settings({ redactLiterals: true }), clients);
    expect(JSON.parse(aws.published[1].message).content.description).toContain("`GRANT ALL ON *.* TO '***'@'***' IDENTIFIED BY '***'`");
  });

  test('Aurora PostgreSQL: user@database, host, the pgAudit class and command, and the statement', async () => {
    const pg = '2024-01-21 17:56:30 UTC:10.0.1.25(50222):app@appdb:[43627]:LOG:  AUDIT: SESSION,4,1,DDL,DROP SCHEMA,SCHEMA,reporting,"DROP SCHEMA reporting, archive CASCADE;",<not logged>';
    const role = "2024-01-21 17:56:31 UTC:10.0.1.25(50222):app@appdb:[43627]:LOG:  AUDIT: SESSION,5,1,ROLE,ALTER ROLE,,,ALTER ROLE bob PASSWORD 'pg-secret';,<not logged>";
    const { aws, clients } = await world({ [PG_LOG]: [line(pg), line(role, AT + 1000)] });
    await handleEvent(event('drop-statements', 'reports'), settings(), clients);
    await handleEvent(event('privilege-changes', 'reports'), settings(), clients);
    const [drop, priv] = aws.published.map((p) => JSON.parse(p.message).content.description as string);
    expect(drop).toContain('• `17:56:30` `app@appdb` from `10.0.1.25(50222)` `DDL DROP SCHEMA`: `DROP SCHEMA reporting, archive CASCADE;`');
    expect(priv).toContain("`ALTER ROLE bob PASSWORD '***';`");
    expect(aws.published[1].message).not.toContain('pg-secret');
  });

  test('what the database wrote cannot mention @channel, link, or break out of its code span', async () => {
    const hostile = queryRow('DROP TABLE `x` /* <!channel> <https://evil.example|click> ``` */', 'escaped', { user: '<@U123>', timeUs: us(AT) });
    const { aws, clients } = await world({ [MYSQL_LOG]: [line(hostile)] });
    await handleEvent(event('drop-statements'), settings(), clients);
    const d: string = JSON.parse(aws.published[0].message).content.description;
    const entry = d.split('\n').find((l) => l.startsWith('• '))!;
    expect(entry).toBe('• `17:56:30` `&lt;@U123&gt;@10.0.0.5` on `app`: `DROP TABLE ˋxˋ /* &lt;!channel&gt; &lt;https://evil.example|click&gt; ˋˋˋ */`');
  });

  test('reads only its stack\'s log groups: a filter on another group publishing the same metric is not followed', async () => {
    const { aws, clients } = await world({ [MYSQL_LOG]: [line(queryRow('DROP TABLE t', 'escaped', { timeUs: us(AT) }))] });
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    await handleEvent(event('drop-statements'), settings({ logGroups: ['/aws/rds/cluster/other/audit'] }), clients);
    expect(aws.published).toEqual([]);
    expect(aws.calls.map((c) => c.action)).toEqual(['DescribeAlarms']);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('"reason":"no metric filter of this stack publishes the metric"'));
    log.mockRestore();
  });

  test('when it fails it throws, publishes nothing, and the alarm still reaches Chatbot: the topic delivers to each subscriber on its own', async () => {
    const { aws, clients } = await world({ [MYSQL_LOG]: [] }, { filterLogEventsError: 'User is not authorized to perform: logs:FilterLogEvents' });
    const alarm = event('drop-statements');
    // The topic's two subscribers: Chatbot, and the function. SNS hands the message to each independently.
    const chatbot: string[] = [];
    const subscribers = [async (m: typeof alarm) => void chatbot.push((m.Records[0] as { Sns: { Message: string } }).Sns.Message), (m: typeof alarm) => handleEvent(m, settings(), clients)];
    const results = await Promise.allSettled(subscribers.map((deliver) => deliver(alarm)));
    expect(results[1]).toMatchObject({ status: 'rejected', reason: expect.objectContaining({ message: expect.stringContaining('not authorized') }) });
    expect(chatbot).toHaveLength(1);
    expect(JSON.parse(chatbot[0])).toMatchObject({ NewStateValue: 'ALARM', AlarmName: AWS_NAMES.alarm(ACCOUNT, REGION, 'orders-db', 'drop-statements') });
    expect(aws.published).toEqual([]);
  });

  test('the package the build made, run the way Lambda runs it (its handler, its environment, the SDK from the runtime), answers an alarm', async () => {
    const drop = queryRow('DROP TABLE customers', 'escaped', { timeUs: us(AT) });
    const { aws } = await world({ [MYSQL_LOG]: [line(drop)] });
    const stdout = await runPackage(aws, ACCOUNT, REGION, event('drop-statements'), { TOPIC_ARN: TOPIC, ACCOUNT_ID: ACCOUNT, LOG_GROUPS: JSON.stringify([MYSQL_LOG]), REDACT_LITERALS: 'false' });
    expect(stdout).toBe('done');
    expect(aws.published).toHaveLength(1);
    expect(JSON.parse(aws.published[0].message).content.description).toContain('`DROP TABLE customers`');
  });
});

/** A message as anyone with sns:Publish could write it: the alarm notification, changed by `change`. */
function forged(change: (message: Record<string, unknown>) => void, detection = 'drop-statements') {
  const base = event(detection);
  const message = JSON.parse(base.Records[0].Sns.Message) as Record<string, unknown>;
  change(message);
  return { Records: [{ ...base.Records[0], Sns: { ...base.Records[0].Sns, Message: JSON.stringify(message) } }] };
}

describe('a forged or stale message is not acted on', () => {
  const drop = () => ({ [MYSQL_LOG]: [line(queryRow('DROP TABLE customers', 'escaped', { timeUs: us(AT) }))] });
  let log: jest.SpyInstance;
  beforeEach(() => (log = jest.spyOn(console, 'log').mockImplementation(() => undefined)));
  afterEach(() => log.mockRestore());

  test('a forged AWSAccountId and Region cannot reach Slack: account, region and link come from the function and the alarm it read', async () => {
    const { aws, clients } = await world(drop());
    await handleEvent(forged((m) => {
      m.AWSAccountId = '123456789012` <!channel> <https://evil.example|log in> `';
      m.Region = '<https://evil.example|EU (Ireland)>';
    }), settings(), clients);
    expect(aws.published).toHaveLength(1);
    const text = aws.published[0].message;
    expect(text).not.toMatch(/evil\.example|<!channel>|!channel/);
    const message = JSON.parse(text);
    expect(message.content.description).toContain('*account* `123456789012` · *region* `eu-west-1`');
    expect(message.content.nextSteps[0]).toMatch(/^<https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=eu-west-1#/);
  });

  test('an alarm ARN naming another region, another account or no region code is refused before any call', async () => {
    const { aws, clients } = await world(drop());
    const name = AWS_NAMES.alarm(ACCOUNT, REGION, 'orders-db', 'drop-statements');
    for (const arn of [
      `arn:aws:cloudwatch:evil.example/x#:${ACCOUNT}:alarm:${name}`,
      `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:${name}`,
      `arn:aws:cloudwatch:${REGION}:999999999999:alarm:${name}`,
    ]) {
      await handleEvent(forged((m) => (m.AlarmArn = arn)), settings(), clients);
    }
    expect(aws.calls).toEqual([]);
    expect(aws.published).toEqual([]);
  });

  test.each([
    ['a name that is not this stack\'s alarm prefix', (m: Record<string, unknown>) => { m.AlarmName = 'billing-alarm'; m.AlarmArn = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:billing-alarm`; }, [] as string[]],
    ['an alarm of the prefix that does not exist', (m: Record<string, unknown>) => {
      const name = AWS_NAMES.alarm(ACCOUNT, REGION, 'orders-db', 'made-up');
      m.AlarmName = name;
      m.AlarmArn = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${name}`;
    }, ['DescribeAlarms']],
    ['a state-change time the alarm never had (a replay, or a guess)', (m: Record<string, unknown>) => (m.StateChangeTime = '2024-01-21T18:30:00.000+0000'), ['DescribeAlarms']],
    ['an unreadable state-change time', (m: Record<string, unknown>) => (m.StateChangeTime = 'yesterday'), ['DescribeAlarms']],
    ['a metric the alarm does not watch: the alarm\'s own is read', (m: Record<string, unknown>) => ((m.Trigger as Record<string, unknown>).MetricName = 'orders-db/failed-connections'), null],
  ])('%s', async (_what, change, calls) => {
    const { aws, clients } = await world(drop());
    await handleEvent(forged(change), settings(), clients);
    if (calls === null) {
      // The alarm read says drop-statements, so the DROP line is what is shown, whatever the message claimed.
      expect(aws.published).toHaveLength(1);
      expect(JSON.parse(aws.published[0].message).content.title).toBe(':mag: DROP statements on orders-db: who and what');
      return;
    }
    expect(aws.calls.map((c) => c.action)).toEqual(calls);
    expect(aws.published).toEqual([]);
  });

  test('an alarm back in OK, or one that does not notify this topic, is not answered', async () => {
    const now = await world(drop(), { alarms: ALARMS.map((a) => ({ ...a, state: 'OK' as const })) });
    await handleEvent(event('drop-statements'), settings(), now.clients);
    expect(now.aws.published).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('"reason":"the alarm is OK now"'));
    const elsewhere = await world(drop(), { alarms: ALARMS.map((a) => ({ ...a, actions: ['arn:aws:sns:eu-west-1:123456789012:someone-else'] })) });
    await handleEvent(event('drop-statements'), settings(), elsewhere.clients);
    expect(elsewhere.aws.published).toEqual([]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('"reason":"the alarm does not notify this topic"'));
  });
});

describe('names from the database are escaped in every field', () => {
  test('a failed login as <!channel>, with zero-width, bidi and look-alike letters: no field carries them raw', async () => {
    const users = ['<!channel>', 'ad\u200Bmin', 'evil\u202Egnp.exe', '\u0430dmin', 'x`*bold*`'];
    const rows = users.flatMap((u, i) => Array.from({ length: 20 - i }, (_, k) => line(`${us(AT) + i * 100 + k},n1,${u},203.0.113.9,${i},0,FAILED_CONNECT,,,1045`)));
    const { aws, clients } = await world({ [MYSQL_LOG]: rows });
    await handleEvent(event('failed-connections'), settings({ maxLines: 3 }), clients);
    const text = aws.published[0].message;
    const message = JSON.parse(text);
    for (const field of [message.content.title, message.content.description, message.metadata.summary, ...message.content.keywords, ...Object.values(message.metadata.additionalContext)]) {
      expect(field).not.toMatch(/<!|<@|[\u200B\u202E\u0430`]*[\u200B\u202E\u0430]/);
    }
    // The most frequent user leads the summary, escaped.
    expect(message.metadata.summary).toBe('failed connections on orders-db: 90 lines, &lt;!channel&gt;@203.0.113.9');
    const d: string = message.content.description;
    expect(d).toContain('`ad[U+200B]min@203.0.113.9` 19');
    expect(d).toContain('`evil[U+202E]gnp.exe@203.0.113.9` 18');
    expect(d).toContain('`[U+0430]dmin@203.0.113.9` 17');
    expect(d).toContain('`xˋ*bold*ˋ@203.0.113.9` 16');
  });

  test('a name in one script other than Latin is shown as written', async () => {
    const { visibleName } = await import('../../alert-details/message');
    expect(visibleName('пользователь')).toBe('пользователь');
    expect(visibleName('ユーザー管理')).toBe('ユーザー管理');
    expect(visibleName('pаypal')).toBe('p[U+0430]ypal');
    // Mostly Cyrillic with one Latin letter: the Latin one is the odd one out.
    expect(visibleName('раураl')).toBe('раура[U+006C]');
  });
});
