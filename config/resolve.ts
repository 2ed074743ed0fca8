/**
 * From a config that has the right shape to the validated model: applies defaults (cluster → target → top level →
 * built-in, field by field) and checks the rules that span fields. Every problem names the path where the
 * offending value was written.
 */
import { IAM_ROLE_ARN, partitionOf } from './aws';
import { DEFAULT_BACKEND, DEFAULT_S3_BACKEND } from './defaults';
import type { AuditModel, BackendModel, StackModel } from './model';
import { resolveAccountStacks } from './account-stacks';
import { placementsOf, type Placement } from './placements';
import { formatPath, show, type Problem, type SourceLookup } from './problems';
import type { BackendInput, ConfigInput, SlackInput, TargetInput } from './schema';
import { type Path, type Level, DEFAULT_AUDIT, sectionValues, type Report, pathOf, checkUnique, sectionLevels, stackSettings } from './resolve-levels';
import { resolveMonitoring, resolveRetired } from './resolve-monitoring';
import { resolveSharedParameterGroups, resolveCluster } from './resolve-cluster';
import { type CustomDetection, EnabledAbove, resolveCustomDetections, checkDetectionIds } from './resolve-detections';
import { resolveSlack, resolveEncryption, resolveGuardDuty, resolveSiem, resolveArchive, resolveAlertDetails, archiveTurnedOff, archiveSettingsUnused } from './resolve-sections';

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
  const enabledAbove = new EnabledAbove();
  const stacks = placements.map((placement) => resolveTarget(placement, custom, fallbackSlack, report, enabledAbove));
  enabledAbove.reportDead(report);
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
      discoveryOrganization: input.discovery?.organization !== undefined,
      discoveryOrganizationRole: input.discovery?.organization?.role,
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

function resolveTarget(placement: Placement, custom: readonly CustomDetection[], fallbackSlack: Level<SlackInput>, report: Report, enabledAbove: EnabledAbove): StackModel {
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

  const resolved = placement.clusters.map((cluster) => resolveCluster(levels, cluster, custom, report, enabledAbove));
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
    alertDetails: resolveAlertDetails(sectionLevels(levels, 'alertDetails')),
    tamperAlerts: sectionValues(sectionLevels(levels, 'tampering'), 'tampering').enabled,
    guardDuty: resolveGuardDuty(sectionLevels(levels, 'guardDuty')),
    dashboard: sectionValues(sectionLevels(levels, 'dashboard'), 'dashboard').enabled,
    siem: resolveSiem(levels, placement, report),
    archive: resolveArchive(levels, placement),
    archiveTurnedOff: archiveTurnedOff(levels),
    archiveSettingsUnused: archiveSettingsUnused(levels),
    settings: stackSettings(levels),
    clusters,
    retiredClusters: [],
    keepRetiredAuditLogs: levels[levels.length - 1].value?.audit?.keepLogsOnDestroy ?? DEFAULT_AUDIT.keepLogsOnDestroy,
  };
}
