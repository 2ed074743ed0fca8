/**
 * The README's examples of the detail message, drawn from the code: alert-details/message.ts's own output for a DROP,
 * a burst of failed logins and a GRANT ... IDENTIFIED BY, on lines shaped as the catalog's samples, read by
 * detections/records.ts as the function reads them. `npm run generate` writes them between the README's markers, and
 * test/docs checks that they are current.
 */
import { AWS_NAMES } from '../config/names';
import { DETECTIONS } from '../detections';
import { parseAuditLine } from '../detections/records';
import { detailMessage, type CustomNotification } from '../alert-details/message';

export const EXAMPLES_START = '<!-- alert-details examples: npm run generate writes them -->';
export const EXAMPLES_END = '<!-- end of alert-details examples -->';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const CLUSTER = 'orders-db';
const END = Date.parse('2026-03-02T09:14:07Z');
const START = Date.parse('2026-03-02T09:12:00Z');
const us = (ms: number) => ms * 1000;

function message(detectionId: string, lines: ReadonlyArray<{ timeMs: number; message: string }>): CustomNotification {
  const definition = DETECTIONS['aurora-mysql'].find((d) => d.id === detectionId)!;
  return detailMessage({
    detectionId,
    title: definition.title,
    nextSteps: definition.nextSteps,
    severity: definition.severity,
    engine: 'aurora-mysql',
    cluster: CLUSTER,
    accountId: ACCOUNT,
    region: REGION,
    alarmName: AWS_NAMES.alarm(ACCOUNT, REGION, CLUSTER, detectionId),
    logGroupName: `/aws/rds/cluster/${CLUSTER}/audit`,
    window: { startMs: START, endMs: END },
    lines: lines.map((l) => ({ ...l, record: parseAuditLine(l.message) })),
    more: false,
    insightsUrl: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:logs-insights',
    maxLines: 10,
    redactLiterals: false,
  });
}

/** What Slack shows: the title in bold, the description, the next steps as bullets (the link shortened). */
function asSlack(m: CustomNotification): string {
  const steps = (m.content.nextSteps ?? []).map((s) => `• ${s.replace(/^<[^|>]*\|([^>]*)>$/, '[$1]')}`);
  return ['```', `*${m.content.title}*`, m.content.description, ...steps, '```'].join('\n');
}

export function alertExamples(): string {
  /** A moment of the window, `s` seconds into it. */
  const at = (s: number) => START + s * 1000;
  const drop = message('drop-statements', [{ timeMs: at(81), message: `${us(at(81))},${CLUSTER}-instance-1,deploy,10.0.4.17,1289,554310,QUERY,shop,'-- cleanup\\nDROP TABLE customers',0` }]);
  const burst = Array.from({ length: 2417 }, (_, i) => {
    const [user, host] = i % 6 === 0 ? ['app', '10.0.3.7'] : ['root', '203.0.113.9'];
    return { timeMs: at(30) + i * 40, message: `${us(at(30) + i * 40)},${CLUSTER}-instance-1,${user},${host},${5000 + i},0,FAILED_CONNECT,,,1045` };
  });
  const failed = message('failed-connections', burst);
  const grant = message('privilege-changes', [
    { timeMs: at(100), message: `${us(at(100))},${CLUSTER}-instance-1,admin,10.0.4.17,1290,554311,QUERY,mysql,'CREATE USER \\'bi\\'@\\'%\\' IDENTIFIED BY \\'S3cret!pw\\'',0` },
    { timeMs: at(101), message: `${us(at(101))},${CLUSTER}-instance-1,admin,10.0.4.17,1290,554312,QUERY,mysql,'GRANT SELECT ON shop.* TO \\'bi\\'@\\'%\\'',0` },
  ]);
  return [
    EXAMPLES_START,
    'A DROP:',
    '',
    asSlack(drop),
    '',
    'A burst of failed logins:',
    '',
    asSlack(failed),
    '',
    'A `GRANT ... IDENTIFIED BY` (the password never leaves the log):',
    '',
    asSlack(grant),
    EXAMPLES_END,
  ].join('\n');
}

/** The README with its examples block replaced by the current one. */
export function readmeWithExamples(readme: string): string {
  const start = readme.indexOf(EXAMPLES_START);
  const end = readme.indexOf(EXAMPLES_END);
  if (start < 0 || end < start) throw new Error(`README.md has no block between ${EXAMPLES_START} and ${EXAMPLES_END}`);
  return `${readme.slice(0, start)}${alertExamples()}${readme.slice(end + EXAMPLES_END.length)}`;
}
