/**
 * The alert-details function in monitoring-account mode, against the local fake AWS server with two source accounts
 * in two regions: it reads the alarm back in the monitoring account, takes the source account from the alarm's
 * metric query, assumes that account's reader role for this alarm, and reads the lines there.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { AWS_NAMES, METRIC_NAMESPACE } from '../../config/names';
import { DETECTIONS } from '../../detections';
import { handleEvent, type Clients, type DetailSettings } from '../../alert-details/handler';
import { alarmEvent } from '../support/alarm-events';
import { fakeCredentials, startFakeAws, type FakeAccount, type FakeAws } from '../support/fake-aws';
import { runPackage } from '../support/lambda-package';
import { queryRow } from '../support/sql-shapes';

const MONITORING = '999999999999';
const PAYMENTS = '111111111111';
const WEB = '222222222222';
const STRANGER = '333333333333';
const REGIONS = ['eu-west-1', 'us-east-1'] as const;
type Region = (typeof REGIONS)[number];
const CHANGE = '2024-01-21T17:57:04.836+0000';
const AT = Date.parse('2024-01-21T17:56:30Z');
const us = (ms: number) => ms * 1000;
const topicOf = (region: Region) => `arn:aws:sns:${region}:${MONITORING}:${AWS_NAMES.topic(`monitoring-${region}`)}`;
const readerArn = (account: string, region: Region) => `arn:aws:iam::${account}:role/${AWS_NAMES.alertDetailsReader(region)}`;

/** Each source account's clusters per region: MySQL `<name>` and PostgreSQL `<name>-pg`, a DROP line in each. */
const CLUSTERS: Record<string, Record<Region, string>> = { [PAYMENTS]: { 'eu-west-1': 'payments', 'us-east-1': 'payments-us' }, [WEB]: { 'eu-west-1': 'shop', 'us-east-1': 'shop-us' } };
const DETECTED = ['drop-statements', 'privilege-changes'] as const;

function sourceAccount(accountId: string, roles: readonly string[] = REGIONS.map((r) => AWS_NAMES.alertDetailsReader(r))): FakeAccount {
  const regions: FakeAccount['regions'] = Object.fromEntries(
    REGIONS.map((region) => {
      const mysql = CLUSTERS[accountId]?.[region] ?? 'elsewhere';
      const pg = `${mysql}-pg`;
      const filters = DETECTED.flatMap((id) => [
        { logGroupName: `/aws/rds/cluster/${mysql}/audit`, filterName: AWS_NAMES.metricFilter(id), filterPattern: DETECTIONS['aurora-mysql'].find((d) => d.id === id)!.pattern, metricName: AWS_NAMES.metric(mysql, id), metricNamespace: METRIC_NAMESPACE },
        { logGroupName: `/aws/rds/cluster/${pg}/postgresql`, filterName: AWS_NAMES.metricFilter(id), filterPattern: DETECTIONS['aurora-postgresql'].find((d) => d.id === id)!.pattern, metricName: AWS_NAMES.metric(pg, id), metricNamespace: METRIC_NAMESPACE },
      ]);
      const logEvents = {
        [`/aws/rds/cluster/${mysql}/audit`]: [
          { timestamp: AT, message: queryRow(`DROP TABLE ${mysql}_${region.replace(/-/g, '_')}`, 'escaped', { user: `dba_${accountId.slice(0, 3)}`, timeUs: us(AT) }) },
          { timestamp: AT, message: queryRow("GRANT ALL ON *.* TO 'eve'@'%' IDENTIFIED BY 'hunter2'", 'escaped', { timeUs: us(AT) + 1 }) },
        ],
        [`/aws/rds/cluster/${pg}/postgresql`]: [
          { timestamp: AT, message: `2024-01-21 17:56:30 UTC:10.0.1.25(50222):app@appdb:[43627]:LOG:  AUDIT: SESSION,4,1,DDL,DROP TABLE,TABLE,public.${pg.replace(/-/g, '_')},DROP TABLE ${pg.replace(/-/g, '_')};,<not logged>` },
        ],
      };
      // The reader role may read the stack's detection log groups only (modules/alert-details-reader-role.ts): a
      // PostgreSQL cluster has no audit group among them.
      return [region, { metricFilters: filters, logEvents, deniedLogGroups: [`/aws/rds/cluster/${pg}/audit`] }];
    }),
  );
  return { accountId, regions, roles };
}

/** The monitoring account's alarms of one region: every source cluster's detections, read through metric queries. */
function monitoringAccount(over: (alarm: NonNullable<FakeAccount['regions'][string]['alarms']>[number]) => object = () => ({})): FakeAccount {
  const regions: FakeAccount['regions'] = Object.fromEntries(
    REGIONS.map((region) => [
      region,
      {
        alarms: [PAYMENTS, WEB, STRANGER].flatMap((account) => {
          const mysql = CLUSTERS[account]?.[region] ?? 'elsewhere';
          return [mysql, `${mysql}-pg`].flatMap((cluster) =>
            DETECTED.map((id) => {
              const alarm = {
                name: AWS_NAMES.alarm(account, region, cluster, id),
                state: 'ALARM' as const,
                stateChanged: '2024-01-21T17:57:04.836Z',
                metricName: AWS_NAMES.metric(cluster, id),
                namespace: METRIC_NAMESPACE,
                actions: [topicOf(region)],
                metricQuery: { accountId: account },
              };
              return { ...alarm, ...over(alarm) };
            }),
          );
        }),
      },
    ]),
  );
  return { accountId: MONITORING, regions };
}

const worlds: FakeAws[] = [];
afterEach(async () => {
  for (const w of worlds.splice(0)) await w.close();
});

async function fleet(accounts: FakeAccount[] = [monitoringAccount(), sourceAccount(PAYMENTS), sourceAccount(WEB), sourceAccount(STRANGER)]): Promise<{ aws: FakeAws; clientsIn: (region: Region) => Clients }> {
  const aws = await startFakeAws({ accounts });
  worlds.push(aws);
  const clientsIn = (region: Region): Clients => {
    const config = { endpoint: aws.endpoint, region, credentials: fakeCredentials(MONITORING), maxAttempts: 1 };
    return {
      cloudwatch: new CloudWatchClient(config),
      logs: new CloudWatchLogsClient(config),
      sns: new SNSClient(config),
      sts: new STSClient(config),
      logsAs: (credentials) => new CloudWatchLogsClient({ ...config, credentials }),
    };
  };
  return { aws, clientsIn };
}

const settingsIn = (region: Region, over: Partial<NonNullable<DetailSettings['sources']>> = {}): DetailSettings => ({
  topicArn: topicOf(region),
  accountId: MONITORING,
  region,
  logGroups: [],
  maxLines: 10,
  redactLiterals: false,
  maxEvents: 10_000,
  sources: { accounts: [PAYMENTS, WEB], redactAccounts: [], readerRoleName: AWS_NAMES.alertDetailsReader(region), ...over },
});

const alarmOf = (account: string, region: Region, cluster: string, detection: string) =>
  alarmEvent({ accountId: account, region, cluster, detection, stateChange: CHANGE, regionName: region === 'us-east-1' ? 'US East (N. Virginia)' : 'EU (Ireland)', monitoring: { accountId: MONITORING, topicArn: topicOf(region) } });

describe('the monitoring account\'s alert-details function', () => {
  test('two accounts, two regions: each alarm gets the lines of its own account and region, read through that account\'s reader role, assumed for that alarm', async () => {
    const { aws, clientsIn } = await fleet();
    for (const region of REGIONS) {
      for (const account of [PAYMENTS, WEB]) {
        const cluster = CLUSTERS[account][region];
        await handleEvent(alarmOf(account, region, cluster, 'drop-statements'), settingsIn(region), clientsIn(region));
        await handleEvent(alarmOf(account, region, `${cluster}-pg`, 'drop-statements'), settingsIn(region), clientsIn(region));
      }
    }
    expect(aws.published).toHaveLength(8);
    let i = 0;
    for (const region of REGIONS) {
      for (const account of [PAYMENTS, WEB]) {
        const cluster = CLUSTERS[account][region];
        for (const [shown, table] of [
          [cluster, `${cluster}_${region.replace(/-/g, '_')}`],
          [`${cluster}-pg`, `${cluster.replace(/-/g, '_')}_pg`],
        ]) {
          const sent = aws.published[i++];
          // Published by the monitoring account, on its topic of the region.
          expect(sent).toMatchObject({ topicArn: topicOf(region), accountId: MONITORING, region, attributes: { 'aurora-audit': 'alert-details' } });
          const message = JSON.parse(sent.message);
          expect(message.content.description).toContain(`*Cluster* \`${shown}\` · *account* \`${account}\` · *region* \`${region}\``);
          expect(message.content.description).toContain(`DROP TABLE ${table}`);
          expect(message.metadata.additionalContext).toEqual(expect.objectContaining({ cluster: shown, account, region }));
        }
      }
    }
    // Per alarm: the alarm read back in the monitoring account, the role assumed there, the lines read in the source
    // account and region with the role's credentials, and the message published by the monitoring account.
    const perAlarm = (account: string, region: Region) => [
      { service: 'monitoring', action: 'DescribeAlarms', accountId: MONITORING, region },
      { service: 'sts', action: 'AssumeRole', accountId: MONITORING, region, roleArn: readerArn(account, region) },
      { service: 'logs', action: 'DescribeMetricFilters', accountId: account, region },
      { service: 'logs', action: 'FilterLogEvents', accountId: account, region },
      { service: 'sns', action: 'Publish', accountId: MONITORING, region },
    ];
    const mysqlThenPg = (account: string, region: Region) => {
      const [mysql, pg] = [perAlarm(account, region), perAlarm(account, region)];
      // The MySQL cluster's alarm finds its filter on the audit group; the PostgreSQL one asks there first (the
      // catalog's log types, in order), is refused, and finds it on the postgresql group.
      pg.splice(3, 0, { service: 'logs', action: 'DescribeMetricFilters', accountId: account, region });
      return [...mysql, ...pg];
    };
    expect(aws.calls).toEqual(REGIONS.flatMap((region) => [PAYMENTS, WEB].flatMap((account) => mysqlThenPg(account, region))));
  });

  test('redaction is each source account\'s own: string literals are replaced for the account that asks, passwords for every account', async () => {
    const { aws, clientsIn } = await fleet();
    const settings = settingsIn('eu-west-1', { redactAccounts: [WEB] });
    await handleEvent(alarmOf(PAYMENTS, 'eu-west-1', 'payments', 'privilege-changes'), settings, clientsIn('eu-west-1'));
    await handleEvent(alarmOf(WEB, 'eu-west-1', 'shop', 'privilege-changes'), settings, clientsIn('eu-west-1'));
    const [payments, web] = aws.published.map((p) => JSON.parse(p.message).content.description as string);
    expect(payments).toContain("`GRANT ALL ON *.* TO 'eve'@'%' IDENTIFIED BY '***'`");
    expect(web).toContain("`GRANT ALL ON *.* TO '***'@'***' IDENTIFIED BY '***'`");
    expect(aws.published.map((p) => p.message).join('')).not.toContain('hunter2');
  });

  test('a custom detection of the config (not in the catalog) is found on whichever of the cluster\'s log groups holds its filter', async () => {
    const custom = { logGroupName: '/aws/rds/cluster/payments/audit', filterName: AWS_NAMES.metricFilter('sleepers'), filterPattern: '"SLEEP("', metricName: AWS_NAMES.metric('payments', 'sleepers'), metricNamespace: METRIC_NAMESPACE };
    const source = sourceAccount(PAYMENTS);
    const region = source.regions['eu-west-1'];
    const withCustom: FakeAccount = {
      ...source,
      regions: {
        ...source.regions,
        'eu-west-1': { ...region, metricFilters: [...(region.metricFilters ?? []), custom], logEvents: { ...region.logEvents, [custom.logGroupName]: [{ timestamp: AT, message: queryRow('SELECT SLEEP(30)', 'escaped', { timeUs: us(AT) }) }] } },
      },
    };
    const alarm = { name: AWS_NAMES.alarm(PAYMENTS, 'eu-west-1', 'payments', 'sleepers'), state: 'ALARM' as const, stateChanged: '2024-01-21T17:57:04.836Z', metricName: custom.metricName, namespace: METRIC_NAMESPACE, actions: [topicOf('eu-west-1')], metricQuery: { accountId: PAYMENTS } };
    const monitoring = monitoringAccount();
    const { aws, clientsIn } = await fleet([{ ...monitoring, regions: { ...monitoring.regions, 'eu-west-1': { alarms: [...(monitoring.regions['eu-west-1'].alarms ?? []), alarm] } } }, withCustom, sourceAccount(WEB)]);
    await handleEvent(alarmOf(PAYMENTS, 'eu-west-1', 'payments', 'sleepers'), settingsIn('eu-west-1'), clientsIn('eu-west-1'));
    expect(aws.published).toHaveLength(1);
    expect(JSON.parse(aws.published[0].message).content.description).toContain('SELECT SLEEP(30)');
  });

  test('the package the build made, run the way Lambda runs it with the environment the monitoring stack gives it, answers an alarm of a source account', async () => {
    const { aws } = await fleet();
    const stdout = await runPackage(aws, MONITORING, 'us-east-1', alarmOf(WEB, 'us-east-1', 'shop-us', 'drop-statements'), {
      TOPIC_ARN: topicOf('us-east-1'),
      ACCOUNT_ID: MONITORING,
      SOURCE_ACCOUNTS: `${PAYMENTS},${WEB}`,
      REDACT_ACCOUNTS: '',
      READER_ROLE: AWS_NAMES.alertDetailsReader('us-east-1'),
    });
    expect(stdout).toBe('done');
    expect(aws.published).toHaveLength(1);
    expect(JSON.parse(aws.published[0].message).content.description).toContain('`DROP TABLE shop-us_us_east_1`');
    expect(aws.calls.find((c) => c.action === 'AssumeRole')).toMatchObject({ accountId: MONITORING, roleArn: readerArn(WEB, 'us-east-1') });
  });
});

describe('in the monitoring account, a message is not acted on unless the alarm read back says so', () => {
  let log: jest.SpyInstance;
  beforeEach(() => (log = jest.spyOn(console, 'log').mockImplementation(() => undefined)));
  afterEach(() => log.mockRestore());
  const reasons = () => log.mock.calls.map(([text]) => JSON.parse(String(text)).reason as string);

  test('an alarm whose metric is of an account without the detail message: no role is assumed', async () => {
    const { aws, clientsIn } = await fleet();
    await handleEvent(alarmOf(STRANGER, 'eu-west-1', 'elsewhere', 'drop-statements'), settingsIn('eu-west-1'), clientsIn('eu-west-1'));
    expect(aws.calls.map((c) => c.action)).toEqual(['DescribeAlarms']);
    expect(aws.published).toEqual([]);
    expect(reasons()).toEqual(['the alarm\'s metric is not of a source account with the detail message on']);
  });

  test('an alarm named for one source account that reads another\'s metric: the name and the metric must agree', async () => {
    // Someone who may put alarms in the monitoring account makes payments' alarm read web's metric.
    const { aws, clientsIn } = await fleet([monitoringAccount((a) => (a.name.startsWith(AWS_NAMES.alarmPrefix(PAYMENTS, 'eu-west-1')) ? { metricQuery: { accountId: WEB } } : {})), sourceAccount(PAYMENTS), sourceAccount(WEB)]);
    await handleEvent(alarmOf(PAYMENTS, 'eu-west-1', 'payments', 'drop-statements'), settingsIn('eu-west-1'), clientsIn('eu-west-1'));
    expect(aws.calls.map((c) => c.action)).toEqual(['DescribeAlarms']);
    expect(reasons()).toEqual(['the alarm\'s name is not of its metric\'s account']);
  });

  test('a message naming an alarm in a source account, or in the monitoring account of another region, is refused before any call', async () => {
    const { aws, clientsIn } = await fleet();
    const inSource = alarmEvent({ accountId: PAYMENTS, region: 'eu-west-1', cluster: 'payments', detection: 'drop-statements', stateChange: CHANGE });
    await handleEvent(inSource, settingsIn('eu-west-1'), clientsIn('eu-west-1'));
    await handleEvent(alarmOf(PAYMENTS, 'us-east-1', 'payments-us', 'drop-statements'), settingsIn('eu-west-1'), clientsIn('eu-west-1'));
    expect(aws.calls).toEqual([]);
    expect(reasons()).toEqual(['the alarm ARN is not of this account and region', 'the alarm ARN is not of this account and region']);
  });

  test('an alarm on another namespace (a silence alarm), or one that is OK now, is not answered', async () => {
    const { aws, clientsIn } = await fleet([monitoringAccount((a) => (a.name.endsWith('/drop-statements') ? { namespace: 'AWS/Logs', metricName: 'IncomingLogEvents' } : { state: 'OK' })), sourceAccount(PAYMENTS), sourceAccount(WEB)]);
    await handleEvent(alarmOf(PAYMENTS, 'eu-west-1', 'payments', 'drop-statements'), settingsIn('eu-west-1'), clientsIn('eu-west-1'));
    await handleEvent(alarmOf(PAYMENTS, 'eu-west-1', 'payments', 'privilege-changes'), settingsIn('eu-west-1'), clientsIn('eu-west-1'));
    expect(aws.calls.map((c) => c.action)).toEqual(['DescribeAlarms', 'DescribeAlarms']);
    expect(reasons()).toEqual(['the alarm watches no detection metric', 'the alarm is OK now']);
  });

  test('a source account whose reader role cannot be assumed: it throws and publishes nothing (the alarm itself reached Chatbot from the topic)', async () => {
    const { aws, clientsIn } = await fleet([monitoringAccount(), sourceAccount(PAYMENTS, []), sourceAccount(WEB)]);
    await expect(handleEvent(alarmOf(PAYMENTS, 'eu-west-1', 'payments', 'drop-statements'), settingsIn('eu-west-1'), clientsIn('eu-west-1'))).rejects.toThrow(/not authorized to perform sts:AssumeRole/);
    expect(aws.published).toEqual([]);
    expect(aws.calls.map((c) => c.action)).toEqual(['DescribeAlarms', 'AssumeRole']);
  });
});
