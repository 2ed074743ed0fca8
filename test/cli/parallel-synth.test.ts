/**
 * A synthesis over several threads (cli/parallel-synth.ts) writes exactly what the one-thread synthesis writes (which
 * test/stacks/synthesis.test.ts compares with a plain cdktf app), stops cleanly when asked, and fails as the one-thread
 * synthesis fails. The workers run the build (dist/), which npm test makes first.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InterruptedError } from '../../cli/output';
import { PARALLEL_FROM } from '../../cli/parallel-synth';
import { synthesizeSafely } from '../../cli/synth';
import type { AuditModel } from '../../config/model';
import { synthesize, planSynthesis } from '../../main';
import { synthesizeStack } from '../../stacks/synthesize-stack';
import { configWith, listFiles, modelOf, tempDir } from '../support/fixtures';

/** Stacks enough that the workers start, and that a worker has started long before the main thread could finish. */
const STACKS = PARALLEL_FROM + 40;

function fleet(n: number, firstAccount = 100000000000): AuditModel {
  return modelOf(
    configWith((c) => {
      c.targets = Array.from({ length: n }, (_, i) => ({ ...structuredClone(c.targets[0]), name: `t${i}`, accountId: String(firstAccount + i) }));
    }),
  );
}

const contents = (dir: string) =>
  listFiles(dir)
    .filter((f) => fs.statSync(path.join(dir, f)).isFile())
    .map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')]);

describe('synthesis over two threads', () => {
  const model = fleet(STACKS);

  test('writes every file byte for byte as the one-thread synthesis does, and both threads synthesize', async () => {
    const one = tempDir();
    synthesize(model, { outdir: path.join(one, 'cdktf.out'), projectDir: one });
    const two = tempDir();
    const threads = new Map<number, number>();
    await synthesizeSafely(model, path.join(two, 'cdktf.out'), two, {
      threads: 2,
      onSynthesized: (_name, thread) => threads.set(thread, (threads.get(thread) ?? 0) + 1),
    });
    // Each target has an account of its own, and so an account stack.
    expect([...threads.values()].reduce((a, b) => a + b, 0)).toBe(2 * STACKS);
    expect(threads.size).toBe(2);
    // The marker and manifest list stacks in the config's order, whichever thread finished first.
    expect(contents(path.join(two, 'cdktf.out'))).toEqual(contents(path.join(one, 'cdktf.out')));
  });

  test('over an earlier output in which every stack changed, the workers start once the stacks are planned, and write the same', async () => {
    const moved = fleet(STACKS, 200000000000);
    const one = tempDir();
    synthesize(moved, { outdir: path.join(one, 'cdktf.out'), projectDir: one });
    const two = tempDir();
    await synthesizeSafely(model, path.join(two, 'cdktf.out'), two, { threads: 2 });
    const threads = new Set<number>();
    const { reused } = await synthesizeSafely(moved, path.join(two, 'cdktf.out'), two, { threads: 2, onSynthesized: (_name, thread) => threads.add(thread) });
    expect(reused).toEqual([]);
    expect(threads.size).toBe(2);
    expect(contents(path.join(two, 'cdktf.out'))).toEqual(contents(path.join(one, 'cdktf.out')));
  });

  test('fewer stacks than the threshold are synthesized in this thread alone', async () => {
    const small = fleet(3);
    const dir = tempDir();
    const threads = new Set<number>();
    await synthesizeSafely(small, path.join(dir, 'cdktf.out'), dir, { threads: 2, onSynthesized: (_name, thread) => threads.add(thread) });
    expect([...threads]).toEqual([0]);
  });

  test('stopped after the first stack: interrupted, the workers gone, nothing written and no staging left', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    const run = synthesizeSafely(model, path.join(dir, 'cdktf.out'), dir, { threads: 2, signal: controller.signal, onStack: () => controller.abort() });
    await expect(run).rejects.toBeInstanceOf(InterruptedError);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('a stack that cannot be synthesized fails the run with the error the one-thread synthesis gives, whichever thread met it', async () => {
    // The last stack declares one cluster twice (the config's validation refuses that; the model is changed after it):
    // by then both threads are at work, and either may take it. One stack only: with several, which one a run meets
    // first depends on the threads' timing.
    const from = STACKS - 1;
    const broken: AuditModel = { ...model, stacks: model.stacks.map((s, i) => (i < from ? s : { ...s, clusters: [s.clusters[0], s.clusters[0]] })) };
    const dir = tempDir();
    const plan = planSynthesis(broken, { outdir: path.join(tempDir(), 'cdktf.out') });
    let expected = '';
    try {
      synthesizeStack(plan.steps[from].job, broken.backend, plan.outdir);
    } catch (error) {
      expected = (error as Error).message;
    }
    expect(expected).not.toBe('');
    await expect(synthesizeSafely(broken, path.join(dir, 'cdktf.out'), dir, { threads: 2 })).rejects.toThrow(expected);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
