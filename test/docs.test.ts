import * as fs from 'node:fs';
import * as path from 'node:path';
import { ENGINES, type Engine } from '../config/aws';
import { supportStatus } from '../config/engine-versions';
import { generatedFiles } from '../scripts/generate';
import { REQUIRED_TERRAFORM_VERSION, TERRAFORM_FEATURES } from '../stacks/addressed-stack';
import { parse as parseYaml } from 'yaml';
import { projectFiles } from '../cli/init/scaffold';
import { ROOT, tempDir } from './support/fixtures';

describe('generated files are current (npm run generate)', () => {
  test.each(Object.entries(generatedFiles()))('%s', (file, content) => {
    expect(fs.readFileSync(path.join(ROOT, file), 'utf8')).toBe(content);
  });
});

describe('the README', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');

  test('its detail message examples are the message code\'s own output, a burst, a DROP and a redacted password among them', () => {
    const examples = readme.slice(readme.indexOf('<!-- alert-details examples'), readme.indexOf('<!-- end of alert-details examples -->'));
    expect(examples).toContain('*2,417 matching lines*');
    expect(examples).toContain('`-- cleanup DROP TABLE customers`');
    expect(examples).toContain("IDENTIFIED BY '***'");
    expect(examples).not.toContain('S3cret');
  });

  test('has a Quick start with one fenced block of two commands: set up and run, then test', () => {
    const section = readme.split(/^## Quick start\s*$/m)[1];
    const block = /^```[a-z]*\n([\s\S]*?)^```/m.exec(section)?.[1] ?? '';
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual(['npm ci && npx aurora-audit synth --config templates/quickstart.yaml', 'npm test']);
  });

  test('.ci/run runs the same test command, from the lockfile', () => {
    const ci = fs.readFileSync(path.join(ROOT, '.ci', 'run'), 'utf8');
    expect(ci).toContain('npm ci');
    expect(ci).toMatch(/^npm test$/m);
    expect(ci).toContain('AURORA_AUDIT_REQUIRE_TERRAFORM=1');
  });

  test('states the one Terraform minimum the stacks require, which covers every feature they use', () => {
    expect(REQUIRED_TERRAFORM_VERSION).toBe('>= 1.10.0');
    for (const [feature, since] of Object.entries(TERRAFORM_FEATURES)) {
      expect({ feature, covered: since.localeCompare(REQUIRED_TERRAFORM_VERSION.slice(3), undefined, { numeric: true }) <= 0 }).toEqual({ feature, covered: true });
    }
    const [major, minor] = REQUIRED_TERRAFORM_VERSION.slice(3).split('.');
    expect(readme).toContain(`Terraform ${major}.${minor} or newer`);
    // No other minimum anywhere in the README.
    expect([...readme.matchAll(/Terraform (\d+\.\d+)(?:\.\d+)? or newer/g)].map((m) => m[1])).toEqual([`${major}.${minor}`]);
  });

  test('"What it never does" names, for each promise, test files that exist', () => {
    const section = readme.split(/^## What it never does\s*$/m)[1].split(/^## /m)[0];
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| It never') && !l.startsWith('|---'));
    expect(rows.length).toBeGreaterThanOrEqual(10);
    for (const row of rows) {
      const files = [...row.matchAll(/test\/[a-z/-]+\.test\.ts/g)].map((m) => m[0]);
      expect({ row: row.slice(0, 60), named: files.length > 0 }).toEqual({ row: row.slice(0, 60), named: true });
      for (const f of files) expect({ file: f, exists: fs.existsSync(path.join(ROOT, f)) }).toEqual({ file: f, exists: true });
    }
  });

  test('the support matrix has a row for each major aurora-audit supports, with its family and its support status', () => {
    const section = readme.split(/^### Supported engines and versions\s*$/m)[1].split(/^##/m)[0];
    const rows = section.split('\n').filter((l) => l.startsWith('| Aurora'));
    for (const [engine, facts] of Object.entries(ENGINES) as Array<[Engine, (typeof ENGINES)[Engine]]>) {
      for (const major of facts.versions) {
        const row = rows.find((r) => r.startsWith(`| ${facts.label} | `) && r.split('|')[2].split(',').map((m) => m.trim()).includes(major.major));
        expect({ major: `${engine} ${major.major}`, row: Boolean(row) }).toEqual({ major: `${engine} ${major.major}`, row: true });
        // Past standard support on the day the matrix states: the row says so.
        const asOf = /AWS support, on (\d{4}-\d{2}-\d{2})/.exec(section)![1];
        const phase = supportStatus(engine, major, asOf).phase;
        expect({ major: major.major, phase, says: /Past standard support/.test(row!) }).toEqual({ major: major.major, phase, says: phase !== 'standard' });
        if (row!.includes('…')) continue;
        expect({ major: major.major, family: row!.includes(`\`${major.family}\``) }).toEqual({ major: major.major, family: true });
      }
    }
  });

  test('links the config reference', () => {
    expect(readme).toContain('docs/config-reference.md');
  });
});

describe('the example pipelines (docs/pipelines)', () => {
  const read = (f: string) => parseYaml(fs.readFileSync(path.join(ROOT, 'docs', 'pipelines', f), 'utf8'));

  // test/e2e/pipelines.test.ts runs each job's lines on a 1,000-stack change; this keeps the YAML's promises in view.
  test('GitHub Actions: a matrix over shards of the changed stacks, planned and checked by plan-stacks.sh, applied from those plans', () => {
    const workflow = read('github-actions.yml');
    const run = (job: string) => workflow.jobs[job].steps.map((s: { run?: string }) => s.run ?? '').join('\n');
    expect(run('changed')).toContain('npx aurora-audit changed --since "$base" --shards "$SHARDS" --json > changed.json');
    expect(Number(workflow.env.SHARDS)).toBeLessThanOrEqual(256);
    expect(run('plan')).toContain('sh ci-examples/plan-stacks.sh');
    expect(run('apply')).toContain('sh ci-examples/apply-stacks.sh');
    expect(workflow.jobs.apply.environment).toBe('production');
  });

  test('GitLab CI: a child pipeline with a plan and a manual apply per shard, the plans kept outside cdktf.out', () => {
    const pipeline = read('gitlab-ci.yml');
    expect(pipeline.changed.script).toContain('npx aurora-audit changed --since "$BASE" --shards "$SHARDS" --json > changed.json');
    expect(pipeline.stacks.trigger.include).toEqual([{ artifact: 'stacks.yml', job: 'changed' }]);
  });

  test('init writes the scripts the pipelines run beside them', () => {
    const files = projectFiles(tempDir(), 'aurora-audit.yaml');
    for (const f of ['plan-stacks.sh', 'apply-stacks.sh']) expect(files[`ci-examples/${f}`]).toBe(fs.readFileSync(path.join(ROOT, 'docs', 'pipelines', f), 'utf8'));
  });
});
