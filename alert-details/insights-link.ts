/**
 * A link that opens CloudWatch Logs Insights on the lines a detection matched: the log group, the alarm's window,
 * and a query equivalent to the metric filter's pattern.
 */
import { UNCONFIRMED } from '../config/unconfirmed';
import { patternTerms } from '../detections/filter-pattern';

/** The Logs Insights query that finds what a filter pattern matches, newest last. */
export function insightsQuery(filterPattern: string): string {
  const { regex, required, excluded, optional } = patternTerms(filterPattern);
  const quoted = (t: string) => JSON.stringify(t);
  const conditions = [
    ...regex.map((r) => `@message like /${r.replace(/\//g, '\\/')}/`),
    ...required.map((t) => `@message like ${quoted(t)}`),
    ...excluded.map((t) => `@message not like ${quoted(t)}`),
    ...(optional.length > 0 && required.length + excluded.length === 0 ? [`(${optional.map((t) => `@message like ${quoted(t)}`).join(' or ')})`] : []),
  ];
  return ['fields @timestamp, @message, @logStream', ...(conditions.length ? [`filter ${conditions.join(' and ')}`] : []), 'sort @timestamp asc', 'limit 1000'].join('\n| ');
}

/** A string as the console's fragment writes it: URI-encoded, with `*` where the encoding has `%`. */
function consoleString(value: string): string {
  return `'${encodeURIComponent(value)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%/g, '*')}`;
}

export function insightsLink(opts: { region: string; logGroupName: string; filterPattern: string; startMs: number; endMs: number }): string {
  const { region } = opts;
  const detail =
    `~(end~${consoleString(new Date(opts.endMs).toISOString())}~start~${consoleString(new Date(opts.startMs).toISOString())}` +
    `~timeType~'ABSOLUTE~tz~'UTC~editorString~${consoleString(insightsQuery(opts.filterPattern))}~source~(~${consoleString(opts.logGroupName)}))`;
  const host = region.startsWith('cn-') ? `${region}.console.amazonaws.cn` : `${region}.console.aws.amazon.com`;
  return `https://${host}/cloudwatch/home?region=${region}#${UNCONFIRMED.logsInsightsFragment}${encodeURIComponent(`?queryDetail=${detail}`).replace(/%/g, '$')}`;
}
