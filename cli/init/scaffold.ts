/**
 * What a repository of its own needs around aurora-audit.yaml, written by `init` when it writes the config into an
 * empty folder: a package.json that pins this very version of aurora-audit, cdktf.json for `cdktf synth`/`deploy`,
 * a .gitignore for what synth and Terraform leave behind, and pipeline examples to copy. A file that exists is never
 * touched: init writes only what it creates.
 */
import { createHash } from 'node:crypto';
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
    // Pinned exactly: a new aurora-audit can change what is synthesized, so it arrives as a reviewed change. The cdktf
    // CLI is the one aurora-audit is built and tested with; its scripts keep it from phoning home.
    devDependencies: { 'aurora-audit': version, 'cdktf-cli': cdktfCliVersion() },
  };
  Object.assign(packageJson.scripts, {
    'cdktf:diff': 'CHECKPOINT_DISABLE=1 CDKTF_HOME=./.cdktf cdktf diff',
    'cdktf:deploy': 'CHECKPOINT_DISABLE=1 CDKTF_HOME=./.cdktf cdktf deploy',
  });
  const cdktfJson = {
    language: 'typescript',
    app: 'node node_modules/aurora-audit/dist/main.js',
    // Given here, so that the cdktf CLI never writes one of its own into this tracked file.
    projectId: projectId(name),
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

/** The cdktf CLI version aurora-audit pins for itself (its package.json), exactly. */
function cdktfCliVersion(): string {
  const own = JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
  return own.devDependencies?.['cdktf-cli'] ?? '0.21.0';
}

/** A project id in the cdktf CLI's UUID shape, the same for the same folder name: init writes the same files twice. */
function projectId(name: string): string {
  const h = createHash('sha256').update(`aurora-audit project ${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
