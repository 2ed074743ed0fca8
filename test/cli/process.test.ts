/**
 * The built CLI as a pipeline runs it: a separate process, no TTY, CI=true.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InterruptedError } from '../../cli/output';
import { synthesizeSafely } from '../../cli/synth';
import { baseConfig, configWith, listFiles, modelOf, ROOT, tempDir, writeConfig } from '../support/fixtures';
import { cliProcess } from '../support/cli';

const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

describe('a pipeline run', () => {
  test.each([
    ['CI=true', { CI: 'true' }],
    ['no TTY and no CI', { CI: '' }],
  ])('with no config (%s), synth and validate are exit 2 with the way out, and write nothing', (_what, env) => {
    const dir = tempDir();
    for (const command of ['synth', 'validate']) {
      const { code, stdout, stderr } = cliProcess([command], dir, env);
      expect({ command, code, stdout }).toEqual({ command, code: 2, stdout: '' });
      expect(stderr).toContain('no config found: pass --config FILE, set AURORA_AUDIT_CONFIG, or create ./aurora-audit.yaml');
      expect(stderr).toContain('never falls back to the bundled example');
      expect(stderr).not.toMatch(STACK_FRAME);
    }
    expect(listFiles(dir)).toEqual([]);
  });

  test('the example is synthesized only when asked for by name', () => {
    const dir = tempDir();
    const { code, stdout } = cliProcess(['synth', '--config', path.join(ROOT, 'templates', 'quickstart.yaml')], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('stack quickstart');
  });

  test('synth does not need terraform: nothing on PATH at all', () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    const { code, stderr } = cliProcess(['synth'], dir, { PATH: '' });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'), 'utf8')).import).toHaveLength(1);
  });

  test('AURORA_AUDIT_CONFIG points it at a config elsewhere', () => {
    const dir = tempDir();
    const config = writeConfig(tempDir(), configWith((c) => (c.targets[0].name = 'from-env')));
    const { code, stdout } = cliProcess(['validate'], dir, { AURORA_AUDIT_CONFIG: config });
    expect(code).toBe(0);
    expect(stdout).toContain('stack from-env');
  });
});

describe('bad input', () => {
  test.each([
    ['a bad region', configWith((c) => (c.targets[0].region = 'moon-1')), 'targets[0].region: "moon-1"'],
    ['a lower-case event', configWith((c) => (c.audit = { events: ['connect'] })), 'audit.events[0]: "connect" must be in capitals'],
    ['no targets', configWith((c) => (c.targets = [])), 'targets: [] must list at least one target'],
  ])('%s: exit 2, the path, no stack trace, nothing written', (_what, config, expected) => {
    const dir = tempDir();
    writeConfig(dir, config);
    const { code, stdout, stderr } = cliProcess(['synth'], dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(expected);
    expect(stderr).not.toMatch(STACK_FRAME);
    expect(listFiles(dir)).toEqual(['aurora-audit.yaml']);
  });

  test('a --config that does not exist: exit 2, said in one line', () => {
    const { code, stderr } = cliProcess(['synth', '--config', 'nope.yaml'], tempDir());
    expect(code).toBe(2);
    expect(stderr).toContain('--config names "nope.yaml", which does not exist');
    expect(stderr).not.toMatch(STACK_FRAME);
  });

  test('an output directory inside a file is a flag problem: exit 2, one line, no stack trace', () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    fs.writeFileSync(path.join(dir, 'a-file'), '');
    const { code, stderr } = cliProcess(['synth', '--out', 'a-file/out'], dir);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([
      'aurora-audit: --out: "a-file/out" is inside a file, so nothing can be written there; give --out a directory path (the default is cdktf.out)',
      'Nothing was written.',
    ]);
  });
});

describe('hostile input never crashes or hangs', () => {
  test.each([
    ['/dev/zero as the log', () => '/dev/zero', 'line 1 is longer than 1024 KiB'],
    ['a single 3 MB line', (dir: string) => (fs.writeFileSync(path.join(dir, 'one-line.log'), 'x'.repeat(3_000_000)), 'one-line.log'), 'line 1 is longer than 1024 KiB'],
    ['a .gz file that is not gzip', (dir: string) => (fs.writeFileSync(path.join(dir, 'audit.log.gz'), 'not gzip'), 'audit.log.gz'), 'is not valid gzip data'],
    ['a directory', (dir: string) => (fs.mkdirSync(path.join(dir, 'logs')), 'logs'), 'is a directory'],
    [
      'a UTF-16 log, as a Windows tool saves it',
      (dir: string) => (fs.writeFileSync(path.join(dir, 'audit.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`1603442662867983,db-1,admin,10.0.0.1,5,6,QUERY,app,'DROP TABLE t',0\n`, 'utf16le')])), 'audit.log'),
      'is UTF-16 text (it starts with a UTF-16 byte order mark), not the UTF-8 RDS and CloudWatch Logs write',
    ],
    [
      'a UTF-16 log without a byte order mark',
      (dir: string) => (fs.writeFileSync(path.join(dir, 'audit.log'), Buffer.from(`1603442662867983,db-1,admin,10.0.0.1,5,6,QUERY,app,'DROP TABLE t',0\n`.repeat(3), 'utf16le')), 'audit.log'),
      'bytes are NUL, as in UTF-16 or a binary file',
    ],
  ])('test-patterns with %s: exit 2, one line, no trace', (_what, make, words) => {
    const dir = tempDir();
    const { code, stdout, stderr } = cliProcess(['test-patterns', '--log', make(dir)], dir);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain(words);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  test('--config /dev/zero is a config problem, not a hang or an out-of-memory crash', () => {
    const { code, stderr } = cliProcess(['validate', '--config', '/dev/zero'], tempDir());
    expect(code).toBe(2);
    // The file is named once, at the start of the line.
    expect(stderr.trim().split('\n')).toEqual(['/dev/zero: is larger than 16 MiB; a config is a small YAML text file', '1 problem in the config.']);
  });

  test.each([['schema'], ['validate', '--config', path.join(ROOT, 'templates', 'multi-account.yaml')]])('aurora-audit %s | head -1: no EPIPE trace', (...args) => {
    const result = spawnSync('sh', ['-c', `"${process.execPath}" "${path.join(ROOT, 'bin', 'aurora-audit.js')}" ${args.map((a) => `"${a}"`).join(' ')} | head -c 20 >/dev/null; echo "exit $?"`], {
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe('exit 0');
  });

  test('a control character in a config value never reaches the terminal raw', () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => (c.tags = { Owner: 'x\u001b]0;pwned\u0007' })));
    const { code, stderr } = cliProcess(['validate'], dir);
    expect(code).toBe(2);
    expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(stderr).toContain('control character U+001B (ESC)');
  });
});

describe('start-up', () => {
  test('--help loads neither cdktf, the AWS provider, the AWS SDK nor the prompts', () => {
    const script = `process.argv = [process.argv[0], 'aurora-audit', '--help'];
      require(${JSON.stringify(path.join(ROOT, 'dist', 'cli', 'index.js'))}).main();
      process.on('exit', () => {
        const heavy = Object.keys(require.cache).filter((f) => /node_modules\\/(cdktf|@cdktf|@aws-sdk|@inquirer|zod)\\//.test(f));
        process.stderr.write(JSON.stringify(heavy));
      });`;
    const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    expect(result.stdout).toContain('Usage: aurora-audit');
    expect(JSON.parse(result.stderr)).toEqual([]);
  });
});

describe('init in a pipeline', () => {
  test('with no TTY and answers missing, it exits 2 with the flags to pass, and never waits for input', async () => {
    const dir = tempDir();
    // stdin is a pipe held open and never written to: a command that waited for input would never exit.
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'aurora-audit.js'), 'init'], {
      cwd: dir,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdin.destroy();
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('AWS: no AWS credentials found');
    expect(stderr).toContain('these have no answer yet: --account-id <id> --regions <list> --clusters <id,...> --slack-team-id <T...> --slack-channel-id <C...>');
    expect(stderr).not.toMatch(STACK_FRAME);
    expect(listFiles(dir)).toEqual([]);
  });

  test('with every answer as a flag and no AWS at all, it prints a config that synthesizes', () => {
    const dir = tempDir();
    const flags = ['--account-id', '123456789012', '--regions', 'eu-west-1', '--clusters', 'orders-db', '--engine-version', 'orders-db=8.0', '--slack-team-id', 'T07EA123LEP', '--slack-channel-id', 'C07EZ1ABC23'];
    const env = { AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' };
    const init = cliProcess(['init', ...flags, '--config', 'aurora-audit.yaml'], dir, env);
    expect(init.code).toBe(0);
    expect(cliProcess(['synth'], dir, env).code).toBe(0);
    expect(listFiles(path.join(dir, 'cdktf.out', 'stacks')).filter((f) => !f.includes('/assets'))).toEqual([
      '123456789012-eu-west-1',
      '123456789012-eu-west-1/cdk.tf.json',
      'account-123456789012',
      'account-123456789012/cdk.tf.json',
    ]);
  });
});

describe('Ctrl+C during synth', () => {
  /** A config of many stacks, so that a synth takes a while. */
  const fleet = (n: number) =>
    configWith((c) => {
      c.targets = Array.from({ length: n }, (_, i) => ({ ...structuredClone(c.targets[0]), name: `t${i}`, accountId: String(100000000000 + i) }));
    });

  test('SIGINT while the stacks are written: exit 130, the earlier output whole, nothing else left behind', async () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    expect(cliProcess(['synth'], dir).code).toBe(0);
    const before = fs.readFileSync(path.join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'), 'utf8');
    writeConfig(dir, fleet(60));
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'aurora-audit.js'), 'synth', '--progress'], {
      cwd: dir,
      env: { PATH: process.env.PATH, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // The first stack is written: the synthesis is under way. Ctrl+C now.
      if (!signalled && stderr.includes('synthesized stack t0')) {
        signalled = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(signalled).toBe(true);
    const entries = fs.readdirSync(dir);
    expect(entries.filter((e) => e.includes('.tmp-') || e.includes('.old-'))).toEqual([]);
    if (code === 130) {
      // Stopped between stacks: the old output is untouched, and the rest was never written.
      expect(stderr).toContain('Interrupted: the output directory cdktf.out is as it was.');
      expect(stderr).not.toContain('synthesized stack t59');
      expect(fs.readdirSync(path.join(dir, 'cdktf.out/stacks'))).toEqual(['account-123456789012', 'prod']);
      expect(fs.readFileSync(path.join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'), 'utf8')).toBe(before);
    } else {
      // Only if every stack was written before the signal arrived: then the new output is whole.
      expect({ code, lastStack: stderr.includes('synthesized stack t59 (60/60)') }).toEqual({ code: 0, lastStack: true });
      expect(fs.readdirSync(path.join(dir, 'cdktf.out/stacks'))).toHaveLength(60);
    }
  });

  test('a synth stopped between stacks leaves the old output untouched and removes its staging directory', async () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    expect(cliProcess(['synth'], dir).code).toBe(0);
    const snapshot = () =>
      listFiles(path.join(dir, 'cdktf.out'))
        .filter((f) => fs.statSync(path.join(dir, 'cdktf.out', f)).isFile())
        .map((f) => [f, fs.readFileSync(path.join(dir, 'cdktf.out', f), 'utf8')]);
    const before = snapshot();
    const controller = new AbortController();
    const model = modelOf(fleet(5));
    const progress: string[] = [];
    const run = synthesizeSafely(model, path.join(dir, 'cdktf.out'), dir, {
      signal: controller.signal,
      onStack: (name) => {
        progress.push(name);
        if (name === 't1') controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
    expect(progress).toEqual(['t0', 't1']);
    expect(snapshot()).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(['aurora-audit.yaml', 'cdktf.out']);
  });

  test('a staging directory left by a killed run is removed by the next run; one of a live run, and anybody else\'s, are not', async () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    // What a run killed by SIGKILL leaves: a staging directory marked with its (gone) process, half written.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    fs.mkdirSync(path.join(dir, 'cdktf.out.tmp-abc123/stacks/prod'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'cdktf.out.tmp-abc123/.aurora-audit-staging.json'), JSON.stringify({ writtenBy: 'aurora-audit', pid: Number(dead) }));
    fs.writeFileSync(path.join(dir, 'cdktf.out.tmp-abc123/stacks/prod/cdk.tf.json'), '{"half');
    // A live run's staging directory (this test process), and a directory that only looks like one.
    fs.mkdirSync(path.join(dir, 'cdktf.out.tmp-live00'));
    fs.writeFileSync(path.join(dir, 'cdktf.out.tmp-live00/.aurora-audit-staging.json'), JSON.stringify({ writtenBy: 'aurora-audit', pid: process.pid === 1 ? 2 : 1 }));
    fs.mkdirSync(path.join(dir, 'cdktf.out.tmp-mine'));
    fs.writeFileSync(path.join(dir, 'cdktf.out.tmp-mine/notes.txt'), 'mine');
    expect(cliProcess(['synth'], dir).code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['aurora-audit.yaml', 'cdktf.out', 'cdktf.out.tmp-live00', 'cdktf.out.tmp-mine']);
    expect(fs.readFileSync(path.join(dir, 'cdktf.out.tmp-mine/notes.txt'), 'utf8')).toBe('mine');
  });
});

describe('the cdktf app (what cdktf synth / deploy run)', () => {
  test('reads AURORA_AUDIT_CONFIG and writes to CDKTF_OUTDIR', () => {
    const dir = tempDir();
    const config = writeConfig(dir, baseConfig());
    const out = path.join(dir, 'out');
    const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'main.js')], {
      cwd: dir,
      env: { PATH: process.env.PATH, AURORA_AUDIT_CONFIG: config, CDKTF_OUTDIR: out },
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    expect(fs.existsSync(path.join(out, 'stacks', 'prod', 'cdk.tf.json'))).toBe(true);
  });

  test('never falls back to the example: no config is exit 2 with the way out', () => {
    const dir = tempDir();
    const result = spawnSync(process.execPath, [path.join(ROOT, 'dist', 'main.js')], { cwd: dir, env: { PATH: process.env.PATH }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('no config found');
    expect(result.stderr).toContain(`cp ${path.join(ROOT, 'templates', 'quickstart.yaml')} aurora-audit.yaml`);
    expect(listFiles(dir)).toEqual([]);
  });

  test('cdktf synth, from cdktf-cli, synthesizes the same stacks without phoning home', () => {
    const out = tempDir();
    const home = tempDir();
    const cdktfJson = fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8');
    const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'cdktf'), ['synth', '--output', out], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        CI: 'true',
        CHECKPOINT_DISABLE: '1',
        CDKTF_HOME: path.join(home, '.cdktf'),
        DISABLE_VERSION_CHECK: 'true',
        AURORA_AUDIT_CONFIG: path.join(ROOT, 'templates', 'multi-account.yaml'),
      },
      encoding: 'utf8',
      timeout: 300_000,
    });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
    expect(fs.readdirSync(path.join(out, 'stacks')).sort()).toEqual(['account-111111111111', 'account-222222222222', 'prod-eu', 'prod-us', 'staging']);
    expect(fs.readFileSync(path.join(ROOT, 'cdktf.json'), 'utf8')).toBe(cdktfJson);
  });
});
