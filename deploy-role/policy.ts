/**
 * The deploy role's permissions, from the config's model and the stacks synthesized from it: the grants of every
 * resource type the stacks hold (./actions.ts), scoped to the config's clusters and to the names aurora-audit gives,
 * and explicit denies that hold whatever else the role is given.
 *
 * The account in every ARN is `*`: one document serves every account, which a StackSet needs. An identity policy
 * reaches another account's resource only where that resource's own policy names the role (docs/facts.md), and none
 * of aurora-audit's does, so the role acts in its own account alone. Regions are held to the config's by one deny.
 * Documents are split to IAM's 6,144 characters of a managed policy (white space not counted).
 */
import { ENGINES } from '../config/aws';
import type { AuditModel } from '../config/model';
import { ALARM_NAME_PREFIX, ARCHIVE_BUCKET_PREFIX, OWN_NAME_PREFIX, OWN_PARAMETER_GROUP_PREFIX } from '../config/names';
import { DEPLOY_GRANTS, PROVIDER_GRANTS, type Grant, type Scope } from './actions';
import { MANAGED_POLICY_MAX_CHARACTERS, policySize } from './documents';

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: 'Allow' | 'Deny';
  /** In a trust policy only. */
  readonly Principal?: Readonly<Record<string, string>>;
  readonly Action?: readonly string[];
  readonly NotAction?: readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

/** The deploy role's name when the config names none (the one the README's examples assume). */
export const DEFAULT_DEPLOY_ROLE_NAME = `${OWN_NAME_PREFIX}deploy`;

/** The tag every resource of a stack carries (the provider's default tags): how a KMS key is told to be ours. */
export const MANAGED_BY_TAG = { key: 'ManagedBy', value: 'aurora-audit' } as const;

/** Services whose calls are global, or made in a region of their own: the region deny leaves them out. */
const GLOBAL_SERVICES = ['iam:*', 'sts:*', 'chatbot:*', 'cloudwatch:PutDashboard', 'cloudwatch:GetDashboard', 'cloudwatch:DeleteDashboards'] as const;

/** What the role's names and the config give each scope. */
export interface DeployScope {
  readonly partition: string;
  /** Every cluster of the config (adopted or external: its log groups and alarms are aurora-audit's either way). */
  readonly clusters: readonly string[];
  /** Custom parameter groups the config's clusters already had, adopted. */
  readonly adoptedParameterGroups: readonly string[];
  /** Clusters whose audit log group outlives the stack (keepLogsOnDestroy, the default). */
  readonly keptAuditLogs: readonly string[];
  /** Chatbot configurations named otherwise than aurora-audit-*, and the roles and guardrails named after them. */
  readonly slackChannels: readonly string[];
  /** Every region a stack's provider works in (Chatbot's API regions included). */
  readonly regions: readonly string[];
}

/** The resource types the stacks hold, and the names and regions they use. */
export function deployScope(model: AuditModel, stacks: ReadonlyMap<string, Record<string, any>>): { scope: DeployScope; types: string[] } {
  const clusters = model.stacks.flatMap((s) => s.clusters);
  const types = new Set<string>();
  const regions = new Set<string>();
  const partitions = new Set<string>();
  const channels = new Set<string>();
  for (const json of stacks.values()) {
    for (const type of Object.keys(json.resource ?? {})) types.add(type);
    for (const provider of json.provider?.aws ?? []) if (provider.region) regions.add(provider.region);
    for (const channel of Object.values<Record<string, unknown>>(json.resource?.aws_chatbot_slack_channel_configuration ?? {})) {
      const name = String(channel.configuration_name);
      if (!name.startsWith(OWN_NAME_PREFIX)) channels.add(name);
    }
  }
  for (const s of model.stacks) partitions.add(s.partition);
  // bootstrap refuses such a config first, naming the partitions (cli/bootstrap.ts).
  if (partitions.size > 1) throw new Error(`deployScope: the stacks are in ${[...partitions].join(' and ')}; one policy serves one partition`);
  const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
  return {
    types: sorted(types),
    scope: {
      partition: [...partitions][0] ?? 'aws',
      clusters: sorted(clusters.map((c) => c.identifier)),
      adoptedParameterGroups: sorted(clusters.filter((c) => c.parameterGroup.mode === 'adopt').map((c) => c.parameterGroup.name).filter((n) => !n.startsWith(OWN_PARAMETER_GROUP_PREFIX))),
      keptAuditLogs: sorted(clusters.filter((c) => c.audit.keepLogsOnDestroy).map((c) => c.identifier)),
      slackChannels: sorted(channels),
      regions: sorted(regions),
    },
  };
}

const ACCOUNT = '*';
/** Any name aurora-audit gives. */
const OWN = `${OWN_NAME_PREFIX}*`;

/** The ARNs of a scope. */
export function scopeArns(scopeName: Scope, s: DeployScope): string[] {
  const p = s.partition;
  switch (scopeName) {
    case 'any':
      return ['*'];
    case 'clusters':
      return s.clusters.map((id) => `arn:${p}:rds:*:${ACCOUNT}:cluster:${id}`);
    case 'ownParameterGroups':
      return [`arn:${p}:rds:*:${ACCOUNT}:cluster-pg:${OWN_PARAMETER_GROUP_PREFIX}*`];
    case 'adoptedParameterGroups':
      return s.adoptedParameterGroups.map((name) => `arn:${p}:rds:*:${ACCOUNT}:cluster-pg:${name}`);
    case 'clusterLogGroups':
      return s.clusters.map((id) => `arn:${p}:logs:*:${ACCOUNT}:log-group:/aws/rds/cluster/${id}/*`);
    case 'serviceLogGroups':
      // The detail function's, and Chatbot's (named after its configuration).
      return [
        `arn:${p}:logs:*:${ACCOUNT}:log-group:/aws/lambda/${OWN}`,
        `arn:${p}:logs:*:${ACCOUNT}:log-group:/aws/chatbot/${OWN}`,
        ...s.slackChannels.map((c) => `arn:${p}:logs:*:${ACCOUNT}:log-group:/aws/chatbot/${c}`),
      ];
    case 'alarms':
      return [`arn:${p}:cloudwatch:*:${ACCOUNT}:alarm:${ALARM_NAME_PREFIX}*`];
    case 'dashboards':
      return [`arn:${p}:cloudwatch::${ACCOUNT}:dashboard/${OWN}`];
    case 'rules':
      return [`arn:${p}:events:*:${ACCOUNT}:rule/${OWN}`];
    case 'topics':
      return [`arn:${p}:sns:*:${ACCOUNT}:${OWN}`];
    case 'keys':
      return [`arn:${p}:kms:*:${ACCOUNT}:key/*`];
    case 'aliases':
      return [`arn:${p}:kms:*:${ACCOUNT}:alias/${OWN}`];
    case 'roles':
      return [`arn:${p}:iam::${ACCOUNT}:role/${OWN}`, ...s.slackChannels.map((c) => `arn:${p}:iam::${ACCOUNT}:role/${c}-chatbot*`)];
    case 'policies':
      return [`arn:${p}:iam::${ACCOUNT}:policy/${OWN}`, ...s.slackChannels.map((c) => `arn:${p}:iam::${ACCOUNT}:policy/${c}-guardrail*`)];
    case 'functions':
      return [`arn:${p}:lambda:*:${ACCOUNT}:function:${OWN}`];
    case 'streams':
      return [`arn:${p}:firehose:*:${ACCOUNT}:deliverystream/${OWN}`];
    case 'archiveBucket':
      return [`arn:${p}:s3:::${ARCHIVE_BUCKET_PREFIX}${ACCOUNT}-*`];
    case 'slackChannels':
      return [`arn:${p}:chatbot::${ACCOUNT}:chat-configuration/slack-channel/${OWN}`, ...s.slackChannels.map((c) => `arn:${p}:chatbot::${ACCOUNT}:chat-configuration/slack-channel/${c}`)];
    case 'detectors':
      return [`arn:${p}:guardduty:*:${ACCOUNT}:detector/*`];
  }
}

const SID_WORDS: Record<Scope, string> = {
  any: 'Unscoped',
  clusters: 'Clusters',
  ownParameterGroups: 'OwnParameterGroups',
  adoptedParameterGroups: 'AdoptedParameterGroups',
  clusterLogGroups: 'ClusterLogGroups',
  serviceLogGroups: 'ServiceLogGroups',
  alarms: 'Alarms',
  dashboards: 'Dashboards',
  rules: 'Rules',
  topics: 'Topics',
  keys: 'Keys',
  aliases: 'Aliases',
  roles: 'Roles',
  policies: 'Policies',
  functions: 'Functions',
  streams: 'Streams',
  archiveBucket: 'ArchiveBucket',
  slackChannels: 'SlackChannels',
  detectors: 'Detectors',
};

/** The grants the stacks need: their resource types', and the provider's own. */
export function grantsFor(types: readonly string[]): Grant[] {
  const unknown = types.filter((t) => !(t in DEPLOY_GRANTS));
  // A resource type without grants would be a deploy that fails half-way: refused, so the table grows with the stacks.
  if (unknown.length) throw new Error(`the deploy role has no grants for ${unknown.join(', ')} (deploy-role/actions.ts)`);
  return [...PROVIDER_GRANTS, ...types.flatMap((t) => DEPLOY_GRANTS[t])];
}

/** The allow statements: grants merged by the scopes they act on, each scope's ARNs once. */
export function allowStatements(grants: readonly Grant[], s: DeployScope): PolicyStatement[] {
  const byScopes = new Map<string, { on: readonly Scope[]; actions: Set<string> }>();
  for (const grant of grants) {
    const on = [...grant.on].sort();
    // A scope with no ARN (no adopted group) leaves nothing to grant on.
    if (on.some((scopeName) => scopeArns(scopeName, s).length === 0)) continue;
    const key = on.join('+');
    const entry = byScopes.get(key) ?? { on, actions: new Set<string>() };
    for (const action of grant.actions) entry.actions.add(action);
    byScopes.set(key, entry);
  }
  return [...byScopes.values()]
    .sort((a, b) => a.on.join('+').localeCompare(b.on.join('+')))
    .map(({ on, actions }) => {
      const resources = [...new Set(on.flatMap((scopeName) => scopeArns(scopeName, s)))];
      // A key's ARN names no owner: only the keys tagged as aurora-audit's.
      const tagged = on.includes('keys') ? { Condition: { StringEquals: { [`aws:ResourceTag/${MANAGED_BY_TAG.key}`]: MANAGED_BY_TAG.value } } } : {};
      return { Sid: `Allow${on.map((scopeName) => SID_WORDS[scopeName]).join('And')}`, Effect: 'Allow' as const, Action: [...actions].sort(), Resource: resources.length === 1 ? resources[0] : resources, ...tagged };
    });
}

/** The explicit denies: what no grant, however broad, may let the role do. */
export interface DenyOptions {
  /** AWS managed policies a role may still be given (the config's Chatbot guardrails that are AWS managed). */
  readonly guardrailAllowlist?: readonly string[];
  /** The deploy role's own name: it may not change itself or its policies, though they match aurora-audit-*. */
  readonly deployRoleName?: string;
}

export function denyStatements(s: DeployScope, options: DenyOptions = {}): PolicyStatement[] {
  const p = s.partition;
  const auditLogTypes = [...new Set(Object.values(ENGINES).map((e) => e.auditLogType))].sort();
  const keptLogs = s.keptAuditLogs.length === s.clusters.length ? ['*'] : s.keptAuditLogs;
  const ownIam = [...scopeArns('roles', s), ...scopeArns('policies', s)];
  const iamWrites = [
    'iam:CreateRole',
    'iam:DeleteRole',
    'iam:UpdateRole',
    'iam:UpdateAssumeRolePolicy',
    'iam:PutRolePolicy',
    'iam:DeleteRolePolicy',
    'iam:AttachRolePolicy',
    'iam:DetachRolePolicy',
    'iam:PutRolePermissionsBoundary',
    'iam:DeleteRolePermissionsBoundary',
    'iam:TagRole',
    'iam:UntagRole',
    'iam:CreatePolicy',
    'iam:DeletePolicy',
    'iam:CreatePolicyVersion',
    'iam:DeletePolicyVersion',
    'iam:SetDefaultPolicyVersion',
  ];
  const self = options.deployRoleName ?? DEFAULT_DEPLOY_ROLE_NAME;
  return [
    {
      Sid: 'DenyDatabaseLossOrReboot',
      Effect: 'Deny',
      Action: ['rds:DeleteDBCluster', 'rds:DeleteDBInstance', 'rds:DeleteGlobalCluster', 'rds:RebootDBCluster', 'rds:RebootDBInstance', 'rds:StopDBCluster', 'rds:FailoverDBCluster'],
      Resource: '*',
    },
    { Sid: 'DenyKeyDeletion', Effect: 'Deny', Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey', 'kms:DeleteImportedKeyMaterial'], Resource: '*' },
    ...(keptLogs.length
      ? [
          {
            Sid: 'DenyAuditLogDeletion',
            Effect: 'Deny' as const,
            Action: ['logs:DeleteLogGroup'],
            Resource: keptLogs.flatMap((id) => auditLogTypes.map((type) => `arn:${p}:logs:*:*:log-group:/aws/rds/cluster/${id}/${type}`)),
          },
        ]
      : []),
    {
      Sid: 'DenyArchiveLoss',
      Effect: 'Deny',
      // The role never writes an object's retention (the bucket's default lock applies to what Firehose writes), so it
      // may not shorten one. IAM has no condition key on a bucket's default retention (PutBucketObjectLockConfiguration):
      // a shorter default is check-plan's to refuse.
      Action: ['s3:DeleteBucket', 's3:DeleteBucketPolicy', 's3:BypassGovernanceRetention', 's3:DeleteObject', 's3:DeleteObjectVersion', 's3:PutObjectRetention'],
      Resource: [`arn:${p}:s3:::${ARCHIVE_BUCKET_PREFIX}*`, `arn:${p}:s3:::${ARCHIVE_BUCKET_PREFIX}*/*`],
    },
    { Sid: 'DenyIamOutsideOwnNames', Effect: 'Deny', Action: iamWrites, NotResource: ownIam },
    // The role is named like the roles it makes: it may not widen its own trust or permissions.
    { Sid: 'DenyChangingItself', Effect: 'Deny', Action: iamWrites, Resource: [`arn:${p}:iam::*:role/${self}`, `arn:${p}:iam::*:policy/${self}-*`] },
    {
      Sid: 'DenyAwsManagedPolicies',
      Effect: 'Deny',
      Action: ['iam:AttachRolePolicy'],
      Resource: '*',
      Condition: {
        ArnLike: { 'iam:PolicyARN': `arn:${p}:iam::aws:policy/*` },
        ...(options.guardrailAllowlist?.length ? { ArnNotEquals: { 'iam:PolicyARN': [...options.guardrailAllowlist].sort() } } : {}),
      },
    },
    {
      Sid: 'DenyOtherRegions',
      Effect: 'Deny',
      NotAction: [...GLOBAL_SERVICES],
      Resource: '*',
      Condition: { StringNotEquals: { 'aws:RequestedRegion': [...s.regions] } },
    },
  ];
}

/**
 * The deploy role's policy documents: the denies first, then the allows, split where a document would pass IAM's
 * limit for a managed policy. A statement whose resources alone pass it is cut into several.
 */
export function deployRolePolicies(grants: readonly Grant[], s: DeployScope, options: DenyOptions = {}): PolicyDocument[] {
  const statements = [...denyStatements(s, options), ...allowStatements(grants, s)].flatMap(fitStatement);
  const documents: PolicyStatement[][] = [[]];
  for (const statement of statements) {
    const current = documents[documents.length - 1];
    if (current.length > 0 && policySize({ Version: '2012-10-17', Statement: [...current, statement] }) > MANAGED_POLICY_MAX_CHARACTERS) documents.push([statement]);
    else current.push(statement);
  }
  return documents.map((Statement) => ({ Version: '2012-10-17', Statement }));
}

/** A statement small enough for one document: one whose resources pass the limit is cut by resources. */
function fitStatement(statement: PolicyStatement): PolicyStatement[] {
  if (policySize({ Version: '2012-10-17', Statement: [statement] }) <= MANAGED_POLICY_MAX_CHARACTERS) return [statement];
  const list = statement.Resource ?? statement.NotResource;
  if (!Array.isArray(list) || list.length < 2 || statement.NotResource) throw new Error(`statement ${statement.Sid} does not fit in one managed policy`);
  const half = Math.ceil(list.length / 2);
  return [
    ...fitStatement({ ...statement, Sid: `${statement.Sid}1`, Resource: list.slice(0, half) }),
    ...fitStatement({ ...statement, Sid: `${statement.Sid}2`, Resource: list.slice(half) }),
  ];
}
