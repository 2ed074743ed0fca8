/**
 * `aurora-audit verify`: after deploying, whether each stack is in AWS as this config synthesizes it, whether
 * auditing is live, whether AWS's filter engine agrees with aurora-audit's on the deployed patterns, and (with
 * --drill) whether an alarm reaches its topic, the detail function and Chatbot. It synthesizes the config itself, so
 * it needs no earlier output: what it checks is what this config would deploy.
 *
 * Exit 0 when every check passes (a WARN passes), 3 on any FAIL, 1 when AWS could not be read, 2 on a flag or config
 * problem.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../config/load';
import type { AuditModel } from '../../config/model';
import { DeployedReader } from '../../discovery/deployed';
import { callerIdentity } from '../../discovery/identity';
import { mapWithConcurrency } from '../../discovery/pool';
import type { AwsSession } from '../../discovery/session';
import { EXIT, UsageError, type Output } from '../output';
import { stackSelection } from '../stack-selection';
import { DEFAULT_VERIFY_OPTIONS, verifyStack, type CheckLine, type Status, type VerifyOptions } from './checks';
import { verifyPolicy } from './policy';
import { promisedBy, type Promised } from './promised';

/** Exit code when a check fails. */
export const EXIT_VERIFY_FAILED = 3;

export interface VerifyFlags {
  readonly config?: string;
  readonly stack?: string;
  readonly json?: boolean;
  readonly drill?: boolean;
  readonly drillTimeout?: string;
  readonly policy?: boolean;
}

/** Stacks checked at once: each makes its calls one after another, in its own account-region. */
const STACKS_AT_ONCE = 4;
const DRILL_TIMEOUT_MAX_SECONDS = 3600;

export async function verifyCommand(flags: VerifyFlags, io: Output, env: NodeJS.ProcessEnv, overrides: Partial<VerifyOptions> = {}): Promise<number> {
  const drillTimeoutSeconds = flags.drillTimeout === undefined ? DEFAULT_VERIFY_OPTIONS.drillTimeoutMs / 1000 : Number(flags.drillTimeout);
  if (flags.drillTimeout !== undefined && (!/^\d+$/.test(flags.drillTimeout.trim()) || drillTimeoutSeconds > DRILL_TIMEOUT_MAX_SECONDS)) {
    throw new UsageError([`--drill-timeout: ${JSON.stringify(flags.drillTimeout)} is not allowed; give whole seconds from 0 to ${DRILL_TIMEOUT_MAX_SECONDS}`]);
  }
  if (flags.drillTimeout !== undefined && !flags.drill) throw new UsageError(['--drill-timeout: only with --drill']);

  if (flags.policy) {
    // The partition of the config's stacks when there is a config; the commercial one without.
    let partition = 'aws';
    if (flags.config || env.AURORA_AUDIT_CONFIG || fs.existsSync('aurora-audit.yaml')) partition = loadConfig({ configFlag: flags.config, env }).model.stacks[0]?.partition ?? 'aws';
    io.out(JSON.stringify(verifyPolicy(partition), null, 2));
    return EXIT.ok;
  }

  const { model } = loadConfig({ configFlag: flags.config, env });
  const only = flags.stack === undefined ? undefined : stackSelection(model, flags.stack);
  const stacks = await synthesizedPromises(model, only);
  if (stacks.length === 0) throw new UsageError(['--stack: none of these stacks has anything deployed to verify (a retired stack only forgets)']);

  // Who verify runs as: without credentials, one line and no more.
  const base: AwsSession = { profile: model.discoveryProfile };
  const identity = await callerIdentity(base, stacks[0].region);
  if ('problem' in identity) {
    io.err(`aurora-audit verify: ${identity.problem.message}`);
    return EXIT.failure;
  }

  const options: VerifyOptions = { ...DEFAULT_VERIFY_OPTIONS, drill: flags.drill === true, drillTimeoutMs: drillTimeoutSeconds * 1000, ...overrides };
  // One session per role, so that an account's stacks share one AssumeRole; one reader per session and region.
  const sessions = new Map<string, AwsSession>();
  const readers = new Map<string, DeployedReader>();
  const readerFor = (roleArn: string | undefined) => (region: string) => {
    const session = sessions.get(roleArn ?? '') ?? { profile: model.discoveryProfile, roleArn };
    sessions.set(roleArn ?? '', session);
    const key = `${roleArn ?? ''} ${region}`;
    let reader = readers.get(key);
    if (!reader) readers.set(key, (reader = new DeployedReader(session, region)));
    return reader;
  };

  let done = 0;
  try {
    const results = await mapWithConcurrency(stacks, STACKS_AT_ONCE, async (p) => {
      const lines = await verifyStack(p, model.stacks.find((s) => s.name === p.stack), readerFor(p.roleArn), options);
      done += 1;
      const failed = lines.filter((l) => l.status === 'FAIL' || l.status === 'UNREAD').length;
      io.err(`verify: [${done}/${stacks.length}] ${p.stack}${failed > 0 ? `: ${failed} not passed` : ''}`);
      return { promised: p, lines };
    });
    const all = results.flatMap((r) => r.lines);
    const count = (s: Status) => all.filter((l) => l.status === s).length;
    const exitCode = count('FAIL') > 0 ? EXIT_VERIFY_FAILED : count('UNREAD') > 0 ? EXIT.failure : EXIT.ok;
    if (flags.json) {
      io.out(
        JSON.stringify(
          {
            passed: exitCode === EXIT.ok,
            counts: { PASS: count('PASS'), WARN: count('WARN'), FAIL: count('FAIL'), UNREAD: count('UNREAD') },
            stacks: results.map((r) => ({ stack: r.promised.stack, accountId: r.promised.accountId, region: r.promised.region, checks: r.lines.map(({ stack: _, ...line }) => line) })),
          },
          null,
          2,
        ),
      );
    } else {
      io.out(renderVerify(results));
    }
    return exitCode;
  } finally {
    for (const r of readers.values()) r.close();
  }
}

/** The stacks' promises, from a synthesis of the config into a directory of its own, removed afterwards. */
async function synthesizedPromises(model: AuditModel, only: ReadonlySet<string> | undefined): Promise<Promised[]> {
  // Loaded here, not at the top: `verify --policy` needs no cdktf.
  const { synthesize } = await import('../../main');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-audit-verify-'));
  try {
    const retired = new Set(model.retiredStacks.map((s) => s.name));
    const names = [...model.stacks, ...model.monitoringStacks, ...model.accountStacks].map((s) => s.name).filter((n) => !retired.has(n) && (!only || only.has(n)));
    synthesize(model, { outdir: path.join(dir, 'cdktf.out'), projectDir: dir, only: new Set(names) });
    return names.map((name) => promisedBy(name, JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', name, 'cdk.tf.json'), 'utf8'))));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const MARK: Record<Status, string> = { PASS: 'PASS', WARN: 'WARN', FAIL: 'FAIL', UNREAD: 'FAIL' };

export function renderVerify(results: ReadonlyArray<{ promised: Promised; lines: readonly CheckLine[] }>): string {
  const out: string[] = [];
  for (const { promised: p, lines } of results) {
    out.push(`stack ${p.stack} (${p.accountId}/${p.region})`);
    for (const l of lines) {
      out.push(`  ${MARK[l.status]}  ${l.group}: ${l.check}: ${l.detail}`);
      if (l.fix && l.status !== 'PASS') out.push(`        fix: ${l.fix}`);
    }
    out.push('');
  }
  const all = results.flatMap((r) => r.lines);
  const n = (s: Status) => all.filter((l) => l.status === s).length;
  out.push(`${all.length} checks: ${n('PASS')} passed, ${n('WARN')} warned, ${n('FAIL')} failed${n('UNREAD') > 0 ? `, ${n('UNREAD')} could not read AWS` : ''}`);
  return out.join('\n');
}
