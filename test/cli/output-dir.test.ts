/**
 * synth only ever replaces a directory it wrote itself: anything else is refused, naming the directory, with nothing
 * touched.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { baseConfig, configWith, listFiles, ROOT, tempDir, writeConfig } from '../support/fixtures';
import { cli } from '../support/cli';

/** Every file and its content: to prove a directory was not touched. */
function snapshot(dir: string): Array<[string, string]> {
  return listFiles(dir)
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]);
}

/** A project folder: the config, a git directory, notes. */
function project(): string {
  const dir = tempDir();
  writeConfig(dir, baseConfig());
  fs.mkdirSync(path.join(dir, '.git'));
  fs.writeFileSync(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  fs.writeFileSync(path.join(dir, 'notes.md'), '# mine\n');
  return dir;
}

/** Marks a stack of the project as applied: its local state, where the stacks keep it, holds a resource. */
function markApplied(dir: string, stack: string, resource: Record<string, unknown> = { mode: 'managed', type: 'aws_kms_key', name: 'k', instances: [] }): void {
  const state = path.join(dir, 'terraform-state', `${stack}.tfstate`);
  fs.mkdirSync(path.dirname(state), { recursive: true });
  fs.writeFileSync(state, JSON.stringify({ version: 4, resources: [resource] }));
}

describe('synth --out', () => {
  test('. in a project is refused: exit 2, the directory named, nothing touched', async () => {
    const dir = project();
    const before = snapshot(dir);
    const { code, stdout, stderr } = await cli(['synth', '--out', '.'], dir);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('--out: "." holds files aurora-audit did not write (.git, aurora-audit.yaml, notes.md)');
    expect(stderr).toContain('aurora-audit only ever replaces a directory it wrote itself');
    expect(snapshot(dir)).toEqual(before);
    expect(fs.readdirSync(path.dirname(dir)).filter((e) => e.startsWith(`${path.basename(dir)}.tmp-`) || e.startsWith(`${path.basename(dir)}.old-`))).toEqual([]);
  });

  test('the parent of the project is refused too', async () => {
    const dir = project();
    const before = snapshot(dir);
    const { code, stderr } = await cli(['synth', '--config', '../aurora-audit.yaml', '--out', '..'], path.join(dir, '.git'));
    expect(code).toBe(2);
    expect(stderr).toContain('--out: ".." holds files aurora-audit did not write');
    expect(snapshot(dir)).toEqual(before);
  });

  test('a file is refused and stays a file', async () => {
    const dir = project();
    const { code, stderr } = await cli(['synth', '--out', 'notes.md'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain('--out: "notes.md" is a file, not a directory');
    expect(fs.readFileSync(path.join(dir, 'notes.md'), 'utf8')).toBe('# mine\n');
  });

  test('a symbolic link is refused, not followed', async () => {
    const dir = project();
    const elsewhere = tempDir();
    fs.symlinkSync(elsewhere, path.join(dir, 'out'));
    const { code, stderr } = await cli(['synth', '--out', 'out'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain('--out: "out" is a symbolic link');
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  test('an empty directory somebody made is filled, and stays theirs', async () => {
    const dir = project();
    fs.mkdirSync(path.join(dir, 'out'));
    const inode = fs.statSync(path.join(dir, 'out')).ino;
    expect((await cli(['synth', '--out', 'out'], dir)).code).toBe(0);
    expect(fs.statSync(path.join(dir, 'out')).ino).toBe(inode);
    expect(fs.existsSync(path.join(dir, 'out', 'stacks', 'prod', 'cdk.tf.json'))).toBe(true);
  });

  test('its own output is replaced; files it did not write there are kept', async () => {
    const dir = project();
    expect((await cli(['synth'], dir)).code).toBe(0);
    fs.writeFileSync(path.join(dir, 'cdktf.out', 'README.txt'), 'team notes');
    fs.writeFileSync(path.join(dir, 'cdktf.out', 'stacks', 'prod', 'plan.bin'), 'plan');
    expect((await cli(['synth'], dir)).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'cdktf.out', 'README.txt'), 'utf8')).toBe('team notes');
    expect(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'prod', 'plan.bin'), 'utf8')).toBe('plan');
  });

  test("aurora-audit 0.1's output, which had no marker, is recognised by its shape and replaced", async () => {
    const dir = project();
    const legacy = path.join(dir, 'cdktf.out');
    fs.mkdirSync(path.join(legacy, 'stacks', 'production'), { recursive: true });
    // As 0.1 wrote it in this project: its state beside the project's other states.
    const json = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/legacy-0.1/deployed-0.1/production/cdk.tf.json'), 'utf8'));
    json.terraform.backend.local.path = '../../../terraform-state/production.tfstate';
    fs.writeFileSync(path.join(legacy, 'stacks', 'production', 'cdk.tf.json'), JSON.stringify(json));
    fs.writeFileSync(
      path.join(legacy, 'manifest.json'),
      JSON.stringify({ version: '0.21.0', stacks: { production: { name: 'production', synthesizedStackPath: 'stacks/production/cdk.tf.json' } } }),
    );
    // It was applied: its local state holds it.
    markApplied(dir, 'production', { mode: 'managed', type: 'aws_rds_cluster', name: 'cluster_orders_db', instances: [] });
    // The config now calls the stack of that account and region prod, so the 0.1 stack's adopted cluster would be
    // adopted again in another state while its own still holds it: refused, named, with the name to keep.
    const { code, stderr } = await cli(['synth'], dir);
    expect(code).toBe(2);
    expect(stderr).toMatch(/the stack production, which the config no longer has, holds [^\n]*the cluster orders-db \(aws_rds_cluster\.cluster_orders_db\)[^\n]* in account 123456789012, eu-west-1, where the new config adopts orders-db in the stack prod instead\./);
    expect(stderr).toContain('give it back the name production');
    // legacy-db left the config altogether: its own message, with the retired entry it needs either way.
    expect(stderr).toContain('the stack production, which the config no longer has, adopted the cluster legacy-db, which the new config leaves out');
    expect(stderr).not.toMatch(/holds [^\n]*legacy-db/);
    expect(fs.existsSync(path.join(legacy, 'stacks', 'production', 'cdk.tf.json'))).toBe(true);
  });

  test("a target moved to another region after its stack was applied: refused, what its state holds named; before any apply it is the user's to move", async () => {
    const dir = project();
    expect((await cli(['synth'], dir)).code).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8');
    writeConfig(dir, configWith((c) => (c.targets[0].region = 'us-east-2')));
    // Never applied (no state): nothing is deployed where it was, so the move is only a new synth.
    expect((await cli(['synth'], dir)).code).toBe(0);
    writeConfig(dir, baseConfig());
    expect((await cli(['synth'], dir)).code).toBe(0);
    markApplied(dir, 'prod');
    writeConfig(dir, configWith((c) => (c.targets[0].region = 'us-east-2')));
    const { code, stdout, stderr } = await cli(['synth'], dir);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toMatch(
      /^aurora-audit\.yaml: targets: the stack prod was made in account 123456789012, eu-west-1, and the new config puts it in account 123456789012, us-east-2\. A stack's state holds what it made where it made it \([^\n]*the cluster orders-db \(aws_rds_cluster\.[^)]+\)\): Terraform would look for all of it in the new place/m,
    );
    expect(stderr).toContain('Give the new account or region a target of its own, under a new name, and retire the clusters of prod (retired entries with stack: prod)');
    expect(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8')).toBe(before);
  });

  test('a target renamed after its stack was applied: refused as a rename, with the name to give back, nothing written', async () => {
    const dir = project();
    expect((await cli(['synth'], dir)).code).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8');
    markApplied(dir, 'prod');
    writeConfig(dir, configWith((c) => (c.targets[0].name = 'production')));
    const { code, stdout, stderr } = await cli(['synth'], dir);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    const lines = stderr.split('\n').filter((l) => l.includes('the stack prod,'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^aurora-audit\.yaml: targets: the stack prod, which the config no longer has, holds [^\n]*the KMS key \(aws_kms_key\.[^)]+\)[^\n]*the cluster orders-db \(aws_rds_cluster\.[^)]+\) in account 123456789012, eu-west-1, where the new config adopts orders-db in the stack production instead\./);
    expect(lines[0]).toContain('If a target or account was renamed, give it back the name prod.');
    expect(fs.readdirSync(path.join(dir, 'cdktf.out', 'stacks'))).not.toContain('production');
    expect(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8')).toBe(before);
  });

  test('a directory holding only a manifest.json that is not cdktf\'s is not taken for output', async () => {
    const dir = project();
    fs.mkdirSync(path.join(dir, 'out'));
    fs.writeFileSync(path.join(dir, 'out', 'manifest.json'), '{"name": "my-app"}');
    const { code, stderr } = await cli(['synth', '--out', 'out'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain('--out: "out" holds files aurora-audit did not write (manifest.json)');
    expect(fs.readFileSync(path.join(dir, 'out', 'manifest.json'), 'utf8')).toBe('{"name": "my-app"}');
  });
});
