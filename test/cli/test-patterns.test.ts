/**
 * `aurora-audit test-patterns` on log files as users have them: downloaded from RDS, exported from CloudWatch, gzipped.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { cli } from '../support/cli';
import { configWith, ROOT, tempDir, writeConfig } from '../support/fixtures';
import { COUNTED_SHAPES, queryRow } from '../support/sql-shapes';

const PUBLISHED = path.join(ROOT, 'test', 'fixtures', 'published', 'aurora-mysql-audit.published.log');

describe('test-patterns', () => {
  test('--json prints exactly lines, and per detection count, lines and alarms', async () => {
    const { code, stdout } = await cli(['test-patterns', '--log', PUBLISHED, '--json', '--detections', 'drop-statements,failed-connections'], tempDir());
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      lines: 13,
      unreadable: { count: 0, lines: [] },
      detections: {
        'drop-statements': {
          count: 2,
          lines: [8, 12],
          alarms: [
            { from: '2020-10-23T08:34:00.000Z', to: '2020-10-23T08:35:00.000Z', count: 1 },
            { from: '2020-10-23T08:44:00.000Z', to: '2020-10-23T08:45:00.000Z', count: 1 },
          ],
        },
        'failed-connections': { count: 2, lines: [1, 13], alarms: [] },
      },
    });
  });

  test('a statement holding a stray NUL byte is still a log: the line is counted, the file is not refused as UTF-16', async () => {
    const dir = tempDir();
    const rows = [`1603442662867983,db-1,admin,10.0.0.1,5,6,QUERY,app,'DROP TABLE t',0`, `1603442662867984,db-1,admin,10.0.0.1,5,7,QUERY,app,'SELECT \u0000x',0`];
    fs.writeFileSync(path.join(dir, 'audit.log'), `${rows.join('\n')}\n`);
    const { code, stdout } = await cli(['test-patterns', '--log', 'audit.log', '--json', '--detections', 'drop-statements'], dir);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ lines: 2, detections: { 'drop-statements': { count: 1, lines: [1] } } });
  });

  test('the thresholds are the configured ones: a cluster that alarms at 2 failed logins a day fires on a burst, and one on the defaults does not', async () => {
    const dir = tempDir();
    writeConfig(
      dir,
      configWith((c) => {
        c.targets[0].clusters[0].detections = { 'failed-connections': { threshold: 2, periodSeconds: 86400 } };
      }),
    );
    const json = async (args: string[]) => JSON.parse((await cli(['test-patterns', '--log', PUBLISHED, '--json', '--detections', 'failed-connections', ...args], dir)).stdout);
    // The two failures are years apart (2018 and 2024), so even a day-long period holds only one each.
    expect((await json(['--cluster', 'orders-db'])).detections['failed-connections'].alarms).toEqual([]);
    const lines = fs.readFileSync(PUBLISHED, 'utf8').split('\n');
    const burst = path.join(dir, 'burst.log');
    fs.writeFileSync(burst, [lines[0], lines[0].replace('1728498527380921', '1728498537380921')].join('\n'));
    const out = JSON.parse((await cli(['test-patterns', '--log', burst, '--json', '--detections', 'failed-connections', '--cluster', 'orders-db'], dir)).stdout);
    expect(out.detections['failed-connections']).toEqual({ count: 2, lines: [1, 2], alarms: [{ from: '2024-10-09T00:00:00.000Z', to: '2024-10-10T00:00:00.000Z', count: 2 }] });
    const defaults = JSON.parse((await cli(['test-patterns', '--log', burst, '--json', '--detections', 'failed-connections', '--cluster', 'billing'], dir)).stdout);
    expect(defaults.detections['failed-connections'].alarms).toEqual([]);
  });

  test('custom detections from the config run beside the catalog', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => (c.customDetections = [{ id: 'user-drops', logType: 'audit', pattern: '"DROP USER"' }])));
    const out = JSON.parse((await cli(['test-patterns', '--log', PUBLISHED, '--json', '--detections', 'user-drops'], dir)).stdout);
    expect(out.detections['user-drops']).toMatchObject({ count: 1, lines: [12] });
  });

  test('reads CloudWatch exports (gzipped, as S3 export writes them), matching the message without its prefix', async () => {
    const dir = tempDir();
    const lines = fs.readFileSync(PUBLISHED, 'utf8').split('\n').filter(Boolean);
    const exported = lines.map((l) => `${new Date(Math.floor(Number(l.split(',')[0]) / 1000)).toISOString()} ${l}`).join('\n');
    const file = path.join(dir, 'export.log.gz');
    fs.writeFileSync(file, gzipSync(exported));
    const { code, stdout } = await cli(['test-patterns', '--log', file, '--detections', 'drop-statements'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('13 lines (CloudWatch export)');
    expect(stdout).toContain('drop-statements  2 matches on lines 8, 12');
  });

  test('a slow query log: one match per entry, timed by its # Time line', async () => {
    const dir = tempDir();
    const entry = (time: string, seconds: number) => [`# Time: ${time}`, '# User@Host: app[app] @  [10.0.1.25]  Id: 12345', `# Query_time: ${seconds}  Lock_time: 0.000123 Rows_sent: 1  Rows_examined: 1000000`, 'SET timestamp=1714558532;', "SELECT * FROM orders WHERE note LIKE '%# Query_time:%';"];
    const log = [...entry('2024-05-01T10:15:32.123456Z', 12.3), ...entry('2024-05-01T10:16:01.000000Z', 3.1), ...entry('2024-05-01T10:30:00.000000Z', 1.2)].join('\n');
    fs.writeFileSync(path.join(dir, 'slow.log'), log);
    writeConfig(dir, configWith((c) => (c.detections = { 'slow-query-volume': { threshold: 2 } })));
    const out = JSON.parse((await cli(['test-patterns', '--log', 'slow.log', '--json', '--detections', 'slow-query-volume'], dir)).stdout);
    expect(out.detections['slow-query-volume']).toEqual({
      count: 3,
      lines: [3, 8, 13],
      alarms: [{ from: '2024-05-01T10:15:00.000Z', to: '2024-05-01T10:20:00.000Z', count: 2 }],
    });
  });

  test('Aurora PostgreSQL logs run the pgAudit detections', async () => {
    const file = path.join(ROOT, 'test', 'fixtures', 'published', 'aurora-postgresql.published.log');
    const out = JSON.parse((await cli(['test-patterns', '--log', file, '--engine', 'aurora-postgresql', '--json'], tempDir())).stdout);
    expect(out).toEqual({
      lines: 2,
      unreadable: { count: 0, lines: [] },
      detections: {
        'drop-statements': { count: 1, lines: [1], alarms: [{ from: '2021-10-30T07:23:00.000Z', to: '2021-10-30T07:24:00.000Z', count: 1 }] },
        'failed-connections': { count: 1, lines: [2], alarms: [] },
        'privilege-changes': { count: 0, lines: [], alarms: [] },
        'truncate-statements': { count: 0, lines: [], alarms: [] },
        'schema-changes': { count: 0, lines: [], alarms: [] },
      },
    });
  });

  test('says how many lines are not audit records, with the first few, in text and --json: a statement with a raw newline is not skipped in silence', async () => {
    const dir = tempDir();
    const lines = [queryRow('SELECT 1', 'escaped'), "1700000000000001,db-1,admin,10.0.0.5,61,2,QUERY,app,'DROP TABLE t", "  WHERE x'", ...Array.from({ length: 8 }, () => 'stray'), queryRow('DROP TABLE u', 'escaped')];
    fs.writeFileSync(path.join(dir, 'audit.log'), lines.join('\n'));
    const json = JSON.parse((await cli(['test-patterns', '--log', 'audit.log', '--json'], dir)).stdout);
    expect(json.unreadable).toEqual({ count: 9, lines: [3, 4, 5, 6, 7] });
    const { stdout } = await cli(['test-patterns', '--log', 'audit.log'], dir);
    expect(stdout).toContain('9 line(s) are not aurora-mysql audit records, so no audit detection can count them (lines 3, 4, 5, 6, 7, ...)');
  });

  test('the engine is the config\'s when its clusters have one; with both engines and no flag it asks which', async () => {
    const pgOnly = tempDir();
    writeConfig(pgOnly, configWith((c) => (c.targets[0].clusters = [{ identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'external' }])));
    const pgLog = path.join(ROOT, 'test', 'fixtures', 'published', 'aurora-postgresql.published.log');
    const picked = JSON.parse((await cli(['test-patterns', '--log', pgLog, '--json'], pgOnly)).stdout);
    expect(picked.detections['drop-statements'].count).toBe(1);
    const both = tempDir();
    writeConfig(both, configWith((c) => c.targets[0].clusters.push({ identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'external' })));
    const asked = await cli(['test-patterns', '--log', pgLog], both);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toMatch(/--engine: \S+aurora-audit\.yaml has aurora-mysql and aurora-postgresql clusters; give --engine aurora-mysql or --engine aurora-postgresql, or --cluster <id>/);
  });

  test('counts a DROP written in every shape a client sends and the log writes, and nothing in comments or literals', async () => {
    const dir = tempDir();
    const counted = COUNTED_SHAPES.flatMap(({ shape, spacesToo }) => [queryRow(shape('DROP TABLE t1'), 'escaped'), ...(spacesToo ? [queryRow(shape('DROP TABLE t1'), 'spaces')] : [])]);
    const quiet = [queryRow('-- DROP TABLE t1\nSELECT 1', 'escaped'), queryRow("SELECT 'DROP TABLE t1'", 'escaped'), queryRow('/* DROP TABLE t1 */ SELECT 1', 'spaces')];
    fs.writeFileSync(path.join(dir, 'audit.log'), [...counted, ...quiet].join('\n'));
    const out = JSON.parse((await cli(['test-patterns', '--log', 'audit.log', '--json', '--detections', 'drop-statements'], dir)).stdout);
    expect(out.detections['drop-statements'].lines).toEqual(counted.map((_, i) => i + 1));
  });

  test('--cluster picks the engine: a PostgreSQL cluster runs the pgAudit detections', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => c.targets[0].clusters.push({ identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'external' })));
    const file = path.join(ROOT, 'test', 'fixtures', 'published', 'aurora-postgresql.published.log');
    const { code, stdout, stderr } = await cli(['test-patterns', '--log', file, '--cluster', 'reports'], dir);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('aurora-postgresql detections, thresholds from aurora-audit.yaml (cluster reports)');
    expect(stdout).toMatch(/drop-statements\s+1 match on line 1/);
    const clash = await cli(['test-patterns', '--log', file, '--cluster', 'reports', '--engine', 'aurora-mysql'], dir);
    expect(clash).toMatchObject({ code: 2, stderr: expect.stringContaining('--engine: "aurora-mysql" disagrees with --cluster reports, which is aurora-postgresql') });
  });

  test('says when the log looks like the other engine, instead of silently reporting zero matches', async () => {
    const dir = tempDir();
    const pg = path.join(ROOT, 'test', 'fixtures', 'published', 'aurora-postgresql.published.log');
    const mysqlOnPg = await cli(['test-patterns', '--log', pg], dir);
    expect(mysqlOnPg.code).toBe(0);
    expect(mysqlOnPg.stderr).toContain('2 of 2 lines look like an aurora-postgresql log, but the aurora-mysql detections ran; use --engine aurora-postgresql');
    const pgOnMysql = await cli(['test-patterns', '--log', PUBLISHED, '--engine', 'aurora-postgresql', '--json'], dir);
    expect(pgOnMysql.stderr).toContain('look like an aurora-mysql log, but the aurora-postgresql detections ran');
    expect(JSON.parse(pgOnMysql.stdout).lines).toBe(13);
    expect((await cli(['test-patterns', '--log', PUBLISHED], dir)).stderr).toBe('');
  });

  test('bad flags are exit 2 with what is allowed', async () => {
    const dir = tempDir();
    expect(await cli(['test-patterns'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('--log: is required') });
    expect(await cli(['test-patterns', '--log', 'nope.log'], dir)).toMatchObject({ code: 2, stderr: '--log: "nope.log" does not exist' });
    expect(await cli(['test-patterns', '--log', PUBLISHED, '--detections', 'drop-statement'], dir)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('"drop-statement" is not a detection (did you mean drop-statements?)'),
    });
    expect(await cli(['test-patterns', '--log', PUBLISHED, '--engine', 'aurora'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('use aurora-mysql, aurora-postgresql') });
  });
});
