/**
 * From a config that has the right shape to the validated model: applies defaults (cluster → target → top level →
 * built-in, field by field) and checks the rules that span fields. Every problem names the path where the
 * offending value was written.
 */
import {
  ALARM_MAX_EVALUATION_SECONDS,
  AUDIT_USERS_MAX_CHARS,
  ENGINES,
  FORBIDDEN_GUARDRAIL_POLICIES,
  IAM_ROLE_ARN,
  KMS_KEY_ARN,
  METRIC_FILTER_QUOTAS,
  partitionOf,
  type AuditEvent,
  type Engine,
  type LogType,
} from './aws';
import { DEFAULT_AUDIT, DEFAULT_BACKEND, DEFAULT_ENCRYPTION, DEFAULT_S3_BACKEND, DEFAULT_SLACK } from './defaults';
import type { AuditModel, BackendModel, ClusterModel, DetectionModel, EncryptionModel, SlackModel, StackModel } from './model';
import { closest, formatPath, show, type PathSegment, type Problem, type SourceLookup } from './problems';
import type { AuditInput, BackendInput, ClusterInput, ConfigInput, CustomDetectionInput, DetectionsInput, EncryptionInput, SlackInput, TargetInput } from './schema';
import { UNCONFIRMED } from './unconfirmed';
import { DETECTION_IDS, DETECTIONS, type DetectionDefinition } from '../detections';
import { compileFilterPattern, FilterPatternError } from '../detections/filter-pattern';

type Path = readonly PathSegment[];

/** A section as written at one level, with where it was written. */
interface Level<T> {
  readonly value: T | undefined;
  readonly path: Path;
}

/** A resolved value and where it came from (undefined: the built-in default). */
interface Sourced<T> {
  readonly value: T;
  readonly path?: Path;
}

function pick<T, K extends keyof T>(levels: readonly Level<T>[], key: K, fallback: NonNullable<T[K]>): Sourced<NonNullable<T[K]>> {
  for (const level of levels) {
    const v = level.value?.[key];
    if (v !== undefined) return { value: v as NonNullable<T[K]>, path: [...level.path, key as string] };
  }
  return { value: fallback };
}

export interface ResolveContext {
  readonly sourcePath: string;
  readonly isBundledExample: boolean;
  readonly source: SourceLookup;
}

export function resolveConfig(input: ConfigInput, ctx: ResolveContext): { model?: AuditModel; problems: Problem[] } {
  const problems: Problem[] = [];
  const report = (path: Path, message: string) => problems.push({ path: formatPath(path), message, line: ctx.source.lineAt(path) });

  const backend = resolveBackend(input.backend, report);
  const custom = resolveCustomDetections(input.customDetections ?? [], report);
  const stacks = input.targets.map((target, t) => resolveTarget(input, target, ['targets', t], custom, report));
  checkDetectionIds(input, custom, report);

  checkUnique(stacks, (s) => `${s.accountId}/${s.region}`, (s, first) =>
    report(pathOf(s.configPath), `account ${s.accountId} in ${s.region} is already ${first.configPath}; aurora-audit builds one stack per account and region, so merge their clusters into one target`),
  );
  checkUnique(stacks, (s) => s.name, (s, first) =>
    report([...pathOf(s.configPath), 'name'], `${show(s.name)} is already the name of ${first.configPath}; stack names must be unique (they name the state and the alarms)`),
  );
  checkUnique(stacks, (s) => `${s.accountId}/${s.slack.configurationName}`, (s, first) =>
    report([...pathOf(s.configPath), 'notifications', 'slack', 'configurationName'], `${show(s.slack.configurationName)} is already used by ${first.configPath} in account ${s.accountId}; Chatbot configuration names are unique per account`),
  );

  if (problems.length > 0) return { problems };
  return {
    model: { sourcePath: ctx.sourcePath, isBundledExample: ctx.isBundledExample, discoveryProfile: input.discovery?.profile, backend, stacks },
    problems,
  };
}

function pathOf(configPath: string): Path {
  return configPath.split(/\.|(?=\[)/).map((part): PathSegment => {
    const m = /^\[(\d+)\]$/.exec(part);
    return m ? Number(m[1]) : part;
  });
}

function checkUnique<T>(items: readonly T[], key: (item: T) => string, onDuplicate: (item: T, first: T) => void): void {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const first = seen.get(k);
    if (first) onDuplicate(item, first);
    else seen.set(k, item);
  }
}

type Report = (path: Path, message: string) => void;

function resolveBackend(input: BackendInput | undefined, report: Report): BackendModel {
  if (!input || input.type === 'local') return { type: 'local', directory: input?.directory ?? DEFAULT_BACKEND.directory };
  const locking = input.locking ?? DEFAULT_S3_BACKEND.locking;
  if (locking === 'dynamodb' && !input.dynamodbTable) {
    report(['backend', 'dynamodbTable'], 'is required when backend.locking is dynamodb; name the lock table, or use locking: lockfile (Terraform 1.10+)');
  }
  if (locking !== 'dynamodb' && input.dynamodbTable) {
    report(['backend', 'dynamodbTable'], `${show(input.dynamodbTable)} is set, but backend.locking is ${locking}; set locking: dynamodb to use the table, or remove it`);
  }
  return {
    type: 's3',
    bucket: input.bucket,
    keyPrefix: (input.keyPrefix ?? DEFAULT_S3_BACKEND.keyPrefix).replace(/\/+$/, ''),
    region: input.region,
    locking,
    dynamodbTable: input.dynamodbTable,
    roleArn: input.roleArn,
    kmsKeyArn: input.kmsKeyArn,
  };
}

function resolveTarget(config: ConfigInput, target: TargetInput, path: Path, custom: readonly CustomDetection[], report: Report): StackModel {
  const name = target.name ?? `${target.accountId}-${target.region}`;
  const partition = partitionOf(target.region);

  if (target.roleArn) {
    const roleAccount = IAM_ROLE_ARN.exec(target.roleArn)?.[1];
    if (roleAccount !== target.accountId) {
      report([...path, 'roleArn'], `${show(target.roleArn)} is a role in account ${roleAccount}, but the target is account ${target.accountId}; use a role in the target account`);
    }
  }

  const slack = resolveSlack(
    [
      { value: target.notifications?.slack, path: [...path, 'notifications', 'slack'] },
      { value: config.notifications?.slack, path: ['notifications', 'slack'] },
    ],
    name,
    partition,
    path,
    report,
  );
  const encryption = resolveEncryption(
    [
      { value: target.encryption, path: [...path, 'encryption'] },
      { value: config.encryption, path: ['encryption'] },
    ],
    target,
    report,
  );

  const clusters = target.clusters.map((cluster, c) => resolveCluster(config, target, cluster, [...path, 'clusters', c], custom, report));
  checkUnique(clusters, (cl) => cl.identifier, (cl, first) =>
    report([...pathOf(cl.configPath), 'identifier'], `${show(cl.identifier)} is already ${first.configPath}; list each cluster once per target`),
  );

  return {
    name,
    configPath: formatPath(path),
    accountId: target.accountId,
    region: target.region,
    partition,
    roleArn: target.roleArn,
    tags: { ...config.tags, ...target.tags },
    encryption,
    slack,
    clusters,
  };
}

function resolveSlack(levels: readonly Level<SlackInput>[], stackName: string, partition: string, targetPath: Path, report: Report): SlackModel {
  const teamId = pick(levels, 'teamId', '');
  const channelId = pick(levels, 'channelId', '');
  for (const [field, got] of [['teamId', teamId], ['channelId', channelId]] as const) {
    if (!got.value) {
      report([...targetPath, 'notifications', 'slack', field], `is required: set notifications.slack.${field} at the top level or in this target, or alarms would have nowhere to go`);
    }
  }
  const guardrails = pick(levels, 'guardrailPolicyArns', [`arn:${partition}:iam::aws:policy/${DEFAULT_SLACK.guardrailPolicyName}`]);
  guardrails.value.forEach((arn, i) => {
    const policyName = arn.split('/').pop() ?? '';
    if ((FORBIDDEN_GUARDRAIL_POLICIES as readonly string[]).includes(policyName) && arn.includes(':iam::aws:policy/')) {
      report([...(guardrails.path ?? []), i], `${show(arn)} would let anyone in the Slack channel act with ${policyName}; use ReadOnlyAccess or a narrow policy of your own`);
    }
  });
  return {
    teamId: teamId.value,
    channelId: channelId.value,
    configurationName: pick(levels, 'configurationName', `aurora-audit-${stackName}`).value,
    guardrailPolicyArns: guardrails.value,
    loggingLevel: pick(levels, 'loggingLevel', DEFAULT_SLACK.loggingLevel).value,
    userAuthorizationRequired: pick(levels, 'userAuthorizationRequired', DEFAULT_SLACK.userAuthorizationRequired).value,
    logRetentionDays: pick(levels, 'logRetentionDays', DEFAULT_SLACK.logRetentionDays).value,
  };
}

function resolveEncryption(levels: readonly Level<EncryptionInput>[], target: TargetInput, report: Report): EncryptionModel {
  const level = levels.find((l) => l.value !== undefined);
  const value = level?.value;
  if (!value || value.mode === 'create') {
    return { mode: 'create', deletionWindowDays: value?.deletionWindowDays ?? DEFAULT_ENCRYPTION.deletionWindowDays };
  }
  if (value.mode === 'none') return { mode: 'none' };
  const keyRegion = KMS_KEY_ARN.exec(value.keyArn)?.[1];
  if (keyRegion !== target.region) {
    report([...level!.path, 'keyArn'], `${show(value.keyArn)} is a key in ${keyRegion}, but target ${target.accountId}/${target.region} needs a key in its own region (SNS and CloudWatch Logs use regional keys); override encryption in that target`);
  }
  return { mode: 'key', keyArn: value.keyArn };
}

function resolveCluster(config: ConfigInput, target: TargetInput, cluster: ClusterInput, path: Path, custom: readonly CustomDetection[], report: Report): ClusterModel {
  const engine = cluster.engine as Engine;
  const facts = ENGINES[engine];
  const family = familyOf(engine, cluster.engineVersion);
  const versionProblem = engineVersionProblem(engine, cluster.engineVersion);
  if (versionProblem) report([...path, 'engineVersion'], versionProblem);

  const auditLevels: Level<AuditInput>[] = [
    { value: cluster.audit, path: [...path, 'audit'] },
    { value: target.audit, path: [...path.slice(0, 2), 'audit'] },
    { value: config.audit, path: ['audit'] },
  ];
  const events = pick(auditLevels, 'events', DEFAULT_AUDIT.events);
  const includeUsers = pick(auditLevels, 'includeUsers', DEFAULT_AUDIT.includeUsers);
  const excludeUsers = pick(auditLevels, 'excludeUsers', DEFAULT_AUDIT.excludeUsers);
  const logTypes = pick(auditLevels, 'logTypes', DEFAULT_AUDIT.logTypes);

  checkNoRepeats(events, report);
  checkNoRepeats(logTypes, report);
  for (const users of [includeUsers, excludeUsers]) {
    const joined = users.value.join(',');
    if (joined.length > AUDIT_USERS_MAX_CHARS && users.path) {
      report(users.path, `is ${joined.length} characters once joined with commas; Aurora allows ${AUDIT_USERS_MAX_CHARS}`);
    }
  }
  logTypes.value.forEach((type, i) => {
    if (!(facts.logTypes as readonly string[]).includes(type)) {
      report([...(logTypes.path ?? []), i], `${show(type)} is not a log type ${facts.label} exports (${formatPath(path)}); use ${facts.logTypes.join(', ')}`);
    }
  });

  const retentionDays: Partial<Record<LogType, number>> = {};
  for (const type of logTypes.value as LogType[]) {
    retentionDays[type] =
      auditLevels.map((l) => l.value?.retentionDays?.[type]).find((v) => v !== undefined) ?? DEFAULT_AUDIT.retentionDays[type];
  }

  const { detections, skipped } = resolveDetections(
    engine,
    [
      { value: cluster.detections, path: [...path, 'detections'] },
      { value: target.detections, path: [...path.slice(0, 2), 'detections'] },
      { value: config.detections, path: ['detections'] },
    ],
    custom.filter((c) => c.definition.engine === engine && (facts.logTypes as readonly string[]).includes(c.definition.logType)),
    { clusterPath: path, events, logTypes },
    report,
  );
  checkQuotas(detections, path, report);

  return {
    identifier: cluster.identifier,
    configPath: formatPath(path),
    engine,
    engineVersion: cluster.engineVersion,
    family: family ?? '',
    attach: cluster.attach,
    audit: {
      events: events.value as AuditEvent[],
      includeUsers: includeUsers.value,
      excludeUsers: excludeUsers.value,
      logTypes: logTypes.value as LogType[],
      retentionDays,
    },
    detections,
    skippedDetections: skipped,
  };
}

/** What is wrong with an engine version, in the words of a config problem; undefined when it is supported. */
export function engineVersionProblem(engine: Engine, version: string): string | undefined {
  if (familyOf(engine, version)) return undefined;
  const facts = ENGINES[engine];
  const majors = facts.versions.map((v) => v.major).join(' or ');
  return `${show(version)} is not a supported ${facts.label} version; use ${majors}, alone or in full (${facts.versions[facts.versions.length - 1].major}.mysql_aurora.3.05.2)`;
}

/** The parameter group family of an engine version (5.7 / 8.0, alone or as 8.0.mysql_aurora.3.x.y). */
export function familyOf(engine: Engine, version: string): string | undefined {
  const m = /^(\d+\.\d+)(?:\.mysql_aurora\.(\d+)\.\d+\.\d+)?$/.exec(version);
  if (!m) return undefined;
  const found = ENGINES[engine].versions.find((v) => v.major === m[1]);
  if (!found || (m[2] !== undefined && m[2] !== found.auroraMajor)) return undefined;
  return found.family;
}

function checkNoRepeats(list: Sourced<readonly string[]>, report: Report): void {
  list.value.forEach((v, i) => {
    if (list.value.indexOf(v) !== i && list.path) report([...list.path, i], `${show(v)} is listed twice`);
  });
}

/** A customDetections entry, as the catalog entry it becomes, with where it was written. */
interface CustomDetection {
  readonly definition: DetectionDefinition;
  readonly path: Path;
  readonly settings: CustomDetectionInput;
}

function resolveCustomDetections(entries: readonly CustomDetectionInput[], report: Report): CustomDetection[] {
  const result: CustomDetection[] = [];
  const catalogIds = new Set(Object.values(DETECTIONS).flatMap((list) => list.map((d) => d.id)));
  entries.forEach((entry, i) => {
    const path: Path = ['customDetections', i];
    if (catalogIds.has(entry.id)) {
      report([...path, 'id'], `${show(entry.id)} is a catalog detection; tune it under detections.${entry.id}, or give yours another id`);
      return;
    }
    if (entries.findIndex((e) => e.id === entry.id) !== i) {
      report([...path, 'id'], `${show(entry.id)} is already customDetections[${entries.findIndex((e) => e.id === entry.id)}]`);
      return;
    }
    try {
      const compiled = compileFilterPattern(entry.pattern);
      if (compiled.regexCount > METRIC_FILTER_QUOTAS.regexPerPattern) {
        report([...path, 'pattern'], `holds ${compiled.regexCount} regular expressions; CloudWatch allows ${METRIC_FILTER_QUOTAS.regexPerPattern} per pattern`);
      }
    } catch (e) {
      if (!(e instanceof FilterPatternError)) throw e;
      report([...path, 'pattern'], `${show(entry.pattern)} would be refused by CloudWatch: ${e.message}`);
      return;
    }
    const engines = (entry.engine ? [entry.engine] : Object.keys(ENGINES)) as Engine[];
    const fitting = engines.filter((e) => (ENGINES[e].logTypes as readonly string[]).includes(entry.logType));
    if (fitting.length === 0) {
      report([...path, 'logType'], `${show(entry.logType)} is not a log type ${engines.map((e) => ENGINES[e].label).join(' or ')} exports; use ${engines.flatMap((e) => ENGINES[e].logTypes).join(', ')}`);
      return;
    }
    for (const engine of fitting) {
      result.push({
        path,
        settings: entry,
        definition: {
          id: entry.id,
          engine,
          logType: entry.logType,
          title: entry.title ?? entry.id,
          pattern: entry.pattern,
          enabledByDefault: entry.enabled ?? true,
          defaults: {
            threshold: entry.threshold ?? 1,
            periodSeconds: entry.periodSeconds ?? 300,
            evaluationPeriods: entry.evaluationPeriods ?? 1,
            datapointsToAlarm: entry.datapointsToAlarm ?? 1,
          },
          severity: entry.severity ?? 'medium',
          whyItMatters: entry.description ?? `The custom detection ${entry.id} matched ${entry.pattern} in the ${entry.logType} log.`,
          nextSteps: 'Look up the matching lines in the log group around the time of the alarm.',
          requiresEvents: [],
          limitations: [],
          samples: { match: [], noMatch: [] },
        },
      });
    }
  });
  return result;
}

/** Every id under a detections section names a catalog or custom detection. */
function checkDetectionIds(config: ConfigInput, custom: readonly CustomDetection[], report: Report): void {
  const known = [...DETECTION_IDS, ...new Set(custom.map((c) => c.definition.id))];
  const sections: Array<[DetectionsInput | undefined, Path]> = [[config.detections, ['detections']]];
  config.targets.forEach((t, i) => {
    sections.push([t.detections, ['targets', i, 'detections']]);
    t.clusters.forEach((c, j) => sections.push([c.detections, ['targets', i, 'clusters', j, 'detections']]));
  });
  for (const [section, path] of sections) {
    for (const id of Object.keys(section ?? {})) {
      if (known.includes(id)) continue;
      const near = closest(id, known);
      report([...path, id], `is not a known detection${near ? ` (did you mean ${near}?)` : ''}; use ${known.join(', ')}, or define it under customDetections`);
    }
  }
}

interface ClusterContext {
  readonly clusterPath: Path;
  readonly events: Sourced<readonly string[]>;
  readonly logTypes: Sourced<readonly string[]>;
}

function resolveDetections(
  engine: Engine,
  levels: readonly Level<DetectionsInput>[],
  custom: readonly CustomDetection[],
  cluster: ClusterContext,
  report: Report,
): { detections: DetectionModel[]; skipped: Array<{ id: string; reason: string }> } {
  const detections: DetectionModel[] = [];
  const skipped: Array<{ id: string; reason: string }> = [];
  const entries = [
    ...DETECTIONS[engine].map((definition) => ({ definition, base: undefined as Level<CustomDetectionInput> | undefined })),
    ...custom.map((c) => ({ definition: c.definition, base: { value: c.settings, path: c.path } as Level<CustomDetectionInput> })),
  ];
  for (const { definition, base } of entries) {
    const settingLevels = [
      ...levels.map((l) => ({ value: l.value?.[definition.id], path: [...l.path, definition.id] })),
      ...(base ? [base] : []),
    ];
    const defaults = { enabled: definition.enabledByDefault, ...definition.defaults };
    const enabled = pick(settingLevels, 'enabled', defaults.enabled);
    const threshold = pick(settingLevels, 'threshold', defaults.threshold);
    const period = pick(settingLevels, 'periodSeconds', defaults.periodSeconds);
    const evaluations = pick(settingLevels, 'evaluationPeriods', defaults.evaluationPeriods);
    const datapoints = pick(settingLevels, 'datapointsToAlarm', defaults.datapointsToAlarm);
    if (!enabled.value) continue;

    // A detection that could never fire is worse than none. If the user turned it on, that is an error; if only
    // the default did, it is left out and the summary says why.
    const deadBecause: Array<[Path, string]> = [];
    const where = `${formatPath(cluster.clusterPath)} enables the ${definition.id} detection`;
    if (!cluster.logTypes.value.includes(definition.logType)) {
      deadBecause.push([
        cluster.logTypes.path ?? cluster.clusterPath,
        `${where}, which reads the ${definition.logType} log, but audit.logTypes ${show(cluster.logTypes.value)} does not export it; add ${definition.logType} or disable the detection`,
      ]);
    }
    for (const group of definition.requiresEvents) {
      if (!group.some((e) => (cluster.events.value as readonly string[]).includes(e))) {
        deadBecause.push([
          cluster.events.path ?? cluster.clusterPath,
          `${where}, which can only fire with ${group.join(' or ')} audited, but audit.events is ${show(cluster.events.value)}; add ${group[group.length - 1]} or disable the detection`,
        ]);
      }
    }
    if (deadBecause.length > 0) {
      if (enabled.path) for (const [path, message] of deadBecause) report(path, message);
      else skipped.push({ id: definition.id, reason: deadBecause.map(([, m]) => m.slice(m.indexOf(', which') + 2)).join('; ') });
      continue;
    }

    const resolution = UNCONFIRMED.metricFilterResolutionSeconds;
    if (period.value % resolution !== 0 && period.path) {
      report(period.path, `${period.value} is not a multiple of ${resolution}; metric-filter metrics have one-minute resolution, so use 60, 300, 900, ...`);
    }
    if (datapoints.value > evaluations.value) {
      report(datapoints.path ?? evaluations.path ?? [], `${datapoints.value} is more than evaluationPeriods (${evaluations.value}); an alarm cannot need more breaching periods than it looks at`);
    }
    if (period.value * evaluations.value > ALARM_MAX_EVALUATION_SECONDS) {
      report(evaluations.path ?? period.path ?? [], `periodSeconds x evaluationPeriods is ${period.value * evaluations.value} s; CloudWatch allows at most ${ALARM_MAX_EVALUATION_SECONDS} (one day)`);
    }
    detections.push({
      definition,
      threshold: threshold.value,
      periodSeconds: period.value,
      evaluationPeriods: evaluations.value,
      datapointsToAlarm: datapoints.value,
    });
  }
  return { detections, skipped };
}

/** CloudWatch's metric-filter quotas, per log group (FilterAndPatternSyntax.html, PutMetricFilter). */
function checkQuotas(detections: readonly DetectionModel[], clusterPath: Path, report: Report): void {
  const byLogGroup = new Map<string, { filters: number; regexPatterns: number }>();
  for (const d of detections) {
    let regexCount = 0;
    try {
      regexCount = compileFilterPattern(d.definition.pattern).regexCount;
    } catch (e) {
      if (!(e instanceof FilterPatternError)) throw e;
      report([...clusterPath, 'detections', d.definition.id], `has a filter pattern CloudWatch would reject: ${e.message}`);
      continue;
    }
    if (regexCount > METRIC_FILTER_QUOTAS.regexPerPattern) {
      report([...clusterPath, 'detections', d.definition.id], `holds ${regexCount} regular expressions; CloudWatch allows ${METRIC_FILTER_QUOTAS.regexPerPattern} per pattern`);
    }
    const counts = byLogGroup.get(d.definition.logType) ?? { filters: 0, regexPatterns: 0 };
    counts.filters += 1;
    counts.regexPatterns += regexCount > 0 ? 1 : 0;
    byLogGroup.set(d.definition.logType, counts);
  }
  for (const [logType, counts] of byLogGroup) {
    if (counts.regexPatterns > METRIC_FILTER_QUOTAS.regexPatternsPerLogGroup) {
      report([...clusterPath, 'detections'], `puts ${counts.regexPatterns} regex filter patterns on the ${logType} log group; CloudWatch allows ${METRIC_FILTER_QUOTAS.regexPatternsPerLogGroup}`);
    }
    if (counts.filters > METRIC_FILTER_QUOTAS.metricFiltersPerLogGroup) {
      report([...clusterPath, 'detections'], `puts ${counts.filters} metric filters on the ${logType} log group; CloudWatch allows ${METRIC_FILTER_QUOTAS.metricFiltersPerLogGroup}`);
    }
  }
}
