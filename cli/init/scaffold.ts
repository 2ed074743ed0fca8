/**
 * What a repository of its own needs around aurora-audit.yaml, written by `init` when it writes the config into an
 * empty folder: a package.json that pins this very version of aurora-audit, cdktf.json for `cdktf synth`/`deploy`,
 * a .gitignore for what synth and Terraform leave behind, and pipeline examples to copy. A file that exists is never
 * touched: init writes only what it creates.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot, packageVersion } from '../../config/package-root';
import { writeFileAtomic } from '../write-file';

/** Whether a folder holds nothing a person made (a fresh `git init` counts as empty). */
export function isEmptyProject(dir: string): boolean {
  if (!fs.existsSync(dir)) return true;
  return fs.readdirSync(dir).every((name) => name === '.git');
}

/** The files of a new project, by path relative to it. */
export function projectFiles(dir: string, configName: string): Record<string, string> {
  const version = packageVersion();
  const name = path.basename(path.resolve(dir)).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'aurora-audit-config';
  const config = configName === 'aurora-audit.yaml' ? '' : ` --config ${configName}`;
  const packageJson = {
    name,
    private: true,
    description: 'Aurora audit logging, log exports and Slack alarms, as Terraform: aurora-audit',
    scripts: {
      validate: `aurora-audit validate${config}`,
      synth: `aurora-audit synth${config}`,
      plan: `aurora-audit plan${config}`,
      changed: `aurora-audit changed${config}`,
      sync: `aurora-audit sync${config}`,
    },
    // Pinned exactly: a new aurora-audit can change what is synthesized, so it arrives as a reviewed change.
    devDependencies: { 'aurora-audit': version },
  };
  const cdktfJson = {
    language: 'typescript',
    app: 'node node_modules/aurora-audit/dist/main.js',
    output: 'cdktf.out',
    terraformProviders: [],
    terraformModules: [],
    sendCrashReports: false,
    context: {},
  };
  const pipelines = path.join(packageRoot(), 'docs', 'pipelines');
  return {
    'package.json': `${JSON.stringify(packageJson, null, 2)}\n`,
    'cdktf.json': `${JSON.stringify(cdktfJson, null, 2)}\n`,
    '.gitignore': ['node_modules/', 'cdktf.out/', '.cdktf/', '.gen/', '.terraform/', '.terraform-plugin-cache/', 'terraform-state/', '*.tfstate', '*.tfstate.*', 'plan.bin', 'plan.json', 'plans/', ''].join('\n'),
    'ci-examples/github-actions.yml': fs.readFileSync(path.join(pipelines, 'github-actions.yml'), 'utf8'),
    'ci-examples/gitlab-ci.yml': fs.readFileSync(path.join(pipelines, 'gitlab-ci.yml'), 'utf8'),
    'ci-examples/plan-stacks.sh': fs.readFileSync(path.join(pipelines, 'plan-stacks.sh'), 'utf8'),
    'ci-examples/apply-stacks.sh': fs.readFileSync(path.join(pipelines, 'apply-stacks.sh'), 'utf8'),
  };
}

/** Writes the files of a new project that do not exist yet; returns the ones written. */
export function scaffoldProject(dir: string, configName: string): string[] {
  const written: string[] = [];
  for (const [file, text] of Object.entries(projectFiles(dir, configName))) {
    const target = path.join(dir, file);
    if (fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    writeFileAtomic(target, text);
    written.push(file);
  }
  return written;
}
