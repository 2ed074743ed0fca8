/**
 * Runs the real Terraform, offline, against the machine's mirror of hashicorp/aws 5.100.0, through a CLI config
 * file of the tests' own (TF_CLI_CONFIG_FILE), never the user's.
 *
 * Two things make it cheaper without changing what Terraform is asked or what it answers:
 * - Terraform's answers (a plan's JSON, a validation) are kept in a cache outside the clone, under a key of every file
 *   given to Terraform, the exact command, Terraform's version and the provider binary (terraform-cache.ts). A key
 *   that differs in any of them is asked again.
 * - Commands that only read the provider's schema (`validate`, `show -json`, `providers schema`) reach one provider
 *   process per test process, started once in the provider's own debug mode (TF_REATTACH_PROVIDERS), instead of
 *   starting a 700 MB binary each time. They never configure the provider, so there is nothing to share between them.
 *   `plan` configures the provider and always starts its own.
 */
import { execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Json } from './fixtures';
import { cachedAnswer, filesOf } from './terraform-cache';
import { PROVIDER_VERSION, terraformStatus, type TerraformStatus } from './terraform-env';

export const status: TerraformStatus = terraformStatus();
export const required = Boolean(process.env.AURORA_AUDIT_REQUIRE_TERRAFORM);

let home: string | undefined;

/** A temp dir with the CLI config and a plugin cache, so the 700 MB provider is copied once per test process. */
function terraformHome(): string {
  if (home) return home;
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-audit-tf-'));
  fs.mkdirSync(path.join(home, 'plugin-cache'));
  fs.writeFileSync(
    path.join(home, 'terraform.rc'),
    [
      'disable_checkpoint = true',
      `plugin_cache_dir = ${JSON.stringify(path.join(home, 'plugin-cache'))}`,
      'provider_installation {',
      `  filesystem_mirror {\n    path    = ${JSON.stringify(status.mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }`,
      '  direct {\n    exclude = ["registry.terraform.io/hashicorp/aws"]\n  }',
      '}',
      '',
    ].join('\n'),
  );
  return home;
}

export function removeTerraformHome(): void {
  if (home) fs.rmSync(home, { recursive: true, force: true });
  home = undefined;
  // What was initialized links into the plugin cache that went with it.
  initialized.clear();
}

export interface TerraformRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Go's collector in Terraform and in the providers it starts: collecting a quarter as often costs about a quarter less
 * CPU per plan on the 2-core machine (5.2 s against 3.9 s for the quickstart stack and its five provider
 * configurations, each the mean of three), for about 450 MB rather than 310 MB in the largest process. It changes how
 * fast Terraform answers, never what.
 */
const GO_GC = { GOGC: '400' };

/** Commands that read the provider's schema and never configure it: they may share one provider process. */
const SCHEMA_ONLY = new Set(['validate', 'show', 'providers']);

export async function terraform(cwd: string, args: readonly string[]): Promise<TerraformRun> {
  const reattach = SCHEMA_ONLY.has(args[0]) ? await schemaServer() : undefined;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    TF_CLI_CONFIG_FILE: path.join(terraformHome(), 'terraform.rc'),
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    ...GO_GC,
    // Fake credentials and no metadata service: nothing may reach AWS.
    AWS_ACCESS_KEY_ID: 'AKIAAURORAAUDITTEST',
    AWS_SECRET_ACCESS_KEY: 'aurora-audit-offline-test',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    ...(reattach ? { TF_REATTACH_PROVIDERS: reattach } : {}),
  };
  return new Promise((resolve) => {
    execFile('terraform', [...args], { cwd, env, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

let server: Promise<string | undefined> | undefined;

/**
 * The provider, started once in its debug mode, as TF_REATTACH_PROVIDERS names it; undefined when it could not start
 * (each command then starts its own, as usual). It ends with this process: a shell waits on our end of a pipe.
 */
function schemaServer(): Promise<string | undefined> {
  server ??= new Promise((resolve) => {
    const binary = path.join(status.mirror!, 'registry.terraform.io', 'hashicorp', 'aws', PROVIDER_VERSION, platform());
    const file = fs.readdirSync(binary).find((f) => f.startsWith('terraform-provider-aws'));
    if (!file) return resolve(undefined);
    const child = spawn('sh', ['-c', '"$0" -debug & p=$!; cat >/dev/null; kill $p 2>/dev/null', path.join(binary, file)], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, TMPDIR: process.env.TMPDIR, CHECKPOINT_DISABLE: '1', ...GO_GC },
    });
    let out = '';
    let given = false;
    const give = (value: string | undefined) => {
      clearTimeout(timer);
      given = true;
      out = '';
      resolve(value);
    };
    const timer = setTimeout(() => give(undefined), 60_000);
    child.on('error', () => give(undefined));
    child.on('exit', () => {
      // A server that ends later is asked no more: the commands start their own provider again.
      if (given) server = undefined;
      give(undefined);
    });
    // Read to the end, or the provider dies of a broken pipe the next time it logs.
    child.stdout.on('data', (chunk: Buffer) => {
      if (given) return;
      out += chunk.toString('utf8');
      const reattach = /TF_REATTACH_PROVIDERS='([^']+)'/.exec(out)?.[1];
      if (reattach) give(reattach);
    });
    // Neither the shell nor its pipe keeps this process alive; the pipe closes when it exits.
    child.unref();
    for (const stream of [child.stdin, child.stdout]) (stream as unknown as { unref?: () => void }).unref?.();
  });
  return server;
}

function platform(): string {
  return `${process.platform === 'win32' ? 'windows' : process.platform}_${process.arch === 'x64' ? 'amd64' : process.arch}`;
}

/** Provider settings that let `plan` run with fake credentials: the provider's own skip flags. */
export function offlineProviderOverride(stackJson: { provider: { aws: Array<{ alias?: string }> } }): string {
  const skip = {
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: 'true',
    skip_region_validation: true,
    // With no account id requested there is nothing to compare against; unit tests assert the real value.
    allowed_account_ids: null,
  };
  return JSON.stringify({ provider: { aws: stackJson.provider.aws.map((p) => (p.alias ? { alias: p.alias, ...skip } : skip)) } }, null, 2);
}

async function initOrThrow(dir: string, args: readonly string[]): Promise<void> {
  const init = await terraform(dir, ['init', ...args, '-input=false', '-no-color']);
  if (init.code !== 0 || init.stderr !== '') throw new Error(`terraform init failed (${init.code}) in ${dir}: ${init.stderr}`);
}

const initialized = new Map<string, Promise<string>>();

/**
 * `terraform init` of a directory, done once per test process for each backend and provider requirement: the
 * directories the tests plan in differ in their resources only, so the first is initialized by Terraform and the others
 * get a copy of what its init wrote (the provider linked from the plugin cache, the backend's settings, the lock file).
 */
async function initLike(dir: string, args: readonly string[] = []): Promise<void> {
  const { terraform: settings } = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  // Without a backend (validate), the backend's settings make no difference to what init writes.
  const key = JSON.stringify([args.includes('-backend=false') ? null : settings?.backend, settings?.required_providers, args]);
  let first = initialized.get(key);
  if (!first) {
    first = initOrThrow(dir, args).then(() => dir);
    initialized.set(key, first);
    first.catch(() => initialized.delete(key));
    await first;
    return;
  }
  const source = await first;
  // Planned again (the next round of a state being built): initialized already.
  if (source === dir || fs.existsSync(path.join(dir, '.terraform.lock.hcl'))) return;
  copyTree(path.join(source, '.terraform'), path.join(dir, '.terraform'));
  fs.copyFileSync(path.join(source, '.terraform.lock.hcl'), path.join(dir, '.terraform.lock.hcl'));
}

/** A directory copied as it is, links as links (the provider is a link into the plugin cache). */
function copyTree(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const [a, b] = [path.join(from, entry.name), path.join(to, entry.name)];
    if (entry.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(a), b);
    else if (entry.isDirectory()) copyTree(a, b);
    else fs.copyFileSync(a, b);
  }
}

/**
 * `terraform init -backend=false` and `terraform validate -json` of a stack directory: the validation's JSON. Throws
 * when init fails.
 */
export async function validateStack(dir: string): Promise<Json> {
  const answer = await cachedAnswer(['validate'], filesOf(dir), async () => {
    await initLike(dir, ['-backend=false']);
    const validate = await terraform(dir, ['validate', '-json', '-no-color']);
    return validate.stdout;
  });
  return JSON.parse(answer);
}

/**
 * `terraform plan -refresh=false` of a directory against the state its backend names, then `terraform show -json` of
 * the plan: the plan's JSON, also written to plan.json there. Throws when the plan fails or warns.
 */
export async function planOffline(dir: string): Promise<Json> {
  const answer = await cachedAnswer(['plan', '-refresh=false'], [...filesOf(dir), stateFileOf(dir)], async () => {
    await initLike(dir);
    const planned = await terraform(dir, ['plan', '-refresh=false', '-input=false', '-lock=false', '-no-color', '-out=plan.bin']);
    if (planned.code !== 0 || planned.stderr !== '') throw new Error(`terraform plan failed (${planned.code}): ${planned.stderr}`);
    const shown = await terraform(dir, ['show', '-json', 'plan.bin']);
    if (shown.code !== 0) throw new Error(`terraform show failed (${shown.code}): ${shown.stderr}`);
    return shown.stdout;
  });
  fs.writeFileSync(path.join(dir, 'plan.json'), answer);
  return JSON.parse(answer);
}

/** The state a local backend reads, wherever it is: part of what a plan is given. */
function stateFileOf(dir: string): [string, string] {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8'));
  const local = json.terraform?.backend?.local;
  if (!local) throw new Error(`planOffline: ${dir} does not plan against a local state`);
  const file = path.resolve(dir, local.path ?? 'terraform.tfstate');
  return ['<state>', fs.existsSync(file) ? createHash('sha256').update(fs.readFileSync(file)).digest('hex') : 'absent'];
}

let schema: Promise<Record<string, Json>> | undefined;

/** The resource schemas of hashicorp/aws 5.100.0, read once per test process from the provider itself. */
export function providerResourceSchemas(): Promise<Record<string, Json>> {
  schema ??= (async () => {
    const dir = fs.mkdtempSync(path.join(terraformHome(), 'schema-'));
    fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: PROVIDER_VERSION } } } }));
    const answer = await cachedAnswer(['providers', 'schema', '-json'], filesOf(dir), async () => {
      await initOrThrow(dir, []);
      const shown = await terraform(dir, ['providers', 'schema', '-json']);
      if (shown.code !== 0) throw new Error(`terraform providers schema failed (${shown.code}): ${shown.stderr}`);
      return shown.stdout;
    });
    return JSON.parse(answer).provider_schemas['registry.terraform.io/hashicorp/aws'].resource_schemas;
  })();
  return schema;
}

/**
 * The Terraform tests of a file: run when terraform and the provider mirror are here. Otherwise CI
 * (AURORA_AUDIT_REQUIRE_TERRAFORM) fails, and a developer's machine lists the checks as todo, which
 * test/terraform-reporter.js names at the end of the run.
 */
export function describeWithTerraform(title: string, todo: readonly string[], body: () => void): void {
  if (!status.available && required) {
    describe(title, () => {
      test('terraform and the hashicorp/aws 5.100.0 mirror are present (AURORA_AUDIT_REQUIRE_TERRAFORM is set)', () => {
        throw new Error(`Terraform checks cannot run: ${status.reason}`);
      });
    });
  } else if (!status.available) {
    describe(title, () => {
      for (const t of todo) test.todo(t);
    });
  } else {
    afterAll(removeTerraformHome);
    body();
  }
}
