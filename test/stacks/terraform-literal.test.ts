import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../config/load';
import { terraformLiteral, terraformLiterals } from '../../stacks/terraform-literal';
import { configWith, modelOf, tempDir, TEMPLATES, type Json } from '../support/fixtures';
import { synthAll } from '../support/synth';

/** What Terraform makes of a JSON string with no live interpolation: `$${` is `${`, `%%{` is `%{`, left to right. */
function asTerraformReadsIt(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (text.startsWith('$${', i) || text.startsWith('%%{', i)) {
      out += `${text[i]}{`;
      i += 3;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}

/** Whether Terraform would interpolate anything: only a lone `$` or `%` before `{` is live (`$${` is an escape). */
function isTerraformLiteral(text: string): boolean {
  return [...text.matchAll(/(\$+)\{|(%+)\{/g)].every((m) => (m[1] ?? m[2]).length > 1);
}

describe('terraformLiteral', () => {
  test('any text, however many $ and % it holds before a {, reads back exactly as it was', () => {
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    for (let t = 0; t < 5000; t++) {
      const text = Array.from({ length: rnd(12) }, () => '$%{}ab'[rnd(6)]).join('');
      const literal = terraformLiteral(text);
      expect({ text, live: isTerraformLiteral(literal), back: asTerraformReadsIt(literal) }).toEqual({ text, live: true, back: text });
    }
  });

  test("refuses cdktf's token markers, which cdktf itself would resolve", () => {
    for (const marker of ['${TfToken[TOKEN.1]}', '#{TfToken[TOKEN.1]}', '&{TfToken[TOKEN.1]}']) expect(() => terraformLiteral(marker)).toThrow('token marker');
  });

  test('applies to keys and nested values, and leaves numbers and booleans alone', () => {
    expect(terraformLiterals({ '${k}': ['${v}', 3, true, { x: '%{y}' }] })).toEqual({ '$${k}': ['$${v}', 3, true, { x: '%%{y}' }] });
  });
});

describe('terraformLiterals on shared parts', () => {
  test('a part two values share is made literal once, and neither copy can be changed', () => {
    const shared = { pattern: '${x}', samples: ['%{y}'] };
    const first = terraformLiterals({ a: shared, n: 1 });
    const second = terraformLiterals({ b: shared });
    expect(first).toEqual({ a: { pattern: '$${x}', samples: ['%%{y}'] }, n: 1 });
    expect(second.b).toBe(first.a);
    expect(Object.isFrozen(first) && Object.isFrozen(first.a) && Object.isFrozen(first.a.samples)).toBe(true);
    expect(shared).toEqual({ pattern: '${x}', samples: ['%{y}'] });
  });
});

describe('the synthesized JSON of every template, and of hostile values: every interpolation is aurora-audit\'s own reference', () => {
  const hostile = configWith((c) => {
    c.tags = { Owner: '${file("/etc/passwd")}', Note: '%{ if true }x%{ endif }' };
    c.audit = { excludeUsers: ['${env}'] };
    c.customDetections = [{ id: 'odd', logType: 'audit', pattern: '"${x}"', title: '${t}', description: '%{d}' }];
    c.targets[0].clusters[0].parameterGroup = { name: 'p1', parameters: { init_connect: '${file("/proc/self/environ")}' } };
  });
  const models = [...TEMPLATES.map((f) => parseConfig(fs.readFileSync(f, 'utf8'), f)), modelOf(hostile)];

  test.each(models.map((m) => [path.basename(m.sourcePath), m]))('%s', (_name, model) => {
    for (const [, json] of synthAll(model, path.join(tempDir(), 'cdktf.out'))) {
      const declared = new Set<string>();
      for (const [type, instances] of Object.entries<Json>(json.resource ?? {})) for (const name of Object.keys(instances)) declared.add(`${type}.${name}`);
      for (const [type, instances] of Object.entries<Json>(json.data ?? {})) for (const name of Object.keys(instances)) declared.add(`data.${type}.${name}`);
      const strings: string[] = [];
      const walk = (v: unknown) => {
        if (typeof v === 'string') strings.push(v);
        else if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (strings.push(k), walk(x));
      };
      walk(json);
      for (const s of strings) {
        // Drop escapes, then every ${...} left must be a reference to something the stack declares.
        const live = s.replace(/\$\$\{|%%\{/g, '');
        expect(live).not.toContain('%{');
        for (const m of live.matchAll(/\$\{([^}]*)\}/g)) {
          const target = m[1].split('.').slice(0, m[1].startsWith('data.') ? 3 : 2).join('.');
          expect({ in: s, reference: m[1], declared: declared.has(target) }).toEqual({ in: s, reference: m[1], declared: true });
        }
      }
    }
  });
});
