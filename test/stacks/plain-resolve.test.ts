/**
 * The short way through plain data (stacks/plain-resolve.ts) gives exactly what cdktf's resolve gives: for every
 * element fragment of every stack the templates and the every-option fixtures synthesize, and for values built to sit
 * on the edges of cdktf's token tests (strings shaped like encoded numbers, escapes, undefined in odd places).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, DefaultTokenResolver, Fn, Lazy, StringConcat, TerraformElement, TerraformStack, Token, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';
import { parseConfig } from '../../config/load';
import { AuditStack } from '../../stacks/audit-stack';
import { AccountStack } from '../../stacks/account-stack';
import { MonitoringStack } from '../../stacks/monitoring-stack';
import { resolvePlain } from '../../stacks/fast-synthesis/plain-resolve';
import { RetiredStack } from '../../stacks/retired-stack';
import { ROOT, TEMPLATES } from '../support/fixtures';

const RESOLVER = new DefaultTokenResolver(new StringConcat());

function resolvers(scope: IConstruct): { cdktf: (v: unknown) => unknown; plain: (v: unknown) => unknown; calls: () => number } {
  let calls = 0;
  const cdktf = (v: unknown) => Tokenization.resolve(v, { scope, preparing: false, resolver: RESOLVER });
  const counted = (v: unknown) => {
    calls += 1;
    return cdktf(v);
  };
  return { cdktf, plain: (v) => resolvePlain(v, counted), calls: () => calls };
}

/** JSON as the synthesizer writes it, so that a difference JSON would hide (undefined, key order) still shows. */
const written = (v: unknown) => JSON.stringify(v, (_k, x) => (x === undefined ? '<undefined>' : x));

function elements(scope: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(scope)) into.push(scope);
  for (const child of scope.node.children) elements(child, into);
  return into;
}

// fleet.yaml is left out: 60 stacks of the same elements multi-account.yaml has, and synthesis.test.ts compares it whole.
const configs = [...TEMPLATES.filter((f) => path.basename(f) !== 'fleet.yaml'), path.join(ROOT, 'test/fixtures/every-option.yaml'), path.join(ROOT, 'test/fixtures/siem-every-option.yaml')];

describe.each(configs.map((f) => [path.relative(ROOT, f), f]))('%s: every element of every stack', (_name, file) => {
  test('resolves to the same JSON both ways', () => {
    const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
    const app = new App({ stackTraces: false, skipValidation: true, outdir: '/nonexistent' });
    const stacks: TerraformStack[] = [
      ...model.stacks.map((target) => new AuditStack(app, target.name, { target, backend: model.backend, localStatePath: 's.tfstate' })),
      ...model.retiredStacks.map((retired) => new RetiredStack(app, retired.name, { retired, backend: model.backend, localStatePath: 's.tfstate' })),
      ...model.monitoringStacks.map((monitoring) => new MonitoringStack(app, monitoring.name, { monitoring, backend: model.backend, localStatePath: 's.tfstate' })),
      ...model.accountStacks.map((account) => new AccountStack(app, account.name, { account, backend: model.backend, localStatePath: 's.tfstate' })),
    ];
    let compared = 0;
    for (const stack of stacks) {
      const { cdktf, plain } = resolvers(stack);
      for (const e of elements(stack)) {
        for (const fragment of [e.toTerraform(), e.toMetadata()]) {
          expect({ at: e.node.path, json: written(plain(fragment)) }).toEqual({ at: e.node.path, json: written(cdktf(fragment)) });
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(50);
  });
});

describe('values on the edges of cdktf token tests', () => {
  const app = new App({ stackTraces: false, skipValidation: true, outdir: '/nonexistent' });
  const stack = new TerraformStack(app, 'edges');
  const { cdktf, plain, calls } = resolvers(stack);
  const lazy = Lazy.stringValue({ produce: () => 'made late' });
  const numberToken = Token.asNumber(Lazy.numberValue({ produce: () => 42 }));
  const listToken = Token.asList(Lazy.listValue({ produce: () => ['a', 'b'] }));
  const cases: Array<[string, unknown]> = [
    ['plain strings and numbers', { a: 'x', b: 1, c: 0, d: -1.5, e: true, f: null, g: '' }],
    ['strings shaped like encoded numbers', ['1e5', '-e-', '2.5e+10', 'a|e|b', 'free-e2e', '.e.', 'x-1e-9-y']],
    ['escaped and unescaped interpolations, lone braces', ['$${aws_x.y}', '${aws_kms_key.k.arn}', '%%{if}', '}', '{', '${', '$${TfToken[TOKEN.0]}']],
    ['undefined in objects and arrays, and empties', { a: undefined, b: [undefined, 1, undefined], c: {}, d: [], e: [[], {}], f: { g: undefined } }],
    ['a key that is a number-shaped string', { '1e5': 'v', 'k-e-': 'w' }],
    ['a date', { at: new Date(0) }],
    ['a lazy string in a nested object', { outer: { inner: [lazy] } }],
    ['a number token, alone and among numbers', { n: numberToken, ns: [1, numberToken, 3] }],
    ['a list token', { l: listToken }],
    ['a string with a token inside', { s: `arn:${lazy}:x`, t: Fn.join(',', ['a', 'b']) }],
    ['a number token written into a string', { s: `port ${numberToken}` }],
    ['unicode and control characters', ['ü', '\u0000', '\n', 'ℯ1']],
  ];

  test.each(cases)('%s', (_label, value) => {
    expect(written(plain(value))).toEqual(written(cdktf(value)));
  });

  test('plain data never reaches cdktf, and a token always does', () => {
    const before = calls();
    plain({ a: ['x', 1, true, null, { b: '$${not a token}' }], c: undefined });
    expect(calls()).toBe(before);
    plain({ a: ['x', { b: lazy }] });
    expect(calls()).toBe(before + 1);
  });

  test('plain data that needs no change comes back itself; a change copies only what holds it', () => {
    const untouched = { a: ['x', 1], b: { c: 'y' } };
    expect(plain(untouched)).toBe(untouched);
    const changed = { keep: { c: 'y' }, drop: [1, undefined, 2], lazy: { inner: lazy } };
    const resolved = plain(changed) as typeof changed;
    expect(resolved).not.toBe(changed);
    expect(resolved.keep).toBe(changed.keep);
    expect(resolved.drop).toEqual([1, 2]);
    expect(changed.drop).toEqual([1, undefined, 2]);
    expect(resolved.lazy).toEqual({ inner: 'made late' });
    expect(changed.lazy.inner).toBe(lazy);
    // An object of a class is made plain, as cdktf's resolve makes it.
    class Point {
      constructor(readonly x: number) {}
    }
    const point = plain({ p: new Point(1) }) as { p: unknown };
    expect(Object.getPrototypeOf(point.p)).toBe(Object.prototype);
    expect(written(point)).toEqual(written(cdktf({ p: new Point(1) })));
  });

  test("errors cdktf's resolve raises are still raised", () => {
    expect(() => plain({ f: () => 1 })).toThrow();
    expect(() => plain({ s: Token.STRING_MAP_TOKEN_VALUE })).toThrow();
    expect(() => plain({ c: stack })).toThrow();
  });
});
