/**
 * The AWS names of what aurora-audit creates. Once deployed they are a contract: a new name means Terraform deletes the
 * old resource and creates another. So they are derived here and nowhere else, and each is built from parts that
 * cannot contain its separator, which makes two different inputs give two different names. The resolver still checks
 * every name of a config for collisions, so a mistake here is an error at synth, not an overwrite in AWS.
 *
 * The parts: stack names and cluster identifiers are lower-case letters, digits and single hyphens (validated); detection
 * ids are lower-case letters, digits and hyphens; none holds a `/`.
 */
import { createHash } from 'node:crypto';
import { ALARM_NAME_MAX_LENGTH } from './aws';

/** IAM role names: at most 64 characters; IAM policy names: at most 128 (IAM quotas). */
const IAM_ROLE_NAME_MAX_LENGTH = 64;
const IAM_POLICY_NAME_MAX_LENGTH = 128;
/** EventBridge PutRule: Name is at most 64 characters. */
const EVENT_RULE_NAME_MAX_LENGTH = 64;

/**
 * How every name aurora-audit gives starts (but the alarms', which start `aurora-audit/`): the deploy role's policy
 * scopes what it may touch by it (deploy-role/policy.ts).
 */
export const OWN_NAME_PREFIX = 'aurora-audit-';

/** How every EventBridge rule aurora-audit makes starts: the topic lets only these publish. */
export const OWN_EVENT_RULE_PREFIX = OWN_NAME_PREFIX;

/** How the roles that deliver source accounts' events to the monitoring topic are named: the topic admits these only. */
export const EVENT_DELIVERY_ROLE_PREFIX = 'aurora-audit-events-';

/** How every cluster parameter group aurora-audit makes starts; a group named otherwise is a user's. */
export const OWN_PARAMETER_GROUP_PREFIX = OWN_NAME_PREFIX;

/** How every archive bucket's name starts: the account and region follow. */
export const ARCHIVE_BUCKET_PREFIX = `${OWN_NAME_PREFIX}archive-`;

/** How every alarm aurora-audit makes is named first: the monitoring account holds those of many accounts. */
/** Where aurora-audit's metric-filter metrics live. */
export const METRIC_NAMESPACE = 'AuroraAudit';

export const ALARM_NAME_PREFIX = 'aurora-audit/';
const alarmPrefix = (accountId: string, region: string): string => `${ALARM_NAME_PREFIX}${accountId}/${region}/`;

/** Clusters on one dashboard: ten rows of graphs stay readable; a stack of 50 gets five dashboards. */
export const CLUSTERS_PER_DASHBOARD = 10;

/** Where Firehose writes in the archive bucket (Firehose adds yyyy/MM/dd/HH/ below it). */
export const ARCHIVE_PREFIX = 'audit-logs/';

/** What a subscription filter of the stack is for: one SIEM push, one compliance archive (two filters per log group at most). */
export type LogDeliveryPurpose = 'push' | 'archive';

/** CreateDeliveryStream: DeliveryStreamName is 1-64 characters of [a-zA-Z0-9_.-]. */
const DELIVERY_STREAM_NAME_MAX_LENGTH = 64;

/**
 * The stack of what exists once per account (stacks/account-stack.ts): named by the account alone, so that no region
 * arriving or leaving ever moves it, nor what it holds.
 */
export const accountStackName = (accountId: string): string => `account-${accountId}`;

export const AWS_NAMES = {
  /** The cluster parameter group aurora-audit makes for a cluster: a new family means a new group. */
  parameterGroup: (clusterIdentifier: string, family: string): string => `${OWN_PARAMETER_GROUP_PREFIX}${clusterIdentifier}-${family.replace(/\./g, '-')}`,
  /**
   * Alarm names are unique per account and region. They carry the account and region too, because one Slack channel
   * often receives the alarms of many accounts. `/` cannot occur in any part, so the parts can always be told apart.
   */
  /** How every alarm name of an account and region starts: the tamper alerts watch this prefix. */
  alarmPrefix: (accountId: string, region: string): string => alarmPrefix(accountId, region),
  alarm: (accountId: string, region: string, clusterIdentifier: string, detectionId: string): string =>
    boundedName(`${alarmPrefix(accountId, region)}${clusterIdentifier}/${detectionId}`, ALARM_NAME_MAX_LENGTH),
  /**
   * The silence alarm of a cluster's audit log: one more part than a detection's alarm name, so the two never meet
   * (a detection id holds no `/`).
   */
  silenceAlarm: (accountId: string, region: string, clusterIdentifier: string): string =>
    boundedName(`${alarmPrefix(accountId, region)}${clusterIdentifier}/audit-log/silent`, ALARM_NAME_MAX_LENGTH),
  /**
   * The alarm on a Firehose stream's delivery: three parts, like the silence alarm's, whose middle part is always
   * `audit-log` where this one's is a stream name (`aurora-audit-...`), so the two never meet.
   */
  deliveryAlarm: (accountId: string, region: string, streamName: string): string =>
    boundedName(`${alarmPrefix(accountId, region)}firehose/${streamName}/stalled`, ALARM_NAME_MAX_LENGTH),
  /** Metric-filter metrics cannot carry dimensions, so the cluster is part of the metric name. */
  metric: (clusterIdentifier: string, detectionId: string): string => `${clusterIdentifier}/${detectionId}`,
  /** Metric filter names are unique per log group, and each log group belongs to one cluster. */
  metricFilter: (detectionId: string): string => `aurora-audit-${detectionId}`,
  /** A saved Logs Insights query: the console shows the `/`-separated parts as folders. */
  savedQuery: (stackName: string, engineFolder: string, queryId: string): string => `aurora-audit/${stackName}/${engineFolder}/${queryId}`,
  /** EventBridge rule names are at most 64 characters, unique per account and region (and event bus). */
  tamperRule: (stackName: string, ruleId: string): string => boundedName(`aurora-audit-${stackName}-tamper-${ruleId}`, EVENT_RULE_NAME_MAX_LENGTH),
  /** IAM role names are global: one per stack, for the rules of every other region. */
  tamperForwardingRole: (stackName: string): string => boundedName(`aurora-audit-${stackName}-tamper-forwarding`, IAM_ROLE_NAME_MAX_LENGTH),
  guardDutyRule: (stackName: string): string => boundedName(`aurora-audit-${stackName}-guardduty`, EVENT_RULE_NAME_MAX_LENGTH),
  /**
   * Dashboard names are unique in the account (not per region) and may hold `_`, which no stack name does: a second
   * page (`aurora-audit-prod_2`) can never meet another stack's first.
   */
  dashboard: (stackName: string, page: number): string => `aurora-audit-${stackName}${page > 1 ? `_${page}` : ''}`,
  /** In monitoring-account mode, the role a source stack's EventBridge rules publish through; named by prefix, so the monitoring topic can admit them all. */
  eventDeliveryRole: (stackName: string): string => boundedName(`${EVENT_DELIVERY_ROLE_PREFIX}${stackName}`, IAM_ROLE_NAME_MAX_LENGTH),
  topic: (stackName: string): string => `aurora-audit-${stackName}-alarms`,
  /** Bucket names are global: the account and region make the archive's unique, one stack being one account-region. */
  archiveBucket: (accountId: string, region: string): string => `${ARCHIVE_BUCKET_PREFIX}${accountId}-${region}`,
  /** A Firehose stream of the stack (push or archive): at most 64 characters, unique per account and region. */
  deliveryStream: (stackName: string, purpose: LogDeliveryPurpose): string => boundedName(`aurora-audit-${stackName}-${purpose}`, DELIVERY_STREAM_NAME_MAX_LENGTH),
  /** Subscription filter names are unique per log group, and each audit log group belongs to one cluster. */
  subscriptionFilter: (purpose: LogDeliveryPurpose): string => `aurora-audit-${purpose}`,
  /** The role CloudWatch Logs sends through, and the one Firehose writes through, for each delivery. */
  deliveryRole: (stackName: string, purpose: LogDeliveryPurpose, side: 'logs' | 'firehose'): string => boundedName(`aurora-audit-${stackName}-${purpose}-${side}`, IAM_ROLE_NAME_MAX_LENGTH),
  /** The read-only role a pulling SIEM assumes. */
  siemCollectorRole: (stackName: string): string => boundedName(`aurora-audit-${stackName}-siem-collector`, IAM_ROLE_NAME_MAX_LENGTH),
  keyAlias: (stackName: string): string => `alias/aurora-audit-${stackName}`,
  /** The default Chatbot configuration name; unique per account, which the resolver checks. */
  chatbotConfiguration: (stackName: string): string => `aurora-audit-${stackName}`,
  /** IAM names are global to the account: derived from the configuration name, which is unique in the account. */
  chatbotRole: (configurationName: string): string => boundedName(`${configurationName}-chatbot`, IAM_ROLE_NAME_MAX_LENGTH),
  chatbotGuardrailPolicy: (configurationName: string): string => boundedName(`${configurationName}-guardrail`, IAM_POLICY_NAME_MAX_LENGTH),
  /** The alert-details function and its role: Lambda function names, like IAM role names, are at most 64 characters. */
  alertDetailsFunction: (stackName: string): string => boundedName(`aurora-audit-${stackName}-alert-details`, IAM_ROLE_NAME_MAX_LENGTH),
  /**
   * The role a source account lends the monitoring account's alert-details function (monitoring-account mode): one per
   * region, as its stack is, and named by the region alone, so that the function finds it from the verified alarm's
   * account and its own region (alert-details/handler.ts).
   */
  alertDetailsReader: (region: string): string => boundedName(`aurora-audit-alert-details-reader-${region}`, IAM_ROLE_NAME_MAX_LENGTH),
} as const;

/**
 * A name that fits AWS's length limit and stays deterministic: cut to size, with a short hash of the full name
 * appended, so two long names that share a prefix still differ.
 */
export function boundedName(name: string, maxLength: number): string {
  if (name.length <= maxLength) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, maxLength - hash.length - 1).replace(/[-/]+$/, '')}-${hash}`;
}
