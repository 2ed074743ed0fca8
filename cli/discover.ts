/**
 * `aurora-audit discover`: the Aurora clusters of the configured (or given) accounts and regions, and whether each
 * meets Security Hub's RDS.45 (Advanced Auditing on, events set, group in sync) and RDS.34 (audit log exported) on
 * Aurora MySQL, or has pgAudit on and RDS.37 (postgresql log exported) on Aurora PostgreSQL.
 */
import * as fs from 'node:fs';
import { loadConfig } from '../config/load';
import type { AuditModel } from '../config/model';
import { ConfigError } from '../config/problems';
import { checkValue } from '../config/check';
import * as schema from '../config/schema';
import type { DiscoveredCluster, DiscoveryTarget, RegionDiscovery } from '../discovery/clusters';
import type { AwsSession } from '../discovery/session';
import { EXIT, processOutput, type Output } from './output';
import { reportError } from './report';

/** Exit code of `discover --check` when a cluster falls short. */
export const EXIT_CHECK_FAILED = 3;

export interface DiscoverOptions {
  readonly config?: string;
  readonly profile?: string;
  readonly regions?: string;
  readonly roleArn?: string;
  /** Walk the organization, assuming this role name in each account. */
  readonly organization?: string;
  readonly json?: boolean;
  readonly check?: boolean;
}

export async function discoverCommand(opts: DiscoverOptions, io: Output, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const flagProblems = [
      opts.profile !== undefined ? checkValue(schema.profileName, opts.profile) : undefined,
      opts.roleArn !== undefined ? checkValue(schema.roleArn, opts.roleArn) : undefined,
      opts.organization !== undefined ? checkValue(schema.roleName, opts.organization) : undefined,
      ...(opts.regions ?? '').split(',').filter(Boolean).map((r) => checkValue(schema.region, r.trim())),
    ].filter((p): p is string => Boolean(p));
    if (flagProblems.length) {
      for (const p of flagProblems) io.err(`discover: ${p}`);
      return EXIT.usage;
    }

    const [{ discoverClusters }, { callerIdentity, defaultRegion }, { posture, drift, watcherWarnings }] = await Promise.all([
      import('../discovery/clusters'),
      import('../discovery/identity'),
      import('../discovery/posture'),
    ]);
    const fromConfig = opts.regions ? undefined : configTargets(opts.config, env);
    const profile = opts.profile ?? fromConfig?.profile;
    let targets: DiscoveryTarget[];
    if (opts.organization) {
      const { organizationAccounts } = await import('../discovery/organization');
      const session: AwsSession = { profile };
      const region = (await defaultRegion(profile, env)) ?? 'us-east-1';
      const identity = await callerIdentity(session, region);
      if ('problem' in identity) {
        io.err(`aurora-audit: ${identity.problem.message}`);
        return EXIT.failure;
      }
      const org = await organizationAccounts(session, region);
      if ('problem' in org) {
        io.err(`aurora-audit: cannot list the organization's accounts: ${org.problem.message}`);
        return EXIT.failure;
      }
      for (const line of org.skipped) io.err(`discover: leaving out ${line}`);
      const partition = identity.arn.split(':')[1] ?? 'aws';
      const regions = opts.regions ? opts.regions.split(',').map((r) => r.trim()).filter(Boolean) : [...new Set(fromConfig?.targets.flatMap((t) => t.regions) ?? [region])];
      targets = org.accounts.map((a) => ({ accountId: a.id, regions, session: { profile, roleArn: `arn:${partition}:iam::${a.id}:role/${opts.organization}` } }));
    } else if (fromConfig && fromConfig.targets.length > 0 && !opts.roleArn) {
      targets = fromConfig.targets.map((t) => ({ ...t, session: { profile, roleArn: t.session.roleArn } }));
    } else {
      const session: AwsSession = { profile, roleArn: opts.roleArn };
      const region = (await defaultRegion(profile, env)) ?? 'us-east-1';
      const identity = await callerIdentity(session, region);
      if ('problem' in identity) {
        io.err(`aurora-audit: ${identity.problem.message}`);
        return EXIT.failure;
      }
      const regions = opts.regions ? opts.regions.split(',').map((r) => r.trim()).filter(Boolean) : [region];
      targets = [{ session, accountId: identity.accountId, regions }];
    }

    const total = targets.reduce((n, t) => n + t.regions.length, 0);
    const results = await discoverClusters(targets, undefined, (event) => {
      if (event.kind === 'slow') io.err(`discover: still reading ${event.accountId}/${event.region} after ${event.seconds} s: waiting for ${event.waitingFor}`);
      // A count at a terminal, where it can be overwritten; a pipeline's log gets only the slow ones.
      else if (total > 1 && process.stderr.isTTY && io === processOutput) process.stderr.write(`\rdiscover: ${event.done}/${total} account-regions read${event.done === total ? '\n' : ''}`);
    });
    // With a config, each of its clusters is also checked against what the config sets: drift counts as falling short.
    const wanted = new Map((fromConfig?.model.stacks ?? []).flatMap((s) => s.clusters.map((c) => [`${s.accountId}/${s.region}/${c.identifier}`, { cluster: c, stack: s }] as const)));
    const clusters = results.flatMap((r) => r.clusters).map((c) => {
      const base = posture(c);
      const model = wanted.get(`${c.accountId}/${c.region}/${c.identifier}`);
      const drifted = model && !c.unsupported ? drift(c, model.cluster, model.stack) : [];
      // A retention the config already calls too short is said once, as drift, not again as advice.
      const advice = drifted.some((f) => f.includes('log group keeps')) ? base.findings.filter((f) => !f.includes('log group keeps')) : base.findings;
      return { cluster: c, posture: { compliant: base.compliant === undefined ? undefined : base.compliant && drifted.length === 0, findings: [...advice, ...drifted] } };
    });
    const problems = results.filter((r): r is RegionDiscovery & { problem: NonNullable<RegionDiscovery['problem']> } => Boolean(r.problem));
    // Clusters the config has in a region that was read, which AWS did not show.
    const read = new Set(results.filter((r) => !r.problem).map((r) => `${r.accountId}/${r.region}`));
    const missing = [...wanted.keys()].filter((k) => read.has(k.slice(0, k.lastIndexOf('/'))) && !clusters.some(({ cluster: c }) => `${c.accountId}/${c.region}/${c.identifier}` === k));
    // CloudTrail and GuardDuty of each account-region, and what falls short of what the config turns on there
    // (without a config, the defaults: tamper alerts on, GuardDuty off).
    const stackAt = new Map((fromConfig?.model.stacks ?? []).map((s) => [`${s.accountId}/${s.region}`, s]));
    const watchers = results
      .filter((r) => r.watchers)
      .map((r) => {
        const stack = stackAt.get(`${r.accountId}/${r.region}`);
        return { accountId: r.accountId, region: r.region, ...r.watchers!, warnings: watcherWarnings(r.watchers!, { tamperAlerts: stack?.tamperAlerts ?? true, guardDuty: stack?.guardDuty }) };
      });

    if (opts.json) {
      io.out(
        JSON.stringify(
          {
            clusters: clusters.map(({ cluster: c, posture: p }) => ({
              accountId: c.accountId,
              region: c.region,
              identifier: c.identifier,
              engine: c.engine,
              engineVersion: c.engineVersion,
              family: c.family ?? null,
              parameterGroup: c.parameterGroup,
              parameterGroupIsDefault: c.parameterGroupIsDefault,
              parameterGroupStatus: c.parameterGroupStatus ?? null,
              auditing: c.audit ?? null,
              exports: c.exports,
              auditLogExported: c.exports.includes('audit'),
              auditLogRetentionDays: c.auditLogGroup ? c.auditLogGroup.retentionDays : null,
              auditLogGroupExists: Boolean(c.auditLogGroup),
              auditLogSubscriptionFilters: c.auditLogGroup?.subscriptionFilters ?? null,
              compliant: p.compliant ?? null,
              findings: p.findings,
              unsupported: c.unsupported ?? null,
            })),
            problems: problems.map((r) => ({ accountId: r.accountId, region: r.region, kind: r.problem.kind, message: r.problem.message })),
            missingFromAws: missing,
            watchers,
          },
          null,
          2,
        ),
      );
    } else {
      io.out(renderTable(clusters.map((c) => c.cluster), clusters.map((c) => c.posture)));
      for (const k of missing) io.out(`  ${k.slice(0, k.lastIndexOf('/'))} ${k.slice(k.lastIndexOf('/') + 1)}: in the config, but AWS does not show it (deleted or renamed?)`);
      if (watchers.length > 0) {
        io.out('');
        io.out('CloudTrail and GuardDuty:');
        // Every account-region, the ones that could not be read too: "not readable" is said, per check, never left out.
        for (const w of watchers) {
          io.out(`  ${w.accountId}/${w.region}: ${WATCHER_TEXT.cloudTrail[w.cloudTrail]}${w.trails.length ? ` (${w.trails.join(', ')})` : ''}; ${WATCHER_TEXT.guardDuty[w.guardDuty]}`);
          for (const warning of w.warnings) io.out(`  ${w.accountId}/${w.region}: ${warning}`);
        }
      }
      for (const r of problems) io.err(`${r.accountId}/${r.region}: ${r.problem.message}`);
    }

    if (!opts.check) return EXIT.ok;
    const short = [...clusters.filter((c) => c.posture.compliant === false).map((c) => c.cluster.identifier), ...missing.map((k) => k.slice(k.lastIndexOf('/') + 1))];
    if (problems.length > 0) {
      io.err(`--check: ${problems.length} account-region(s) could not be read, so the check is incomplete.`);
      return EXIT.failure;
    }
    if (short.length > 0) {
      io.err(`--check: ${short.length} cluster(s) fall short of their audit checks (RDS.34, RDS.45; RDS.37 and pgAudit; the config, where it has them): ${short.join(', ')}.`);
      return EXIT_CHECK_FAILED;
    }
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, env);
  }
}

const WATCHER_TEXT = {
  cloudTrail: { logging: 'CloudTrail logging', 'not-logging': 'no CloudTrail trail logging', unknown: 'CloudTrail not readable' },
  guardDuty: { 'rds-on': 'GuardDuty RDS Protection on', 'rds-off': 'GuardDuty on, RDS Protection off', 'no-detector': 'no GuardDuty detector', unknown: 'GuardDuty not readable' },
} as const;

/** Accounts, roles and regions of the config's targets, when a config is at hand. */
function configTargets(configFlag: string | undefined, env: NodeJS.ProcessEnv): { profile?: string; targets: DiscoveryTarget[]; model: AuditModel } | undefined {
  let loaded;
  try {
    loaded = loadConfig({ configFlag, env });
  } catch (error) {
    // No config is fine (discover then looks at the current identity); a broken one is the user's to fix.
    if (error instanceof ConfigError && !configFlag && !env.AURORA_AUDIT_CONFIG && !fs.existsSync('aurora-audit.yaml')) return undefined;
    throw error;
  }
  const byAccount = new Map<string, DiscoveryTarget & { regions: string[] }>();
  for (const s of loaded.model.stacks) {
    const t = byAccount.get(s.accountId) ?? { accountId: s.accountId, session: { roleArn: s.roleArn }, regions: [] };
    if (!t.regions.includes(s.region)) t.regions.push(s.region);
    byAccount.set(s.accountId, t);
  }
  return { profile: loaded.model.discoveryProfile, targets: [...byAccount.values()], model: loaded.model };
}

function renderTable(clusters: readonly DiscoveredCluster[], postures: ReadonlyArray<{ compliant?: boolean; findings: readonly string[] }>): string {
  if (clusters.length === 0) return 'No Aurora clusters found.';
  const rows = clusters.map((c, i) => [
    `${c.accountId}/${c.region}`,
    c.identifier,
    `${c.engine} ${c.engineVersion}`,
    `${c.parameterGroup}${c.parameterGroupIsDefault ? ' (default)' : ''}${c.parameterGroupStatus && c.parameterGroupStatus !== 'in-sync' ? ` [${c.parameterGroupStatus}]` : ''}`,
    c.audit ? (c.audit.logging ? `on: ${c.audit.events.join(',') || '(no events)'}` : 'off') : '?',
    c.exports.includes(c.engine === 'aurora-postgresql' ? 'postgresql' : 'audit') ? 'yes' : 'no',
    c.auditLogGroup ? (c.auditLogGroup.retentionDays === null ? 'never expires' : `${c.auditLogGroup.retentionDays} days`) : '-',
    postures[i].compliant === undefined ? 'n/a' : postures[i].compliant ? 'ok' : 'FAIL',
  ]);
  const header = ['ACCOUNT/REGION', 'CLUSTER', 'ENGINE', 'PARAMETER GROUP', 'AUDITING', 'AUDIT EXPORTED', 'AUDIT LOG RETENTION', 'CHECK'];
  const widths = header.map((h, col) => Math.max(h.length, ...rows.map((r) => r[col].length)));
  const line = (cells: readonly string[]) => cells.map((cell, col) => cell.padEnd(widths[col])).join('  ').trimEnd();
  // Every finding line names its account and region: at fleet scale a cluster name alone is ambiguous.
  const findings = clusters.flatMap((c, i) => postures[i].findings.map((f) => `  ${c.accountId}/${c.region} ${c.identifier}: ${f}`));
  return [line(header), ...rows.map(line), ...(findings.length ? ['', ...findings] : [])].join('\n');
}
