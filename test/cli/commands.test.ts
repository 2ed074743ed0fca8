import * as fs from 'node:fs';
import * as path from 'node:path';
import { baseConfig, configWith, listFiles, ROOT, tempDir, writeConfig, type Json } from '../support/fixtures';
import { cli } from '../support/cli';

describe('aurora-audit', () => {
  test('--help lists the commands', async () => {
    const { code, stdout } = await cli(['--help'], tempDir());
    expect(code).toBe(0);
    for (const command of ['validate', 'synth', 'schema']) expect(stdout).toContain(command);
  });

  test('every command has --help', async () => {
    for (const command of ['validate', 'synth', 'schema']) {
      const { code, stdout } = await cli([command, '--help'], tempDir());
      expect({ command, code }).toEqual({ command, code: 0 });
      expect(stdout).toContain(`Usage: aurora-audit ${command}`);
    }
  });

  test('an unknown flag is a usage error: exit 2', async () => {
    const { code, stderr } = await cli(['synth', '--confg', 'x.yaml'], tempDir());
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--confg'");
  });

  test('words that are true: a problem count names what it is about, and only a command that writes says it wrote nothing', async () => {
    const dir = tempDir();
    const none = await cli(['synth'], dir);
    expect(none.stderr.split('\n').pop()).toBe('No config; nothing was written.');
    const flag = await cli(['validate', '--config', 'nope.yaml'], dir);
    expect(flag.stderr.split('\n')).toEqual(['nope.yaml: --config names "nope.yaml", which does not exist', '1 problem with --config.']);
    // An empty path would be the directory itself: it is said to be empty, not to be a directory.
    const empty = await cli(['synth', '--config', ''], dir);
    expect({ code: empty.code, stderr: empty.stderr.split('\n') }).toEqual({ code: 2, stderr: ['--config is empty; give the path of the config file (aurora-audit.yaml)', '1 problem with --config; nothing was written.'] });
    const variable = await cli(['validate'], dir, { AURORA_AUDIT_CONFIG: 'gone.yaml' });
    expect(variable.stderr.split('\n').pop()).toBe('1 problem with $AURORA_AUDIT_CONFIG.');
    const plan = await cli(['check-plan', 'nope.json'], dir);
    expect(plan.stderr).not.toMatch(/nothing was written/i);
    const patterns = await cli(['test-patterns', '--log', 'nope.log'], dir);
    expect(patterns.stderr).not.toMatch(/nothing was written/i);
    // The refused folder is cdktf.out: the advice is not to use cdktf.out.
    fs.mkdirSync(path.join(dir, 'cdktf.out'));
    fs.writeFileSync(path.join(dir, 'cdktf.out', 'notes.txt'), 'mine');
    writeConfig(dir, baseConfig());
    const out = await cli(['synth'], dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('give --out a new directory.');
    expect(out.stderr).not.toContain('the default is cdktf.out');
    expect(out.stderr.split('\n').pop()).toBe('Nothing was written.');
  });

  test('local state for more than one account, or for an organization, is a warning that names the way to S3 state', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => c.targets.push({ ...c.targets[0], name: 'second', accountId: '210987654321' })));
    const { code, stdout } = await cli(['validate'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('Local state (backend: local) for 2 accounts: each stack\'s state would live on this machine only');
    const single = tempDir();
    writeConfig(single, baseConfig());
    expect((await cli(['validate'], single)).stdout).not.toContain('Local state (backend: local)');
  });

  test('the output folder gets a project folder\'s mode (subject to the umask), not a private temporary one\'s', async () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    const previous = process.umask(0o022);
    try {
      expect((await cli(['synth', '-q'], dir)).code).toBe(0);
    } finally {
      process.umask(previous);
    }
    expect((fs.statSync(path.join(dir, 'cdktf.out')).mode & 0o777).toString(8)).toBe('755');
  });

  test('-v, -V and --version print the version', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    for (const flag of ['-v', '-V', '--version']) expect(await cli([flag], tempDir())).toMatchObject({ code: 0, stdout: version });
  });

  test('no command shows the help and exits 2', async () => {
    expect((await cli([], tempDir())).code).toBe(2);
  });
});

describe('validate', () => {
  test('prints a one-screen summary of what would be built, and writes nothing', async () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    const { code, stdout } = await cli(['validate'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('1 stack, 2 clusters, and 1 account stack, from aurora-audit.yaml');
    expect(stdout).toContain('orders-db: aurora-mysql 8.0.mysql_aurora.3.05.2 (aurora-mysql8.0), adopted');
    expect(stdout).toContain('billing: aurora-mysql 5.7 (aurora-mysql5.7), external');
    expect(stdout).toContain('alarms: DROP statements ≥1 in 1 min; failed connections ≥5 in 5 min');
    // 1,000 runs of 60 s at 256 MB: 15,000 GB-s x $0.00001667 + 1,000 x $0.0000002 = $0.2502, rounded up.
    expect(stdout).toContain('alert details: a Lambda function follows each detection alarm with who did what; no subscription filter used; at most $0.26/month at 1,000 alarms even outside Lambda\'s free tier');
    expect(stdout.split('\n').length).toBeLessThan(32);
    expect(listFiles(dir)).toEqual(['aurora-audit.yaml']);
  });

  test('says when alert details are off', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => (c.alertDetails = { enabled: false })));
    expect((await cli(['validate'], dir)).stdout).toContain('alert details: off (alarms only)');
  });

  test('prints one line per problem, with file, line and path, and exits 2', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => (c.targets[0].region = 'mars-1')));
    const { code, stdout, stderr } = await cli(['validate'], dir);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')).toEqual([
      'aurora-audit.yaml:9: targets[0].region: "mars-1" is not an AWS region name; use a name such as eu-west-1 or us-east-2',
      '1 problem in the config.',
    ]);
  });

  test('with no config, at a terminal, validates the bundled example and says so', async () => {
    const { code, stderr, stdout } = await cli(['validate'], tempDir(), {}, { interactive: true });
    expect(code).toBe(0);
    expect(stderr).toContain('using the bundled example templates/quickstart.yaml');
    expect(stdout).toContain('(the bundled example)');
    expect(stdout).toContain('Placeholder values remain');
  });
});

describe('synth', () => {
  test('writes one stack per account and region, and a summary of what it wrote and what is left to do', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => c.targets.push({ ...structuredClone(c.targets[0]), name: 'dr', region: 'eu-central-1' })));
    const { code, stdout } = await cli(['synth'], dir);
    expect(code).toBe(0);
    expect(listFiles(path.join(dir, 'cdktf.out')).filter((f) => !f.includes('/assets'))).toEqual([
      '.aurora-audit-output.json',
      'manifest.json',
      'stacks',
      'stacks/account-123456789012',
      'stacks/account-123456789012/cdk.tf.json',
      'stacks/dr',
      'stacks/dr/cdk.tf.json',
      'stacks/prod',
      'stacks/prod/cdk.tf.json',
    ]);
    // Each stack's alert-details package sits beside its JSON, where the function's filename points.
    for (const stack of ['prod', 'dr']) {
      const fn = Object.values(JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out/stacks', stack, 'cdk.tf.json'), 'utf8')).resource.aws_lambda_function)[0] as { filename: string };
      expect(fs.existsSync(path.join(dir, 'cdktf.out/stacks', stack, fn.filename))).toBe(true);
    }
    expect(stdout).toContain('2 stacks, 4 clusters');
    expect(stdout).toContain('stack prod: account 123456789012, eu-west-1; state terraform-state/prod.tfstate; 83 resources; alarms → SNS (new KMS key) → Slack T07EA123LEP/C07EZ1ABC23');
    expect(stdout).toMatch(
      /Terraform written to cdktf.out\/stacks\/\{prod,dr,account-123456789012\}\/cdk.tf.json: 186 \(2 chatbot_slack_channel_configuration, 2 cloudwatch_dashboard, 37 cloudwatch_event_rule, 37 cloudwatch_event_target, 20 cloudwatch_log_group, 20 cloudwatch_log_metric_filter, 24 cloudwatch_metric_alarm, 10 cloudwatch_query_definition, .*2 rds_cluster, 4 rds_cluster_parameter_group/,
    );
    expect(stdout).toContain('Authorize the Slack workspace');
    // Clusters with the same reason share one sentence.
    // Each cluster with its account and region, where a person finds it.
    expect(stdout).toContain('orders-db (123456789012/eu-west-1), orders-db (123456789012/eu-central-1): it moves from its current parameter group to a new custom group');
    expect(stdout).toContain('billing (123456789012/eu-west-1), billing (123456789012/eu-central-1): the owning Terraform attaches a new parameter group');
    expect(stdout).toContain('set db_cluster_parameter_group_name and enabled_cloudwatch_logs_exports');
  });

  test('stays short for a platform team: a line a stack, settings said once, exceptions behind --verbose, warnings grouped', async () => {
    const dir = tempDir();
    writeConfig(
      dir,
      configWith((c) => {
        c.targets = Array.from({ length: 20 }, (_, i) => ({ ...structuredClone(c.targets[0]), name: `team-${i}`, accountId: String(100000000000 + i) }));
        c.targets[3].clusters[1].audit = { events: ['CONNECT', 'QUERY_DDL', 'QUERY_DCL', 'QUERY'] };
        // A platform team keeps its state in S3 (local state for 20 accounts is a warning of its own).
        c.backend = { type: 's3', bucket: 'example-org-terraform-state', region: 'eu-west-1', keyPrefix: 'aurora-audit' };
      }),
    );
    const { code, stdout } = await cli(['validate'], dir);
    expect(code).toBe(0);
    // A line a stack, and a fixed part: settings, the account stacks, the cost estimate, manual steps and warnings.
    expect(stdout.split('\n').length).toBeLessThan(20 + 30);
    expect(stdout).toMatch(/^  20 stacks: ≈ \$[\d.]+\/month in all, \$[\d.]+ to \$[\d.]+ a stack/m);
    expect(stdout).toContain('Every cluster, unless shown otherwise:');
    expect(stdout).toMatch(/^  team-3 +100000000003 eu-west-1 +2  1 with own settings$/m);
    expect(stdout).toMatch(/^  team-4 +100000000004 eu-west-1 +2$/m);
    expect(stdout).toContain('expect high log volume and cost, and personal data in statement text (billing (100000000003/eu-west-1)).');
    // No line runs on: long lists of clusters or accounts are counted, reasons grouped.
    const longest = Math.max(...stdout.split('\n').map((l) => l.length));
    expect(longest).toBeLessThan(1000);
    expect(stdout).toContain('T07EA123LEP in all 20 accounts');
    expect(stdout).toMatch(/billing \(100000000000\/eu-west-1\), billing \(100000000001\/eu-west-1\) and 18 more \(20 in all\): the owning Terraform attaches a new parameter group/);

    // --verbose: every stack and cluster, the one cluster that differs showing only what does.
    const verbose = await cli(['validate', '--verbose'], dir);
    expect(verbose.stdout.match(/^stack team-\d+: /gm)).toHaveLength(20);
    expect(verbose.stdout.match(/^    audit /gm)).toEqual(['    audit ']);
    expect(verbose.stdout).toMatch(/billing \(100000000000\/eu-west-1\), billing \(100000000001\/eu-west-1\), .* and 12 more \(20 in all\): the owning Terraform/);
  });

  test('--out chooses the directory', async () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    expect((await cli(['synth', '--out', 'build/tf'], dir)).code).toBe(0);
    expect(fs.existsSync(path.join(dir, 'build/tf/stacks/prod/cdk.tf.json'))).toBe(true);
  });

  test('a bad config writes nothing and leaves an earlier synth untouched', async () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    await cli(['synth'], dir);
    const before = fs.readFileSync(path.join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'), 'utf8');
    writeConfig(dir, configWith((c) => (c.targets[0].clusters[0].engineVersion = '9.1')));
    const { code } = await cli(['synth'], dir);
    expect(code).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'), 'utf8')).toBe(before);
    expect(listFiles(dir).filter((f) => !f.startsWith('cdktf.out/'))).toEqual(['aurora-audit.yaml', 'cdktf.out']);
  });

  test('a re-synth replaces the stacks whole, keeps terraform init results, and a retired target keeps its stack', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => c.targets.push({ ...structuredClone(c.targets[0]), name: 'dr', region: 'eu-central-1' })));
    await cli(['synth'], dir);
    fs.mkdirSync(path.join(dir, 'cdktf.out/stacks/prod/.terraform'));
    fs.writeFileSync(path.join(dir, 'cdktf.out/stacks/prod/.terraform.lock.hcl'), '# lock');
    fs.writeFileSync(path.join(dir, 'cdktf.out/stacks/dr/plan.bin'), 'a plan');
    writeConfig(
      dir,
      configWith((c) => {
        c.retired = ['orders-db', 'billing'].map((identifier) => ({ accountId: '123456789012', region: 'eu-central-1', stack: 'dr', identifier }));
      }),
    );
    expect((await cli(['synth'], dir)).code).toBe(0);
    // The retired stack has no function any more: its old package goes with the rest of what aurora-audit wrote.
    expect(listFiles(path.join(dir, 'cdktf.out')).filter((f) => !f.startsWith('stacks/prod/assets'))).toEqual([
      '.aurora-audit-output.json',
      'manifest.json',
      'stacks',
      'stacks/account-123456789012',
      'stacks/account-123456789012/cdk.tf.json',
      'stacks/dr',
      'stacks/dr/cdk.tf.json',
      'stacks/dr/plan.bin',
      'stacks/prod',
      'stacks/prod/.terraform',
      'stacks/prod/.terraform.lock.hcl',
      'stacks/prod/cdk.tf.json',
    ]);
    // The retired target's stack only forgets: the same name, so the same state.
    const dr = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out/stacks/dr/cdk.tf.json'), 'utf8'));
    expect(dr.resource).toBeUndefined();
    expect(dr.terraform.backend.local.path).toBe('../../../terraform-state/dr.tfstate');
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
  });

  test('a target whose adopted clusters vanish without a retired entry is refused once it was applied: nothing is written', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => c.targets.push({ ...structuredClone(c.targets[0]), name: 'dr', region: 'eu-central-1' })));
    await cli(['synth'], dir);
    applied(dir, 'dr');
    const before = listFiles(path.join(dir, 'cdktf.out')).map((f) => [f, fs.statSync(path.join(dir, 'cdktf.out', f)).mtimeMs]);
    writeConfig(dir, baseConfig());
    const { code, stderr } = await cli(['synth'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain('the stack dr, which the config no longer has, adopted the cluster orders-db, which the new config leaves out, so Terraform would plan to destroy the database.');
    expect(stderr).toContain('retired: [{ accountId: "123456789012", region: eu-central-1, identifier: orders-db, stack: dr }]');
    // Said once, at the end: what to do when the earlier output was never applied.
    expect(stderr.match(/was never applied/g)).toHaveLength(1);
    expect(stderr).toContain('remove it (rm -r cdktf.out) or synthesize into another directory (--out <dir>), and synth again.');
    expect(stderr).toContain('3 problems in the config');
    expect(listFiles(path.join(dir, 'cdktf.out')).map((f) => [f, fs.statSync(path.join(dir, 'cdktf.out', f)).mtimeMs])).toEqual(before);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.tmp-') || f.includes('.old-'))).toEqual([]);
  });
});

describe('the guard against an earlier output keeps the archive', () => {
  test('an archive whose section vanished is refused once applied, naming enabled: false; with enabled: false it is forgotten and synth goes on', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => (c.archive = { enabled: true })));
    await cli(['synth'], dir);
    applied(dir, 'prod');
    writeConfig(dir, baseConfig());
    const refused = await cli(['synth'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('archive: the stack prod keeps audit records in the archive bucket aurora-audit-archive-123456789012-eu-west-1 under Object Lock, and the new config leaves the archive out');
    expect(refused.stderr).toContain('set archive.enabled: false (where the archive was turned on), which forgets the bucket and leaves it standing');
    writeConfig(dir, configWith((c) => (c.archive = { enabled: false })));
    const forgotten = await cli(['synth'], dir);
    expect({ code: forgotten.code, stderr: forgotten.stderr }).toEqual({ code: 0, stderr: '' });
    const prod = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out/stacks/prod/cdk.tf.json'), 'utf8'));
    expect(prod.removed.map((r: Json) => r.from)).toContain('aws_s3_bucket.archive_bucket');
  });
});

describe('the guard against an earlier output asks only about what may be deployed', () => {
  test("the Quick start's output, never applied, is replaced by the first synth of your own config, without asking to retire its placeholder", async () => {
    const dir = tempDir();
    expect((await cli(['synth', '--config', path.join(ROOT, 'templates', 'quickstart.yaml')], dir)).code).toBe(0);
    writeConfig(dir, baseConfig());
    const { code, stderr } = await cli(['synth'], dir);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(fs.readdirSync(path.join(dir, 'cdktf.out', 'stacks')).sort()).toEqual(['account-123456789012', 'prod']);
  });

  test('a state that exists but holds nothing is as good as none; one that cannot be read counts as applied', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => c.targets.push({ ...structuredClone(c.targets[0]), name: 'dr', region: 'eu-central-1' })));
    await cli(['synth'], dir);
    fs.mkdirSync(path.join(dir, 'terraform-state'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'terraform-state', 'dr.tfstate'), JSON.stringify({ version: 4, resources: [] }));
    writeConfig(dir, baseConfig());
    expect((await cli(['synth'], dir)).code).toBe(0);
    // Again, with a state it cannot read.
    writeConfig(dir, configWith((c) => c.targets.push({ ...structuredClone(c.targets[0]), name: 'dr', region: 'eu-central-1' })));
    await cli(['synth'], dir);
    fs.writeFileSync(path.join(dir, 'terraform-state', 'dr.tfstate'), '{ not json');
    writeConfig(dir, baseConfig());
    expect((await cli(['synth'], dir)).code).toBe(2);
  });
});

describe('warnings are only what is true', () => {
  test('log groups init looked for and found none of ([]) are no warning; a cluster that records nothing about them is', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => (c.targets[0].clusters[0].existingLogGroups = [])));
    const { stdout } = await cli(['validate'], dir);
    const line = stdout.split('\n').find((l) => l.includes('No existing log groups are recorded'));
    // billing is external (its owner's Terraform made its groups), orders-db recorded []: nobody to warn about.
    expect(line).toBeUndefined();
    writeConfig(dir, baseConfig());
    expect((await cli(['validate'], dir)).stdout).toContain('the first apply fails with "already exists" (orders-db).');
  });
});

describe('synth after a major version upgrade moved a cluster to a new custom group', () => {
  const before = (c: Json) => (c.targets[0].clusters[0].parameterGroup = { name: 'orders-params-80', parameters: { max_connections: '500' } });
  const upgraded = (previous?: string[]) => (c: Json) => {
    Object.assign(c.targets[0].clusters[0], { engineVersion: '8.4.mysql_aurora.8.4.7', family: 'aurora-mysql8.4' });
    c.targets[0].clusters[0].parameterGroup = { name: 'orders-params-84', parameters: { max_connections: '500' }, ...(previous ? { previous } : {}) };
  };

  test('with the old group recorded as previous, it is forgotten (a removed block) and the synth goes through', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith(before));
    expect((await cli(['synth'], dir)).code).toBe(0);
    writeConfig(dir, configWith(upgraded(['orders-params-80'])));
    const { code, stdout } = await cli(['synth'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('orders-db moved off orders-params-80: Terraform forgets it and leaves it in AWS; delete it yourself once no rollback needs it.');
    const stack = JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out', 'stacks', 'prod', 'cdk.tf.json'), 'utf8'));
    expect(stack.removed).toContainEqual({ from: 'aws_rds_cluster_parameter_group.parameter-group-orders-params-80', lifecycle: { destroy: false } });
    expect((await cli(['plan'], dir)).stdout).toContain('previous group: orders-params-80, forgotten by Terraform and left in AWS');
  });

  test('without it, synth refuses, says how to record it, and writes nothing', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith(before));
    await cli(['synth'], dir);
    applied(dir, 'prod');
    writeConfig(dir, configWith(upgraded()));
    const { code, stderr } = await cli(['synth'], dir);
    expect(code).toBe(2);
    expect(stderr).toContain("the stack prod kept orders-params-80, a cluster's own parameter group, which the new config neither keeps nor forgets");
    expect(stderr).toContain("run aurora-audit init again, which records orders-params-80 under the cluster's parameterGroup.previous");
  });
});

/** What an apply of a stack leaves behind for the guard: a local state that holds resources. */
function applied(dir: string, stack: string): void {
  fs.mkdirSync(path.join(dir, 'terraform-state'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'terraform-state', `${stack}.tfstate`), JSON.stringify({ version: 4, resources: [{ mode: 'managed', type: 'aws_rds_cluster', name: 'x', instances: [] }] }));
}

describe('schema', () => {
  test('prints the JSON Schema editors use', async () => {
    const { code, stdout } = await cli(['schema'], tempDir());
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.required).toEqual(['version']);
    expect(schema.anyOf).toEqual([{ required: ['accounts'] }, { required: ['targets'] }]);
    expect(schema.additionalProperties).toBe(false);
  });
});

describe('what validate and plan tell a reviewer', () => {
  test('a kept group that clusters outside the config use too: the summary warns, plan names them', async () => {
    const dir = tempDir();
    writeConfig(
      dir,
      configWith((c) => (c.targets[0].clusters[0].parameterGroup = { name: 'shared-params', alsoUsedBy: ['orders-replica', 'orders-db'] })),
    );
    const validate = await cli(['validate'], dir);
    expect(validate.stdout).toContain('orders-db keeps the parameter group shared-params, which orders-replica uses too, outside the config: the audit parameters apply to it as well.');
    const plan = await cli(['plan'], dir);
    expect(plan.stdout).toContain('shared: shared-params is also the group of orders-replica outside the config; every change to it applies to them too');
  });

  test('a guardrail that can read the audit records, or one aurora-audit cannot see into, is a warning', async () => {
    const dir = tempDir();
    writeConfig(
      dir,
      configWith((c) => (c.notifications.slack.guardrailPolicyArns = ['arn:aws:iam::aws:policy/ReadOnlyAccess', 'arn:aws:iam::123456789012:policy/team-guardrail'])),
    );
    const { code, stdout } = await cli(['validate'], dir);
    expect(code).toBe(0);
    expect(stdout).toContain('The Slack channel guardrail ReadOnlyAccess (prod) reads every service, S3 objects and CloudWatch Logs events (the audit records) included');
    expect(stdout).toContain('aurora-audit cannot see what the guardrail arn:aws:iam::123456789012:policy/team-guardrail (prod) allows');
  });

  test('a retired target with no recorded stack name: the summary says its state may not be found', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => (c.retired = [{ accountId: '123456789012', region: 'us-east-2', identifier: 'payments-us' }])));
    const { stdout } = await cli(['validate'], dir);
    expect(stdout).toContain('The retired stack 123456789012-us-east-2 is named after its account and region because no entry records its stack');
  });
});

describe('the summary says where each major version stands in AWS support, with its source and date', () => {
  /** SOURCE_DATE_EPOCH pins "today", as a reproducible pipeline would. */
  const on = (day: string) => ({ SOURCE_DATE_EPOCH: String(Date.parse(`${day}T12:00:00Z`) / 1000) });
  const warnings = (stdout: string) => stdout.slice(stdout.indexOf('Warnings:')).split('\n  - ').slice(1);

  test('Aurora MySQL 5.7 is on paid Extended Support today, and the warning cites the calendar and its date', async () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    const { code, stdout } = await cli(['validate'], dir, on('2026-11-30'));
    expect(code).toBe(0);
    const line = warnings(stdout).find((w) => w.startsWith('Aurora MySQL 5.7'));
    expect(line).toBe(
      'Aurora MySQL 5.7 (Aurora MySQL version 2) left Aurora standard support on 2024-10-31: billing runs on paid RDS Extended Support, available until 2028-02-29, after which AWS upgrades the cluster itself. Plan its major version upgrade (8.0 and 8.4 are in standard support; AWS release calendar, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraMySQLReleaseNotes/AuroraMySQL.release-calendars.html; dates as aurora-audit recorded them on 2026-11-30, some from a copy of the calendar, held in config/unconfirmed.ts).',
    );
    // The 8.0 cluster is in standard support: nothing about it.
    expect(warnings(stdout).filter((w) => w.includes('Aurora MySQL 8.0'))).toEqual([]);
  });

  test('before its end, a coming end of standard support is announced with the days left', async () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    const { stdout } = await cli(['validate'], dir, on('2024-10-01'));
    expect(warnings(stdout)).toContainEqual(expect.stringMatching(/^Aurora MySQL 5\.7 \(Aurora MySQL version 2\) leaves Aurora standard support on 2024-10-31, in 30 days: billing then moves to paid RDS Extended Support/));
  });

  test('an 8.4 cluster is in standard support, and the summary says what to check about Advanced Auditing on it', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => Object.assign(c.targets[0].clusters[0], { engineVersion: '8.4.mysql_aurora.8.4.7', family: 'aurora-mysql8.4' })));
    const { code, stdout } = await cli(['validate'], dir, on('2026-11-30'));
    expect(code).toBe(0);
    expect(stdout).toContain('orders-db: aurora-mysql 8.4.mysql_aurora.8.4.7 (aurora-mysql8.4), adopted');
    const about84 = warnings(stdout).filter((w) => w.includes('Aurora MySQL 8.4'));
    expect(about84).toEqual([expect.stringMatching(/^Advanced Auditing on Aurora MySQL 8\.4 \(orders-db\) is taken to work as on version 3.*CONNECT line\.$/)]);
  });

  test('the 8.4 check follows what is audited: without CONNECT it asks for a statement of an audited event, never for a CONNECT line', async () => {
    const dir = tempDir();
    writeConfig(dir, configWith((c) => Object.assign(c.targets[0].clusters[0], { engineVersion: '8.4.mysql_aurora.8.4.7', family: 'aurora-mysql8.4', audit: { events: ['QUERY_DCL', 'QUERY_DDL'] } })));
    const { stdout } = await cli(['validate'], dir, on('2026-11-30'));
    const about84 = warnings(stdout).filter((w) => w.includes('Aurora MySQL 8.4'));
    expect(about84).toEqual([expect.stringContaining('after the first apply, run a GRANT (QUERY_DCL is audited; CONNECT is not on every cluster) and check that /aws/rds/cluster/<id>/audit receives its line.')]);
    expect(about84[0]).not.toContain('CONNECT line');
  });

  test('Aurora PostgreSQL: 14 nears its end, 18 asks for two checks after the reboot', async () => {
    const dir = tempDir();
    writeConfig(
      dir,
      configWith((c) => {
        c.targets[0].clusters = [
          { identifier: 'reports', engine: 'aurora-postgresql', engineVersion: '14.12', attach: 'adopt' },
          { identifier: 'events', engine: 'aurora-postgresql', engineVersion: '18.3', attach: 'adopt' },
        ];
      }),
    );
    const { code, stdout } = await cli(['validate'], dir, on('2026-11-30'));
    expect(code).toBe(0);
    expect(warnings(stdout)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Aurora PostgreSQL 14 leaves Aurora standard support on 2027-02-28, in 90 days: reports then moves to paid RDS Extended Support \(AWS release calendar, https:\/\/docs\.aws\.amazon\.com\/AmazonRDS\/latest\/AuroraPostgreSQLReleaseNotes\/aurorapostgresql-release-calendar\.html;/),
        expect.stringMatching(/^On Aurora PostgreSQL 18 \(events\), after the reboot check that SHOW shared_preload_libraries includes pgaudit/),
      ]),
    );
  });
});

describe('--json and --quiet, for pipelines', () => {
  test('validate --json: the summary as data; a bad config: valid false, every problem with its line and path, exit 2', async () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    const ok = await cli(['validate', '--json'], dir);
    expect(ok.code).toBe(0);
    const summary = JSON.parse(ok.stdout);
    expect(summary).toMatchObject({ valid: true, stacks: [{ name: 'prod', accountId: '123456789012', region: 'eu-west-1' }] });
    expect(summary.stacks[0].clusters.map((c: Json) => [c.identifier, c.family, c.rebootNeeded])).toEqual([
      ['orders-db', 'aurora-mysql8.0', true],
      ['billing', 'aurora-mysql5.7', true],
    ]);
    expect(summary.manualSteps[0]).toMatch(/^Authorize the Slack workspace/);
    expect(summary.warnings).toContainEqual(expect.stringMatching(/^Aurora MySQL 5\.7/));

    writeConfig(dir, configWith((c) => {
      c.targets[0].region = 'mars-1';
      delete c.targets[0].clusters[0].attach;
    }));
    const bad = await cli(['validate', '--json'], dir);
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({ code: 2, stderr: '' });
    const problems = JSON.parse(bad.stdout);
    expect(problems.valid).toBe(false);
    expect(problems.problems.map((p: Json) => p.path)).toEqual(['targets[0].region', 'targets[0].clusters[0].attach']);
    expect(problems.problems.every((p: Json) => typeof p.line === 'number' && p.message.length > 0)).toBe(true);
  });

  test('synth --json says what was synthesized and what was kept; --quiet prints nothing', async () => {
    const dir = tempDir();
    writeConfig(dir, baseConfig());
    const first = JSON.parse((await cli(['synth', '--json'], dir)).stdout);
    expect({ synthesized: first.synthesized, unchanged: first.unchanged }).toEqual({ synthesized: ['prod', 'account-123456789012'], unchanged: [] });
    expect(first.stacks[0].resources.aws_cloudwatch_metric_alarm).toBeGreaterThan(0);
    const again = JSON.parse((await cli(['synth', '--json'], dir)).stdout);
    expect({ synthesized: again.synthesized, unchanged: again.unchanged }).toEqual({ synthesized: [], unchanged: ['prod', 'account-123456789012'] });
    const quiet = await cli(['synth', '--quiet'], dir);
    expect(quiet).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await cli(['validate', '-q'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
