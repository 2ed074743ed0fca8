/**
 * Plan only what changed: synth records a fingerprint per stack, `changed` names the stacks that differ from an
 * earlier synth or from the config at a git ref, an unchanged stack is not synthesized again (and comes out byte for
 * byte as a full synth writes it), and `synth --stack` builds a subset.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { OUTPUT_MARKER } from '../../main';
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
    expect(result.unchanged).toHaveLength(199);
  });

  test('reordering the targets changes no stack; removing one says it is gone; a new one is changed', async () => {
    const dir = tempDir();
    const config = fleet(5);
    writeConfig(dir, config);
    commitOnly(dir, 'aurora-audit.yaml');
    config.targets.reverse();
    writeConfig(dir, config);
    expect((await changedSince(dir, 'HEAD')).changed).toEqual([]);

    config.targets = config.targets.filter((t: Json) => t.name !== 'acct-002');
    config.targets.push({ ...fleet(6).targets[5], name: 'acct-new' });
    writeConfig(dir, config);
    const result = await changedSince(dir, 'HEAD');
    expect({ changed: result.changed, gone: result.gone }).toEqual({ changed: ['acct-new'], gone: ['acct-002'] });
  });

  test('a config the ref did not have: every stack is new; a ref that does not exist: exit 2, in one line', async () => {
    const dir = tempDir();
    writeConfig(dir, fleet(3));
    fs.writeFileSync(path.join(dir, 'README'), 'x');
    commitOnly(dir, 'README');
    expect((await changedSince(dir, 'HEAD')).changed).toEqual(['acct-000', 'acct-001', 'acct-002']);

    const bad = await cli(['changed', '--since', 'no-such-branch'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since: no-such-branch is neither a manifest file nor a git ref here');
    expect(bad.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('changed and synth, against the manifest of the last synth', () => {
  test('one changed stack: changed names it, synth rebuilds only it, and the output is what a full synth writes', async () => {
    const dir = tempDir();
    const config = fleet(3);
    writeConfig(dir, config);
    expect((await cli(['synth'], dir)).code).toBe(0);
    const marker = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', OUTPUT_MARKER), 'utf8'));
    expect(Object.keys(marker.stacks)).toEqual(['acct-000', 'acct-001', 'acct-002']);
    expect((await changedSince(dir, 'cdktf.out')).changed).toEqual([]);

    config.targets[1].clusters[0].detections = { 'drop-statements': { threshold: 2 } };
    writeConfig(dir, config);
    expect((await changedSince(dir, 'cdktf.out/.aurora-audit-output.json')).changed).toEqual(['acct-001']);
    const again = await cli(['synth'], dir);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('1 stack synthesized, 2 unchanged since the last synth and kept as they were');

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
    expect(again.stdout).toContain('1 stack synthesized, 1 unchanged');
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
