/**
 * A platform team's whole organization, against the local fake AWS: `init --organization` lists the accounts from the
 * management account, assumes one role in each (at most 16 account-regions at a time), chooses clusters by tag, and
 * writes a fleet config that validates and synthesizes. `sync` then keeps it current, and its exit code tells a
 * scheduled pipeline whether to open a pull request.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fakeAwsEnv, useEnv } from '../support/aws-env';
import { cli } from '../support/cli';
import { startFakeAws, type FakeAccount, type FakeAws, type FakeCluster } from '../support/fake-aws';
import { tempDir } from '../support/fixtures';

const MANAGEMENT = '100000000000';
const PAYMENTS = '100000000001';
const WEB = '100000000002';
const CLOSED = '100000000003';
const NO_ROLE = '100000000004';
const AUDIT = { audit: 'required' };

interface World {
  readonly payments?: FakeCluster[];
  readonly webEu?: FakeCluster[];
  readonly webUsDenied?: boolean;
  readonly paymentsUs?: FakeCluster[];
  /** Whether the sandbox account has the role discovery assumes (it has another by default, so it cannot be read). */
  readonly sandboxReachable?: boolean;
}

const PAYMENTS_CLUSTERS: FakeCluster[] = [
  { identifier: 'payments', engineVersion: '8.0.mysql_aurora.3.05.2', tags: { ...AUDIT, team: 'payments' } },
  { identifier: 'scratch', engineVersion: '8.0.mysql_aurora.3.05.2', tags: { audit: 'optional' } },
];
const WEB_EU: FakeCluster[] = [{ identifier: 'web', engineVersion: '8.4.mysql_aurora.8.4.7', tags: AUDIT }];

let aws: FakeAws | undefined;
let restore: (() => void) | undefined;

async function world(w: World = {}): Promise<void> {
  const account = (accountId: string, regions: FakeAccount['regions'], extra: Partial<FakeAccount> = {}): FakeAccount => ({ accountId, regions, ...extra });
  aws = await startFakeAws({
    organization: {
      managementAccountId: MANAGEMENT,
      accounts: [
        { id: MANAGEMENT, name: 'Management' },
        { id: PAYMENTS, name: 'Payments Prod' },
        { id: WEB, name: 'Web (staging)' },
        { id: CLOSED, name: 'Old', status: 'SUSPENDED' },
        { id: NO_ROLE, name: 'Sandbox' },
      ],
    },
    accounts: [
      account(MANAGEMENT, { 'eu-west-1': {}, 'us-east-1': {} }, { slackWorkspaces: [{ id: 'T07EA123LEP', name: 'acme' }] }),
      account(PAYMENTS, { 'eu-west-1': { clusters: w.payments ?? PAYMENTS_CLUSTERS }, 'us-east-1': { clusters: w.paymentsUs ?? [] } }),
      account(WEB, {
        'eu-west-1': { clusters: w.webEu ?? WEB_EU },
        'us-east-1': { clusters: [{ identifier: 'shop', engine: 'aurora-postgresql', engineVersion: '16.4', tags: AUDIT }], accessDenied: w.webUsDenied },
      }),
      account(CLOSED, {}),
      account(NO_ROLE, { 'eu-west-1': { clusters: w.sandboxReachable ? [] : [{ identifier: 'hidden', tags: AUDIT }] } }, w.sandboxReachable ? {} : { roles: ['something-else'] }),
    ],
  });
  restore = useEnv(fakeAwsEnv(aws, MANAGEMENT, { AWS_REGION: 'eu-west-1', CI: 'true' }));
}

afterEach(async () => {
  restore?.();
  await aws?.close();
  restore = aws = undefined;
});

const INIT = ['init', '--yes', '--organization', 'aurora-audit-deploy', '--tag', 'audit=required', '--regions', 'eu-west-1,us-east-1', '--slack-channel-id', 'C07EZ1ABC23'];

async function initialized(): Promise<{ project: string; file: string; stderr: string }> {
  await world();
  const project = tempDir();
  const file = path.join(project, 'aurora-audit.yaml');
  const { code, stderr } = await cli([...INIT, '--config', file], project);
  expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  return { project, file, stderr };
}

describe('init --organization', () => {
  test('walks the active accounts through one role, chooses clusters by tag, and writes the fleet shape', async () => {
    const { file, stderr } = await initialized();
    const written = parseYaml(fs.readFileSync(file, 'utf8'));
    expect(written.discovery).toEqual({ organization: { role: 'aurora-audit-deploy' }, tags: AUDIT });
    expect(written.role).toBe('aurora-audit-deploy');
    expect(written.attach).toBe('adopt');
    expect(written.targets).toBeUndefined();
    expect(written.accounts).toEqual([
      { id: PAYMENTS, name: 'payments-prod', regions: { 'eu-west-1': { payments: { family: 'aurora-mysql8.0', existingLogGroups: [] } } } },
      {
        id: WEB,
        name: 'web-staging',
        regions: { 'eu-west-1': { web: { family: 'aurora-mysql8.4', existingLogGroups: [] } }, 'us-east-1': { shop: { family: 'aurora-postgresql16', existingLogGroups: [] } } },
      },
    ]);
    // The suspended account is left out with a note; the one whose role cannot be assumed is named, and the rest go on.
    expect(stderr).toContain(`Leaving out ${CLOSED} (Old): it is suspended.`);
    expect(stderr).toMatch(new RegExp(`${NO_ROLE}/eu-west-1.*(access denied|not authorized)`, 'i'));
    // One ListAccounts, and every account-region read through the assumed role.
    const calls = aws!.calls;
    expect(calls.filter((c) => c.action === 'ListAccounts')).toHaveLength(1);
    expect(new Set(calls.filter((c) => c.action === 'DescribeDBClusters').map((c) => `${c.accountId}/${c.region}`))).toEqual(
      new Set([MANAGEMENT, PAYMENTS, WEB].flatMap((a) => [`${a}/eu-west-1`, `${a}/us-east-1`])),
    );
  });

  test('the config it writes validates and synthesizes, one stack per account and region with clusters', async () => {
    const { project, file } = await initialized();
    const validate = await cli(['validate', '--config', file, '--json'], project);
    expect(validate.code).toBe(0);
    const summary = JSON.parse(validate.stdout);
    expect(summary.stacks.map((s: { name: string }) => s.name)).toEqual(['payments-prod-eu-west-1', 'web-staging-eu-west-1', 'web-staging-us-east-1']);
    const synth = await cli(['synth', '--config', file, '--quiet'], project);
    expect(synth.code).toBe(0);
    expect(fs.readdirSync(path.join(project, 'cdktf.out', 'stacks')).sort()).toEqual(['account-100000000001', 'account-100000000002', 'payments-prod-eu-west-1', 'web-staging-eu-west-1', 'web-staging-us-east-1']);
    const stack = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', 'web-staging-us-east-1', 'cdk.tf.json'), 'utf8'));
    expect(stack.provider.aws[0].assume_role[0].role_arn).toBe(`arn:aws:iam::${WEB}:role/aurora-audit-deploy`);
  });

  test('outside the management account it stops with what to do, exit 1, and writes nothing', async () => {
    await world();
    restore!();
    restore = useEnv(fakeAwsEnv(aws!, PAYMENTS, { AWS_REGION: 'eu-west-1', CI: 'true' }));
    const project = tempDir();
    const { code, stderr } = await cli([...INIT, '--config', path.join(project, 'aurora-audit.yaml')], project);
    expect(code).toBe(1);
    expect(stderr).toContain('management account or a delegated administrator');
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(fs.readdirSync(project)).toEqual([]);
  });

  test('a role name that is not one is exit 2 before any call', async () => {
    await world();
    const project = tempDir();
    const { code, stderr } = await cli([...INIT.slice(0, 2), '--organization', 'arn:aws:iam::1:role/x y', '--config', path.join(project, 'a.yaml')], project);
    expect(code).toBe(2);
    expect(stderr).toContain('--organization: "arn:aws:iam::1:role/x y" is not an IAM role name');
    expect(aws!.calls).toEqual([]);
  });
});

test('discover --organization lists the clusters of every account it can reach, and names the one it cannot', async () => {
  await world();
  const { code, stdout, stderr } = await cli(['discover', '--organization', 'aurora-audit-deploy', '--regions', 'eu-west-1', '--json'], tempDir());
  expect(code).toBe(0);
  const found = JSON.parse(stdout);
  expect(found.clusters.map((c: { accountId: string; identifier: string }) => `${c.accountId}/${c.identifier}`).sort()).toEqual([`${PAYMENTS}/payments`, `${PAYMENTS}/scratch`, `${WEB}/web`]);
  expect(found.problems).toEqual([expect.objectContaining({ accountId: NO_ROLE, kind: 'access-denied' })]);
  expect(stderr).toContain(`discover: leaving out ${CLOSED} (Old): it is suspended`);
});

describe('sync', () => {
  async function synced(w: World): Promise<{ code: number; stderr: string; before: string; after: string }> {
    const { project, file } = await initialized();
    const before = fs.readFileSync(file, 'utf8');
    restore!();
    await aws!.close();
    await world(w);
    const { code, stderr } = await cli(['sync', '--config', file], project);
    return { code, stderr, before, after: fs.readFileSync(file, 'utf8') };
  }

  test('with nothing new in AWS, every account read: exit 0 and the file untouched', async () => {
    const { code, stderr, before, after } = await synced({ sandboxReachable: true });
    expect({ code, same: after === before }).toEqual({ code: 0, same: true });
    expect(stderr).toContain('the config is current');
  });

  test('an account of the organization it cannot read (no role there) could hold clusters to add: exit 4, named', async () => {
    const { code, stderr, before, after } = await synced({});
    expect({ code, same: after === before }).toEqual({ code: 4, same: true });
    expect(stderr).toContain(`${NO_ROLE}/eu-west-1 (`);
    expect(stderr).not.toContain('the config is current');
  });

  test('a new tagged cluster joins, a gone one is retired, the rest keeps its lines: exit 3', async () => {
    const { code, stderr, before, after } = await synced({ payments: [...PAYMENTS_CLUSTERS, { identifier: 'ledger', engineVersion: '8.0.mysql_aurora.3.05.2', tags: AUDIT }], webEu: [], sandboxReachable: true });
    expect(code).toBe(3);
    expect(stderr).toContain(`1 cluster(s) added (${PAYMENTS}/eu-west-1/ledger), 1 retired (${WEB}/eu-west-1/web)`);
    const written = parseYaml(after);
    expect(Object.keys(written.accounts[0].regions['eu-west-1'])).toEqual(['payments', 'ledger']);
    expect(written.accounts[1].regions).toEqual({ 'us-east-1': { shop: { family: 'aurora-postgresql16', existingLogGroups: [] } } });
    expect(written.retired).toEqual([expect.objectContaining({ accountId: WEB, region: 'eu-west-1', identifier: 'web', stack: 'web-staging-eu-west-1' })]);
    expect(after.split('\n').slice(0, 8)).toEqual(before.split('\n').slice(0, 8));
  });

  test('a cluster new in a region where its account had none yet is found too', async () => {
    const { code, after } = await synced({ payments: PAYMENTS_CLUSTERS, paymentsUs: [{ identifier: 'payments-us', engineVersion: '8.0.mysql_aurora.3.05.2', tags: AUDIT }], sandboxReachable: true });
    expect(code).toBe(3);
    expect(parseYaml(after).accounts[0].regions['us-east-1']).toEqual({ 'payments-us': { family: 'aurora-mysql8.0', existingLogGroups: [] } });
  });

  test('a region that does not answer retires nothing, and sync says the config may not be current: exit 4, never 0', async () => {
    const { code, stderr, before, after } = await synced({ webUsDenied: true, sandboxReachable: true });
    expect(code).toBe(4);
    expect(parseYaml(after).accounts[1].regions['us-east-1']).toEqual({ shop: { family: 'aurora-postgresql16', existingLogGroups: [] } });
    expect(after).toBe(before);
    expect(stderr).toContain(`sync: could not read 1 account-region(s) of the config, so what they hold was kept as it was and may not be current: ${WEB}/us-east-1 (`);
    expect(stderr).toContain('Nothing was written.');
    expect(stderr).not.toContain('the config is current');
  });

  test('a change where it could read, beside a region it could not: rewritten, and still exit 4', async () => {
    const { code, stderr, after, before } = await synced({ webUsDenied: true, webEu: [], sandboxReachable: true });
    expect(code).toBe(4);
    expect(after).not.toBe(before);
    expect(stderr).toContain(`1 retired (${WEB}/eu-west-1/web)`);
    expect(stderr).toContain('The rest of the config was rewritten.');
  });

  test('without a config it says to run init, exit 2', async () => {
    const project = tempDir();
    const { code, stderr } = await cli(['sync'], project);
    expect(code).toBe(2);
    expect(stderr).toContain('run aurora-audit init first');
    expect(fs.readdirSync(project)).toEqual([]);
  });
});
