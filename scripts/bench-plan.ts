/**
 * Benchmark: what one stack's `terraform plan` costs a pipeline, before and after account stacks, in the same run.
 *
 * - today's shape: a region stack as aurora-audit synthesized it before (test/fixtures/legacy-0.2), which forwards
 *   Chatbot's events itself through a provider per Chatbot API region;
 * - the new shape: the same config's region stack now, and the account stack that took the forwarding over (it
 *   exists once per account, not per region).
 *
 * Each plan runs offline (fake credentials, no refresh) against an empty state, with the stack's import blocks made
 * into creates and no role assumed, so it needs no AWS; the plugin cache is warm before the first timed run. The
 * shapes take turns (today's, then the new region stack, then the account stack), BENCH_RUNS times (default 5).
 * Figures: wall time of `terraform plan`, and the peak of the summed resident memory of the provider processes alive
 * at once (read from /proc every 20 ms), with the medians and each run's ratio to today's shape. Prints figures
 * beside the goals (at most 1.1 GB peak, at most 0.75 of today's time per region stack); asserts nothing.
 *
 *   npm run bench:plan
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../config/load';
import { synthesize } from '../main';

const ROOT = path.resolve(__dirname, '..', '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { terraformStatus } = require(path.join(ROOT, 'test', 'support', 'terraform-env.js')) as { terraformStatus: () => { available: boolean; reason?: string; mirror?: string; version?: string } };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Run {
  readonly seconds: number;
  readonly peakProviderMb: number;
  readonly providers: number;
}

async function main(): Promise<void> {
  const status = terraformStatus();
  if (!status.available) {
    process.stderr.write(`bench:plan needs terraform and the hashicorp/aws mirror: ${status.reason}\n`);
    process.exitCode = 1;
    return;
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-audit-bench-plan-'));
  try {
    const rc = cliConfig(work, status.mirror!);
    const config = path.join(ROOT, 'test', 'fixtures', 'deployed-0.1.yaml');
    const model = parseConfig(fs.readFileSync(config, 'utf8'), config);
    const out = path.join(work, 'cdktf.out');
    synthesize(model, { outdir: out, projectDir: work });
    const read = (file: string): Json => JSON.parse(fs.readFileSync(file, 'utf8'));
    const shapes: Array<{ label: string; dir: string }> = [
      { label: "today's region stack (legacy-0.2 production)", dir: offline(work, 'old', read(path.join(ROOT, 'test', 'fixtures', 'legacy-0.2', 'deployed-0.1', 'production', 'cdk.tf.json')), rc) },
      { label: 'new region stack (production)', dir: offline(work, 'new', read(path.join(out, 'stacks', 'production', 'cdk.tf.json')), rc) },
      { label: 'new account stack (account-123456789012), once per account', dir: offline(work, 'account', read(path.join(out, 'stacks', 'account-123456789012', 'cdk.tf.json')), rc) },
    ];
    // Warm: the first plan of a directory pays for the plugin cache's first copy and the page cache.
    for (const s of shapes) await plan(s.dir, rc);
    const runs = shapes.map(() => [] as Run[]);
    for (let i = 0; i < RUNS; i++) for (const [k, s] of shapes.entries()) runs[k].push(await plan(s.dir, rc));
    report(shapes.map((s) => s.label), runs, status.version ?? '?');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function cliConfig(work: string, mirror: string): string {
  const rc = path.join(work, 'terraform.rc');
  fs.mkdirSync(path.join(work, 'plugin-cache'));
  fs.writeFileSync(
    rc,
    `disable_checkpoint = true\nplugin_cache_dir = ${JSON.stringify(path.join(work, 'plugin-cache'))}\nprovider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/aws"]\n  }\n  direct { exclude = ["registry.terraform.io/hashicorp/aws"] }\n}\n`,
  );
  return rc;
}

function env(rc: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TF_CLI_CONFIG_FILE: rc,
    TF_IN_AUTOMATION: '1',
    CHECKPOINT_DISABLE: '1',
    AWS_ACCESS_KEY_ID: 'AKIAAURORAAUDITBENCH',
    AWS_SECRET_ACCESS_KEY: 'aurora-audit-offline-bench',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
}

/** A copy of the stack that plans offline: imports made creates, no role, fake credentials, a local empty state. */
function offline(work: string, name: string, stack: Json, rc: string): string {
  const dir = path.join(work, name);
  fs.mkdirSync(dir);
  const json = structuredClone(stack);
  delete json.import;
  json.terraform.backend = { local: { path: 'state.tfstate' } };
  for (const p of json.provider.aws) delete p.assume_role;
  const skip = { skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: 'true', skip_region_validation: true, allowed_account_ids: null };
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json));
  fs.writeFileSync(path.join(dir, 'offline_override.tf.json'), JSON.stringify({ provider: { aws: json.provider.aws.map((p: Json) => (p.alias ? { alias: p.alias, ...skip } : skip)) } }));
  execFileSync('terraform', ['init', '-input=false', '-no-color'], { cwd: dir, env: env(rc), stdio: 'ignore' });
  return dir;
}

/** One `terraform plan`, timed, with the provider processes' summed memory polled while it runs. */
async function plan(dir: string, rc: string): Promise<Run> {
  const started = process.hrtime.bigint();
  const child = spawn('terraform', ['plan', '-refresh=false', '-input=false', '-lock=false', '-no-color', '-out=plan.bin'], { cwd: dir, env: env(rc), stdio: 'ignore' });
  let peak = 0;
  let most = 0;
  const poll = setInterval(() => {
    const providers = descendants(child.pid!).filter((pid) => comm(pid).startsWith('terraform-provi'));
    peak = Math.max(peak, providers.reduce((sum, pid) => sum + rssKb(pid), 0));
    most = Math.max(most, providers.length);
  }, 20);
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  clearInterval(poll);
  if (code !== 0) throw new Error(`terraform plan failed in ${dir}`);
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, peakProviderMb: peak / 1024, providers: most };
}

function descendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // Gone meanwhile.
    }
  }
  const found: number[] = [];
  const walk = (pid: number) => {
    for (const [child, parent] of parents) {
      if (parent === pid) {
        found.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  return found;
}

function comm(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function report(labels: readonly string[], runs: readonly Run[][], version: string): void {
  const base = runs[0];
  const lines = [
    `terraform plan, offline, ${RUNS} runs each in turn (Terraform ${version}, hashicorp/aws 5.100.0, ${os.cpus().length} cores)`,
    '',
    '| stack | plan time (median, min-max) | ratio to today (median of pairs) | peak provider memory (median) | provider processes at once |',
    '|---|---|---|---|---|',
  ];
  labels.forEach((label, k) => {
    const seconds = runs[k].map((r) => r.seconds);
    const ratios = runs[k].map((r, i) => r.seconds / base[i].seconds);
    lines.push(
      `| ${label} | ${median(seconds).toFixed(2)} s (${Math.min(...seconds).toFixed(2)}-${Math.max(...seconds).toFixed(2)}) | ${k === 0 ? '1.00' : median(ratios).toFixed(2)} | ${(median(runs[k].map((r) => r.peakProviderMb)) / 1024).toFixed(2)} GB | ${Math.max(...runs[k].map((r) => r.providers))} |`,
    );
  });
  const region = runs[1];
  lines.push(
    '',
    `Goals, per region stack: peak provider memory at most 1.1 GB: ${(median(region.map((r) => r.peakProviderMb)) / 1024).toFixed(2)} GB; plan time at most 0.75 of today's: ${median(region.map((r, i) => r.seconds / base[i].seconds)).toFixed(2)}.`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main();
