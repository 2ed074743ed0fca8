/**
 * The entry point `cdktf synth` / `cdktf deploy` run (dist/main.js). It reads the config like the CLI does, minus
 * the --config flag and minus the bundled-example fallback: a pipeline must never deploy the example by accident.
 */
import { loadConfig } from '../config/load';
import type { AuditModel } from '../config/model';
import { keepHeapsCompact } from './heap';
import { EXIT, processOutput } from './output';
import { reportError } from './report';
import { fallbackWarning } from './synthesis-warning';

/** Runs the app with `synthesize` (main.ts's): handed in, so that cli/ and main.ts do not import each other. */
export function runCdktfApp(synthesize: (model: AuditModel, options: { onFallback: (reason: string) => void }) => unknown): number {
  keepHeapsCompact();
  try {
    const { model } = loadConfig({ allowBundledExample: false });
    synthesize(model, { onFallback: (reason) => processOutput.err(fallbackWarning(reason)) });
    return EXIT.ok;
  } catch (error) {
    return reportError(error, processOutput);
  }
}
