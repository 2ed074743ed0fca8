/**
 * The fast synthesis path checks itself at start-up and gives way to cdktf's own synthesis when cdktf's internals have
 * moved or no longer do what 0.21.0's did: simulated here by hiding one internal, and by making the fast resolve write
 * other text. Either way the output is byte for byte the fast path's, and the CLI says so in one line. And the memory
 * the fast path saves stays saved: cdktf's global token map, which it empties after each stack, is still where it looks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Lazy } from 'cdktf';
import { configWith, modelOf, tempDir, type Json } from '../support/fixtures';

type Main = typeof import('../../main');
type SelfCheck = typeof import('../../stacks/fast-synthesis/self-check');

const model = () => modelOf(configWith((c) => (c.archive = { enabled: true })));
const files = (outdir: string) =>
  fs
    .readdirSync(path.join(outdir, 'stacks'))
    .sort()
    .map((name) => [name, fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8')] as const);

/** Synthesizes the model with a fresh copy of aurora-audit's modules, after `mock` has put its doubles in place. */
function synthesizedWith(mock: () => void): { mode: ReturnType<SelfCheck['checkSynthesisMode']>; warnings: string[]; out: ReadonlyArray<readonly [string, string]> } {
  let result: ReturnType<typeof synthesizedWith> | undefined;
  jest.isolateModules(() => {
    mock();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const main = require('../../main') as Main;
    const warnings: string[] = [];
    const dir = tempDir();
    const outdir = main.synthesize(model(), { outdir: path.join(dir, 'cdktf.out'), projectDir: dir, onFallback: (reason) => warnings.push(reason) });
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const selfCheck = require('../../stacks/fast-synthesis/self-check') as SelfCheck;
    result = { mode: selfCheck.checkSynthesisMode(), warnings, out: files(outdir) };
  });
  return result!;
}

describe('the fast path\'s self-check', () => {
  const normal = synthesizedWith(() => undefined);

  test('with cdktf 0.21.0 as it is, the fast path is taken and nothing is said', () => {
    expect(normal.mode).toEqual({ fast: true });
    expect(normal.warnings).toEqual([]);
  });

  /** A cdktf release that moved a module, as aurora-audit's loader sees it: the path 0.21.0 used leads elsewhere. */
  const moving = (key: string, to: string) => () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require('../../stacks/fast-synthesis/cdktf-internals').INTERNAL_MODULES as Record<string, string>)[key] = to;
  };

  test('an internal that moved: cdktf\'s own synthesis, the same bytes, and the reason once', () => {
    // The module is there, without the function.
    const moved = synthesizedWith(moving('util', 'cdktf/lib/annotations'));
    expect(moved.mode).toEqual({ fast: false, reason: 'cdktf no longer has deepMerge where 0.21.0 kept it' });
    expect(moved.warnings).toEqual(['cdktf no longer has deepMerge where 0.21.0 kept it']);
    expect(moved.out).toEqual(normal.out);
    // The module is gone.
    const gone = synthesizedWith(moving('util', 'cdktf/lib/util-moved'));
    expect(gone.mode.fast).toBe(false);
    expect(gone.mode.reason).toMatch(/^a cdktf module moved \(Cannot find module 'cdktf\/lib\/util-moved'/);
    expect(gone.warnings).toHaveLength(1);
    expect(gone.out).toEqual(normal.out);
  });

  test('an internal that is there but resolves otherwise: the probe stack tells, and cdktf\'s own synthesis writes', () => {
    const drifted = synthesizedWith(() =>
      jest.doMock('../../stacks/fast-synthesis/plain-resolve', () => {
        const real = jest.requireActual('../../stacks/fast-synthesis/plain-resolve');
        // Every resolved fragment gains a key: the fast path's JSON is no longer cdktf's.
        const resolvePlain = (value: unknown, resolve: (v: unknown) => unknown) => {
          const out = real.resolvePlain(value, resolve);
          return out && typeof out === 'object' && !Array.isArray(out) ? { ...out, drifted: true } : out;
        };
        return { ...real, resolvePlain };
      }),
    );
    jest.dontMock('../../stacks/fast-synthesis/plain-resolve');
    expect(drifted.mode).toEqual({ fast: false, reason: 'the fast synthesis wrote other text than cdktf on a probe stack' });
    expect(drifted.out).toEqual(normal.out);
  });

  test('the CLI says it in one line', async () => {
    const { fallbackWarning } = await import('../../cli/synthesis-warning');
    expect(fallbackWarning('cdktf no longer has deepMerge where 0.21.0 kept it')).toBe(
      'aurora-audit: synthesizing the way cdktf itself does, more slowly, because cdktf no longer has deepMerge where 0.21.0 kept it; the output is the same.',
    );
  });
});

describe('cdktf\'s global token map', () => {
  test('is where the fast path empties it: a new token lands there, and synthesizing stacks leaves it empty', async () => {
    const { synthesize } = await import('../../main');
    const map = (globalThis as Json).__cdktfTokenMap;
    expect(map?.stringTokenMap).toBeInstanceOf(Map);
    const before = map.stringTokenMap.size;
    Lazy.stringValue({ produce: () => 'x' });
    // The map cdktf registers tokens in is the one the fast path clears: if cdktf renamed it, this fails.
    expect(map.stringTokenMap.size).toBe(before + 1);
    const dir = tempDir();
    const fleet = modelOf(
      configWith((c) => {
        for (let i = 0; i < 4; i++) c.targets.push({ name: `t${i}`, accountId: `10000000000${i}`, region: 'eu-west-1', clusters: [{ identifier: `db${i}`, engine: 'aurora-mysql', engineVersion: '8.0.mysql_aurora.3.05.2', attach: 'external' }] });
      }),
    );
    synthesize(fleet, { outdir: path.join(dir, 'cdktf.out'), projectDir: dir });
    expect(map.stringTokenMap.size).toBe(0);
    expect(map.numberTokenMap.size).toBe(0);
  });
});
