/**
 * Aurora MySQL 8.4 (and Aurora PostgreSQL 18) from discovery to a stack Terraform accepts, the way a pipeline runs it:
 * `init --yes` against the local fake AWS, then `validate`, `plan`, `synth`, `terraform validate`, and a Terraform
 * plan against the state an apply of that very stack leaves. A major aurora-audit does not know is refused cleanly.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { findUnsafeChanges } from '../../cli/check-plan';
import { RDS_CLUSTER_DELETION_ARGUMENTS, RDS_CLUSTER_MANAGED_ARGUMENTS } from '../../modules/adopted-cluster';
import { fakeAwsEnv, useEnv } from '../support/aws-env';
import { awsWorld } from '../support/aws-world';
import { cli } from '../support/cli';
import { startFakeAws, type FakeAws } from '../support/fake-aws';
import { listFiles, tempDir, type Json } from '../support/fixtures';
import { justImported, planStack, stateAfterApply, type PlannedStack } from '../support/state';
import { describeWithTerraform, validateStack } from '../support/terraform';

const ACCOUNT = '123456789012';
const REGION = 'eu-north-1';
const STACK = `${ACCOUNT}-${REGION}`;
/** ledger-eu's own group, as its team set it up. */
const LEDGER_EU_PARAMETERS = { require_secure_transport: 'ON', binlog_format: { value: 'ROW', applyMethod: 'pending-reboot' as const } };

let aws: FakeAws;
let restore: () => void;
let project: string;
let configFile: string;

beforeAll(async () => {
  aws = await startFakeAws({
    accounts: [
      {
        accountId: ACCOUNT,
        slackWorkspaces: [{ id: 'T07EA123LEP', name: 'acme' }],
        regions: {
          [REGION]: {
            clusters: [
              { identifier: 'ledger', engineVersion: '8.4.mysql_aurora.8.4.7', exports: ['error'] },
              { identifier: 'ledger-eu', engineVersion: '8.4.mysql_aurora.8.4.7', parameterGroup: 'ledger-84', exports: ['audit'] },
              { identifier: 'events', engine: 'aurora-postgresql', engineVersion: '18.3', exports: ['postgresql'] },
              { identifier: 'next-gen', engineVersion: '9.7.mysql_aurora.9.7.0' },
            ],
            parameterGroups: { 'ledger-84': LEDGER_EU_PARAMETERS },
            logGroups: { '/aws/rds/cluster/ledger/error': null, '/aws/rds/cluster/ledger-eu/audit': 30, '/aws/rds/cluster/events/postgresql': 7 },
          },
        },
      },
    ],
  });
  restore = useEnv(fakeAwsEnv(aws, ACCOUNT, { AWS_REGION: REGION, CI: 'true' }));
  project = tempDir();
  configFile = path.join(project, 'aurora-audit.yaml');
});

afterAll(async () => {
  restore();
  await aws.close();
});

const initFlags = ['init', '--yes', '--regions', REGION, '--slack-channel-id', 'C07EZ1ABC23'];

describe('Aurora MySQL 8.4 from discovery to a validated stack, with no TTY', () => {
  test('init takes every supported cluster, recording the family AWS gives each version; 9.7 is left out', async () => {
    const { code, stderr } = await cli([...initFlags, '--clusters', 'all', '--config', configFile], project);
    expect({ code, stderr }).toEqual({ code: 0, stderr: expect.any(String) });
    const written = parseYaml(fs.readFileSync(configFile, 'utf8'));
    const clusters = written.targets[0].clusters.map((c: Json) => [c.identifier, c.engineVersion, c.family, c.parameterGroup?.name]);
    expect(clusters).toEqual([
      ['ledger', '8.4.mysql_aurora.8.4.7', 'aurora-mysql8.4', 'default.aurora-mysql8.4'],
      ['ledger-eu', '8.4.mysql_aurora.8.4.7', 'aurora-mysql8.4', 'ledger-84'],
      ['events', '18.3', 'aurora-postgresql18', 'default.aurora-postgresql18'],
    ]);
    // The custom group's own parameters are recorded, so synthesis keeps them offline.
    expect(written.targets[0].clusters[1].parameterGroup.parameters).toEqual({ require_secure_transport: 'ON', binlog_format: { value: 'ROW', applyMethod: 'pending-reboot' } });
  });

  test('asking for the 9.7 cluster by name is exit 2, naming what is supported, and writes nothing', async () => {
    const other = path.join(tempDir(), 'aurora-audit.yaml');
    const { code, stdout, stderr } = await cli([...initFlags, '--clusters', 'next-gen', '--config', other], project);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      '--clusters: "next-gen": "9.7.mysql_aurora.9.7.0" is not a supported Aurora MySQL version: 9.7 is a major version this release of aurora-audit does not know; aurora-audit supports 5.7, 8.0 and 8.4.',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(other)).toBe(false);
  });

  test('a re-run after an upgrade records what the cluster runs now: the version and the family', async () => {
    // As init wrote it before ledger went from 8.0 to 8.4.
    const before = path.join(tempDir(), 'aurora-audit.yaml');
    const text = fs.readFileSync(configFile, 'utf8').replace('engineVersion: 8.4.mysql_aurora.8.4.7\n        family: aurora-mysql8.4\n        attach: adopt\n        parameterGroup:\n          name: default.aurora-mysql8.4', 'engineVersion: 8.0.mysql_aurora.3.05.2\n        family: aurora-mysql8.0\n        attach: adopt\n        parameterGroup:\n          name: default.aurora-mysql8.0');
    expect(text).toContain('8.0.mysql_aurora.3.05.2');
    fs.writeFileSync(before, text);
    const { code } = await cli(['init', '--yes', '--config', before], project);
    expect(code).toBe(0);
    expect(fs.readFileSync(before, 'utf8')).toBe(fs.readFileSync(configFile, 'utf8'));
  });

  test("a re-run after a major upgrade that moved a cluster to a new custom group records the old one as previous, so it is forgotten, not destroyed", async () => {
    const before = path.join(tempDir(), 'aurora-audit.yaml');
    // As init wrote it while ledger-eu ran 8.0 on its own group ledger-80.
    const text = fs.readFileSync(configFile, 'utf8').replace(/(- identifier: ledger-eu\n\s+engine: aurora-mysql\n\s+)engineVersion: 8\.4\.mysql_aurora\.8\.4\.7\n(\s+)family: aurora-mysql8\.4\n(\s+attach: adopt\n\s+parameterGroup:\n\s+)name: ledger-84/, '$1engineVersion: 8.0.mysql_aurora.3.05.2\n$2family: aurora-mysql8.0\n$3name: ledger-80');
    expect(text).toContain('name: ledger-80');
    fs.writeFileSync(before, text);
    expect((await cli(['init', '--yes', '--config', before], project)).code).toBe(0);
    const ledgerEu = parseYaml(fs.readFileSync(before, 'utf8')).targets[0].clusters.find((c: Json) => c.identifier === 'ledger-eu');
    expect(ledgerEu).toMatchObject({ engineVersion: '8.4.mysql_aurora.8.4.7', family: 'aurora-mysql8.4', parameterGroup: { name: 'ledger-84', previous: ['ledger-80'] } });
    // A second run changes nothing more.
    const once = fs.readFileSync(before, 'utf8');
    expect((await cli(['init', '--yes', '--config', before], project)).code).toBe(0);
    expect(fs.readFileSync(before, 'utf8')).toBe(once);
  });

  test('a re-run that finds a cluster of the config on a major this release does not know stops, and writes nothing', async () => {
    const before = path.join(tempDir(), 'aurora-audit.yaml');
    const text = fs.readFileSync(configFile, 'utf8').replace('  - identifier: events\n', '  - identifier: next-gen\n        engine: aurora-mysql\n        engineVersion: 8.0.mysql_aurora.3.05.2\n        attach: adopt\n      - identifier: events\n');
    expect(text).toContain('next-gen');
    fs.writeFileSync(before, text);
    const { code, stderr } = await cli(['init', '--yes', '--config', before], project);
    expect(code).toBe(2);
    expect(stderr).toContain('next-gen (123456789012/eu-north-1) is in the config, but AWS now reports aurora-mysql 9.7.mysql_aurora.9.7.0: "9.7.mysql_aurora.9.7.0" is not a supported Aurora MySQL version');
    expect(stderr).toContain('Take it out of the config (or retire it) yourself, or run a newer aurora-audit');
    expect(fs.readFileSync(before, 'utf8')).toBe(text);
  });

  test('validate accepts the config, offline, and names each family', async () => {
    const { code, stdout } = await cli(['validate', '--config', configFile], project);
    expect(code).toBe(0);
    expect(stdout).toContain('ledger: aurora-mysql 8.4.mysql_aurora.8.4.7 (aurora-mysql8.4), adopted');
    expect(stdout).toContain('ledger-eu: aurora-mysql 8.4.mysql_aurora.8.4.7 (aurora-mysql8.4), adopted');
    expect(stdout).toContain('events: aurora-postgresql 18.3 (aurora-postgresql18), adopted');
  });

  test('plan: the default group is replaced by one of the 8.4 family (a reboot); the custom group is kept (none)', async () => {
    const { code, stdout } = await cli(['plan', '--config', configFile, '--json'], project);
    expect(code).toBe(0);
    const byId = Object.fromEntries(JSON.parse(stdout).clusters.map((c: Json) => [c.identifier, c]));
    expect(byId.ledger.parameterGroup).toMatchObject({ action: 'create-and-attach', name: 'aurora-audit-ledger-aurora-mysql8-4', family: 'aurora-mysql8.4', current: 'default.aurora-mysql8.4' });
    expect(byId.ledger.reboot.needed).toBe(true);
    expect(byId['ledger-eu'].parameterGroup).toMatchObject({ action: 'keep-and-add', name: 'ledger-84', preserved: ['binlog_format', 'require_secure_transport'] });
    expect(byId['ledger-eu'].reboot).toEqual({ needed: false, reasons: [] });
    // PostgreSQL 18 takes the list form of log_connections.
    expect(byId.events.parameterGroup.changes).toContainEqual(['log_connections', null, 'all']);
  });

  test('synth writes the stack; nothing else in the project is touched', async () => {
    const contents = (files: string[]) => files.filter((f) => fs.statSync(path.join(project, f)).isFile()).map((f) => [f, fs.readFileSync(path.join(project, f)).toString('base64')]);
    const before = contents(listFiles(project));
    const { code } = await cli(['synth', '--config', configFile, '--out', 'cdktf.out'], project);
    expect(code).toBe(0);
    const after = listFiles(project).filter((f) => f !== 'cdktf.out' && !f.startsWith('cdktf.out/'));
    expect(contents(after)).toEqual(before);
    expect(fs.existsSync(path.join(project, 'cdktf.out', 'stacks', STACK, 'cdk.tf.json'))).toBe(true);
  });
});

describeWithTerraform(
  'Terraform judges the 8.4 stack',
  ['terraform init and validate the stack init produced', 'a plan against the state its own apply leaves changes the clusters in place only'],
  () => {
    const stackJson = (): Json => JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', STACK, 'cdk.tf.json'), 'utf8'));

    test('terraform init and validate the stack init produced', async () => {
      const dir = path.join(project, 'cdktf.out', 'stacks', STACK);
      const validate = await validateStack(dir);
      expect({ valid: validate.valid, diagnostics: validate.diagnostics }).toEqual({ valid: true, diagnostics: [] });
    });

    describe('a plan against the state its own apply leaves changes the clusters in place only', () => {
      const world = awsWorld({
        region: REGION,
        clusters: {
          ledger: { group: 'default.aurora-mysql8.4', engineVersion: '8.4.mysql_aurora.8.4.7', exports: ['error'] },
          'ledger-eu': { group: 'ledger-84', engineVersion: '8.4.mysql_aurora.8.4.7', exports: ['audit'] },
          events: { group: 'default.aurora-postgresql18', engine: 'aurora-postgresql', engineVersion: '18.3', exports: ['postgresql'] },
        },
        groups: {
          'ledger-84': {
            family: 'aurora-mysql8.4',
            parameters: [
              { name: 'require_secure_transport', value: 'ON', apply_method: 'immediate' },
              { name: 'binlog_format', value: 'ROW', apply_method: 'pending-reboot' },
            ],
          },
        },
      });
      let json: Json;
      let firstApply: PlannedStack;
      beforeAll(async () => {
        json = stackJson();
        const applied = await stateAfterApply(json, world);
        firstApply = await planStack(json, justImported(json, applied, world));
      });
      const changed = (r: Json): string[] =>
        Object.keys({ ...r.change.before, ...r.change.after })
          .filter((k) => JSON.stringify(r.change.before?.[k]) !== JSON.stringify(r.change.after?.[k]) || r.change.after_unknown?.[k])
          .sort();
      const of = (type: string) => [...firstApply.changes.values()].filter((r) => r.type === type);

      test('no database is destroyed, replaced or touched beyond its group, its exports and its deletion arguments', () => {
        // The audit log groups RDS made keep records forever; the retention the config gives them would delete what is
        // older. check-plan names each, for a person to accept with --allow; nothing else is lost or weakened.
        expect(findUnsafeChanges(firstApply.plan).map((f) => `${f.address}: ${f.reason}`)).toEqual([
          'aws_cloudwatch_log_group.cluster-events_log-groups_postgresql: its retention is cut from never expiring to 365 days: older audit records would be deleted',
          'aws_cloudwatch_log_group.cluster-ledger-eu_log-groups_audit: its retention is cut from never expiring to 365 days: older audit records would be deleted',
        ]);
        const clusters = Object.fromEntries<Json>(of('aws_rds_cluster').map((r) => [r.change.after.cluster_identifier, r]));
        expect(Object.keys(clusters).sort()).toEqual(['events', 'ledger', 'ledger-eu']);
        for (const [id, r] of Object.entries(clusters)) expect({ id, actions: r.change.actions }).toEqual({ id, actions: ['update'] });
        expect(changed(clusters.ledger)).toEqual([...RDS_CLUSTER_DELETION_ARGUMENTS, ...RDS_CLUSTER_MANAGED_ARGUMENTS].sort());
        expect(clusters.ledger.change.after.db_cluster_parameter_group_name).toBe('aurora-audit-ledger-aurora-mysql8-4');
        // ledger-eu keeps its group (no reboot): its exports grow from audit to the default four.
        expect(changed(clusters['ledger-eu'])).toEqual([...RDS_CLUSTER_DELETION_ARGUMENTS, 'enabled_cloudwatch_logs_exports'].sort());
        expect(clusters['ledger-eu'].change.after.db_cluster_parameter_group_name).toBe('ledger-84');
        expect(clusters['ledger-eu'].change.after.enabled_cloudwatch_logs_exports).toEqual(['audit', 'error', 'general', 'slowquery']);
      });

      test('the 8.4 groups: a new one of the aurora-mysql8.4 family, and the adopted one gaining the audit parameters in place', () => {
        const groups = Object.fromEntries<Json>(of('aws_rds_cluster_parameter_group').map((r) => [r.change.after.name, r]));
        const names = (g: Json) => g.change.after.parameter.map((p: Json) => `${p.name}=${p.value}/${p.apply_method}`).sort();
        // Made by the stack (never imported), so the state of its own apply already holds it.
        const made = groups['aurora-audit-ledger-aurora-mysql8-4'];
        expect(json.import.map((i: Json) => i.to)).not.toContain(made.address);
        expect({ actions: made.change.actions, family: made.change.after.family }).toEqual({ actions: ['no-op'], family: 'aurora-mysql8.4' });
        expect(groups['ledger-84'].change.actions).toEqual(['update']);
        expect(names(groups['ledger-84'])).toEqual([
          'binlog_format=ROW/pending-reboot',
          'require_secure_transport=ON/immediate',
          'server_audit_events=CONNECT,QUERY_DCL,QUERY_DDL/immediate',
          'server_audit_excl_users=rdsadmin/immediate',
          'server_audit_logging=1/immediate',
        ]);
        expect(groups['aurora-audit-events-aurora-postgresql18'].change.after.family).toBe('aurora-postgresql18');
        expect(names(groups['aurora-audit-events-aurora-postgresql18'])).toContain('log_connections=all/immediate');
      });

      test('the log groups RDS made are imported, and the one kept 7 days gets the audit retention', () => {
        const groups = Object.fromEntries<Json>(of('aws_cloudwatch_log_group').map((r) => [r.change.after.name, r]));
        expect(groups['/aws/rds/cluster/ledger-eu/audit'].change.actions).toEqual(['update']);
        expect(groups['/aws/rds/cluster/ledger-eu/audit'].change.after.retention_in_days).toBe(365);
        expect(groups['/aws/rds/cluster/events/postgresql'].change.after.retention_in_days).toBe(365);
      });
    });
  },
);
