/**
 * Plan only what changed: synth records a fingerprint per stack, `changed` names the stacks that differ from an
 * earlier synth or from the config at a git ref, an unchanged stack is not synthesized again (and comes out byte for
 * byte as a full synth writes it), and `synth --stack` builds a subset.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { OUTPUT_MARKER } from '../../stacks/output-files';
import { cli } from '../support/cli';
import { baseConfig, listFiles, tempDir, writeConfig, type Json } from '../support/fixtures';

/** A fleet: `n` targets in accounts of their own, one cluster each. */
function fleet(n: number): Json {
  const config = baseConfig();
  config.targets = Array.from({ length: n }, (_, i) => ({
    name: `acct-${String(i).padStart(3, '0')}`,
    accountId: String(100000000000 + i),
    region: 'eu-west-1',
    clusters: [{ identifier: `db-${i}`, engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.05.2', attach: 'adopt' }],
  }));
  return config;
}

function git(dir: string, ...args: string[]): void {
  const run = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
}

/** A new repository in `dir` whose one commit holds `file`. */
function commitOnly(dir: string, file: string): void {
  git(dir, 'init', '-q', '.');
  git(dir, 'add', file);
  git(dir, 'commit', '-q', '-m', `add ${file}`);
}

const changedSince = async (dir: string, since: string) => {
  const run = await cli(['changed', '--since', since, '--json'], dir);
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(run.stdout) as { since: string; changed: string[]; unchanged: string[]; gone: string[] };
};

describe('changed, against the config at a git ref', () => {
  test('changing one cluster in a 200-stack config marks exactly that stack changed', async () => {
    const dir = tempDir();
    const config = fleet(200);
    writeConfig(dir, config);
    commitOnly(dir, 'aurora-audit.yaml');
    expect((await changedSince(dir, 'HEAD')).changed).toEqual([]);

    config.targets[137].clusters[0].detections = { 'drop-statements': { threshold: 3 } };
    writeConfig(dir, config);
    const result = await changedSince(dir, 'HEAD');
    expect(result).toEqual({ since: 'HEAD:aurora-audit.yaml', changed: ['acct-137'], unchanged: expect.any(Array), gone: [] });
    // And the 200 accounts' own stacks, which the change leaves as they were.
    expect(result.unchanged).toHaveLength(199 + 200);
  });

  test('reordering the targets changes no stack; removing one says it is gone; a new one is changed', async () => {
    const dir = tempDir();
    const config = fleet(5);
    writeConfig(dir, config);
    commitOnly(dir, 'aurora-audit.yaml');
    config.targets.reverse();
    writeConfig(dir, config);
    expect((await changedSince(dir, 'HEAD')).changed).toEqual([]);

    // A target retired with its cluster keeps its stack, which is planned; a new one is changed.
    config.targets = config.targets.filter((t: Json) => t.name !== 'acct-002');
    config.targets.push({ ...fleet(6).targets[5], name: 'acct-new' });
    config.retired = [{ accountId: '100000000002', region: 'eu-west-1', identifier: 'db-2', stack: 'acct-002', attach: 'adopt' }];
    writeConfig(dir, config);
    const result = await changedSince(dir, 'HEAD');
    // The retired account's own stack changes too: with no live stack left, it destroys what it forwarded.
    expect({ changed: result.changed, gone: result.gone }).toEqual({ changed: ['acct-new', 'acct-002', 'account-100000000002', 'account-100000000005'], gone: [] });
  });

  test('a config the ref did not have: every stack is new; a ref that does not exist: exit 2, in one line', async () => {
    const dir = tempDir();
    writeConfig(dir, fleet(3));
    fs.writeFileSync(path.join(dir, 'README'), 'x');
    commitOnly(dir, 'README');
    expect((await changedSince(dir, 'HEAD')).changed).toEqual(['acct-000', 'acct-001', 'acct-002', 'account-100000000000', 'account-100000000001', 'account-100000000002']);

    const bad = await cli(['changed', '--since', 'no-such-branch'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since: no-such-branch is neither a manifest file nor a git ref here');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('changed for pipelines: shards, and a new aurora-audit', () => {
  test('--shards deals the stacks to plan into at most that many shards, of sizes that differ by one at most', async () => {
    const dir = tempDir();
    writeConfig(dir, fleet(3));
    fs.writeFileSync(path.join(dir, 'README'), 'x');
    commitOnly(dir, 'README');
    const run = await cli(['changed', '--since', 'HEAD', '--shards', '4', '--json'], dir);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.shards).toEqual([
      ['acct-000', 'account-100000000001'],
      ['acct-001', 'account-100000000002'],
      ['acct-002'],
      ['account-100000000000'],
    ]);
    const few = JSON.parse((await cli(['changed', '--since', 'HEAD', '--shards', '256', '--json'], dir)).stdout);
    expect(few.shards).toHaveLength(6);
  });

  test.each(['0', '257', 'abc', '2.5', '-1', ''])('--shards %j: exit 2, the flag, the value and what is allowed, nothing on stdout', async (value) => {
    const dir = tempDir();
    writeConfig(dir, fleet(1));
    const run = await cli(['changed', '--since', 'HEAD', '--shards', value], dir);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toContain(`--shards: ${JSON.stringify(value)} is not a number of shards; give a whole number from 1 to 256`);
  });

  test('a new aurora-audit pinned since the ref changes every stack, from the lockfile, else the package.json', async () => {
    const dir = tempDir();
    writeConfig(dir, fleet(2));
    const lock = (version: string) => JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'node_modules/aurora-audit': { version } } });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ devDependencies: { 'aurora-audit': '0.2.0' } }));
    fs.writeFileSync(path.join(dir, 'package-lock.json'), lock('0.2.0'));
    git(dir, 'init', '-q', '.');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'pinned');
    expect((await changedSince(dir, 'HEAD')).changed).toEqual([]);
    fs.writeFileSync(path.join(dir, 'package-lock.json'), lock('0.3.0'));
    const upgraded = await changedSince(dir, 'HEAD');
    expect(upgraded).toMatchObject({ upgraded: { since: '0.2.0', now: '0.3.0' }, unchanged: [] });
    expect(upgraded.changed).toHaveLength(4);
    // Without a lockfile the package.json's pin counts.
    fs.rmSync(path.join(dir, 'package-lock.json'));
    git(dir, 'rm', '-q', '--cached', 'package-lock.json');
    git(dir, 'commit', '-q', '-m', 'no lockfile');
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ devDependencies: { 'aurora-audit': '0.3.0' } }));
    expect(await changedSince(dir, 'HEAD')).toMatchObject({ upgraded: { since: '0.2.0', now: '0.3.0' } });
    const text = await cli(['changed', '--since', 'HEAD'], dir);
    expect(text.stderr).toContain('4 of 4 stack(s) changed since HEAD:aurora-audit.yaml (aurora-audit 0.2.0 there, 0.3.0 now: every stack)');
  });
});

describe('changed refuses what left the config by hand, with the entry to add', () => {
  /** A committed config, then `change` made to it by hand: what `changed --since HEAD` says. */
  async function handEdit(config: Json, change: (c: Json) => void) {
    const dir = tempDir();
    writeConfig(dir, config);
    commitOnly(dir, 'aurora-audit.yaml');
    const next = structuredClone(config);
    change(next);
    writeConfig(dir, next);
    return { dir, next, run: await cli(['changed', '--since', 'HEAD', '--json'], dir) };
  }
  const production = (): Json => ({
    ...baseConfig(),
    targets: [
      {
        name: 'production',
        accountId: '123456789012',
        region: 'eu-west-1',
        roleArn: 'arn:aws:iam::123456789012:role/aurora-audit-deploy',
        clusters: [
          {
            identifier: 'orders-db',
            engine: 'aurora-mysql',
            engineVersion: '8.0.mysql_aurora.3.05.2',
            attach: 'adopt',
            parameterGroup: { name: 'orders-db-params' },
            existingLogGroups: ['error', 'slowquery'],
          },
          { identifier: 'billing', engine: 'aurora-mysql', engineVersion: '5.7', attach: 'external' },
        ],
      },
    ],
  });
  /** Another account's target, for a config whose production target left. */
  const STAGING = { ...baseConfig().targets[0], name: 'staging', accountId: '210987654321' };
  const ORDERS_ENTRY = {
    accountId: '123456789012',
    region: 'eu-west-1',
    identifier: 'orders-db',
    stack: 'production',
    attach: 'adopt',
    parameterGroup: 'orders-db-params',
    existingLogGroups: ['error', 'slowquery'],
  };

  test('a cluster deleted from a target: exit 2, nothing on stdout, the entry filled in from the earlier config', async () => {
    const { run } = await handEdit(production(), (c) => c.targets[0].clusters.splice(0, 1));
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toContain(
      'retired: orders-db (account 123456789012, eu-west-1, stack production) left the config without a retired entry, so Terraform would plan to destroy what aurora-audit adopted or made for it, or never plan its stack again. To stop managing it, add under retired: { accountId: "123456789012", region: eu-west-1, identifier: orders-db, stack: production, attach: adopt, parameterGroup: orders-db-params, existingLogGroups: [ error, slowquery ] }',
    );
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  test('the entry it gives, pasted in, is accepted; the stack that forgets it is to be planned', async () => {
    const { dir, next } = await handEdit(production(), (c) => c.targets[0].clusters.splice(0, 1));
    next.retired = [ORDERS_ENTRY];
    writeConfig(dir, next);
    expect(await changedSince(dir, 'HEAD')).toEqual({ since: 'HEAD:aurora-audit.yaml', changed: ['production'], unchanged: ['account-123456789012'], gone: [] });
  });

  test('a whole target deleted: each cluster needs its entry, with the stack and the role only the entry can still say', async () => {
    const { run } = await handEdit(production(), (c) => (c.targets = [STAGING]));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('stack: production, attach: adopt, roleArn: arn:aws:iam::123456789012:role/aurora-audit-deploy, parameterGroup: orders-db-params');
    expect(run.stderr).toContain('identifier: billing, stack: production, attach: external, roleArn: arn:aws:iam::123456789012:role/aurora-audit-deploy }');
  });

  test.each([
    ['without its stack (the target is gone, so the default name would be another state)', (e: Json) => delete e.stack, 'its stack is production, where its state is, not 123456789012-eu-west-1'],
    ['without the group it kept', (e: Json) => delete e.parameterGroup, 'it kept its own parameter group orders-db-params, which would be destroyed unless the entry names it'],
    ['without the log groups that existed before', (e: Json) => (e.existingLogGroups = ['error']), 'its slowquery log group existed before aurora-audit and must be recorded'],
  ])('a retired entry written by hand %s: exit 2, naming what it lacks', async (_what, spoil, lacking) => {
    const { run } = await handEdit(production(), (c) => {
      c.targets = [STAGING];
      const orders = { ...ORDERS_ENTRY, roleArn: 'arn:aws:iam::123456789012:role/aurora-audit-deploy' };
      spoil(orders);
      c.retired = [orders, { accountId: '123456789012', region: 'eu-west-1', identifier: 'billing', stack: 'production', attach: 'external', roleArn: 'arn:aws:iam::123456789012:role/aurora-audit-deploy' }];
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('retired[0]: orders-db (account 123456789012, eu-west-1, stack production) is retired, but the entry lacks what the earlier config recorded: ');
    expect(run.stderr).toContain(lacking);
    expect(run.stderr).not.toContain('retired[1]');
  });

  test('retired entries of a whole target that name its role nowhere: exit 2, for each', async () => {
    const { run } = await handEdit(production(), (c) => {
      c.targets = [STAGING];
      c.retired = [ORDERS_ENTRY, { accountId: '123456789012', region: 'eu-west-1', identifier: 'billing', stack: 'production', attach: 'external' }];
    });
    expect(run.code).toBe(2);
    for (const i of [0, 1]) expect(run.stderr).toMatch(new RegExp(`retired\\[${i}\\]: .* its stack reached the account through arn:aws:iam::123456789012:role/aurora-audit-deploy, which only the entry can still say`));
  });

  test('a target renamed: its state would be orphaned, so keep its name', async () => {
    const { run } = await handEdit(production(), (c) => (c.targets[0].name = 'prod-eu'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('targets[0]: the stack of account 123456789012, eu-west-1 was named production and is now prod-eu');
    expect(run.stderr).toContain('Keep name: production.');
  });

  test('a target moved to another region under its name: said first, with the way out, which then passes', async () => {
    const { dir, next, run } = await handEdit(production(), (c) => (c.targets[0].region = 'us-east-2'));
    expect(run.code).toBe(2);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toBe(
      "aurora-audit.yaml: targets[0]: the stack production was in account 123456789012, eu-west-1 and the new config puts it in account 123456789012, us-east-2: a stack's name is where Terraform keeps its state, which holds what it made in eu-west-1. Give the target in us-east-2 a name of its own; the retired entries for production then record what the old place holds.",
    );
    expect(run.stderr).toContain('orders-db (account 123456789012, eu-west-1, stack production) left the config without a retired entry');
    // The way out: a name of its own in the new region, and the old clusters retired under the old stack.
    next.targets[0].name = 'production-use2';
    next.retired = [
      { ...ORDERS_ENTRY, roleArn: 'arn:aws:iam::123456789012:role/aurora-audit-deploy' },
      { accountId: '123456789012', region: 'eu-west-1', identifier: 'billing', stack: 'production', attach: 'external' },
    ];
    writeConfig(dir, next);
    const after = await cli(['changed', '--since', 'HEAD', '--json'], dir);
    expect({ code: after.code, stderr: after.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(after.stdout).changed).toEqual(expect.arrayContaining(['production-use2', 'production']));
  });

  test('a config committed as UTF-16 at the ref: refused, named as what it is, as the working copy would be', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'aurora-audit.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(stringify(production()), 'utf16le')]));
    commitOnly(dir, 'aurora-audit.yaml');
    writeConfig(dir, production());
    const run = await cli(['changed', '--since', 'HEAD'], dir);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 2, stdout: '' });
    expect(run.stderr).toContain(
      '--since: the config at HEAD (aurora-audit.yaml) is UTF-16LE text (it starts with a UTF-16 byte order mark), not UTF-8; save it as UTF-8, so changed cannot tell what left the config since',
    );
  });

  test('a fleet account deleted: every cluster of every region of it, under the stack names the fleet gave them', async () => {
    const fleetConfig = {
      version: 1,
      role: 'aurora-audit-deploy',
      attach: 'adopt',
      notifications: { slack: { teamId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } },
      accounts: [
        { id: '100000000001', name: 'payments', regions: { 'eu-west-1': { payments: 'aurora-mysql8.0' }, 'us-east-1': { 'payments-us': 'aurora-postgresql16' } } },
        { id: '100000000002', name: 'ledger', regions: { 'eu-west-1': { ledger: 'aurora-mysql8.4' } } },
      ],
    };
    const { run } = await handEdit(fleetConfig, (c) => c.accounts.splice(0, 1));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('identifier: payments, stack: payments-eu-west-1, attach: adopt, roleArn: arn:aws:iam::100000000001:role/aurora-audit-deploy }');
    expect(run.stderr).toContain('identifier: payments-us, stack: payments-us-east-1, attach: adopt, roleArn: arn:aws:iam::100000000001:role/aurora-audit-deploy }');
    expect(run.stderr).toContain('2 problems in the config');
  });

  test("a monitoring stack whose every source left is gone, and said so; the retirements are planned", async () => {
    const config = { ...production(), monitoring: { accountId: '999999999999' } };
    config.targets[0].clusters = [config.targets[0].clusters[0]];
    const { dir, next } = await handEdit(config, (c) => {
      c.targets = [{ ...STAGING, region: 'us-east-1' }];
      c.retired = [{ ...ORDERS_ENTRY, roleArn: 'arn:aws:iam::123456789012:role/aurora-audit-deploy' }];
    });
    writeConfig(dir, next);
    const run = await cli(['changed', '--since', 'HEAD'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n').sort()).toEqual(['account-123456789012', 'account-210987654321', 'account-999999999999', 'monitoring-us-east-1', 'production', 'staging']);
    expect(run.stderr).toContain('gone from the config entirely, so no pipeline plans them: monitoring-eu-west-1');
  });

  test('an earlier config that does not validate: exit 2 (nothing could say what left it)', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'aurora-audit.yaml'), 'version: 1\ntargets: 7\n');
    commitOnly(dir, 'aurora-audit.yaml');
    writeConfig(dir, production());
    const run = await cli(['changed', '--since', 'HEAD'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--since: the config at HEAD (aurora-audit.yaml) does not validate with this aurora-audit');
  });
});

describe('changed and synth, against the manifest of the last synth', () => {
  test('one changed stack: changed names it, synth rebuilds only it, and the output is what a full synth writes', async () => {
    const dir = tempDir();
    const config = fleet(3);
    writeConfig(dir, config);
    expect((await cli(['synth'], dir)).code).toBe(0);
    const marker = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', OUTPUT_MARKER), 'utf8'));
    expect(Object.keys(marker.stacks)).toEqual(['acct-000', 'acct-001', 'acct-002', 'account-100000000000', 'account-100000000001', 'account-100000000002']);
    expect((await changedSince(dir, 'cdktf.out')).changed).toEqual([]);

    config.targets[1].clusters[0].detections = { 'drop-statements': { threshold: 2 } };
    writeConfig(dir, config);
    expect((await changedSince(dir, 'cdktf.out/.aurora-audit-output.json')).changed).toEqual(['acct-001']);
    const again = await cli(['synth'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 stack synthesized, 5 unchanged since the last synth and kept as they were');

    // Byte for byte what a synth from nothing writes.
    const fresh = tempDir();
    writeConfig(fresh, config);
    expect((await cli(['synth'], fresh)).code).toBe(0);
    const files = listFiles(path.join(dir, 'cdktf.out')).filter((f) => fs.statSync(path.join(dir, 'cdktf.out', f)).isFile());
    expect(files).toEqual(listFiles(path.join(fresh, 'cdktf.out')).filter((f) => fs.statSync(path.join(fresh, 'cdktf.out', f)).isFile()));
    for (const f of files) expect({ f, same: fs.readFileSync(path.join(dir, 'cdktf.out', f)).equals(fs.readFileSync(path.join(fresh, 'cdktf.out', f))) }).toEqual({ f, same: true });
  });

  test('a stack file edited by hand since the last synth is synthesized again, not carried over', async () => {
    const dir = tempDir();
    writeConfig(dir, fleet(2));
    await cli(['synth'], dir);
    const file = path.join(dir, 'cdktf.out', 'stacks', 'acct-000', 'cdk.tf.json');
    const original = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, original.replace('"aurora-audit"', '"edited"'));
    const again = await cli(['synth'], dir);
    expect(again.stdout).toContain('1 stack synthesized, 3 unchanged');
    expect(fs.readFileSync(file, 'utf8')).toBe(original);
  });

  test('synth --stack builds only the named stacks; the others stay as the last synth wrote them', async () => {
    const dir = tempDir();
    const config = fleet(3);
    writeConfig(dir, config);
    // In a fresh checkout (one pipeline job per stack), only the named stack is written.
    const one = await cli(['synth', '--stack', 'acct-002'], dir);
    expect(one.code).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'cdktf.out', 'stacks'))).toEqual(['acct-002']);

    await cli(['synth'], dir);
    const before = (name: string) => fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', name, 'cdk.tf.json'), 'utf8');
    const acct0 = before('acct-000');
    config.targets[0].clusters[0].detections = { 'drop-statements': { threshold: 4 } };
    config.targets[1].clusters[0].detections = { 'drop-statements': { threshold: 4 } };
    writeConfig(dir, config);
    expect((await cli(['synth', '--stack', 'acct-001'], dir)).code).toBe(0);
    expect(before('acct-000')).toBe(acct0);
    expect(before('acct-001')).toContain('"threshold": 4');
    // acct-000 was left as it was, so it still shows as changed.
    expect((await changedSince(dir, 'cdktf.out')).changed).toEqual(['acct-000']);
  });

  test('synth --stack with a stack the config does not have: exit 2, the stacks it has, nothing written', async () => {
    const dir = tempDir();
    writeConfig(dir, fleet(2));
    const run = await cli(['synth', '--stack', 'acct-000,prod'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--stack: "prod" is not a stack of the config; its stacks are acct-000, acct-001');
    expect(listFiles(dir)).toEqual(['aurora-audit.yaml']);
  });

  test('--since a file that is not a manifest: exit 2', async () => {
    const dir = tempDir();
    writeConfig(dir, fleet(1));
    fs.writeFileSync(path.join(dir, 'other.json'), stringify({ a: 1 }));
    const run = await cli(['changed', '--since', 'other.json'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--since: other.json is not a manifest aurora-audit wrote');
  });
});
