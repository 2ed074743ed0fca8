/**
 * Every string from the config, and so from AWS (init copies parameter values), reaches Terraform as a literal:
 * planned by the real Terraform, each value comes back exactly as written, and nothing in it is evaluated.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { awsWorld } from '../support/aws-world';
import { configWith, modelOf, tempDir, type Json } from '../support/fixtures';
import { actionsOf, planStack, stateAfterApply, type StateResource } from '../support/state';
import { synthAll } from '../support/synth';
import { describeWithTerraform } from '../support/terraform';


/** Each would read a file, the environment or the clock if Terraform evaluated it. */
const HOSTILE = {
  tag: '${file("/etc/hostname")}',
  directive: '%{ if true }evaluated%{ endif }',
  title: 'drops by ${path.cwd}',
  description: 'why: ${abspath(".")} and %{ for x in ["a"] }${x}%{ endfor }',
  pattern: '"${file(\\"/etc/passwd\\")}"',
  user: '${timestamp()}',
  parameter: '${substr(file("/etc/hostname"),0,4)}',
  escaped: '$${already} and %%{escaped}',
};

const config = configWith((c) => {
  c.tags = { Owner: HOSTILE.tag, Note: HOSTILE.directive, Escaped: HOSTILE.escaped };
  c.audit = { excludeUsers: ['rdsadmin', HOSTILE.user] };
  c.customDetections = [{ id: 'odd-statements', logType: 'audit', pattern: HOSTILE.pattern, title: HOSTILE.title, description: HOSTILE.description }];
  c.targets[0].clusters[0].parameterGroup = { name: 'orders-db-params', parameters: { init_connect: HOSTILE.parameter } };
});

describeWithTerraform('terraform literals', ['values with ${...} and %{...} reach AWS as the literal text'], () => {
  describe('terraform literals: config values are never evaluated', () => {
    let json: Json;
    let state: StateResource[];
    const attributes = (type: string) => state.filter((r) => r.type === type).map((r) => r.attributes);
    beforeAll(async () => {
      const model = modelOf(config);
      const outdir = path.join(tempDir(), 'cdktf.out');
      synthAll(model, outdir);
      json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', 'prod', 'cdk.tf.json'), 'utf8'));
      const world = awsWorld({
        clusters: { 'orders-db': { group: 'orders-db-params' } },
        groups: { 'orders-db-params': { family: 'aurora-mysql8.0', parameters: [{ name: 'init_connect', value: HOSTILE.parameter, apply_method: 'immediate' }] } },
      });
      state = await stateAfterApply(json, world);
    });

    test('tags, on every resource through the provider default tags', () => {
      for (const tags of attributes('aws_sns_topic').map((a) => a.tags_all)) {
        expect(tags).toMatchObject({ Owner: HOSTILE.tag, Note: HOSTILE.directive, Escaped: HOSTILE.escaped });
      }
    });

    test('a custom detection: its pattern, and its title and description in the alarm', () => {
      const filter = attributes('aws_cloudwatch_log_metric_filter').find((f) => f.name === 'aurora-audit-odd-statements')!;
      expect(filter.pattern).toBe(HOSTILE.pattern);
      const alarm = attributes('aws_cloudwatch_metric_alarm').find((a) => a.alarm_name.endsWith('/orders-db/odd-statements'))!;
      expect(alarm.alarm_description).toContain(`Drops by \${path.cwd} on Aurora cluster orders-db`);
      expect(alarm.alarm_description).toContain(HOSTILE.description);
    });

    test('parameter values copied from AWS, and excluded users', () => {
      const group = attributes('aws_rds_cluster_parameter_group').find((g) => g.name === 'orders-db-params')!;
      const value = (name: string) => group.parameter.find((p: Json) => p.name === name)?.value;
      expect(value('init_connect')).toBe(HOSTILE.parameter);
      expect(value('server_audit_excl_users')).toBe(`rdsadmin,${HOSTILE.user}`);
    });

    test('the next plan is empty: no value changes from one evaluation to the next', async () => {
      expect(actionsOf(await planStack(json, state))).toEqual({});
    });
  });
});
