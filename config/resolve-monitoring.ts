/**
 * The stacks beyond the targets: the monitoring account's, in monitoring-account mode, and the retired clusters' and
 * targets', which Terraform forgets rather than destroys.
 */
import { ALERT_DETAILS_FUNCTION, partitionOf, type Engine } from './aws';
import { firehoseStreams } from './model';
import type { MonitoringStackModel, RetiredClusterModel, RetiredStackModel, StackModel } from './model';
import { AWS_NAMES } from './names';
import { roleArnOf, type Placement, type SettingsLevel } from './placements';
import { formatPath, show } from './problems';
import { SETTINGS_SECTIONS, type ConfigInput, type MonitoringInput, type RetiredInput, type SlackInput } from './schema';
import type { Path, Level, Report } from './resolve-levels';
import { monitoringStackName } from './resolve';
import { resolveSlack, resolveEncryption } from './resolve-sections';

/**
 * Monitoring-account mode: every stack keeps its metric filters, and its alarms move to the monitoring account's
 * stack of its region, with the topic, one Chatbot channel and the alert-details function, which reads each source
 * account's lines through a reader role there. Slack and the function's log retention are set once, for the
 * monitoring account, so a channel or retention set for one account or group would be silently unused: that is a
 * problem at its line.
 */
export function resolveMonitoring(
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
      if (level.value?.alertDetails?.logRetentionDays !== undefined && !seen.has(`${where}/details`)) {
        seen.add(`${where}/details`);
        report(
          [...level.path, 'alertDetails', 'logRetentionDays'],
          'is not used in monitoring-account mode: the alert-details function of each region lives in the monitoring account, one for the fleet; set alertDetails.logRetentionDays at the top level',
        );
      }
    }
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
    const detailSources = sources.filter(readsLines).map((s) => ({ accountId: s.accountId, redactStringLiterals: s.alertDetails!.redactStringLiterals }));
    if (detailSources.length > ALERT_DETAILS_FUNCTION.maxSourceAccounts) {
      report(
        ['monitoring'],
        `has ${detailSources.length} source accounts in ${region} with the detail message on, and one function serves at most ${ALERT_DETAILS_FUNCTION.maxSourceAccounts} (its environment and role policy have fixed limits); turn alertDetails.enabled off for some accounts or groups`,
      );
    }
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
      tamperAlerts: input.tampering?.enabled ?? SETTINGS_SECTIONS.tampering.defaults.enabled,
      alertDetails:
        detailSources.length === 0
          ? undefined
          : { logRetentionDays: input.alertDetails?.logRetentionDays ?? SETTINGS_SECTIONS.alertDetails.defaults.logRetentionDays, sources: detailSources.sort((a, b) => a.accountId.localeCompare(b.accountId)) },
    };
  });
  const monitoringOf = new Map(monitoringStacks.map((m) => [m.region, m]));
  return {
    stacks: stacks.map((s) => ({
      ...s,
      monitoredBy: {
        accountId: monitoring.accountId,
        stack: monitoringStackName(s.region),
        topicArn: `arn:${s.partition}:sns:${s.region}:${monitoring.accountId}:${AWS_NAMES.topic(monitoringStackName(s.region))}`,
        topicEncrypted: monitoringOf.get(s.region)!.encryption.mode !== 'none',
        detailsFunctionRoleArn: readsLines(s) ? `arn:${s.partition}:iam::${monitoring.accountId}:role/${AWS_NAMES.alertDetailsFunction(monitoringStackName(s.region))}` : undefined,
      },
    })),
    monitoringStacks,
  };
}

/** Whether the monitoring account's function reads this stack's lines: its detail message is on and it has a detection. */
function readsLines(s: StackModel): boolean {
  return s.alertDetails !== undefined && s.clusters.some((c) => c.detections.length > 0);
}

/**
 * Retired clusters join the stack of their account and region (which then forgets them), or, when that target is
 * gone too, a stack of their own that only forgets. That stack keeps the name, and so the state, the target had.
 */
export function resolveRetired(
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
      engine: entry.engine as Engine | undefined,
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
