/**
 * AWS as an apply of a stack leaves it, for the fake AWS server: built from the Terraform state that planning the
 * synthesized stack gives (state.ts), never from the stack's JSON read the way `verify` reads it. Log groups, metric
 * filters, alarms, topics with their subscriptions (Chatbot's included), rules with their targets, the clusters and
 * their parameter groups, by the values Terraform holds for them.
 */
import { UNCONFIRMED } from '../../config/unconfirmed';
import type { FakeAccount, FakeRegion } from './fake-aws';
import type { Json } from './fixtures';
import type { StateResource } from './state';

type Writable<T> = { -readonly [K in keyof T]: T[K] };
type Item<T> = T extends ReadonlyArray<infer U> ? U : never;
type Entry<T> = T extends Readonly<Record<string, infer V>> ? V : never;

/** A region of the fake server that a test may change after it is built: every part writable. */
export interface WorldRegion extends FakeRegion {
  logGroups: Record<string, number | null>;
  logEvents: Record<string, Array<{ timestamp: number; message: string }>>;
  metricFilters: Array<Writable<Item<NonNullable<FakeRegion['metricFilters']>>>>;
  alarms: Array<Writable<Item<NonNullable<FakeRegion['alarms']>>>>;
  topics: Record<string, { subscriptions: Array<{ protocol: string; endpoint: string }>; failDeliveries?: boolean; chatbotLogGroup?: string }>;
  rules: Record<string, { state: 'ENABLED' | 'DISABLED'; targets: string[] }>;
  clusters: Array<Writable<Item<NonNullable<FakeRegion['clusters']>>>>;
  parameterGroups: Record<string, Record<string, Entry<Entry<NonNullable<FakeRegion['parameterGroups']>>>>>;
  dbParameterGroups?: Record<string, Record<string, Entry<Entry<NonNullable<FakeRegion['parameterGroups']>>>>>;
  deniedRdsActions?: string[];
  blueGreenDeployments?: Array<Item<NonNullable<FakeRegion['blueGreenDeployments']>>>;
  trails?: Array<Writable<Item<NonNullable<FakeRegion['trails']>>>>;
  accessDenied?: boolean;
}

/** The endpoint Chatbot subscribes a topic with (config/unconfirmed.ts; verify only warns on it). */
export const CHATBOT_ENDPOINT = `https://global.sns-api.${UNCONFIRMED.chatbotSubscriptionHost}`;

/** Adds what `state` (of the synthesized `stackJson`) holds to `regions`, by the region of each resource's provider. */
export function addDeployed(regions: Record<string, WorldRegion>, stackJson: Json, state: readonly StateResource[]): Record<string, WorldRegion> {
  const regionOf = new Map<string, string>((stackJson.provider.aws as Json[]).map((p) => [p.alias ? `provider["registry.terraform.io/hashicorp/aws"].${p.alias}` : 'provider["registry.terraform.io/hashicorp/aws"]', p.region]));
  const at = (r: StateResource): WorldRegion => worldRegion(regions, regionOf.get(r.provider) ?? 'eu-west-1');
  const topic = (w: WorldRegion, arn: string) => (w.topics[arn] ??= { subscriptions: [] });
  const rule = (w: WorldRegion, name: string) => (w.rules[name] ??= { state: 'ENABLED', targets: [] });
  // Rules first, so that a target finds its rule's entry whatever the order of the state.
  const ordered = [...state].sort((a, b) => Number(b.type === 'aws_cloudwatch_event_rule') - Number(a.type === 'aws_cloudwatch_event_rule'));
  for (const r of ordered) {
    const a = r.attributes;
    const w = at(r);
    switch (r.type) {
      case 'aws_cloudwatch_log_group':
        w.logGroups[a.name] = a.retention_in_days > 0 ? a.retention_in_days : null;
        w.logEvents[a.name] ??= [];
        break;
      case 'aws_cloudwatch_log_metric_filter': {
        const t = a.metric_transformation[0];
        w.metricFilters.push({ logGroupName: a.log_group_name, filterName: a.name, filterPattern: a.pattern, metricName: t.name, metricNamespace: t.namespace });
        break;
      }
      case 'aws_cloudwatch_metric_alarm': {
        const query = (a.metric_query ?? []).find((q: Json) => q.return_data);
        const metric = query?.metric?.[0];
        w.alarms.push({
          name: a.alarm_name,
          state: 'OK',
          stateChanged: '2026-12-01T09:00:00.000Z',
          metricName: metric?.metric_name ?? a.metric_name,
          namespace: metric?.namespace ?? a.namespace,
          actions: a.alarm_actions ?? [],
          ...(query ? { metricQuery: { accountId: query.account_id || undefined } } : {}),
        });
        break;
      }
      case 'aws_sns_topic':
        topic(w, a.arn);
        break;
      case 'aws_sns_topic_subscription':
        topic(w, a.topic_arn).subscriptions.push({ protocol: a.protocol, endpoint: a.endpoint });
        break;
      case 'aws_chatbot_slack_channel_configuration':
        for (const arn of a.sns_topic_arns ?? []) {
          const region = arn.split(':')[3];
          const t = topic(worldRegion(regions, region), arn);
          t.subscriptions.push({ protocol: 'https', endpoint: CHATBOT_ENDPOINT });
          if (a.logging_level !== 'NONE') t.chatbotLogGroup = `/aws/chatbot/${a.configuration_name}`;
        }
        break;
      case 'aws_cloudwatch_event_rule':
        rule(w, a.name).state = a.state === 'DISABLED' ? 'DISABLED' : 'ENABLED';
        break;
      case 'aws_cloudwatch_event_target':
        rule(w, a.rule).targets.push(a.arn);
        break;
      case 'aws_rds_cluster':
        w.clusters.push({ identifier: a.cluster_identifier, engine: a.engine, engineVersion: a.engine_version, parameterGroup: a.db_cluster_parameter_group_name, exports: a.enabled_cloudwatch_logs_exports ?? [] });
        break;
      case 'aws_rds_cluster_parameter_group':
        w.parameterGroups[a.name] = Object.fromEntries((a.parameter ?? []).map((p: Json) => [p.name, { value: p.value, applyMethod: p.apply_method }]));
        break;
      default:
    }
  }
  return regions;
}

/** The region of the world, made empty when nothing is there yet. */
export function worldRegion(regions: Record<string, WorldRegion>, region: string): WorldRegion {
  return (regions[region] ??= { logGroups: {}, logEvents: {}, metricFilters: [], alarms: [], topics: {}, rules: {}, clusters: [], parameterGroups: {} });
}

/** A multi-region trail that logs, seen in every region the stacks' providers reach. */
export function trailEverywhere(regions: Record<string, WorldRegion>, stackJsons: readonly Json[]): void {
  for (const region of new Set(stackJsons.flatMap((j) => (j.provider.aws as Json[]).map((p) => p.region as string)))) {
    worldRegion(regions, region).trails = [{ name: 'org-trail', logging: true, multiRegion: true, homeRegion: 'us-east-1' }];
  }
}

/** One account's fake AWS from the states of its stacks. */
export function deployedAccount(accountId: string, stacks: ReadonlyArray<{ json: Json; state: readonly StateResource[] }>, change: (regions: Record<string, WorldRegion>) => void = () => undefined): FakeAccount {
  const regions: Record<string, WorldRegion> = {};
  for (const s of stacks) addDeployed(regions, s.json, s.state);
  change(regions);
  return { accountId, regions };
}
