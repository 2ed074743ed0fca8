/**
 * `aurora-audit verify` against the fake AWS server holding what an apply of the stack leaves: AWS built from the
 * Terraform state of the synthesized stack (test/support/deployed-world.ts), then changed the way an attacker or a
 * hand in the console would change it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { verifyPolicy } from '../../cli/verify/policy';
import { cli } from '../support/cli';
import { fakeAwsEnv, useEnv } from '../support/aws-env';
import { deployedAccount, trailEverywhere, type WorldRegion } from '../support/deployed-world';
import { startFakeAws, type FakeAws, type FakeAwsOptions } from '../support/fake-aws';
import { tempDir, type Json } from '../support/fixtures';
import { stateAfterApply, type StateResource } from '../support/state';
import { describeWithTerraform } from '../support/terraform';
import { config, DEPLOYED, deployedState, oldRegion, synth } from '../support/transitions';

const ACCOUNT = '123456789012';
const AUDIT_GROUPS = ['/aws/rds/cluster/orders-db/audit', '/aws/rds/cluster/legacy-db/audit'];

describeWithTerraform('aurora-audit verify', ['verify against what an apply of the stack leaves'], () => {
  let json: Json;
  let state: StateResource[];
  let dir: string;
  const servers: FakeAws[] = [];

  beforeAll(async () => {
    const deployed = await deployedState();
    json = deployed.before.get('production');
    state = deployed.state;
    dir = tempDir();
    fs.copyFileSync(DEPLOYED, path.join(dir, 'aurora-audit.yaml'));
  });
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
  });

  /** The account as the apply left it, with trails logging everywhere and audit events arriving; then `change`. */
  async function deployedAws(change: (regions: Record<string, WorldRegion>) => void = () => undefined, options: Partial<FakeAwsOptions> = {}): Promise<FakeAws> {
    const account = deployedAccount(ACCOUNT, [{ json, state }], (regions) => {
      trailEverywhere(regions, [json]);
      regions['eu-west-1'] = { ...regions['eu-west-1'], metrics: AUDIT_GROUPS.map((g) => ({ namespace: 'AWS/Logs', metricName: 'IncomingLogEvents', dimensions: { LogGroupName: g }, value: 120 })) };
      change(regions);
    });
    const aws = await startFakeAws({ accounts: [account], ...options });
    servers.push(aws);
    return aws;
  }

  async function verify(aws: FakeAws, args: readonly string[] = []) {
    const restore = useEnv(fakeAwsEnv(aws, ACCOUNT));
    try {
      return await cli(['verify', '--stack', 'production', ...args], dir);
    } finally {
      restore();
    }
  }
  const lines = (stdout: string) => stdout.split('\n').filter((l) => /^ {2}(PASS|WARN|FAIL) /.test(l));

  test('a stack as its apply left it passes every check, and says what it checked', async () => {
    const aws = await deployedAws();
    const { code, stdout, stderr } = await verify(aws);
    expect(lines(stdout).filter((l) => !l.startsWith('  PASS'))).toEqual([]);
    expect(code).toBe(0);
    for (const check of ['deployed: log-groups', 'deployed: metric-filters', 'deployed: alarms', 'deployed: subscriptions', 'deployed: rules', 'auditing: cluster orders-db parameter group', 'auditing: cluster orders-db audit parameters', 'auditing: cluster orders-db instance parameter groups', 'auditing: cluster orders-db blue/green deployments', 'auditing: cluster legacy-db exports', 'auditing: cluster orders-db audit events', 'patterns: patterns', 'watchers: trail us-east-1']) {
      expect(stdout).toContain(`  PASS  ${check}: `);
    }
    expect(stdout).toMatch(/AWS's engine and aurora-audit's agree on \d+ lines over \d+ patterns/);
    expect(stderr).toContain('verify: [1/1] production');
  });

  test.each<[string, (r: Record<string, WorldRegion>) => void, RegExp]>([
    ['a metric filter deleted', (r) => r['eu-west-1'].metricFilters.splice(r['eu-west-1'].metricFilters.findIndex((f) => f.filterName === 'aurora-audit-drop-statements'), 1), /FAIL {2}deployed: metric-filters: aurora-audit-drop-statements on \/aws\/rds\/cluster\/\w+-db\/audit is missing/],
    ['a pattern weakened', (r) => Object.assign(r['eu-west-1'].metricFilters.find((f) => f.filterName === 'aurora-audit-privilege-changes')!, { filterPattern: '"GRANT"' }), /FAIL {2}deployed: metric-filters: aurora-audit-privilege-changes on \S+ has another pattern than the stack's/],
    ['the audit log\'s retention cut', (r) => (r['eu-west-1'].logGroups['/aws/rds/cluster/orders-db/audit'] = 1), /FAIL {2}deployed: log-groups: \/aws\/rds\/cluster\/orders-db\/audit keeps 1 days, the stack says 365 days/],
    ['an alarm\'s action removed', (r) => Object.assign(r['eu-west-1'].alarms.find((a) => a.name.endsWith('orders-db/drop-statements'))!, { actions: [] }), /FAIL {2}deployed: alarms: aurora-audit\/123456789012\/eu-west-1\/orders-db\/drop-statements no longer notifies arn:aws:sns:eu-west-1:123456789012:/],
    ['a tamper rule disabled', (r) => (Object.values(r['eu-west-1'].rules)[0].state = 'DISABLED'), /FAIL {2}deployed: rules: aurora-audit-production-tamper-[\w-]+ \(eu-west-1\) is DISABLED/],
    ['the detail function unsubscribed', (r) => Object.values(r['eu-west-1'].topics).forEach((t) => (t.subscriptions = t.subscriptions.filter((s) => s.protocol !== 'lambda'))), /FAIL {2}deployed: subscriptions: aurora-audit-production-alarms lost its subscription: lambda arn:aws:lambda:eu-west-1:123456789012:function:aurora-audit-production-alert-details/],
    ['a reboot pending', (r) => Object.assign(r['eu-west-1'].clusters.find((c) => c.identifier === 'orders-db')!, { parameterGroupStatus: 'pending-reboot' }), /FAIL {2}auditing: cluster orders-db parameter group: orders-db-params is pending-reboot on orders-db-1[^\n]*\n {8}fix: aws rds reboot-db-instance --db-instance-identifier orders-db-1 --region eu-west-1/],
    ['an export dropped', (r) => Object.assign(r['eu-west-1'].clusters.find((c) => c.identifier === 'orders-db')!, { exports: ['error', 'slowquery'] }), /FAIL {2}auditing: cluster orders-db exports: does not export audit, general to CloudWatch Logs/],
    ['auditing turned off in the group', (r) => (r['eu-west-1'].parameterGroups['orders-db-params'].server_audit_logging = { value: '0' }), /FAIL {2}auditing: cluster orders-db audit parameters: server_audit_logging is 0, the stack sets 1/],
    [
      'auditing switched off on one instance, in its own parameter group',
      (r) => {
        Object.assign(r['eu-west-1'].clusters.find((c) => c.identifier === 'orders-db')!, { instances: [{ identifier: 'orders-db-1', writer: true }, { identifier: 'orders-db-2', parameterGroup: 'orders-db-reader' }] });
        r['eu-west-1'].dbParameterGroups = { 'orders-db-reader': { max_connections: { value: '500' }, server_audit_logging: { value: '0' } } };
      },
      /FAIL {2}auditing: cluster orders-db instance parameter groups: an instance's own group overrides the audit settings: orders-db-reader \(orders-db-2\) sets server_audit_logging to 0, over the cluster's 1\n {8}fix: aws rds reset-db-parameter-group --db-parameter-group-name orders-db-reader --parameters ParameterName=server_audit_logging,ApplyMethod=immediate --region eu-west-1/,
    ],
    [
      'a user excluded from auditing on one instance (a parameter in the family that the stack leaves to the cluster group)',
      (r) => {
        Object.assign(r['eu-west-1'].clusters.find((c) => c.identifier === 'orders-db')!, { instances: [{ identifier: 'orders-db-1', writer: true, parameterGroup: 'writer-tuning' }] });
        r['eu-west-1'].dbParameterGroups = { 'writer-tuning': { SERVER_AUDIT_INCL_USERS: { value: 'nobody' } } };
      },
      /FAIL {2}auditing: cluster orders-db instance parameter groups: [^\n]*writer-tuning \(orders-db-1\) sets SERVER_AUDIT_INCL_USERS to nobody, over the cluster's default/,
    ],
    ['the trail stopped in us-east-1', (r) => (r['us-east-1'].trails = [{ name: 'org-trail', logging: false, homeRegion: 'us-east-1' }]), /FAIL {2}watchers: trail us-east-1: us-east-1: org-trail is not logging[^\n]*\n {8}fix: aws cloudtrail start-logging --name org-trail/],
    ['a trail that records no management writes', (r) => (r['eu-west-1'].trails = [{ name: 'data-only', logging: true, selectors: 'read-only' }]), /FAIL {2}watchers: trail eu-west-1: eu-west-1: data-only records no management writes[^\n]*\n {8}fix: aws cloudtrail put-event-selectors --trail-name data-only/],
  ])('%s: a FAIL that says what and how to fix it, exit 3', async (_what, change, expected) => {
    const aws = await deployedAws(change);
    const { code, stdout } = await verify(aws);
    expect(stdout).toMatch(expected);
    expect(code).toBe(3);
  });

  test('where AWS\'s engine and aurora-audit\'s disagree, each line is a FAIL with the pattern and the line', async () => {
    // A wrong engine behind TestMetricFilter: it counts nothing that mentions DROP.
    const aws = await deployedAws(undefined, { testMetricFilterEngine: () => ({ matches: (line: string) => !/DROP/i.test(line) && line.includes('GRANT') }) });
    const { code, stdout } = await verify(aws);
    const disagreements = lines(stdout).filter((l) => l.startsWith('  FAIL  patterns: aurora-audit-drop-statements'));
    expect(disagreements.length).toBeGreaterThan(0);
    expect(disagreements[0]).toMatch(/AWS does not count a line aurora-audit's engine counts: ".*DROP.*" with pattern "%/);
    expect(code).toBe(3);
  });

  test('the group\'s own recent lines are compared too, hostile ones included, and shown escaped', async () => {
    const hostile = `1701964800000000,orders-db-1,admin,10.0.0.5,101,7,QUERY,shop,'DROP TABLE t /* \u001b[2J <!channel> */',0`;
    const aws = await deployedAws((r) => (r['eu-west-1'].logEvents['/aws/rds/cluster/orders-db/audit'] = [{ timestamp: Date.now() - 60_000, message: hostile }]), {
      testMetricFilterEngine: () => ({ matches: () => false }),
    });
    const { stdout } = await verify(aws);
    const line = lines(stdout).find((l) => l.includes('<!channel>'));
    expect(line).toContain('\\u001b[2J');
    expect(line).not.toContain('\u001b');
  });

  test('--drill sets one detection alarm to ALARM and sees the topic deliver, the detail function run and Chatbot log it', async () => {
    const aws = await deployedAws();
    const { code, stdout } = await verify(aws, ['--drill', '--drill-timeout', '0']);
    expect(stdout).toMatch(/PASS {2}drill: drill: set aurora-audit\/123456789012\/eu-west-1\/\S+ to ALARM/);
    expect(stdout).toMatch(/PASS {2}drill: alarm → topic: aurora-audit-production-alarms delivered 2 notifications/);
    expect(stdout).toContain('PASS  drill: topic → detail function: aurora-audit-production-alert-details ran 1 time');
    expect(stdout).toContain('PASS  drill: topic → Chatbot: Chatbot logged the delivery in /aws/chatbot/aurora-audit-production (us-east-1)');
    expect(aws.calls.filter((c) => c.action === 'SetAlarmState')).toHaveLength(1);
    expect(code).toBe(0);
  });

  test('--drill names the hop that failed: a topic whose deliveries fail, and a channel that logs nothing', async () => {
    const failing = await deployedAws((r) => Object.values(r['eu-west-1'].topics).forEach((t) => Object.assign(t, { failDeliveries: true })));
    const first = await verify(failing, ['--drill', '--drill-timeout', '0']);
    expect(first.stdout).toMatch(/FAIL {2}drill: alarm → topic: aurora-audit-production-alarms delivered nothing in 0 s: the alarm's action or the topic's policy stops it/);
    expect(first.code).toBe(3);
    const silent = await deployedAws((r) => Object.values(r['eu-west-1'].topics).forEach((t) => delete t.chatbotLogGroup));
    const second = await verify(silent, ['--drill', '--drill-timeout', '0']);
    expect(second.stdout).toContain('PASS  drill: topic → detail function');
    expect(second.stdout).toMatch(/FAIL {2}drill: topic → Chatbot: Chatbot logged nothing in \/aws\/chatbot\/aurora-audit-production \(us-east-1\)/);
    expect(second.code).toBe(3);
  });

  test('a Chatbot subscription it does not recognize is a WARN, which passes', async () => {
    const aws = await deployedAws((r) => Object.values(r['eu-west-1'].topics).forEach((t) => (t.subscriptions = t.subscriptions.filter((x) => x.protocol !== 'https'))));
    const { code, stdout } = await verify(aws);
    expect(lines(stdout).filter((l) => !l.startsWith('  PASS'))).toEqual([expect.stringMatching(/^ {2}WARN {2}deployed: chatbot-subscription: aurora-audit-production-alarms has no subscription by Chatbot that verify recognizes/)]);
    expect(code).toBe(0);
  });

  test('a monitoring stack: alarms on source accounts\' metrics, the region\'s detail function, and a drill through it', async () => {
    const monitored = synth(config((c) => (c.monitoring = { accountId: '999999999999' })));
    const monitoringJson = monitored.get('monitoring-eu-west-1');
    const monitoringState = await stateAfterApply(monitoringJson);
    const account = deployedAccount('999999999999', [{ json: monitoringJson, state: monitoringState }], (regions) => {
      trailEverywhere(regions, [monitoringJson]);
    });
    const aws = await startFakeAws({ accounts: [account] });
    servers.push(aws);
    const monitoringDir = tempDir();
    fs.writeFileSync(path.join(monitoringDir, 'aurora-audit.yaml'), fs.readFileSync(DEPLOYED, 'utf8').replace(/^notifications:/m, 'monitoring:\n  accountId: "999999999999"\nnotifications:'));
    const restore = useEnv(fakeAwsEnv(aws, '999999999999'));
    try {
      const { code, stdout } = await cli(['verify', '--stack', 'monitoring-eu-west-1', '--drill', '--drill-timeout', '0'], monitoringDir);
      expect(lines(stdout).filter((l) => !l.startsWith('  PASS'))).toEqual([]);
      expect(stdout).toMatch(/PASS {2}deployed: alarms: \d+ alarms, each notifying what the stack says/);
      expect(stdout).toContain('PASS  drill: topic → detail function: aurora-audit-monitoring-eu-west-1-alert-details ran 1 time');
      expect(code).toBe(0);
    } finally {
      restore();
    }
  });

  test('every stack of the config at once, in parallel, the account stack\'s forwarding rules in other regions included', async () => {
    const all = synth(config());
    const stacks = await Promise.all(
      ['production', 'old-region', 'account-123456789012'].map(async (name) => ({
        json: all.get(name),
        state: name === 'production' ? state : await stateAfterApply(all.get(name), name === 'old-region' ? oldRegion : undefined),
      })),
    );
    const account = deployedAccount(ACCOUNT, stacks, (regions) => {
      trailEverywhere(regions, stacks.map((s) => s.json));
      for (const [region, groups] of [['eu-west-1', AUDIT_GROUPS], ['us-east-2', ['/aws/rds/cluster/payments-us/audit']]] as const) {
        regions[region] = { ...regions[region], metrics: groups.map((g) => ({ namespace: 'AWS/Logs', metricName: 'IncomingLogEvents', dimensions: { LogGroupName: g }, value: 5 })) };
      }
    });
    const aws = await startFakeAws({ accounts: [account] });
    servers.push(aws);
    const restore = useEnv(fakeAwsEnv(aws, ACCOUNT));
    try {
      const { code, stdout, stderr } = await cli(['verify'], dir);
      expect(lines(stdout).filter((l) => !l.startsWith('  PASS'))).toEqual([]);
      expect(stdout.match(/^stack \S+/gm)).toEqual(['stack production', 'stack old-region', 'stack account-123456789012']);
      expect(stdout).toMatch(/stack account-123456789012[\s\S]*PASS {2}deployed: rules: \d+ rules, enabled, with their targets/);
      expect(stderr.split('\n').filter((l) => l.startsWith('verify: ['))).toHaveLength(3);
      expect(code).toBe(0);
    } finally {
      restore();
    }
  });

  test('an instance\'s group that repeats the stack\'s value warns, and says how to hand the setting back to the cluster: exit 0', async () => {
    const aws = await deployedAws((r) => {
      Object.assign(r['eu-west-1'].clusters.find((c) => c.identifier === 'orders-db')!, { instances: [{ identifier: 'orders-db-1', writer: true, parameterGroup: 'pinned' }] });
      r['eu-west-1'].dbParameterGroups = { pinned: { server_audit_events: { value: 'query_ddl,CONNECT, QUERY_DCL' } } };
    });
    const { code, stdout } = await verify(aws);
    expect(stdout).toMatch(/WARN {2}auditing: cluster orders-db instance parameter groups: an instance's own group repeats the audit settings, so a change of the config would not reach it: pinned \(orders-db-1\) sets server_audit_events/);
    expect(stdout).toContain('fix: aws rds reset-db-parameter-group --db-parameter-group-name pinned --parameters ParameterName=server_audit_events,ApplyMethod=immediate --region eu-west-1');
    expect(code).toBe(0);
  });

  test('a blue/green deployment whose green cluster would switch auditing off fails, with what to do before the switchover: exit 3', async () => {
    const aws = await deployedAws((r) => {
      const region = r['eu-west-1'];
      const blue = region.clusters.find((c) => c.identifier === 'orders-db')!;
      region.clusters.push({ ...blue, identifier: 'orders-db-green-x1', parameterGroup: 'orders-84', exports: [] });
      region.parameterGroups['orders-84'] = { server_audit_logging: '0' };
      region.blueGreenDeployments = [
        { identifier: 'bgd-quiet1', name: 'orders-84', source: 'orders-db', green: 'orders-db-green-x1', status: 'AVAILABLE' },
        // Done: its green cluster is the production cluster now, and the other checks read it.
        { identifier: 'bgd-old', name: 'orders-old', source: 'orders-db', green: 'orders-db-gone', status: 'SWITCHOVER_COMPLETED' },
      ];
    });
    const { code, stdout } = await verify(aws);
    expect(stdout).toMatch(/FAIL {2}auditing: cluster orders-db blue\/green deployments: a switchover would change auditing: orders-84 \(AVAILABLE\), green cluster orders-db-green-x1 on orders-84: server_audit_logging is 0, the stack sets 1[^\n]*orders-db-green-x1 does not export audit/);
    expect(stdout).toContain('aws rds delete-blue-green-deployment --blue-green-deployment-identifier bgd-quiet1 --region eu-west-1');
    expect(stdout).not.toContain('orders-db-gone');
    expect(stdout).toContain('PASS  auditing: cluster orders-db audit parameters');
    expect(code).toBe(3);
  });

  test('a blue/green deployment whose green cluster audits as the stack sets passes; one whose green cluster is gone fails: exit 3', async () => {
    const copy = await deployedAws((r) => {
      const region = r['eu-west-1'];
      region.clusters.push({ ...region.clusters.find((c) => c.identifier === 'orders-db')!, identifier: 'orders-db-green-x2' });
      region.blueGreenDeployments = [{ identifier: 'bgd-same', name: 'orders-minor', source: 'orders-db', green: 'orders-db-green-x2', status: 'PROVISIONING' }];
    });
    const same = await verify(copy);
    expect(same.stdout).toContain('PASS  auditing: cluster orders-db blue/green deployments: 1 waiting (orders-minor); each green cluster audits as the stack sets');
    expect(same.code).toBe(0);
    const lost = await deployedAws(
      (r) =>
        (r['eu-west-1'].blueGreenDeployments = [
          { identifier: 'bgd-lost', name: 'orders-lost', source: 'orders-db', green: 'orders-db-green-x3', status: 'INVALID_CONFIGURATION' },
          { identifier: 'bgd-new', name: 'orders-new', source: 'orders-db', status: 'PROVISIONING' },
        ]),
    );
    const gone = await verify(lost);
    expect(gone.stdout).toMatch(/FAIL {2}auditing: cluster orders-db blue\/green deployments: a switchover would change auditing: orders-lost \(INVALID_CONFIGURATION\), green cluster orders-db-green-x3 could not be found[^\n]*orders-new \(PROVISIONING\) names no green cluster yet/);
    expect(gone.code).toBe(3);
  });

  test('a green cluster whose instance would switch auditing off in its own group fails, though its cluster group is right: exit 3', async () => {
    const aws = await deployedAws((r) => {
      const region = r['eu-west-1'];
      const blue = region.clusters.find((c) => c.identifier === 'orders-db')!;
      region.clusters.push({
        ...blue,
        identifier: 'orders-db-green-x4',
        instances: [
          { identifier: 'orders-db-green-x4-1', writer: true },
          { identifier: 'orders-db-green-x4-2', parameterGroup: 'quiet-reader' },
        ],
      });
      region.dbParameterGroups = { 'quiet-reader': { server_audit_logging: { value: '0' } } };
      region.blueGreenDeployments = [{ identifier: 'bgd-inst', name: 'orders-inst', source: 'orders-db', green: 'orders-db-green-x4', status: 'AVAILABLE' }];
    });
    const { code, stdout } = await verify(aws);
    expect(stdout).toMatch(
      /FAIL {2}auditing: cluster orders-db blue\/green deployments: a switchover would change auditing: orders-inst \(AVAILABLE\), green cluster orders-db-green-x4: an instance's own group overrides the audit settings: quiet-reader \(orders-db-green-x4-2\) sets server_audit_logging to 0, over the cluster's 1\n {8}fix: before switching over, set the stack's audit parameters in the green cluster's group, reset them in its instances' own groups and turn on its log exports; or aws rds delete-blue-green-deployment --blue-green-deployment-identifier bgd-inst --region eu-west-1/,
    );
    // The blue cluster's own instances are untouched: that check passes.
    expect(stdout).toContain("PASS  auditing: cluster orders-db instance parameter groups: no instance's own group sets an audit parameter");
    expect(code).toBe(3);
  });

  test('blue/green deployments it may not read are named, never passed: exit 1', async () => {
    const aws = await deployedAws((r) => (r['eu-west-1'].deniedRdsActions = ['DescribeBlueGreenDeployments']));
    const { code, stdout } = await verify(aws);
    expect(stdout).toMatch(/FAIL {2}auditing: cluster orders-db blue\/green deployments: could not read rds:DescribeBlueGreenDeployments and the green clusters \(rds:DescribeDBClusters, rds:DescribeDBInstances, rds:DescribeDBParameters\) in 123456789012\/eu-west-1: access denied/);
    expect(code).toBe(1);
  });

  test('an instance\'s parameter group it may not read is named, never passed: exit 1', async () => {
    const aws = await deployedAws((r) => (r['eu-west-1'].deniedRdsActions = ['DescribeDBParameters']));
    const { code, stdout } = await verify(aws);
    expect(stdout).toMatch(/FAIL {2}auditing: cluster orders-db instance parameter groups: could not read rds:DescribeDBInstances and rds:DescribeDBParameters in 123456789012\/eu-west-1: access denied/);
    expect(stdout).toContain('PASS  auditing: cluster orders-db audit parameters');
    expect(code).toBe(1);
  });

  test('what AWS would not let it read is named, never passed: exit 1', async () => {
    const aws = await deployedAws((r) => (r['eu-west-1'].accessDenied = true));
    const { code, stdout } = await verify(aws);
    expect(stdout).toMatch(/FAIL {2}auditing: cluster orders-db: could not read rds:DescribeDBClusters in 123456789012\/eu-west-1: access denied/);
    expect(stdout).toContain('could not read AWS');
    expect(code).toBe(1);
  });

  test('--json gives every check, and the same exit code', async () => {
    const aws = await deployedAws((r) => (r['eu-west-1'].logGroups['/aws/rds/cluster/orders-db/audit'] = 30));
    const { code, stdout } = await verify(aws, ['--json']);
    const report = JSON.parse(stdout);
    expect(report.passed).toBe(false);
    expect(report.counts.FAIL).toBe(1);
    expect(report.stacks[0]).toMatchObject({ stack: 'production', accountId: ACCOUNT, region: 'eu-west-1' });
    expect(report.stacks[0].checks).toContainEqual(expect.objectContaining({ group: 'deployed', check: 'log-groups', status: 'FAIL', fix: expect.stringContaining('cdktf deploy production') }));
    expect(code).toBe(3);
  });

  test('every call it makes, the drill\'s included, is in the policy --policy prints; the drill\'s one write is apart', async () => {
    const aws = await deployedAws();
    await verify(aws, ['--drill', '--drill-timeout', '0']);
    const printed = await cli(['verify', '--policy'], tempDir());
    expect(printed.code).toBe(0);
    const policy = JSON.parse(printed.stdout);
    expect(policy).toEqual(verifyPolicy());
    const [read, drill] = policy.Statement;
    const prefix: Record<string, string> = { monitoring: 'cloudwatch', logs: 'logs', sns: 'sns', events: 'events', cloudtrail: 'cloudtrail', rds: 'rds', guardduty: 'guardduty' };
    const made = [...new Set(aws.calls.filter((c) => c.service !== 'sts').map((c) => `${prefix[c.service] ?? c.service}:${c.action}`))].sort();
    expect(made.filter((a) => ![...read.Action, ...drill.Action].includes(a))).toEqual([]);
    expect(drill.Action).toEqual(['cloudwatch:SetAlarmState']);
    expect(drill.Resource).toBe('arn:aws:cloudwatch:*:*:alarm:aurora-audit/*');
    expect(read.Action.every((a: string) => /^[a-z]+:(Describe|Get|List|Filter|Test)/.test(a))).toBe(true);
  });

  test('without credentials it stops in one line; a bad flag or stack is a usage error', async () => {
    const restore = useEnv({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_EC2_METADATA_DISABLED: 'true', AWS_REGION: 'eu-west-1', AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined, AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined, AWS_WEB_IDENTITY_TOKEN_FILE: undefined });
    try {
      const none = await cli(['verify', '--stack', 'production'], dir);
      expect(none.stderr.split('\n').filter((l) => l.trim())).toEqual(['aurora-audit verify: no AWS credentials found (set AWS_PROFILE, use --profile, or run aws sso login)']);
      expect(none.code).toBe(1);
    } finally {
      restore();
    }
    const timeout = await cli(['verify', '--drill', '--drill-timeout', 'soon'], dir);
    expect([timeout.code, timeout.stderr]).toEqual([2, expect.stringContaining('--drill-timeout: "soon" is not allowed; give whole seconds from 0 to 3600')]);
    const stack = await cli(['verify', '--stack', 'nope'], dir);
    expect([stack.code, stack.stderr]).toEqual([2, expect.stringContaining('--stack: "nope" is not a stack of the config')]);
  });
});
