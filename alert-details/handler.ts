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
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeMetricFiltersCommand, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ALERT_DETAILS_FUNCTION } from '../config/aws';
import { AWS_NAMES } from '../config/names';
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
  /** The stack's audit log groups: the only ones read. */
  readonly logGroups: readonly string[];
  readonly maxLines: number;
  readonly redactLiterals: boolean;
  /** At most this many matching events are read per alarm; the rest are counted as "more". */
  readonly maxEvents: number;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv): DetailSettings {
  return {
    topicArn: env.TOPIC_ARN ?? '',
    accountId: env.ACCOUNT_ID ?? '',
    region: env.AWS_REGION ?? '',
    logGroups: JSON.parse(env.LOG_GROUPS ?? '[]') as string[],
    maxLines: Number(env.MAX_LINES ?? 10),
    redactLiterals: env.REDACT_LITERALS === 'true',
    maxEvents: Number(env.MAX_EVENTS ?? 10_000),
  };
}

export interface Clients {
  readonly cloudwatch: CloudWatchClient;
  readonly logs: CloudWatchLogsClient;
  readonly sns: SNSClient;
}

let clients: Clients | undefined;

export async function handler(event: SnsEvent): Promise<void> {
  clients ??= { cloudwatch: new CloudWatchClient({}), logs: new CloudWatchLogsClient({}), sns: new SNSClient({}) };
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

/**
 * The alarm the message names, as CloudWatch describes it in this function's own account and region, when it is one
 * of this stack's alarms, notifies this topic, is in ALARM now and changed state when the message says; else none.
 */
export async function verifiedAlarm(claim: AlarmNotification, settings: DetailSettings, aws: Clients): Promise<AlarmNotification | undefined> {
  if (claim.accountId !== settings.accountId || claim.region !== settings.region) return skip(claim.alarmName, 'the alarm ARN is not of this account and region');
  if (!claim.alarmName.startsWith(AWS_NAMES.alarmPrefix(settings.accountId, settings.region))) return skip(claim.alarmName, 'not an aurora-audit alarm of this account and region');
  const out = await aws.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [claim.alarmName], AlarmTypes: ['MetricAlarm'] }));
  const alarm = out.MetricAlarms?.find((a) => a.AlarmName === claim.alarmName);
  if (!alarm) return skip(claim.alarmName, 'no such alarm here');
  if (!(alarm.AlarmActions ?? []).includes(settings.topicArn)) return skip(claim.alarmName, 'the alarm does not notify this topic');
  if (alarm.StateValue !== 'ALARM') return skip(claim.alarmName, `the alarm is ${alarm.StateValue ?? 'in no state'} now`);
  const changed = [alarm.StateTransitionedTimestamp, alarm.StateUpdatedTimestamp].map((t) => t?.getTime());
  if (!changed.includes(claim.stateChangeMs)) return skip(claim.alarmName, 'the alarm did not change state at the time the message says');
  if (!alarm.MetricName || !alarm.Namespace) return skip(claim.alarmName, 'the alarm watches no single metric');
  return {
    alarmName: claim.alarmName,
    alarmArn: alarm.AlarmArn ?? claim.alarmArn,
    accountId: settings.accountId,
    region: settings.region,
    newState: alarm.StateValue,
    stateChangeMs: claim.stateChangeMs,
    metricName: alarm.MetricName,
    namespace: alarm.Namespace,
    periodSeconds: alarm.Period ?? 60,
    evaluationPeriods: alarm.EvaluationPeriods ?? 1,
  };
}

async function detailsFor(alarm: AlarmNotification, settings: DetailSettings, aws: Clients): Promise<CustomNotification | undefined> {
  // The metric is `<cluster>/<detection>` (config/names.ts), and a cluster's log groups are
  // /aws/rds/cluster/<cluster>/<type>: ask only those, so the role needs no wider read.
  const [cluster, detectionId] = splitMetric(alarm.metricName);
  let filter: { logGroupName?: string; filterPattern?: string } | undefined;
  for (const logGroupName of settings.logGroups.filter((g) => g.startsWith(`/aws/rds/cluster/${cluster}/`))) {
    const out = await aws.logs.send(new DescribeMetricFiltersCommand({ logGroupName, metricName: alarm.metricName, metricNamespace: alarm.namespace }));
    filter = out.metricFilters?.find((f) => f.logGroupName === logGroupName);
    if (filter) break;
  }
  if (!filter?.logGroupName) return skip(alarm.alarmName, 'no metric filter of this stack publishes the metric');
  const logGroupName = filter.logGroupName;
  const pattern = filter.filterPattern ?? '';
  const window = alarmWindow(alarm);

  const lines: MatchedLine[] = [];
  let nextToken: string | undefined;
  let more = false;
  for (let page = 0; page < 50; page++) {
    const out = await aws.logs.send(
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
    accountId: alarm.accountId,
    region: alarm.region,
    alarmName: alarm.alarmName,
    logGroupName,
    window,
    lines: lines.map((l) => ({ ...l, record: parseAuditLine(l.message) })),
    more,
    insightsUrl: insightsLink({ region: alarm.region, logGroupName, filterPattern: pattern, ...window }),
    maxLines: settings.maxLines,
    redactLiterals: settings.redactLiterals,
  });
}

function splitMetric(metricName: string): [string, string] {
  const slash = metricName.indexOf('/');
  return slash < 0 ? [metricName, metricName] : [metricName.slice(0, slash), metricName.slice(slash + 1)];
}
