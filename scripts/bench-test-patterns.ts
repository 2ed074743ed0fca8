/**
 * Benchmark: `test-patterns` throughput and memory on generated audit logs, beside a baseline that only reads the
 * same file line by line, each in its own process in the same run, on one thread and with test-patterns' scan threads.
 * Two logs, in the shape of Advanced Auditing's lines:
 * - dense: four lines in five hold a word a detection looks for (DROP, GRANT, ALTER, a 'drop' in a literal), and one
 *   in fifty is a failed connection: the worst case for the prefilter, which lets almost every line through;
 * - typical: what an audit log of CONNECT, QUERY_DCL and QUERY_DDL events with some DML mostly holds: connections,
 *   disconnections and ordinary statements, with one DDL or DCL statement and one failed connection in a hundred lines.
 * Prints figures; asserts nothing.
 *
 *   npm run bench:test-patterns            (1,000,000 lines each, about 130 MB)
 *   BENCH_LINES=8000000 npm run bench:test-patterns   (about 1 GB)
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const dist = path.join(__dirname, '..');

type Mix = 'dense' | 'typical';

function generate(file: string, mix: Mix): void {
  const out = fs.openSync(file, 'w');
  const dense = ["SELECT * FROM orders WHERE id = 42", "INSERT INTO notes VALUES (\\'drop table x\\')", 'DROP TABLE tmp_report', "GRANT SELECT ON app.* TO \\'bi\\'@\\'%\\'", 'ALTER TABLE orders ADD c INT'];
  const ordinary = ["SELECT name, total FROM orders WHERE id = 42", "UPDATE carts SET qty = 2 WHERE id = 7", "INSERT INTO events VALUES (1, \\'checkout\\')", 'SELECT 1', "DELETE FROM sessions WHERE expires < NOW()"];
  const rare = ['DROP TABLE tmp_report', "GRANT SELECT ON app.* TO \\'bi\\'@\\'%\\'", 'ALTER TABLE orders ADD c INT', 'CREATE TABLE audit_copy LIKE orders'];
  let t = Date.parse('2024-01-01T00:00:00Z') * 1000;
  let chunk = '';
  for (let i = 1; i <= LINES; i++) {
    t += 5_000 + (i % 7) * 1000;
    const head = `${t},db-1,app,10.0.${i % 255}.7,${i}`;
    if (mix === 'dense') {
      chunk += i % 50 === 0 ? `${head},0,FAILED_CONNECT,,,1045\n` : `${head},${i * 3},QUERY,app,'${dense[i % dense.length]}',0\n`;
    } else {
      const k = i % 100;
      chunk +=
        k === 0
          ? `${head},0,FAILED_CONNECT,,,1045\n`
          : k === 50
            ? `${head},${i * 3},QUERY,app,'${rare[(i / 100) % rare.length | 0]}',0\n`
            : k % 10 === 1
              ? `${head},0,CONNECT,,,0\n`
              : k % 10 === 2
                ? `${head},0,DISCONNECT,,,0\n`
                : `${head},${i * 3},QUERY,app,'${ordinary[i % ordinary.length]}',0\n`;
    }
    if (chunk.length > 1 << 20) {
      fs.writeSync(out, chunk);
      chunk = '';
    }
  }
  fs.writeSync(out, chunk);
  fs.closeSync(out);
}

/** Runs a script in a fresh node and returns its wall time and peak RSS. */
function measure(script: string, file: string): { seconds: number; maxRssMb: number } {
  const wrapper = `
    const started = process.hrtime.bigint();
    (async () => { ${script} })().then(() => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      process.stdout.write(JSON.stringify({ seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
    });`;
  return JSON.parse(execFileSync(process.execPath, ['-e', wrapper], { env: { ...process.env, BENCH_FILE: file, BENCH_DIST: dist }, encoding: 'utf8', maxBuffer: 1 << 26 }));
}

const threads = Math.min(4, os.availableParallelism());
const rate = (s: number) => `${Math.round(LINES / s).toLocaleString('en-US')} lines/s`;

for (const mix of ['dense', 'typical'] as const) {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-audit-bench-')), 'audit.log');
  generate(file, mix);
  const sizeMb = fs.statSync(file).size / 1e6;
  const baseline = measure(
    `const rl = require('node:readline').createInterface({ input: require('node:fs').createReadStream(process.env.BENCH_FILE), crlfDelay: Infinity });
     let n = 0; for await (const _ of rl) n++;`,
    file,
  );
  const scan = measure(
    `const { scanLog, openLog } = require(process.env.BENCH_DIST + '/detections/scan.js');
     const { DETECTIONS } = require(process.env.BENCH_DIST + '/detections/index.js');
     const ds = DETECTIONS['aurora-mysql'].map((definition) => ({ definition, ...definition.defaults }));
     await scanLog(openLog(process.env.BENCH_FILE), ds);`,
    file,
  );
  // What test-patterns does with a log this big: one scan thread per core (at most four), this one reading.
  const threaded = measure(
    `const { scanLog, openLog } = require(process.env.BENCH_DIST + '/detections/scan.js');
     const { DETECTIONS } = require(process.env.BENCH_DIST + '/detections/index.js');
     const ds = DETECTIONS['aurora-mysql'].map((definition) => ({ definition, ...definition.defaults }));
     await scanLog(openLog(process.env.BENCH_FILE), ds, undefined, { threads: ${threads} });`,
    file,
  );
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  process.stdout.write(`test-patterns benchmark, ${mix} log: ${LINES.toLocaleString('en-US')} audit lines, ${sizeMb.toFixed(0)} MB\n`);
  process.stdout.write(`  read lines only (baseline): ${baseline.seconds.toFixed(2)} s, ${rate(baseline.seconds)}, peak RSS ${baseline.maxRssMb.toFixed(0)} MB\n`);
  process.stdout.write(`  all 6 detections + alarms:  ${scan.seconds.toFixed(2)} s, ${rate(scan.seconds)}, peak RSS ${scan.maxRssMb.toFixed(0)} MB\n`);
  process.stdout.write(`  the same, ${threads} scan threads:   ${threaded.seconds.toFixed(2)} s, ${rate(threaded.seconds)}, peak RSS ${threaded.maxRssMb.toFixed(0)} MB\n`);
  process.stdout.write(`  cost of matching: ${(scan.seconds / baseline.seconds).toFixed(1)}x the time of reading on one thread, ${(threaded.seconds / baseline.seconds).toFixed(1)}x on ${threads} (goal: at most 3x)\n`);
}
