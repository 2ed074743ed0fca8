/**
 * What exists once per account moves to the account's own stack: planned by the real Terraform against the state an
 * apply of today's output left (test/fixtures/legacy-0.2, what aurora-audit synthesized before account stacks). The
 * region stacks and the account stacks have states of their own, so a parallel pipeline may apply them in either
 * order: each plan is checked against the state its stack has whichever went first, and nothing is ever deleted that
 * the other needs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { findUnsafeChanges, judgePlan } from '../../cli/plan-rules';
import { parseConfig } from '../../config/load';
import { awsWorld } from '../support/aws-world';
import { ROOT, type Json } from '../support/fixtures';
import { actionsOf, planStack, stateAfterApply, type PlannedStack, type StateResource } from '../support/state';
import { describeWithTerraform } from '../support/terraform';
import { config, production, synth } from '../support/transitions';

const LEGACY = path.join(ROOT, 'test', 'fixtures', 'legacy-0.2');
const legacy = (config: string, stack: string): Json => JSON.parse(fs.readFileSync(path.join(LEGACY, config, stack, 'cdk.tf.json'), 'utf8'));

/** deployed-monitoring.yaml, changed. */
function monitoringConfig(change: (c: Json) => void = () => undefined) {
  const c = parseYaml(fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'deployed-monitoring.yaml'), 'utf8'));
  change(c);
  return parseConfig(stringify(c), 'aurora-audit.yaml');
}

const payments = awsWorld({ clusters: { payments: { group: 'default.aurora-mysql8.0' } } });
const by = (planned: PlannedStack, action: string) => Object.entries(actionsOf(planned)).filter(([, a]) => a.includes(action)).map(([address]) => address).sort();
/** The names a stack gives its resources of a type, by the provider (region) each is made through. */
const names = (json: Json, type: string): string[] => Object.values<Json>(json.resource?.[type] ?? {}).map((r) => `${r.provider ?? 'aws'}:${r.name}`).sort();
/** The provider configurations a plan's resources use. */
const providersUsed = (planned: PlannedStack): string[] => [...new Set(planned.plan.configuration.root_module.resources.map((r: Json) => r.provider_config_key))].sort() as string[];

describeWithTerraform(
  'terraform transitions to account stacks',
  [
    "a region stack deletes its own Chatbot forwarders, through providers it keeps for that; the account stack makes its own, under names that never meet the old ones",
    "the metric-sharing role: the region stack that made it forgets it and the account stack adopts it, in either order; retiring that region deletes nothing",
  ],
  () => {
    describe('the Chatbot forwarders (per-account mode)', () => {
      let before: StateResource[];
      beforeAll(async () => {
        before = await stateAfterApply(legacy('deployed-0.1', 'production'), production);
      });

      test("the region stack deletes what forwarded Chatbot's events and nothing else; afterwards it uses two providers", async () => {
        const next = synth(config());
        const planned = await planStack(next.get('production'), before);
        expect(by(planned, 'delete')).toEqual(
          [
            ...['ap-southeast-1', 'us-east-2', 'us-west-2'].flatMap((r) => [`aws_cloudwatch_event_rule.tamper-alerts_chatbot-from-${r}`, `aws_cloudwatch_event_target.tamper-alerts_chatbot-from-${r}-target`]),
            'aws_iam_role.tamper-alerts_forwarding-role',
            'aws_iam_role_policy.tamper-alerts_forwarding-role-policy',
          ].sort(),
        );
        // Besides, only the alert path changes: the alert-details function (its package is built from today's code,
        // and it now verifies alarms), the topic's policy (only the alarms may speak), and the tamper rules, which
        // now watch every write and report the deployment's own; and the Logs Insights parse expressions of the saved
        // queries and the dashboard, which now read a line as the detail message does. Each is created or updated in
        // place.
        const others = Object.entries(actionsOf(planned)).filter(([, a]) => !(a.length === 1 && ['delete', 'forget'].includes(a[0])));
        for (const [address, actions] of others) {
          const allowed =
            /^(aws_cloudwatch_event_(rule|target)\.tamper-alerts_|aws_sns_topic_policy\.alarm-topic_topic-policy$|aws_lambda_function\.alert-details_function$|aws_iam_role_policy\.alert-details_policy$|aws_cloudwatch_dashboard\.|aws_cloudwatch_query_definition\.)/.test(
              address,
            );
          expect({ address, actions, allowed }).toEqual({ address, actions: actions[0] === 'create' ? ['create'] : ['update'], allowed: true });
        }
        expect(findUnsafeChanges(planned.plan)).toEqual([]);
        expect(judgePlan(planned.plan).coverageRemoved).toEqual(['3 EventBridge rules (tamper alerts, findings)']);
        // Its own rules, in its own region, are the ones it had: the channel's tamper rule stays, unchanged (0.2 had no
        // deploy role here, so no session to leave out), and still watches the channel configuration.
        const chatbot = planned.changes.get('aws_cloudwatch_event_rule.tamper-alerts_chatbot').change;
        expect(chatbot.actions).toEqual(['no-op']);
        expect(chatbot.after.event_pattern).toContain('chat-configuration/slack-channel/');
        // What it declares is made through two providers; the rest are kept only to delete what 0.2 made through them.
        expect(providersUsed(planned)).toEqual(['aws', 'aws.chatbot_logs']);
      });

      test('the account stack only creates, under names the old forwarders never had, so either may be applied first', async () => {
        const next = synth(config());
        const account = next.get('account-123456789012');
        const planned = await planStack(account, []);
        expect(new Set(Object.values(actionsOf(planned)).flat())).toEqual(new Set(['create']));
        const old = legacy('deployed-0.1', 'production');
        for (const type of ['aws_cloudwatch_event_rule', 'aws_iam_role']) {
          const taken = new Set(names(old, type).map((n) => n.replace(/^aws\.chatbot_events_/, '')));
          for (const name of names(account, type)) expect({ name, taken: taken.has(name.replace(/^aws\.chatbot_events_/, '')) }).toEqual({ name, taken: false });
        }
        // One rule per region Chatbot's API records calls in, to the stacks' regions (eu-west-1 and us-east-2 here).
        // And one from IAM's region to each other stack region, for the roles and trails rules.
        expect(by(planned, 'create').filter((a) => a.startsWith('aws_cloudwatch_event_rule.'))).toEqual([
          'aws_cloudwatch_event_rule.chatbot-forwarding_account-to-eu-west-1',
          'aws_cloudwatch_event_rule.chatbot-forwarding_account-to-us-east-2',
          'aws_cloudwatch_event_rule.chatbot-forwarding_ap-southeast-1-to-eu-west-1',
          'aws_cloudwatch_event_rule.chatbot-forwarding_ap-southeast-1-to-us-east-2',
          'aws_cloudwatch_event_rule.chatbot-forwarding_eu-west-1-to-us-east-2',
          'aws_cloudwatch_event_rule.chatbot-forwarding_us-east-2-to-eu-west-1',
          'aws_cloudwatch_event_rule.chatbot-forwarding_us-west-2-to-eu-west-1',
          'aws_cloudwatch_event_rule.chatbot-forwarding_us-west-2-to-us-east-2',
        ]);
      });
    });

    describe('the metric-sharing role (monitoring-account mode)', () => {
      let before: StateResource[];
      beforeAll(async () => {
        before = await stateAfterApply(legacy('deployed-monitoring', 'payments-eu-west-1'), payments);
      });

      test('the state 0.2 left: the role in the stack of the account\'s first region', () => {
        expect(before.filter((r) => r.type === 'aws_iam_role').map((r) => r.attributes.name)).toContain('CloudWatch-CrossAccountSharingRole');
      });

      test('the region stack that made it forgets it: nothing of the account is deleted', async () => {
        const planned = await planStack(synth(monitoringConfig()).get('payments-eu-west-1'), before);
        expect(by(planned, 'forget')).toEqual(['aws_iam_role.metric-sharing_role', 'aws_iam_role_policy.metric-sharing_role-policy']);
        expect(by(planned, 'delete').filter((a) => a.startsWith('aws_iam_role'))).toEqual([]);
        expect(findUnsafeChanges(planned.plan)).toEqual([]);
        expect(judgePlan(planned.plan).coverageRemoved).toEqual([]);
      });

      test("retiring the account's first region forgets the role there; the account stack still holds it", async () => {
        const retiring = synth(
          monitoringConfig((c) => {
            delete c.accounts[0].regions['eu-west-1'];
            c.retired = [{ accountId: '111111111111', region: 'eu-west-1', identifier: 'payments', stack: 'payments-eu-west-1', attach: 'adopt', roleArn: 'arn:aws:iam::111111111111:role/aurora-audit-deploy' }];
          }),
        );
        const planned = await planStack(retiring.get('payments-eu-west-1'), before);
        expect(by(planned, 'forget')).toEqual(expect.arrayContaining(['aws_iam_role.metric-sharing_role', 'aws_iam_role_policy.metric-sharing_role-policy']));
        // Only the region's own plumbing goes (its event delivery role among it), never the account's role.
        expect(by(planned, 'delete').filter((a) => a.includes('metric-sharing'))).toEqual([]);
        expect(retiring.get('account-111111111111').resource.aws_iam_role['metric-sharing_role'].name).toBe('CloudWatch-CrossAccountSharingRole');
        expect(findUnsafeChanges(planned.plan)).toEqual([]);
      });

      test('with sharingRole: adopt the account stack imports it: whether or not the region stack has forgotten it yet, it plans no create and no delete', async () => {
        const account = synth(monitoringConfig((c) => (c.monitoring.sharingRole = 'adopt'))).get('account-111111111111');
        expect(account.import.map((i: Json) => i.id)).toEqual(['CloudWatch-CrossAccountSharingRole', 'CloudWatch-CrossAccountSharingRole:read-metrics']);
        // The moment after import: the account stack's state holds the role as AWS has it, which is as 0.2 made it.
        const applied = await stateAfterApply(account);
        const made = new Map(before.map((r) => [`${r.type}.${r.name}`, r]));
        const imported = applied.map((r) =>
          // The roles 0.2 made, as it made them; the account stack's forwarding role is its own, as applied.
          made.has(`${r.type}.${r.name}`) ? { ...r, attributes: { ...r.attributes, ...made.get(`${r.type}.${r.name}`)!.attributes } } : r,
        );
        const planned = await planStack(account, imported);
        expect(by(planned, 'create')).toEqual([]);
        expect(by(planned, 'delete')).toEqual([]);
        expect(findUnsafeChanges(planned.plan)).toEqual([]);
      });
    });
  },
);
