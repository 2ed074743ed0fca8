/**
 * `aurora-audit bootstrap`: the deploy role of every account, from the config. It synthesizes the config's stacks (in a
 * temporary directory, removed after) to learn what they hold, and writes to --out:
 * - deploy-role-policy.json (or -1.json, -2.json, ... when IAM's 6,144 characters do not hold it): the permissions;
 * - deploy-role-trust.json (a named role, or one account), else deploy-role-trust-<account>.json for each account;
 * - deploy-role-stackset.yaml: the CloudFormation template a service-managed StackSet deploys to every account;
 * - discover-policy.json and organization-policy.json: what init, sync and discover need, and the organization walk.
 * Every flag problem names the flag, the value and what is allowed, exits 2 and writes nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../config/load';
import { DEFAULT_DEPLOY_ROLE_NAME, deployRolePolicies, deployScope, grantsFor, type PolicyDocument } from '../deploy-role/policy';
import { discoveryPolicy, organizationPolicy } from '../deploy-role/read-only';
import { stacksetTemplate } from '../deploy-role/stackset';
import { CI_KINDS, DEFAULT_GITLAB_HOST, trustPolicy, type CiTrust } from '../deploy-role/trust';
import { MANAGED_POLICIES_PER_ROLE } from '../deploy-role/documents';
import { synthesize } from '../main';
import { UsageError, type Output } from './output';
import { writeFileAtomic } from './write-file';

export interface BootstrapFlags {
  readonly config?: string;
  readonly out?: string;
  readonly ci?: string;
  readonly repository?: string;
  readonly branch?: string;
  readonly environment?: string;
  readonly project?: string;
  readonly gitlabHost?: string;
  readonly roleArn?: string;
  readonly roleName?: string;
  readonly ou?: string;
}

const GITHUB_REPOSITORY = /^[A-Za-z0-9-]{1,39}\/[A-Za-z0-9._-]{1,100}$/;
const GITLAB_PROJECT = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)+$/;
/** A branch or environment name: no wildcard, no space, nothing a subject claim would read otherwise. */
const REF_NAME = /^[A-Za-z0-9._/-]{1,200}$/;
const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;
const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,64}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** Organizations ids: an OU (ou-<root>-<ou>) or the root (r-<id>). */
const OU_ID = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|r-[0-9a-z]{4,32})$/;

const show = (value: string) => JSON.stringify(value);

/** The names bootstrap writes: in --out, nothing else is ever touched. */
const OWN_FILE = /^(deploy-role-policy(-\d+)?\.json|deploy-role-trust(-\d{12})?\.json|deploy-role-stackset\.yaml|discover-policy\.json|organization-policy\.json)$/;

/** The trust the flags ask for, every flag checked: the problems, or the trust. */
export function ciTrust(flags: BootstrapFlags): { trust?: CiTrust; problems: string[] } {
  const problems: string[] = [];
  const check = (flag: string, value: string | undefined, shape: RegExp, allowed: string) => {
    if (value !== undefined && !shape.test(value)) problems.push(`--${flag}: ${show(value)} is not allowed; ${allowed}`);
  };
  const unused = (kind: string, names: ReadonlyArray<keyof BootstrapFlags>) => {
    for (const name of names) {
      if (flags[name] !== undefined) problems.push(`--${flagName(name)}: not used with --ci ${kind}`);
    }
  };
  if (flags.ci === undefined) {
    problems.push(`--ci: missing; use one of ${CI_KINDS.join(', ')} (who may assume the role)`);
    return { problems };
  }
  if (!(CI_KINDS as readonly string[]).includes(flags.ci)) {
    problems.push(`--ci: ${show(flags.ci)} is not allowed; use one of ${CI_KINDS.join(', ')}`);
    return { problems };
  }
  check('branch', flags.branch, REF_NAME, 'use a branch name, without wildcards (letters, digits, . _ / -)');
  check('environment', flags.environment, REF_NAME, 'use an environment name, without wildcards (letters, digits, . _ / -)');
  if (flags.ci === 'github') {
    unused('github', ['project', 'gitlabHost', 'roleArn']);
    if (flags.repository === undefined) problems.push('--repository: missing; use owner/name, the GitHub repository whose workflows deploy');
    else check('repository', flags.repository, GITHUB_REPOSITORY, 'use owner/name, such as acme/aurora-audit-config');
    if ((flags.branch === undefined) === (flags.environment === undefined)) problems.push('--branch or --environment: give exactly one, the branch or the GitHub environment whose jobs may deploy');
    if (problems.length) return { problems };
    return { trust: { kind: 'github', repository: flags.repository!, branch: flags.branch, environment: flags.environment }, problems };
  }
  if (flags.ci === 'gitlab') {
    unused('gitlab', ['repository', 'roleArn']);
    if (flags.environment !== undefined) problems.push('--environment: not used with --ci gitlab; GitLab\'s token names the branch in its subject, not the environment: use --branch with a protected branch');
    if (flags.project === undefined) problems.push('--project: missing; use group/project, the GitLab project whose pipelines deploy');
    else check('project', flags.project, GITLAB_PROJECT, 'use group/project (subgroups allowed), such as acme/platform/aurora-audit');
    if (flags.branch === undefined) problems.push('--branch: missing; use the protected branch whose pipelines may deploy');
    check('gitlab-host', flags.gitlabHost, HOST, 'use a host name, such as gitlab.example.com');
    if (problems.length) return { problems };
    return { trust: { kind: 'gitlab', project: flags.project!, branch: flags.branch!, host: flags.gitlabHost ?? DEFAULT_GITLAB_HOST }, problems };
  }
  unused('role', ['repository', 'project', 'gitlabHost', 'branch', 'environment']);
  if (flags.roleArn === undefined) problems.push('--role-arn: missing; use the ARN of the role your CI runs as');
  else check('role-arn', flags.roleArn, ROLE_ARN, 'use arn:aws:iam::<account-id>:role/<name>, one role, without wildcards');
  if (problems.length) return { problems };
  return { trust: { kind: 'role', roleArn: flags.roleArn! }, problems };
}

const flagName = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The OUs given, checked. */
export function ouIds(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return [];
  const ids = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) problems.push('--ou: empty; use OU ids, comma-separated, such as ou-ab12-cd34ef56');
  for (const id of ids) if (!OU_ID.test(id)) problems.push(`--ou: ${show(id)} is not an organizational unit id; use ou-<root>-<ou>, such as ou-ab12-cd34ef56, or the root's r-<id>`);
  return ids;
}

/** The deploy role's name: the config's (one for every account), else --role-name, else aurora-audit-deploy. */
function deployRoleName(roleArns: readonly string[], given: string | undefined, problems: string[]): string {
  if (given !== undefined) {
    if (!ROLE_NAME.test(given)) problems.push(`--role-name: ${show(given)} is not an IAM role name; use up to 64 letters, digits and + = , . @ _ -`);
    return given;
  }
  const names = [...new Set(roleArns.map((arn) => arn.split('/').pop()!))].sort();
  if (names.length > 1) problems.push(`--role-name: missing, and the config's stacks assume ${names.length} roles (${names.join(', ')}); a StackSet makes one name in every account: give it`);
  return names[0] ?? DEFAULT_DEPLOY_ROLE_NAME;
}

export async function bootstrapCommand(flags: BootstrapFlags, io: Output, env: NodeJS.ProcessEnv): Promise<number> {
  const { trust, problems } = ciTrust(flags);
  const ous = ouIds(flags.ou, problems);
  if (flags.out === undefined) problems.push('--out: missing; name the directory to write the policies and the template to');
  else if (fs.existsSync(flags.out) && !fs.statSync(flags.out).isDirectory()) problems.push(`--out: ${show(flags.out)} is a file; name a directory`);
  const { model, located } = loadConfig({ configFlag: flags.config, env, allowBundledExample: false });
  const roleArns = [...model.stacks, ...model.monitoringStacks, ...model.accountStacks].flatMap((s) => (s.roleArn ? [s.roleArn] : []));
  const roleName = deployRoleName(roleArns, flags.roleName, problems);
  const partitions = [...new Set(model.stacks.map((s) => s.partition))].sort();
  if (partitions.length > 1) problems.push(`the config's stacks are in ${partitions.join(' and ')}: one deploy role policy serves one partition; split the config by partition and bootstrap each`);
  if (problems.length || !trust) throw new UsageError(problems);

  // What the stacks hold, from the stacks themselves.
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-audit-bootstrap-'));
  let stacks: Map<string, Record<string, unknown>>;
  try {
    const outdir = synthesize(model, { outdir: temp, projectDir: temp });
    stacks = new Map(
      fs.readdirSync(path.join(outdir, 'stacks')).map((name) => [name, JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'))]),
    );
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  const { scope, types } = deployScope(model, stacks);
  const guardrailAllowlist = [...new Set(model.stacks.flatMap((s) => s.slack.guardrailPolicyArns ?? []).filter((arn) => arn.includes(':iam::aws:policy/')))];
  const policies = deployRolePolicies(grantsFor(types), scope, { guardrailAllowlist, deployRoleName: roleName });
  if (policies.length > MANAGED_POLICIES_PER_ROLE) {
    throw new UsageError([`the deploy role needs ${policies.length} managed policies and IAM attaches at most ${MANAGED_POLICIES_PER_ROLE} to a role by default; split the config into fewer clusters per bootstrap, or raise the quota`]);
  }

  const accounts = [...new Set([...model.stacks, ...model.monitoringStacks, ...model.accountStacks].map((s) => s.accountId))].sort();
  const files = new Map<string, string>();
  const json = (document: PolicyDocument) => `${JSON.stringify(document, null, 2)}\n`;
  if (policies.length === 1) files.set('deploy-role-policy.json', json(policies[0]));
  else policies.forEach((p, i) => files.set(`deploy-role-policy-${i + 1}.json`, json(p)));
  if (trust.kind === 'role' || accounts.length === 1) files.set('deploy-role-trust.json', json(trustPolicy(trust, accounts[0], scope.partition)));
  else for (const account of accounts) files.set(`deploy-role-trust-${account}.json`, json(trustPolicy(trust, account, scope.partition)));
  files.set('deploy-role-stackset.yaml', stacksetTemplate({ roleName, policies, trust, source: path.basename(located.path) }));
  files.set('discover-policy.json', json(discoveryPolicy()));
  const orgRole = model.discoveryOrganizationRole ?? roleName;
  files.set('organization-policy.json', json(organizationPolicy(orgRole, scope.partition)));

  // Only these files, each whole or not at all; a part or a trust an earlier run wrote that this one does not (the
  // policy now in fewer parts, an account gone) is removed, so the directory holds one consistent set.
  for (const [name, content] of files) writeFileAtomic(path.join(flags.out!, name), content);
  for (const stale of fs.readdirSync(flags.out!).filter((f) => OWN_FILE.test(f) && !files.has(f))) fs.rmSync(path.join(flags.out!, stale));

  const targets = ous.length ? `OrganizationalUnitIds=${ous.join(',')}` : 'OrganizationalUnitIds=<your root or OU ids>';
  io.out(
    [
      `Wrote ${files.size} files to ${flags.out}: ${[...files.keys()].join(', ')}.`,
      `The deploy role ${roleName}: ${types.length} resource types, ${policies.length} managed polic${policies.length === 1 ? 'y' : 'ies'}, for ${accounts.length} account${accounts.length === 1 ? '' : 's'} in ${scope.regions.join(', ')}.`,
      'Create it in every account with a service-managed StackSet, from the management account (or a delegated administrator):',
      `  aws cloudformation create-stack-set --stack-set-name ${roleName} --template-body file://${path.join(flags.out!, 'deploy-role-stackset.yaml')} --permission-model SERVICE_MANAGED --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false --capabilities CAPABILITY_NAMED_IAM${trust.kind === 'role' ? '' : ' --parameters ParameterKey=CreateOidcProvider,ParameterValue=true'}`,
      `  aws cloudformation create-stack-instances --stack-set-name ${roleName} --deployment-targets ${targets} --regions ${scope.regions.includes('us-east-1') ? 'us-east-1' : scope.regions[0]}`,
      'Or in one account, as a plain stack of the same template:',
      `  aws cloudformation deploy --stack-name ${roleName} --template-file ${path.join(flags.out!, 'deploy-role-stackset.yaml')} --capabilities CAPABILITY_NAMED_IAM`,
    ].join('\n'),
  );
  return 0;
}
