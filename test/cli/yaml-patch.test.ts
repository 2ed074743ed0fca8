/**
 * Rewriting a user's config only where a value changed (cli/init/yaml-patch.ts): every other line is kept byte for
 * byte, whatever its style, and the result always reads back as the value wanted, or the patch declines.
 */
import { parseDocument } from 'yaml';
import { ITEM_IDENTITY } from '../../cli/init/yaml-merge';
import { patchYaml } from '../../cli/init/yaml-patch';
import type { Json } from '../support/fixtures';

const read = (text: string) => parseDocument(text).toJS();
/** The value of `text`, changed. */
const changed = (text: string, change: (v: Json) => void) => {
  const v = read(text);
  change(v);
  return v;
};
const linesOnlyIn = (a: string, b: string) => a.split('\n').filter((l) => !b.split('\n').includes(l));

const STYLED = `# Hand-written.
version: 1
role:   deploy          # aligned by hand
quoted: "double"        # kept quoted
single: 'single'
flow: {a: 1,   b: [x, y]}
padded: { c: 2 }
list:
  - plain
  - 'quoted'
nested:
  inner:
    value: 10   # ten
targets:
  - name: prod     # production
    accountId: "123456789012"
    clusters:
      - { identifier: orders-db, engine: aurora-mysql }

      # the billing cluster
      - identifier: billing
        engine: aurora-mysql
  - name: dr
    accountId: "123456789012"
    region: eu-central-1
`;

describe('patchYaml', () => {
  test('nothing changed: the text as it is', () => {
    expect(patchYaml(STYLED, read(STYLED), ITEM_IDENTITY)).toBe(STYLED);
  });

  test.each<[string, (v: Json) => void, string[]]>([
    ['a plain scalar', (v) => (v.role = 'deploy-2'), ['role:   deploy          # aligned by hand']],
    ['a double-quoted scalar keeps its quotes', (v) => (v.quoted = 'other'), ['quoted: "double"        # kept quoted']],
    ['a single-quoted scalar keeps its quotes', (v) => (v.single = "it's"), ["single: 'single'"]],
    ['a value deep in block maps', (v) => (v.nested.inner.value = 20), ['    value: 10   # ten']],
    ['a flow map, in its own spacing', (v) => (v.flow.a = 3), ['flow: {a: 1,   b: [x, y]}']],
    ['a padded flow map, padded', (v) => (v.padded.c = 3), ['padded: { c: 2 }']],
    ['a flow item of a keyed list', (v) => (v.targets[0].clusters[0].engine = 'aurora-postgresql'), ['      - { identifier: orders-db, engine: aurora-mysql }']],
    ['a block list of plain values, written again where it stands', (v) => (v.list = ['plain', 'other']), ["  - 'quoted'"]],
  ])('%s: only its lines change', (_what, change, lines) => {
    const wanted = changed(STYLED, change);
    const out = patchYaml(STYLED, wanted, ITEM_IDENTITY)!;
    expect(read(out)).toEqual(wanted);
    expect(linesOnlyIn(STYLED, out)).toEqual(lines);
  });

  test('quoting, comments and spacing of the changed line itself are kept where the value allows', () => {
    const out = patchYaml(STYLED, changed(STYLED, (v) => (v.quoted = 'other')), ITEM_IDENTITY)!;
    expect(out).toContain('quoted: "other"        # kept quoted');
    const flow = patchYaml(STYLED, changed(STYLED, (v) => (v.padded.c = 3)), ITEM_IDENTITY)!;
    expect(flow).toContain('padded: { c: 3 }');
    expect(flow).toContain('flow: {a: 1,   b: [x, y]}');
  });

  test('a key added goes after the last of its map, at its indentation; a key removed takes its line', () => {
    const added = patchYaml(STYLED, changed(STYLED, (v) => (v.nested.inner.more = [1, 2])), ITEM_IDENTITY)!;
    // New flow collections take the file's spacing where it has one (it writes { c: 2 }).
    expect(added).toContain('    value: 10   # ten\n    more: [ 1, 2 ]\n');
    expect(linesOnlyIn(STYLED, added)).toEqual([]);
    const removed = patchYaml(STYLED, changed(STYLED, (v) => delete v.single), ITEM_IDENTITY)!;
    expect(linesOnlyIn(STYLED, removed)).toEqual(["single: 'single'"]);
    expect(linesOnlyIn(removed, STYLED)).toEqual([]);
    const top = patchYaml(STYLED, changed(STYLED, (v) => (v.retired = [{ accountId: '123456789012', region: 'eu-west-1', identifier: 'old' }])), ITEM_IDENTITY)!;
    expect(top.endsWith('retired:\n  - accountId: "123456789012"\n    region: eu-west-1\n    identifier: old\n')).toBe(true);
    expect(top.startsWith(STYLED)).toBe(true);
  });

  test('keyed lists: an item found by identity is patched in place, a gone one leaves with its lines, a new one is appended', () => {
    const wanted = changed(STYLED, (v) => {
      v.targets[0].clusters = v.targets[0].clusters.filter((c: Json) => c.identifier !== 'orders-db');
      v.targets[0].clusters.push({ identifier: 'ledger', engine: 'aurora-mysql' });
      v.targets[1].region = 'eu-west-2';
    });
    const out = patchYaml(STYLED, wanted, ITEM_IDENTITY)!;
    expect(read(out)).toEqual(wanted);
    expect(linesOnlyIn(STYLED, out)).toEqual(['      - { identifier: orders-db, engine: aurora-mysql }', '    region: eu-central-1']);
    expect(out).toContain('      - identifier: billing\n        engine: aurora-mysql\n      - identifier: ledger\n        engine: aurora-mysql\n');
  });

  test('an alias stays an alias while its value is the same', () => {
    const text = 'base: &b { t: 1 }\nuse: *b\nother: 1\n';
    const out = patchYaml(text, { base: { t: 1 }, use: { t: 1 }, other: 2 }, ITEM_IDENTITY)!;
    expect(out).toBe('base: &b { t: 1 }\nuse: *b\nother: 2\n');
  });

  test('declines what it cannot do faithfully, so the caller writes the whole document instead', () => {
    // The first key of a list item shares its line with the dash: it cannot leave alone.
    const target = 'targets:\n  - name: a\n    accountId: "123456789012"\n    region: eu-west-1\n';
    expect(patchYaml(target, { targets: [{ accountId: '123456789012', region: 'eu-west-1' }] }, ITEM_IDENTITY)).toBeUndefined();
    // Not a mapping at the top.
    expect(patchYaml('- a\n', ['b'], ITEM_IDENTITY)).toBeUndefined();
    // A file that does not parse.
    expect(patchYaml('a: [\n', { a: 1 }, ITEM_IDENTITY)).toBeUndefined();
  });

  test('whatever it writes reads back as the value wanted: 300 random edits of the styled file', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const edits: Array<(v: Json) => void> = [
      (v) => (v.role = `r${random(100)}`),
      (v) => (v.flow.b = Array.from({ length: random(4) }, (_, i) => `v${i}`)),
      (v) => (v.padded = { c: random(9), d: 'x' }),
      (v) => (v.nested.inner.value = random(1000)),
      (v) => delete v.quoted,
      (v) => v.targets[0].clusters.pop(),
      (v) => v.targets.push({ name: `t${random(50)}`, accountId: '210987654321', region: 'us-east-1' }),
      (v) => (v.list = v.list.concat([`n${random(10)}`])),
      (v) => (v.extra = { deep: { list: [1, 2, random(3)] } }),
      (v) => (v.nested.inner = 'now a scalar'),
    ];
    let patched = 0;
    for (let i = 0; i < 300; i++) {
      const wanted = changed(STYLED, (v) => {
        for (let k = 0; k < 1 + random(3); k++) edits[random(edits.length)](v);
      });
      const out = patchYaml(STYLED, wanted, ITEM_IDENTITY);
      if (out === undefined) continue;
      patched++;
      expect(read(out)).toEqual(wanted);
      // The comment at the top never moves.
      expect(out.startsWith('# Hand-written.\nversion: 1\n')).toBe(true);
    }
    expect(patched).toBeGreaterThan(250);
  });
});
