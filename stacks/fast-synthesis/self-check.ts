/**
 * The fast path's start-up self-check, once per process: cdktf's internals it uses must load, and a probe stack
 * synthesized the fast way must be the text cdktf's own synthesis writes; else every stack is synthesized cdktf's way.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TerraformStack } from 'cdktf';
import { AuditStack } from '../audit-stack';
import { forgetTokens, newApp, synthesizeStack, type StackJob } from '../synthesize-stack';
import { internalsProblem } from './cdktf-internals';
import { useFastSynthesis } from './mode';

/** The one small stack the self-check synthesizes both ways: an adopted cluster, its groups, alarms, topic, key and rules. */
const PROBE_CONFIG = `version: 1
notifications: { slack: { teamId: T07EA123LEP, channelId: C07EZ1ABC23 } }
alertDetails: { enabled: false }
targets:
  - name: probe
    accountId: "123456789012"
    region: eu-west-1
    roleArn: arn:aws:iam::123456789012:role/aurora-audit-deploy
    clusters:
      - { identifier: probe-db, engine: aurora-mysql, engineVersion: "8.0.mysql_aurora.3.05.2", attach: adopt, existingLogGroups: [error] }
`;

export interface SynthesisMode {
  readonly fast: boolean;
  /** Why the fast path was given up. */
  readonly reason?: string;
}

let mode: SynthesisMode | undefined;

/**
 * The start-up self-check of the fast synthesis path (stacks/fast-synthesis/), once per process: cdktf's internals it
 * uses must load, and a probe stack synthesized the fast way must be the text cdktf's own synthesis writes. Otherwise
 * every stack of the process is synthesized the way cdktf does it (slower, and the same text): a cdktf that moved an
 * internal, or CDK Terrain, costs speed, never a wrong output.
 */
export function checkSynthesisMode(): SynthesisMode {
  if (mode) return mode;
  const problem = internalsProblem();
  if (problem) mode = { fast: false, reason: problem };
  else {
    try {
      mode = probeWritesAsCdktf() ? { fast: true } : { fast: false, reason: 'the fast synthesis wrote other text than cdktf on a probe stack' };
    } catch (error) {
      mode = { fast: false, reason: `the fast synthesis failed on a probe stack (${(error as Error).message.split('\n')[0]})` };
    }
  }
  useFastSynthesis(mode.fast);
  return mode;
}

/** Sets the mode a parent thread decided (a worker of a parallel synthesis does not check again). */
export function adoptSynthesisMode(decided: SynthesisMode): void {
  mode = decided;
  useFastSynthesis(decided.fast);
}

function probeWritesAsCdktf(): boolean {
  // Loaded here only: the synthesis stays free of config loading unless the check runs.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseConfig } = require('../../config/load') as typeof import('../../config/load');
  const probe = parseConfig(PROBE_CONFIG, 'aurora-audit probe');
  const target = probe.stacks[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-audit-probe-'));
  try {
    useFastSynthesis(true);
    const job: StackJob = { kind: 'audit', name: target.name, model: target, statePath: 'probe.tfstate', fingerprint: '' };
    synthesizeStack(job, probe.backend, path.join(dir, 'fast'));
    // cdktf's own preparing pass and toTerraform, as a plain cdktf app has them (the synthesizer is cdktf's anyway).
    const app = newApp(path.join(dir, 'plain'));
    const stack = new AuditStack(app, target.name, { target, backend: probe.backend, localStatePath: 'probe.tfstate' });
    stack.prepareStack = TerraformStack.prototype.prepareStack;
    stack.toTerraform = TerraformStack.prototype.toTerraform;
    app.synth();
    forgetTokens();
    const read = (way: string) => fs.readFileSync(path.join(dir, way, 'stacks', target.name, 'cdk.tf.json'), 'utf8');
    return read('fast') === read('plain');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether this process has decided its mode already (checked, or told by its parent thread). */
export function synthesisModeKnown(): boolean {
  return mode !== undefined;
}
