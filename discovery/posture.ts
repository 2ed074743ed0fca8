/**
 * A cluster's audit posture, checked like Security Hub's [RDS.45] (Advanced Auditing on, with events, parameter
 * group in sync) and [RDS.34] (audit log published to CloudWatch Logs).
 */
import { AUDIT_RETENTION_FLOOR_DAYS, AUDIT_RETENTION_FRAMEWORKS, AUDIT_RETENTION_YEAR_DAYS, SUBSCRIPTION_FILTERS_PER_LOG_GROUP } from '../config/aws';
import type { ClusterModel, StackModel } from '../config/model';
import { AWS_NAMES } from '../config/names';
import type { DiscoveredCluster } from './clusters';
import type { Watchers } from './watchers';

export interface Posture {
  /** Whether the cluster passes both checks; undefined when aurora-audit cannot judge it (engine, unread group). */
  readonly compliant?: boolean;
  /** What falls short, in words. */
  readonly findings: readonly string[];
}

export function posture(cluster: DiscoveredCluster): Posture {
  if (cluster.unsupported) return { findings: [`not checked: ${cluster.unsupported}`] };
  const findings: string[] = [];
  if (!cluster.audit) return { findings: [`not checked: parameter group ${cluster.parameterGroup} could not be read`] };
  if (cluster.engine === 'aurora-postgresql') {
    // No Security Hub control checks pgAudit; RDS.37 checks the export.
    if (!cluster.audit.logging) findings.push('pgAudit is off (not in shared_preload_libraries, or pgaudit.log is none)');
    if (cluster.parameterGroupStatus && cluster.parameterGroupStatus !== 'in-sync') findings.push(`parameter group is ${cluster.parameterGroupStatus}: reboot the writer to apply it`);
    if (!cluster.exports.includes('postgresql')) findings.push('the postgresql log is not exported to CloudWatch Logs [RDS.37]');
  } else {
    if (!cluster.audit.logging) findings.push('Advanced Auditing is off (server_audit_logging is not 1) [RDS.45]');
    else if (cluster.audit.events.length === 0) findings.push('server_audit_events is empty, so nothing is audited [RDS.45]');
    if (cluster.parameterGroupStatus && cluster.parameterGroupStatus !== 'in-sync') {
      findings.push(`parameter group is ${cluster.parameterGroupStatus}: reboot the writer to apply it [RDS.45]`);
    }
    if (!cluster.exports.includes('audit')) findings.push('the audit log is not exported to CloudWatch Logs [RDS.34]');
  }
  const compliant = findings.length === 0;
  // Retention is advice, not part of the two controls; it holds with or without a config.
  const kept = cluster.auditLogGroup?.retentionDays;
  if (kept === null) findings.push('the audit log group never expires (advice: set a retention)');
  else if (typeof kept === 'number' && kept < AUDIT_RETENTION_YEAR_DAYS) {
    findings.push(
      `the audit log group keeps ${kept} days (advice: ${kept < AUDIT_RETENTION_FLOOR_DAYS ? `under the ${AUDIT_RETENTION_FLOOR_DAYS} days` : 'under the year'} ${AUDIT_RETENTION_FRAMEWORKS} ask for; keep ${AUDIT_RETENTION_YEAR_DAYS} or more)`,
    );
  }
  return { compliant, findings };
}

/**
 * Where a cluster in AWS differs from what the config sets for it: log exports, the audit parameters, and an audit
 * log group that keeps records for less time than the config says. Empty when it matches (or was not readable).
 */
export function drift(cluster: DiscoveredCluster, wanted: ClusterModel, stack?: Pick<StackModel, 'siem' | 'archive'>): string[] {
  const findings: string[] = [];
  const missing = wanted.audit.logTypes.filter((t) => !cluster.exports.includes(t));
  if (missing.length) findings.push(`exports ${cluster.exports.join(', ') || 'nothing'}, but the config exports ${wanted.audit.logTypes.join(', ')} (drift: ${missing.join(', ')} not exported)`);
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));
  if (cluster.audit?.logging) {
    if (wanted.engine === 'aurora-mysql' && !same(cluster.audit.events, wanted.audit.events)) {
      findings.push(`server_audit_events is ${cluster.audit.events.join(',') || '(empty)'}, but the config says ${wanted.audit.events.join(',')} (drift)`);
    }
    if (wanted.engine === 'aurora-postgresql' && !same(cluster.audit.events, wanted.audit.pgauditLog)) {
      findings.push(`pgaudit.log is ${cluster.audit.events.join(',') || '(empty)'}, but the config says ${wanted.audit.pgauditLog.join(',')} (drift)`);
    }
  }
  const auditType = wanted.engine === 'aurora-postgresql' ? 'postgresql' : 'audit';
  const keep = wanted.audit.retentionDays[auditType];
  const kept = cluster.auditLogGroup?.retentionDays;
  if (keep !== undefined && typeof kept === 'number' && kept < keep) {
    findings.push(`the ${auditType} log group keeps ${kept} days, but the config says ${keep}: records older than ${kept} days are already gone`);
  }
  const filters = cluster.auditLogGroup?.subscriptionFilters;
  const ours = stack ? ownSubscriptionFilters(stack) : [];
  if (filters && ours.length > 0) {
    const others = filters.filter((f) => !ours.includes(f));
    if (others.length + ours.length > SUBSCRIPTION_FILTERS_PER_LOG_GROUP) {
      findings.push(
        `the ${auditType} log group has ${others.length} subscription filter${others.length === 1 ? '' : 's'} of its own (${others.join(', ')}), and the config adds ${ours.join(' and ')}; CloudWatch Logs allows ${SUBSCRIPTION_FILTERS_PER_LOG_GROUP} per log group, so the deploy would fail: remove one, or turn off the push or the archive here`,
      );
    }
  }
  return findings;
}

/** The subscription filters the stack puts on each audit log group, by name. */
export function ownSubscriptionFilters(stack: Pick<StackModel, 'siem' | 'archive'>): string[] {
  return [...(stack.siem.push ? [AWS_NAMES.subscriptionFilter('push')] : []), ...(stack.archive ? [AWS_NAMES.subscriptionFilter('archive')] : [])];
}

/** What a user should hear about the watchers of an account-region, given what the config turns on there. */
export function watcherWarnings(w: Watchers, wants: { tamperAlerts: boolean; guardDuty?: { enableRdsProtection: boolean } }): string[] {
  const out: string[] = [];
  if (wants.tamperAlerts && w.cloudTrail === 'not-logging') {
    out.push('no CloudTrail trail is logging here, so the tamper alerts will see nothing: EventBridge gets CloudTrail events only while a trail logs (turn one on, or a multi-region trail)');
  }
  if (wants.guardDuty) {
    if (w.guardDuty === 'no-detector') out.push('guardDuty is on in the config, but GuardDuty has no detector here: the plan will fail (aurora-audit never creates one)');
    else if (w.guardDuty === 'rds-off' && !wants.guardDuty.enableRdsProtection) out.push('guardDuty is on in the config, but RDS Protection is off on the detector: no RDS findings will come (set guardDuty.enableRdsProtection, or turn it on in GuardDuty)');
  }
  return out;
}
