/**
 * `aurora-audit plan`: a preview for the reviewer, not a Terraform plan. Per cluster: what changes, whether a reboot
 * is needed and why, and what is kept as it is. Read from the config alone, so it runs offline.
 */
import { loadConfig } from '../config/load';
import type { AuditModel, ClusterModel } from '../config/model';
import { rdsLogGroupName } from '../config/aws';
import { PGAUDIT_EXTENSION_SQL } from './pgaudit-sql';
import { EXIT, type Output } from './output';
import { reportError } from './report';

export interface ClusterPlan {
  readonly stack: string;
  readonly identifier: string;
  readonly engine: string;
  readonly engineVersion: string;
  readonly attach: 'adopt' | 'external';
  readonly parameterGroup: {
    readonly action: 'keep-and-add' | 'create-and-attach' | 'create-for-owner';
    readonly name: string;
    /** The family of a group aurora-audit creates (an adopted group keeps its own). */
    readonly family: string;
    readonly current?: string;
    /** Audit parameters the group gains or changes: [name, before, after]; before is undefined when new. */
    readonly changes: ReadonlyArray<readonly [string, string | undefined, string]>;
    /** The user's own parameters, kept as they are. */
    readonly preserved: readonly string[];
    /** Clusters of the config that keep the same group, and clusters outside the config that use it too. */
    readonly sharedWith: readonly string[];
    readonly alsoUsedBy: readonly string[];
    /** Groups the cluster used before: forgotten by Terraform, left in AWS. */
    readonly previous: readonly string[];
  };
  readonly logExports: readonly string[];
  readonly logGroups: ReadonlyArray<{ readonly name: string; readonly action: 'import' | 'create'; readonly retentionDays: number; readonly keptOnDestroy: boolean }>;
  readonly alarms: readonly string[];
  readonly reboot: { readonly needed: boolean; readonly reasons: readonly string[] };
  readonly manualSteps: readonly string[];
}

export interface Plan {
  readonly clusters: readonly ClusterPlan[];
  readonly retired: ReadonlyArray<{ readonly stack: string; readonly identifier: string; readonly wholeTarget: boolean }>;
}

export function planOf(model: AuditModel): Plan {
  const clusters = model.stacks.flatMap((stack) => stack.clusters.map((c) => clusterPlan(stack.name, c)));
  const retired = [
    ...model.stacks.flatMap((s) => s.retiredClusters.map(({ identifier }) => ({ stack: s.name, identifier, wholeTarget: false }))),
    ...model.retiredStacks.flatMap((s) => s.clusters.map(({ identifier }) => ({ stack: s.name, identifier, wholeTarget: true }))),
  ];
  return { clusters, retired };
}

function clusterPlan(stack: string, c: ClusterModel): ClusterPlan {
  const group = c.parameterGroup;
  const changes = group.changes.map((p): readonly [string, string | undefined, string] => [p.name, p.before, p.after]);
  const auditLog = c.engine === 'aurora-postgresql' ? 'postgresql' : 'audit';
  const manualSteps: string[] = [];
  if (c.engine === 'aurora-postgresql') manualSteps.push(`in every database, after the reboot that loads pgaudit: ${PGAUDIT_EXTENSION_SQL}`);
  if (c.attach === 'external') manualSteps.push(`the Terraform that owns the cluster sets db_cluster_parameter_group_name = "${group.name}" and enabled_cloudwatch_logs_exports = [${c.audit.logTypes.map((t) => `"${t}"`).join(', ')}]`);
  return {
    stack,
    identifier: c.identifier,
    engine: c.engine,
    engineVersion: c.engineVersion,
    attach: c.attach,
    parameterGroup: {
      action: group.mode === 'adopt' ? 'keep-and-add' : c.attach === 'adopt' ? 'create-and-attach' : 'create-for-owner',
      name: group.name,
      family: c.family,
      current: group.current,
      changes,
      preserved: group.preserved,
      sharedWith: group.sharedWith,
      alsoUsedBy: group.alsoUsedBy,
      previous: group.previous,
    },
    logExports: c.audit.logTypes,
    logGroups: c.audit.logTypes.map((t) => ({
      name: rdsLogGroupName(c.identifier, t),
      action: c.existingLogGroups.includes(t) ? ('import' as const) : ('create' as const),
      retentionDays: c.audit.retentionDays[t] ?? 0,
      keptOnDestroy: t === auditLog && c.audit.keepLogsOnDestroy,
    })),
    alarms: c.detections.map((d) => d.definition.id),
    reboot: { needed: group.rebootReasons.length > 0, reasons: group.rebootReasons },
    manualSteps,
  };
}

export function renderPlan(plan: Plan, model: AuditModel): string {
  const out: string[] = [`Preview of what aurora-audit changes (from ${model.sourcePath}; not a Terraform plan):`];
  for (const c of plan.clusters) {
    const g = c.parameterGroup;
    out.push('', `${c.stack}/${c.identifier} (${c.engine} ${c.engineVersion}, ${c.attach === 'adopt' ? 'adopted: nothing else about the cluster changes, and it can never be destroyed' : 'external'})`);
    if (g.action === 'keep-and-add') {
      const changed = g.changes.filter(([, before, after]) => before !== after);
      const same = g.changes.filter(([, before, after]) => before === after).map(([n]) => n);
      out.push(
        `  parameter group: keeps ${g.name}; ${changed.length ? `sets ${changed.map(([n, before, v]) => `${n} = ${v}${before === undefined ? ' (new)' : ` (was ${before})`}`).join(', ')}` : 'the audit parameters are already as wanted'}${same.length ? `; already right: ${same.join(', ')}` : ''}`,
      );
    } else {
      out.push(
        `  parameter group: creates ${g.name} (${g.family}: engine defaults + ${g.changes.map(([n, , v]) => `${n} = ${v}`).join(', ')})${g.action === 'create-and-attach' ? `, attached in place of ${g.current ?? 'its current group'}` : ', for the owning Terraform to attach'}`,
      );
    }
    if (g.sharedWith.length || g.alsoUsedBy.length) {
      const who = [
        ...(g.sharedWith.length ? [`${g.sharedWith.join(', ')} in the config`] : []),
        ...(g.alsoUsedBy.length ? [`${g.alsoUsedBy.join(', ')} outside the config`] : []),
      ].join(', and ');
      out.push(`  shared: ${g.name} is also the group of ${who}; every change to it applies to them too`);
    }
    if (g.previous.length) out.push(`  previous group${g.previous.length === 1 ? '' : 's'}: ${g.previous.join(', ')}, forgotten by Terraform and left in AWS`);
    out.push(`  keeps: ${g.preserved.length ? `the ${g.preserved.length} parameter(s) you set (${g.preserved.join(', ')}), unchanged` : g.action === 'keep-and-add' ? 'the group itself (no other parameters were set in it)' : 'nothing else to keep: a default group has no parameters of yours'}`);
    out.push(`  log exports: ${c.logExports.join(', ')}`);
    for (const l of c.logGroups) {
      out.push(`  log group ${l.name}: ${l.action === 'import' ? 'imports the existing one' : 'creates it'}, retention ${l.retentionDays} days${l.keptOnDestroy ? ', kept if the stack is destroyed' : ''}`);
    }
    out.push(`  alarms: ${c.alarms.join(', ') || 'none'}`);
    out.push(`  reboot: ${c.reboot.needed ? `needed: ${c.reboot.reasons.join('; ')}` : 'not needed'}`);
    for (const step of c.manualSteps) out.push(`  by hand: ${step}`);
  }
  if (plan.retired.length > 0) {
    out.push('', 'Retired (Terraform forgets them and leaves them standing; their alarms go, their audit log groups stay):');
    for (const r of plan.retired) out.push(`  ${r.stack}/${r.identifier}${r.wholeTarget ? ' (the whole target left the config)' : ''}`);
  }
  return out.join('\n');
}

export async function planCommand(opts: { config?: string; json?: boolean }, io: Output, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const { model } = loadConfig({ configFlag: opts.config, env });
    const plan = planOf(model);
    io.out(opts.json ? JSON.stringify(plan, null, 2) : renderPlan(plan, model));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, env);
  }
}
