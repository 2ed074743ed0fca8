/**
 * One cluster of a stack: its audit settings (engine by engine), retention, silence alarm and the parameter group that
 * carries the audit parameters; and the groups several clusters share.
 */
import { ALARM_MAX_EVALUATION_SECONDS, AUDIT_RETENTION_FLOOR_DAYS, AUDIT_RETENTION_FRAMEWORKS, AUDIT_RETENTION_YEAR_DAYS, AUDIT_EVENT_NAMES, AUDIT_USERS_MAX_CHARS, ENGINES, type AuditEvent, type Engine, type LogType } from './aws';
import { resolveEngineVersion } from './engine-versions';
import type { ClusterModel, ParameterGroupModel, SilenceModel } from './model';
import { AWS_NAMES } from './names';
import type { PlacedCluster, SettingsLevel } from './placements';
import { formatPath, show } from './problems';
import type { AuditInput, ClusterInput, SilenceInput } from './schema';
import { UNCONFIRMED } from './unconfirmed';
import { pgauditClassesAudited } from '../detections/catalog';
import { type Path, type Level, type Sourced, pick, DEFAULT_AUDIT, sectionFields, type Report, pathOf, sectionLevels, checkNoRepeats } from './resolve-levels';
import { type CustomDetection, type EnabledAbove, resolveDetections, checkQuotas } from './resolve-detections';

/**
 * Parameter groups are per account and region, and several clusters can use one. An adopted group shared by clusters
 * of the config becomes one resource, so every cluster must want the same values in it; a group aurora-audit creates
 * for one cluster cannot be another cluster's own group. Clusters outside the config that use an adopted group are
 * named, because the audit settings reach them too.
 */
export function resolveSharedParameterGroups(clusters: readonly ClusterModel[], report: Report): ClusterModel[] {
  const key = (name: string) => name.toLowerCase(); // RDS stores parameter group names in lower case
  const adopted = new Map<string, ClusterModel[]>();
  const created = new Map<string, ClusterModel>();
  for (const c of clusters) {
    if (c.parameterGroup.mode === 'adopt') adopted.set(key(c.parameterGroup.name), [...(adopted.get(key(c.parameterGroup.name)) ?? []), c]);
    else created.set(key(c.parameterGroup.name), c);
  }
  for (const [name, users] of adopted) {
    const owner = created.get(name);
    for (const c of owner ? users : []) {
      report(
        [...pathOf(c.configPath), 'parameterGroup', 'name'],
        `${show(c.parameterGroup.name)} is the group aurora-audit creates for ${owner!.configPath} (${owner!.identifier}); one group cannot be both, so give ${c.identifier} a group of its own, or run aurora-audit init again to record what it uses now`,
      );
    }
    const [first, ...others] = users;
    for (const c of others) {
      const differences = parameterDifferences(first.parameterGroup.parameters, c.parameterGroup.parameters);
      if (differences.length > 0) {
        report(
          [...pathOf(c.configPath), 'parameterGroup'],
          `shares the parameter group ${show(c.parameterGroup.name)} with ${first.configPath} (${first.identifier}), but they would set it differently (${differences.join('; ')}); a group holds one value per parameter, so give both the same audit settings and recorded parameters (aurora-audit init records them), or move one cluster to a group of its own`,
        );
      }
    }
  }
  return clusters.map((c) => {
    if (c.parameterGroup.mode !== 'adopt') return c;
    const sharing = (adopted.get(key(c.parameterGroup.name)) ?? []).filter((o) => o !== c).map((o) => o.identifier);
    const inConfig = new Set(clusters.map((o) => o.identifier));
    return {
      ...c,
      parameterGroup: { ...c.parameterGroup, sharedWith: sharing, alsoUsedBy: c.parameterGroup.alsoUsedBy.filter((id) => id !== c.identifier && !inConfig.has(id)) },
    };
  });
}

function parameterDifferences(a: ParameterGroupModel['parameters'], b: ParameterGroupModel['parameters']): string[] {
  const render = (p?: { value: string; applyMethod: string }) => (p ? `${show(p.value)} (${p.applyMethod})` : 'unset');
  const names = [...new Set([...a, ...b].map((p) => p.name))].sort();
  return names.flatMap((name) => {
    const x = a.find((p) => p.name === name);
    const y = b.find((p) => p.name === name);
    return x?.value === y?.value && x?.applyMethod === y?.applyMethod ? [] : [`${name}: ${render(x)} vs ${render(y)}`];
  });
}

export function resolveCluster(levels: readonly SettingsLevel[], placed: PlacedCluster, custom: readonly CustomDetection[], report: Report, enabledAbove: EnabledAbove): ClusterModel {
  const { input: cluster, path } = placed;
  const engine = cluster.engine as Engine;
  const facts = ENGINES[engine];
  const version = resolveEngineVersion(engine, cluster.engineVersion, cluster.family);
  if (!version.ok) {
    // A cluster written by its family alone: name the family as written, then why its version is refused.
    if (placed.versionFrom && version.field === 'engineVersion') {
      report(placed.versionFrom, `${show(cluster.family)} is not a supported family: ${version.problem.slice(version.problem.indexOf(': ') + 2)}`);
    } else report(version.field === 'family' && placed.versionFrom ? [...path, 'family'] : [...path, version.field], version.problem);
  }
  const family = version.ok ? version.major.family : undefined;
  const clusterAuditPath: Path = [...path, 'audit'];
  const ownLevel = (sourced: Sourced<unknown>) => sourced.path !== undefined && formatPath(sourced.path).startsWith(formatPath(clusterAuditPath));

  const auditLevels: Level<AuditInput>[] = [{ value: cluster.audit, path: clusterAuditPath }, ...sectionLevels(levels, 'audit')];
  const isMysql = engine === 'aurora-mysql';
  // Engine-specific settings set above the cluster apply to the clusters of that engine only; set on a cluster of
  // the other engine, they are a mistake.
  const engineOnly = <K extends keyof AuditInput>(key: K, fallback: NonNullable<AuditInput[K]>, mine: boolean, use: string): Sourced<NonNullable<AuditInput[K]>> => {
    const got = pick(auditLevels, key, fallback);
    if (mine) return got;
    if (ownLevel(got)) report(got.path!, `is not an ${facts.label} setting; ${use}`);
    return { value: fallback };
  };
  const events = engineOnly('events', isMysql ? DEFAULT_AUDIT.events : [], isMysql, 'Aurora PostgreSQL audits with audit.pgauditLog');
  const includeUsers = engineOnly('includeUsers', DEFAULT_AUDIT.includeUsers, isMysql, 'on Aurora PostgreSQL, exclude a user with ALTER USER <name> SET pgaudit.log TO NONE');
  const excludeUsers = engineOnly('excludeUsers', isMysql ? DEFAULT_AUDIT.excludeUsers : [], isMysql, 'on Aurora PostgreSQL, exclude a user with ALTER USER <name> SET pgaudit.log TO NONE');
  const pgauditLog = engineOnly('pgauditLog', isMysql ? [] : DEFAULT_AUDIT.pgauditLog, !isMysql, 'Aurora MySQL audits with audit.events');
  const pgauditRole = engineOnly('pgauditRole', undefined as never, !isMysql, 'it is Aurora PostgreSQL only');
  const logConnections = engineOnly('logConnections', !isMysql && DEFAULT_AUDIT.logConnections, !isMysql, 'on Aurora MySQL, connections are logged by the CONNECT event');
  const keepLogsOnDestroy = pick(auditLevels, 'keepLogsOnDestroy', DEFAULT_AUDIT.keepLogsOnDestroy);

  // Log types set above the cluster keep the ones this engine exports; set on the cluster itself, each must fit.
  const engineDefault = DEFAULT_AUDIT.logTypes[engine];
  const givenLogTypes = pick(auditLevels, 'logTypes', engineDefault);
  let logTypes: Sourced<readonly LogType[]> = givenLogTypes;
  if (ownLevel(givenLogTypes)) {
    givenLogTypes.value.forEach((type, i) => {
      if (!(facts.logTypes as readonly string[]).includes(type)) {
        report([...givenLogTypes.path!, i], `${show(type)} is not a log type ${facts.label} exports; use ${facts.logTypes.join(', ')}`);
      }
    });
  } else if (givenLogTypes.path) {
    const fitting = givenLogTypes.value.filter((t) => (facts.logTypes as readonly string[]).includes(t));
    logTypes = fitting.length > 0 ? { value: fitting, path: givenLogTypes.path } : { value: engineDefault };
  }

  checkNoRepeats(events, report);
  checkNoRepeats(pgauditLog, report);
  checkNoRepeats(logTypes, report);
  for (const users of [includeUsers, excludeUsers]) {
    const joined = users.value.join(',');
    if (joined.length > AUDIT_USERS_MAX_CHARS && users.path) {
      report(users.path, `is ${joined.length} characters once joined with commas; Aurora allows ${AUDIT_USERS_MAX_CHARS}`);
    }
  }

  const retentionDays: Partial<Record<LogType, number>> = {};
  for (const type of logTypes.value) {
    retentionDays[type] =
      auditLevels.map((l) => l.value?.retentionDays?.[type]).find((v) => v !== undefined) ?? DEFAULT_AUDIT.retentionDays[type];
  }
  // An audit log kept for less than the floor loses records a review may still need: only on purpose.
  const auditDays = retentionDays[facts.auditLogType];
  const shortAccepted = pick(auditLevels, 'shortRetentionAccepted', DEFAULT_AUDIT.shortRetentionAccepted);
  if (auditDays !== undefined && auditDays < AUDIT_RETENTION_FLOOR_DAYS && !shortAccepted.value) {
    const setAt = auditLevels.find((l) => l.value?.retentionDays?.[facts.auditLogType] !== undefined);
    report(
      setAt ? [...setAt.path, 'retentionDays', facts.auditLogType] : [...clusterAuditPath, 'retentionDays', facts.auditLogType],
      `is ${auditDays} day${auditDays === 1 ? '' : 's'}: CloudWatch Logs would delete audit records after that, and ${AUDIT_RETENTION_FRAMEWORKS} ask for a year (${AUDIT_RETENTION_YEAR_DAYS} days). Use ${AUDIT_RETENTION_YEAR_DAYS} or more; or, to keep fewer than ${AUDIT_RETENTION_FLOOR_DAYS} days on purpose (with the archive keeping them, say), set audit.shortRetentionAccepted: true beside it`,
    );
  }

  // What the detections need audited: Advanced Auditing events on MySQL, pgaudit classes on PostgreSQL.
  const auditedClasses: Sourced<readonly string[]> = isMysql
    ? events
    : { value: pgauditClassesAudited(pgauditLog.value), path: pgauditLog.path };
  const { detections, skipped } = resolveDetections(
    engine,
    [{ value: cluster.detections, path: [...path, 'detections'] }, ...sectionLevels(levels, 'detections')],
    custom.filter((c) => c.definition.engine === engine && (facts.logTypes as readonly string[]).includes(c.definition.logType)),
    { clusterPath: path, events: auditedClasses, logTypes, eventsName: isMysql ? 'audit.events' : 'audit.pgauditLog' },
    report,
    enabledAbove,
  );
  checkQuotas(detections, path, report);
  const silence = resolveSilence([{ value: cluster.silence, path: [...path, 'silence'] }, ...sectionLevels(levels, 'silence')], path, logTypes, facts.auditLogType, report);

  const audit = {
    events: events.value as AuditEvent[],
    pgauditLog: pgauditLog.value,
    pgauditRole: pgauditRole.value,
    logConnections: logConnections.value,
    includeUsers: includeUsers.value,
    excludeUsers: excludeUsers.value,
    logTypes: logTypes.value,
    retentionDays,
    keepLogsOnDestroy: keepLogsOnDestroy.value,
  };
  // All of them, exported or not: one no longer exported is forgotten, never deleted (stacks/transitions.ts).
  const existingLogGroups = cluster.existingLogGroups ?? [];
  return {
    identifier: cluster.identifier,
    configPath: formatPath(path),
    engine,
    engineVersion: cluster.engineVersion,
    majorVersion: version.ok ? version.major.major : '',
    family: family ?? '',
    attach: cluster.attach,
    audit,
    parameterGroup: resolveParameterGroup(cluster, engine, family ?? '', version.ok ? version.major.major : '', audit, logConnections.path !== undefined, [...path, 'parameterGroup'], report),
    existingLogGroups,
    existingLogGroupsRecorded: cluster.existingLogGroups !== undefined,
    detections,
    silence: silence.model,
    skippedDetections: silence.skipped ? [...skipped, silence.skipped] : skipped,
  };
}

/**
 * The silence alarm of a cluster's audit log group. It watches the audit log, so a cluster that does not export it
 * has none: an error when the config turned it on there, a line in the summary when only the default did.
 */
function resolveSilence(
  levels: readonly Level<SilenceInput>[],
  clusterPath: Path,
  logTypes: Sourced<readonly LogType[]>,
  auditLog: LogType,
  report: Report,
): { model?: SilenceModel; skipped?: { id: string; reason: string } } {
  const { enabled, periodSeconds: period, evaluationPeriods: evaluations, threshold } = sectionFields(levels, 'silence');
  if (!enabled.value) return {};
  if (!logTypes.value.includes(auditLog)) {
    const exported = `audit.logTypes ${show(logTypes.value)}`;
    if (enabled.path) {
      report(enabled.path, `${formatPath(clusterPath)} has a silence alarm, which watches the ${auditLog} log, but ${exported} does not export it; add ${auditLog} or set silence.enabled: false`);
    }
    return { skipped: { id: 'silence', reason: `it watches the ${auditLog} log, which ${exported} does not export` } };
  }
  if (period.value % UNCONFIRMED.logsMetricResolutionSeconds !== 0 && period.path) {
    report(period.path, `${period.value} is not a multiple of ${UNCONFIRMED.logsMetricResolutionSeconds}; CloudWatch Logs publishes IncomingLogEvents by the minute, so use 60, 300, 3600, ...`);
  }
  if (period.value * evaluations.value > ALARM_MAX_EVALUATION_SECONDS) {
    report(evaluations.path ?? period.path ?? [], `periodSeconds x evaluationPeriods is ${period.value * evaluations.value} s; CloudWatch allows at most ${ALARM_MAX_EVALUATION_SECONDS} (one day)`);
  }
  return { model: { periodSeconds: period.value, evaluationPeriods: evaluations.value, threshold: threshold.value } };
}

/**
 * The cluster parameter group that carries the audit settings. An adopted cluster that already has a custom group
 * keeps it: every parameter the user set stays, the audit ones are added. Otherwise aurora-audit makes a group of
 * its own, from the engine defaults plus the audit parameters, and attaching it needs a reboot.
 */
function resolveParameterGroup(
  cluster: ClusterInput,
  engine: Engine,
  family: string,
  major: string,
  audit: ClusterModel['audit'],
  logConnectionsWritten: boolean,
  path: Path,
  report: Report,
): ParameterGroupModel {
  const recorded = cluster.parameterGroup;
  const current = recorded?.name;
  const isDefault = current?.startsWith('default.') ?? true;
  const ownName = AWS_NAMES.parameterGroup(cluster.identifier, family);
  // The group aurora-audit made on an earlier run, as discovery sees it afterwards: keep creating it, never adopt it.
  const ours = current?.toLowerCase() === ownName;
  const adopt = cluster.attach === 'adopt' && !isDefault && !ours;
  const alsoUsedBy = recorded?.alsoUsedBy ?? [];
  // A group the cluster uses now is never forgotten, whatever the list says.
  const previous = (recorded?.previous ?? []).filter((name) => name.toLowerCase() !== current?.toLowerCase() && !name.startsWith('default.'));
  const recordedValues = new Map(
    Object.entries(recorded?.parameters ?? {}).map(([name, v]) => [name, typeof v === 'string' ? { value: v, applyMethod: 'immediate' as const } : v]),
  );
  if (isDefault && recorded?.parameters && engine === 'aurora-mysql' && recordedValues.size > 0) {
    report([...path, 'parameters'], `lists parameters of a default group (${current}); aurora-audit keeps the engine defaults anyway, so leave them out`);
  }

  const wanted: Array<{ name: string; value: string; applyMethod: 'immediate' | 'pending-reboot' }> = [];
  const rebootReasons: string[] = [];
  if (engine === 'aurora-mysql') {
    // Events in one fixed order, so reordering them in the config is not a change.
    const events = AUDIT_EVENT_NAMES.filter((e) => audit.events.includes(e));
    const method = UNCONFIRMED.auditParameterApplyMethod;
    wanted.push({ name: 'server_audit_logging', value: '1', applyMethod: method }, { name: 'server_audit_events', value: events.join(','), applyMethod: method });
    // An empty value is not stored by RDS, so setting one would show a change on every plan.
    if (audit.includeUsers.length) wanted.push({ name: 'server_audit_incl_users', value: audit.includeUsers.join(','), applyMethod: method });
    if (audit.excludeUsers.length) wanted.push({ name: 'server_audit_excl_users', value: audit.excludeUsers.join(','), applyMethod: method });
  } else {
    const preload = recordedValues.get('shared_preload_libraries');
    const libraries = preload ? preload.value.split(',').map((l) => l.trim()).filter(Boolean) : [...UNCONFIRMED.auroraPostgresqlDefaultPreloadLibraries];
    if (!libraries.includes('pgaudit')) {
      libraries.push('pgaudit');
      if (adopt) rebootReasons.push('shared_preload_libraries gains pgaudit, a static parameter that takes effect at the next reboot');
    }
    wanted.push({ name: 'shared_preload_libraries', value: libraries.join(','), applyMethod: 'pending-reboot' });
    const method = UNCONFIRMED.pgauditParameterApplyMethod;
    wanted.push({ name: 'pgaudit.log', value: audit.pgauditLog.join(','), applyMethod: method });
    if (audit.pgauditRole) wanted.push({ name: 'pgaudit.role', value: audit.pgauditRole, applyMethod: method });
    // The two are one setting: where the user set either in the group, both stay as they are unless the config
    // itself asks (the built-in default never overrides a choice the user made).
    const userChoseConnectionLogging = adopt && (recordedValues.has('log_connections') || recordedValues.has('log_disconnections'));
    if (audit.logConnections && (logConnectionsWritten || !userChoseConnectionLogging)) {
      // PostgreSQL 18 made log_connections a list of aspects; log_disconnections stays a boolean.
      const on = { log_connections: UNCONFIRMED.pgLogConnectionsOn(Number(major)), log_disconnections: '1' };
      for (const [name, value] of Object.entries(on)) wanted.push({ name, value, applyMethod: UNCONFIRMED.pgConnectionLogApplyMethod });
    }
  }

  if (adopt) {
    // Keep every parameter the user set; where an audit parameter already has the wanted value, keep its apply
    // method too, so that the plan shows no change for it.
    const merged = new Map(recordedValues);
    for (const w of wanted) {
      const before = recordedValues.get(w.name);
      merged.set(w.name, before?.value === w.value ? before : { value: w.value, applyMethod: w.applyMethod });
    }
    return {
      mode: 'adopt',
      name: current!,
      current,
      parameters: [...merged].map(([name, v]) => ({ name, ...v })).sort((a, b) => a.name.localeCompare(b.name)),
      preserved: [...recordedValues.keys()].filter((name) => !wanted.some((w) => w.name === name)).sort(),
      changes: wanted.map((w) => ({ name: w.name, before: recordedValues.get(w.name)?.value, after: w.value })),
      rebootReasons,
      sharedWith: [],
      alsoUsedBy,
      previous,
    };
  }
  if (!ours) {
    rebootReasons.push(
      cluster.attach === 'adopt'
        ? `it moves from ${current ?? 'its current parameter group'} to a new custom group (default groups cannot be changed), which takes effect when the writer reboots`
        : 'the owning Terraform attaches a new parameter group, which takes effect when the writer reboots',
    );
  }
  return {
    mode: 'create',
    name: ownName,
    current,
    parameters: [...wanted].sort((a, b) => a.name.localeCompare(b.name)),
    preserved: [],
    changes: wanted.map((w) => ({ name: w.name, after: w.value })),
    rebootReasons,
    sharedWith: [],
    // Only a group the cluster keeps reaches other clusters; a new group is the cluster's alone.
    alsoUsedBy: [],
    previous,
  };
}
