/**
 * Benchmark: how loading a config grows with its size. Hostile files (tens of thousands of keys, megabytes of
 * YAML) must be refused in time close to what the YAML parser alone takes, growing linearly; aurora-audit 0.1 took
 * 21 s for 40,000 keys because of the yaml library's duplicate-key check, which compares every key of a map with
 * every other (shown here as "yaml uniqueKeys", on the same text). Prints figures; asserts nothing.
 *
 *   npm run bench:config
 */
import { parseDocument } from 'yaml';
import { parseConfig } from '../config/load';
import { ConfigError } from '../config/problems';

const SIZES = (process.env.BENCH_KEYS ?? '5000,10000,20000,40000').split(',').map(Number);

function hostile(keys: number): string {
  const lines = Array.from({ length: keys }, (_, i) => `key_${i}: value ${'x'.repeat(40)}`);
  return `version: 1\n${lines.join('\n')}\ntargets: []\n`;
}

function seconds(work: () => void): number {
  const started = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - started) / 1e9;
}

console.log('keys     MB    yaml parse (baseline)   aurora-audit load   ratio   yaml uniqueKeys (0.1)');
for (const keys of SIZES) {
  const text = hostile(keys);
  const baseline = seconds(() => parseDocument(text, { uniqueKeys: false }).toJS());
  let problems = 0;
  const ours = seconds(() => {
    try {
      parseConfig(text, 'bench.yaml');
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      problems = e.problems.length;
    }
  });
  // The quadratic check, only where it finishes in reasonable time.
  const old = keys <= 20_000 ? `${seconds(() => parseDocument(text, { uniqueKeys: true })).toFixed(2)} s` : '(skipped: minutes)';
  console.log(
    `${String(keys).padEnd(8)} ${(text.length / 1e6).toFixed(1).padStart(4)}  ${baseline.toFixed(2).padStart(8)} s              ${ours.toFixed(2).padStart(6)} s         ${(ours / baseline).toFixed(1).padStart(5)}x   ${old}   (${problems} problems)`,
  );
}
