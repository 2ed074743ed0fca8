/**
 * The CDKTF app: the validated model in, one Terraform stack per account and region out.
 *
 * `cdktf synth` / `cdktf deploy` run this file (compiled, as dist/main.js): it reads the config from
 * AURORA_AUDIT_CONFIG or ./aurora-audit.yaml. `aurora-audit synth` calls synthesize() directly.
 */
import * as path from 'node:path';
import { App } from 'cdktf';
import type { AuditModel } from './config/model';
import { AuditStack } from './stacks/audit-stack';
import { RetiredStack } from './stacks/retired-stack';

export interface SynthesizeOptions {
  /** Where cdktf writes `stacks/<name>/cdk.tf.json`. @default - CDKTF_OUTDIR, else ./cdktf.out */
  readonly outdir?: string;
  /** Base directory of a local backend's state directory. @default - the current directory */
  readonly projectDir?: string;
}

export function buildApp(model: AuditModel, options: SynthesizeOptions = {}): App {
  const app = new App({
    outdir: options.outdir,
    // Stack traces in the output would make every synth differ by machine and path.
    stackTraces: false,
    // cdktf's own validation runs `terraform version` once per import block, which makes synth need terraform
    // (and fail without it). The stacks declare required_version instead, which Terraform itself enforces.
    skipValidation: true,
  });
  const projectDir = options.projectDir ?? process.cwd();
  // Relative, so the synthesized JSON does not depend on where the project sits.
  const localStatePath = (name: string) => {
    if (model.backend.type !== 'local') return '';
    const stackDir = path.join(path.resolve(app.outdir), 'stacks', name);
    return path.relative(stackDir, path.resolve(projectDir, model.backend.directory, `${name}.tfstate`)).split(path.sep).join('/');
  };
  for (const target of model.stacks) {
    new AuditStack(app, target.name, { target, backend: model.backend, localStatePath: localStatePath(target.name) });
  }
  for (const retired of model.retiredStacks) {
    new RetiredStack(app, retired.name, { retired, backend: model.backend, localStatePath: localStatePath(retired.name) });
  }
  return app;
}

/** Synthesizes every stack and returns the directory written to. */
export function synthesize(model: AuditModel, options: SynthesizeOptions = {}): string {
  const app = buildApp(model, options);
  app.synth();
  return app.outdir;
}

if (require.main === module) {
  // Loaded lazily so that this module stays free of config loading when imported.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runCdktfApp } = require('./cli/cdktf-app') as typeof import('./cli/cdktf-app');
  process.exitCode = runCdktfApp();
}
