import { UNCONFIRMED } from './unconfirmed';

/**
 * AWS facts the config rules and constructs rest on, each with its source (docs/facts.md, by section).
 * Facts that no primary source confirms are in ./unconfirmed.ts instead.
 */

/** CloudWatch Logs `retentionInDays` values (PutRetentionPolicy). 0, "never expire", is deliberately absent. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * The largest event pattern an EventBridge rule takes without a quota increase (EventBridge user guide, "Amazon
 * EventBridge quotas": event pattern size, 2048 characters, adjustable to 4096; docs/facts.md, The alert path's
 * integrity). Tamper rules split a long list of names over several rules to stay within it.
 */
export const EVENT_PATTERN_MAX_CHARS = 2048;

/**
 * How long audit logs are asked to be kept (docs/facts.md, Audit log retention): PCI DSS v4.0 requirement 10.5.1 keeps
 * audit log history for at least 12 months, three of them immediately available; OMB M-21-31 keeps logs 12 months in
 * active storage. A retention below the year warns; below the floor (PCI's "immediately available" three months,
 * rounded to a retention CloudWatch Logs allows) it needs `audit.shortRetentionAccepted`.
 */
export const AUDIT_RETENTION_YEAR_DAYS = 365;
export const AUDIT_RETENTION_FLOOR_DAYS = 90;
export const AUDIT_RETENTION_FRAMEWORKS = 'PCI DSS v4.0 (requirement 10.5.1) and OMB M-21-31';

/**
 * Aurora MySQL `server_audit_events` values (Aurora User Guide, "Using Advanced Auditing with an Amazon Aurora
 * MySQL DB cluster"). QUERY_DML_NO_SELECT is an RDS for MySQL/MariaDB option value, not an Aurora one.
 */
export const AURORA_MYSQL_AUDIT_EVENTS = {
  CONNECT: 'successful and failed connections, and disconnections, with the user',
  QUERY: 'every query in plain text, including failed ones and Aurora health checks (high volume)',
  QUERY_DCL: 'data control language: GRANT, REVOKE, CREATE/DROP USER, SET PASSWORD',
  QUERY_DDL: 'data definition language: CREATE, ALTER, DROP, RENAME, TRUNCATE',
  QUERY_DML: 'data manipulation language, SELECT included: INSERT, UPDATE, DELETE, SELECT (high volume)',
  TABLE: 'the tables each query touched, one extra row per table',
} as const;
export type AuditEvent = keyof typeof AURORA_MYSQL_AUDIT_EVENTS;
export const AUDIT_EVENT_NAMES = Object.keys(AURORA_MYSQL_AUDIT_EVENTS) as AuditEvent[];

/** `server_audit_incl_users` / `server_audit_excl_users` hold at most 1024 characters (same page). */
export const AUDIT_USERS_MAX_CHARS = 1024;

/**
 * Log types a cluster can export (`EnableCloudwatchLogsExports`, CreateDBCluster API reference).
 * The provider (hashicorp/aws 5.100.0) accepts the same names for `enabled_cloudwatch_logs_exports`.
 */
export const LOG_TYPES = ['audit', 'error', 'general', 'slowquery', 'iam-db-auth-error', 'instance', 'postgresql'] as const;
export type LogType = (typeof LOG_TYPES)[number];

export interface EngineFacts {
  /** What the engine is called in prose. */
  readonly label: string;
  /** The major versions aurora-audit supports, oldest first. */
  readonly versions: readonly MajorVersionFacts[];
  /** Major versions AWS has run that aurora-audit does not support, and why: named in the error, never guessed at. */
  readonly refusedMajors: Readonly<Record<string, string>>;
  readonly logTypes: readonly LogType[];
  /** What the engine exports by default: what Security Hub expects of it. */
  readonly defaultLogTypes: readonly LogType[];
  /** The log that audit records go to. */
  readonly auditLogType: LogType;
}

/**
 * One major version: how its engine versions are written and the cluster parameter group family they take.
 * `family` is what CreateDBClusterParameterGroup's DBParameterGroupFamily and DescribeDBEngineVersions call it.
 */
export interface MajorVersionFacts {
  /** The version's leading part: 8.4, 16. */
  readonly major: string;
  readonly family: string;
  /** What AWS calls the major in prose, where it differs: "Aurora MySQL version 3". */
  readonly alias?: string;
  /**
   * Aurora MySQL: how the Aurora part of a full engine version starts (`8.0.mysql_aurora.3.05.2` → `3.`). Absent on
   * Aurora PostgreSQL, which has no Aurora part.
   */
  readonly auroraVersionPrefix?: string;
  /**
   * Whether `<major>.<minor>` is an engine version of its own: `8.4.7` and `16.4` are; `8.0.32` is MySQL's community
   * version, which Aurora MySQL 8.0 never takes as an engine version.
   */
  readonly minorIsEngineVersion: boolean;
  /** End of Aurora standard support, where a primary AWS source states it (YYYY-MM-DD); others: unconfirmed.ts. */
  readonly standardSupportEnds?: string;
}

/**
 * Engines aurora-audit supports (docs/facts.md, "Advanced Auditing" and "Engine versions"):
 * - Aurora MySQL version 2 is MySQL 5.7-compatible (aurora-mysql5.7), version 3 MySQL 8.0-compatible
 *   (aurora-mysql8.0): engine versions `<mysql-major>.mysql_aurora.<aurora-version>` ("Checking Aurora MySQL version
 *   numbers"). Version 2 left standard support on 2024-10-31 (Aurora MySQL release notes, "Database engine updates
 *   for Amazon Aurora MySQL version 2").
 * - Aurora MySQL version 8.4 is MySQL 8.4-compatible, with "a simplified version numbering scheme ...
 *   `<major-version>.<minor-version>` ... `8.4.7` is the first minor version" (Aurora User Guide, "Aurora MySQL
 *   version 8.4 compatible with MySQL 8.4"); RDS reports it in full as `8.4.mysql_aurora.8.4.7`, family
 *   aurora-mysql8.4. Whether Advanced Auditing is unchanged in it: UNCONFIRMED.auroraMysql84AdvancedAuditing.
 * - Aurora PostgreSQL families follow the major version (aurora-postgresql16). Extension tables of the Aurora
 *   PostgreSQL release notes ("Extension versions for Amazon Aurora PostgreSQL") list 9.6 to 18.
 */
export const ENGINES = {
  'aurora-mysql': {
    label: 'Aurora MySQL',
    versions: [
      { major: '5.7', family: 'aurora-mysql5.7', alias: 'Aurora MySQL version 2', auroraVersionPrefix: '2.', minorIsEngineVersion: false, standardSupportEnds: '2024-10-31' },
      { major: '8.0', family: 'aurora-mysql8.0', alias: 'Aurora MySQL version 3', auroraVersionPrefix: '3.', minorIsEngineVersion: false },
      { major: '8.4', family: 'aurora-mysql8.4', auroraVersionPrefix: '8.4.', minorIsEngineVersion: true },
    ],
    refusedMajors: {
      '5.6': 'is Aurora MySQL version 1, which reached its end of life on 2023-02-28',
    },
    logTypes: ['audit', 'error', 'general', 'slowquery', 'iam-db-auth-error', 'instance'],
    defaultLogTypes: ['audit', 'error', 'general', 'slowquery'],
    auditLogType: 'audit',
  },
  'aurora-postgresql': {
    label: 'Aurora PostgreSQL',
    versions: ['13', '14', '15', '16', '17', '18'].map((major) => ({ major, family: `aurora-postgresql${major}`, minorIsEngineVersion: true })),
    refusedMajors: Object.fromEntries(
      ['9.6', '10', '11', '12'].map((major) => [
        major,
        'is past the end of Aurora standard support (RDS Extended Support at most), and aurora-audit has not been checked against its pgAudit release',
      ]),
    ),
    logTypes: ['postgresql', 'iam-db-auth-error', 'instance'],
    defaultLogTypes: ['postgresql'],
    auditLogType: 'postgresql',
  },
} as const satisfies Record<string, EngineFacts>;
export type Engine = keyof typeof ENGINES;

/**
 * Where AWS publishes the support dates of each engine's major versions, and when aurora-audit's copy of them was
 * last checked. The summary cites both beside every lifecycle warning.
 */
export const SUPPORT_CALENDARS: Readonly<Record<string, string>> = {
  'aurora-mysql': 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraMySQLReleaseNotes/AuroraMySQL.release-calendars.html',
  'aurora-postgresql': 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraPostgreSQLReleaseNotes/aurorapostgresql-release-calendar.html',
};
export const SUPPORT_DATES_CHECKED = '2026-11-30';

export const ENGINE_NAMES = Object.keys(ENGINES) as Engine[];
/** Engines on the roadmap, named in the error a user gets when they ask for one today. */
export const PLANNED_ENGINES: readonly string[] = [];

/**
 * Security Hub expects Aurora MySQL to publish audit, error, general and slowquery ([RDS.9]) and Aurora PostgreSQL
 * to publish postgresql ([RDS.37]) (docs/facts.md, Security Hub).
 */
export const EXPECTED_LOG_TYPES: Record<Engine, { readonly control: string; readonly logTypes: readonly LogType[] }> = {
  'aurora-mysql': { control: 'RDS.9', logTypes: ['audit', 'error', 'general', 'slowquery'] },
  'aurora-postgresql': { control: 'RDS.37', logTypes: ['postgresql'] },
};

/** pgaudit.log classes (pgaudit README; docs/facts.md, pgAudit). A class can be subtracted with a leading "-". */
export const PGAUDIT_CLASSES = ['all', 'ddl', 'function', 'misc', 'misc_set', 'read', 'role', 'write', 'none'] as const;

/**
 * The names of each engine's audit parameters begin with these (docs/facts.md, Advanced Auditing and pgAudit). A DB
 * instance's own parameter group overrides its cluster group for that instance (docs/facts.md, Tampering and
 * GuardDuty), so the tamper rules watch any of these set in one.
 */
export const AUDIT_PARAMETER_PREFIXES: Readonly<Record<Engine, string>> = {
  'aurora-mysql': 'server_audit_',
  'aurora-postgresql': 'pgaudit.',
};

/** DB cluster identifiers: 1-63 letters, digits or hyphens, first a letter, no `--`, no trailing `-`. */
export const CLUSTER_IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;

/** 12-digit AWS account ids. */
export const ACCOUNT_ID = /^\d{12}$/;

/** Region names: eu-west-1, us-gov-west-1, cn-north-1, ap-southeast-5, ... */
export const REGION = /^(?:[a-z]{2}(?:-gov|-iso[a-z]*)?)-[a-z]+-\d{1,2}$/;

/**
 * The regions of the aws, aws-us-gov and aws-cn partitions ("Regions and Availability Zones", AWS docs), so that a
 * typo such as eu-wst-1 is caught before Terraform tries to reach it. Add a region here when AWS opens one.
 */
export const KNOWN_REGIONS = [
  'af-south-1', 'ap-east-1', 'ap-east-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-south-1',
  'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5',
  'ap-southeast-6', 'ap-southeast-7', 'ca-central-1', 'ca-west-1', 'eu-central-1', 'eu-central-2', 'eu-north-1',
  'eu-south-1', 'eu-south-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'il-central-1', 'me-central-1', 'me-south-1',
  'mx-central-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'us-gov-east-1', 'us-gov-west-1', 'cn-north-1', 'cn-northwest-1',
] as const;

export function partitionOf(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** A service principal: `cloudwatch.amazonaws.com`, or regional (`logs.eu-west-1.amazonaws.com`) where a service needs it. */
export function servicePrincipal(service: string, region: string, regional = false): string {
  const host = regional ? `${service}.${region}` : service;
  return `${host}.amazonaws.com${region.startsWith('cn-') ? UNCONFIRMED.chinaServicePrincipalSuffix : ''}`;
}

/** IAM role ARNs, with an optional path. */
export const IAM_ROLE_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):role\/[\w+=,.@\-/]{1,512}$/;
/** IAM managed policy ARNs (AWS managed or customer managed). */
export const IAM_POLICY_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::(aws|\d{12}):policy\/[\w+=,.@\-/]{1,512}$/;
/** KMS key ARNs; aliases are refused because an alias can be re-pointed and alias/aws/* keys cannot be used. */
export const KMS_KEY_ARN =
  /^arn:aws(?:-cn|-us-gov)?:kms:([a-z0-9-]+):(\d{12}):key\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/**
 * Chatbot: if `guardrail_policy_arns` is unset, AdministratorAccess is the guardrail (CreateSlackChannelConfiguration
 * API reference). aurora-audit always sets guardrails: by default a policy of its own that allows exactly the
 * notification actions below. Of the AWS managed policies, only these read-only ones are accepted (an allowlist, so
 * that a new or renamed admin-like policy is refused too); `readsData` marks the ones that can read log events, the
 * audit records included, or S3 objects, which the summary warns about.
 */
export const ALLOWED_AWS_MANAGED_GUARDRAILS: Readonly<Record<string, { readonly grants: string; readonly readsData: boolean }>> = {
  ViewOnlyAccess: { grants: 'lists and describes resources, reads no data', readsData: false },
  SecurityAudit: { grants: 'reads security configuration, reads no data', readsData: false },
  CloudWatchReadOnlyAccess: { grants: 'reads CloudWatch metrics and alarms, and CloudWatch Logs events (the audit records)', readsData: true },
  ReadOnlyAccess: { grants: 'reads every service, S3 objects and CloudWatch Logs events (the audit records) included', readsData: true },
};

/** AWS's "notifications only" Chatbot policy template (AWS-Chatbot-NotificationsOnly-Policy; docs/facts.md, Chatbot, SNS and KMS). */
export const CHATBOT_NOTIFICATION_ACTIONS = ['cloudwatch:Describe*', 'cloudwatch:Get*', 'cloudwatch:List*'] as const;

/**
 * Chatbot writes its own logs to `/aws/chatbot/<configuration-name>` in us-east-1, with retention "never expire",
 * on first execution (aws-cdk-lib aws_chatbot README). aurora-audit creates that group first, with a retention.
 */
export const CHATBOT_LOG_REGION = 'us-east-1';

/**
 * The regions an account stack forwards Chatbot's CloudTrail events from, to a Slack channel's region: every Chatbot
 * API region but that one (CloudTrail records a Chatbot call in the region it was made in; UNCONFIRMED.chatbotApiRegions).
 * Only within the aws partition, where the Chatbot API regions are.
 */
export function chatbotForwardingRegions(channelRegion: string): string[] {
  if (partitionOf(channelRegion) !== 'aws') return [];
  return UNCONFIRMED.chatbotApiRegions.filter((r) => r !== channelRegion);
}

/**
 * IAM is global to an account, and in the aws partition its events are recorded in us-east-1, where its control plane
 * is (docs/facts.md, "IAM's region"); other partitions: UNCONFIRMED.iamRegionOfPartition. An account stack, which
 * holds IAM roles and no regional resource of its own, points its default provider there, so that its place never
 * depends on which regions the account has stacks in.
 */
export function iamRegion(partition: string): string {
  return partition === 'aws' ? 'us-east-1' : (UNCONFIRMED.iamRegionOfPartition[partition] ?? 'us-east-1');
}

/**
 * The role a sharing account must have for another account's alarms to watch its metrics, by this exact name
 * (PutMetricAlarm, "Cross-account alarms"; docs/facts.md, Cross-account alarms). What it must allow is UNCONFIRMED (unconfirmed.ts).
 */
export const CROSS_ACCOUNT_SHARING_ROLE_NAME = 'CloudWatch-CrossAccountSharingRole';
/** A Slack channel configuration's ARN: Chatbot is global, so the ARN has no region (docs/facts.md, Chatbot, SNS and KMS). */
export function chatbotConfigurationArn(partition: string, accountId: string, configurationName: string): string {
  return `arn:${partition}:chatbot::${accountId}:chat-configuration/slack-channel/${configurationName}`;
}

export function chatbotLogGroupName(configurationName: string): string {
  return `/aws/chatbot/${configurationName}`;
}

/** Slack workspace (team) ids: `[0-9A-Z]{1,255}` per the Chatbot API; Slack's own start with T (`T07EA123LEP`). */
export const SLACK_TEAM_ID = /^T[0-9A-Z]{2,254}$/;
/** Chatbot configuration names: 1-128 characters of `[A-Za-z0-9-_]`. */
export const CHATBOT_CONFIGURATION_NAME = /^[A-Za-z0-9_-]{1,128}$/;

/** RDS writes exported logs to `/aws/rds/cluster/<cluster-identifier>/<log-type>` (docs/facts.md, AWS). */
export function rdsLogGroupName(clusterIdentifier: string, logType: LogType): string {
  return `${rdsLogGroupPrefix(clusterIdentifier)}${logType}`;
}

/** What every log group of a cluster's exports starts with. */
export function rdsLogGroupPrefix(clusterIdentifier: string): string {
  return `/aws/rds/cluster/${clusterIdentifier}/`;
}

/** CloudWatch Logs quotas for metric filters (FilterAndPatternSyntax, PutMetricFilter; docs/facts.md, CloudWatch Logs filter patterns and quotas). */
export const METRIC_FILTER_QUOTAS = {
  metricFiltersPerLogGroup: 100,
  regexPatternsPerLogGroup: 5,
  regexPerPattern: 2,
  metricNameMaxLength: 255,
  metricNamespaceMaxLength: 255,
  /** Metric names and namespaces may not contain `:`, `*` or `$` (MetricTransformation pattern `[^:*$]*`). */
  metricNameForbidden: /[:*$]/,
} as const;

/**
 * PutLogEvents API reference: "Each log event can be no larger than 1 MB" (256 KB before 2025). A line longer than
 * this (plus a CloudWatch export's timestamp prefix) cannot be an Aurora log event.
 */
export const CLOUDWATCH_MAX_EVENT_BYTES = 1024 * 1024;

/** The RDS Protection feature of a GuardDuty detector (docs/facts.md, Tampering and GuardDuty). */
export const RDS_LOGIN_EVENTS = 'RDS_LOGIN_EVENTS';

/** PutMetricAlarm: EvaluationPeriods x Period may not exceed one day. */
export const ALARM_MAX_EVALUATION_SECONDS = 86_400;
/** PutMetricAlarm: AlarmName is at most 255 characters, AlarmDescription at most 1024. */
export const ALARM_NAME_MAX_LENGTH = 255;
export const ALARM_DESCRIPTION_MAX_LENGTH = 1024;

/**
 * Lambda prices in US East (N. Virginia), before the free tier (1M requests and 400,000 GB-seconds a month):
 * $0.20 per million requests, $0.00001667 per GB-second ("How AWS Pricing Works", Lambda; aws.amazon.com/lambda/pricing).
 */
export const LAMBDA_PRICE = { perRequest: 0.2 / 1_000_000, perGbSecond: 0.00001667 } as const;

/**
 * The alert-details function (modules/alert-details-function.ts, alert-details/handler.ts): the runtime provides the AWS SDK v3 clients it uses, so its package holds only our
 * code; memory and timeout also bound its cost in the summary.
 */
export const ALERT_DETAILS_FUNCTION = {
  runtime: 'nodejs22.x',
  memoryMb: 256,
  timeoutSeconds: 60,
  /** The message attribute on the function's own messages; its subscription's filter policy leaves them out. */
  messageAttribute: 'aurora-audit',
  /**
   * Lambda keeps at most 4 KB of environment variables per function, and IAM at most 10,240 characters (white space
   * not counted) of inline policy per role (docs/facts.md, Alert details). In monitoring-account mode the function
   * names each source account twice in its environment (13 characters each) and each reader role once in its policy
   * (at most about 90 characters): 100 source accounts per region keep both under their limit with room to spare.
   */
  maxSourceAccounts: 100,
} as const;

/** KMS: a key scheduled for deletion waits 7 to 30 days. */
export const KMS_DELETION_WINDOW_DAYS = { min: 7, max: 30 } as const;

/** Placeholder values the templates ship with; the summary warns while any is left. */
export const PLACEHOLDERS = {
  accountIds: ['123456789012', '111111111111', '222222222222', '000000000000'] as readonly string[],
  /** T0000000000, C0000000000, C0000000001, ... */
  slackId: /^[TCG]0{6,}\d?$/,
};

/**
 * CloudWatch Logs quotas: "Subscription filters: 2 per log group. This quota can't be changed." (CloudWatch Logs
 * user guide, "CloudWatch Logs quotas"). A push to a SIEM and the compliance archive take one each.
 */
export const SUBSCRIPTION_FILTERS_PER_LOG_GROUP = 2;

/**
 * S3 storage classes a lifecycle rule may move archived objects to, coldest last (S3 user guide, "Transitioning
 * objects using Amazon S3 Lifecycle"). STANDARD_IA needs objects 30 days old; ONEZONE_IA is left out, since an
 * archive kept for compliance should not live in one Availability Zone.
 */
export const ARCHIVE_STORAGE_CLASSES = ['STANDARD_IA', 'INTELLIGENT_TIERING', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'] as const;
export type ArchiveStorageClass = (typeof ARCHIVE_STORAGE_CLASSES)[number];
/** The fewest days an object stays in S3 Standard before a lifecycle rule may move it to this class. */
export const ARCHIVE_MIN_TRANSITION_DAYS: Readonly<Record<ArchiveStorageClass, number>> = {
  STANDARD_IA: 30,
  INTELLIGENT_TIERING: 0,
  GLACIER_IR: 0,
  GLACIER: 0,
  DEEP_ARCHIVE: 0,
};

/** S3 bucket ARNs (no object part). */
export const S3_BUCKET_ARN = /^arn:aws(?:-cn|-us-gov)?:s3:::((?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/;
/** Secrets Manager secret ARNs, with the six random characters AWS appends to the name. */
export const SECRET_ARN = /^arn:aws(?:-cn|-us-gov)?:secretsmanager:([a-z0-9-]+):(\d{12}):secret:[\w/+=.@-]{1,512}$/;
/** A CloudWatch Logs destination (cross-account subscription target): arn:aws:logs:<region>:<account>:destination:<name>. */
export const LOG_DESTINATION_ARN = /^arn:aws(?:-cn|-us-gov)?:logs:([a-z0-9-]+):(\d{12}):destination:[^:*]{1,512}$/;
/** IAM principals a trust policy may name for the SIEM's collector: an account root, a role or a user. */
export const IAM_PRINCIPAL_ARN = /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):(?:root|role\/[\w+=,.@\-/]{1,512}|user\/[\w+=,.@\-/]{1,512})$/;
/** sts:ExternalId: 2-1224 characters of letters, digits and +=,.@:/- (STS AssumeRole API reference). */
export const STS_EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

/**
 * Firehose's own processors turn CloudWatch Logs' gzip batches back into text for a SIEM: Decompression with
 * CompressionFormat GZIP (Firehose developer guide, "Decompress CloudWatch Logs"; Processor API, Type values
 * RecordDeAggregation | Decompression | CloudWatchLogProcessing | Lambda | MetadataExtraction | AppendDelimiterToRecord).
 */
export const FIREHOSE_DECOMPRESSION = { type: 'Decompression', parameterName: 'CompressionFormat', value: 'GZIP' } as const;
/** Firehose buffering limits: 1-128 MiB and 0-900 seconds for S3 (Firehose API, BufferingHints). */
export const FIREHOSE_BUFFERING = { maxMb: 128, maxSeconds: 900 } as const;

/**
 * Firehose's metric of how far delivery lags: the age of the oldest record not yet delivered, in seconds, per stream
 * (namespace AWS/Firehose, dimension DeliveryStreamName). The developer guide ("Implement best practices with
 * CloudWatch Alarms") advises an alarm when it exceeds the buffering limit, at most 15 minutes, on these names.
 */
export const FIREHOSE_DATA_FRESHNESS = {
  namespace: 'AWS/Firehose',
  metricName: { s3: 'DeliveryToS3.DataFreshness', splunk: 'DeliveryToSplunk.DataFreshness', http: 'DeliveryToHttpEndpoint.DataFreshness' },
  /** A record older than this has waited past the longest buffering Firehose allows: delivery is failing, not batching. */
  stalledAfterSeconds: FIREHOSE_BUFFERING.maxSeconds,
} as const;

/** What a pulling SIEM may do, on the stack's audit log groups and clusters only: read them (issue 13's list). */
export const SIEM_COLLECTOR_ACTIONS = { logs: ['logs:Describe*', 'logs:Get*', 'logs:FilterLogEvents'], rds: ['rds:Describe*'] } as const;
