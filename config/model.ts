/**
 * The validated model: plain data with every default applied. Constructs read only this; none re-derives a default.
 */
import { ENGINES, rdsLogGroupName, type ArchiveStorageClass, type AuditEvent, type Engine, type LogType } from './aws';
import type { AlarmThreshold, DetectionDefinition } from '../detections';
import type { DEFAULT_ALERT_DETAILS } from './defaults';
import type { LogDeliveryPurpose } from './names';
import type { Widen } from './resolve-levels';
import type { SETTINGS_SECTIONS, SettingsSectionKey } from './schema';

export interface AuditModel {
  /** The file the model came from. */
  readonly sourcePath: string;
  /** True when no config was found and the bundled example was used. */
  readonly isBundledExample: boolean;
  /** The AWS profile init and discover use; synthesis never reads it. */
  readonly discoveryProfile?: string;
  /** Whether the config walks an AWS Organization (discovery.organization): a fleet, whatever its size today. */
  readonly discoveryOrganization?: boolean;
  /** The role discovery assumes in each account of the organization (discovery.organization.role). */
  readonly discoveryOrganizationRole?: string;
  readonly backend: BackendModel;
  readonly stacks: readonly StackModel[];
  /** Stacks whose whole target left the config. */
  readonly retiredStacks: readonly RetiredStackModel[];
  /** In monitoring-account mode, one stack per region in the monitoring account holding every alarm; else none. */
  readonly monitoringStacks: readonly MonitoringStackModel[];
  /** One stack per account that any other stack is in: what exists once per account. */
  readonly accountStacks: readonly AccountStackModel[];
}

export type AnyStackModel = StackModel | RetiredStackModel | MonitoringStackModel | AccountStackModel;

/** Every stack the model synthesizes: the live ones, the retired ones, the monitoring account's and the accounts'. */
export function allStacks(model: Pick<AuditModel, 'stacks' | 'retiredStacks' | 'monitoringStacks' | 'accountStacks'>): AnyStackModel[] {
  return [...model.stacks, ...model.retiredStacks, ...model.monitoringStacks, ...model.accountStacks];
}

/**
 * The stacks that hold an alarm topic and a Slack channel configuration: each stack of its own account's alarms, and
 * the monitoring stacks. A monitored source stack has neither (its alarms are the monitoring account's).
 */
export function alarmingStacks(model: Pick<AuditModel, 'stacks' | 'monitoringStacks'>): Array<StackModel | MonitoringStackModel> {
  return [...model.stacks.filter((s) => !s.monitoredBy), ...model.monitoringStacks];
}

/** Every stack the model synthesizes, by name. */
export function stackNames(model: AuditModel): string[] {
  return allStacks(model).map((s) => s.name);
}

/**
 * What exists once per account, in a stack named by the account alone (`account-<id>`), so that no region arriving or
 * leaving ever moves it: CloudWatch-CrossAccountSharingRole in monitoring-account mode, and the rules that forward
 * Chatbot's CloudTrail events from the regions where Chatbot's API records them to the regions of the account's Slack
 * channels. It exists as long as any stack of the account does, so that what it made is destroyed through it.
 */
export interface AccountStackModel {
  readonly name: string;
  /** Where the account is written in the config, for messages. */
  readonly configPath: string;
  readonly accountId: string;
  readonly partition: string;
  /** Its default provider's region: IAM's, which no stack of the account can take away (config/aws.ts iamRegion). */
  readonly region: string;
  readonly roleArn?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Each Chatbot API region that forwards, and each region of the account with a Slack channel watched for tampering. */
  readonly chatbotForwarding: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  /** The other regions of the account with tamper rules: IAM's and CloudTrail's calls recorded in `region` go there. */
  readonly accountEventRegions: readonly string[];
  /**
   * The account's CloudWatch-CrossAccountSharingRole, trusting the monitoring account; undefined when the account makes
   * none. `adopt`: it exists (a region stack of an earlier aurora-audit made it), and is imported.
   */
  readonly sharingRole?: { readonly monitoringAccountId: string; readonly adopt: boolean };
}

/** The audit log group of a cluster that exports it (…/audit, or …/postgresql for pgAudit); undefined when it does not. */
export function exportedAuditLogGroup(cluster: Pick<ClusterModel, 'identifier' | 'engine' | 'audit'>): string | undefined {
  const type = ENGINES[cluster.engine].auditLogType;
  return cluster.audit.logTypes.includes(type) ? rdsLogGroupName(cluster.identifier, type) : undefined;
}

/** A Firehose stream a stack makes, and where it delivers: the archive's bucket, or the SIEM push's destination. */
export interface FirehoseStream {
  readonly purpose: LogDeliveryPurpose;
  readonly destination: 's3' | 'splunk' | 'http';
}

/**
 * The Firehose streams a stack makes (stacks/audit-stack.ts): the archive's, and the SIEM push's unless it goes to a
 * CloudWatch Logs destination; none when no cluster exports its audit log (nothing to deliver).
 */
export function firehoseStreams(stack: Pick<StackModel, 'clusters' | 'archive' | 'siem'>): FirehoseStream[] {
  if (!stack.clusters.some((c) => exportedAuditLogGroup(c) !== undefined)) return [];
  const streams: FirehoseStream[] = [];
  if (stack.archive) streams.push({ purpose: 'archive', destination: 's3' });
  const push = stack.siem.push;
  if (push && push.to !== 'logDestination') streams.push({ purpose: 'push', destination: push.to });
  return streams;
}

/**
 * The monitoring account's stack in one region: the alarms on the metric filters of every source stack of that region
 * (metric_query with the source account), their topic and key, and one Chatbot channel configuration.
 */
export interface MonitoringStackModel extends StackPlace {
  /** The source stacks whose alarms live here, each with its clusters' detections and its Firehose streams. */
  readonly sources: ReadonlyArray<{ readonly stack: string; readonly accountId: string; readonly clusters: readonly ClusterModel[]; readonly firehoseStreams: readonly FirehoseStream[] }>;
  /** Source accounts whose EventBridge rules (tamper alerts, GuardDuty findings) publish to this topic, by their role. */
  readonly eventSourceAccounts: readonly string[];
  /** Their event delivery roles, by ARN: the only identities of those accounts that may publish to the topic. */
  readonly eventDeliveryRoleArns: readonly string[];
  /** Whether this stack's own alarms, topic and key are watched for tampering (the top-level tampering setting). */
  readonly tamperAlerts: boolean;
  /**
   * The alert-details function of the region's fleet, when any source stack here asks for the detail message: it
   * reads each source account's lines through that account's reader role. undefined when none asks.
   */
  readonly alertDetails?: MonitoringAlertDetailsModel;
}

export interface MonitoringAlertDetailsModel {
  /** The retention of the function's own log group (the top-level alertDetails.logRetentionDays). */
  readonly logRetentionDays: number;
  /** The source accounts whose lines it may read, each with its stack's redaction setting. */
  readonly sources: ReadonlyArray<{ readonly accountId: string; readonly redactStringLiterals: boolean }>;
}

/** A source stack in monitoring-account mode: its alarms live in the monitoring account. */
export interface MonitoredBy {
  readonly accountId: string;
  readonly stack: string;
  /** The monitoring stack's topic, which this stack's EventBridge rules publish to through a role of their own. */
  readonly topicArn: string;
  /** Whether that topic is encrypted with a key of the monitoring account: the role may then use it, through SNS only. */
  readonly topicEncrypted: boolean;
  /**
   * The monitoring account's alert-details function's role, when this stack asks for the detail message: the only
   * identity its reader role trusts. undefined when the stack's alertDetails is off.
   */
  readonly detailsFunctionRoleArn?: string;
}

export type BackendModel =
  | { readonly type: 'local'; readonly directory: string }
  | {
      readonly type: 's3';
      readonly bucket: string;
      readonly keyPrefix: string;
      readonly region: string;
      readonly locking: 'lockfile' | 'dynamodb' | 'none';
      readonly dynamodbTable?: string;
      readonly roleArn?: string;
      readonly kmsKeyArn?: string;
    };

/** Where a stack is and how it reaches AWS and Slack: what every stack with an alarm topic has. */
export interface StackPlace {
  /** Stack name: the target's name, <account name or id>-<region>, or monitoring-<region>. Unique in the config. */
  readonly name: string;
  /** Where it is written in the config, for messages: `targets[1]`, `accounts[0].regions.eu-west-1`, `monitoring`. */
  readonly configPath: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly roleArn?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly encryption: EncryptionModel;
  readonly slack: SlackModel;
}

type SettingsRows = typeof SETTINGS_SECTIONS;

/** The settings sections whose row in the table says `model: 'settings'`. */
export type StackSettingsSection = { [K in SettingsSectionKey]: SettingsRows[K] extends { readonly model: 'settings' } ? K : never }[SettingsSectionKey];

/** What a stack's model carries of those sections: every field their defaults name, as a config may write it. */
export type StackSettings = {
  readonly [S in StackSettingsSection]: { readonly [F in keyof SettingsRows[S]['defaults']]: Widen<SettingsRows[S]['defaults'][F]> };
};

export interface StackModel extends StackPlace {
  /** The detail message after each detection alarm: undefined when turned off. */
  readonly alertDetails?: AlertDetailsModel;
  readonly clusters: readonly ClusterModel[];
  /** Clusters of this stack that left the config. */
  readonly retiredClusters: readonly RetiredClusterModel[];
  /** Whether their audit log groups are forgotten (kept) rather than deleted. */
  readonly keepRetiredAuditLogs: boolean;
  /**
   * Whether EventBridge rules alert on changes that would blind the stack (modules/tamper-alerts.ts); in
   * monitoring-account mode they publish to the monitoring account's topic.
   */
  readonly tamperAlerts: boolean;
  /** Whether the stack has its CloudWatch dashboards (modules/audit-dashboard.ts). */
  readonly dashboard: boolean;
  /** GuardDuty RDS Protection findings routed to the topic; undefined when not asked for. */
  readonly guardDuty?: { readonly enableRdsProtection: boolean };
  /** Set in monitoring-account mode: no alarm, topic or Slack channel here, only the metric filters they read. */
  readonly monitoredBy?: MonitoredBy;
  /** What a SIEM gets: the sheet of a pulling one (always), a collector role, a push. */
  readonly siem: SiemModel;
  /** The compliance archive in S3; undefined when off. */
  readonly archive?: ArchiveModel;
  /**
   * Whether the config turns the archive off in so many words (`enabled: false` at the nearest level that sets it):
   * Terraform then forgets the bucket an earlier config made, leaving it and its records standing. A stack whose config
   * never named an archive has none to forget, so it carries no blocks for one.
   */
  readonly archiveTurnedOff: boolean;
  /**
   * Where the config sets archive fields (a lock, a bucket name, transitions) while leaving the archive off by default
   * (no `enabled` at any level): they do nothing, which validate says. Undefined otherwise.
   */
  readonly archiveSettingsUnused?: string;
  /** The sections the settings table marks `model: 'settings'`, resolved for this stack (config/resolve-levels.ts). */
  readonly settings: StackSettings;
}

export interface SiemModel {
  /** The schedule the hand-off sheet suggests. */
  readonly pullSchedule: string;
  /** A read-only role for a pulling SIEM; undefined when not asked for. */
  readonly collector?: { readonly principal: string; readonly externalId?: string };
  /** Where the audit logs are pushed; undefined when not asked for. */
  readonly push?: PushModel;
}

export type PushModel =
  | { readonly to: 's3'; readonly bucketArn: string; readonly prefix: string }
  | { readonly to: 'splunk'; readonly endpoint: string; readonly endpointType: 'Raw' | 'Event'; readonly secretArn: string; readonly backupBucketArn: string }
  | { readonly to: 'http'; readonly url: string; readonly name: string; readonly secretArn?: string; readonly backupBucketArn: string }
  | { readonly to: 'logDestination'; readonly destinationArn: string };

export interface ArchiveModel {
  readonly bucketName: string;
  readonly objectLockMode: 'GOVERNANCE' | 'COMPLIANCE';
  readonly retentionYears: number;
  /** The only principal the bucket policy lets bypass retention or delete versions. @default - none may */
  readonly breakGlassRoleArn?: string;
  readonly transitions: ReadonlyArray<{ readonly afterDays: number; readonly storageClass: ArchiveStorageClass }>;
}

/** Every alertDetails field but enabled, resolved (config/defaults.ts DEFAULT_ALERT_DETAILS gives the fields). */
export type AlertDetailsModel = Readonly<Omit<typeof DEFAULT_ALERT_DETAILS, 'enabled'>>;

export type EncryptionModel =
  | { readonly mode: 'create'; readonly deletionWindowDays: number }
  | { readonly mode: 'key'; readonly keyArn: string }
  | { readonly mode: 'none' };

export interface SlackModel {
  readonly teamId: string;
  readonly channelId: string;
  readonly configurationName: string;
  /**
   * Guardrail policies the user chose. @default - undefined: a policy the stack creates, allowing only the
   * notification actions (cloudwatch:Describe*, Get*, List*)
   */
  readonly guardrailPolicyArns?: readonly string[];
  readonly loggingLevel: 'ERROR' | 'INFO' | 'NONE';
  readonly userAuthorizationRequired: boolean;
  readonly logRetentionDays: number;
}

export interface ClusterModel {
  readonly identifier: string;
  /** Where the cluster sits in the config: `targets[0].clusters[2]`. */
  readonly configPath: string;
  readonly engine: Engine;
  readonly engineVersion: string;
  /** The major version aurora-audit read it as: 8.4, 16. */
  readonly majorVersion: string;
  /** Cluster parameter group family, as recorded from AWS or derived from the major: aurora-mysql8.4. */
  readonly family: string;
  readonly attach: 'adopt' | 'external';
  readonly audit: ClusterAuditModel;
  readonly parameterGroup: ParameterGroupModel;
  /** Log types whose log group already exists and is imported. */
  readonly existingLogGroups: readonly LogType[];
  /** Whether the config records them (init writes [] when it found none), or says nothing about them. */
  readonly existingLogGroupsRecorded: boolean;
  /** Enabled detections only, each with its resolved threshold. */
  readonly detections: readonly DetectionModel[];
  /** The alarm on the audit log group's silence: undefined when turned off, or when the audit log is not exported. */
  readonly silence?: SilenceModel;
  /** Detections on by default that this cluster's settings would leave dead, so none is created; with why. */
  readonly skippedDetections: ReadonlyArray<{ readonly id: string; readonly reason: string }>;
}

/** Fewer than `threshold` events (or none) in each of `evaluationPeriods` periods of `periodSeconds`: an alarm. */
export interface SilenceModel {
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly threshold: number;
}

export interface ClusterAuditModel {
  /** Aurora MySQL: server_audit_events (empty on PostgreSQL). */
  readonly events: readonly AuditEvent[];
  /** Aurora PostgreSQL: pgaudit.log classes (empty on MySQL). */
  readonly pgauditLog: readonly string[];
  readonly pgauditRole?: string;
  /** Aurora PostgreSQL: whether aurora-audit turns on log_connections and log_disconnections (false on MySQL). */
  readonly logConnections: boolean;
  readonly includeUsers: readonly string[];
  readonly excludeUsers: readonly string[];
  readonly logTypes: readonly LogType[];
  /** Retention of each exported log type. */
  readonly retentionDays: Readonly<Partial<Record<LogType, number>>>;
  /** Whether the audit log group outlives the stack (and the cluster's place in the config). */
  readonly keepLogsOnDestroy: boolean;
}

export interface ParameterGroupModel {
  /** adopt: the cluster's own custom group, imported and kept; create: a group aurora-audit makes. */
  readonly mode: 'adopt' | 'create';
  readonly name: string;
  /** The group the cluster uses now, when init recorded it. */
  readonly current?: string;
  /** Every parameter the group will hold, the user's and the audit ones. */
  readonly parameters: ReadonlyArray<{ readonly name: string; readonly value: string; readonly applyMethod: 'immediate' | 'pending-reboot' }>;
  /** Parameters the user had set that are kept as they are. */
  readonly preserved: readonly string[];
  /** The audit parameters, with the value the adopted group had before (undefined: not set, or a new group). */
  readonly changes: ReadonlyArray<{ readonly name: string; readonly before?: string; readonly after: string }>;
  /** Why the writer needs a reboot for the audit settings to apply; empty when none is needed. */
  readonly rebootReasons: readonly string[];
  /** Other clusters of this stack that keep the same (adopted) group: one resource serves them all. */
  readonly sharedWith: readonly string[];
  /** Clusters outside the config that use the same group, as init recorded them: the audit settings reach them too. */
  readonly alsoUsedBy: readonly string[];
  /** Custom groups the cluster used before (a major upgrade moved it off them): forgotten by Terraform, left in AWS. */
  readonly previous: readonly string[];
}

/** A cluster that left the config: Terraform forgets what must outlive it, and destroys only its alarms. */
export interface RetiredClusterModel {
  readonly identifier: string;
  /** Where it sits in the config: `retired[2]`. */
  readonly configPath: string;
  readonly attach?: 'adopt' | 'external';
  /** Its engine, when recorded: only that engine's log groups can have been made for it. */
  readonly engine?: Engine;
  /** The parameter group it used, when recorded: a group of its own that it kept is forgotten with it. */
  readonly parameterGroup?: string;
  /** Log groups that existed before aurora-audit: always forgotten, never deleted. */
  readonly existingLogGroups: readonly LogType[];
}

/** A stack whose target left the config: Terraform forgets what it adopted, and destroys only what it made. */
export interface RetiredStackModel {
  /** The name (and so the state key) of the stack the target had. */
  readonly name: string;
  /** Whether the name was recorded, or assumed to be <accountId>-<region>. */
  readonly nameRecorded: boolean;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  readonly roleArn?: string;
  readonly clusters: readonly RetiredClusterModel[];
  /** Whether the audit log groups of its clusters are forgotten (kept) rather than deleted. */
  readonly keepAuditLogs: boolean;
  /**
   * Whether its state may hold the account's CloudWatch-CrossAccountSharingRole, which a region stack of an earlier
   * aurora-audit made in monitoring-account mode: it is forgotten, never destroyed (the account's stack holds it now).
   */
  readonly mayHoldSharingRole: boolean;
}

export interface DetectionModel extends AlarmThreshold {
  readonly definition: DetectionDefinition;
  /** Whether the alarm also notifies when it returns to OK. */
  readonly notifyOnOk: boolean;
}
