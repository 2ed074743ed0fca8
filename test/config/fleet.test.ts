import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../config/load';
import type { AuditModel, StackModel } from '../../config/model';
import { modelOf, problemsOf, ROOT, tempDir, type Json } from '../support/fixtures';
import { synthAll } from '../support/synth';

const FLEET = path.join(ROOT, 'templates', 'fleet.yaml');


/** A model without where each part was written: what Terraform would get. */
function withoutPaths(model: AuditModel): Json {
  return JSON.parse(JSON.stringify(model.stacks, (key, value) => (key === 'configPath' ? undefined : value)));
}

const SLACK = { slack: { teamId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } };

describe('the fleet template', () => {
  const text = fs.readFileSync(FLEET, 'utf8');
  const model = parseConfig(text, FLEET);
  const stack = (name: string) => model.stacks.find((s) => s.name === name)!;

  test('50 accounts in at most 150 lines: about one line per account and region', () => {
    const lines = text.trimEnd().split('\n').length;
    const accounts = new Set(model.stacks.map((s) => s.accountId));
    expect(accounts.size).toBe(50);
    expect(lines).toBeLessThanOrEqual(150);
    expect(lines).toBeLessThan(model.stacks.length * 2);
    expect(model.stacks.length).toBeGreaterThan(60);
  });

  test('each account and region is a stack named <account name>-<region>, with the role built in that account', () => {
    const s = stack('payments-prod-us-east-1');
    expect(s).toMatchObject({ accountId: '100000000001', region: 'us-east-1', roleArn: 'arn:aws:iam::100000000001:role/aurora-audit-deploy' });
    expect(s.clusters.map((c) => [c.identifier, c.engine, c.family, c.attach])).toEqual([['payments-us', 'aurora-mysql', 'aurora-mysql8.4', 'adopt']]);
  });

  test('a group overrides the top level and the account overrides neither where it is silent', () => {
    const prod = stack('payments-prod-eu-west-1');
    const staging = model.stacks.find((s) => s.accountId === '100000000026')!;
    expect(prod.slack.channelId).toBe('C0PROD00001');
    expect(staging.slack.channelId).toBe('C0STAGE0001');
    expect(prod.encryption.mode).toBe('create');
    expect(staging.encryption.mode).toBe('none');
    expect(prod.clusters[0].audit.retentionDays.audit).toBe(400);
    expect(staging.clusters[0].audit.retentionDays.audit ?? staging.clusters[0].audit.retentionDays.postgresql).toBe(90);
    const failed = (s: StackModel) => s.clusters[0].detections.find((d) => d.definition.id === 'failed-connections')!.threshold;
    expect([failed(prod), failed(staging)]).toEqual([5, 50]);
  });

  test('a cluster written as a mapping keeps its own fields', () => {
    const reports = stack('billing-prod-eu-west-1').clusters.find((c) => c.identifier === 'billing-reports')!;
    expect([reports.engine, reports.majorVersion, reports.attach]).toEqual(['aurora-postgresql', '15', 'external']);
  });

  test('synthesizes every stack', () => {
    const out = path.join(tempDir(), 'cdktf.out');
    const written = [...synthAll(model, out)].map(([name]) => name);
    expect(written.sort()).toEqual([...model.stacks.map((s) => s.name), ...new Set(model.stacks.map((s) => `account-${s.accountId}`))].sort());
  });
});

describe('accounts and groups resolve as the same targets written one by one', () => {
  const fleet = {
    version: 1,
    role: 'deploy',
    attach: 'adopt',
    notifications: SLACK,
    audit: { retentionDays: { audit: 400 } },
    tags: { CostCenter: 'platform', Team: 'top' },
    groups: {
      pci: { tags: { Team: 'pci' }, detections: { 'failed-connections': { threshold: 2 } }, notifications: { slack: { channelId: 'C0PCI000001' } } },
    },
    accounts: [
      {
        id: '111111111111',
        name: 'cards',
        group: 'pci',
        role: 'arn:aws:iam::111111111111:role/cards-deploy',
        regions: {
          'eu-west-1': { cards: 'aurora-mysql8.0', vault: { family: 'aurora-postgresql16', attach: 'external', detections: { 'drop-statements': { threshold: 3 } } } },
          'us-east-1': { 'cards-us': 'aurora-mysql8.4' },
        },
      },
      { id: '222222222222', regions: { 'eu-west-1': { web: { engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.05.2' } } } },
    ],
  };
  const targets = {
    version: 1,
    notifications: SLACK,
    audit: { retentionDays: { audit: 400 } },
    tags: { CostCenter: 'platform', Team: 'top' },
    targets: [
      {
        name: 'cards-eu-west-1',
        accountId: '111111111111',
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::111111111111:role/cards-deploy',
        tags: { Team: 'pci' },
        detections: { 'failed-connections': { threshold: 2 } },
        notifications: { slack: { channelId: 'C0PCI000001' } },
        clusters: [
          { identifier: 'cards', engine: 'aurora-mysql', engineVersion: '8.0', family: 'aurora-mysql8.0', attach: 'adopt' },
          { identifier: 'vault', engine: 'aurora-postgresql', engineVersion: '16', family: 'aurora-postgresql16', attach: 'external', detections: { 'drop-statements': { threshold: 3 } } },
        ],
      },
      {
        name: 'cards-us-east-1',
        accountId: '111111111111',
        region: 'us-east-1',
        roleArn: 'arn:aws:iam::111111111111:role/cards-deploy',
        tags: { Team: 'pci' },
        detections: { 'failed-connections': { threshold: 2 } },
        notifications: { slack: { channelId: 'C0PCI000001' } },
        clusters: [{ identifier: 'cards-us', engine: 'aurora-mysql', engineVersion: '8.4', family: 'aurora-mysql8.4', attach: 'adopt' }],
      },
      {
        name: '222222222222-eu-west-1',
        accountId: '222222222222',
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::222222222222:role/deploy',
        clusters: [{ identifier: 'web', engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.05.2', attach: 'adopt' }],
      },
    ],
  };

  test('the models are equal, and so is what they synthesize', () => {
    const a = modelOf(fleet);
    const b = modelOf(targets);
    expect(withoutPaths(a)).toEqual(withoutPaths(b));
    const [outA, outB] = [path.join(tempDir(), 'a'), path.join(tempDir(), 'b')];
    const jsonA = new Map(synthAll(a, outA));
    const jsonB = new Map(synthAll(b, outB));
    expect([...jsonA.keys()]).toEqual([...jsonB.keys()]);
    for (const [name, json] of jsonA) expect(json).toEqual(jsonB.get(name));
  });

  test('every problem names where it is written in the fleet shape', () => {
    const m = modelOf(fleet);
    expect(m.stacks.map((s) => s.configPath)).toEqual(['accounts[0].regions.eu-west-1', 'accounts[0].regions.us-east-1', 'accounts[1].regions.eu-west-1']);
    expect(m.stacks[0].clusters.map((c) => c.configPath)).toEqual(['accounts[0].regions.eu-west-1.cards', 'accounts[0].regions.eu-west-1.vault']);
  });

  test('in the aws-cn partition the role is built in that partition', () => {
    const m = modelOf({ ...fleet, groups: undefined, accounts: [{ id: '333333333333', regions: { 'cn-north-1': { db: 'aurora-mysql8.0' } } }] });
    expect(m.stacks[0].roleArn).toBe('arn:aws-cn:iam::333333333333:role/deploy');
  });

  test('accounts and targets may live side by side', () => {
    const both = { ...fleet, targets: [targets.targets[2]], accounts: [fleet.accounts[0]] };
    expect(modelOf(both).stacks.map((s) => s.name)).toEqual(['222222222222-eu-west-1', 'cards-eu-west-1', 'cards-us-east-1']);
  });
});

describe('problems in the fleet shape', () => {
  const base = (): Json => ({
    version: 1,
    notifications: SLACK,
    accounts: [{ id: '111111111111', regions: { 'eu-west-1': { cards: { family: 'aurora-mysql8.0', attach: 'adopt' } } } }],
  });
  const withChange = (change: (c: Json) => void) => {
    const c = base();
    change(c);
    return c;
  };

  test.each<[string, (c: Json) => void, string, string[]]>([
    ['no attach at any level', (c) => (c.accounts[0].regions['eu-west-1'].cards = 'aurora-mysql8.0'), 'accounts[0].regions.eu-west-1.cards.attach', ['is required', 'adopt', 'external', 'its account, its group or at the top level']],
    ['a group that does not exist', (c) => (c.accounts[0].group = 'prod'), 'accounts[0].group', ['"prod" is not a group under groups']],
    ['a role ARN of another account, given for all', (c) => (c.role = 'arn:aws:iam::999999999999:role/deploy'), 'role', ['account 999999999999', 'assumed in account 111111111111', 'role name']],
    ['a role that is neither a name nor an ARN', (c) => (c.accounts[0].role = 'deploy ${var.x}'), 'accounts[0].role', ['not an IAM role', 'role name']],
    ['a family that is no family', (c) => (c.accounts[0].regions['eu-west-1'].cards = 'mysql8'), 'accounts[0].regions.eu-west-1.cards', ['"mysql8"', 'not an Aurora cluster parameter group family', 'aurora-mysql8.4']],
    ['an unknown major in the family', (c) => (c.accounts[0].regions['eu-west-1'].cards.family = 'aurora-mysql9.1'), 'accounts[0].regions.eu-west-1.cards.family', ['"aurora-mysql9.1"', '5.7, 8.0 and 8.4']],
    ['a family of the other engine', (c) => (c.accounts[0].regions['eu-west-1'].cards.engine = 'aurora-postgresql'), 'accounts[0].regions.eu-west-1.cards.family', ['"aurora-mysql8.0" is not an Aurora PostgreSQL cluster parameter group family']],
    ['the same account twice', (c) => c.accounts.push({ id: '111111111111', regions: { 'eu-west-1': { other: { family: 'aurora-mysql8.0', attach: 'adopt' } } } }), 'accounts[1].regions.eu-west-1', ['already accounts[0].regions.eu-west-1']],
    ['neither family nor engine', (c) => (c.accounts[0].regions['eu-west-1'].cards = { attach: 'adopt' }), 'accounts[0].regions.eu-west-1.cards.engine', ['is required', 'its family']],
    ['a region without clusters', (c) => (c.accounts[0].regions['us-east-1'] = {}), 'accounts[0].regions.us-east-1', ['at least one cluster']],
    ['a region typo', (c) => (c.accounts[0].regions['eu-wst-1'] = { x: 'aurora-mysql8.0' }), 'accounts[0].regions.eu-wst-1', ['did you mean eu-west-1?']],
    ['an identifier RDS cannot hold', (c) => (c.accounts[0].regions['eu-west-1'].Cards_DB = 'aurora-mysql8.0'), 'accounts[0].regions.eu-west-1.Cards_DB', ['not a DB cluster identifier']],
    ['an unknown key in an account', (c) => (c.accounts[0].regoins = {}), 'accounts[0].regoins', ['not a known key', 'did you mean regions?']],
    ['an account id YAML read as a number', (c) => (c.accounts[0].id = 111111111111), 'accounts[0].id', ['reads as a number', 'quote it']],
    ['neither accounts nor targets', (c) => delete c.accounts, 'targets', ['is required', 'accounts', 'targets']],
    ['an account and region also written as a target', (c) => (c.targets = [{ accountId: '111111111111', region: 'eu-west-1', clusters: [{ identifier: 'other', engine: 'aurora-mysql', engineVersion: '8.0', attach: 'adopt' }] }]), 'accounts[0].regions.eu-west-1', ['already targets[0]', 'one stack per account and region']],
    ['a detection id that does not exist, in a group', (c) => ((c.groups = { prod: { detections: { 'drop-statement': { threshold: 2 } } } }), (c.accounts[0].group = 'prod')), 'groups.prod.detections.drop-statement', ['not a known detection', 'did you mean drop-statements?']],
  ])('%s', (_what, change, where, words) => {
    const problems = problemsOf(withChange(change));
    // Without monitoring, nothing is said of it.
    expect(problems.filter((p) => p.startsWith('monitoring'))).toEqual([]);
    const line = problems.find((p) => p.startsWith(`${where}: `));
    expect({ problems, line: line !== undefined }).toEqual({ problems, line: true });
    for (const w of words) expect(line).toContain(w);
  });

  test('a value holding ${...} never reaches Terraform from a role name or a group', () => {
    expect(problemsOf(withChange((c) => (c.groups = { '${jndi}': {} }))).join('\n')).toContain('not a group name');
  });
});
