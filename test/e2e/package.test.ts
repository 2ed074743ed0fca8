/**
 * aurora-audit as a platform team adds it to a repository of its own: the packed tarball (`npm pack`), installed
 * beside its runtime dependencies only, run from an empty folder against the local fake AWS. `init` walks an
 * organization of several accounts and sets the folder up; `validate`, `synth` and the cdktf app work from there.
 *
 * Offline, npm cannot resolve a tarball's dependencies afresh, so the install is made as npm lays it out: the package
 * extracted to node_modules/aurora-audit, and each runtime dependency the shrinkwrap lists (dev ones left out) linked
 * beside it. A file the tarball lacks, or a runtime dependency declared as a dev one, fails here.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { fakeAwsEnv } from '../support/aws-env';
import { startFakeAws, type FakeAws } from '../support/fake-aws';
import { ROOT, tempDir, type Json } from '../support/fixtures';

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version as string;

let aws: FakeAws;
let installed: string;
let tarballFiles: string[];

/** The built CLI of the installed package, as a separate process (no TTY), which the fake AWS in this process answers. */
function run(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', CHECKPOINT_DISABLE: '1', ...fakeAwsEnv(aws, '200000000000', { AWS_REGION: 'eu-west-1' }), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const bin = () => path.join(installed, 'node_modules', 'aurora-audit', 'bin', 'aurora-audit.js');

beforeAll(async () => {
  const packed = tempDir();
  const pack = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packed], { cwd: ROOT, encoding: 'utf8' });
  expect({ code: pack.status, stderr: pack.status === 0 ? '' : pack.stderr }).toEqual({ code: 0, stderr: '' });
  const [{ filename, files }] = JSON.parse(pack.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarballFiles = files.map((f) => f.path);

  installed = tempDir();
  const modules = path.join(installed, 'node_modules');
  fs.mkdirSync(modules);
  expect(spawnSync('tar', ['xzf', path.join(packed, filename), '-C', installed]).status).toBe(0);
  fs.renameSync(path.join(installed, 'package'), path.join(modules, 'aurora-audit'));
  const shrinkwrap = JSON.parse(fs.readFileSync(path.join(modules, 'aurora-audit', 'npm-shrinkwrap.json'), 'utf8'));
  for (const [where, entry] of Object.entries(shrinkwrap.packages as Record<string, Json>)) {
    const name = where.replace(/^node_modules\//, '');
    if (!where.startsWith('node_modules/') || name.includes('/node_modules/') || entry.dev) continue;
    fs.mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name), 'dir');
  }

  aws = await startFakeAws({
    organization: {
      managementAccountId: '200000000000',
      accounts: [
        { id: '200000000000', name: 'Management' },
        { id: '200000000001', name: 'Cards Prod' },
        { id: '200000000002', name: 'Cards Staging' },
        { id: '200000000003', name: 'Data' },
      ],
    },
    accounts: [
      { accountId: '200000000000', regions: {}, slackWorkspaces: [{ id: 'T07EA123LEP', name: 'acme' }] },
      { accountId: '200000000001', regions: { 'eu-west-1': { clusters: [{ identifier: 'cards', tags: { audit: 'required' } }] } } },
      { accountId: '200000000002', regions: { 'eu-west-1': { clusters: [{ identifier: 'cards', tags: { audit: 'required' } }] } } },
      { accountId: '200000000003', regions: { 'eu-west-1': { clusters: [{ identifier: 'lake', engine: 'aurora-postgresql', engineVersion: '16.4', tags: { audit: 'required' } }] } } },
    ],
  });
});

afterAll(async () => {
  await aws?.close();
});

describe('the packed package', () => {
  test('holds the built CLI, the sources of the alert details function, templates, docs and changelog; no tests', () => {
    for (const file of ['bin/aurora-audit.js', 'dist/main.js', 'dist/cli/index.js', 'alert-details/handler.ts', 'detections/index.ts', 'templates/quickstart.yaml', 'docs/config-reference.md', 'docs/pipelines/github-actions.yml', 'CHANGELOG.md', 'README.md', 'npm-shrinkwrap.json', 'aurora-audit.schema.json']) {
      expect(tarballFiles).toContain(file);
    }
    expect(tarballFiles.filter((f) => f.startsWith('dist/test/') || f.startsWith('test/') || f.startsWith('dist/scripts/'))).toEqual([]);
    const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'node_modules', 'aurora-audit', 'package.json'), 'utf8'));
    expect(manifest.private).toBeUndefined();
    expect(Object.values(manifest.dependencies as Record<string, string>).every((v) => /^\d+\.\d+\.\d+$/.test(v))).toBe(true);
  });

  test('its version is the CHANGELOG\'s newest, and --version says it', async () => {
    expect(fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8')).toMatch(new RegExp(`^## ${VERSION.replace(/\./g, '\\.')}$`, 'm'));
    const { code, stdout } = await run([bin(), '--version'], installed);
    expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: VERSION });
  });
});

describe('from an empty folder', () => {
  let project: string;
  let initRun: { code: number; stdout: string; stderr: string };

  beforeAll(async () => {
    project = tempDir();
    initRun = await run(
      [bin(), 'init', '--yes', '--organization', 'aurora-audit-deploy', '--tag', 'audit=required', '--regions', 'eu-west-1', '--slack-channel-id', 'C07EZ1ABC23', '--config', 'aurora-audit.yaml'],
      project,
    );
  });

  test('init walks the organization and sets the repository up around the config', () => {
    expect({ code: initRun.code, stderr: initRun.stderr }).toEqual({ code: 0, stderr: expect.stringContaining('Organization: 4 active account(s)') });
    expect(fs.readdirSync(project).sort()).toEqual(['.gitignore', 'aurora-audit.yaml', 'cdktf.json', 'ci-examples', 'package.json']);
    const config = parseYaml(fs.readFileSync(path.join(project, 'aurora-audit.yaml'), 'utf8'));
    expect(config.accounts.map((a: Json) => [a.id, a.name, Object.keys(a.regions['eu-west-1'])])).toEqual([
      ['200000000001', 'cards-prod', ['cards']],
      ['200000000002', 'cards-staging', ['cards']],
      ['200000000003', 'data', ['lake']],
    ]);
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
    // The cdktf CLI aurora-audit is tested with, pinned, and scripts that keep it from phoning home.
    const own = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.devDependencies).toEqual({ 'aurora-audit': VERSION, 'cdktf-cli': own.devDependencies['cdktf-cli'] });
    expect(pkg.scripts['cdktf:deploy']).toBe('CHECKPOINT_DISABLE=1 CDKTF_HOME=./.cdktf cdktf deploy');
    expect(JSON.parse(fs.readFileSync(path.join(project, 'cdktf.json'), 'utf8')).projectId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fs.readFileSync(path.join(project, '.gitignore'), 'utf8')).toContain('cdktf.out/');
    expect(fs.readdirSync(path.join(project, 'ci-examples')).sort()).toEqual(['apply-stacks.sh', 'github-actions.yml', 'gitlab-ci.yml', 'plan-stacks.sh']);
    expect(initRun.stderr).toContain(`npm install   (installs the aurora-audit ${VERSION} that package.json pins`);
    // And the role its pipelines deploy with.
    expect(initRun.stderr).toContain('aurora-audit bootstrap --out deploy-role --ci github --repository <owner/name> --branch main');
    // An organization's config with local state is said at once, with the flags that give it S3 state.
    expect(initRun.stderr).toContain('State: local files in terraform-state/ for an organization; the example pipelines plan and apply from S3 state. Pass --backend s3');
  });

  test('validate and synth work from there, one stack per account', async () => {
    const validate = await run([bin(), 'validate', '--json'], project);
    expect(validate.code).toBe(0);
    expect(JSON.parse(validate.stdout).stacks.map((s: Json) => s.name)).toEqual(['cards-prod-eu-west-1', 'cards-staging-eu-west-1', 'data-eu-west-1']);
    const synth = await run([bin(), 'synth', '--quiet'], project);
    expect({ code: synth.code, stderr: synth.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fs.readdirSync(path.join(project, 'cdktf.out', 'stacks')).sort()).toEqual(['account-200000000001', 'account-200000000002', 'account-200000000003', 'cards-prod-eu-west-1', 'cards-staging-eu-west-1', 'data-eu-west-1']);
  });

  test('bootstrap writes the deploy role from there, for the organization init walked', async () => {
    const out = path.join(project, 'deploy-role');
    const bootstrap = await run([bin(), 'bootstrap', '--out', out, '--ci', 'role', '--role-arn', 'arn:aws:iam::200000000001:role/aurora-audit-pipeline'], project);
    expect({ code: bootstrap.code, stderr: bootstrap.stderr }).toEqual({ code: 0, stderr: '' });
    expect(fs.readdirSync(out)).toEqual(expect.arrayContaining(['deploy-role-stackset.yaml', 'deploy-role-trust.json', 'discover-policy.json', 'organization-policy.json']));
    // The walk's policy names the role init walked the organization with.
    expect(JSON.parse(fs.readFileSync(path.join(out, 'organization-policy.json'), 'utf8')).Statement[1].Resource).toMatch(/:role\/[\w+=,.@-]+$/);
    fs.rmSync(out, { recursive: true });
  });

  test('the cdktf app cdktf.json names synthesizes the same stacks once aurora-audit is installed in the project', async () => {
    fs.symlinkSync(path.join(installed, 'node_modules'), path.join(project, 'node_modules'), 'dir');
    const app = JSON.parse(fs.readFileSync(path.join(project, 'cdktf.json'), 'utf8')).app as string;
    const [node, script] = app.split(' ');
    expect(node).toBe('node');
    const outdir = path.join(project, 'app.out');
    const result = await run([script], project, { CDKTF_OUTDIR: outdir });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    for (const stack of ['cards-prod-eu-west-1', 'data-eu-west-1']) {
      const byApp = fs.readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
      const bySynth = fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8');
      expect(JSON.parse(byApp).resource).toEqual(JSON.parse(bySynth).resource);
    }
  });

  test('the cdktf CLI the scaffold pins synthesizes there, and writes nothing into the tracked cdktf.json', async () => {
    if (!fs.existsSync(path.join(project, 'node_modules'))) fs.symlinkSync(path.join(installed, 'node_modules'), path.join(project, 'node_modules'), 'dir');
    const before = fs.readFileSync(path.join(project, 'cdktf.json'), 'utf8');
    // The scaffold's own script, with the cdktf CLI of this repository (the version it pins).
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8'));
    const env = Object.fromEntries(pkg.scripts['cdktf:deploy'].split(' ').filter((w: string) => w.includes('=')).map((w: string) => w.split('=')));
    const result = await run([path.join(ROOT, 'node_modules', 'cdktf-cli', 'bundle', 'bin', 'cdktf'), 'synth', '--output', 'cli.out'], project, env);
    expect({ code: result.code, out: result.stdout.slice(-300), err: result.stderr.slice(-300) }).toMatchObject({ code: 0 });
    expect(fs.readdirSync(project)).toContain('cli.out');
    expect(fs.existsSync(path.join(project, 'cli.out', 'stacks', 'data-eu-west-1', 'cdk.tf.json'))).toBe(true);
    expect(fs.readFileSync(path.join(project, 'cdktf.json'), 'utf8')).toBe(before);
  });

  test('running init again changes nothing and sets up nothing more', async () => {
    const before = fs.readFileSync(path.join(project, 'aurora-audit.yaml'), 'utf8');
    const again = await run([bin(), 'init', '--yes', '--config', 'aurora-audit.yaml'], project);
    expect(again.code).toBe(0);
    expect(fs.readFileSync(path.join(project, 'aurora-audit.yaml'), 'utf8')).toBe(before);
    expect(again.stderr).not.toContain('Set up');
  });
});
