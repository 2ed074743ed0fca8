/**
 * The one schema of aurora-audit.yaml. It checks the file's shape, documents every field, and is written out
 * as aurora-audit.schema.json for editors. Rules that span fields (a detection needs an audit event, one stack per
 * account and region, ...) live in ./rules.ts; defaults live in ./defaults.ts and are applied by ./resolve.ts.
 */
import { z } from 'zod';
import {
  ACCOUNT_ID,
  ARCHIVE_MIN_TRANSITION_DAYS,
  ARCHIVE_STORAGE_CLASSES,
  AUDIT_EVENT_NAMES,
  AUDIT_RETENTION_FLOOR_DAYS,
  AUDIT_RETENTION_FRAMEWORKS,
  AUDIT_RETENTION_YEAR_DAYS,
  AURORA_MYSQL_AUDIT_EVENTS,
  CHATBOT_CONFIGURATION_NAME,
  CLUSTER_IDENTIFIER,
  ENGINE_NAMES,
  IAM_POLICY_ARN,
  IAM_PRINCIPAL_ARN,
  IAM_ROLE_ARN,
  KMS_DELETION_WINDOW_DAYS,
  KMS_KEY_ARN,
  KNOWN_REGIONS,
  LOG_DESTINATION_ARN,
  LOG_RETENTION_DAYS,
  LOG_TYPES,
  PGAUDIT_CLASSES,
  PLANNED_ENGINES,
  REGION,
  S3_BUCKET_ARN,
  SECRET_ARN,
  SLACK_TEAM_ID,
  STS_EXTERNAL_ID,
} from './aws';
import {
  DEFAULT_ALERT_DETAILS,
  DEFAULT_ARCHIVE,
  DEFAULT_AUDIT,
  DEFAULT_BACKEND,
  DEFAULT_DASHBOARD,
  DEFAULT_ENCRYPTION,
  DEFAULT_GUARDDUTY,
  DEFAULT_PULL_SCHEDULE,
  DEFAULT_S3_BACKEND,
  DEFAULT_SILENCE,
  DEFAULT_SLACK,
  DEFAULT_TAMPERING,
  defaultDetectionSettings,
} from './defaults';
import { closest } from './problems';
import { textProblem } from './text';
import { UNCONFIRMED } from './unconfirmed';
import { DETECTION_IDS } from '../detections';

const listOf = (values: readonly unknown[]) => values.map((v) => String(v)).join(', ');

/** Text a person writes, of at most `max` characters, with no control characters. */
const freeText = (max: number) =>
  z
    .string({ error: 'expected text' })
    .max(max, { error: `is longer than the ${max} characters allowed here`, abort: true })
    .superRefine((v, ctx) => {
      const problem = textProblem(v);
      if (problem) ctx.addIssue({ code: 'custom', message: problem, input: v });
    });

/** A directory relative to where aurora-audit runs, that cannot climb out of it. */
const relativePath = (what: string) =>
  freeText(1024)
    .min(1, { error: 'must not be empty' })
    .refine((v) => !v.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(v) && !v.split(/[\\/]/).includes('..'), {
      error: `must be a path relative to the project, without .. (an absolute ${what} or one that climbs out would put every stack's state somewhere nobody reviews)`,
    });

// ---------------------------------------------------------------------------------------------------------------
// Fields, exported one by one so that the wizard's prompts and flags validate with the very same rules.

export const accountId = z
  .string({ error: 'expected a 12-digit AWS account id in quotes, such as "123456789012"' })
  .regex(ACCOUNT_ID, { error: 'is not an AWS account id; use the 12 digits, quoted ("012345678901")' })
  .meta({ description: 'The 12-digit AWS account id. Quote it, so that YAML keeps any leading zero.' });

export const region = z
  .string()
  .regex(REGION, {
    error: (issue) => {
      const near = closest(String(issue.input), KNOWN_REGIONS);
      return `is not an AWS region name; ${near ? `did you mean ${near}?` : 'use a name such as eu-west-1 or us-east-2'}`;
    },
    abort: true,
  })
  .refine((v) => (KNOWN_REGIONS as readonly string[]).includes(v), {
    error: (issue) => {
      const near = closest(String(issue.input), KNOWN_REGIONS);
      return `is not a known AWS region${near ? `; did you mean ${near}?` : '; use a region name such as eu-west-1'}`;
    },
  })
  .meta({ description: 'The AWS region of the clusters, such as eu-west-1.' });

export const roleArn = z
  .string()
  .regex(IAM_ROLE_ARN, { error: 'is not an IAM role ARN; use arn:aws:iam::<account-id>:role/<name>' })
  .meta({ description: 'An IAM role that Terraform assumes in the target account. Its account must be the target account.' });

export const stackName = z
  .string()
  // Default names are <accountId>-<region>, so a name may start with a digit; a retired entry records them as they are.
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'is not a valid name; use lower-case letters, digits and hyphens, starting with a letter or digit (at most 63)' })
  .meta({ description: 'A short name for the target, used in the stack, state key, topic and alarm names. Defaults to <accountId>-<region>.' });

export const clusterIdentifier = z
  .string()
  .refine((v) => CLUSTER_IDENTIFIER.test(v), {
    error: (issue) =>
      typeof issue.input === 'string' && CLUSTER_IDENTIFIER.test(issue.input.toLowerCase())
        ? `is not how RDS stores it; RDS keeps identifiers in lower case, so write "${issue.input.toLowerCase()}"`
        : 'is not a DB cluster identifier; use 1-63 lower-case letters, digits and hyphens, starting with a letter, with no "--" and no trailing hyphen',
  })
  .meta({ description: 'The DB cluster identifier, exactly as RDS shows it (lower case).' });

export const engine = z
  .enum(ENGINE_NAMES as [string, ...string[]], {
    error: (issue) =>
      (PLANNED_ENGINES as readonly unknown[]).includes(issue.input)
        ? `is not supported yet; today aurora-audit supports ${listOf(ENGINE_NAMES)}`
        : `is not a supported engine; use ${listOf(ENGINE_NAMES)}`,
  })
  .meta({ description: 'The cluster engine.' });

export const engineVersion = z
  .string()
  .min(1)
  .meta({
    description:
      'The engine version: the major alone (8.4, 16) or in full (8.0.mysql_aurora.3.05.2, 8.4.mysql_aurora.8.4.7, 8.4.7, 16.4). Its major selects the parameter group family when `family` is not recorded: 5.7 → aurora-mysql5.7, 8.0 → aurora-mysql8.0, 8.4 → aurora-mysql8.4, 16 → aurora-postgresql16. Any minor version of a supported major is accepted.',
    examples: ['8.4.mysql_aurora.8.4.7', '8.0.mysql_aurora.3.05.2', '5.7.mysql_aurora.2.11.2', '8.4', '16.4'],
  });

export const parameterGroupFamily = z
  .string()
  .regex(/^aurora-(?:mysql|postgresql)\d+(?:\.\d+)?$/, { error: 'is not an Aurora cluster parameter group family; they are written aurora-mysql8.4 or aurora-postgresql16' })
  .meta({
    description:
      "The cluster parameter group family AWS reports for the cluster's engine version (DescribeDBEngineVersions), as `aurora-audit init` records it. When present it decides the family, and any engine version of that major is taken, however AWS writes it. @default - derived from engineVersion",
    examples: ['aurora-mysql8.4', 'aurora-postgresql17'],
  });

export const attach = z
  .enum(['adopt', 'external'], {
    error: (issue) =>
      issue.input === undefined
        ? 'is required: adopt (this stack imports the cluster) or external (other Terraform code owns it)'
        : 'is not an attach mode; use adopt (this stack imports the cluster) or external (other Terraform code owns it)',
  })
  .meta({
    description:
      'adopt: the cluster exists and no other Terraform manages it; the stack imports it and manages only its cluster parameter group and log exports, and can never destroy it. external: other Terraform code manages the cluster; the stack creates the parameter group and log groups and outputs what the owning code must set.',
  });

export const auditEvent = z
  .enum(AUDIT_EVENT_NAMES as [string, ...string[]], {
    error: (issue) => {
      const input = String(issue.input);
      if (input === 'QUERY_DML_NO_SELECT') {
        return 'is an RDS for MySQL/MariaDB audit plugin value, not an Aurora one: Aurora cannot exclude SELECT, so choose QUERY_DML (all DML) or leave DML out';
      }
      if ((AUDIT_EVENT_NAMES as string[]).includes(input.toUpperCase())) {
        return `must be in capitals, as Aurora requires: write ${input.toUpperCase()}`;
      }
      return `is not an Aurora MySQL audit event; use ${listOf(AUDIT_EVENT_NAMES)}`;
    },
  })
  .meta({
    description: `An Advanced Auditing event class: ${Object.entries(AURORA_MYSQL_AUDIT_EVENTS)
      .map(([k, v]) => `${k} (${v})`)
      .join('; ')}.`,
  });

export const auditUser = freeText(80)
  .regex(/^[^\s,]{1,80}$/, { error: 'is not a user name; names have no spaces or commas and must match mysql.user' })
  .meta({ description: 'A database user name, as in the User column of mysql.user.' });

export const logType = z.enum(LOG_TYPES, { error: `is not a log type; use ${listOf(LOG_TYPES)}` });

export const retentionDays = z
  .literal(LOG_RETENTION_DAYS, {
    error: `is not a CloudWatch Logs retention in days; use one of ${listOf(LOG_RETENTION_DAYS)} (never-expire is not offered)`,
  })
  .meta({ description: 'Days to keep, one of the values CloudWatch Logs allows.' });

export const slackTeamId = z
  .string()
  .regex(SLACK_TEAM_ID, { error: 'is not a Slack workspace id; it starts with T and has capitals and digits, such as T07EA123LEP (copy it from the Chatbot console)' })
  .meta({ description: 'The Slack workspace (team) id, as the Chatbot console shows it after you authorize the workspace: T07EA123LEP.' });

const channelPrefixes = UNCONFIRMED.slackChannelIdPrefixes;
export const slackChannelId = z
  .string()
  .regex(new RegExp(`^[${channelPrefixes.join('')}][0-9A-Z]{6,}$`), {
    error: `is not a Slack channel id; it starts with ${channelPrefixes.join(' or ')} and has capitals and digits, such as C07EZ1ABC23 (in Slack: channel details, at the bottom). A channel name does not work`,
  })
  .meta({ description: 'The Slack channel id (not its name), such as C07EZ1ABC23. Invite the Amazon Q app to private channels.' });

export const policyArn = z
  .string()
  .regex(IAM_POLICY_ARN, { error: 'is not an IAM policy ARN; use arn:aws:iam::aws:policy/<name> or arn:aws:iam::<account-id>:policy/<name>' });

export const kmsKeyArn = z
  .string()
  .regex(KMS_KEY_ARN, {
    error: 'is not a KMS key ARN; use arn:aws:kms:<region>:<account-id>:key/<key-id> (aliases are refused: alias/aws/sns cannot serve CloudWatch alarms)',
  });

/** A yes/no setting. */
const flag = () => z.boolean({ error: 'expected true or false' });

/** A number of matched lines in one period: a count, so whole. */
const matchCount = () =>
  z
    .number({ error: 'expected a whole number of matching lines' })
    .int({ error: 'expected a whole number of matching lines: a period counts lines, so 2.5 cannot be reached differently from 3' })
    .positive({ error: 'must be greater than 0: a threshold of 0 or less would alarm on nothing happening' });

const positiveInt = (what: string) =>
  z.number({ error: `expected a whole number of ${what}` }).int({ error: `expected a whole number of ${what}` }).positive({ error: `must be 1 or more ${what}` });

// ---------------------------------------------------------------------------------------------------------------
// Sections

export const auditSection = z
  .strictObject({
    events: z
      .array(auditEvent)
      .min(1, { error: 'must name at least one event; with none, Aurora writes no audit data (Security Hub RDS.45 fails)' })
      .optional()
      .meta({ description: 'Aurora MySQL: the Advanced Auditing event classes to log (server_audit_events).', default: DEFAULT_AUDIT.events }),
    includeUsers: z
      .array(auditUser)
      .optional()
      .meta({ description: 'Only these users are audited (server_audit_incl_users). It takes priority over excludeUsers.', default: DEFAULT_AUDIT.includeUsers }),
    excludeUsers: z
      .array(auditUser)
      .optional()
      .meta({
        description: 'Users not audited (server_audit_excl_users). Connects and disconnects are still logged for them.',
        default: DEFAULT_AUDIT.excludeUsers,
      }),
    pgauditLog: z
      .array(
        z.string().refine((v) => (PGAUDIT_CLASSES as readonly string[]).includes(v.replace(/^-/, '')), {
          error: `is not a pgaudit.log class; use ${listOf(PGAUDIT_CLASSES)}, or one of them with a leading - to subtract it`,
        }),
      )
      .min(1, { error: 'must name at least one class' })
      .optional()
      .meta({ description: 'Aurora PostgreSQL: the pgaudit.log classes to log.', default: DEFAULT_AUDIT.pgauditLog }),
    pgauditRole: z
      .literal('rds_pgaudit', { error: 'must be rds_pgaudit, the only role Aurora allows for pgaudit.role' })
      .optional()
      .meta({ description: 'Aurora PostgreSQL: pgaudit.role, for object auditing (CREATE ROLE rds_pgaudit first). @default - unset' }),
    logConnections: flag()
      .optional()
      .meta({
        description:
          'Aurora PostgreSQL: turn on log_connections and log_disconnections (successful connections and session ends). Failed logins are logged either way. false leaves both as they are; left unset, and the cluster parameter group already sets either, both are kept.',
        default: DEFAULT_AUDIT.logConnections,
      }),
    logTypes: z
      .array(logType)
      .min(1, { error: 'must name at least one log type; the audit log is where detections look' })
      .optional()
      .meta({ description: 'The log types the cluster exports to CloudWatch Logs. Types an engine does not export are skipped for it, unless set on that cluster.', default: DEFAULT_AUDIT.logTypes }),
    keepLogsOnDestroy: flag()
      .optional()
      .meta({
        description: 'Keep the audit log group (and the stack KMS key that encrypts it) when a stack is destroyed or a cluster leaves the config.',
        default: DEFAULT_AUDIT.keepLogsOnDestroy,
      }),
    retentionDays: z
      .strictObject(Object.fromEntries(LOG_TYPES.map((t) => [t, retentionDays.optional()])) as Record<(typeof LOG_TYPES)[number], z.ZodOptional<typeof retentionDays>>)
      .optional()
      .meta({ description: 'Days each exported log type is kept, by log type.', default: DEFAULT_AUDIT.retentionDays }),
    shortRetentionAccepted: flag()
      .optional()
      .meta({
        description: `Set true to keep the audit log (audit on Aurora MySQL, postgresql on Aurora PostgreSQL) in CloudWatch Logs for fewer than ${AUDIT_RETENTION_FLOOR_DAYS} days; without it such a retention is refused. Below ${AUDIT_RETENTION_YEAR_DAYS} days validate warns: ${AUDIT_RETENTION_FRAMEWORKS} ask for a year.`,
        default: DEFAULT_AUDIT.shortRetentionAccepted,
      }),
  })
  .meta({ description: 'Advanced Auditing settings and log export.' });

const detectionSettings = (id?: string) =>
  z
    .strictObject({
      enabled: flag().optional().meta({ description: 'Whether the metric filter and alarm exist.' }),
      threshold: matchCount()
        .optional()
        .meta({ description: 'Alarm when the count in one period is at least this.' }),
      periodSeconds: positiveInt('seconds').optional().meta({ description: 'Length of one period, a multiple of 60 seconds.' }),
      evaluationPeriods: positiveInt('periods').optional().meta({ description: 'How many recent periods the alarm looks at.' }),
      datapointsToAlarm: positiveInt('periods')
        .optional()
        .meta({ description: 'How many of those periods must breach; at most evaluationPeriods.' }),
      notifyOnOk: flag()
        .optional()
        .meta({ description: 'Whether the channel also hears when the alarm returns to OK. Off for one-event detections (a DROP would post ALARM, then OK a minute later); on for rates.' }),
    })
    .meta(id ? { description: `Settings of the ${id} detection.`, default: defaultDetectionSettings(id) } : { description: 'Settings of a custom detection.' });

export const detectionsSection = z
  .object(Object.fromEntries(DETECTION_IDS.map((id) => [id, detectionSettings(id).optional()])))
  // Custom detections (customDetections) are tuned here by their id too; the resolver checks every id is known.
  .catchall(detectionSettings())
  .meta({ description: 'Detections by id (the catalog, or customDetections): turn each on or off, and tune when its alarm fires.' });

export const customDetectionSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z][a-z0-9-]{1,47}$/, { error: 'is not a detection id; use 2-48 lower-case letters, digits and hyphens, starting with a letter' })
      .meta({ description: 'Names the metric filter, metric and alarm; tune it under detections.<id>.' }),
    engine: engine.optional().meta({ description: 'Only clusters of this engine. @default - every engine that exports logType' }),
    logType: logType.meta({ description: 'The exported log the pattern reads.' }),
    pattern: freeText(1024)
      .min(1, { error: 'must not be empty' })
      .meta({ description: 'A CloudWatch Logs filter pattern; checked against the syntax and quotas CloudWatch enforces.' }),
    title: freeText(80).optional().meta({ description: 'What it counts, for alarm names and summaries. Defaults to the id.' }),
    description: freeText(600).optional().meta({ description: 'Why it matters and what to do, for the alarm description.' }),
    severity: z.enum(['critical', 'high', 'medium', 'low']).optional().meta({ description: 'Shown in summaries.', default: 'medium' }),
    enabled: flag().optional().meta({ default: true }),
    threshold: matchCount().optional().meta({ default: 1 }),
    periodSeconds: positiveInt('seconds').optional().meta({ default: 300 }),
    evaluationPeriods: positiveInt('periods').optional().meta({ default: 1 }),
    datapointsToAlarm: positiveInt('periods').optional().meta({ default: 1 }),
    notifyOnOk: flag().optional().meta({ default: false }),
  })
  .meta({ description: 'A detection of your own: a filter pattern on an exported log, with its alarm.' });

export const silenceSection = z
  .strictObject({
    enabled: flag()
      .optional()
      .meta({ description: 'Whether the audit log group of each cluster has a silence alarm.', default: DEFAULT_SILENCE.enabled }),
    periodSeconds: positiveInt('seconds')
      .optional()
      .meta({ description: 'Length of one period, a multiple of 60 seconds.', default: DEFAULT_SILENCE.periodSeconds }),
    evaluationPeriods: positiveInt('periods')
      .optional()
      .meta({ description: 'How many periods in a row must be quiet before the alarm fires.', default: DEFAULT_SILENCE.evaluationPeriods }),
    threshold: positiveInt('log events')
      .optional()
      .meta({ description: 'A period is quiet when fewer log events than this arrive in it (none at all always is).', default: DEFAULT_SILENCE.threshold }),
  })
  .meta({
    description:
      'An alarm when a cluster\'s audit log group receives (almost) nothing for a while: a broken export, or auditing switched off, looks exactly like a quiet database. On CloudWatch Logs IncomingLogEvents, with missing data breaching. A quiet dev cluster wants a longer period, or enabled: false.',
  });

export const tamperingSection = z
  .strictObject({
    enabled: flag()
      .optional()
      .meta({ description: 'Whether the stack alerts on the changes listed above. Needs a CloudTrail trail with logging on in the account.', default: DEFAULT_TAMPERING.enabled }),
  })
  .meta({
    description:
      'Alerts, within a minute, on every write to what carries the audit trail and its alerts (parameter groups, the clusters\' audit settings and names, log groups and their filters, alarms, the topic and its subscriptions, the key, the Slack channel, the rules themselves, the alert-details function, the Firehose streams, the archive bucket, the roles of the path) and to what it depends on (CloudTrail trails; GuardDuty where routed). EventBridge rules on CloudTrail management events, to the same Slack channel; the stack\'s own deployments (its role\'s aurora-audit session) are reported as expected changes, in a quieter message.',
  });

export const dashboardSection = z
  .strictObject({
    enabled: flag().optional().meta({ description: 'Whether the stack has its CloudWatch dashboards.', default: DEFAULT_DASHBOARD.enabled }),
  })
  .meta({
    description:
      'A CloudWatch dashboard per stack, ten clusters to a dashboard (aurora-audit-<stack>, then aurora-audit-<stack>_2, ...): each detection\'s count over time, the audit log\'s volume, the state of the alarms, and Logs Insights widgets for failed logins by user and host and for DDL by user.',
  });

/** The Logs Insights queries are saved in each stack (a folder of the console's saved queries) unless turned off. */
const SAVED_QUERIES_DEFAULTS = { enabled: true };

export const savedQueriesSection = z
  .strictObject({
    enabled: flag()
      .optional()
      .meta({ description: 'Whether the stack saves its Logs Insights queries (aurora-audit/<stack>/<engine>/<query>).', default: SAVED_QUERIES_DEFAULTS.enabled }),
  })
  .meta({
    description:
      'The Logs Insights queries each stack saves on its clusters\' audit log groups (who dropped what, failed logins by user and host, privilege changes, one connection\'s rows, the busiest users), in one folder of the console\'s saved queries. Turn them off where a SIEM or a runbook keeps its own: the dashboards and the alert-details links carry their queries in themselves and are unchanged, and GuardDuty\'s message then gives no query name.',
  });

export const guardDutySection = z
  .strictObject({
    enabled: flag()
      .optional()
      .meta({ description: 'Route GuardDuty RDS Protection findings about the stack\'s clusters to its Slack channel.', default: DEFAULT_GUARDDUTY.enabled }),
    enableRdsProtection: flag()
      .optional()
      .meta({
        description:
          'Also turn on the RDS_LOGIN_EVENTS feature on the account\'s existing GuardDuty detector. aurora-audit never creates a detector (the plan fails if the region has none), and removing this never turns the feature off.',
        default: DEFAULT_GUARDDUTY.enableRdsProtection,
      }),
  })
  .meta({
    description:
      'GuardDuty RDS Protection: anomalous successful and failed logins, brute force, malicious IPs and Tor, for the clusters of each stack, to the same channel. Opt in.',
  });

const httpsUrl = freeText(1000).refine((v) => /^https:\/\/[^\s/?#]+[^\s]*$/.test(v), { error: 'is not an https:// URL; Firehose delivers only over HTTPS' });

const bucketArn = z
  .string({ error: (issue) => (issue.input === undefined ? 'the ARN of an existing bucket, arn:aws:s3:::<bucket-name>' : 'expected an S3 bucket ARN in quotes') })
  .regex(S3_BUCKET_ARN, { error: 'is not an S3 bucket ARN; use arn:aws:s3:::<bucket-name>' });
const secretArn = z
  .string({
    error: (issue) =>
      issue.input === undefined
        ? 'the ARN of the Secrets Manager secret that holds the token (arn:aws:secretsmanager:<region>:<account-id>:secret:<name>); the token itself never goes in the config'
        : 'expected a Secrets Manager secret ARN in quotes',
  })
  .regex(SECRET_ARN, { error: 'is not a Secrets Manager secret ARN; use arn:aws:secretsmanager:<region>:<account-id>:secret:<name>. The token itself never goes in the config' });
const backupBucketArn = bucketArn.meta({
  description: 'An existing bucket where Firehose writes the records it could not deliver (failed records only), so that none is lost. The stack\'s Firehose role may write to it and nothing else.',
});

export const pushSection = z
  .discriminatedUnion(
    'to',
    [
      z.strictObject({
        to: z.literal('s3'),
        bucketArn: bucketArn.meta({ description: 'An existing bucket the SIEM reads from. Firehose writes the CloudWatch Logs batches to it, gzip-compressed as CloudWatch Logs sends them.' }),
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9!_.*'()/-]{0,512}$/, { error: 'is not a usable key prefix; use letters, digits and /!_.*\'()-' })
          .optional()
          .meta({ description: 'Where in the bucket. @default - aurora-audit/<stack>/' }),
      }),
      z.strictObject({
        to: z.literal('splunk'),
        endpoint: httpsUrl.meta({ description: 'The Splunk HTTP Event Collector endpoint, such as https://http-inputs-firehose-example.splunkcloud.com:443.' }),
        endpointType: z.enum(['Raw', 'Event'], { error: 'is not a HEC endpoint type; use Raw or Event' }).optional().meta({ description: 'The HEC endpoint type.', default: 'Raw' }),
        secretArn: secretArn.meta({ description: 'The secret holding the HEC token (Firehose reads it from Secrets Manager).' }),
        backupBucketArn,
      }),
      z.strictObject({
        to: z.literal('http'),
        url: httpsUrl.meta({ description: 'The SIEM\'s HTTP endpoint, as Firehose\'s HTTP endpoint destination calls it.' }),
        name: freeText(256).optional().meta({ description: 'A name for the endpoint, shown in the Firehose console. @default - the URL\'s host' }),
        secretArn: secretArn.optional().meta({ description: 'The secret holding the endpoint\'s access key, if it needs one.' }),
        backupBucketArn,
      }),
      z.strictObject({
        to: z.literal('logDestination'),
        destinationArn: z
          .string()
          .regex(LOG_DESTINATION_ARN, { error: 'is not a CloudWatch Logs destination ARN; use arn:aws:logs:<region>:<account-id>:destination:<name>' })
          .meta({ description: 'A CloudWatch Logs destination in a central security account, in the same region. Its access policy must admit this account; the central account decides where the records go.' }),
      }),
    ],
    { error: 'is not a push destination; set to: s3, splunk, http or logDestination' },
  )
  .meta({
    description:
      'Push the audit log of every cluster to a SIEM as it arrives: a subscription filter on each audit log group, then (except for logDestination) an Amazon Data Firehose stream of the stack to S3, Splunk HEC or an HTTP endpoint. Replaced as a whole when set at a nearer level.',
  });

export const siemSection = z
  .strictObject({
    collector: z
      .strictObject({
        principal: z
          .string()
          .regex(IAM_PRINCIPAL_ARN, { error: 'is not an IAM principal ARN; use the SIEM\'s arn:aws:iam::<account-id>:role/<name> (or :user/<name>, or :root)' })
          .meta({ description: 'Who may assume the collector role: the SIEM\'s AWS principal (for USM Anywhere, the role or user its AWS sensor runs as).' }),
        externalId: z
          .string()
          .regex(STS_EXTERNAL_ID, { error: 'is not an external id; use 2-1224 letters, digits and +=,.@:/-' })
          .optional()
          .meta({ description: 'The external id the SIEM sends when it assumes the role. Set it whenever the principal is in another company\'s account.' }),
      })
      .optional()
      .meta({
        description:
          'A read-only role per stack for a SIEM that pulls from CloudWatch Logs (USM Anywhere\'s AWS log collection): logs:Describe*, logs:Get* and logs:FilterLogEvents on the audit log groups, rds:Describe* on the clusters. `aurora-audit handoff` prints what its job needs. Opt in.',
      }),
    pullSchedule: freeText(64)
      .optional()
      .meta({ description: 'The schedule the hand-off sheet suggests for a pulling SIEM.', default: DEFAULT_PULL_SCHEDULE }),
    push: pushSection.optional(),
  })
  .meta({
    description:
      'Hand the audit trail to a SIEM: a collector role for one that pulls (see `aurora-audit handoff`), and a push to one that receives.',
  });

const lockSection = z
  .strictObject({
    mode: z
      .enum(['GOVERNANCE', 'COMPLIANCE'], {
        error: (issue) =>
          ['GOVERNANCE', 'COMPLIANCE'].includes(String(issue.input).toUpperCase())
            ? `is not how S3 spells it: write ${String(issue.input).toUpperCase()}, in capitals`
            : 'is not an Object Lock mode; use GOVERNANCE or COMPLIANCE',
      })
      .optional()
      .meta({
        description:
          'GOVERNANCE: users with s3:BypassGovernanceRetention can still shorten or lift it. COMPLIANCE: nobody can, the root user included, until every object\'s retention has run out.',
        default: DEFAULT_ARCHIVE.objectLockMode,
      }),
    years: z
      .number({ error: 'expected a whole number of years' })
      .int({ error: 'expected a whole number of years' })
      .min(1, { error: 'must be 1 to 100 years' })
      .max(100, { error: 'must be 1 to 100 years' })
      .optional()
      .meta({ description: 'How long each archived object cannot be deleted or overwritten.', default: DEFAULT_ARCHIVE.retentionYears }),
  })
  .meta({ description: 'S3 Object Lock: write-once retention of every archived object.' });

export const archiveSection = z
  .strictObject({
    enabled: flag()
      .optional()
      .meta({
        description:
          'Whether the stack keeps its audit records in an S3 archive. To turn an archive off, set false rather than deleting the section: false forgets the bucket and leaves it standing, where a deleted section plans deleting what protects it (check-plan stops that plan).',
        default: DEFAULT_ARCHIVE.enabled,
      }),
    bucketName: s3BucketNameField()
      .optional()
      .meta({ description: 'The archive bucket\'s name. Bucket names are global. @default - aurora-audit-archive-<account-id>-<region>' }),
    objectLock: lockSection.optional(),
    breakGlassRoleArn: z
      .string()
      .regex(IAM_ROLE_ARN, { error: 'is not an IAM role ARN; use arn:aws:iam::<account-id>:role/<name>' })
      .optional()
      .meta({
        description:
          'The one role the bucket policy lets bypass governance retention, delete object versions, change an object\'s retention or delete the policy. Without it nobody may, an administrator included, until the policy is changed (which raises a tamper alert).',
      }),
    transitions: z
      .array(
        z.strictObject({
          afterDays: z.number({ error: 'expected a whole number of days' }).int({ error: 'expected a whole number of days' }).min(0, { error: 'must be 0 or more days' }),
          storageClass: z.enum(ARCHIVE_STORAGE_CLASSES, { error: `is not an archive storage class; use ${listOf(ARCHIVE_STORAGE_CLASSES)}` }),
        }),
      )
      .max(ARCHIVE_STORAGE_CLASSES.length, { error: `must list at most ${ARCHIVE_STORAGE_CLASSES.length} transitions, one per storage class` })
      .superRefine((transitions, ctx) => {
        transitions.forEach((t, i) => {
          const min = ARCHIVE_MIN_TRANSITION_DAYS[t.storageClass];
          if (t.afterDays < min) ctx.addIssue({ code: 'custom', path: [i, 'afterDays'], input: t.afterDays, message: `is too soon: S3 moves objects to ${t.storageClass} only after ${min} days` });
          const previous = transitions[i - 1];
          if (previous && t.afterDays <= previous.afterDays) {
            ctx.addIssue({ code: 'custom', path: [i, 'afterDays'], input: t.afterDays, message: `must be later than the transition before it (${previous.afterDays} days)` });
          }
          if (previous && ARCHIVE_STORAGE_CLASSES.indexOf(t.storageClass) <= ARCHIVE_STORAGE_CLASSES.indexOf(previous.storageClass)) {
            ctx.addIssue({ code: 'custom', path: [i, 'storageClass'], input: t.storageClass, message: `must be colder than the transition before it (${previous.storageClass}); from warm to cold: ${listOf(ARCHIVE_STORAGE_CLASSES)}` });
          }
        });
      })
      .optional()
      .meta({ description: 'Lifecycle moves to colder storage as records age; [] keeps them in S3 Standard.', default: DEFAULT_ARCHIVE.transitions }),
  })
  .meta({
    description:
      'Keep every audit record in S3 for years, more cheaply than CloudWatch Logs: a subscription filter on each audit log group, an Amazon Data Firehose stream, and a bucket with Object Lock, lifecycle moves to colder storage, and the stack\'s key. The bucket is never destroyed from here: turning the archive off forgets it and leaves it standing.',
  });

export const slackSection = z
  .strictObject({
    teamId: slackTeamId.optional(),
    channelId: slackChannelId.optional(),
    configurationName: z
      .string()
      .regex(CHATBOT_CONFIGURATION_NAME, { error: 'is not a Chatbot configuration name; use 1-128 letters, digits, - and _' })
      .optional()
      .meta({ description: 'The Chatbot channel configuration name; unique in the account. Defaults to aurora-audit-<target name>.' }),
    guardrailPolicyArns: z
      .array(policyArn)
      .min(1, { error: 'must name at least one policy; with none, Chatbot applies AdministratorAccess' })
      .optional()
      .meta({ description: 'Guardrail policies that cap what the channel can do. Defaults to ReadOnlyAccess; AdministratorAccess is refused.' }),
    loggingLevel: z
      .enum(['ERROR', 'INFO', 'NONE'], { error: 'is not a Chatbot logging level; use ERROR, INFO or NONE' })
      .optional()
      .meta({ description: 'What Chatbot logs to CloudWatch Logs.', default: DEFAULT_SLACK.loggingLevel }),
    userAuthorizationRequired: flag()
      .optional()
      .meta({ description: 'Whether Slack users need their own IAM role mapping before running commands.', default: DEFAULT_SLACK.userAuthorizationRequired }),
    logRetentionDays: retentionDays
      .optional()
      .meta({ description: 'Retention of the Chatbot log group /aws/chatbot/<configuration-name> in us-east-1.', default: DEFAULT_SLACK.logRetentionDays }),
  })
  .meta({ description: 'Where alarms go: a Slack channel, through AWS Chatbot (Amazon Q Developer in chat applications).' });

export const notificationsSection = z.strictObject({ slack: slackSection.optional() }).meta({ description: 'Alarm delivery.' });

export const encryptionSection = z
  .discriminatedUnion(
    'mode',
    [
      z.strictObject({
        mode: z.literal('create'),
        deletionWindowDays: z
          .number()
          .int()
          .min(KMS_DELETION_WINDOW_DAYS.min, { error: `must be ${KMS_DELETION_WINDOW_DAYS.min} to ${KMS_DELETION_WINDOW_DAYS.max} days` })
          .max(KMS_DELETION_WINDOW_DAYS.max, { error: `must be ${KMS_DELETION_WINDOW_DAYS.min} to ${KMS_DELETION_WINDOW_DAYS.max} days` })
          .optional()
          .meta({ description: 'Days KMS waits before deleting the key after the stack is destroyed.', default: DEFAULT_ENCRYPTION.deletionWindowDays }),
      }),
      z.strictObject({
        mode: z.literal('key'),
        keyArn: kmsKeyArn.meta({
          description:
            'A customer managed key in the target region. Its policy must let cloudwatch.amazonaws.com use it (kms:Decrypt, kms:GenerateDataKey*) and logs.<region>.amazonaws.com encrypt with it.',
        }),
      }),
      z.strictObject({ mode: z.literal('none') }),
    ],
  )
  .meta({
    description:
      'How the alarm topic and log groups are encrypted: create (default) makes a customer managed KMS key per stack; key uses keyArn; none leaves SNS unencrypted.',
    default: { mode: DEFAULT_ENCRYPTION.mode },
  });

function s3BucketNameField() {
  return z.string().regex(/^(?!xn--)(?!.*\.\.)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'is not an S3 bucket name; use 3-63 lower-case letters, digits, dots and hyphens' });
}
const s3BucketName = s3BucketNameField();

export const backendSection = z
  .discriminatedUnion(
    'type',
    [
      z.strictObject({
        type: z.literal('local'),
        directory: relativePath('directory')
          .optional()
          .meta({ description: 'Where state files go, relative to the directory you run in: <directory>/<stack>.tfstate.', default: DEFAULT_BACKEND.directory }),
      }),
      z.strictObject({
        type: z.literal('s3'),
        bucket: s3BucketName.meta({ description: 'The state bucket.' }),
        keyPrefix: z
          .string()
          .regex(/^[A-Za-z0-9!_.*'()/-]{1,512}$/, { error: 'is not a usable key prefix; use letters, digits and /!_.*\'()-', abort: true })
          .refine((v) => !v.startsWith('/') && !v.split('/').includes('..') && !v.split('/').includes('.'), {
            error: 'must be a relative key prefix without . or .. segments, such as aurora-audit/prod, so that each stack\'s state key stays where it is named',
          })
          .optional()
          .meta({ description: 'State keys are <keyPrefix>/<stack>.tfstate, one per stack.', default: DEFAULT_S3_BACKEND.keyPrefix }),
        region: region.meta({ description: 'The bucket region.' }),
        locking: z
          .enum(['lockfile', 'dynamodb', 'none'], { error: 'is not a locking mode; use lockfile (S3 native, Terraform 1.10+), dynamodb (needs dynamodbTable) or none' })
          .optional()
          .meta({ description: 'State locking.', default: DEFAULT_S3_BACKEND.locking }),
        dynamodbTable: z
          .string()
          .regex(/^[A-Za-z0-9_.-]{3,255}$/, { error: 'is not a DynamoDB table name' })
          .optional()
          .meta({ description: 'The lock table, with locking: dynamodb.' }),
        roleArn: roleArn.optional().meta({ description: 'A role Terraform assumes to reach the state bucket.' }),
        kmsKeyArn: kmsKeyArn.optional().meta({ description: 'A KMS key for server-side encryption of state objects.' }),
      }),
    ],
  )
  .meta({ description: 'Where Terraform keeps state: one state per stack, never shared.', default: { type: DEFAULT_BACKEND.type } });

export const tagsSection = z
  .record(
    z
      .string()
      .regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, { error: 'is not a usable tag key: use 1-128 letters, digits, spaces and _ . : / = + - @', abort: true })
      // AWS reserves the aws: prefix in every letter case (Tagging AWS resources, "Tag naming limits and requirements").
      .refine((k) => !/^aws:/i.test(k), { error: 'starts with aws:, a prefix AWS reserves for its own tags (in any letter case); choose another key' }),
    freeText(256).refine((v) => !/^aws:/i.test(v), { error: 'starts with aws:, a prefix AWS reserves in tag values too (in any letter case); choose another value' }),
  )
  .meta({ description: 'Extra tags on every resource, beside ManagedBy = aurora-audit.' });

export const parameterGroupName = z
  .string()
  .regex(/^(?:default\.[a-z0-9.-]+|[A-Za-z](?!.*--)[A-Za-z0-9-]{0,254}(?<!-))$/, { error: 'is not a cluster parameter group name' });

const parameterValue = z.union([
  freeText(4096),
  z.strictObject({
    value: freeText(4096),
    applyMethod: z.enum(['immediate', 'pending-reboot'], { error: 'is not an apply method; use immediate or pending-reboot' }),
  }),
]);

export const existingParameterGroup = z
  .strictObject({
    name: parameterGroupName.meta({ description: 'The cluster parameter group the cluster uses now.' }),
    parameters: z
      .record(z.string().regex(/^[a-z0-9_.]+$/, { error: 'is not a parameter name' }), parameterValue)
      .optional()
      .meta({
        description:
          'For a custom group: every parameter set in it (Source=user), as `name: value` (applied immediately) or `{value, applyMethod}`; all are kept. For a default group: the engine defaults aurora-audit merges with (shared_preload_libraries).',
      }),
    alsoUsedBy: z
      .array(clusterIdentifier)
      .optional()
      .meta({
        description:
          'Other clusters in this account and region that use the same custom group, as discovery saw them. The audit parameters reach them too; summaries and `plan` name them.',
      }),
    previous: z
      .array(parameterGroupName)
      .optional()
      .meta({
        description:
          'Custom groups the cluster used before, which aurora-audit adopted: Terraform forgets them (removed blocks, destroy = false) and leaves them in AWS. `aurora-audit init` records one when the cluster has moved to another group, as a major version upgrade does.',
      }),
  })
  .meta({
    description:
      'What the cluster has now, recorded by `aurora-audit init`. An adopted cluster with a custom group keeps that group: it is imported and only the audit parameters are added. With a default group (or none recorded), a new group is created, which needs a reboot.',
  });

export const alertDetailsSection = z
  .strictObject({
    enabled: flag()
      .optional()
      .meta({ description: 'Whether a detection alarm is followed in Slack by the lines that raised it (who, from where, which statement). A small Lambda function per stack (in monitoring-account mode, one per region in the monitoring account, reading each account\'s lines through a role the account lends it); the plain alarm reaches Slack either way.', default: DEFAULT_ALERT_DETAILS.enabled }),
    redactStringLiterals: flag()
      .optional()
      .meta({ description: 'Replace every string literal of a statement with *** before it leaves the log. Passwords are always replaced.', default: DEFAULT_ALERT_DETAILS.redactStringLiterals }),
    logRetentionDays: retentionDays
      .optional()
      .meta({ description: 'Retention of the function\'s own log group, /aws/lambda/<function>. It holds no audit records (the function never logs a statement), only what it did. In monitoring-account mode, set it at the top level only.', default: DEFAULT_ALERT_DETAILS.logRetentionDays }),
  })
  .meta({ description: 'The detail message after each detection alarm.' });

/**
 * Each settings section, in one table: the levels of the config that carry it (a cluster, a target, an account of the
 * fleet, a group, the top), its schema, its built-in defaults (config/defaults.ts, or beside the schema for a row of
 * `model: 'settings'`, below), how the nearest level wins, and the
 * `aurora-audit init` flags that set it, and the fields its wizard asks for (`asks`, paths inside the section; each has
 * its question in cli/init/questions.ts, which the compiler holds to this list). The schema's levels below, the
 * "Set at ..." sentences, the reference's "Where" lines and their flag and question notes are derived from it;
 * resolve.ts reads each section at those levels, nearest first, and falls back to these defaults.
 * test/config/sections.test.ts keeps the schema, the defaults, the flags, the questions and the resolver in step.
 *
 * A row with `model: 'settings'` needs nothing more: each stack's model carries it as `settings.<section>`, every field
 * its defaults name resolved from the nearest level that sets it (config/resolve-levels.ts stackSettings), so that a new
 * section of that kind is its row here and the construct that reads it. Its defaults are written beside its schema in
 * this file (as savedQueries' are), so that the section's definition is in one place.
 */
export const SETTINGS_SECTIONS = {
  audit: {
    schema: auditSection,
    levels: ['cluster', 'target', 'account', 'group', 'top'],
    resolves: 'field by field',
    defaults: DEFAULT_AUDIT,
    flags: ['--events', '--log-types', '--audit-retention-days', '--log-retention-days'],
    asks: ['events', 'pgauditLog', 'logTypes', 'retentionDays.audit', 'retentionDays.<other types>'],
  },
  detections: {
    schema: detectionsSection,
    levels: ['cluster', 'target', 'account', 'group', 'top'],
    resolves: 'detection by detection, field by field',
    defaults: 'each detection\'s catalog entry',
    flags: ['--detections', '--threshold', '--period'],
    asks: ['<id>.enabled', '<id>.threshold', '<id>.periodSeconds'],
  },
  notifications: { schema: notificationsSection, levels: ['target', 'account', 'group', 'top'], resolves: 'field by field', defaults: { slack: DEFAULT_SLACK }, flags: ['--slack-team-id', '--slack-channel-id'], asks: ['slack.teamId', 'slack.channelId'] },
  encryption: { schema: encryptionSection, levels: ['target', 'account', 'group', 'top'], resolves: 'as a whole', defaults: DEFAULT_ENCRYPTION, flags: ['--encryption'], asks: ['mode', 'keyArn'] },
  alertDetails: { schema: alertDetailsSection, levels: ['target', 'account', 'group', 'top'], resolves: 'field by field', defaults: DEFAULT_ALERT_DETAILS, flags: [], asks: [] },
  silence: { schema: silenceSection, levels: ['cluster', 'target', 'account', 'group', 'top'], resolves: 'field by field', defaults: DEFAULT_SILENCE, flags: [], asks: [] },
  tampering: { schema: tamperingSection, levels: ['target', 'account', 'group', 'top'], resolves: 'field by field', defaults: DEFAULT_TAMPERING, flags: [], asks: [] },
  guardDuty: { schema: guardDutySection, levels: ['target', 'account', 'group', 'top'], resolves: 'field by field', defaults: DEFAULT_GUARDDUTY, flags: [], asks: [] },
  dashboard: { schema: dashboardSection, levels: ['target', 'account', 'group', 'top'], resolves: 'field by field', defaults: DEFAULT_DASHBOARD, flags: [], asks: [] },
  savedQueries: { schema: savedQueriesSection, levels: ['target', 'account', 'group', 'top'], resolves: 'field by field', defaults: SAVED_QUERIES_DEFAULTS, flags: [], asks: [], model: 'settings' },
  siem: { schema: siemSection, levels: ['target', 'account', 'group', 'top'], resolves: 'key by key', defaults: { pullSchedule: DEFAULT_PULL_SCHEDULE }, flags: [], asks: [] },
  archive: {
    schema: archiveSection,
    levels: ['target', 'account', 'group', 'top'],
    resolves: 'field by field',
    defaults: { enabled: DEFAULT_ARCHIVE.enabled, objectLock: { mode: DEFAULT_ARCHIVE.objectLockMode, years: DEFAULT_ARCHIVE.retentionYears }, transitions: DEFAULT_ARCHIVE.transitions },
    flags: [],
    asks: [],
  },
  tags: { schema: tagsSection, levels: ['target', 'account', 'group', 'top'], resolves: 'merged, the nearest winning key by key', defaults: {}, flags: [], asks: [] },
} as const;

/** The sections the table holds. */
export type SettingsSectionKey = keyof typeof SETTINGS_SECTIONS;

/** Where a section may be set, in words, from the table: what each section's description ends with. */
export function levelsSentence(levels: readonly string[], resolves: string): string {
  const words: Record<string, string> = { top: 'at the top', group: 'per group', account: 'account', target: 'target', cluster: 'cluster' };
  const order = ['top', 'group', 'account', 'target', 'cluster'].filter((l) => levels.includes(l));
  const [first, ...rest] = order.map((l) => words[l]);
  const named = rest.length === 0 ? first : `${first}, ${rest.slice(0, -1).join(', ')}${rest.length > 1 ? ' or ' : ''}${rest.at(-1)}`;
  const how = resolves.startsWith('merged') ? resolves : `the nearest wins, ${resolves}`;
  return `Set ${named}; ${how}.`;
}

export type SettingsLevelName = 'cluster' | 'target' | 'account' | 'group' | 'top';
type Sections = typeof SETTINGS_SECTIONS;
type SectionsAt<L extends SettingsLevelName> = {
  [K in keyof Sections as L extends Sections[K]['levels'][number] ? K : never]: z.ZodOptional<Sections[K]['schema']>;
};

/** The sections a level carries, each optional, in the table's order. */
function sectionsAt<L extends SettingsLevelName>(level: L): SectionsAt<L> {
  return Object.fromEntries(
    Object.entries(SETTINGS_SECTIONS)
      .filter(([, section]) => (section.levels as readonly string[]).includes(level))
      .map(([key, section]) => [key, section.schema.meta({ description: `${section.schema.description ?? ''} ${levelsSentence(section.levels, section.resolves)}`.trim() }).optional()]),
  ) as SectionsAt<L>;
}

export const clusterSchema = z
  .strictObject({
    identifier: clusterIdentifier,
    engine,
    engineVersion,
    family: parameterGroupFamily.optional(),
    attach,
    parameterGroup: existingParameterGroup.optional(),
    existingLogGroups: z
      .array(logType)
      .optional()
      .meta({ description: 'Log types whose /aws/rds/cluster/<id>/<type> group RDS already created; they are imported, not re-created.' }),
    ...sectionsAt('cluster'),
  })
  .meta({ description: 'An Aurora cluster to audit.' });

export const retiredSchema = z
  .strictObject({
    accountId,
    region,
    identifier: clusterIdentifier.meta({ description: 'The cluster that left the config.' }),
    stack: stackName.optional().meta({ description: 'The stack it was in. @default - <accountId>-<region>' }),
    roleArn: roleArn.optional().meta({ description: 'The role of its target, when the whole target left the config.' }),
    attach: attach.optional().meta({ description: 'How it was attached.' }),
    engine: engine.optional().meta({ description: 'Its engine (init records it): the stack then forgets only the log groups that engine has. @default - the log groups of every engine' }),
    parameterGroup: parameterGroupName
      .optional()
      .meta({ description: 'The cluster parameter group it used. A group of its own that it kept is forgotten with it, never destroyed.' }),
    existingLogGroups: z
      .array(logType)
      .optional()
      .meta({ description: 'Log groups that existed before aurora-audit; they are forgotten, never deleted, whatever keepLogsOnDestroy says.' }),
  })
  .meta({
    description:
      'A cluster taken out of the config (`init` moves it here). Terraform forgets what aurora-audit adopted or attached to it (removed blocks, destroy = false) and leaves it standing; alarms and topics it made may go; audit log groups stay.',
  });

export const targetSchema = z
  .strictObject({
    name: stackName.optional(),
    accountId,
    region,
    roleArn: roleArn.optional(),
    ...sectionsAt('target'),
    clusters: z.array(clusterSchema).min(1, { error: 'must list at least one cluster' }),
  })
  .meta({ description: 'One AWS account and region: one Terraform stack, with its own state.' });

// ---------------------------------------------------------------------------------------------------------------
// The fleet shape: accounts with the regions they span, and groups of shared defaults. A stack per account × region,
// as with targets; resolve.ts expands them and reports every problem at the place it is written.

/** What an account, a group or the top level may set for the stacks below it; the nearest level wins, field by field. */
const sharedSettings = {
  role: z
    .string()
    .regex(/^(?:arn:aws(?:-cn|-us-gov)?:iam::\d{12}:role\/)?[\w+=,.@\-/]{1,512}$/, { error: 'is not an IAM role; give a role name such as aurora-audit-deploy (it is looked up in each account) or a role ARN' })
    .optional()
    .meta({ description: "The role Terraform assumes in each account: a name (arn:<partition>:iam::<account>:role/<name> is built for every account) or a full ARN. Targets' roleArn wins over it." }),
  attach: z
    .enum(['adopt', 'external'], { error: 'is not an attach mode; use adopt or external' })
    .optional()
    .meta({ description: 'How the clusters below are attached when they do not say: adopt or external (see a cluster\'s attach).' }),
  ...sectionsAt('group'),
};

export const groupName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'is not a group name; use lower-case letters, digits and hyphens' });

/** A cluster under accounts: its family alone (`payments: aurora-mysql8.0`), or the cluster's fields without its identifier. */
export const accountClusterSchema = z
  .union(
    [
      parameterGroupFamily,
      z.strictObject({
        engine: engine.optional(),
        engineVersion: engineVersion.optional(),
        family: parameterGroupFamily.optional(),
        attach: attach.optional(),
        parameterGroup: existingParameterGroup.optional(),
        existingLogGroups: z.array(logType).optional(),
        ...sectionsAt('cluster'),
      }),
    ],
    { error: 'expected a parameter group family such as aurora-mysql8.0, or the cluster\'s fields (family or engine and engineVersion, attach, ...)' },
  )
  .meta({
    description:
      'A cluster, by its identifier: its family alone (payments: aurora-mysql8.4), which gives the engine and major version, or a mapping with the fields of a target\'s cluster (family, or engine and engineVersion; attach; parameterGroup; existingLogGroups; audit; detections). attach comes from the nearest level that sets it.',
  });

export const accountSchema = z
  .strictObject({
    id: accountId,
    name: stackName
      .optional()
      .meta({ description: 'A short name for the account. Its stacks are <name>-<region>. @default - the account id' }),
    group: groupName.optional().meta({ description: 'The group (under groups) whose defaults this account takes.' }),
    ...sharedSettings,
    regions: z
      .record(region, z.record(clusterIdentifier, accountClusterSchema))
      .refine((r) => Object.keys(r).length > 0, { error: 'must list at least one region with its clusters' })
      .meta({ description: 'The regions of this account, each with its clusters by identifier: one stack (and state) per region.' }),
  })
  .meta({ description: 'One AWS account and the regions it spans: a stack per region.' });

export const groupSchema = z
  .strictObject(sharedSettings)
  .meta({ description: 'Defaults shared by the accounts that name this group; an account overrides them field by field, and they override the top level.' });

export const monitoringSection = z
  .strictObject({
    accountId: accountId.meta({ description: 'The monitoring account: it holds the alarms, their topic and the one Slack channel configuration of the fleet.' }),
    role: sharedSettings.role.meta({ description: 'The role Terraform assumes in the monitoring account: a name or an ARN in that account. @default - the top-level role' }),
    sharingRole: z
      .enum(['create', 'adopt', 'existing'], { error: 'is not a sharing role mode; use create, adopt or existing' })
      .optional()
      .meta({
        description:
          'create: each source account gets the CloudWatch-CrossAccountSharingRole, trusting the monitoring account to read metrics, in its account stack (account-<id>). adopt: the role exists (a region stack of aurora-audit 0.2 made it): each account stack imports it, and manages it from then on; set create again once every account stack is applied. existing: it is there already (CloudWatch settings, "Share your CloudWatch data", or a StackSet), and aurora-audit leaves it alone.',
        default: 'create',
      }),
    notifications: notificationsSection.optional().meta({ description: 'The Slack channel of the fleet. @default - the top-level notifications' }),
    encryption: encryptionSection.optional(),
    tags: tagsSection.optional(),
  })
  .meta({
    description:
      'One Slack authorization for the fleet: metric filters stay in each account, while the alarms (on those metrics, across accounts), their topic and one Chatbot channel configuration per region live in the monitoring account, in a stack monitoring-<region>. Without it, each account alarms on its own.',
  });

export const profileName = z
  .string()
  .regex(/^[\w.@+=,-]{1,64}$/, { error: 'is not an AWS profile name' })
  .meta({ description: 'The AWS profile `aurora-audit init` and `discover` use to look for clusters. Synthesis and deployment never read it.' });

export const roleName = z
  .string()
  .regex(/^(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/, { error: 'is not an IAM role name; give the name alone, such as aurora-audit-deploy (with its path if it has one: ops/aurora-audit-deploy)' })
  .meta({ description: 'An IAM role name, the same in every account.' });

/** A tag a cluster must carry to be chosen: key and value, as RDS lists them. */
export const clusterTagSelector = z
  .record(
    z.string().regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u, { error: 'is not a tag key: use 1-128 letters, digits, spaces and _ . : / = + - @' }),
    freeText(256),
  )
  .refine((tags) => Object.keys(tags).length > 0, { error: 'must name at least one tag, or be left out' });

export const discoverySection = z
  .strictObject({
    profile: profileName.optional(),
    organization: z
      .strictObject({
        role: roleName.meta({ description: 'The role discovery assumes in each account of the organization (and that the stacks deploy with, unless role says otherwise).' }),
      })
      .optional()
      .meta({
        description:
          'Walk the AWS Organization: `init` and `sync` list its active accounts (from the management account or a delegated administrator) and look in each, through this role, at most 16 account-regions at a time.',
      }),
    tags: clusterTagSelector
      .optional()
      .meta({ description: 'Choose every cluster that carries all of these tags (audit: required), beside the clusters listed by name. `sync` adds new ones as they appear.' }),
  })
  .meta({ description: 'How `aurora-audit init` and `discover` reach AWS. Ignored by synth and deploy, which use the provider settings of each target.' });

const { tags: TOP_TAGS, ...TOP_SECTIONS } = sectionsAt('top');

export const configSchema = z
  .strictObject({
    version: z.literal(1, { error: 'must be 1, the only config version so far' }).meta({ description: 'Config format version.' }),
    discovery: discoverySection.optional(),
    ...TOP_SECTIONS,
    // backend before tags, as the keys have always been listed (in "allowed here" and the reference).
    backend: backendSection.optional(),
    tags: TOP_TAGS,
    retired: z.array(retiredSchema).optional().meta({ description: 'Clusters that left the config: forgotten by Terraform, never destroyed.' }),
    customDetections: z
      .array(customDetectionSchema)
      .optional()
      .meta({ description: 'Detections of your own, beside the catalog. Turn them off or tune them per target or cluster under detections.<id>.' }),
    role: sharedSettings.role,
    attach: sharedSettings.attach,
    monitoring: monitoringSection.optional(),
    groups: z.record(groupName, groupSchema).optional().meta({ description: 'Named sets of defaults that accounts take with group: <name>.' }),
    accounts: z
      .array(accountSchema)
      .min(1, { error: 'must list at least one account, or be left out' })
      .optional()
      .meta({ description: 'The fleet: each account with its regions and clusters. A stack per account × region, beside any targets.' }),
    targets: z
      .array(targetSchema)
      .min(1, { error: 'must list at least one target, or be left out when accounts lists the fleet' })
      .optional()
      .meta({ description: 'Stacks written one by one: an account and region each. Use accounts for a fleet.' }),
  })
  .superRefine((config, ctx) => {
    if (config.targets === undefined && config.accounts === undefined) {
      ctx.addIssue({ code: 'custom', path: ['targets'], message: 'is required: list the clusters under accounts (a fleet) or targets (stack by stack)', input: undefined });
    }
  })
  .meta({
    title: 'aurora-audit configuration',
    // What the superRefine above says, for editors: the clusters are under accounts, targets, or both.
    anyOf: [{ required: ['accounts'] }, { required: ['targets'] }],
    description: 'Aurora Advanced Auditing, log export and Slack alarms, per AWS account and region. Top-level sections are defaults that targets and clusters override.',
  });

export type ConfigInput = z.infer<typeof configSchema>;
export type TargetInput = NonNullable<ConfigInput['targets']>[number];
export type AccountInput = NonNullable<ConfigInput['accounts']>[number];
export type GroupInput = z.infer<typeof groupSchema>;
export type AccountClusterInput = z.infer<typeof accountClusterSchema>;
export type ClusterInput = TargetInput['clusters'][number];
export type AuditInput = z.infer<typeof auditSection>;
export type DetectionsInput = z.infer<typeof detectionsSection>;
export type CustomDetectionInput = z.infer<typeof customDetectionSchema>;
export type SlackInput = z.infer<typeof slackSection>;
export type EncryptionInput = z.infer<typeof encryptionSection>;
export type SilenceInput = z.infer<typeof silenceSection>;
export type SiemInput = z.infer<typeof siemSection>;
export type PushInput = z.infer<typeof pushSection>;
export type ArchiveInput = z.infer<typeof archiveSection>;
export type BackendInput = z.infer<typeof backendSection>;
export type RetiredInput = z.infer<typeof retiredSchema>;
export type MonitoringInput = z.infer<typeof monitoringSection>;
export type ExistingParameterGroupInput = z.infer<typeof existingParameterGroup>;

/** The JSON Schema editors use (written to aurora-audit.schema.json by `npm run generate`). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { target: 'draft-7', unrepresentable: 'any' }) as Record<string, unknown>;
}
