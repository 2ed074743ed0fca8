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

const CONFIGS = [...TEMPLATES, path.join(ROOT, 'test', 'fixtures', 'every-option.yaml')];
const PLAN_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'external-plan.yaml');

/** Every stack of every config, synthesized once: [label, stack directory]. */
function synthesizedStacks(): Array<[string, string]> {
  return CONFIGS.flatMap((file) => {
    const model = parseConfig(fs.readFileSync(file, 'utf8'), file);
    const outdir = path.join(tempDir(), 'cdktf.out');
    synthAll(model, outdir);
    return model.stacks.map((s): [string, string] => [`${path.relative(ROOT, file)} › ${s.name}`, path.join(outdir, 'stacks', s.name)]);
  });
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
