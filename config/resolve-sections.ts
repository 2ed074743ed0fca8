/**
 * The stack-wide sections of a target: the Slack channel, encryption, GuardDuty routing, the SIEM hand-off, the archive
 * and the detail message.
 */
import { ALLOWED_AWS_MANAGED_GUARDRAILS, IAM_POLICY_ARN, IAM_PRINCIPAL_ARN, KMS_KEY_ARN, LOG_DESTINATION_ARN } from './aws';
import type { ArchiveModel, EncryptionModel, SiemModel, SlackModel, StackModel } from './model';
import { AWS_NAMES } from './names';
import type { Placement, SettingsLevel, SharedSettings } from './placements';
import { formatPath, show } from './problems';
import { SETTINGS_SECTIONS, type EncryptionInput, type SlackInput } from './schema';
import { type Path, type Level, pick, DEFAULT_SLACK, DEFAULT_ENCRYPTION, sectionValues, type Report, sectionLevels } from './resolve-levels';

export function resolveSlack(levels: readonly Level<SlackInput>[], stackName: string, targetAccount: string, targetPath: Path, report: Report): SlackModel {
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

export function resolveEncryption(levels: readonly Level<EncryptionInput>[], target: { accountId: string; region: string }, report: Report): EncryptionModel {
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

/** GuardDuty routing: off unless asked for, the nearest level winning field by field. */
export function resolveGuardDuty(levels: readonly Level<Partial<Record<string, unknown>>>[]): StackModel['guardDuty'] {
  const { enabled, ...routing } = sectionValues(levels, 'guardDuty');
  return enabled ? routing : undefined;
}

/** The SIEM hand-off: each key (collector, pullSchedule, push) from the nearest level that sets it, as a whole. */
export function resolveSiem(levels: readonly SettingsLevel[], placement: Placement, report: Report): SiemModel {
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
    pullSchedule: nearest('pullSchedule')?.value ?? SETTINGS_SECTIONS.siem.defaults.pullSchedule,
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

/** The compliance archive: off unless asked for, the nearest level winning field by field (objectLock's too). */
export function resolveArchive(levels: readonly SettingsLevel[], placement: Placement): ArchiveModel | undefined {
  const archive = sectionLevels(levels, 'archive');
  const lock = archive.map((l) => ({ value: l.value?.objectLock, path: [...l.path, 'objectLock'] }));
  const defaults = SETTINGS_SECTIONS.archive.defaults;
  if (!pick(archive, 'enabled', defaults.enabled).value) return undefined;
  return {
    bucketName: pick(archive, 'bucketName', AWS_NAMES.archiveBucket(placement.accountId, placement.region)).value,
    objectLockMode: pick(lock, 'mode', defaults.objectLock.mode).value,
    retentionYears: pick(lock, 'years', defaults.objectLock.years).value,
    breakGlassRoleArn: archive.map((l) => l.value?.breakGlassRoleArn).find((v) => v !== undefined),
    transitions: pick(archive, 'transitions', defaults.transitions).value,
  };
}

/** The config path of the nearest archive section with fields besides `enabled`, when no level says whether it is on. */
export function archiveSettingsUnused(levels: readonly SettingsLevel[]): string | undefined {
  const archive = sectionLevels(levels, 'archive');
  if (archive.some((l) => l.value?.enabled !== undefined)) return undefined;
  const set = archive.find((l) => l.value && Object.keys(l.value).length > 0);
  return set ? formatPath(set.path) : undefined;
}

/** Whether the nearest level that says whether the archive is on says it is off (not merely leaves it at the default). */
export function archiveTurnedOff(levels: readonly SettingsLevel[]): boolean {
  return sectionLevels(levels, 'archive').map((l) => l.value?.enabled).find((v) => v !== undefined) === false;
}

/** The detail message after each alarm: on unless turned off; every other field of the section goes to the model. */
export function resolveAlertDetails(levels: readonly Level<Partial<Record<string, unknown>>>[]): StackModel['alertDetails'] {
  const { enabled, ...details } = sectionValues(levels, 'alertDetails');
  return enabled ? details : undefined;
}
