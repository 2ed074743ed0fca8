/**
 * Benchmark: how long `aurora-audit --help` takes, beside a bare `node -e 0` measured in the same run. The target is
 * under 0.5 s on the project machine; this prints figures and asserts nothing.
 *
 *   npm run bench:startup
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const RUNS = 10;
const bin = path.join(__dirname, '..', '..', 'bin', 'aurora-audit.js');

function median(args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}`);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)];
}

const baseline = median(['-e', '0']);
const help = median([bin, '--help']);
const initHelp = median([bin, 'init', '--help']);
process.stdout.write(`CLI start-up, median of ${RUNS} runs:\n`);
process.stdout.write(`  node -e 0 (baseline):        ${baseline.toFixed(0)} ms\n`);
process.stdout.write(`  aurora-audit --help:         ${help.toFixed(0)} ms (${(help - baseline).toFixed(0)} ms over node itself; target < 500 ms)\n`);
process.stdout.write(`  aurora-audit init --help:    ${initHelp.toFixed(0)} ms\n`);
