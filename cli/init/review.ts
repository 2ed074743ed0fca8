/**
 * What init shows before it writes: for a config that exists, the lines that change (with a line of context); for a
 * new one, what it holds in a few lines. Never the whole file, which at fleet size runs to hundreds of lines.
 */
import type { AuditModel } from '../../config/model';
import { clusterLabel, nameList } from '../output';

/** Past this many lines on either side, a change is summarized by counts instead of diffed line by line. */
const MAX_DIFF_LINES = 4000;

/** The changed lines of `after` against `before`, as `- old` / `+ new`, with one line of context and `…` between. */
export function lineDiff(before: string, after: string, context = 1): string[] {
  const a = before.replace(/\n$/, '').split('\n');
  const b = after.replace(/\n$/, '').split('\n');
  if (a.length > MAX_DIFF_LINES || b.length > MAX_DIFF_LINES) return [`  (${a.length} lines before, ${b.length} after)`];
  // Longest common subsequence, from the end, so the walk below goes forward.
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const ops: Array<{ kind: ' ' | '-' | '+'; line: string }> = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', line: a[i++] }), j++;
    // Removals before additions, as diffs are read.
    else if (i < a.length && (j === b.length || lcs[i + 1][j] >= lcs[i][j + 1])) ops.push({ kind: '-', line: a[i++] });
    else ops.push({ kind: '+', line: b[j++] });
  }
  const keep = ops.map((op, k) => op.kind !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some((o) => o.kind !== ' '));
  const out: string[] = [];
  ops.forEach((op, k) => {
    if (keep[k]) out.push(`${op.kind} ${op.line}`);
    else if (keep[k - 1]) out.push('  …');
  });
  return out;
}

/** A new config in a few lines: its stacks, clusters and where alarms go. */
export function newConfigSummary(text: string, model: AuditModel): string[] {
  // A cluster with its account and region once there are several: an identifier is unique only there.
  const clusters = model.stacks.flatMap((s) => s.clusters.map((c) => clusterLabel(s, c.identifier, model.stacks.length > 1)));
  const shown = (names: readonly string[]) => nameList(names);
  return [
    `  a new file of ${text.trimEnd().split('\n').length} lines:`,
    `  ${model.stacks.length} stack(s): ${shown(model.stacks.map((s) => `${s.accountId}/${s.region}`))}`,
    `  ${clusters.length} cluster(s): ${shown(clusters)}`,
    `  alarms to Slack ${[...new Set(model.stacks.map((s) => `${s.slack.teamId}/${s.slack.channelId}`))].join(', ')}`,
  ];
}
