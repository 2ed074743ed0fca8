/**
 * The README's picture of a dashboard, drawn from what a stack synthesizes: templates/multi-account.yaml's prod-eu is
 * synthesized, its dashboard body read back from cdk.tf.json, and each widget drawn where the body puts it, with its
 * title and what it shows (series, alarms, the query). No numbers are invented: graphs show their series, not data.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseConfig } from '../config/load';
import { packageRoot } from '../config/package-root';
import { synthesize } from '../main';

const TEMPLATE = 'templates/multi-account.yaml';
const STACK = 'prod-eu';
const UNIT_X = 40;
const UNIT_Y = 26;
const PAD = 6;

interface Widget {
  type: string;
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

/** The first dashboard body of the example stack, as synthesized. */
export function exampleDashboard(): { name: string; widgets: Widget[] } {
  const root = packageRoot();
  const model = parseConfig(fs.readFileSync(path.join(root, TEMPLATE), 'utf8'), TEMPLATE);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aurora-audit-dashboard-'));
  try {
    const outdir = synthesize({ ...model, stacks: model.stacks.filter((s) => s.name === STACK), retiredStacks: [], monitoringStacks: [], accountStacks: [] }, { outdir: path.join(dir, 'cdktf.out'), projectDir: dir });
    const json = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', STACK, 'cdk.tf.json'), 'utf8'));
    const [dashboard] = Object.values<{ dashboard_name: string; dashboard_body: string }>(json.resource.aws_cloudwatch_dashboard);
    return { name: dashboard.dashboard_name, widgets: JSON.parse(dashboard.dashboard_body).widgets };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const clip = (s: string, chars: number) => (s.length <= chars ? s : `${s.slice(0, chars - 1)}…`);

/** An SVG of the dashboard's widgets, on CloudWatch's 24-unit grid. */
export function renderDashboardSvg(name: string, widgets: readonly Widget[]): string {
  const width = 24 * UNIT_X;
  const height = Math.max(...widgets.map((w) => w.y + w.height)) * UNIT_Y + 40;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="#f2f3f3"/>`,
    `<text x="${PAD}" y="24" font-size="15" font-weight="bold" fill="#16191f">CloudWatch dashboard ${escape(name)} (${escape(TEMPLATE)}, stack ${STACK}, as synthesized)</text>`,
  ];
  for (const w of widgets) {
    const x = w.x * UNIT_X + PAD / 2;
    const y = w.y * UNIT_Y + 36;
    const wd = w.width * UNIT_X - PAD;
    const ht = w.height * UNIT_Y - PAD;
    const chars = Math.floor(wd / 6);
    out.push(`<rect x="${x}" y="${y}" width="${wd}" height="${ht}" rx="3" fill="#ffffff" stroke="#d5dbdb"/>`);
    const lines: Array<{ text: string; bold?: boolean; color?: string }> = [];
    const p = w.properties;
    if (w.type === 'text') {
      for (const l of String(p.markdown).split('\n').filter(Boolean)) lines.push({ text: l.replace(/^#+\s*/, ''), bold: l.startsWith('#') });
    } else {
      lines.push({ text: String(p.title ?? ''), bold: true });
      if (w.type === 'metric') {
        for (const m of p.metrics as unknown[][]) {
          const label = (m[m.length - 1] as { label?: string }).label ?? String(m[1]);
          lines.push({ text: `— ${label}  (${m[0]} ${m.slice(1, -1).join(' ')})`, color: '#0073bb' });
        }
        if ((p.metrics as unknown[]).length > 0) lines.push({ text: `${p.stat} per ${Number(p.period) / 60} minutes`, color: '#687078' });
      } else if (w.type === 'alarm') {
        // The alarm's name after aurora-audit/<account>/<region>/: its cluster and what it watches.
        for (const arn of p.alarms as string[]) lines.push({ text: `● ${arn.split(':alarm:')[1].split('/').slice(3).join('/')}`, color: '#687078' });
        lines.push({ text: '(state shown live once deployed)', color: '#687078' });
      } else if (w.type === 'log') {
        const query = String(p.query);
        lines.push({ text: clip(query.slice(0, query.indexOf(' | parse')), 400), color: '#687078' });
        for (const step of query.split('\n| ').slice(1)) lines.push({ text: `| ${step}`, color: '#16191f' });
      }
    }
    lines.slice(0, Math.floor(ht / 14) - 1).forEach((l, i) => {
      out.push(
        `<text x="${x + PAD}" y="${y + 16 + i * 14}"${l.bold ? ' font-weight="bold"' : ''} fill="${l.color ?? '#16191f'}">${escape(clip(l.text, chars))}</text>`,
      );
    });
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

export function dashboardPicture(): string {
  const { name, widgets } = exampleDashboard();
  return renderDashboardSvg(name, widgets);
}
