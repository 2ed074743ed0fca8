/**
 * The CDKTF app: the validated model in, one Terraform stack per account and region out.
 *
 * `cdktf synth` / `cdktf deploy` run this file (compiled, as dist/main.js): it reads the config from
 * AURORA_AUDIT_CONFIG or ./aurora-audit.yaml. `aurora-audit synth` drives `synthesisSteps` itself, so that it can stop
 * between stacks.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdktf';
import type { AuditModel } from './config/model';
import { packageVersion } from './config/package-root';
import { AuditStack } from './stacks/audit-stack';
import { RetiredStack } from './stacks/retired-stack';

export interface SynthesizeOptions {
  /** Where cdktf writes `stacks/<name>/cdk.tf.json`. @default - CDKTF_OUTDIR, else ./cdktf.out */
  readonly outdir?: string;
  /** Base directory of a local backend's state directory. @default - the current directory */
  readonly projectDir?: string;
}

/**
 * The file by which aurora-audit knows an output directory as its own: it lists every file the synthesis wrote, so
 * that a later synth replaces exactly those and keeps anything else a person or Terraform put there.
 */
export const OUTPUT_MARKER = '.aurora-audit-output.json';

export interface OutputMarker {
  readonly writtenBy: 'aurora-audit';
  readonly version: string;
  /** Relative paths, `/`-separated. */
  readonly files: readonly string[];
}

function newApp(outdir: string | undefined): App {
  return new App({
    outdir,
    // Stack traces in the output would make every synth differ by machine and path.
    stackTraces: false,
    // cdktf's own validation runs `terraform version` once per import block, which makes synth need terraform
    // (and fail without it). The stacks declare required_version instead, which Terraform itself enforces.
    skipValidation: true,
  });
}

/**
 * Synthesizes the stacks one at a time, yielding each stack's name once it is written, so that a caller can stop
 * between stacks. Each stack gets an App of its own; the manifest of all of them and the output marker come last.
 * Returns the directory written to.
 */
export function* synthesisSteps(model: AuditModel, options: SynthesizeOptions = {}): Generator<string, string> {
  const projectDir = options.projectDir ?? process.cwd();
  const stacks: Array<{ name: string; add: (app: App, localStatePath: string) => void }> = [
    ...model.stacks.map((target) => ({
      name: target.name,
      add: (app: App, localStatePath: string) => new AuditStack(app, target.name, { target, backend: model.backend, localStatePath }),
    })),
    ...model.retiredStacks.map((retired) => ({
      name: retired.name,
      add: (app: App, localStatePath: string) => new RetiredStack(app, retired.name, { retired, backend: model.backend, localStatePath }),
    })),
  ];
  let outdir = path.resolve(newApp(options.outdir).outdir);
  const manifests: Record<string, unknown> = {};
  let manifest: Record<string, unknown> = { stacks: {} };
  for (const stack of stacks) {
    const app = newApp(options.outdir);
    outdir = path.resolve(app.outdir);
    stack.add(app, localStatePath(model, outdir, projectDir, stack.name));
    app.synth();
    manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    Object.assign(manifests, manifest.stacks as Record<string, unknown>);
    yield stack.name;
  }
  fs.mkdirSync(outdir, { recursive: true });
  fs.writeFileSync(path.join(outdir, 'manifest.json'), JSON.stringify({ ...manifest, stacks: manifests }, null, 2));
  // What cdktf wrote for each stack: its JSON and its assets (the alert-details package), all aurora-audit's to replace.
  const files = ['manifest.json', ...Object.keys(manifests).flatMap((name) => [`stacks/${name}/cdk.tf.json`, ...filesUnder(outdir, `stacks/${name}/assets`)])];
  const marker: OutputMarker = { writtenBy: 'aurora-audit', version: packageVersion(), files };
  fs.writeFileSync(path.join(outdir, OUTPUT_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
  return outdir;
}

/** Every file under `dir/relative`, relative to `dir` with `/` separators; none when it does not exist. */
function filesUnder(dir: string, relative: string): string[] {
  const root = path.join(dir, relative);
  if (!fs.existsSync(root)) return [];
  return (fs.readdirSync(root, { recursive: true }) as string[])
    .filter((f) => fs.statSync(path.join(root, f)).isFile())
    .map((f) => `${relative}/${f.split(path.sep).join('/')}`)
    .sort();
}

/** Relative, so the synthesized JSON does not depend on where the project sits. */
function localStatePath(model: AuditModel, outdir: string, projectDir: string, name: string): string {
  if (model.backend.type !== 'local') return '';
  const stackDir = path.join(outdir, 'stacks', name);
  return path.relative(stackDir, path.resolve(projectDir, model.backend.directory, `${name}.tfstate`)).split(path.sep).join('/');
}

/** Synthesizes every stack and returns the directory written to. */
export function synthesize(model: AuditModel, options: SynthesizeOptions = {}): string {
  const steps = synthesisSteps(model, options);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

if (require.main === module) {
  // Loaded lazily so that this module stays free of config loading when imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runCdktfApp } = require('./cli/cdktf-app') as typeof import('./cli/cdktf-app');
  process.exitCode = runCdktfApp();
}
