/**
 * The floors of the house, as imports show them: cdktf's internals only in stacks/fast-synthesis/, constructs without
 * file I/O, nothing below the CLI importing it, main.ts and the cdktf app's entry not importing each other, and the
 * README's Layout naming every source folder there is.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/fixtures';

/** Every TypeScript file that ships (or builds what ships), relative to the repository. */
function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) out.push(rel);
    }
  };
  for (const dir of ['alert-details', 'cli', 'config', 'deploy-role', 'detections', 'discovery', 'modules', 'stacks', 'scripts']) walk(dir);
  return [...out, 'main.ts'].sort();
}
const text = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
/** The modules a file imports (static imports and requires), as written. */
const importsOf = (file: string) => [...text(file).matchAll(/(?:from|require\()\s*'([^']+)'/g)].map((m) => m[1]);
/** An import resolved to a path relative to the repository (relative imports only). */
const resolved = (file: string, spec: string) => (spec.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec)) : spec);

describe('the floors of the house', () => {
  const files = sources();

  test('cdktf\'s internals (cdktf/lib/...) are imported in stacks/fast-synthesis/ only', () => {
    // Imported, or named for a require: a path into cdktf/lib/ is written in that folder only.
    const outside = files.filter((f) => !f.startsWith(path.join('stacks', 'fast-synthesis')) && /'cdktf\/lib\//.test(text(f)));
    expect(outside).toEqual([]);
    const inside = files.filter((f) => f.startsWith(path.join('stacks', 'fast-synthesis')) && /'cdktf\/lib\//.test(text(f)));
    expect(inside).toEqual([path.join('stacks', 'fast-synthesis', 'cdktf-internals.ts')]);
  });

  test('constructs do no file I/O: modules/ imports neither fs, os nor esbuild', () => {
    const io = files.filter((f) => f.startsWith('modules') && importsOf(f).some((i) => /^(node:)?(fs|os|worker_threads|zlib|child_process)$|^esbuild$/.test(i)));
    expect(io).toEqual([]);
  });

  test('data flows one way: nothing below the CLI imports cli/, and main.ts and cli/cdktf-app.ts do not import each other', () => {
    const below = ['alert-details', 'config', 'deploy-role', 'detections', 'discovery', 'modules', 'stacks'];
    const upward = files.filter((f) => below.some((d) => f.startsWith(`${d}${path.sep}`)) && importsOf(f).some((i) => resolved(f, i).startsWith(`cli${path.sep}`)));
    expect(upward).toEqual([]);
    expect(importsOf(path.join('cli', 'cdktf-app.ts')).map((i) => resolved(path.join('cli', 'cdktf-app.ts'), i))).not.toContain('main');
    // The Lambda handler shares detections/ and the AWS facts, nothing that builds stacks.
    const handler = files.filter((f) => f.startsWith('alert-details')).flatMap((f) => importsOf(f).map((i) => resolved(f, i)));
    expect(handler.filter((i) => /^(stacks|modules|cli|discovery)\//.test(i))).toEqual([]);
  });

  // The brief keeps what is unconfirmed in config/unconfirmed.ts; the facts live beside it, in a room of their own: they
  // import nothing of ours but each other, so detections/, the handler and config/ all stand on them, never the reverse.
  test('the AWS facts (config/aws.ts, config/unconfirmed.ts) import nothing of ours but each other', () => {
    const facts = [path.join('config', 'aws.ts'), path.join('config', 'unconfirmed.ts')];
    for (const file of facts) {
      const ours = importsOf(file).filter((i) => i.startsWith('.')).map((i) => resolved(file, i));
      expect({ file, ours: ours.filter((i) => !facts.includes(`${i}.ts`)) }).toEqual({ file, ours: [] });
    }
  });

  test('main.ts is the app and its plan; one stack\'s synthesis, the output\'s files and the self-check live in stacks/', () => {
    const main = importsOf('main.ts').filter((i) => i.startsWith('.')).map((i) => resolved('main.ts', i));
    // Besides the entry point, which hands `synthesize` to cli/cdktf-app.ts when cdktf runs this file.
    expect(main.filter((i) => !/^(config|stacks)\//.test(i))).toEqual(['cli/cdktf-app']);
    expect(text('main.ts')).not.toMatch(/new App\(|PROBE_CONFIG|linkSync/);
  });

  test('the README\'s Layout names every source folder, and every folder it names exists', () => {
    const readme = text('README.md');
    const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('\n## ', readme.indexOf('## Layout') + 1));
    const named = [...layout.matchAll(/^([\w.-]+\/?)\s{2,}/gm)].map((m) => m[1]);
    const folders = fs
      .readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !['node_modules', 'dist', 'cdktf.out', 'terraform-state'].includes(e.name))
      .map((e) => `${e.name}/`)
      .sort();
    expect(named.filter((n) => n.endsWith('/')).sort()).toEqual(folders);
    for (const n of named) expect([n, fs.existsSync(path.join(ROOT, n))]).toEqual([n, true]);
  });
});
