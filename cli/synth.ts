/**
 * `aurora-audit synth`: config → Terraform JSON, written so that a failure or Ctrl+C never leaves a half-written
 * output directory: stacks are synthesized into a sibling temporary directory and swapped in whole.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AuditModel } from '../config/model';
import { synthesize } from '../main';
import { EnvironmentError } from './output';
import { countResources, type SynthResult } from './summary';

/** What a person or Terraform adds inside a stack directory; kept across a re-synth. */
const KEPT_IN_STACK_DIRS = ['.terraform', '.terraform.lock.hcl'];

export function synthesizeAtomically(model: AuditModel, outdir: string, projectDir: string): SynthResult {
  const target = path.resolve(outdir);
  let staging: string;
  try {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    staging = fs.mkdtempSync(`${target}.tmp-`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const reason = { EEXIST: 'a file is in the way', ENOTDIR: 'a file is in the way', EACCES: 'permission denied', EROFS: 'read-only file system', ENOSPC: 'no space left' }[code];
    throw new EnvironmentError(`cannot write the output directory ${outdir}: ${reason ?? (code || (error as Error).message)}; choose another with --out`);
  }
  const onInterrupt = () => {
    fs.rmSync(staging, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  try {
    synthesize(model, { outdir: staging, projectDir });
    carryOverWorkingFiles(target, staging, model);
    const retired = `${target}.old-${process.pid}`;
    if (fs.existsSync(target)) fs.renameSync(target, retired);
    fs.renameSync(staging, target);
    fs.rmSync(retired, { recursive: true, force: true });
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  } finally {
    process.removeListener('SIGINT', onInterrupt);
    process.removeListener('SIGTERM', onInterrupt);
  }
  return { outdir: target, resources: countResources(target, model.stacks.map((s) => s.name)) };
}

/** Moves `terraform init` results of stacks that still exist into the new tree, so a re-synth needs no re-init. */
function carryOverWorkingFiles(previous: string, next: string, model: AuditModel): void {
  for (const stack of model.stacks) {
    for (const entry of KEPT_IN_STACK_DIRS) {
      const from = path.join(previous, 'stacks', stack.name, entry);
      if (fs.existsSync(from)) fs.renameSync(from, path.join(next, 'stacks', stack.name, entry));
    }
  }
}
