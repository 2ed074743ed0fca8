/**
 * The flags of `aurora-audit init`: one entry per question, with the config key it sets. Kept free of the schema
 * and the SDK, so that `--help` loads fast; ./flags.ts parses and checks them with the schema's own rules.
 */
import { DEFAULT_AUDIT, DEFAULT_BACKEND, DEFAULT_ENCRYPTION, DEFAULT_S3_BACKEND } from '../../config/defaults';
import { DETECTION_IDS } from '../../detections';

export interface FlagSpec {
  /** Commander syntax: `--regions <list>`. */
  readonly flag: string;
  /** The config key it sets, for --help and the reference. */
  readonly configKey: string;
  readonly description: string;
  /** Repeatable flags collect every occurrence. */
  readonly repeatable?: boolean;
}

export const INIT_FLAGS = {
  profile: { flag: '--profile <name>', configKey: 'discovery.profile', description: 'AWS profile to discover with (default: the default credential chain)' },
  accountId: { flag: '--account-id <id>', configKey: 'targets[].accountId', description: 'AWS account of the clusters (default: the account the identity resolves to)' },
  roleArn: { flag: '--role-arn <arn>', configKey: 'targets[].roleArn', description: 'IAM role to assume in that account, for discovery and for Terraform' },
  regions: { flag: '--regions <list>', configKey: 'targets[].region', description: 'regions to look in, comma-separated (default: the current region)' },
  account: {
    flag: '--account <spec>',
    configKey: 'targets[]',
    description: 'another account, as "id=<account-id>;role=<role-arn>;regions=<r1>,<r2>;slack=<channel-id>" (repeatable; slack: a channel of its own)',
    repeatable: true,
  },
  organization: {
    flag: '--organization <role-name>',
    configKey: 'discovery.organization.role',
    description: 'walk the AWS Organization: list its active accounts and look in each through this role (a name, the same in every account)',
  },
  tag: {
    flag: '--tag <key=value>',
    configKey: 'discovery.tags',
    description: 'choose every cluster carrying this tag, e.g. audit=required (repeatable: all must match)',
    repeatable: true,
  },
  clusters: {
    flag: '--clusters <list>',
    configKey: 'targets[].clusters[].identifier',
    description: 'clusters to audit, comma-separated: <id>, <region>/<id> or <account>/<region>/<id>, each optionally :adopt or :external; "all" takes every supported one found',
  },
  engineVersion: {
    flag: '--engine-version <id=version>',
    configKey: 'targets[].clusters[].engineVersion',
    description: 'engine version of a cluster discovery cannot see, e.g. orders-db=8.0 (repeatable)',
    repeatable: true,
  },
  attach: { flag: '--attach <mode>', configKey: 'targets[].clusters[].attach', description: 'adopt (import the cluster) or external (other Terraform owns it) (default: adopt)' },
  events: { flag: '--events <list>', configKey: 'audit.events', description: `audit events, comma-separated (default: ${DEFAULT_AUDIT.events.join(',')})` },
  logTypes: { flag: '--log-types <list>', configKey: 'audit.logTypes', description: `log types to export, comma-separated (default: ${DEFAULT_AUDIT.logTypes['aurora-mysql'].join(',')} on Aurora MySQL, ${DEFAULT_AUDIT.logTypes['aurora-postgresql'].join(',')} on Aurora PostgreSQL)` },
  auditRetentionDays: { flag: '--audit-retention-days <days>', configKey: 'audit.retentionDays.audit', description: `days to keep the audit log (default: ${DEFAULT_AUDIT.retentionDays.audit})` },
  otherRetentionDays: { flag: '--log-retention-days <days>', configKey: 'audit.retentionDays.<other types>', description: 'days to keep the other logs (default: per type)' },
  detections: { flag: '--detections <list>', configKey: 'detections.<id>.enabled', description: `detections to turn on, comma-separated, or none (of ${DETECTION_IDS.join(', ')})` },
  threshold: {
    flag: '--threshold <id=count>',
    configKey: 'detections.<id>.threshold',
    description: 'alarm at this many matches per period, e.g. failed-connections=10 (repeatable)',
    repeatable: true,
  },
  period: {
    flag: '--period <id=seconds>',
    configKey: 'detections.<id>.periodSeconds',
    description: 'length of one alarm period, e.g. failed-connections=300 (repeatable)',
    repeatable: true,
  },
  encryption: { flag: '--encryption <mode>', configKey: 'encryption', description: `create (a new KMS key per stack), none, or the ARN of a key to use (default: ${DEFAULT_ENCRYPTION.mode})` },
  backend: { flag: '--backend <type>', configKey: 'backend.type', description: `local or s3 (default: ${DEFAULT_BACKEND.type})` },
  stateBucket: { flag: '--state-bucket <name>', configKey: 'backend.bucket', description: 'S3 bucket for state' },
  stateRegion: { flag: '--state-region <region>', configKey: 'backend.region', description: 'region of the state bucket' },
  stateKeyPrefix: { flag: '--state-key-prefix <prefix>', configKey: 'backend.keyPrefix', description: `state key prefix (default: ${DEFAULT_S3_BACKEND.keyPrefix})` },
  stateLocking: { flag: '--state-locking <mode>', configKey: 'backend.locking', description: `lockfile, dynamodb or none (default: ${DEFAULT_S3_BACKEND.locking})` },
  stateLockTable: { flag: '--state-lock-table <name>', configKey: 'backend.dynamodbTable', description: 'DynamoDB lock table, with --state-locking dynamodb' },
  slackTeamId: { flag: '--slack-team-id <id>', configKey: 'notifications.slack.teamId', description: 'Slack workspace id authorized in the Chatbot console (T...)' },
  slackChannelId: { flag: '--slack-channel-id <id>', configKey: 'notifications.slack.channelId', description: 'Slack channel id (C...)' },
} as const satisfies Record<string, FlagSpec>;

export type FlagName = keyof typeof INIT_FLAGS;

/** The flag's option name as commander stores it: --account-id → accountId. */
export function flagLong(name: FlagName): string {
  return INIT_FLAGS[name].flag.split(' ')[0];
}
