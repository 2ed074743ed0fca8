/**
 * The example pipelines (docs/pipelines), run as the scripts they are: each job's own shell lines, taken from the YAML
 * unchanged, in a git repository holding a fleet of 1,000 region stacks (100 accounts in 10 regions, so 100 account
 * stacks beside them), after a change that touches every stack. `npx aurora-audit` runs this checkout's CLI, and a
 * stand-in `terraform` on PATH writes plans and records applies: what is tested is the pipeline's own logic (which
 * stacks, how many jobs, what is planned, checked, kept and applied), not Terraform's.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { ROOT, tempDir, type Json } from '../support/fixtures';

const PIPELINES = path.join(ROOT, 'docs', 'pipelines');
const REGIONS = ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'us-east-1', 'us-east-2', 'us-west-2', 'ap-southeast-1', 'ap-southeast-2'];

function fleet(tag: string): Json {
  return {
    version: 1,
    role: 'aurora-audit-deploy',
    attach: 'adopt',
    tags: { Change: tag },
    notifications: { slack: { teamId: 'T07EA123LEP', channelId: 'C07EZ1ABC23' } },
    backend: { type: 's3', bucket: 'example-org-terraform-state', keyPrefix: 'aurora-audit', region: 'eu-west-1' },
    accounts: Array.from({ length: 100 }, (_, i) => ({
      id: String(300000000000 + i),
      name: `team-${String(i).padStart(3, '0')}`,
      regions: Object.fromEntries(REGIONS.map((r) => [r, { [`db-${i}`]: 'aurora-mysql8.0' }])),
    })),
  };
}

/** Tools on PATH: `npx aurora-audit` runs this checkout's CLI; `terraform` stands in, logging what it is asked. */
function tools(dir: string): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  fs.writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\n[ "$1" = aurora-audit ] || { echo "npx: only aurora-audit here" >&2; exit 127; }\nshift\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(ROOT, 'bin', 'aurora-audit.js'))} "$@"\n`, { mode: 0o755 });
  // A plan that changes nothing, except in the stack FAKE_UNSAFE names, whose plan would delete a database.
  const plan = (unsafe: boolean) =>
    JSON.stringify({
      format_version: '1.2',
      terraform_version: '1.11.4',
      planned_values: { root_module: {} },
      resource_changes: [
        unsafe
          ? { address: 'aws_rds_cluster.cluster-x_adopted', mode: 'managed', type: 'aws_rds_cluster', change: { actions: ['delete'], before: { cluster_identifier: 'x' }, after: null } }
          : { address: 'aws_sns_topic.alarm-topic_topic', mode: 'managed', type: 'aws_sns_topic', change: { actions: ['no-op'], before: { name: 't' }, after: { name: 't' } } },
      ],
    });
  fs.writeFileSync(
    path.join(bin, 'terraform'),
    `#!/bin/sh
stack=$(basename "$PWD")
echo "$stack $*" >> "$FAKE_TERRAFORM_LOG"
case "$1" in
  init) [ -f cdk.tf.json ] || exit 1 ;;
  plan) for a in "$@"; do case $a in -out=*) echo "plan of $stack" > "\${a#-out=}" ;; esac; done ;;
  show) if [ "$stack" = "\${FAKE_UNSAFE:-}" ]; then echo '${plan(true)}'; else echo '${plan(false)}'; fi ;;
  apply) [ "$(cat plan.bin)" = "plan of $stack" ] || { echo "not the checked plan" >&2; exit 1; } ;;
esac
`,
    { mode: 0o755 },
  );
  return bin;
}

function git(dir: string, ...args: string[]): void {
  const run = spawnSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=ci', ...args], { cwd: dir, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
}

/** A repository as init scaffolds it, whose last commit changes every stack (a tag at the top). */
function repository(): string {
  const dir = tempDir('aurora-audit-pipeline-');
  fs.mkdirSync(path.join(dir, 'ci-examples'));
  for (const f of fs.readdirSync(PIPELINES)) fs.copyFileSync(path.join(PIPELINES, f), path.join(dir, 'ci-examples', f));
  fs.writeFileSync(path.join(dir, 'aurora-audit.yaml'), stringify(fleet('before')));
  git(dir, 'init', '-q', '.');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'fleet');
  fs.writeFileSync(path.join(dir, 'aurora-audit.yaml'), stringify(fleet('after')));
  git(dir, 'commit', '-qam', 'a change to every stack');
  return dir;
}

/** Runs a job's shell lines as the CI system does, with its variables. */
function sh(script: string, cwd: string, env: Record<string, string>): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync('bash', ['--norc', '--noprofile', '-eo', 'pipefail', '-c', script], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Copies what a later job starts from: the commit's files, without what earlier jobs wrote. */
function freshCheckout(repo: string): string {
  const dir = tempDir('aurora-audit-checkout-');
  spawnSync('git', ['clone', '-q', repo, dir]);
  return dir;
}

describe('the example pipelines, run as the scripts they are, on a change to 1,000 region stacks', () => {
  let repo: string;
  let env: Record<string, string>;
  let log: string;
  beforeAll(() => {
    repo = repository();
    log = path.join(repo, 'terraform.log');
    env = { PATH: `${tools(repo)}:${process.env.PATH}`, FAKE_TERRAFORM_LOG: log, PLAN_PARALLELISM: '2', CI: 'true' };
  });

  describe('GitHub Actions', () => {
    const workflow = parseYaml(fs.readFileSync(path.join(PIPELINES, 'github-actions.yml'), 'utf8'));
    const step = (job: string, named: string | RegExp) => {
      const found = workflow.jobs[job].steps.find((s: Json) => s.run && (typeof named === 'string' ? s.run.includes(named) : named.test(s.name ?? '')));
      return found.run as string;
    };
    let changed: Json;

    test('changed: every stack of the fleet, in 20 shards, within the 256 jobs a matrix may have', () => {
      const output = path.join(repo, 'github-output');
      const script = step('changed', 'aurora-audit changed').replace(/\$\{\{ github\.event_name == 'pull_request'.*?\}\}/, 'HEAD~1');
      const run = sh(script, repo, { ...env, ...workflow.env, GITHUB_OUTPUT: output });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      changed = JSON.parse(fs.readFileSync(path.join(repo, 'changed.json'), 'utf8'));
      expect(changed.changed).toHaveLength(1100);
      expect(changed.shards).toHaveLength(20);
      expect(changed.shards.flat().sort()).toEqual([...changed.changed].sort());
      expect(Math.max(...changed.shards.map((s: string[]) => s.length)) - Math.min(...changed.shards.map((s: string[]) => s.length))).toBeLessThanOrEqual(1);
      const shards = JSON.parse(/^shards=(.*)$/m.exec(fs.readFileSync(output, 'utf8'))![1]);
      expect(shards).toEqual(Array.from({ length: 20 }, (_, i) => i));
      expect(shards.length).toBeLessThanOrEqual(256);
      expect(workflow.jobs.plan.strategy.matrix.shard).toBe('${{ fromJSON(needs.changed.outputs.shards) }}');
      expect(workflow.jobs.apply.strategy.matrix.shard).toBe('${{ fromJSON(needs.changed.outputs.shards) }}');
    });

    test("plan: one shard's stacks, each synthesized, planned with one plugin cache and checked; the checked plans kept outside cdktf.out", () => {
      const job = freshCheckout(repo);
      fs.copyFileSync(path.join(repo, 'changed.json'), path.join(job, 'changed.json'));
      const run = sh(step('plan', /plan and check/).replace('${{ matrix.shard }}', '3'), job, env);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      const stacks: string[] = changed.shards[3];
      expect(stacks.length).toBe(55);
      expect(run.stdout).toContain(`plan-stacks.sh: ${stacks.length} stack(s) planned and checked`);
      for (const stack of stacks) {
        expect(fs.readFileSync(path.join(job, 'plans', `${stack}.bin`), 'utf8')).toBe(`plan of ${stack}\n`);
        expect(run.stdout).toContain(`${stack}: planned and checked`);
      }
      expect(fs.existsSync(path.join(job, '.terraform-plugin-cache'))).toBe(true);
      // Only the shard's stacks were synthesized.
      expect(fs.readdirSync(path.join(job, 'cdktf.out', 'stacks')).sort()).toEqual([...stacks].sort());
    });

    test('plan: a stack whose plan check-plan refuses fails the job, named, after every other stack is planned', () => {
      const job = freshCheckout(repo);
      fs.copyFileSync(path.join(repo, 'changed.json'), path.join(job, 'changed.json'));
      const stacks: string[] = changed.shards[4];
      const run = sh(step('plan', /plan and check/).replace('${{ matrix.shard }}', '4'), job, { ...env, FAKE_UNSAFE: stacks[1] });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`${stacks[1]}: check-plan refused the plan`);
      expect(run.stdout).toContain('aws_rds_cluster.cluster-x_adopted: the plan would delete it, and it is the database x');
      expect(run.stderr).toContain('plan-stacks.sh: not every stack is safe to apply');
      for (const stack of stacks.filter((s) => s !== stacks[1])) expect(run.stdout).toContain(`${stack}: planned and checked`);
    });

    test('apply: the plans of the shard, exactly those, account stacks first', () => {
      const plan = freshCheckout(repo);
      fs.copyFileSync(path.join(repo, 'changed.json'), path.join(plan, 'changed.json'));
      expect(sh(step('plan', /plan and check/).replace('${{ matrix.shard }}', '0'), plan, env).code).toBe(0);
      // The apply job starts from the commit, the changed.json artifact and the plans artifact (download-artifact).
      const job = freshCheckout(repo);
      fs.copyFileSync(path.join(repo, 'changed.json'), path.join(job, 'changed.json'));
      fs.cpSync(path.join(plan, 'plans'), path.join(job, 'plans'), { recursive: true });
      fs.writeFileSync(log, '');
      const run = sh(step('apply', /apply the checked/).replace('${{ matrix.shard }}', '0'), job, env);
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      const applied = fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => / apply /.test(l))
        .map((l) => l.split(' ')[0]);
      const stacks: string[] = changed.shards[0];
      expect([...applied].sort()).toEqual([...stacks].sort());
      const firstRegion = applied.findIndex((s) => !s.startsWith('account-'));
      expect(applied.slice(firstRegion).some((s) => s.startsWith('account-'))).toBe(false);
    });
  });

  describe('GitLab CI', () => {
    const pipeline = parseYaml(fs.readFileSync(path.join(PIPELINES, 'gitlab-ci.yml'), 'utf8'));
    let child: Json;

    test('changed writes a child pipeline: a plan job and a manual apply job per shard, 20 of each for the whole fleet', () => {
      const job = freshCheckout(repo);
      const lines: string[] = pipeline.changed.script.filter((l: string) => !/^(apt-get|npm ci)/.test(l));
      const run = sh(lines.join('\n'), job, { ...env, ...pipeline.variables, CI_COMMIT_BEFORE_SHA: 'HEAD~1' });
      expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      child = parseYaml(fs.readFileSync(path.join(job, 'stacks.yml'), 'utf8'));
      expect(Object.keys(child).filter((k) => k.startsWith('plan-'))).toHaveLength(20);
      expect(Object.keys(child).filter((k) => k.startsWith('apply-'))).toHaveLength(20);
      expect(child['apply-7']).toMatchObject({ needs: ['plan-7'], rules: [{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual' }] });
      expect(child['plan-7'].artifacts.paths).toEqual(['plans/', 'changed.json']);
      // The jobs sign in by OIDC: GitLab's ID token, written where the AWS SDKs and Terraform's provider read it.
      expect(child['.terraform']).toMatchObject({
        id_tokens: { AWS_OIDC_TOKEN: { aud: 'https://gitlab.com' } },
        variables: { AWS_ROLE_ARN: '$AURORA_AUDIT_OIDC_ROLE', AWS_WEB_IDENTITY_TOKEN_FILE: '/tmp/aws-oidc-token' },
      });
      expect(child['.terraform'].before_script[0]).toBe('printf %s "$AWS_OIDC_TOKEN" > /tmp/aws-oidc-token');
      expect(child['plan-7'].extends).toBe('.terraform');
      fs.copyFileSync(path.join(job, 'changed.json'), path.join(repo, 'gitlab-changed.json'));
    });

    test("the apply job works where GitLab restores the plan job's artifacts before the script", () => {
      // The plan job: the commit, and changed.json from the parent pipeline.
      const plan = freshCheckout(repo);
      fs.copyFileSync(path.join(repo, 'gitlab-changed.json'), path.join(plan, 'changed.json'));
      const planned = sh(child['plan-7'].script.join('\n'), plan, env);
      expect({ code: planned.code, stderr: planned.stderr }).toEqual({ code: 0, stderr: '' });
      // GitLab restores the artifacts (plans/ and changed.json) at their paths in a fresh checkout, then runs the script.
      const job = freshCheckout(repo);
      for (const p of child['plan-7'].artifacts.paths as string[]) fs.cpSync(path.join(plan, p), path.join(job, p), { recursive: true });
      fs.writeFileSync(log, '');
      const applied = sh(child['apply-7'].script.join('\n'), job, env);
      expect({ code: applied.code, stderr: applied.stderr }).toEqual({ code: 0, stderr: '' });
      const stacks: string[] = JSON.parse(fs.readFileSync(path.join(job, 'changed.json'), 'utf8')).shards[7];
      expect(fs.readFileSync(log, 'utf8').split('\n').filter((l) => / apply /.test(l))).toHaveLength(stacks.length);
    });
  });
});
