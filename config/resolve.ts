/**
 * From a config that has the right shape to the validated model: applies defaults (cluster → target → top level →
 * built-in, field by field) and checks the rules that span fields. Every problem names the path where the
 * offending value was written.
 */
import {
  ALARM_MAX_EVALUATION_SECONDS,
  ALLOWED_AWS_MANAGED_GUARDRAILS,
  AUDIT_RETENTION_FLOOR_DAYS,
  AUDIT_RETENTION_FRAMEWORKS,
  AUDIT_RETENTION_YEAR_DAYS,
  AUDIT_EVENT_NAMES,
  AUDIT_USERS_MAX_CHARS,
  ENGINES,
  IAM_POLICY_ARN,
  IAM_PRINCIPAL_ARN,
  IAM_ROLE_ARN,
  KMS_KEY_ARN,
  LOG_DESTINATION_ARN,
  METRIC_FILTER_QUOTAS,
  partitionOf,
  type AuditEvent,
  type Engine,
  type LogType,
} from './aws';
import { resolveEngineVersion } from './engine-versions';
import { DEFAULT_ARCHIVE, DEFAULT_AUDIT, DEFAULT_BACKEND, DEFAULT_DASHBOARD, DEFAULT_ENCRYPTION, DEFAULT_GUARDDUTY, DEFAULT_PULL_SCHEDULE, DEFAULT_S3_BACKEND, DEFAULT_SILENCE, DEFAULT_SLACK, DEFAULT_TAMPERING } from './defaults';
import { firehoseStreams } from './model';
import type { ArchiveModel, AuditModel, BackendModel, ClusterModel, DetectionModel, EncryptionModel, MonitoringStackModel, ParameterGroupModel, RetiredClusterModel, RetiredStackModel, SiemModel, SilenceModel, SlackModel, StackModel } from './model';
import { resolveAccountStacks } from './account-stacks';
import { AWS_NAMES } from './names';
import { placementsOf, roleArnOf, type PlacedCluster, type Placement, type SettingsLevel, type SharedSettings } from './placements';
import { closest, formatPath, parsePath, show, type PathSegment, type Problem, type SourceLookup } from './problems';
import type { AuditInput, BackendInput, ClusterInput, ConfigInput, CustomDetectionInput, DetectionsInput, EncryptionInput, MonitoringInput, RetiredInput, SilenceInput, SlackInput, TargetInput } from './schema';
import { UNCONFIRMED } from './unconfirmed';
import { DETECTION_IDS, DETECTIONS, type DetectionDefinition } from '../detections';
import { detectionNeeds, pgauditClassesAudited } from '../detections/catalog';
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
  // A setting inherited by several stacks may be wrong for each of them in the same words: say it once.
  const reported = new Set<string>();
  const report = (path: Path, message: string) => {
    const key = `${formatPath(path)}\u0000${message}`;
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({ path: formatPath(path), message, line: ctx.source.lineAt(path) });
  };

  const backend = resolveBackend(input.backend, report);
  const custom = resolveCustomDetections(input.customDetections ?? [], report);
  const placements = placementsOf(input, report);
  // In monitoring-account mode the channel is the monitoring account's: the source stacks take it from there.
  const fallbackSlack: Level<SlackInput> = { value: input.monitoring?.notifications?.slack, path: ['monitoring', 'notifications', 'slack'] };
  const stacks = placements.map((placement) => resolveTarget(placement, custom, fallbackSlack, report));
  checkDetectionIds(placements, custom, report);

  checkUnique(stacks, (s) => `${s.accountId}/${s.region}`, (s, first) =>
    report(pathOf(s.configPath), `account ${s.accountId} in ${s.region} is already ${first.configPath}; aurora-audit builds one stack per account and region, so merge their clusters into one target`),
  );
  checkUnique(stacks, (s) => s.name, (s, first) =>
    report([...pathOf(s.configPath), 'name'], `${show(s.name)} is already the name of ${first.configPath}; stack names must be unique (they name the state and the alarms)`),
  );
  checkUnique(stacks.filter((s) => s.archive), (s) => s.archive!.bucketName, (s, first) =>
    report([...pathOf(s.configPath), 'archive', 'bucketName'], `${show(s.archive!.bucketName)} is already the archive bucket of ${first.configPath}; bucket names are global, so give each stack's archive its own (or leave bucketName out for aurora-audit-archive-<account-id>-<region>)`),
  );
  checkUnique(stacks, (s) => `${s.accountId}/${s.slack.configurationName}`, (s, first) =>
    report([...pathOf(s.configPath), 'notifications', 'slack', 'configurationName'], `${show(s.slack.configurationName)} is already used by ${first.configPath} in account ${s.accountId}; Chatbot configuration names are unique per account`),
  );

  const retiredStacks = resolveRetired(input.retired ?? [], stacks, { keepAuditLogs: input.audit?.keepLogsOnDestroy ?? DEFAULT_AUDIT.keepLogsOnDestroy, monitoringAccountId: input.monitoring?.accountId }, report);
  const monitored = input.monitoring ? resolveMonitoring(input, input.monitoring, placements, stacks, report) : { stacks, monitoringStacks: [] };
  // A monitoring stack's name must be free; the other stacks' names were checked above and in resolveRetired.
  const taken = new Map<string, string>([...stacks.map((s) => [s.name, s.configPath] as const), ...retiredStacks.map((s) => [s.name, 'a retired stack'] as const)]);
  for (const m of monitored.monitoringStacks) {
    const other = taken.get(m.name);
    if (other) report(['monitoring'], `makes the stack ${show(m.name)}, which is already the name of ${other}; rename that target or account`);
  }

  const accountStacks = resolveAccountStacks({ ...monitored, retiredStacks, monitoring: input.monitoring, tags: input.tags }, report);

  if (problems.length > 0) return { problems };
  return {
    model: {
      sourcePath: ctx.sourcePath,
      isBundledExample: ctx.isBundledExample,
      discoveryProfile: input.discovery?.profile,
      backend,
      stacks: monitored.stacks,
      retiredStacks,
      monitoringStacks: monitored.monitoringStacks,
      accountStacks,
    },
    problems,
  };
}

/** The stack names of the monitoring account: one per region. */
export const monitoringStackName = (region: string): string => `monitoring-${region}`;

/**
 * Monitoring-account mode: every stack keeps its metric filters, and its alarms move to the monitoring account's
 * stack of its region, with the topic and one Chatbot channel. Slack is set once, for the monitoring account, so a
 * channel set for one account or group would be silently unused: that is a problem at its line.
 */
function resolveMonitoring(
  input: ConfigInput,
  monitoring: MonitoringInput,
  placements: readonly Placement[],
  stacks: readonly StackModel[],
  report: Report,
): { stacks: StackModel[]; monitoringStacks: MonitoringStackModel[] } {
  const seen = new Set<string>();
  for (const p of placements) {
    for (const level of p.levels.slice(0, -1)) {
      const where = formatPath(level.path);
      if (level.value?.notifications !== undefined && !seen.has(where)) {
        seen.add(where);
        report([...level.path, 'notifications'], 'is not used in monitoring-account mode: every alarm reaches the one channel of monitoring.notifications (or the top level); remove it, or leave monitoring out to alarm per account');
      }
      if (level.value?.alertDetails?.enabled === true && !seen.has(`${where}/details`)) {
        seen.add(`${where}/details`);
        report([...level.path, 'alertDetails', 'enabled'], 'cannot be true in monitoring-account mode: the detail message is sent from the account of the logs, and its alarms live in the monitoring account; leave it out');
      }
    }
  }
  if (input.alertDetails?.enabled === true) {
    report(['alertDetails', 'enabled'], 'cannot be true in monitoring-account mode: the detail message is sent from the account of the logs, and its alarms live in the monitoring account; leave it out');
  }

  const regions = [...new Set(stacks.map((s) => s.region))];
  const monitoringLevels: SettingsLevel[] = [{ value: { role: monitoring.role }, path: ['monitoring'] }, { value: input, path: [] }];
  const slackLevels: Level<SlackInput>[] = [
    { value: monitoring.notifications?.slack, path: ['monitoring', 'notifications', 'slack'] },
    { value: input.notifications?.slack, path: ['notifications', 'slack'] },
  ];

  const monitoringStacks = regions.map((region): MonitoringStackModel => {
    const name = monitoringStackName(region);
    const sources = stacks.filter((s) => s.region === region);
    return {
      name,
      configPath: 'monitoring',
      accountId: monitoring.accountId,
      region,
      partition: partitionOf(region),
      roleArn: roleArnOf(monitoringLevels, monitoring.accountId, region, report),
      tags: { ...input.tags, ...monitoring.tags },
      encryption: resolveEncryption(
        [
          { value: monitoring.encryption, path: ['monitoring', 'encryption'] },
          { value: input.encryption, path: ['encryption'] },
        ],
        { accountId: monitoring.accountId, region },
        report,
      ),
      slack: resolveSlack(slackLevels, name, monitoring.accountId, ['monitoring'], report),
      sources: sources.map((s) => ({ stack: s.name, accountId: s.accountId, clusters: s.clusters, firehoseStreams: firehoseStreams(s) })),
      eventSourceAccounts: [...new Set(sources.filter((s) => s.tamperAlerts || s.guardDuty).map((s) => s.accountId))].sort(),
      eventDeliveryRoleArns: sources
        .filter((s) => s.tamperAlerts || s.guardDuty)
        .map((s) => `arn:${partitionOf(region)}:iam::${s.accountId}:role/${AWS_NAMES.eventDeliveryRole(s.name)}`)
        .sort(),
      tamperAlerts: input.tampering?.enabled ?? DEFAULT_TAMPERING.enabled,
    };
  });
  const monitoringOf = new Map(monitoringStacks.map((m) => [m.region, m]));
  return {
    stacks: stacks.map((s) => ({
      ...s,
      alertDetails: undefined,
      monitoredBy: {
        accountId: monitoring.accountId,
        stack: monitoringStackName(s.region),
        topicArn: `arn:${s.partition}:sns:${s.region}:${monitoring.accountId}:${AWS_NAMES.topic(monitoringStackName(s.region))}`,
        topicEncrypted: monitoringOf.get(s.region)!.encryption.mode !== 'none',
      },
    })),
    monitoringStacks,
  };
}

/**
 * Retired clusters join the stack of their account and region (which then forgets them), or, when that target is
 * gone too, a stack of their own that only forgets. That stack keeps the name, and so the state, the target had.
 */
function resolveRetired(
  entries: readonly RetiredInput[],
  stacks: StackModel[],
  { keepAuditLogs, monitoringAccountId }: { keepAuditLogs: boolean; monitoringAccountId?: string },
  report: Report,
): RetiredStackModel[] {
  const retiredStacks = new Map<string, RetiredStackModel & { clusters: RetiredClusterModel[] }>();
  entries.forEach((entry, i) => {
    if (!entry) return; // an entry with a type error, already reported (load.ts)
    const path: Path = ['retired', i];
    const cluster: RetiredClusterModel = {
      identifier: entry.identifier,
      configPath: formatPath(path),
      attach: entry.attach,
      parameterGroup: entry.parameterGroup,
      existingLogGroups: entry.existingLogGroups ?? [],
    };
    const live = stacks.find((s) => s.accountId === entry.accountId && s.region === entry.region);
    if (live) {
      const stillThere = live.clusters.find((c) => c.identifier === entry.identifier);
      if (stillThere) {
        report([...path, 'identifier'], `${show(entry.identifier)} is still ${stillThere.configPath}; a cluster is either in a target or retired, not both`);
        return;
      }
      if (entry.stack !== undefined && entry.stack !== live.name) {
        report([...path, 'stack'], `${show(entry.stack)} is not the stack of ${entry.accountId}/${entry.region}, which is ${show(live.name)} (${live.configPath}); the cluster is forgotten by the stack of its account and region`);
        return;
      }
      if (live.retiredClusters.some((c) => c.identifier === entry.identifier)) {
        report([...path, 'identifier'], `${show(entry.identifier)} is retired twice in ${entry.accountId}/${entry.region}`);
        return;
      }
      (live.retiredClusters as RetiredClusterModel[]).push(cluster);
      return;
    }
    const name = entry.stack ?? `${entry.accountId}-${entry.region}`;
    const clash = stacks.find((s) => s.name === name);
    if (clash) {
      report([...path, 'stack'], `${show(name)} is the name of ${clash.configPath}, which is another account or region; give the retired stack its own name`);
      return;
    }
    const stack =
      retiredStacks.get(name) ??
      {
        name,
        nameRecorded: entry.stack !== undefined,
        accountId: entry.accountId,
        region: entry.region,
        partition: partitionOf(entry.region),
        roleArn: entry.roleArn,
        clusters: [],
        keepAuditLogs,
        mayHoldSharingRole: monitoringAccountId !== undefined && entry.accountId !== monitoringAccountId,
      };
    if (stack.accountId !== entry.accountId || stack.region !== entry.region) {
      report([...path, 'stack'], `${show(name)} is already a retired stack of ${stack.accountId}/${stack.region}`);
      return;
    }
    if (stack.clusters.some((c) => c.identifier === entry.identifier)) {
      report([...path, 'identifier'], `${show(entry.identifier)} is retired twice in ${entry.accountId}/${entry.region}`);
      return;
    }
    stack.clusters.push(cluster);
    retiredStacks.set(name, { ...stack, roleArn: stack.roleArn ?? entry.roleArn, nameRecorded: stack.nameRecorded || entry.stack !== undefined });
  });
  return [...retiredStacks.values()];
}

const pathOf = (configPath: string): Path => parsePath(configPath);

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

/** One section as each level writes it, nearest first. */
function sectionLevels<K extends keyof SharedSettings>(levels: readonly SettingsLevel[], key: K): Level<NonNullable<SharedSettings[K]>>[] {
  return levels.map((l) => ({ value: l.value?.[key] as NonNullable<SharedSettings[K]> | undefined, path: [...l.path, key] }));
}

function resolveTarget(placement: Placement, custom: readonly CustomDetection[], fallbackSlack: Level<SlackInput>, report: Report): StackModel {
  const { name, path, levels } = placement;
  const partition = partitionOf(placement.region);
  const written = (levels[0].value as Partial<TargetInput>).roleArn;

  if (written) {
    const roleAccount = IAM_ROLE_ARN.exec(written)?.[1];
    if (roleAccount !== placement.accountId) {
      report([...path, 'roleArn'], `${show(written)} is a role in account ${roleAccount}, but the target is account ${placement.accountId}; use a role in the target account`);
    }
  }

  const slack = resolveSlack(
    [...sectionLevels(levels, 'notifications').map((l) => ({ value: l.value?.slack, path: [...l.path, 'slack'] })), fallbackSlack],
    name,
    placement.accountId,
    path,
    report,
  );
  const encryption = resolveEncryption(sectionLevels(levels, 'encryption'), placement, report);

  const resolved = placement.clusters.map((cluster) => resolveCluster(levels, cluster, custom, report));
  checkUnique(resolved, (cl) => cl.identifier, (cl, first) =>
    report([...pathOf(cl.configPath), 'identifier'], `${show(cl.identifier)} is already ${first.configPath}; list each cluster once per target`),
  );
  const clusters = resolveSharedParameterGroups(resolved, report);

  return {
    name,
    configPath: formatPath(path),
    accountId: placement.accountId,
    region: placement.region,
    partition,
    roleArn: placement.roleArn,
    tags: Object.assign({}, ...levels.map((l) => l.value?.tags).reverse()),
    encryption,
    slack,
    alertDetails: resolveAlertDetails(levels),
    tamperAlerts: levels.map((l) => l.value?.tampering?.enabled).find((v) => v !== undefined) ?? DEFAULT_TAMPERING.enabled,
    guardDuty: resolveGuardDuty(levels),
    dashboard: levels.map((l) => l.value?.dashboard?.enabled).find((v) => v !== undefined) ?? DEFAULT_DASHBOARD.enabled,
    siem: resolveSiem(levels, placement, report),
    archive: resolveArchive(levels, placement),
    clusters,
    retiredClusters: [],
    keepRetiredAuditLogs: levels[levels.length - 1].value?.audit?.keepLogsOnDestroy ?? DEFAULT_AUDIT.keepLogsOnDestroy,
  };
}

/**
 * Parameter groups are per account and region, and several clusters can use one. An adopted group shared by clusters
 * of the config becomes one resource, so every cluster must want the same values in it; a group aurora-audit creates
 * for one cluster cannot be another cluster's own group. Clusters outside the config that use an adopted group are
 * named, because the audit settings reach them too.
 */
function resolveSharedParameterGroups(clusters: readonly ClusterModel[], report: Report): ClusterModel[] {
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

function resolveSlack(levels: readonly Level<SlackInput>[], stackName: string, targetAccount: string, targetPath: Path, report: Report): SlackModel {
  const teamId = pick(levels, 'teamId', '');
  const channelId = pick(levels, 'channelId', '');
  for (const [field, got] of [['teamId', teamId], ['channelId', channelId]] as const) {
    if (!got.value) {
      report([...targetPath, 'notifications', 'slack', field], `is required: set notifications.slack.${field} at the top level or in this target, or alarms would have nowhere to go`);
    }
  }
  const guardrails = pick<SlackInput, 'guardrailPolicyArns'>(levels, 'guardrailPolicyArns', []);
  guardrails.value.forEach((arn, i) => {
    const [, owner] = IAM_POLICY_ARN.exec(arn) ?? [];
    const policyName = arn.slice(arn.lastIndexOf('/') + 1);
    const where = [...(guardrails.path ?? []), i];
    if (owner === 'aws') {
      if (!ALLOWED_AWS_MANAGED_GUARDRAILS[policyName]) {
        report(
          where,
          `${show(arn)} is not an AWS managed policy aurora-audit accepts as a guardrail: anyone in the Slack channel could act within it. Use ${Object.keys(ALLOWED_AWS_MANAGED_GUARDRAILS).join(', ')}, a narrow policy of your own in account ${targetAccount}, or leave guardrailPolicyArns out for a notifications-only policy`,
        );
      }
    } else if (owner !== targetAccount) {
      report(where, `${show(arn)} is a policy in account ${owner}, but the channel is in account ${targetAccount}; a guardrail must be a policy of the same account (or an AWS managed one)`);
    }
  });
  return {
    teamId: teamId.value,
    channelId: channelId.value,
    configurationName: pick(levels, 'configurationName', AWS_NAMES.chatbotConfiguration(stackName)).value,
    guardrailPolicyArns: guardrails.path ? guardrails.value : undefined,
    loggingLevel: pick(levels, 'loggingLevel', DEFAULT_SLACK.loggingLevel).value,
    userAuthorizationRequired: pick(levels, 'userAuthorizationRequired', DEFAULT_SLACK.userAuthorizationRequired).value,
    logRetentionDays: pick(levels, 'logRetentionDays', DEFAULT_SLACK.logRetentionDays).value,
  };
}

function resolveEncryption(levels: readonly Level<EncryptionInput>[], target: { accountId: string; region: string }, report: Report): EncryptionModel {
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

function resolveCluster(levels: readonly SettingsLevel[], placed: PlacedCluster, custom: readonly CustomDetection[], report: Report): ClusterModel {
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
  const shortAccepted = pick(auditLevels, 'shortRetentionAccepted', false);
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
  const enabled = pick(levels, 'enabled', DEFAULT_SILENCE.enabled);
  const period = pick(levels, 'periodSeconds', DEFAULT_SILENCE.periodSeconds);
  const evaluations = pick(levels, 'evaluationPeriods', DEFAULT_SILENCE.evaluationPeriods);
  const threshold = pick(levels, 'threshold', DEFAULT_SILENCE.threshold);
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
    if (!entry) return; // an entry with a type error, already reported (load.ts)
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
          notifyOnOk: entry.notifyOnOk ?? false,
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
function checkDetectionIds(placements: readonly Placement[], custom: readonly CustomDetection[], report: Report): void {
  const known = [...DETECTION_IDS, ...new Set(custom.map((c) => c.definition.id))];
  // Levels are shared by many placements (the top, a group, an account): each section is checked once.
  const sections = new Map<string, [DetectionsInput | undefined, Path]>();
  for (const p of placements) {
    for (const l of sectionLevels(p.levels, 'detections')) sections.set(formatPath(l.path), [l.value, l.path]);
    for (const c of p.clusters) sections.set(formatPath([...c.path, 'detections']), [c.input.detections, [...c.path, 'detections']]);
  }
  for (const [section, path] of sections.values()) {
    for (const id of Object.keys(section ?? {})) {
      if (known.includes(id)) continue;
      const near = closest(id, known);
      report([...path, id], `is not a known detection${near ? ` (did you mean ${near}?)` : ''}; use ${known.join(', ')}, or define it under customDetections`);
    }
  }
}

interface ClusterContext {
  readonly clusterPath: Path;
  /** What is audited: events (MySQL) or pgaudit classes (PostgreSQL). */
  readonly events: Sourced<readonly string[]>;
  /** The config key of `events`, for messages. */
  readonly eventsName: string;
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
    const notifyOnOk = pick(settingLevels, 'notifyOnOk', definition.notifyOnOk);
    if (!enabled.value) continue;

    // A detection that could never fire is worse than none. If the user turned it on, that is an error; if only
    // the default did, it is left out and the summary says why.
    const deadBecause: Array<[Path, string]> = [];
    const where = `${formatPath(cluster.clusterPath)} enables the ${definition.id} detection`;
    const needs = detectionNeeds(definition, { logTypes: cluster.logTypes.value, audited: cluster.events.value });
    if (needs.logType) {
      deadBecause.push([
        cluster.logTypes.path ?? cluster.clusterPath,
        `${where}, which reads the ${definition.logType} log, but audit.logTypes ${show(cluster.logTypes.value)} does not export it; add ${definition.logType} or disable the detection`,
      ]);
    }
    for (const group of needs.eventGroups) {
      deadBecause.push([
        cluster.events.path ?? cluster.clusterPath,
        `${where}, which can only fire with ${group.join(' or ')} audited, but ${cluster.eventsName} is ${show(cluster.events.value)}; add ${group[0]} or disable the detection`,
      ]);
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
      notifyOnOk: notifyOnOk.value,
    });
  }
  return { detections, skipped };
}

/** GuardDuty routing: off unless asked for, the nearest level winning field by field. */
function resolveGuardDuty(levels: readonly SettingsLevel[]): StackModel['guardDuty'] {
  const nearest = (key: 'enabled' | 'enableRdsProtection') => levels.map((l) => l.value?.guardDuty?.[key]).find((v) => v !== undefined) ?? DEFAULT_GUARDDUTY[key];
  return nearest('enabled') ? { enableRdsProtection: nearest('enableRdsProtection') } : undefined;
}

/** The SIEM hand-off: each key (collector, pullSchedule, push) from the nearest level that sets it, as a whole. */
function resolveSiem(levels: readonly SettingsLevel[], placement: Placement, report: Report): SiemModel {
  const region = placement.region;
  const nearest = <K extends 'collector' | 'pullSchedule' | 'push'>(key: K) => {
    const level = levels.find((l) => l.value?.siem?.[key] !== undefined);
    return level ? { value: level.value!.siem![key]!, path: [...level.path, 'siem', key] } : undefined;
  };
  const push = nearest('push');
  if (push?.value.to === 'logDestination') {
    // PutSubscriptionFilter: "The log group and the destination must be in the same Region."
    const destinationRegion = LOG_DESTINATION_ARN.exec(push.value.destinationArn)?.[1];
    if (destinationRegion !== region) {
      report([...push.path, 'destinationArn'], `${show(push.value.destinationArn)} is in ${destinationRegion}, but the stack is in ${region}; a log group can only subscribe to a destination of its own region, so create one destination per region in the central account`);
    }
  }
  const collectorAt = nearest('collector');
  const collector = collectorAt?.value;
  const principalAccount = collector && IAM_PRINCIPAL_ARN.exec(collector.principal)?.[1];
  if (collector && !collector.externalId && principalAccount && principalAccount !== placement.accountId) {
    // IAM user guide, "The confused deputy problem": a role another account's principal assumes needs sts:ExternalId.
    report([...collectorAt.path, 'externalId'], `is missing: ${show(collector.principal)} is in account ${principalAccount}, not the stack's account ${placement.accountId}, so the role must require the external id the SIEM sends (without one, anyone who can make that principal assume roles can read these audit logs: the confused deputy). Set externalId to the value the SIEM shows, 2-1224 letters, digits and +=,.@:/-`);
  }
  return {
    pullSchedule: nearest('pullSchedule')?.value ?? DEFAULT_PULL_SCHEDULE,
    collector: collector && { principal: collector.principal, externalId: collector.externalId },
    push: push && pushModel(push.value, placement.name),
  };
}

function pushModel(input: NonNullable<NonNullable<SharedSettings['siem']>['push']>, stackName: string): NonNullable<SiemModel['push']> {
  switch (input.to) {
    case 's3':
      return { to: 's3', bucketArn: input.bucketArn, prefix: input.prefix ?? `aurora-audit/${stackName}/` };
    case 'splunk':
      return { to: 'splunk', endpoint: input.endpoint, endpointType: input.endpointType ?? 'Raw', secretArn: input.secretArn, backupBucketArn: input.backupBucketArn };
    case 'http':
      return { to: 'http', url: input.url, name: input.name ?? new URL(input.url).host, secretArn: input.secretArn, backupBucketArn: input.backupBucketArn };
    case 'logDestination':
      return { to: 'logDestination', destinationArn: input.destinationArn };
  }
}

/** The compliance archive: off unless asked for, the nearest level winning field by field (objectLock too). */
function resolveArchive(levels: readonly SettingsLevel[], placement: Placement): ArchiveModel | undefined {
  const nearest = <T>(pick: (a: NonNullable<SharedSettings['archive']>) => T | undefined): T | undefined =>
    levels.map((l) => (l.value?.archive ? pick(l.value.archive) : undefined)).find((v) => v !== undefined);
  if (!(nearest((a) => a.enabled) ?? DEFAULT_ARCHIVE.enabled)) return undefined;
  return {
    bucketName: nearest((a) => a.bucketName) ?? AWS_NAMES.archiveBucket(placement.accountId, placement.region),
    objectLockMode: nearest((a) => a.objectLock?.mode) ?? DEFAULT_ARCHIVE.objectLockMode,
    retentionYears: nearest((a) => a.objectLock?.years) ?? DEFAULT_ARCHIVE.retentionYears,
    breakGlassRoleArn: nearest((a) => a.breakGlassRoleArn),
    transitions: nearest((a) => a.transitions) ?? DEFAULT_ARCHIVE.transitions,
  };
}

/** The function's own logs hold no audit records (it never logs a statement): a month is enough to debug it. */
const ALERT_DETAILS_LOG_RETENTION_DAYS = 30;

/** The detail message after each alarm: on unless turned off, at the top or in the target (the nearest wins). */
function resolveAlertDetails(levels: readonly SettingsLevel[]): StackModel['alertDetails'] {
  const nearest = <K extends 'enabled' | 'redactStringLiterals'>(key: K, fallback: boolean): boolean =>
    levels.map((l) => l.value?.alertDetails?.[key]).find((v) => v !== undefined) ?? fallback;
  return nearest('enabled', true) ? { redactStringLiterals: nearest('redactStringLiterals', false), logRetentionDays: ALERT_DETAILS_LOG_RETENTION_DAYS } : undefined;
}

/**
 * The regular expressions a filter pattern holds, or why CloudWatch would reject it. Each pattern is compiled once per
 * process: a fleet of thousands of clusters shares a handful of catalog patterns.
 */
const regexCounts = new Map<string, number | FilterPatternError>();
function regexCountOf(pattern: string): number {
  let known = regexCounts.get(pattern);
  if (known === undefined) {
    try {
      known = compileFilterPattern(pattern).regexCount;
    } catch (e) {
      if (!(e instanceof FilterPatternError)) throw e;
      known = e;
    }
    regexCounts.set(pattern, known);
  }
  if (known instanceof FilterPatternError) throw known;
  return known;
}

/** CloudWatch's metric-filter quotas, per log group (FilterAndPatternSyntax.html, PutMetricFilter). */
function checkQuotas(detections: readonly DetectionModel[], clusterPath: Path, report: Report): void {
  const byLogGroup = new Map<string, { filters: number; regexPatterns: number }>();
  for (const d of detections) {
    let regexCount = 0;
    try {
      regexCount = regexCountOf(d.definition.pattern);
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
