/**
 * The cache of Terraform's answers that keeps the suite short (test/support/terraform-cache.ts): an answer is only ever
 * reused for exactly the inputs it was given for, and two test processes asking at once ask Terraform once.
 */
import { fork } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { answerKey, cacheDir, cachedAnswer, filesOf, pruneCache } from '../support/terraform-cache';
import { tempDir } from '../support/fixtures';

describe('the answer cache', () => {
  let dir: string;
  let restore: string | undefined;
  beforeEach(() => {
    dir = tempDir();
    restore = process.env.AURORA_AUDIT_TF_CACHE;
    process.env.AURORA_AUDIT_TF_CACHE = path.join(dir, 'cache');
  });
  afterEach(() => {
    if (restore === undefined) delete process.env.AURORA_AUDIT_TF_CACHE;
    else process.env.AURORA_AUDIT_TF_CACHE = restore;
  });

  const stack = (files: Record<string, string>) => {
    const d = fs.mkdtempSync(path.join(dir, 'stack-'));
    for (const [name, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(d, name)), { recursive: true });
      fs.writeFileSync(path.join(d, name), text);
    }
    return d;
  };

  test('lives outside the clone: XDG_CACHE_HOME or ~/.cache, a directory named by AURORA_AUDIT_TF_CACHE, or off', () => {
    expect(cacheDir({ XDG_CACHE_HOME: '/var/cache/me' })).toBe('/var/cache/me/aurora-audit/terraform');
    expect(cacheDir({ AURORA_AUDIT_TF_CACHE: '/tmp/answers' })).toBe('/tmp/answers');
    expect(cacheDir({ AURORA_AUDIT_TF_CACHE: 'off' })).toBeUndefined();
  });

  test('the key is every file given to Terraform, byte for byte, with its path, and the command', () => {
    const base = filesOf(stack({ 'cdk.tf.json': '{"a":1}', 'assets/x.zip': 'zip' }));
    const key = answerKey(['plan'], base);
    expect(answerKey(['plan'], filesOf(stack({ 'cdk.tf.json': '{"a":1}', 'assets/x.zip': 'zip' })))).toBe(key);
    expect(answerKey(['plan'], filesOf(stack({ 'cdk.tf.json': '{"a":2}', 'assets/x.zip': 'zip' })))).not.toBe(key);
    expect(answerKey(['plan'], filesOf(stack({ 'cdk.tf.json': '{"a":1}', 'assets/x.zip': 'zap' })))).not.toBe(key);
    expect(answerKey(['plan'], filesOf(stack({ 'cdk.tf.json': '{"a":1}', 'assets/y.zip': 'zip' })))).not.toBe(key);
    expect(answerKey(['plan'], filesOf(stack({ 'cdk.tf.json': '{"a":1}', 'assets/x.zip': 'zip', 'state.tfstate': '{}' })))).not.toBe(key);
    expect(answerKey(['validate'], base)).not.toBe(key);
  });

  test("what Terraform writes itself, and what the tests write from its answer, are not part of the key", () => {
    const d = stack({ 'cdk.tf.json': '{}' });
    const before = filesOf(d);
    fs.mkdirSync(path.join(d, '.terraform'));
    fs.writeFileSync(path.join(d, '.terraform', 'terraform.tfstate'), '{}');
    for (const f of ['.terraform.lock.hcl', 'plan.bin', 'plan.json']) fs.writeFileSync(path.join(d, f), 'x');
    expect(filesOf(d)).toEqual(before);
  });

  test('an answer is asked once and then read back; a different input is asked again', async () => {
    const asked: string[] = [];
    const ask = (answer: string) => async () => {
      asked.push(answer);
      return answer;
    };
    const files = filesOf(stack({ 'cdk.tf.json': '{}' }));
    expect(await cachedAnswer(['plan'], files, ask('first'))).toBe('first');
    expect(await cachedAnswer(['plan'], files, ask('second'))).toBe('first');
    expect(await cachedAnswer(['validate'], files, ask('third'))).toBe('third');
    expect(asked).toEqual(['first', 'third']);
  });

  test('a failure is never kept: the next run asks again', async () => {
    const files = filesOf(stack({ 'cdk.tf.json': '{}' }));
    await expect(cachedAnswer(['plan'], files, async () => Promise.reject(new Error('terraform plan failed')))).rejects.toThrow('terraform plan failed');
    expect(await cachedAnswer(['plan'], files, async () => 'answered')).toBe('answered');
    expect(fs.readdirSync(cacheDir()!).filter((f) => !f.endsWith('.json'))).toEqual([]);
  });

  test('off: every question goes to Terraform', async () => {
    process.env.AURORA_AUDIT_TF_CACHE = 'off';
    const files = filesOf(stack({ 'cdk.tf.json': '{}' }));
    let asked = 0;
    for (let i = 0; i < 2; i++) await cachedAnswer(['plan'], files, async () => String(++asked));
    expect(asked).toBe(2);
  });

  test('two processes asking the same question at once: one asks, the other waits for its answer', async () => {
    const files = filesOf(stack({ 'cdk.tf.json': '{"same":true}' }));
    const log = path.join(dir, 'asked.log');
    const script = path.join(dir, 'ask.js');
    // Each process asks with a slow question that records that it was asked.
    fs.writeFileSync(
      script,
      `const Module = require('node:module');
       const file = ${JSON.stringify(path.join(__dirname, '..', 'support', 'terraform-cache.ts'))};
       const { code } = require(${JSON.stringify(require.resolve('@swc/core'))}).transformFileSync(file, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } });
       const m = new Module(file, module);
       m.filename = file;
       m.paths = Module._nodeModulePaths(require('node:path').dirname(file));
       m._compile(code, file);
       const { cachedAnswer } = m.exports;
       const files = ${JSON.stringify(files)};
       cachedAnswer(['plan'], files, async () => {
         require('fs').appendFileSync(${JSON.stringify(log)}, process.pid + '\\n');
         await new Promise((r) => setTimeout(r, 1500));
         return 'answer of ' + process.pid;
       }).then((a) => process.send(a, () => process.disconnect()));`,
    );
    const run = () =>
      new Promise<string>((resolve, reject) => {
        // The answer is taken once the child has exited, so that no child is still exiting when the file ends: a jest
        // worker that still holds one when the run ends is force-exited, with a warning.
        const child = fork(script, [], { env: { ...process.env }, stdio: 'ignore' });
        let answer: string | undefined;
        child.on('message', (m) => (answer = String(m)));
        child.on('exit', (code) => (code || answer === undefined ? reject(new Error(`exit ${code} with ${answer === undefined ? 'no answer' : 'an answer'}`)) : resolve(answer)));
      });
    const answers = await Promise.all([run(), run()]);
    expect(fs.readFileSync(log, 'utf8').trim().split('\n')).toHaveLength(1);
    expect(answers[0]).toBe(answers[1]);
  });

  test('answers unused for 30 days, and what a killed run left, are removed when a run starts', async () => {
    const files = filesOf(stack({ 'cdk.tf.json': '{}' }));
    await cachedAnswer(['old'], files, async () => 'old');
    await cachedAnswer(['new'], files, async () => 'new');
    const cache = cacheDir()!;
    const old = path.join(cache, `${answerKey(['old'], files)}.json`);
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    fs.utimesSync(old, longAgo, longAgo);
    const leftOver = path.join(cache, 'x.json.123.partial');
    fs.writeFileSync(leftOver, 'half');
    fs.utimesSync(leftOver, longAgo, longAgo);
    pruneCache();
    expect(fs.readdirSync(cache)).toEqual([`${answerKey(['new'], files)}.json`]);
  });
});
