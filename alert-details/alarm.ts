/**
 * The CloudWatch alarm notification, as SNS hands it to a Lambda function: `Records[].Sns.Message` holds the alarm's
 * JSON (AlarmName, NewStateValue, StateChangeTime, Trigger with MetricName, Namespace, Period, EvaluationPeriods).
 */

export interface AlarmNotification {
  readonly alarmName: string;
  readonly alarmArn: string;
  readonly accountId: string;
  /** The region code, from the alarm's ARN (the message's Region is a display name such as "EU (Ireland)"). */
  readonly region: string;
  readonly newState: string;
  readonly stateChangeMs: number;
  readonly metricName: string;
  readonly namespace: string;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
}

export interface SnsEvent {
  readonly Records?: ReadonlyArray<{ readonly Sns?: { readonly Message?: string; readonly [key: string]: unknown }; readonly [key: string]: unknown }>;
}

/** The alarm notifications in an SNS event; anything else on the topic (our own detail messages) is skipped. */
export function alarmNotifications(event: SnsEvent): AlarmNotification[] {
  const found: AlarmNotification[] = [];
  for (const record of event.Records ?? []) {
    const alarm = parseAlarm(record.Sns?.Message);
    if (alarm) found.push(alarm);
  }
  return found;
}

export function parseAlarm(message: string | undefined): AlarmNotification | undefined {
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(message ?? '');
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object') return undefined;
  const trigger = body.Trigger as Record<string, unknown> | undefined;
  const arn = typeof body.AlarmArn === 'string' ? body.AlarmArn : '';
  const arnParts = /^arn:[a-z-]+:cloudwatch:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):alarm:/.exec(arn);
  // A monitoring account's alarm reads its metric through a metric query, and its Trigger names it under Metrics: the
  // metric is taken from the alarm as CloudWatch describes it (handler.ts, verifiedAlarm), never from here.
  if (typeof body.AlarmName !== 'string' || !trigger || typeof trigger !== 'object' || !arnParts) return undefined;
  return {
    alarmName: body.AlarmName,
    alarmArn: arn,
    // From the ARN only: AWSAccountId is free text to whoever wrote the message, and the ARN is checked against the
    // function's own account (handler.ts, verifiedAlarm).
    accountId: arnParts[2],
    region: arnParts[1],
    newState: String(body.NewStateValue ?? ''),
    stateChangeMs: parseAlarmTime(String(body.StateChangeTime ?? '')),
    metricName: typeof trigger.MetricName === 'string' ? trigger.MetricName : '',
    namespace: String(trigger.Namespace ?? ''),
    periodSeconds: Number(trigger.Period) || 60,
    evaluationPeriods: Number(trigger.EvaluationPeriods) || 1,
  };
}

/** CloudWatch writes `2024-01-21T17:57:04.836+0000`: an offset without a colon, which Date.parse does not promise to read. */
export function parseAlarmTime(text: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-])(\d{2}):?(\d{2})$/.exec(text);
  const t = m ? Date.parse(`${m[1]}${m[2]}${m[3]}:${m[4]}`) : Date.parse(text);
  // NaN matches no alarm's state-change time, so a message without a readable time is not acted on.
  return t;
}

/**
 * Where the lines that raised the alarm are: the periods the alarm evaluated, ending at its state change, and one
 * period more before them, for events CloudWatch ingested late.
 */
export function alarmWindow(alarm: AlarmNotification): { startMs: number; endMs: number } {
  const periodMs = alarm.periodSeconds * 1000;
  const endMs = alarm.stateChangeMs;
  return { startMs: Math.floor(endMs / periodMs) * periodMs - (alarm.evaluationPeriods + 1) * periodMs, endMs };
}
