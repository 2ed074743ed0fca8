/**
 * Discovery through the real AWS SDK v3 clients, pointed (AWS_ENDPOINT_URL) at a local server that speaks the RDS and
 * STS query protocols, the CloudWatch Logs JSON protocol and the Chatbot REST protocol.
 */
import { discoverClusters, discoverRegion, type DiscoveryProgress } from '../../discovery/clusters';
import { callerIdentity } from '../../discovery/identity';
import { posture } from '../../discovery/posture';
import { describeSlackWorkspaces } from '../../discovery/slack';
import { fakeAwsEnv, useEnv } from '../support/aws-env';
import { startFakeAws, type FakeAws } from '../support/fake-aws';

const ACCOUNT = '123456789012';
const OTHER = '210987654321';
let aws: FakeAws;
let restore: () => void;

beforeAll(async () => {
  aws = await startFakeAws({
    pageSize: 100,
    accounts: [
      {
        accountId: ACCOUNT,
        slackWorkspaces: [{ id: 'T07EA123LEP', name: 'acme' }],
        regions: {
          'eu-west-1': {
            clusters: [
              { identifier: 'orders-db', parameterGroup: 'orders-params', exports: ['audit', 'error'], parameterGroupStatus: 'in-sync' },
              { identifier: 'billing', exports: ['error'] },
              { identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4', exports: ['postgresql'] },
              { identifier: 'legacy', engine: 'mysql', engineVersion: '8.0.39' },
              { identifier: 'catalog', engine: 'docdb', engineVersion: '5.0.0' },
              { identifier: 'analytics', engine: 'aurora-postgresql', engineVersion: '15.6', parameterGroup: 'analytics-pg15', exports: ['postgresql'] },
              { identifier: 'pending', parameterGroup: 'pending-params', exports: ['audit'], parameterGroupStatus: 'pending-reboot' },
            ],
            parameterGroups: {
              'orders-params': { server_audit_logging: '1', server_audit_events: 'CONNECT,QUERY_DDL', max_connections: '500' },
              'pending-params': { server_audit_logging: '1', server_audit_events: 'CONNECT' },
              'analytics-pg15': {
                shared_preload_libraries: { value: 'pg_stat_statements,pgaudit', applyMethod: 'pending-reboot' },
                'pgaudit.log': 'ddl,role',
                work_mem: '65536',
                rds_default_setting: { value: 'x', source: 'engine-default' },
              },
            },
            logGroups: {
              '/aws/rds/cluster/orders-db/audit': 365,
              '/aws/rds/cluster/pending/audit': null,
              '/aws/rds/cluster/orders-db/error': 30,
              '/aws/rds/cluster/analytics/postgresql': 90,
            },
          },
          'eu-central-1': { clusters: Array.from({ length: 250 }, (_, i) => ({ identifier: `db-${i}`, exports: [] })) },
          'us-east-2': { throttleFirst: 2, clusters: [{ identifier: 'throttled-but-found' }] },
          'ap-south-1': { accessDenied: true },
          'sa-east-1': {},
          // An RDS endpoint that accepts requests and never answers them.
          'me-south-1': { hangs: ['rds'], clusters: [{ identifier: 'never-seen' }] },
          // Aurora MySQL 8.4 on its default group and on a custom one, a future major, and a version RDS writes anew.
          'eu-north-1': {
            clusters: [
              { identifier: 'ledger', engineVersion: '8.4.mysql_aurora.8.4.7', exports: ['error'] },
              { identifier: 'ledger-eu', engineVersion: '8.4.mysql_aurora.8.4.7', parameterGroup: 'ledger-84', exports: ['audit'] },
              { identifier: 'next-gen', engineVersion: '9.7.mysql_aurora.9.7.0' },
              { identifier: 'reshaped', engineVersion: '8.4.mysql_aurora.4.0.0' },
              { identifier: 'pg-newest', engine: 'aurora-postgresql', engineVersion: '18.3' },
            ],
            parameterGroups: { 'ledger-84': { server_audit_logging: '1', server_audit_events: 'CONNECT,QUERY_DCL', require_secure_transport: 'ON' } },
            engineFamilies: { '8.4.mysql_aurora.4.0.0': 'aurora-mysql8.4' },
          },
        },
      },
      { accountId: OTHER, regions: { 'us-west-2': { clusters: [{ identifier: 'other-account-db' }] } }, chatbotAccessDenied: true },
    ],
  });
  restore = useEnv(fakeAwsEnv(aws, ACCOUNT));
});

afterAll(async () => {
  restore();
  await aws.close();
});

describe('discovery', () => {
  test('reads engine, version, parameter group, Advanced Auditing, exports and audit log retention', async () => {
    const region = await discoverRegion({}, ACCOUNT, 'eu-west-1');
    expect(region.problem).toBeUndefined();
    const byId = Object.fromEntries(region.clusters.map((c) => [c.identifier, c]));
    expect(byId['orders-db']).toMatchObject({
      engine: 'aurora-mysql',
      engineVersion: '8.0.mysql_aurora.3.05.2',
      parameterGroup: 'orders-params',
      parameterGroupIsDefault: false,
      exports: ['audit', 'error'],
      audit: { logging: true, events: ['CONNECT', 'QUERY_DDL'] },
      auditLogGroup: { retentionDays: 365 },
    });
    expect(byId.billing).toMatchObject({ parameterGroup: 'default.aurora-mysql8.0', parameterGroupIsDefault: true, audit: { logging: false, events: [] } });
    expect(byId.billing.auditLogGroup).toBeUndefined();
    expect(byId.pending.auditLogGroup).toEqual({ retentionDays: null, subscriptionFilters: [] });
  });

  test('records every parameter set in a custom group, with its apply method, and the log groups RDS already made', async () => {
    const region = await discoverRegion({}, ACCOUNT, 'eu-west-1');
    const byId = Object.fromEntries(region.clusters.map((c) => [c.identifier, c]));
    expect(byId['orders-db'].parameters).toEqual({
      server_audit_logging: { value: '1', applyMethod: 'immediate' },
      server_audit_events: { value: 'CONNECT,QUERY_DDL', applyMethod: 'immediate' },
      max_connections: { value: '500', applyMethod: 'immediate' },
    });
    expect(byId['orders-db'].existingLogGroups).toEqual(['audit', 'error']);
    expect(byId.analytics).toMatchObject({
      parameters: {
        shared_preload_libraries: { value: 'pg_stat_statements,pgaudit', applyMethod: 'pending-reboot' },
        'pgaudit.log': { value: 'ddl,role', applyMethod: 'immediate' },
        work_mem: { value: '65536', applyMethod: 'immediate' },
      },
      audit: { logging: true, events: ['ddl', 'role'] },
      existingLogGroups: ['postgresql'],
      auditLogGroup: { retentionDays: 90 },
    });
    expect(byId.analytics.parameters).not.toHaveProperty('rds_default_setting');
  });

  test("for a PostgreSQL cluster on a default group, records the default shared_preload_libraries pgaudit must join", async () => {
    const region = await discoverRegion({}, ACCOUNT, 'eu-west-1');
    const reports = region.clusters.find((c) => c.identifier === 'reports')!;
    expect(reports).toMatchObject({ parameterGroup: 'default.aurora-postgresql16', parameterGroupIsDefault: true, audit: { logging: false, events: [] } });
    expect(reports.parameters).toEqual({ shared_preload_libraries: { value: 'pg_stat_statements', applyMethod: 'pending-reboot' } });
  });

  test('engines aurora-audit does not take yet are found, and say why', async () => {
    const region = await discoverRegion({}, ACCOUNT, 'eu-west-1');
    const reasons = Object.fromEntries(region.clusters.map((c) => [c.identifier, c.unsupported]));
    expect(reasons).toEqual({
      'orders-db': undefined,
      billing: undefined,
      pending: undefined,
      reports: undefined,
      analytics: undefined,
      legacy: 'mysql is not Aurora MySQL or Aurora PostgreSQL',
      catalog: 'docdb is not Aurora MySQL or Aurora PostgreSQL',
    });
  });

  test('Aurora MySQL 8.4 is selectable, with the family AWS gives its version; a major aurora-audit does not know says so', async () => {
    const before = aws.calls.filter((c) => c.action === 'DescribeDBEngineVersions' && c.region === 'eu-north-1').length;
    const region = await discoverRegion({}, ACCOUNT, 'eu-north-1');
    expect(region.problem).toBeUndefined();
    const byId = Object.fromEntries(region.clusters.map((c) => [c.identifier, c]));
    expect(byId.ledger).toMatchObject({
      engineVersion: '8.4.mysql_aurora.8.4.7',
      family: 'aurora-mysql8.4',
      parameterGroup: 'default.aurora-mysql8.4',
      parameterGroupIsDefault: true,
      audit: { logging: false, events: [] },
      unsupported: undefined,
      logGroupsRead: true,
    });
    expect(byId['ledger-eu']).toMatchObject({
      family: 'aurora-mysql8.4',
      parameterGroupIsDefault: false,
      audit: { logging: true, events: ['CONNECT', 'QUERY_DCL'] },
      parameters: { require_secure_transport: { value: 'ON', applyMethod: 'immediate' } },
      unsupported: undefined,
    });
    expect(byId['pg-newest']).toMatchObject({ family: 'aurora-postgresql18', unsupported: undefined });
    // AWS's family vouches for a version written in a way this release has not seen.
    expect(byId.reshaped).toMatchObject({ family: 'aurora-mysql8.4', unsupported: undefined });
    expect(byId['next-gen'].family).toBe('aurora-mysql9.7');
    expect(byId['next-gen'].unsupportedBrief).toBe('Aurora MySQL 9.7 is not known to this release of aurora-audit');
    expect(byId['next-gen'].unsupported).toMatch(/^"9\.7\.mysql_aurora\.9\.7\.0" is not a supported Aurora MySQL version: 9\.7 is a major version this release of aurora-audit does not know; aurora-audit supports 5\.7, 8\.0 and 8\.4/);
    // One DescribeDBEngineVersions per distinct version, not per cluster.
    expect(aws.calls.filter((c) => c.action === 'DescribeDBEngineVersions' && c.region === 'eu-north-1').length - before).toBe(4);
  });

  test('an endpoint that never answers: said to be slow, with the service and endpoint, then given up; other regions still answer', async () => {
    const events: DiscoveryProgress[] = [];
    const results = await discoverClusters(
      [{ session: {}, accountId: ACCOUNT, regions: ['me-south-1', 'sa-east-1'] }],
      undefined,
      (e) => events.push(e),
      // A generous deadline: the region that answers must never be cut off, however busy the machine.
      { slowAfterMs: 200, timeoutMs: 4000 },
    );
    const hung = results.find((r) => r.region === 'me-south-1')!;
    expect(hung.problem).toEqual({ kind: 'timeout', message: expect.stringMatching(/^no answer after 4 s from rds DescribeDBClusters at http:\/\/127\.0\.0\.1:\d+; this region was skipped$/) });
    expect(results.find((r) => r.region === 'sa-east-1')!.problem).toBeUndefined();
    const slow = events.filter((e) => e.kind === 'slow');
    expect(slow.length).toBeGreaterThan(0);
    expect(slow[0]).toMatchObject({ accountId: ACCOUNT, region: 'me-south-1', waitingFor: expect.stringContaining('rds DescribeDBClusters at http://127.0.0.1:') });
    expect(events.filter((e) => e.kind === 'region-done').map((e) => e.kind === 'region-done' && e.done)).toEqual([1, 2]);
  });

  test('follows pagination to the last page', async () => {
    const before = aws.calls.filter((c) => c.action === 'DescribeDBClusters' && c.region === 'eu-central-1').length;
    const region = await discoverRegion({}, ACCOUNT, 'eu-central-1');
    expect(region.clusters).toHaveLength(250);
    expect(new Set(region.clusters.map((c) => c.identifier)).size).toBe(250);
    expect(aws.calls.filter((c) => c.action === 'DescribeDBClusters' && c.region === 'eu-central-1').length - before).toBe(3);
  });

  test('retries throttled calls with backoff and gets there', async () => {
    const region = await discoverRegion({}, ACCOUNT, 'us-east-2');
    expect(region.problem).toBeUndefined();
    expect(region.clusters.map((c) => c.identifier)).toEqual(['throttled-but-found']);
    expect(aws.calls.filter((c) => c.action === 'DescribeDBClusters' && c.region === 'us-east-2')).toHaveLength(3);
  });

  test('a region that denies access is reported, and the others still answer', async () => {
    const results = await discoverClusters([{ session: {}, accountId: ACCOUNT, regions: ['ap-south-1', 'sa-east-1', 'eu-west-1'] }]);
    expect(results.map((r) => [r.region, r.problem?.kind, r.clusters.length])).toEqual([
      ['ap-south-1', 'access-denied', 0],
      ['sa-east-1', undefined, 0],
      ['eu-west-1', undefined, 7],
    ]);
  });

  test('assumes a role to discover another account', async () => {
    const [result] = await discoverClusters([{ session: { roleArn: `arn:aws:iam::${OTHER}:role/aurora-audit` }, accountId: OTHER, regions: ['us-west-2'] }]);
    expect(result.clusters.map((c) => [c.accountId, c.identifier])).toEqual([[OTHER, 'other-account-db']]);
    expect(aws.calls).toContainEqual(expect.objectContaining({ service: 'sts', action: 'AssumeRole', accountId: ACCOUNT }));
  });

  test('assumes the role once per account, not once per region or client', async () => {
    const before = aws.calls.filter((c) => c.action === 'AssumeRole').length;
    await discoverClusters([{ session: { roleArn: `arn:aws:iam::${OTHER}:role/aurora-audit` }, accountId: OTHER, regions: ['us-west-2', 'eu-west-1', 'us-east-1'] }]);
    expect(aws.calls.filter((c) => c.action === 'AssumeRole').length - before).toBe(1);
  });

  test('a role that cannot be assumed is a problem for that account, not a crash', async () => {
    const [result] = await discoverClusters([{ session: { roleArn: 'arn:aws:iam::999999999999:role/nope' }, accountId: '999999999999', regions: ['eu-west-1'] }]);
    expect(result.problem?.kind).toBe('access-denied');
  });
});

describe('identity and Slack', () => {
  test('resolves the account of the identity', async () => {
    expect(await callerIdentity({}, 'eu-west-1')).toEqual({ accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/dba` });
  });

  test('a missing profile is "no credentials", in one line', async () => {
    const identity = await callerIdentity({ profile: 'does-not-exist' }, 'eu-west-1');
    expect(identity).toEqual({ problem: { kind: 'no-credentials', message: expect.stringContaining('no AWS credentials') } });
  });

  test('lists the authorized Slack workspaces, or says access was denied', async () => {
    expect(await describeSlackWorkspaces({}, 'eu-west-1')).toEqual({ workspaces: [{ id: 'T07EA123LEP', name: 'acme' }] });
    const denied = await describeSlackWorkspaces({ roleArn: `arn:aws:iam::${OTHER}:role/aurora-audit` }, 'eu-west-1');
    expect(denied).toEqual({ problem: expect.objectContaining({ kind: 'access-denied' }) });
  });
});

describe('posture (Security Hub RDS.34 and RDS.45)', () => {
  test('passes only with auditing on, events set, the group in sync and the audit log exported', async () => {
    const region = await discoverRegion({}, ACCOUNT, 'eu-west-1');
    const byId = Object.fromEntries(region.clusters.map((c) => [c.identifier, posture(c)]));
    expect(byId['orders-db']).toEqual({ compliant: true, findings: [] });
    expect(byId.billing.compliant).toBe(false);
    expect(byId.billing.findings).toEqual([
      'Advanced Auditing is off (server_audit_logging is not 1) [RDS.45]',
      'the audit log is not exported to CloudWatch Logs [RDS.34]',
    ]);
    expect(byId.pending).toEqual({
      compliant: false,
      findings: ['parameter group is pending-reboot: reboot the writer to apply it [RDS.45]', 'the audit log group never expires (advice: set a retention)'],
    });
    expect(byId.reports).toEqual({
      compliant: false,
      findings: ['pgAudit is off (not in shared_preload_libraries, or pgaudit.log is none)'],
    });
    // Compliant, with advice: 90 days is under the year the frameworks ask for (the advice holds without a config).
    expect(byId.analytics).toEqual({ compliant: true, findings: ['the audit log group keeps 90 days (advice: under the year PCI DSS v4.0 (requirement 10.5.1) and OMB M-21-31 ask for; keep 365 or more)'] });
    expect(byId.catalog.compliant).toBeUndefined();
  });
});
