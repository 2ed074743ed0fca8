/**
 * `aurora-audit discover`: clusters and their audit posture, through the real SDK against the fake AWS server.
 */
import { fakeAwsEnv, useEnv } from '../support/aws-env';
import { cli } from '../support/cli';
import { startFakeAws, type FakeAws } from '../support/fake-aws';
import { configWith, tempDir, writeConfig } from '../support/fixtures';

const ACCOUNT = '123456789012';
let aws: FakeAws;
let env: NodeJS.ProcessEnv;
let restore: () => void;

beforeAll(async () => {
  aws = await startFakeAws({
    accounts: [
      {
        accountId: ACCOUNT,
        regions: {
          'eu-west-1': {
            clusters: [
              { identifier: 'orders-db', parameterGroup: 'audited', exports: ['audit', 'error'] },
              { identifier: 'billing', exports: ['error'] },
              { identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4' },
              { identifier: 'catalog', engine: 'docdb', engineVersion: '5.0.0' },
            ],
            parameterGroups: { audited: { server_audit_logging: '1', server_audit_events: 'CONNECT,QUERY_DDL' } },
            logGroups: { '/aws/rds/cluster/orders-db/audit': 365 },
          },
          'eu-central-1': {
            clusters: [{ identifier: 'good-db', parameterGroup: 'audited', exports: ['audit'] }],
            parameterGroups: { audited: { server_audit_logging: '1', server_audit_events: 'CONNECT' } },
            logGroups: { '/aws/rds/cluster/good-db/audit': null },
          },
          'ap-south-1': { accessDenied: true },
          // As the config below has them, but drifted: audit events changed by hand, an export dropped, 7-day retention.
          'eu-north-1': {
            clusters: [
              { identifier: 'ledger', parameterGroup: 'ledger-params', exports: ['audit', 'error', 'general'] },
              { identifier: 'kept', parameterGroup: 'kept-params', exports: ['audit', 'error', 'general', 'slowquery'] },
            ],
            parameterGroups: {
              'ledger-params': { server_audit_logging: '1', server_audit_events: 'CONNECT' },
              'kept-params': { server_audit_logging: '1', server_audit_events: 'CONNECT,QUERY_DCL,QUERY_DDL', server_audit_excl_users: 'rdsadmin' },
            },
            logGroups: { '/aws/rds/cluster/ledger/audit': 7, '/aws/rds/cluster/kept/audit': 365 },
            // Filters of others' on the audit log groups: kept has the two a log group allows.
            subscriptionFilters: { '/aws/rds/cluster/ledger/audit': ['splunk-forwarder'], '/aws/rds/cluster/kept/audit': ['splunk-forwarder', 'datadog-logs'] },
          },
        },
      },
    ],
  });
  // The SDK reads its settings from the process environment.
  restore = useEnv(fakeAwsEnv(aws, ACCOUNT));
  env = process.env;
});

afterAll(async () => {
  restore();
  await aws.close();
});

describe('discover', () => {
  test('prints a table of clusters with their audit posture, and what falls short', async () => {
    const { code, stdout } = await cli(['discover', '--regions', 'eu-west-1'], tempDir(), env);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^ACCOUNT\/REGION\s+CLUSTER\s+ENGINE\s+PARAMETER GROUP\s+AUDITING\s+AUDIT EXPORTED\s+AUDIT LOG RETENTION\s+CHECK$/);
    expect(lines.find((l) => l.includes(' orders-db '))).toMatch(/audited\s+on: CONNECT,QUERY_DDL\s+yes\s+365 days\s+ok$/);
    expect(lines.find((l) => l.includes(' billing '))).toMatch(/default.aurora-mysql8.0 \(default\)\s+off\s+no\s+-\s+FAIL$/);
    expect(lines.find((l) => l.includes(' reports '))).toMatch(/default.aurora-postgresql16 \(default\)\s+off\s+no\s+-\s+FAIL$/);
    expect(lines.find((l) => l.includes(' catalog '))).toMatch(/n\/a$/);
    expect(stdout).toContain('billing: the audit log is not exported to CloudWatch Logs [RDS.34]');
  });

  test('--json prints the same as data', async () => {
    const { code, stdout } = await cli(['discover', '--regions', 'eu-west-1,eu-central-1', '--json'], tempDir(), env);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.problems).toEqual([]);
    expect(result.clusters.find((c: { identifier: string }) => c.identifier === 'good-db')).toEqual({
      accountId: ACCOUNT,
      region: 'eu-central-1',
      identifier: 'good-db',
      engine: 'aurora-mysql',
      engineVersion: '8.0.mysql_aurora.3.05.2',
      family: 'aurora-mysql8.0',
      parameterGroup: 'audited',
      parameterGroupIsDefault: false,
      parameterGroupStatus: 'in-sync',
      auditing: { logging: true, events: ['CONNECT'] },
      exports: ['audit'],
      auditLogExported: true,
      auditLogRetentionDays: null,
      auditLogGroupExists: true,
      auditLogSubscriptionFilters: [],
      compliant: true,
      findings: ['the audit log group never expires (advice: set a retention)'],
      unsupported: null,
    });
  });

  test('--check exits 3 when a cluster falls short, 0 when all pass', async () => {
    const short = await cli(['discover', '--regions', 'eu-west-1', '--check'], tempDir(), env);
    expect(short.code).toBe(3);
    expect(short.stderr).toContain('2 cluster(s) fall short of their audit checks (RDS.34, RDS.45; RDS.37 and pgAudit; the config, where it has them): billing, reports');
    expect((await cli(['discover', '--regions', 'eu-central-1', '--check'], tempDir(), env)).code).toBe(0);
  });

  test('--check cannot pass when a region could not be read', async () => {
    const { code, stderr } = await cli(['discover', '--regions', 'eu-central-1,ap-south-1', '--check'], tempDir(), env);
    expect(code).toBe(1);
    expect(stderr).toContain(`${ACCOUNT}/ap-south-1: access denied`);
  });

  test('looks where the config says when no regions are given', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => (c.targets[0].region = 'eu-central-1')));
    const { code, stdout } = await cli(['discover'], dir, env);
    expect(code).toBe(0);
    expect(stdout).toContain('good-db');
    expect(stdout).not.toContain('eu-west-1');
    // The config's cluster is not in that region: said, with where it was looked for.
    expect(stdout).toContain(`  ${ACCOUNT}/eu-central-1 orders-db: in the config, but AWS does not show it (deleted or renamed?)`);
  });

  test("uses the config's discovery profile", async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => (c.discovery = { profile: 'nobody' })));
    const { stderr } = await cli(['discover'], dir, env);
    expect(stderr).toContain(`${ACCOUNT}/eu-west-1: no AWS credentials found`);
  });

  test('no credentials: one line, exit 1', async () => {
    const { code, stderr } = await cli(['discover', '--profile', 'nobody'], tempDir(), env);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^aurora-audit: no AWS credentials found/)]);
  });

  test('a bad flag is exit 2', async () => {
    expect((await cli(['discover', '--regions', 'mars-1'], tempDir(), env)).code).toBe(2);
  });

  test('--check with a config: drift from it falls short too, every finding names its account and region', async () => {
    const dir = tempDir();
    writeConfig(
      dir,
      configWith((c) => {
        c.targets[0].region = 'eu-north-1';
        c.targets[0].clusters = [
          { identifier: 'ledger', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'adopt' },
          { identifier: 'kept', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'adopt' },
        ];
      }),
    );
    const { code, stdout, stderr } = await cli(['discover', '--check'], dir, env);
    expect(code).toBe(3);
    const findings = stdout.split('\n').filter((l) => l.startsWith('  '));
    expect(findings).toEqual([
      `  ${ACCOUNT}/eu-north-1 ledger: exports audit, error, general, but the config exports audit, error, general, slowquery (drift: slowquery not exported)`,
      `  ${ACCOUNT}/eu-north-1 ledger: server_audit_events is CONNECT, but the config says CONNECT,QUERY_DCL,QUERY_DDL (drift)`,
      `  ${ACCOUNT}/eu-north-1 ledger: the audit log group keeps 7 days, but the config says 365: records older than 7 days are already gone`,
      `  ${ACCOUNT}/eu-north-1: CloudTrail not readable; GuardDuty not readable`,
    ]);
    expect(stderr).toContain('1 cluster(s) fall short');
    expect(stderr).toContain(': ledger.');
  });

  test('--check: a push or archive that would exceed the two subscription filters a log group allows is a finding, before deploy', async () => {
    const dir = tempDir();
    const fleet = (archive: boolean) =>
      configWith((c) => {
        c.targets[0].region = 'eu-north-1';
        c.targets[0].clusters = [
          { identifier: 'ledger', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'adopt' },
          { identifier: 'kept', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'adopt' },
        ];
        if (archive) c.archive = { enabled: true };
      });
    writeConfig(dir, fleet(true));
    const { stdout } = await cli(['discover', '--check'], dir, env);
    const limit = stdout.split('\n').filter((l) => l.includes('subscription filter'));
    // ledger has one filter of its own: with the archive's, two. kept has two already.
    expect(limit).toEqual([
      `  ${ACCOUNT}/eu-north-1 kept: the audit log group has 2 subscription filters of its own (splunk-forwarder, datadog-logs), and the config adds aurora-audit-archive; CloudWatch Logs allows 2 per log group, so the deploy would fail: remove one, or turn off the push or the archive here`,
    ]);
    const json = JSON.parse((await cli(['discover', '--check', '--json'], dir, env)).stdout);
    expect(json.clusters.find((c: { identifier: string }) => c.identifier === 'kept').auditLogSubscriptionFilters).toEqual(['splunk-forwarder', 'datadog-logs']);

    writeConfig(dir, fleet(false));
    expect((await cli(['discover', '--check'], dir, env)).stdout).not.toContain('subscription filter');
  });
});

