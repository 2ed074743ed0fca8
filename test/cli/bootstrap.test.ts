/**
 * `aurora-audit bootstrap` as a platform team runs it: from a config to the deploy role's files, and every bad flag a
 * line that names it, its value and what is allowed, exit 2, nothing written.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { UNCONFIRMED } from '../../config/unconfirmed';
import { DISCOVERY_ACTIONS } from '../../deploy-role/read-only';
import { stacksetTemplate } from '../../deploy-role/stackset';
import { cli } from '../support/cli';
import { ROOT, tempDir, type Json } from '../support/fixtures';

const QUICKSTART = path.join(ROOT, 'templates', 'quickstart.yaml');
const FLEET = path.join(ROOT, 'templates', 'fleet.yaml');
const read = (dir: string, file: string) => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

describe('aurora-audit bootstrap', () => {
  test('writes the policy, the trust for GitHub Actions, the StackSet template and the read-only policies', async () => {
    const dir = tempDir();
    const r = await cli(['bootstrap', '--config', QUICKSTART, '--out', 'role', '--ci', 'github', '--repository', 'acme/aurora-audit-config', '--environment', 'production'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = path.join(dir, 'role');
    const files = fs.readdirSync(out).sort();
    expect(files).toEqual(expect.arrayContaining(['deploy-role-stackset.yaml', 'deploy-role-trust.json', 'discover-policy.json', 'organization-policy.json']));
    const policies = files.filter((f) => /^deploy-role-policy(-\d+)?\.json$/.test(f));
    expect(policies.length).toBeGreaterThan(0);
    // Only the files it names: nothing else in the directory, no temporary file left.
    expect(files.length).toBe(policies.length + 4);
    expect(r.stdout).toContain('aws cloudformation create-stack-set --stack-set-name aurora-audit-deploy');
    expect(r.stdout).toContain('aws cloudformation deploy --stack-name aurora-audit-deploy --template-file role/deploy-role-stackset.yaml --capabilities CAPABILITY_NAMED_IAM');

    const trust = read(out, 'deploy-role-trust.json').Statement[0];
    expect(trust.Principal).toEqual({ Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' });
    expect(trust.Action).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(trust.Condition).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:acme/aurora-audit-config:environment:production' },
    });

    // The template makes the role with the very documents written beside it.
    const template = parseYaml(fs.readFileSync(path.join(out, 'deploy-role-stackset.yaml'), 'utf8'));
    const managed = Object.values<Json>(template.Resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy');
    expect(managed.map((m) => m.Properties.PolicyDocument)).toEqual(policies.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((f) => read(out, f)));
    const role = template.Resources.DeployRole.Properties;
    expect(role.RoleName).toBe('aurora-audit-deploy');
    expect(role.ManagedPolicyArns).toHaveLength(policies.length);
    expect(role.AssumeRolePolicyDocument.Statement[0].Principal.Federated).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/token.actions.githubusercontent.com' });
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition).toEqual(trust.Condition);
    expect(template.Resources.OidcProvider.Condition).toBe('MakeOidcProvider');
  });

  test('GitLab CI: the project and protected branch in the subject; a self-managed host', async () => {
    const dir = tempDir();
    const r = await cli(['bootstrap', '--config', QUICKSTART, '--out', 'role', '--ci', 'gitlab', '--project', 'acme/platform/audit', '--branch', 'main', '--gitlab-host', 'gitlab.acme.example'], dir);
    expect(r.code).toBe(0);
    const trust = read(path.join(dir, 'role'), 'deploy-role-trust.json').Statement[0];
    expect(trust.Principal.Federated).toBe('arn:aws:iam::123456789012:oidc-provider/gitlab.acme.example');
    expect(trust.Condition.StringEquals).toEqual({ 'gitlab.acme.example:aud': 'https://gitlab.acme.example', 'gitlab.acme.example:sub': 'project_path:acme/platform/audit:ref_type:branch:ref:main' });
  });

  test('another CI: one named role, no OIDC provider in the template', async () => {
    const dir = tempDir();
    const roleArn = 'arn:aws:iam::111122223333:role/ci-runner';
    const r = await cli(['bootstrap', '--config', QUICKSTART, '--out', 'role', '--ci', 'role', '--role-arn', roleArn], dir);
    expect(r.code).toBe(0);
    expect(read(path.join(dir, 'role'), 'deploy-role-trust.json').Statement).toEqual([{ Sid: 'PipelineRole', Effect: 'Allow', Principal: { AWS: roleArn }, Action: ['sts:AssumeRole'] }]);
    const template = parseYaml(fs.readFileSync(path.join(dir, 'role', 'deploy-role-stackset.yaml'), 'utf8'));
    expect(template.Resources.OidcProvider).toBeUndefined();
    expect(template.Parameters).toBeUndefined();
  });

  test('a fleet: one trust per account (each account has its own OIDC provider), and the policy split to fit', async () => {
    const dir = tempDir();
    const r = await cli(['bootstrap', '--config', FLEET, '--out', 'role', '--ci', 'github', '--repository', 'acme/fleet', '--branch', 'main', '--ou', 'ou-ab12-cd34ef56,r-ab12'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = fs.readdirSync(path.join(dir, 'role'));
    const trusts = files.filter((f) => f.startsWith('deploy-role-trust-'));
    expect(trusts.length).toBeGreaterThan(10);
    for (const f of trusts) expect(read(path.join(dir, 'role'), f).Statement[0].Principal.Federated).toBe(`arn:aws:iam::${/(\d{12})/.exec(f)![1]}:oidc-provider/token.actions.githubusercontent.com`);
    expect(r.stdout).toContain('--deployment-targets OrganizationalUnitIds=ou-ab12-cd34ef56,r-ab12');
  });

  test('run again for a smaller config: its own stale parts go, a file of yours stays', async () => {
    const dir = tempDir();
    const flags = ['--out', 'role', '--ci', 'role', '--role-arn', 'arn:aws:iam::111122223333:role/ci'];
    expect((await cli(['bootstrap', '--config', FLEET, ...flags], dir)).code).toBe(0);
    const before = fs.readdirSync(path.join(dir, 'role'));
    expect(before.filter((f) => /^deploy-role-policy-\d+\.json$/.test(f)).length).toBeGreaterThan(1);
    fs.writeFileSync(path.join(dir, 'role', 'notes.md'), 'mine');
    expect((await cli(['bootstrap', '--config', QUICKSTART, ...flags], dir)).code).toBe(0);
    const after = fs.readdirSync(path.join(dir, 'role')).sort();
    const parts = after.filter((f) => f.startsWith('deploy-role-policy'));
    const template = parseYaml(fs.readFileSync(path.join(dir, 'role', 'deploy-role-stackset.yaml'), 'utf8'));
    // As many parts on disk as the template makes, and the user's file untouched.
    expect(parts.length).toBe(Object.values<Json>(template.Resources).filter((r) => r.Type === 'AWS::IAM::ManagedPolicy').length);
    expect(fs.readFileSync(path.join(dir, 'role', 'notes.md'), 'utf8')).toBe('mine');
    expect(after).toEqual([...parts, 'deploy-role-stackset.yaml', 'deploy-role-trust.json', 'discover-policy.json', 'notes.md', 'organization-policy.json'].sort());
  });

  const bad: Array<[string, string[], string]> = [
    ['an unknown CI kind', ['--ci', 'jenkins'], '--ci: "jenkins" is not allowed; use one of github, gitlab, role'],
    ['no CI kind', [], '--ci: missing; use one of github, gitlab, role'],
    ['a wildcard branch', ['--ci', 'github', '--repository', 'acme/x', '--branch', 'release/*'], '--branch: "release/*" is not allowed; use a branch name, without wildcards'],
    ['a repository that is not owner/name', ['--ci', 'github', '--repository', 'acme', '--branch', 'main'], '--repository: "acme" is not allowed; use owner/name'],
    ['both a branch and an environment', ['--ci', 'github', '--repository', 'acme/x', '--branch', 'main', '--environment', 'prod'], '--branch or --environment: give exactly one'],
    ['a GitLab environment', ['--ci', 'gitlab', '--project', 'acme/x', '--branch', 'main', '--environment', 'prod'], '--environment: not used with --ci gitlab'],
    ['a role ARN with a wildcard', ['--ci', 'role', '--role-arn', 'arn:aws:iam::111122223333:role/*'], '--role-arn: "arn:aws:iam::111122223333:role/*" is not allowed'],
    ['an OU id of the wrong shape', ['--ci', 'role', '--role-arn', 'arn:aws:iam::111122223333:role/ci', '--ou', 'ou-1234'], '--ou: "ou-1234" is not an organizational unit id; use ou-<root>-<ou>'],
  ];

  test.each(bad)('%s: exit 2, one line naming the flag, the value and what is allowed, nothing written', async (_what, flags, line) => {
    const dir = tempDir();
    const r = await cli(['bootstrap', '--config', QUICKSTART, '--out', 'role', ...flags], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(line);
    expect(r.stderr).toContain('Nothing was written.');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(dir, 'role'))).toBe(false);
  });

  test('a config in two partitions: exit 2, naming them, nothing written', async () => {
    const dir = tempDir();
    const config = fs.readFileSync(QUICKSTART, 'utf8');
    const second = config.replace(/^targets:\n/m, 'targets:\n  - name: china\n    accountId: "210987654321"\n    region: cn-north-1\n    clusters: [{ identifier: cn-db, engine: aurora-mysql, engineVersion: 8.0.mysql_aurora.3.05.2, attach: adopt }]\n');
    expect(second).not.toBe(config);
    fs.writeFileSync(path.join(dir, 'aurora-audit.yaml'), second);
    const r = await cli(['bootstrap', '--out', 'role', '--ci', 'role', '--role-arn', 'arn:aws:iam::111122223333:role/ci'], dir);
    expect(r.stderr).toContain("the config's stacks are in aws and aws-cn: one deploy role policy serves one partition");
    expect(r.code).toBe(2);
    expect(fs.existsSync(path.join(dir, 'role'))).toBe(false);
  });

  test('no --out: exit 2, nothing written', async () => {
    const dir = tempDir();
    const r = await cli(['bootstrap', '--config', QUICKSTART, '--ci', 'role', '--role-arn', 'arn:aws:iam::111122223333:role/ci'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out: missing');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe('the StackSet template and what is unconfirmed about it', () => {
  const trust = { kind: 'github', repository: 'acme/x', branch: 'main' } as const;
  const policies = [{ Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: ['sns:CreateTopic'], Resource: '*' }] }] as const;

  test('the OIDC provider is made without a thumbprint while that is taken to be optional', () => {
    const template = parseYaml(stacksetTemplate({ roleName: 'aurora-audit-deploy', policies, trust, source: 'x.yaml' }));
    expect(template.Resources.OidcProvider.Properties).toEqual({ Url: 'https://token.actions.githubusercontent.com', ClientIdList: ['sts.amazonaws.com'] });
    expect(Object.keys(template.Parameters)).toEqual(['CreateOidcProvider']);
  });

  test('one edit of config/unconfirmed.ts makes the thumbprint a parameter the person deploying gives', () => {
    const replaced = jest.replaceProperty(UNCONFIRMED, 'oidcProviderThumbprintOptional', false as never);
    try {
      const template = parseYaml(stacksetTemplate({ roleName: 'aurora-audit-deploy', policies, trust, source: 'x.yaml' }));
      expect(template.Resources.OidcProvider.Properties.ThumbprintList).toEqual([{ Ref: 'OidcThumbprint' }]);
      expect(template.Parameters.OidcThumbprint).toMatchObject({ Type: 'String', AllowedPattern: '^[0-9a-fA-F]{40}$' });
    } finally {
      replaced.restore();
    }
  });
});

describe('the read-only policies', () => {
  test('discover-policy.json names every call discovery makes in an account', () => {
    const CLIENT_SERVICE: Record<string, string> = { 'cloudwatch-logs': 'logs', rds: 'rds', chatbot: 'chatbot', cloudtrail: 'cloudtrail', guardduty: 'guardduty', sts: 'sts' };
    const calls = new Set<string>();
    for (const file of fs.readdirSync(path.join(ROOT, 'discovery'))) {
      // verify's reading of a deployed stack has its own policy (aurora-audit verify --policy); the walk has its own.
      if (!file.endsWith('.ts') || file === 'deployed.ts' || file === 'organization.ts') continue;
      const text = fs.readFileSync(path.join(ROOT, 'discovery', file), 'utf8');
      for (const [, names, client] of text.matchAll(/import \{([^}]+)\} from '@aws-sdk\/client-([a-z-]+)'/g)) {
        for (const name of names.split(',').map((n) => n.trim())) {
          const m = /^(?:paginate)?([A-Z]\w+?)(?:Command)?$/.exec(name);
          if (m && (name.endsWith('Command') || name.startsWith('paginate'))) calls.add(`${CLIENT_SERVICE[client]}:${m[1]}`);
        }
      }
    }
    expect(calls.size).toBeGreaterThan(5);
    expect([...calls].filter((c) => !(DISCOVERY_ACTIONS as readonly string[]).includes(c))).toEqual([]);
  });
});
