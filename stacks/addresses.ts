/**
 * Terraform addresses are a contract with every state file already deployed: a renamed address makes Terraform plan a
 * destroy and a create. So they are derived in one place, from the construct path alone:
 *
 *   <scope>_<child>_..._<leaf>     (a construct id `default` is left out)
 *
 * No construct id on a resource's path may contain `_` (enforced by `terraformName`), and the construct tree keeps
 * sibling ids unique, so two resources of a type can never share an address. Variable parts (cluster identifiers,
 * log types, detection ids, parameter group names) sit behind a fixed prefix or at a fixed depth, so they can never
 * meet a fixed id either. `checkAddresses` verifies all of it on every synth.
 *
 * Version 0.1 used other addresses (some hashed by cdktf, some written by hand); `LEGACY` derives them, so that the
 * stacks can ship `moved` blocks from them, and forget them where a resource must be kept.
 */
import { createHash } from 'node:crypto';
import type { LogType } from '../config/aws';

export interface Address {
  readonly type: string;
  readonly name: string;
}

/** Construct ids of the stack's scopes. Changing one changes addresses: it needs `moved` blocks. */
export const SCOPE = {
  alarmKey: 'alarm-key',
  alarmTopic: 'alarm-topic',
  slack: 'slack',
  cluster: (identifier: string) => `cluster-${identifier}`,
  /** A cluster's own group that it keeps (adopted) lives beside the clusters, because several may share it. */
  adoptedParameterGroup: (name: string) => `parameter-group-${name}`,
  alertDetails: 'alert-details',
  alertDetailsReader: 'alert-details-reader',
  savedQueries: 'saved-queries',
  tamperAlerts: 'tamper-alerts',
  guardDuty: 'guardduty',
  dashboard: 'dashboard',
  eventDelivery: 'event-delivery',
  /** The compliance archive: its bucket, and the delivery that fills it. */
  archive: 'archive',
  /** The push to a SIEM, and the role a pulling SIEM reads through. */
  siemPush: 'siem-push',
  siemCollector: 'siem-collector',
  /** The account's CloudWatch-CrossAccountSharingRole, in monitoring-account mode (in the account's stack). */
  metricSharing: 'metric-sharing',
  /** The account stack's rules that forward Chatbot's CloudTrail events to the regions of its Slack channels. */
  chatbotForwarding: 'chatbot-forwarding',
  /** The monitoring account's alarms on one source stack's metrics. */
  monitoredStack: (stackName: string) => `alarms-${stackName}`,
  /** Inside a monitored stack's scope, beside its clusters: the stalled-delivery alarm of one of its Firehose streams. */
  deliveryAlarm: (purpose: string) => `firehose-${purpose}`,
} as const;

/** Construct ids inside a cluster's scope. */
export const CLUSTER_CHILD = {
  adopted: 'adopted',
  parameterGroup: 'parameter-group',
  logGroups: 'log-groups',
  detections: 'detections',
  silence: 'silence',
} as const;

/** Construct ids inside the archive's scope. */
export const ARCHIVE_CHILD = {
  bucket: 'bucket',
  versioning: 'versioning',
  objectLock: 'object-lock',
  encryption: 'encryption',
  publicAccess: 'public-access',
  ownership: 'ownership',
  policy: 'policy',
  lifecycle: 'lifecycle',
  delivery: 'delivery',
} as const;

/**
 * In the monitoring stack, a cluster's silence alarm sits one level deeper than its detections' alarms
 * (`..._audit-log_silence_alarm`), so no detection id can meet it.
 */
export const MONITORED_CLUSTER_CHILD = { auditLog: 'audit-log' } as const;

/** The construct id left out of addresses, as in aws-cdk-lib: a construct's one main resource. */
export const DEFAULT_ID = 'default';

const TERRAFORM_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const ADDRESS_PART = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

/** The Terraform name of a resource at this construct path (below the stack). */
export function terraformName(path: readonly string[]): string {
  const parts = path.filter((id) => id !== DEFAULT_ID);
  for (const part of parts) {
    if (!ADDRESS_PART.test(part)) {
      throw new Error(`construct id ${JSON.stringify(part)} cannot be part of a Terraform address: use letters, digits and hyphens only (the address separator is _)`);
    }
  }
  const name = parts.join('_');
  if (!TERRAFORM_NAME.test(name)) throw new Error(`${JSON.stringify(name)} is not a valid Terraform resource name`);
  return name;
}

const at = (type: string, ...path: string[]): Address => ({ type, name: terraformName(path) });

export const ADDRESS = {
  key: () => at('aws_kms_key', SCOPE.alarmKey, 'key'),
  keyAlias: () => at('aws_kms_alias', SCOPE.alarmKey, 'alias'),
  topic: () => at('aws_sns_topic', SCOPE.alarmTopic, 'topic'),
  topicPolicy: () => at('aws_sns_topic_policy', SCOPE.alarmTopic, 'topic-policy'),
  chatbotRole: () => at('aws_iam_role', SCOPE.slack, 'role'),
  chatbotRolePolicy: () => at('aws_iam_role_policy', SCOPE.slack, 'role-policy'),
  chatbotGuardrail: () => at('aws_iam_policy', SCOPE.slack, 'guardrail'),
  chatbotLogGroup: () => at('aws_cloudwatch_log_group', SCOPE.slack, 'log-group'),
  chatbotChannel: () => at('aws_chatbot_slack_channel_configuration', SCOPE.slack, 'channel'),
  cluster: (identifier: string) => at('aws_rds_cluster', SCOPE.cluster(identifier), CLUSTER_CHILD.adopted, DEFAULT_ID),
  createdParameterGroup: (identifier: string) => at('aws_rds_cluster_parameter_group', SCOPE.cluster(identifier), CLUSTER_CHILD.parameterGroup, DEFAULT_ID),
  adoptedParameterGroup: (name: string) => at('aws_rds_cluster_parameter_group', SCOPE.adoptedParameterGroup(name), DEFAULT_ID),
  logGroup: (identifier: string, logType: LogType) => at('aws_cloudwatch_log_group', SCOPE.cluster(identifier), CLUSTER_CHILD.logGroups, logType),
  metricFilter: (identifier: string, detectionId: string) =>
    at('aws_cloudwatch_log_metric_filter', SCOPE.cluster(identifier), CLUSTER_CHILD.detections, detectionId, 'filter'),
  alarm: (identifier: string, detectionId: string) => at('aws_cloudwatch_metric_alarm', SCOPE.cluster(identifier), CLUSTER_CHILD.detections, detectionId, 'alarm'),
  /** The archive bucket and the settings that keep its records: forgotten, never destroyed, when the archive is turned off. */
  archiveBucket: () => [
    at('aws_s3_bucket', SCOPE.archive, ARCHIVE_CHILD.bucket),
    at('aws_s3_bucket_versioning', SCOPE.archive, ARCHIVE_CHILD.versioning),
    at('aws_s3_bucket_object_lock_configuration', SCOPE.archive, ARCHIVE_CHILD.objectLock),
    at('aws_s3_bucket_server_side_encryption_configuration', SCOPE.archive, ARCHIVE_CHILD.encryption),
    at('aws_s3_bucket_public_access_block', SCOPE.archive, ARCHIVE_CHILD.publicAccess),
    at('aws_s3_bucket_ownership_controls', SCOPE.archive, ARCHIVE_CHILD.ownership),
    at('aws_s3_bucket_policy', SCOPE.archive, ARCHIVE_CHILD.policy),
    at('aws_s3_bucket_lifecycle_configuration', SCOPE.archive, ARCHIVE_CHILD.lifecycle),
  ],
  chatbotForwardingRole: () => at('aws_iam_role', SCOPE.chatbotForwarding, 'role'),
  chatbotForwardingRule: (from: string, to: string) => at('aws_cloudwatch_event_rule', SCOPE.chatbotForwarding, `${from}-to-${to}`),
  accountEventForwardingRule: (to: string) => at('aws_cloudwatch_event_rule', SCOPE.chatbotForwarding, `account-to-${to}`),
  sharingRole: () => at('aws_iam_role', SCOPE.metricSharing, 'role'),
  sharingRolePolicy: () => at('aws_iam_role_policy', SCOPE.metricSharing, 'role-policy'),
  monitoredAlarm: (stackName: string, identifier: string, detectionId: string) =>
    at('aws_cloudwatch_metric_alarm', SCOPE.monitoredStack(stackName), SCOPE.cluster(identifier), detectionId),
} as const;

export function addressOf(a: Address): string {
  return `${a.type}.${a.name}`;
}

/**
 * The addresses aurora-audit 0.1 wrote. Its clusters, parameter groups, log groups and key alias had names written by
 * hand; everything else (the KMS key included, whose hand-written name never took) had cdktf's hashed ids.
 */
export const LEGACY = {
  key: () => ({ type: 'aws_kms_key', name: cdktfHashedId(['encryption-key', 'key']) }),
  keyAlias: () => ({ type: 'aws_kms_alias', name: 'alarm_key_alias' }),
  topic: () => ({ type: 'aws_sns_topic', name: cdktfHashedId(['alarm-topic', 'topic']) }),
  topicPolicy: () => ({ type: 'aws_sns_topic_policy', name: cdktfHashedId(['alarm-topic', 'topic-policy']) }),
  chatbotRole: () => ({ type: 'aws_iam_role', name: cdktfHashedId(['slack', 'role']) }),
  chatbotRolePolicy: () => ({ type: 'aws_iam_role_policy', name: cdktfHashedId(['slack', 'role-policy']) }),
  chatbotLogGroup: () => ({ type: 'aws_cloudwatch_log_group', name: cdktfHashedId(['slack', 'log-group']) }),
  chatbotChannel: () => ({ type: 'aws_chatbot_slack_channel_configuration', name: cdktfHashedId(['slack', 'channel']) }),
  cluster: (identifier: string) => ({ type: 'aws_rds_cluster', name: `cluster_${snake(identifier)}` }),
  /** The group of a cluster, adopted or created alike. */
  parameterGroup: (identifier: string) => ({ type: 'aws_rds_cluster_parameter_group', name: `parameter_group_${snake(identifier)}` }),
  /** Ambiguous: cluster x with iam-db-auth-error and cluster x-iam-db-auth with error had the same one. */
  logGroup: (identifier: string, logType: string) => ({ type: 'aws_cloudwatch_log_group', name: `log_${snake(identifier)}_${snake(logType)}` }),
  metricFilter: (identifier: string, detectionId: string) => ({
    type: 'aws_cloudwatch_log_metric_filter',
    name: cdktfHashedId([`${identifier}-detections`, `${detectionId}-filter`]),
  }),
  alarm: (identifier: string, detectionId: string) => ({
    type: 'aws_cloudwatch_metric_alarm',
    name: cdktfHashedId([`${identifier}-detections`, `${detectionId}-alarm`]),
  }),
} as const;

function snake(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, '_');
}

/**
 * cdktf 0.21's hashed logical id of a construct path (its `makeUniqueId`): the path components, with a component
 * dropped when the one before ends with it, joined by `_`, then `_` and the first 8 hex digits of the MD5 of the path
 * joined by `/`, in capitals. Written out here because the addresses of deployed 0.1 stacks depend on it, and cdktf
 * keeps it private (and CDK Terrain may change it).
 */
export function cdktfHashedId(path: readonly string[]): string {
  const kept: string[] = [];
  for (const component of path) if (kept.length === 0 || !kept[kept.length - 1].endsWith(component)) kept.push(component);
  const human = kept.map((c) => c.replace(/[^A-Za-z0-9_-]/g, '')).join('_').slice(0, 240);
  const hash = createHash('md5').update(path.join('/')).digest('hex').slice(0, 8).toUpperCase();
  return `${human}_${hash}`;
}
