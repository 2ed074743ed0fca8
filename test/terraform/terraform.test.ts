/**
 * Terraform itself judges what aurora-audit synthesizes: `init` offline against the provider mirror, `validate` for
 * every stack of every template, an offline `plan`, and the provider's schema against the ignore list.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../config/load';
import { RDS_CLUSTER_IGNORED_ARGUMENTS, RDS_CLUSTER_MANAGED_ARGUMENTS } from '../../modules/adopted-cluster';
import { ROOT, tempDir, TEMPLATES, type Json } from '../support/fixtures';
import { synthAll } from '../support/synth';
import { offlineProviderOverride, removeTerraformHome, required, status, terraform } from '../support/terraform';

jest.setTimeout(300_000);

const CONFIGS = [...TEMPLATES, ...['every-option.yaml', 'adopted-existing.yaml', 'retired-target.yaml'].map((f) => path.join(ROOT, 'test', 'fixtures', f))];
const PLAN_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'external-plan.yaml');

/** Every stack of every config, synthesized once: [label, stack directory]. */
function synthesizedStacks(): Array<[string, string]> {
  return CONFIGS.flatMap((file) => {
    const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
    const outdir = path.join(tempDir(), 'cdktf.out');
    synthAll(model, outdir);
    return [...model.stacks, ...model.retiredStacks].map((s): [string, string] => [`${path.relative(ROOT, file)} › ${s.name}`, path.join(outdir, 'stacks', s.name)]);
  });
}

interface StateResource {
  readonly type: string;
  readonly name: string;
  readonly schemaVersion?: number;
  readonly attributes: Json;
  readonly sensitive?: string[];
}

/** Plans a synthesized, initialized stack against a recorded state, offline; its resource changes by address. */
async function planAgainst(stackDir: string, stateFile: string, state: readonly StateResource[]): Promise<Map<string, Json>> {
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  fs.writeFileSync(
    stateFile,
    JSON.stringify({
      version: 4,
      terraform_version: status.version,
      serial: 1,
      lineage: '6e1b7f40-aaaa-bbbb-cccc-000000000002',
      outputs: {},
      resources: state.map((r) => ({
        mode: 'managed',
        type: r.type,
        name: r.name,
        provider: 'provider["registry.terraform.io/hashicorp/aws"]',
        instances: [{ schema_version: r.schemaVersion ?? 0, attributes: r.attributes, sensitive_attributes: (r.sensitive ?? []).map((a) => [{ type: 'get_attr', value: a }]) }],
      })),
    }),
  );
  const planned = await terraform(stackDir, ['plan', '-refresh=false', '-input=false', '-lock=false', '-no-color', '-out=plan.bin']);
  expect({ code: planned.code, stderr: planned.stderr }).toEqual({ code: 0, stderr: '' });
  const plan = JSON.parse((await terraform(stackDir, ['show', '-json', 'plan.bin'])).stdout);
  return new Map(plan.resource_changes.map((r: Json) => [r.address, r]));
}

if (!status.available && required) {
  describe('terraform', () => {
    test('terraform and the hashicorp/aws 5.100.0 mirror are present (AURORA_AUDIT_REQUIRE_TERRAFORM is set)', () => {
      throw new Error(`Terraform checks cannot run: ${status.reason}`);
    });
  });
} else if (!status.available) {
  describe('terraform', () => {
    for (const file of CONFIGS) test.todo(`init and validate every stack of ${path.relative(ROOT, file)}`);
    test.todo(`offline plan of ${path.relative(ROOT, PLAN_FIXTURE)}`);
    test.todo('ignore_changes of adopted clusters covers every aws_rds_cluster argument of the provider');
  });
} else {
  afterAll(removeTerraformHome);

  describe(`terraform ${status.version} validates every stack of every template`, () => {
    test.each(synthesizedStacks())('%s', async (_label, dir) => {
      const init = await terraform(dir, ['init', '-backend=false', '-input=false', '-no-color']);
      expect({ init: init.code, stderr: init.stderr }).toEqual({ init: 0, stderr: '' });
      const validate = await terraform(dir, ['validate', '-json', '-no-color']);
      const result = JSON.parse(validate.stdout);
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
      const init = await terraform(dir, ['init', '-input=false', '-no-color']);
      expect(init).toMatchObject({ code: 0, stderr: '' });
      const planned = await terraform(dir, ['plan', '-refresh=false', '-input=false', '-lock=false', '-no-color', '-out=plan.bin']);
      expect({ code: planned.code, stderr: planned.stderr }).toEqual({ code: 0, stderr: '' });
      plan = JSON.parse((await terraform(dir, ['show', '-json', 'plan.bin'])).stdout);
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
      expect(groups.length).toBe(9);
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

  describe('terraform plan of an adopted cluster already in state (what every later plan sees)', () => {
    let dir: string;
    let clusterAddress: string;
    let stateFile: string;

    /** The cluster as AWS would report it: every argument set, none of them aurora-audit's business. */
    const clusterAsInAws = (overrides: Json = {}): Json => ({
      id: 'orders-db',
      arn: 'arn:aws:rds:eu-west-1:123456789012:cluster:orders-db',
      cluster_identifier: 'orders-db',
      cluster_resource_id: 'cluster-ABCDEFGHIJKLMNOP',
      engine: 'aurora-mysql',
      engine_mode: 'provisioned',
      engine_version: '8.0.mysql_aurora.3.05.2',
      engine_version_actual: '8.0.mysql_aurora.3.05.2',
      master_username: 'admin',
      database_name: 'orders',
      port: 3306,
      backup_retention_period: 14,
      preferred_backup_window: '02:00-03:00',
      preferred_maintenance_window: 'sun:04:00-sun:05:00',
      deletion_protection: true,
      storage_encrypted: true,
      kms_key_id: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      vpc_security_group_ids: ['sg-0123456789abcdef0'],
      db_subnet_group_name: 'orders-private',
      availability_zones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
      iam_database_authentication_enabled: false,
      copy_tags_to_snapshot: true,
      tags: { Team: 'orders' },
      tags_all: { Team: 'orders' },
      db_cluster_parameter_group_name: 'aurora-audit-orders-db-aurora-mysql8-0',
      enabled_cloudwatch_logs_exports: ['audit', 'error', 'general', 'slowquery'],
      master_user_secret: [],
      skip_final_snapshot: false,
      apply_immediately: null,
      ...overrides,
    });

    /** The attributes a planned change alters: name → [before, after], unknown-after-apply shown as '(known after apply)'. */
    const changedAttributes = (change: Json): Record<string, [unknown, unknown]> =>
      Object.fromEntries(
        Object.keys({ ...change.change.before, ...change.change.after, ...change.change.after_unknown })
          .map((key): [string, [unknown, unknown]] => [key, [change.change.before[key], change.change.after_unknown[key] ? '(known after apply)' : change.change.after[key]]])
          .filter(([, [before, after]]) => JSON.stringify(before) !== JSON.stringify(after)),
      );

    async function planWithClusterState(attributes: Json): Promise<Json> {
      // The sensitive marks as Terraform records them: a state without them plans an "update" of sensitivity alone.
      const changes = await planAgainst(dir, stateFile, [{ type: 'aws_rds_cluster', name: clusterAddress, schemaVersion: 1, sensitive: ['master_password', 'master_password_wo'], attributes }]);
      return [...changes.values()].find((r) => r.type === 'aws_rds_cluster');
    }

    beforeAll(async () => {
      const project = tempDir();
      const model = parseConfig(fs.readFileSync(path.join(ROOT, 'templates', 'quickstart.yaml'), 'utf8'), 'quickstart.yaml');
      const [[name, json]] = [...synthAll(model, path.join(project, 'cdktf.out'))];
      dir = path.join(project, 'cdktf.out', 'stacks', name);
      clusterAddress = Object.keys(json.resource.aws_rds_cluster)[0];
      stateFile = path.resolve(dir, json.terraform.backend.local.path);
      fs.writeFileSync(path.join(dir, 'offline_override.tf.json'), offlineProviderOverride(json));
      expect(await terraform(dir, ['init', '-input=false', '-no-color'])).toMatchObject({ code: 0, stderr: '' });
    });

    test('once applied, the next plan leaves the cluster alone', async () => {
      const change = await planWithClusterState(clusterAsInAws());
      expect(changedAttributes(change)).toEqual({});
      expect(change.change.actions).toEqual(['no-op']);
    });

    test('whatever else the cluster has set, or changes to later, plans no change to the database', async () => {
      // Arguments Terraform would otherwise reset to their defaults, because the stack's config leaves them unset.
      const change = await planWithClusterState(
        clusterAsInAws({
          iam_database_authentication_enabled: true,
          backtrack_window: 86400,
          enable_http_endpoint: true,
          performance_insights_enabled: true,
          monitoring_interval: 60,
          engine_version: '8.0.mysql_aurora.3.08.0',
          cluster_identifier: 'orders-db-renamed',
          tags: { Team: 'orders', CostCenter: 'db' },
          tags_all: { Team: 'orders', CostCenter: 'db' },
        }),
      );
      expect(changedAttributes(change)).toEqual({});
      expect(change.change.actions).toEqual(['no-op']);
    });

    test('on first apply only the parameter group and log exports change, in place, never by replacement', async () => {
      const before = clusterAsInAws({ db_cluster_parameter_group_name: 'default.aurora-mysql8.0', enabled_cloudwatch_logs_exports: ['error'] });
      const change = await planWithClusterState(before);
      expect(change.change.actions).toEqual(['update']);
      expect(Object.keys(changedAttributes(change)).sort()).toEqual(['db_cluster_parameter_group_name', 'enabled_cloudwatch_logs_exports']);
      expect(change.change.after.db_cluster_parameter_group_name).toBe('aurora-audit-orders-db-aurora-mysql8-0');
    });
  });

  describe('terraform plan of clusters already in state: adopted groups, retired clusters, a retired target', () => {
    async function prepare(config: string, stack: string): Promise<{ dir: string; stateFile: string }> {
      const project = tempDir();
      const model = parseConfig(fs.readFileSync(config, 'utf8'), config);
      const stacks = synthAll(model, path.join(project, 'cdktf.out'));
      const json = stacks.get(stack) ?? JSON.parse(fs.readFileSync(path.join(project, 'cdktf.out', 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      const dir = path.join(project, 'cdktf.out', 'stacks', stack);
      fs.writeFileSync(path.join(dir, 'offline_override.tf.json'), offlineProviderOverride(json));
      expect(await terraform(dir, ['init', '-input=false', '-no-color'])).toMatchObject({ code: 0, stderr: '' });
      return { dir, stateFile: path.resolve(dir, json.terraform.backend.local.path) };
    }

    const cluster = (identifier: string, group: string, exports: string[], engine = 'aurora-mysql', engineVersion = '8.0.mysql_aurora.3.05.2'): StateResource => ({
      type: 'aws_rds_cluster',
      name: `cluster_${identifier.replace(/-/g, '_')}`,
      schemaVersion: 1,
      sensitive: ['master_password', 'master_password_wo'],
      attributes: {
        id: identifier,
        arn: `arn:aws:rds:eu-west-1:123456789012:cluster:${identifier}`,
        cluster_identifier: identifier,
        engine,
        engine_version: engineVersion,
        master_username: 'admin',
        deletion_protection: true,
        tags: {},
        tags_all: {},
        db_cluster_parameter_group_name: group,
        enabled_cloudwatch_logs_exports: exports,
        master_user_secret: [],
        skip_final_snapshot: false,
      },
    });
    type Parameter = { name: string; value: string; apply_method: string };
    const parameterGroup = (identifier: string, name: string, parameters: Parameter[], family = 'aurora-mysql8.0'): StateResource => ({
      type: 'aws_rds_cluster_parameter_group',
      name: `parameter_group_${identifier.replace(/-/g, '_')}`,
      attributes: { id: name, arn: `arn:aws:rds:eu-west-1:123456789012:cluster-pg:${name}`, name, name_prefix: '', family, description: 'set up by the orders team', parameter: parameters, tags: {}, tags_all: {} },
    });
    const logGroup = (identifier: string, type: string, retention = 365): StateResource => ({
      type: 'aws_cloudwatch_log_group',
      name: `log_${identifier.replace(/-/g, '_')}_${type}`,
      attributes: { id: `/aws/rds/cluster/${identifier}/${type}`, name: `/aws/rds/cluster/${identifier}/${type}`, arn: `arn:aws:logs:eu-west-1:123456789012:log-group:/aws/rds/cluster/${identifier}/${type}`, retention_in_days: retention, skip_destroy: false, log_group_class: 'STANDARD', kms_key_id: '', name_prefix: '', tags: {}, tags_all: {} },
    });
    const names = (ps: Json[]) => ps.map((p) => `${p.name}=${p.value}/${p.apply_method}`).sort();
    const USER_PARAMETERS = [
      { name: 'max_connections', value: '2000', apply_method: 'immediate' },
      { name: 'innodb_print_all_deadlocks', value: '1', apply_method: 'immediate' },
      { name: 'binlog_format', value: 'ROW', apply_method: 'pending-reboot' },
    ];

    /** AWS as adopted-existing.yaml finds it: orders-db with its own group, and legacy-db (retired) with ours. */
    const adoptedExistingState = (): StateResource[] => [
      cluster('orders-db', 'orders-db-params', ['audit', 'error', 'general', 'slowquery']),
      parameterGroup('orders-db', 'orders-db-params', USER_PARAMETERS),
      cluster('legacy-db', 'aurora-audit-legacy-db-aurora-mysql8-0', ['audit']),
      parameterGroup('legacy-db', 'aurora-audit-legacy-db-aurora-mysql8-0', [{ name: 'server_audit_logging', value: '1', apply_method: 'immediate' }]),
      logGroup('legacy-db', 'audit'),
    ];

    test("an adopted cluster's own parameter group gains the audit parameters, in place, and loses none of the user's", async () => {
      const { dir, stateFile } = await prepare(path.join(ROOT, 'test', 'fixtures', 'adopted-existing.yaml'), 'production');
      const changes = await planAgainst(dir, stateFile, adoptedExistingState());
      const group = changes.get('aws_rds_cluster_parameter_group.parameter_group_orders_db');
      expect(group.change.actions).toEqual(['update']);
      expect(names(group.change.after.parameter)).toEqual(expect.arrayContaining(names(USER_PARAMETERS)));
      expect(names(group.change.after.parameter).filter((p) => !names(USER_PARAMETERS).includes(p))).toEqual([
        'server_audit_events=CONNECT,QUERY_DCL,QUERY_DDL/immediate',
        'server_audit_excl_users=rdsadmin/immediate',
        'server_audit_logging=1/immediate',
      ]);
      expect(group.change.after.description).toBe('set up by the orders team');
      // The cluster keeps its group, so nothing about it changes and no reboot follows.
      expect(changes.get('aws_rds_cluster.cluster_orders_db').change.actions).toEqual(['no-op']);
    });

    test('an adopted Aurora PostgreSQL cluster (templates/existing-clusters.yaml): pgaudit joins the preloaded libraries in its own group, in place, and the cluster is left alone', async () => {
      const { dir, stateFile } = await prepare(path.join(ROOT, 'templates', 'existing-clusters.yaml'), 'production');
      const userParameters: Parameter[] = [
        { name: 'shared_preload_libraries', value: 'pg_stat_statements,pg_hint_plan', apply_method: 'pending-reboot' },
        { name: 'log_min_duration_statement', value: '2000', apply_method: 'immediate' },
      ];
      // Everything the template imports is as AWS has it: the three clusters, the two custom groups, the log groups RDS made.
      const changes = await planAgainst(dir, stateFile, [
        cluster('orders-db', 'orders-db-params', ['error', 'slowquery']),
        parameterGroup('orders-db', 'orders-db-params', USER_PARAMETERS),
        logGroup('orders-db', 'error', 90),
        logGroup('orders-db', 'slowquery', 30),
        cluster('billing', 'default.aurora-mysql5.7', [], 'aurora-mysql', '5.7.mysql_aurora.2.11.2'),
        cluster('reports', 'reports-pg16', [], 'aurora-postgresql', '16.4'),
        parameterGroup('reports', 'reports-pg16', userParameters, 'aurora-postgresql16'),
        logGroup('reports', 'postgresql'),
      ]);
      const group = changes.get('aws_rds_cluster_parameter_group.parameter_group_reports');
      expect(group.change.actions).toEqual(['update']);
      expect(names(group.change.after.parameter)).toEqual([
        'log_connections=1/immediate',
        'log_disconnections=1/immediate',
        'log_min_duration_statement=2000/immediate',
        'pgaudit.log=ddl,role/immediate',
        'shared_preload_libraries=pg_stat_statements,pg_hint_plan,pgaudit/pending-reboot',
      ]);
      const reports = changes.get('aws_rds_cluster.cluster_reports');
      expect(reports.change.actions).toEqual(['update']);
      const changed = Object.keys(reports.change.after).filter((k) => JSON.stringify(reports.change.before[k]) !== JSON.stringify(reports.change.after[k]));
      expect(changed).toEqual(['enabled_cloudwatch_logs_exports']);
      expect(reports.change.after.enabled_cloudwatch_logs_exports).toEqual(['postgresql']);
      // Nothing anywhere in the stack is destroyed or replaced, and no database or group is created.
      const actions = [...changes.values()].map((r) => ({ address: r.address, actions: r.change.actions }));
      expect(actions.filter((a) => a.actions.includes('delete'))).toEqual([]);
      expect(actions.filter((a) => /^aws_rds_cluster\./.test(a.address) && a.actions.includes('create'))).toEqual([]);
      expect(changes.get('aws_rds_cluster_parameter_group.parameter_group_orders_db').change.actions).toEqual(['update']);
    });

    test('a cluster that left the config is forgotten, with its group and audit log group, never destroyed', async () => {
      const { dir, stateFile } = await prepare(path.join(ROOT, 'test', 'fixtures', 'adopted-existing.yaml'), 'production');
      const changes = await planAgainst(dir, stateFile, adoptedExistingState());
      for (const address of ['aws_rds_cluster.cluster_legacy_db', 'aws_rds_cluster_parameter_group.parameter_group_legacy_db', 'aws_cloudwatch_log_group.log_legacy_db_audit']) {
        expect({ address, actions: changes.get(address)?.change.actions }).toEqual({ address, actions: ['forget'] });
      }
      expect([...changes.values()].filter((r) => r.change.actions.includes('delete'))).toEqual([]);
    });

    test("a target that left the config: its stack forgets the cluster, group, audit logs and key, and destroys only its alarms' plumbing", async () => {
      const { dir, stateFile } = await prepare(path.join(ROOT, 'test', 'fixtures', 'retired-target.yaml'), 'old-region');
      const changes = await planAgainst(dir, stateFile, [
        cluster('payments-us', 'aurora-audit-payments-us-aurora-mysql8-0', ['audit']),
        parameterGroup('payments-us', 'aurora-audit-payments-us-aurora-mysql8-0', [{ name: 'server_audit_logging', value: '1', apply_method: 'immediate' }]),
        logGroup('payments-us', 'audit'),
        { type: 'aws_kms_key', name: 'alarm_key', attributes: { id: 'k-1', key_id: 'k-1', arn: 'arn:aws:kms:us-east-2:123456789012:key/k-1', policy: '{}', deletion_window_in_days: 30, enable_key_rotation: true, is_enabled: true, tags: {}, tags_all: {} } },
        { type: 'aws_sns_topic', name: 'alarm-topic_topic_1', attributes: { id: 'arn:aws:sns:us-east-2:123456789012:t', arn: 'arn:aws:sns:us-east-2:123456789012:t', name: 't', tags: {}, tags_all: {} } },
      ]);
      const actions = Object.fromEntries([...changes].map(([address, r]) => [address, r.change.actions]));
      expect(actions).toEqual({
        'aws_rds_cluster.cluster_payments_us': ['forget'],
        'aws_rds_cluster_parameter_group.parameter_group_payments_us': ['forget'],
        'aws_cloudwatch_log_group.log_payments_us_audit': ['forget'],
        'aws_kms_key.alarm_key': ['forget'],
        'aws_sns_topic.alarm-topic_topic_1': ['delete'],
      });
    });
  });

  describe('terraform providers schema', () => {
    test('ignore_changes of adopted clusters covers every aws_rds_cluster argument of the provider but the two managed ones', async () => {
      const dir = tempDir();
      fs.writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify({ terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } } }));
      expect((await terraform(dir, ['init', '-input=false', '-no-color'])).code).toBe(0);
      const schema = JSON.parse((await terraform(dir, ['providers', 'schema', '-json'])).stdout);
      const block = schema.provider_schemas['registry.terraform.io/hashicorp/aws'].resource_schemas.aws_rds_cluster.block;
      const settable = Object.entries<Json>(block.attributes)
        .filter(([name, a]) => name !== 'id' && (a.optional || a.required))
        .map(([name]) => name);
      const blocks = Object.keys(block.block_types).filter((b) => b !== 'timeouts');
      expect([...settable, ...blocks].sort()).toEqual([...RDS_CLUSTER_IGNORED_ARGUMENTS, ...RDS_CLUSTER_MANAGED_ARGUMENTS].sort());
    });
  });
}
