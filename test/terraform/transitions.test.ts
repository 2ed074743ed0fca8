/**
 * Config transitions, planned by the real Terraform against state built from what the earlier config synthesized
 * (test/support/state.ts), never from addresses written by hand: retiring a cluster or a whole target, adopt →
 * external, dropping the created key, no longer exporting a log type, and a cluster deleted from the config with no
 * retired entry (which check-plan must stop). Other files: transitions-0.1 (upgrading from 0.1), transitions-modes
 * (monitoring-account mode, alert details, the archive and a SIEM push), transitions-upgrade (a major version).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findUnsafeChanges } from '../../cli/check-plan';
import { cliProcess } from '../support/cli';
import { ROOT, type Json } from '../support/fixtures';
import { actionsOf, planStack, stateAfterApply, type PlannedStack, type StateResource } from '../support/state';
import { describeWithTerraform } from '../support/terraform';
import { config, deleted, deployedState, oldRegion, retiring, synth } from '../support/transitions';

describeWithTerraform('terraform transitions: from what this version synthesized', [
  'retiring a cluster and a target forgets what must be kept',
  'adopt → external, dropping the created key, and a log type no longer exported forget, never destroy',
  'a cluster deleted from the config without a retired entry: check-plan stops the plan',
], () => {
  describe('terraform transitions: from what this version synthesized', () => {
    let before: Map<string, Json>;
    let state: StateResource[];
    beforeAll(async () => {
      ({ before, state } = await deployedState());
    });

    test('the state holds exactly what the stack declares, at its addresses', () => {
      const declared = Object.entries<Json>(before.get('production').resource).flatMap(([type, instances]) => Object.keys(instances).map((name) => `${type}.${name}`));
      expect(state.map((r) => `${r.type}.${r.name}`).sort()).toEqual(declared.sort());
    });

    test('the same config again plans nothing', async () => {
      expect(actionsOf(await planStack(before.get('production'), state))).toEqual({});
    });

    /** The plan of retiring legacy-db, made once: two tests read it. */
    let retirePlan: Promise<PlannedStack> | undefined;
    const retiringPlan = () => (retirePlan ??= planStack(synth(config(retiring)).get('production'), state));

    test('retiring a cluster forgets it, its group and every log group; only its alarms go', async () => {
      const planned = await retiringPlan();
      const actions = actionsOf(planned);
      const forgotten = Object.keys(actions).filter((a) => actions[a].includes('forget')).sort();
      expect(forgotten).toEqual([
        'aws_cloudwatch_log_group.cluster-legacy-db_log-groups_audit',
        'aws_cloudwatch_log_group.cluster-legacy-db_log-groups_error',
        'aws_cloudwatch_log_group.cluster-legacy-db_log-groups_general',
        'aws_cloudwatch_log_group.cluster-legacy-db_log-groups_slowquery',
        'aws_rds_cluster.cluster-legacy-db_adopted',
        'aws_rds_cluster_parameter_group.cluster-legacy-db_parameter-group',
      ]);
      expect(deleted(planned).every((a) => /^aws_cloudwatch_(log_metric_filter|metric_alarm)\.cluster-legacy-db_/.test(a))).toBe(true);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
    });

    test("a whole target retired: its stack keeps the target's name and state, forgets what must be kept, and destroys the rest", async () => {
      const oldRegionState = await stateAfterApply(before.get('old-region'), oldRegion);
      const next = synth(config(retiring)).get('old-region');
      expect(next.terraform.backend.local.path).toBe(before.get('old-region').terraform.backend.local.path);
      const planned = await planStack(next, oldRegionState);
      const actions = actionsOf(planned);
      const forgotten = Object.keys(actions).filter((a) => actions[a].includes('forget')).sort();
      expect(forgotten).toEqual([
        'aws_cloudwatch_log_group.cluster-payments-us_log-groups_audit',
        'aws_cloudwatch_log_group.cluster-payments-us_log-groups_error',
        'aws_cloudwatch_log_group.cluster-payments-us_log-groups_general',
        'aws_cloudwatch_log_group.cluster-payments-us_log-groups_slowquery',
        'aws_kms_key.alarm-key_key',
        'aws_rds_cluster.cluster-payments-us_adopted',
        'aws_rds_cluster_parameter_group.cluster-payments-us_parameter-group',
      ]);
      // Everything else the stack made goes: the alarm plumbing, the channel, its guardrail and the key's alias.
      expect(deleted(planned).length).toBe(Object.keys(actions).length - forgotten.length);
      expect(deleted(planned)).toEqual(expect.arrayContaining(['aws_kms_alias.alarm-key_alias', 'aws_chatbot_slack_channel_configuration.slack_channel', 'aws_iam_policy.slack_guardrail']));
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
    });

    test('adopt → external forgets the cluster and the group it keeps; aurora-audit creates a group for the owner', async () => {
      const planned = await planStack(synth(config((c) => (c.targets[0].clusters[0].attach = 'external'))).get('production'), state);
      const actions = actionsOf(planned);
      expect(actions['aws_rds_cluster.cluster-orders-db_adopted']).toEqual(['forget']);
      expect(actions['aws_rds_cluster_parameter_group.parameter-group-orders-db-params']).toEqual(['forget']);
      expect(actions['aws_rds_cluster_parameter_group.cluster-orders-db_parameter-group']).toEqual(['create']);
      expect(findUnsafeChanges(planned.plan)).toEqual([]);
    });

    test('dropping the created key forgets it, so what it encrypted stays readable; only its alias goes', async () => {
      const planned = await planStack(synth(config((c) => (c.encryption = { mode: 'none' }))).get('production'), state);
      const actions = actionsOf(planned);
      expect(actions['aws_kms_key.alarm-key_key']).toEqual(['forget']);
      expect(actions['aws_kms_alias.alarm-key_alias']).toEqual(['delete']);
      // With the key goes the rule that watched it.
      expect(deleted(planned)).toEqual(['aws_cloudwatch_event_rule.tamper-alerts_key', 'aws_cloudwatch_event_target.tamper-alerts_key-target', 'aws_kms_alias.alarm-key_alias']);
      // New audit records would no longer be encrypted: a weakening check-plan names, which the user accepts by --allow.
      const findings = findUnsafeChanges(planned.plan);
      expect(findings.map((f) => `${f.address}: ${f.reason}`)).toEqual([
        'aws_cloudwatch_log_group.cluster-legacy-db_log-groups_audit: its KMS key is removed: audit records would no longer be encrypted with it',
        'aws_cloudwatch_log_group.cluster-orders-db_log-groups_audit: its KMS key is removed: audit records would no longer be encrypted with it',
      ]);
      expect(findUnsafeChanges(planned.plan, findings.map((f) => f.address))).toEqual([]);
    });

    test('a log group that existed before aurora-audit is forgotten when its type is no longer exported', async () => {
      const planned = await planStack(
        synth(config((c) => (c.targets[0].clusters[0].audit = { logTypes: ['audit', 'general', 'slowquery'] }))).get('production'),
        state,
      );
      expect(actionsOf(planned)['aws_cloudwatch_log_group.cluster-orders-db_log-groups_error']).toEqual(['forget']);
      expect(deleted(planned).filter((a) => a.startsWith('aws_cloudwatch_log_group.'))).toEqual([]);
    });

    test('a cluster deleted from the config with no retired entry: the destroy would snapshot, and check-plan stops it', async () => {
      // Synthesized into a fresh directory, as a pipeline on a fresh checkout does: synth has no earlier output to
      // compare with, so only Terraform's plan shows the loss, and check-plan is the guard.
      const planned = await planStack(synth(config((c) => c.targets[0].clusters.splice(0, 1))).get('production'), state);
      const cluster = planned.changes.get('aws_rds_cluster.cluster-orders-db_adopted');
      expect(cluster.change.actions).toEqual(['delete']);
      // Were it applied, RDS would take a final snapshot and keep the automated backups.
      expect(cluster.change.before).toMatchObject({ skip_final_snapshot: false, final_snapshot_identifier: 'orders-db-aurora-audit-final', delete_automated_backups: false });
      expect(findUnsafeChanges(planned.plan).map((f) => f.address).sort()).toEqual([
        'aws_rds_cluster.cluster-orders-db_adopted',
        'aws_rds_cluster_parameter_group.parameter-group-orders-db-params',
      ]);
      // The command a pipeline runs between plan and apply: exit 3, naming each resource.
      const run = cliProcess(['check-plan', path.join(planned.dir, 'plan.json')], planned.dir);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('aws_rds_cluster.cluster-orders-db_adopted: the plan would delete it, and it is the database orders-db');
      expect(run.stderr).toContain('aws_rds_cluster_parameter_group.parameter-group-orders-db-params: the plan would delete it, and it is the parameter group orders-db-params, which aurora-audit did not create');
    });

    test('weakening what keeps the records by config (a retention cut, fewer audit events, logs not kept, the audit log no longer exported): check-plan stops each', async () => {
      const weakened = synth(
        config((c) => {
          c.audit = { retentionDays: { audit: 1 }, shortRetentionAccepted: true, events: ['QUERY_DDL'], keepLogsOnDestroy: false };
          c.targets[0].clusters[1].audit = { logTypes: ['error', 'general', 'slowquery'] };
        }),
      ).get('production');
      const planned = await planStack(weakened, state);
      const findings = findUnsafeChanges(planned.plan).map((f) => `${f.address}: ${f.reason}`);
      expect(findings.sort()).toEqual(
        [
          'aws_cloudwatch_log_group.cluster-orders-db_log-groups_audit: its retention is cut from 365 days to 1 days: older audit records would be deleted',
          'aws_cloudwatch_log_group.cluster-orders-db_log-groups_audit: skip_destroy is turned off: a later destroy would delete the audit records',
          'aws_rds_cluster.cluster-legacy-db_adopted: the audit log is no longer exported: audit records would stop reaching CloudWatch Logs',
          'aws_rds_cluster_parameter_group.cluster-legacy-db_parameter-group: server_audit_events no longer has CONNECT, QUERY_DCL: those events stop being audited',
          'aws_rds_cluster_parameter_group.parameter-group-orders-db-params: server_audit_events no longer has CONNECT, QUERY_DCL: those events stop being audited',
        ].sort(),
      );
      // legacy-db's audit log group goes from the config, but its state says skip_destroy: the provider only forgets it.
      expect(planned.changes.get('aws_cloudwatch_log_group.cluster-legacy-db_log-groups_audit').change.before.skip_destroy).toBe(true);
      const run = cliProcess(['check-plan', path.join(planned.dir, 'plan.json')], planned.dir);
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('check-plan: ');
    });

    test('check-plan passes a plan that keeps everything, read from stdin as a pipeline pipes it', async () => {
      const planned = await retiringPlan();
      const run = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'aurora-audit.js'), 'check-plan', '-'], {
        input: fs.readFileSync(path.join(planned.dir, 'plan.json')),
        encoding: 'utf8',
      });
      expect({ code: run.status, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^check-plan: \d+ resource changes; none loses or weakens a database, a KMS key, a parameter group or its auditing, a log group of audit records, or the archive\. It removes coverage: \d+ detection alarms, \d+ metric filters\.$/m);
    });
  });
});
