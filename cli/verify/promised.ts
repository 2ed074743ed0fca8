/**
 * What a synthesized stack promises AWS holds once it is applied: its log groups, metric filters, alarms, topic
 * subscriptions and EventBridge rules, by the names and ARNs Terraform gives them. Read from the stack's own Terraform
 * JSON, so `verify` checks what this config deploys, with no earlier output at hand. A reference to another resource
 * (`${aws_sns_topic.x.arn}`) is written out from that resource's name, as AWS forms the ARN; a value only AWS knows
 * (a key's id) is left unknown, and not compared.
 */

import { partitionOf } from '../../config/aws';

/** The stack's Terraform JSON, as cdktf wrote it: untyped. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

export interface StackPlace {
  readonly stack: string;
  readonly accountId: string;
  readonly region: string;
  readonly partition: string;
  /** The role the stack's provider assumes: verify reads through it. */
  readonly roleArn?: string;
}

export interface Promised extends StackPlace {
  readonly logGroups: ReadonlyArray<{ readonly name: string; readonly region: string; readonly retentionDays?: number }>;
  readonly metricFilters: ReadonlyArray<{ readonly logGroupName: string; readonly region: string; readonly name: string; readonly pattern: string; readonly metricName: string; readonly metricNamespace: string }>;
  readonly alarms: ReadonlyArray<{ readonly name: string; readonly region: string; readonly actions: readonly string[]; readonly metricNamespace?: string; readonly metricName?: string }>;
  readonly subscriptions: ReadonlyArray<{ readonly topicArn: string; readonly region: string; readonly protocol: string; readonly endpoint: string }>;
  /** Topics a Chatbot channel configuration reads, with the channel's log group when it logs. */
  readonly chatbotTopics: ReadonlyArray<{ readonly topicArn: string; readonly region: string; readonly configurationName: string; readonly logGroupName?: string }>;
  readonly rules: ReadonlyArray<{ readonly name: string; readonly region: string; readonly eventBusName?: string; readonly enabled: boolean; readonly targets: readonly string[] }>;
  /** The Lambda functions, by name. */
  readonly functions: ReadonlyArray<{ readonly name: string; readonly region: string }>;
  /** The regions the stack's providers reach. */
  readonly regions: readonly string[];
}

const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)\}$/;

/** The stack's promises, from its Terraform JSON. */
export function promisedBy(stack: string, json: Json): Promised {
  const providers: Json[] = json.provider?.aws ?? [];
  const main = providers.find((p) => !p.alias) ?? {};
  const regionOf = new Map<string, string>(providers.map((p) => [p.alias ? `aws.${p.alias}` : 'aws', p.region]));
  const accountId: string = main.allowed_account_ids?.[0] ?? '';
  const region: string = main.region ?? '';
  const partition = partitionOf(region);
  const resources: Record<string, Record<string, Json>> = json.resource ?? {};
  const of = (type: string) => Object.entries(resources[type] ?? {});
  const regionFor = (body: Json) => regionOf.get(body.provider ?? 'aws') ?? region;

  /** A value as AWS will hold it: literal, or a reference written out; undefined when only AWS knows it. */
  const resolve = (value: unknown): string | undefined => {
    if (typeof value !== 'string') return undefined;
    const ref = REFERENCE.exec(value);
    if (!ref) return value.includes('${') ? undefined : value;
    const [, type, id, attribute] = ref;
    const body = resources[type]?.[id];
    if (!body) return undefined;
    const at = regionFor(body);
    const name = resolve(body.name ?? body.function_name ?? body.alarm_name);
    if (attribute === 'name' || attribute === 'function_name' || attribute === 'alarm_name') return resolve(body[attribute]);
    if (attribute !== 'arn' && attribute !== 'id') return undefined;
    if (name === undefined) return undefined;
    switch (type) {
      case 'aws_sns_topic':
        return `arn:${partition}:sns:${at}:${accountId}:${name}`;
      case 'aws_lambda_function':
        return attribute === 'arn' ? `arn:${partition}:lambda:${at}:${accountId}:function:${name}` : name;
      case 'aws_cloudwatch_log_group':
        return attribute === 'arn' ? `arn:${partition}:logs:${at}:${accountId}:log-group:${name}` : name;
      case 'aws_cloudwatch_event_rule':
        return attribute === 'arn' ? `arn:${partition}:events:${at}:${accountId}:rule/${name}` : name;
      default:
        return undefined;
    }
  };
  const known = (values: unknown[]): string[] => values.map(resolve).filter((v): v is string => v !== undefined);

  const targetsByRule = new Map<string, string[]>();
  for (const [, t] of of('aws_cloudwatch_event_target')) {
    const rule = resolve(t.rule);
    const arn = resolve(t.arn);
    if (rule === undefined || arn === undefined) continue;
    const key = `${regionFor(t)}/${rule}`;
    targetsByRule.set(key, [...(targetsByRule.get(key) ?? []), arn]);
  }
  const chatbotLogGroups = new Set(of('aws_cloudwatch_log_group').map(([, g]) => resolve(g.name)).filter((n) => n?.startsWith('/aws/chatbot/')));

  return {
    stack,
    accountId,
    region,
    partition,
    roleArn: main.assume_role?.[0]?.role_arn,
    regions: [...new Set(providers.map((p) => p.region as string))],
    logGroups: of('aws_cloudwatch_log_group').flatMap(([, g]) => {
      const name = resolve(g.name);
      return name === undefined ? [] : [{ name, region: regionFor(g), retentionDays: typeof g.retention_in_days === 'number' && g.retention_in_days > 0 ? g.retention_in_days : undefined }];
    }),
    metricFilters: of('aws_cloudwatch_log_metric_filter').flatMap(([, f]) => {
      const logGroupName = resolve(f.log_group_name);
      const t = Array.isArray(f.metric_transformation) ? f.metric_transformation[0] : f.metric_transformation;
      return logGroupName === undefined ? [] : [{ logGroupName, region: regionFor(f), name: f.name, pattern: f.pattern, metricName: t?.name, metricNamespace: t?.namespace }];
    }),
    alarms: of('aws_cloudwatch_metric_alarm').map(([, a]) => {
      const metric = a.metric_query?.find((q: Json) => q.return_data)?.metric ?? { namespace: a.namespace, metric_name: a.metric_name };
      return { name: a.alarm_name, region: regionFor(a), actions: known(a.alarm_actions ?? []), metricNamespace: metric?.namespace, metricName: metric?.metric_name };
    }),
    subscriptions: of('aws_sns_topic_subscription').flatMap(([, s]) => {
      const [topicArn, endpoint] = [resolve(s.topic_arn), resolve(s.endpoint)];
      return topicArn === undefined || endpoint === undefined ? [] : [{ topicArn, region: regionFor(s), protocol: s.protocol, endpoint }];
    }),
    chatbotTopics: of('aws_chatbot_slack_channel_configuration').flatMap(([, c]) => {
      const logGroupName = `/aws/chatbot/${c.configuration_name}`;
      return known(c.sns_topic_arns ?? []).map((topicArn) => ({
        topicArn,
        region: topicArn.split(':')[3] ?? region,
        configurationName: c.configuration_name,
        logGroupName: c.logging_level !== 'NONE' && chatbotLogGroups.has(logGroupName) ? logGroupName : undefined,
      }));
    }),
    rules: of('aws_cloudwatch_event_rule').flatMap(([, r]) => {
      const name = resolve(r.name);
      if (name === undefined) return [];
      const at = regionFor(r);
      // The provider's default state is ENABLED.
      const enabled = (r.state ?? 'ENABLED') === 'ENABLED' && r.is_enabled !== false;
      return [{ name, region: at, eventBusName: resolve(r.event_bus_name), enabled, targets: (targetsByRule.get(`${at}/${name}`) ?? []).sort() }];
    }),
    functions: of('aws_lambda_function').map(([, f]) => ({ name: f.function_name, region: regionFor(f) })),
  };
}
