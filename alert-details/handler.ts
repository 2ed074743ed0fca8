/**
 * The alert-details function: subscribed to a stack's alarm topic, it answers each detection alarm with the lines
 * that raised it. alarm → DescribeMetricFilters (the alarm's metric) → FilterLogEvents with the filter's own pattern
 * over the alarm's window → one Chatbot custom notification on the same topic. The idea is
 * awslabs/cloudwatch-logs-customize-alarms'; this is written for aurora-audit's detections and log lines.
 *
 * Delivery never depends on it: Chatbot gets the alarm from the topic directly. Its own messages carry the
 * `aurora-audit` attribute, which its subscription's filter policy leaves out, so it never reads them back.
 *
 * The message is a claim, not a fact: anyone who can publish to the topic could write one. Before it reads a line,
 * the function reads the named alarm in its own account and region (DescribeAlarms): it must start with this
 * stack's alarm prefix, notify this topic, be in ALARM now, and have changed state at the time the message says.
 * Account, region, metric, window and links all come from what it read, never from the message.
 *
 * It needs only the Lambda Node.js runtime: the AWS SDK v3 clients come with it, and the rest is bundled at build time
 * (scripts/build-lambda.ts).
 */
import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeMetricFiltersCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { ALERT_DETAILS_FUNCTION, LOG_TYPES, rdsLogGroupName, type LogType } from '../config/aws';
import { ALARM_NAME_PREFIX, AWS_NAMES, METRIC_NAMESPACE } from '../config/names';
import { DETECTIONS } from '../detections';
import { parseAuditLine } from '../detections/records';
import { alarmNotifications, alarmWindow, type AlarmNotification, type SnsEvent } from './alarm';
import { insightsLink } from './insights-link';
import { detailMessage, type CustomNotification, type MatchedLine } from './message';

export interface DetailSettings {
  readonly topicArn: string;
  /** The function's own account and region: the only place it looks for the alarm. */
  readonly accountId: string;
  readonly region: string;
  /** The stack's audit log groups: the only ones read (per-account mode). */
  readonly logGroups: readonly string[];
  readonly maxLines: number;
  readonly redactLiterals: boolean;
  /** At most this many matching events are read per alarm; the rest are counted as "more". */
  readonly maxEvents: number;
  /**
   * Monitoring-account mode: the source accounts whose lines it reads, through the reader role each lends it (the
   * same name in each), and those whose string literals are redacted. The alarms are this account's, the lines theirs.
   */
  readonly sources?: { readonly accounts: readonly string[]; readonly redactAccounts: readonly string[]; readonly readerRoleName: string };
}

const list = (text: string | undefined): string[] => (text ?? '').split(',').filter((x) => x !== '');

export function settingsFromEnv(env: NodeJS.ProcessEnv): DetailSettings {
  return {
    topicArn: env.TOPIC_ARN ?? '',
    accountId: env.ACCOUNT_ID ?? '',
    region: env.AWS_REGION ?? '',
    logGroups: JSON.parse(env.LOG_GROUPS ?? '[]') as string[],
    maxLines: Number(env.MAX_LINES ?? 10),
    redactLiterals: env.REDACT_LITERALS === 'true',
    maxEvents: Number(env.MAX_EVENTS ?? 10_000),
    sources: env.READER_ROLE ? { accounts: list(env.SOURCE_ACCOUNTS), redactAccounts: list(env.REDACT_ACCOUNTS), readerRoleName: env.READER_ROLE } : undefined,
  };
}

export interface Clients {
  readonly cloudwatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
  readonly sns: SNSClient;
  /** Monitoring-account mode: assumes a source account's reader role. */
  readonly sts?: STSClient;
  /** Monitoring-account mode: a Logs client in this region with a reader role's credentials. */
  readonly logsAs?: (credentials: RoleCredentials) => CloudWatchLogsClient;
}

/** What AssumeRole gives: temporary credentials. */
export interface RoleCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

let clients: Clients | undefined;

export async function handler(event: SnsEvent): Promise<void> {
  clients ??= {
    cloudwatch: new CloudWatchClient({}),
    logs: new CloudWatchLogsClient({}),
    sns: new SNSClient({}),
    sts: new STSClient({}),
    logsAs: (credentials) => new CloudWatchLogsClient({ credentials }),
  };
  await handleEvent(event, settingsFromEnv(process.env), clients);
}

/** Every ALARM in the event gets one detail message; OK and INSUFFICIENT_DATA get none. Errors propagate. */
export async function handleEvent(event: SnsEvent, settings: DetailSettings, aws: Clients): Promise<CustomNotification[]> {
  const sent: CustomNotification[] = [];
  for (const claim of alarmNotifications(event)) {
    if (claim.newState !== 'ALARM') continue;
    const alarm = await verifiedAlarm(claim, settings, aws);
    if (!alarm) continue;
    const message = await detailsFor(alarm, settings, aws);
    if (!message) continue;
    await aws.sns.send(
      new PublishCommand({
        TopicArn: settings.topicArn,
        Message: JSON.stringify(message),
        MessageAttributes: { [ALERT_DETAILS_FUNCTION.messageAttribute]: { DataType: 'String', StringValue: 'alert-details' } },
      }),
    );
    sent.push(message);
  }
  return sent;
}

/** Logs why a message was not acted on; the names it quotes are cut short, since they came from the message. */
function skip(alarmName: string, reason: string): undefined {
  console.log(JSON.stringify({ skipped: alarmName.slice(0, 256), reason }));
  return undefined;
}

/** A verified alarm, with the account whose metric it watches: where its lines are. */
export interface VerifiedAlarm extends AlarmNotification {
  /** The account that publishes the alarm's metric and holds its lines: this one, or (monitoring mode) a source's. */
  readonly linesAccountId: string;
}

/**
 * The alarm the message names, as CloudWatch describes it in this function's own account and region, when it is one
 * of this stack's detection alarms, notifies this topic, is in ALARM now and changed state when the message says;
 * else none. In the monitoring account the alarm reads its metric through a metric query: the metric's account must
 * be one of the sources, and the alarm must carry that account's name prefix.
 */
export async function verifiedAlarm(claim: AlarmNotification, settings: DetailSettings, aws: Clients): Promise<VerifiedAlarm | undefined> {
  if (claim.accountId !== settings.accountId || claim.region !== settings.region) return skip(claim.alarmName, 'the alarm ARN is not of this account and region');
  const prefix = settings.sources ? ALARM_NAME_PREFIX : AWS_NAMES.alarmPrefix(settings.accountId, settings.region);
  if (!claim.alarmName.startsWith(prefix)) return skip(claim.alarmName, 'not an aurora-audit alarm of this account and region');
  const out = await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [claim.alarmName], AlarmTypes: ['MetricAlarm'] }));
  const alarm = out.MetricAlarms?.find((a) => a.AlarmName === claim.alarmName);
  if (!alarm) return skip(claim.alarmName, 'no such alarm here');
  if (!(alarm.AlarmActions ?? []).includes(settings.topicArn)) return skip(claim.alarmName, 'the alarm does not notify this topic');
  if (alarm.StateValue !== 'ALARM') return skip(claim.alarmName, `the alarm is ${alarm.StateValue ?? 'in no state'} now`);
  const changed = [alarm.StateTransitionedTimestamp, alarm.StateUpdatedTimestamp].map((t) => t?.getTime());
  if (!changed.includes(claim.stateChangeMs)) return skip(claim.alarmName, 'the alarm did not change state at the time the message says');
  const metric = watchedMetric(alarm, settings.accountId);
  if (!metric) return skip(claim.alarmName, 'the alarm watches no single metric');
  if (metric.namespace !== METRIC_NAMESPACE) return skip(claim.alarmName, 'the alarm watches no detection metric');
  if (settings.sources) {
    if (!settings.sources.accounts.includes(metric.accountId)) return skip(claim.alarmName, 'the alarm\'s metric is not of a source account with the detail message on');
    if (!claim.alarmName.startsWith(AWS_NAMES.alarmPrefix(metric.accountId, settings.region))) return skip(claim.alarmName, 'the alarm\'s name is not of its metric\'s account');
  } else if (metric.accountId !== settings.accountId) {
    return skip(claim.alarmName, 'the alarm\'s metric is not of this account');
  }
  return {
    alarmName: claim.alarmName,
    alarmArn: alarm.AlarmArn ?? claim.alarmArn,
    accountId: settings.accountId,
    region: settings.region,
    newState: alarm.StateValue,
    stateChangeMs: claim.stateChangeMs,
    metricName: metric.metricName,
    namespace: metric.namespace,
    periodSeconds: metric.periodSeconds,
    evaluationPeriods: alarm.EvaluationPeriods ?? 1,
    linesAccountId: metric.accountId,
  };
}

/**
 * The one metric an alarm watches, and whose it is: the alarm's own metric (its account's), or the one metric query
 * that returns data and reads a metric, with the account it names (none named: the alarm's own account).
 */
function watchedMetric(alarm: MetricAlarm, ownAccountId: string): { metricName: string; namespace: string; accountId: string; periodSeconds: number } | undefined {
  if (alarm.MetricName && alarm.Namespace) return { metricName: alarm.MetricName, namespace: alarm.Namespace, accountId: ownAccountId, periodSeconds: alarm.Period ?? 60 };
  const queries = alarm.Metrics ?? [];
  const [query] = queries;
  const metric = query?.MetricStat?.Metric;
  if (queries.length !== 1 || !metric?.MetricName || !metric.Namespace || query.ReturnData === false) return undefined;
  return { metricName: metric.MetricName, namespace: metric.Namespace, accountId: query.AccountId ?? ownAccountId, periodSeconds: query.MetricStat?.Period ?? query.Period ?? alarm.Period ?? 60 };
}

/**
 * Where to read the alarm's lines: this function's own Logs client and its stack's log groups, or (monitoring mode)
 * the source account's, through its reader role, assumed for this alarm alone.
 */
async function linesReader(alarm: VerifiedAlarm, settings: DetailSettings, aws: Clients): Promise<{ logs: CloudWatchLogsClient; logGroups: readonly string[] } | undefined> {
  const [cluster, detectionId] = splitMetric(alarm.metricName);
  if (!settings.sources) return { logs: aws.logs, logGroups: settings.logGroups.filter((g) => g.startsWith(`/aws/rds/cluster/${cluster}/`)) };
  if (!aws.sts || !aws.logsAs) throw new Error('monitoring-account mode needs STS and a Logs client factory');
  const partition = settings.topicArn.split(':')[1] ?? 'aws';
  const roleArn = `arn:${partition}:iam::${alarm.linesAccountId}:role/${settings.sources.readerRoleName}`;
  const out = await aws.sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'aurora-audit-alert-details', DurationSeconds: 900 }));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) return skip(alarm.alarmName, 'the reader role gave no credentials');
  // The cluster's log groups of the types the detection reads (the catalog's), named as RDS names them: the reader
  // role may read no others.
  const types = new Set<LogType>(Object.values(DETECTIONS).flatMap((catalog) => catalog.filter((d) => d.id === detectionId).map((d) => d.logType)));
  // A custom detection (customDetections in the config) is not in the catalog: any log type may hold its filter.
  if (types.size === 0) for (const t of LOG_TYPES) types.add(t);
  return {
    logs: aws.logsAs({ accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration }),
    logGroups: [...types].sort().map((t) => rdsLogGroupName(cluster, t)),
  };
}

async function detailsFor(alarm: VerifiedAlarm, settings: DetailSettings, aws: Clients): Promise<CustomNotification | undefined> {
  // The metric is `<cluster>/<detection>` (config/names.ts), and a cluster's log groups are
  // /aws/rds/cluster/<cluster>/<type>: ask only those, so the role needs no wider read.
  const [cluster, detectionId] = splitMetric(alarm.metricName);
  const reader = await linesReader(alarm, settings, aws);
  if (!reader) return undefined;
  const { logs } = reader;
  let filter: { logGroupName?: string; filterPattern?: string } | undefined;
  // A cluster has the log groups of one engine: in a source account the reader role may not even ask about the other's.
  const refused: Error[] = [];
  for (const logGroupName of reader.logGroups) {
    try {
      const out = await logs.send(new DescribeMetricFiltersCommand({ logGroupName, metricName: alarm.metricName, metricNamespace: alarm.namespace }));
      filter = out.metricFilters?.find((f) => f.logGroupName === logGroupName);
    } catch (error) {
      if (!(error instanceof Error) || !['AccessDeniedException', 'ResourceNotFoundException'].includes(error.name)) throw error;
      refused.push(error);
    }
    if (filter) break;
  }
  if (!filter?.logGroupName) {
    // A group it may not read, and none it could: the role is not what the stack made. That is a failure, not a skip.
    const denied = refused.find((e) => e.name === 'AccessDeniedException');
    if (denied) throw denied;
    return skip(alarm.alarmName, 'no metric filter of this stack publishes the metric');
  }
  const logGroupName = filter.logGroupName;
  const pattern = filter.filterPattern ?? '';
  const window = alarmWindow(alarm);

  const lines: MatchedLine[] = [];
  let nextToken: string | undefined;
  let more = false;
  for (let page = 0; page < 50; page++) {
    const out = await logs.send(
      new FilterLogEventsCommand({ logGroupName, filterPattern: pattern, startTime: window.startMs, endTime: window.endMs, nextToken, limit: Math.min(10_000, settings.maxEvents - lines.length) }),
    );
    for (const e of out.events ?? []) lines.push({ timeMs: e.timestamp ?? 0, message: e.message ?? '' });
    nextToken = out.nextToken;
    if (!nextToken) break;
    if (lines.length >= settings.maxEvents) {
      more = true;
      break;
    }
  }
  if (nextToken && !more) more = true;
  lines.sort((a, b) => a.timeMs - b.timeMs);

  // The log group ends in the log type.
  const engine = /\/postgresql$/.test(logGroupName) ? 'aurora-postgresql' : 'aurora-mysql';
  const definition = DETECTIONS[engine].find((d) => d.id === detectionId);
  return detailMessage({
    detectionId,
    title: definition?.title ?? detectionId,
    nextSteps: definition?.nextSteps,
    severity: definition?.severity,
    engine,
    cluster,
    accountId: alarm.linesAccountId,
    region: alarm.region,
    alarmName: alarm.alarmName,
    logGroupName,
    window,
    lines: lines.map((l) => ({ ...l, record: parseAuditLine(l.message) })),
    more,
    insightsUrl: insightsLink({ region: alarm.region, logGroupName, filterPattern: pattern, ...window }),
    maxLines: settings.maxLines,
    redactLiterals: settings.sources ? settings.sources.redactAccounts.includes(alarm.linesAccountId) : settings.redactLiterals,
  });
}

function splitMetric(metricName: string): [string, string] {
  const slash = metricName.indexOf('/');
  return slash < 0 ? [metricName, metricName] : [metricName.slice(0, slash), metricName.slice(slash + 1)];
}
