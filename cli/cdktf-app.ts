/**
 * The entry point `cdktf synth` / `cdktf deploy` run (dist/main.js). It reads the config like the CLI does, minus
 * the --config flag and minus the bundled-example fallback: a pipeline must never deploy the example by accident.
 */
import { loadConfig } from '../config/load';
import { synthesize } from '../main';
import { keepHeapsCompact } from './heap';
import { EXIT, processOutput } from './output';
import { reportError } from './report';

export function runCdktfApp(): number {
  keepHeapsCompact();
  try {
    const { model } = loadConfig({ allowBundledExample: false });
    synthesize(model);
    return EXIT.ok;
  } catch (error) {
    return reportError(error, processOutput);
  }
}
