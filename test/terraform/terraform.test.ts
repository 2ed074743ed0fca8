/**
 * Terraform itself judges what aurora-audit synthesizes: `init` offline against the provider mirror, `validate` for
 * every stack of every template, an offline `plan`, and the provider's schema against the ignore list.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../config/load';
import { allStacks } from '../../config/model';
import { findUnsafeChanges } from '../../cli/check-plan';
import { RDS_CLUSTER_DELETION_ARGUMENTS, RDS_CLUSTER_IGNORED_ARGUMENTS, RDS_CLUSTER_MANAGED_ARGUMENTS } from '../../modules/adopted-cluster';
import { awsWorld } from '../support/aws-world';
import { ROOT, tempDir, TEMPLATES, type Json } from '../support/fixtures';
import { justImported, planStack, stateAfterApply, type PlannedStack, type StateResource } from '../support/state';
import { synthAll } from '../support/synth';
import { describeWithTerraform, offlineProviderOverride, planOffline, providerResourceSchemas, status, validateStack } from '../support/terraform';


const CONFIGS = [...TEMPLATES, ...['every-option.yaml', 'siem-every-option.yaml', 'monitoring-delivery.yaml', 'adopted-existing.yaml', 'retired-target.yaml'].map((f) => path.join(ROOT, 'test', 'fixtures', f))];
const PLAN_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'external-plan.yaml');

/**
 * The fleet template's 69 stacks are built by the same constructs from a handful of shapes; Terraform validates one
 * of each (MySQL beside PostgreSQL with a new key, an external cluster, a staging group without encryption), so that
 * the suite does not spend three minutes on repeats; and one account stack. Its expansion into stacks is tested in test/config/fleet.test.ts.
 */
const FLEET_SAMPLE: Record<string, string[]> = { 'fleet.yaml': ['payments-prod-eu-west-1', 'billing-prod-eu-west-1', 'payments-staging-eu-west-1', 'account-100000000001'] };

/** Every stack of every config, synthesized once: [label, stack directory]. */
function synthesizedStacks(): Array<[string, string]> {
  return CONFIGS.flatMap((file) => {
    const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
    const outdir = path.join(tempDir(), 'cdktf.out');
    synthAll(model, outdir);
    return allStacks(model)
      .filter((s) => !FLEET_SAMPLE[path.basename(file)] || FLEET_SAMPLE[path.basename(file)].includes(s.name))
      .map((s): [string, string] => [`${path.relative(ROOT, file)} › ${s.name}`, path.join(outdir, 'stacks', s.name)]);
  });
}

describeWithTerraform(
  `terraform ${status.version ?? ''}`.trim(),
  [...CONFIGS.map((file) => `init and validate every stack of ${path.relative(ROOT, file)}`), `offline plan of ${path.relative(ROOT, PLAN_FIXTURE)}`, 'plans of adopted clusters against state built from what the stack synthesized', 'ignore_changes of adopted clusters covers every aws_rds_cluster argument of the provider'],
  () => {
    describe(`terraform ${status.version} validates every stack of every template`, () => {
      test.each(synthesizedStacks())('%s', async (_label, dir) => {
        const result = await validateStack(dir);
        expect({ valid: result.valid, diagnostics: result.diagnostics }).toEqual({ valid: true, diagnostics: [] });
      });
    });

    describe('terraform plan, offline, with fake credentials', () => {
      let plan: Json;

      beforeAll(async () => {
        const project = tempDir();
        const model = parseConfig(fs.readFileSync(PLAN_FIXTURE, 'utf8'), PLAN_FIXTURE);
        const [[name, json]] = [...synthAll(model, path.join(project, 'cdktf.out'))];
        const dir = path.join(project, 'cdktf.out', 'stacks', name);
        fs.writeFileSync(path.join(dir, 'offline_override.tf.json'), offlineProviderOverride(json));
        plan = await planOffline(dir);
      });

      test('only creates: nothing is changed, replaced or destroyed', () => {
        const actions = new Set(plan.resource_changes.flatMap((r: Json) => r.change.actions));
        expect([...actions].sort()).toEqual(['create', 'read']);
      });

      test('creates the whole alert path and touches no cluster', () => {
        const types = new Set(plan.resource_changes.map((r: Json) => r.type));
        for (const type of [
          'aws_rds_cluster_parameter_group',
          'aws_cloudwatch_log_group',
          'aws_cloudwatch_log_metric_filter',
          'aws_cloudwatch_metric_alarm',
          'aws_sns_topic',
          'aws_sns_topic_policy',
          'aws_kms_key',
          'aws_iam_role',
          'aws_chatbot_slack_channel_configuration',
        ]) {
          expect(types).toContain(type);
        }
        expect(types).not.toContain('aws_rds_cluster');
      });

      test('every planned log group has a retention', () => {
        const groups = plan.resource_changes.filter((r: Json) => r.type === 'aws_cloudwatch_log_group');
        expect(groups.length).toBe(10);
        expect(groups.map((g: Json) => g.change.after.name)).toContain('/aws/lambda/aurora-audit-plan-check-alert-details');
        for (const g of groups) expect(g.change.after.retention_in_days).toBeGreaterThan(0);
      });

      test('the provider accepted the alarm settings', () => {
        const alarms = plan.resource_changes.filter((r: Json) => r.type === 'aws_cloudwatch_metric_alarm').map((r: Json) => r.change.after);
        expect(alarms.map((a: Json) => [a.metric_name, a.statistic, a.treat_missing_data])).toEqual(
          expect.arrayContaining([
            ['inventory/drop-statements', 'Sum', 'notBreaching'],
            ['legacy/failed-connections', 'Sum', 'notBreaching'],
          ]),
        );
      });
    });

    describe('terraform plan of adopted clusters, against state built from what the stack synthesized', () => {
      /** templates/existing-clusters.yaml, and AWS as init found it: the clusters, their own groups, the logs RDS made. */
      const template = path.join(ROOT, 'templates', 'existing-clusters.yaml');
      const USER_PARAMETERS = [
        { name: 'max_connections', value: '2000', apply_method: 'immediate' },
        { name: 'innodb_print_all_deadlocks', value: '1', apply_method: 'immediate' },
        { name: 'binlog_format', value: 'ROW', apply_method: 'pending-reboot' },
      ];
      const world = awsWorld({
        clusters: {
          'orders-db': { group: 'orders-db-params', exports: ['error', 'slowquery'] },
          billing: { group: 'default.aurora-mysql5.7', engineVersion: '5.7.mysql_aurora.2.11.2' },
          ledger: { group: 'default.aurora-mysql8.4', engineVersion: '8.4.mysql_aurora.8.4.7', exports: ['error'] },
          reports: { group: 'reports-pg16', engine: 'aurora-postgresql', engineVersion: '16.4' },
        },
        groups: {
          'orders-db-params': { family: 'aurora-mysql8.0', parameters: USER_PARAMETERS },
          'reports-pg16': {
            family: 'aurora-postgresql16',
            parameters: [
              { name: 'shared_preload_libraries', value: 'pg_stat_statements,pg_hint_plan', apply_method: 'pending-reboot' },
              { name: 'log_min_duration_statement', value: '2000', apply_method: 'immediate' },
            ],
          },
        },
      });
      let json: Json;
      let applied: StateResource[];
      let firstApply: PlannedStack;
      beforeAll(async () => {
        const model = parseConfig(fs.readFileSync(template, 'utf8'), template);
        json = synthAll(model, path.join(tempDir(), 'cdktf.out')).get('production');
        applied = await stateAfterApply(json, world);
        firstApply = await planStack(json, justImported(json, applied, world));
      });

      const changedAttributes = (change: Json): string[] =>
        Object.keys({ ...change.change.before, ...change.change.after }).filter(
          (k) => JSON.stringify(change.change.before?.[k]) !== JSON.stringify(change.change.after?.[k]) || change.change.after_unknown?.[k],
        );
      const names = (ps: Json[]) => ps.map((p) => `${p.name}=${p.value}/${p.apply_method}`).sort();
      const clusters = (planned: PlannedStack) => [...planned.changes.values()].filter((r) => r.type === 'aws_rds_cluster');

      test('on first apply, the clusters change only their group, their log exports and what a destroy would do: in place', () => {
        const planned = firstApply;
        const byId = Object.fromEntries(clusters(planned).map((c) => [c.change.after.cluster_identifier, c]));
        for (const c of clusters(planned)) expect({ id: c.change.after.cluster_identifier, actions: c.change.actions }).toEqual({ id: c.change.after.cluster_identifier, actions: ['update'] });
        // orders-db keeps its own group: no reboot, and its group is not even among the changes.
        expect(changedAttributes(byId['orders-db']).sort()).toEqual([...RDS_CLUSTER_DELETION_ARGUMENTS, 'enabled_cloudwatch_logs_exports'].sort());
        // billing moves off a default group to a new one (a reboot, which the summary names).
        expect(changedAttributes(byId.billing).sort()).toEqual([...RDS_CLUSTER_DELETION_ARGUMENTS, ...RDS_CLUSTER_MANAGED_ARGUMENTS].sort());
        expect(byId.billing.change.after.db_cluster_parameter_group_name).toBe('aurora-audit-billing-aurora-mysql5-7');
        // ledger, Aurora MySQL 8.4 on its default group, the same way, onto a group of the aurora-mysql8.4 family.
        expect(changedAttributes(byId.ledger).sort()).toEqual([...RDS_CLUSTER_DELETION_ARGUMENTS, ...RDS_CLUSTER_MANAGED_ARGUMENTS].sort());
        expect(byId.ledger.change.after.db_cluster_parameter_group_name).toBe('aurora-audit-ledger-aurora-mysql8-4');
        const ledgerGroup = [...planned.changes.values()].find((r) => r.type === 'aws_rds_cluster_parameter_group' && r.change.after?.name === 'aurora-audit-ledger-aurora-mysql8-4');
        // Made by the stack, not imported: the state its own apply left already holds it.
        expect(json.import.map((i: Json) => i.to)).not.toContain(ledgerGroup.address);
        expect({ actions: ledgerGroup.change.actions, family: ledgerGroup.change.after.family }).toEqual({ actions: ['no-op'], family: 'aurora-mysql8.4' });
        expect(names(ledgerGroup.change.after.parameter)).toEqual([
          'server_audit_events=CONNECT,QUERY_DCL,QUERY_DDL/immediate',
          'server_audit_excl_users=rdsadmin/immediate',
          'server_audit_logging=1/immediate',
        ]);
        expect(byId.reports.change.after.enabled_cloudwatch_logs_exports).toEqual(['postgresql']);
        // reports' pgAudit log group, which RDS made, keeps records forever: the retention the config gives it would
        // delete what is older, which check-plan names for a person to accept. Nothing else is lost or weakened.
        expect(findUnsafeChanges(planned.plan).map((f) => `${f.address}: ${f.reason}`)).toEqual([
          'aws_cloudwatch_log_group.cluster-reports_log-groups_postgresql: its retention is cut from never expiring to 365 days: older audit records would be deleted',
        ]);
      });

      test("an adopted cluster's own parameter group gains the audit parameters, in place, and loses none of the user's", () => {
        const planned = firstApply;
        const group = planned.changes.get('aws_rds_cluster_parameter_group.parameter-group-orders-db-params');
        expect(group.change.actions).toEqual(['update']);
        expect(names(group.change.after.parameter)).toEqual(expect.arrayContaining(names(USER_PARAMETERS)));
        expect(names(group.change.after.parameter).filter((p) => !names(USER_PARAMETERS).includes(p))).toEqual([
          'server_audit_events=CONNECT,QUERY_DCL,QUERY_DDL/immediate',
          'server_audit_excl_users=rdsadmin/immediate',
          'server_audit_logging=1/immediate',
        ]);
        expect(group.change.after.description).toBe('set up by the orders team');
      });

      test('an adopted Aurora PostgreSQL cluster: pgaudit joins the preloaded libraries in its own group, in place', () => {
        const planned = firstApply;
        const group = planned.changes.get('aws_rds_cluster_parameter_group.parameter-group-reports-pg16');
        expect(group.change.actions).toEqual(['update']);
        expect(names(group.change.after.parameter)).toEqual([
          'log_connections=1/immediate',
          'log_disconnections=1/immediate',
          'log_min_duration_statement=2000/immediate',
          'pgaudit.log=ddl,role/immediate',
          'shared_preload_libraries=pg_stat_statements,pg_hint_plan,pgaudit/pending-reboot',
        ]);
      });

      test('the log groups RDS made are imported and given a retention, never re-created', () => {
        const planned = firstApply;
        for (const type of ['error', 'slowquery']) {
          const group = planned.changes.get(`aws_cloudwatch_log_group.cluster-orders-db_log-groups_${type}`);
          expect({ type, actions: group.change.actions }).toEqual({ type, actions: ['update'] });
          expect(group.change.after.retention_in_days).toBeGreaterThan(0);
          // Whatever happens to the config later, a group that held logs before aurora-audit is never deleted.
          expect(group.change.after.skip_destroy).toBe(true);
        }
      });

      test('once applied, whatever else the database owner sets or changes later plans no change to the database', async () => {
        const drifted = applied.map((r) =>
          r.type === 'aws_rds_cluster'
            ? {
                ...r,
                attributes: {
                  ...r.attributes,
                  iam_database_authentication_enabled: true,
                  backtrack_window: 86400,
                  enable_http_endpoint: true,
                  performance_insights_enabled: true,
                  monitoring_interval: 60,
                  engine_version: '8.0.mysql_aurora.3.08.0',
                  deletion_protection: false,
                  tags: { Team: 'orders', CostCenter: 'db' },
                  tags_all: { Team: 'orders', CostCenter: 'db' },
                },
              }
            : r,
        );
        const planned = await planStack(json, drifted);
        for (const c of clusters(planned)) expect({ id: c.change.after.cluster_identifier, changed: changedAttributes(c) }).toEqual({ id: c.change.after.cluster_identifier, changed: [] });
      });
    });

    describe('terraform providers schema', () => {
      test('ignore_changes of adopted clusters covers every aws_rds_cluster argument of the provider but the ones aurora-audit sets', async () => {
        const block = (await providerResourceSchemas()).aws_rds_cluster.block;
        const settable = Object.entries<Json>(block.attributes)
          .filter(([name, a]) => name !== 'id' && (a.optional || a.required))
          .map(([name]) => name);
        const blocks = Object.keys(block.block_types).filter((b) => b !== 'timeouts');
        expect([...settable, ...blocks].sort()).toEqual([...RDS_CLUSTER_IGNORED_ARGUMENTS, ...RDS_CLUSTER_MANAGED_ARGUMENTS, ...RDS_CLUSTER_DELETION_ARGUMENTS].sort());
      });
    });
  },
);
