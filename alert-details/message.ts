/**
 * The detail message a detection's alarm sends to Slack through Chatbot: who did what, as Chatbot's custom
 * notification (docs/facts.md, Alert details), the only free-form shape it delivers. Text that came from the database (users,
 * hosts, statements) is written so that Slack shows it and never acts on it: no mentions, links or formatting.
 */
import type { Engine } from '../config/aws';
import { UNCONFIRMED } from '../config/unconfirmed';
import type { AuditRecord } from '../detections/records';
import { redactStatement } from './redact';

export interface MatchedLine {
  readonly timeMs: number;
  readonly message: string;
}

export interface DetailInput {
  readonly detectionId: string;
  readonly title: string;
  readonly nextSteps?: string;
  readonly severity?: string;
  readonly engine: Engine;
  readonly cluster: string;
  readonly accountId: string;
  readonly region: string;
  readonly alarmName: string;
  readonly logGroupName: string;
  readonly window: { readonly startMs: number; readonly endMs: number };
  /** The lines read, in time order, each with its parsed record when it has one. */
  readonly lines: ReadonlyArray<MatchedLine & { readonly record?: AuditRecord }>;
  /** Whether more lines matched than were read. */
  readonly more: boolean;
  readonly insightsUrl: string;
  readonly maxLines: number;
  readonly redactLiterals: boolean;
}

export interface CustomNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps: readonly string[];
    readonly keywords: readonly string[];
  };
  readonly metadata: {
    readonly threadId: string;
    readonly summary: string;
    readonly eventType: string;
    readonly additionalContext: Readonly<Record<string, string>>;
  };
}

/** How long one statement may be in the message. */
export const STATEMENT_MAX_CHARS = 300;

/**
 * Characters that change how text reads without showing themselves: format characters (zero-width spaces and
 * joiners, bidi embeddings, overrides and isolates, the byte-order mark), the other default-ignorable code points
 * (Hangul fillers, variation selectors, tag characters), and line and paragraph separators.
 */
const HIDDEN = /[\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/gu;
const CONTROL = /[\p{Cc}]+/gu;

const codePoint = (c: string) => `[U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`;

/** Scripts whose letters look alike; the Japanese and Chinese scripts count as one, since they are written together. */
const SCRIPTS: ReadonlyArray<readonly [string, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
  ['CJK', /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u],
];
/** A letter's script; undefined for letters every script uses (Script=Common or Inherited, such as the Japanese long-vowel mark). */
const scriptOf = (letter: string): string | undefined =>
  /[\p{Script=Common}\p{Script=Inherited}]/u.test(letter) ? undefined : (SCRIPTS.find(([, re]) => re.test(letter))?.[0] ?? `other:${letter.codePointAt(0)! >> 7}`);

/**
 * A name as it may be shown: hidden characters as [U+XXXX], and when its letters mix scripts (a Cyrillic "а" in
 * "аdmin"), every letter outside its main script as [U+XXXX] too, so that a look-alike is visible.
 */
export function visibleName(text: string): string {
  const shown = text.replace(CONTROL, ' ').replace(HIDDEN, codePoint);
  const counts = new Map<string, number>();
  for (const letter of shown.match(/\p{L}/gu) ?? []) {
    const script = scriptOf(letter);
    if (script) counts.set(script, (counts.get(script) ?? 0) + 1);
  }
  if (counts.size < 2) return shown;
  const main = [...counts].sort((a, b) => b[1] - a[1] || (a[0] === 'Latin' ? -1 : b[0] === 'Latin' ? 1 : 0))[0][0];
  return shown.replace(/\p{L}/gu, (letter) => {
    const script = scriptOf(letter);
    return script === undefined || script === main ? letter : codePoint(letter);
  });
}

/** Slack's three control characters (Slack API, "Formatting text for app surfaces": escaping). */
const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Text from the log inside a Slack code span: &, <, > escaped (no mentions, no links), no backticks, one line, nothing hidden. */
export function slackCode(text: string, max = STATEMENT_MAX_CHARS): string {
  const flat = text.replace(CONTROL, ' ').replace(HIDDEN, codePoint).trim();
  const safe = slackEscape(cut(flat, max)).replace(/`/g, 'ˋ');
  return `\`${safe || ' '}\``;
}

/** A name from the database (user, host, database, cluster) in a code span, with look-alikes made visible. */
export function slackName(text: string, max: number): string {
  return slackCode(visibleName(text), max);
}

/**
 * Text outside a code span (a title, the summary, a keyword, a context value) that holds something from the
 * database or a message: escaped (no mentions, no links), one line, nothing hidden, look-alikes visible, no backticks.
 */
export function slackPlain(text: string, max = 200): string {
  return slackEscape(cut(visibleName(text).trim(), max)).replace(/`/g, 'ˋ');
}

const hhmmss = (ms: number) => new Date(ms).toISOString().slice(11, 19);

function who(record: AuditRecord | undefined): string {
  if (!record) return 'unknown';
  // MySQL names the client host; PostgreSQL's prefix has user@database (the host is in its own field).
  return record.engine === 'aurora-mysql' ? `${record.user}@${record.host}` : `${record.user}@${record.database}`;
}

function describeLine(line: DetailInput['lines'][number], input: DetailInput): string {
  const r = line.record;
  if (!r) return `• \`${hhmmss(line.timeMs)}\` ${slackCode(line.message)}`;
  const statement = redactStatement(r.statement, { literals: input.redactLiterals, doubleQuotedAreStrings: r.engine === 'aurora-mysql' });
  if (r.engine === 'aurora-mysql') {
    const failed = r.retcode && r.retcode !== '0' ? ` (error ${slackCode(r.retcode, 12)})` : '';
    const what = r.operation === 'QUERY' ? slackCode(statement) : slackCode(r.operation, 40);
    return `• \`${hhmmss(line.timeMs)}\` ${slackName(who(r), 120)}${r.database ? ` on ${slackName(r.database, 64)}` : ''}: ${what}${failed}`;
  }
  const klass = r.statementClass ? ` ${slackCode(`${r.statementClass}${r.command ? ` ${r.command}` : ''}`, 64)}` : '';
  const from = r.host ? ` from ${slackName(r.host, 64)}` : '';
  return `• \`${hhmmss(line.timeMs)}\` ${slackName(who(r), 120)}${from}${klass}: ${slackCode(statement)}`;
}

export function detailMessage(input: DetailInput): CustomNotification {
  const { lines } = input;
  const shown = lines.slice(0, input.maxLines);
  const total = `${lines.length.toLocaleString('en-US')}${input.more ? '+' : ''}`;
  const byWho = new Map<string, number>();
  for (const l of lines) byWho.set(who(l.record), (byWho.get(who(l.record)) ?? 0) + 1);
  const counts = [...byWho].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

  const header = [
    `*Cluster* ${slackName(input.cluster, 64)} · *account* ${slackCode(input.accountId, 12)} · *region* ${slackCode(input.region, 32)}`,
    `*${total} matching line${lines.length === 1 && !input.more ? '' : 's'}* between ${hhmmss(input.window.startMs)} and ${hhmmss(input.window.endMs)} UTC in ${slackCode(input.logGroupName, 512)}`,
  ];
  const body = shown.map((l) => describeLine(l, input));
  if (lines.length > shown.length) body.push(`… and ${(lines.length - shown.length).toLocaleString('en-US')}${input.more ? '+' : ''} more`);
  const tally =
    lines.length > shown.length || input.more
      ? [`*By user:* ${counts.slice(0, 10).map(([w, n]) => `${slackName(w, 80)} ${n.toLocaleString('en-US')}`).join(' · ')}${counts.length > 10 ? ` · ${counts.length - 10} more` : ''}`]
      : [];
  const link = `<${input.insightsUrl}|Open these lines in CloudWatch Logs Insights>`;
  if (lines.length === 0) body.push('No matching line was found in the window yet: CloudWatch may still be ingesting it. Open the query below in a minute.');

  const description = fit([...header, '', ...body, ...tally], UNCONFIRMED.chatbotDescriptionMaxChars, header.length + 1);
  const top = counts[0]?.[0];
  const title = slackPlain(input.title, 100);
  const cluster = slackPlain(input.cluster, 64);
  return {
    version: '1.0',
    source: 'custom',
    id: `${input.alarmName}/${input.window.endMs}`,
    content: {
      textType: 'client-markdown',
      title: `:mag: ${title} on ${cluster}: who and what`,
      description,
      // The link is long (the query repeats the pattern), so it gets a field of its own.
      nextSteps: [link, ...(input.nextSteps ? [input.nextSteps] : [])],
      keywords: ['aurora-audit', input.detectionId, input.cluster, ...(input.severity ? [input.severity] : [])].map((k) => slackPlain(k, 64)),
    },
    metadata: {
      threadId: input.alarmName,
      summary: `${title} on ${cluster}: ${total} line${lines.length === 1 && !input.more ? '' : 's'}${top ? `, ${slackPlain(top, 120)}` : ''}`.slice(0, 200),
      eventType: 'AuroraAuditAlertDetails',
      additionalContext: Object.fromEntries(
        Object.entries({ cluster: input.cluster, account: input.accountId, region: input.region, detection: input.detectionId, logGroup: input.logGroupName }).map(([k, v]) => [k, slackPlain(v, 512)]),
      ),
    },
  };
}

/** Joins lines, dropping the last ones after the first `keep` until the text fits, and saying so. */
function fit(parts: string[], max: number, keep: number): string {
  const text = () => parts.join('\n');
  let dropped = 0;
  while (text().length > max - 60 && parts.length > keep + 1) {
    parts.pop();
    dropped++;
  }
  if (dropped) parts.push(`… ${dropped} more line${dropped === 1 ? '' : 's'} left out to fit Slack`);
  return text().slice(0, max);
}
