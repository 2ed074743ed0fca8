/**
 * Benchmark: synthesizing a fleet. Each figure is measured in a process of its own (wall time, and peak memory from
 * the kernel's max RSS), in the same run:
 * - naive cdktf app: one App holding every stack, synthesized once, as a plain cdktf project does (cdktf's own
 *   preparing pass and toTerraform);
 * - aurora-audit synth --threads 1: the command's own path (one App per stack, staged and swapped in) on one thread;
 * - aurora-audit synth: the same with its default threads (one per core, at most 4);
 * - one stack changed: the same, after one cluster of the config changed, with the earlier output in place;
 * - nothing changed: the same again.
 * Prints figures beside the issue's goals; asserts nothing.
 *
 *   npm run bench:synth                  # 200 stacks of 5 clusters
 *   BENCH_STACKS=1000 npm run bench:synth
 *   BENCH_STACKS=1000 BENCH_REGIONS=4 BENCH_REPEAT=3 npm run bench:synth   # 250 accounts of 4 regions; median of 3
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { stringify } from 'yaml';
import { defaultThreads } from '../cli/parallel-synth';
import { keepHeapsCompact } from '../cli/heap';
import { synthesizeSafely } from '../cli/synth';
import { parseConfig } from '../config/load';
import { AuditStack } from '../stacks/audit-stack';

const STACKS = Number(process.env.BENCH_STACKS ?? 200);
const CLUSTERS = Number(process.env.BENCH_CLUSTERS ?? 5);
/** Regions per account: each account has a stack of its own too, so 1 (the default) is the most stacks per target. */
const REGIONS = Number(process.env.BENCH_REGIONS ?? 1);
/** Runs of the goal's measurement; the median is printed, since this machine's speed drifts from minute to minute. */
const REPEAT = Number(process.env.BENCH_REPEAT ?? 1);
const BENCH_REGION_NAMES = ['eu-west-1', 'eu-central-1', 'us-east-1', 'us-west-2', 'ap-southeast-2', 'eu-north-1', 'us-east-2', 'ap-northeast-1'];

function fleetConfig(changed: boolean): string {
  return stringify({
    version: 1,
    notifications: { slack: { teamId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } },
    targets: Array.from({ length: STACKS }, (_, i) => ({
      name: `acct-${i}`,
      accountId: String(100000000000 + Math.floor(i / REGIONS)),
      region: BENCH_REGION_NAMES[i % REGIONS],
      clusters: Array.from({ length: CLUSTERS }, (_, j) => ({
        identifier: `db-${j}`,
        engine: 'aurora-mysql',
        engineVersion: '8.0.mysql_aurora.3.05.2',
        attach: 'adopt',
        ...(changed && i === Math.floor(STACKS / 2) && j === 0 ? { detections: { 'drop-statements': { threshold: 2 } } } : {}),
      })),
    })),
  });
}

/** One measurement, run in this process when the script is started as a child. */
async function child(mode: string, dir: string): Promise<void> {
  // As the CLI and the cdktf app set it when they start; the naive baseline is a plain cdktf app, without it.
  if (mode !== 'naive') keepHeapsCompact();
  const model = parseConfig(fleetConfig(mode === 'one-changed'), path.join(dir, 'aurora-audit.yaml'));
  const started = process.hrtime.bigint();
  if (mode === 'naive') {
    const app = new App({ outdir: path.join(dir, 'naive.out'), stackTraces: false, skipValidation: true });
    for (const target of model.stacks) {
      const stack = new AuditStack(app, target.name, { target, backend: model.backend, localStatePath: `../../../terraform-state/${target.name}.tfstate` });
      // cdktf's own preparing pass and toTerraform, as a plain cdktf app has them.
      stack.prepareStack = TerraformStack.prototype.prepareStack;
      stack.toTerraform = TerraformStack.prototype.toTerraform;
    }
    app.synth();
  } else if (mode === 'one-thread') {
    await synthesizeSafely(model, path.join(dir, 'one-thread.out'), dir, { threads: 1 });
  } else {
    await synthesizeSafely(model, path.join(dir, 'cdktf.out'), dir);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stackJson = path.join(dir, { naive: 'naive.out', 'one-thread': 'one-thread.out' }[mode] ?? 'cdktf.out', 'stacks', model.stacks[0].name, 'cdk.tf.json');
  const synthesized = JSON.parse(fs.readFileSync(stackJson, 'utf8'));
  const resourcesPerStack = Object.values<Record<string, unknown>>(synthesized.resource ?? {}).reduce((sum, byName) => sum + Object.keys(byName).length, 0);
  process.stdout.write(JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024, resourcesPerStack }));
}

interface Measurement {
  seconds: number;
  maxRssMb: number;
  resourcesPerStack: number;
}

function measure(mode: string, dir: string): Measurement {
  const run = spawnSync(process.execPath, [__filename, mode, dir], { encoding: 'utf8', maxBuffer: 1 << 20, env: { ...process.env, CHECKPOINT_DISABLE: '1' } });
  if (run.status !== 0) throw new Error(`${mode}: ${run.stderr}`);
  return JSON.parse(run.stdout);
}

/** The run of median time, with its own memory figure. */
function median(runs: Measurement[]): Measurement {
  return [...runs].sort((a, b) => a.seconds - b.seconds)[Math.floor(runs.length / 2)];
}

/**
 * Synthesis from nothing, `REPEAT` times: each run into an output directory that does not exist yet. (A run into the
 * last one's output copies every stack from it: that is the "nothing changed" row, not this one.) The last run's
 * output stays, for the rows after it.
 */
function fromNothing(dir: string): Measurement[] {
  return Array.from({ length: REPEAT }, () => {
    fs.rmSync(path.join(dir, 'cdktf.out'), { recursive: true, force: true });
    return measure('full', dir);
  });
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-audit-bench-synth-'));
  try {
    const accounts = Math.ceil(STACKS / REGIONS);
    console.log(`${STACKS} stacks of ${CLUSTERS} clusters in ${accounts} accounts (${REGIONS} region${REGIONS === 1 ? '' : 's'} each, and an account stack each), ${os.cpus().length} cores, Node ${process.version}`);
    const naive = measure('naive', dir);
    const oneThread = measure('one-thread', dir);
    const full = fromNothing(dir);
    const rows: Array<[string, Measurement, string]> = [
      ['naive cdktf app (baseline)', naive, ''],
      ['aurora-audit synth --threads 1, from nothing', oneThread, ''],
      [`aurora-audit synth, from nothing (${defaultThreads()} threads${REPEAT > 1 ? `, median of ${REPEAT}` : ''})`, median(full), 'goal at 1,000 stacks: ≤ 10 s, ≤ 400 MB'],
      ['aurora-audit synth, one stack changed', measure('one-changed', dir), 'goal: ≤ 2 s'],
      ['aurora-audit synth, nothing changed', measure('one-changed', dir), ''],
    ];
    for (const [label, m, goal] of rows) {
      console.log(`${label.padEnd(50)} ${m.seconds.toFixed(2).padStart(7)} s ${m.maxRssMb.toFixed(0).padStart(6)} MB   ${goal}`);
    }
    if (REPEAT > 1) console.log(`from nothing, each run: ${full.map((m) => `${m.seconds.toFixed(2)} s ${m.maxRssMb.toFixed(0)} MB`).join(', ')}`);
    // The issue set its goals on stacks of 88 resources; the stacks have grown since, so give the size they were met on.
    const perStack = rows[2][1].resourcesPerStack;
    const rate = (m: Measurement) => Math.round((STACKS * perStack) / m.seconds).toLocaleString('en-US');
    console.log(`${perStack} resources per stack (the goals were set on 88: 8,800 resources/s); from nothing ${rate(rows[1][1])} resources/s on one thread, ${rate(rows[2][1])} on ${defaultThreads()}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2]) {
  child(process.argv[2], process.argv[3]).catch((error) => {
    process.stderr.write(String(error?.stack ?? error));
    process.exit(1);
  });
} else {
  main();
}
