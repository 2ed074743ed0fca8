/**
 * The dashboards, read back from what the stack synthesized: every widget inside the grid and apart from the others;
 * every alarm and metric they show exists in the stack; readable at 5 clusters and at 50 (ten to a dashboard).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseConfig } from '../../config/load';
import { configWith, modelOf, ROOT, tempDir, type Json } from '../support/fixtures';
import { resources, synthAll, synthStack } from '../support/synth';

function dashboards(json: Json): Map<string, Json[]> {
  return new Map(resources(json, 'aws_cloudwatch_dashboard').map(([, d]) => [d.dashboard_name, JSON.parse(d.dashboard_body).widgets]));
}

function clusters(n: number, engine = 'aurora-mysql'): Json[] {
  return Array.from({ length: n }, (_, i) => ({ identifier: `db-${i}`, engine, engineVersion: engine === 'aurora-mysql' ? '8.0.mysql_aurora.3.05.2' : '16.4', attach: 'external' }));
}

function expectLaidOut(widgets: Json[]): void {
  for (const w of widgets) {
    expect(w.x).toBeGreaterThanOrEqual(0);
    expect(w.x + w.width).toBeLessThanOrEqual(24);
  }
  for (const [i, a] of widgets.entries()) {
    for (const b of widgets.slice(i + 1)) {
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect({ a: a.properties.title ?? 'header', b: b.properties.title ?? 'header', apart }).toEqual({ a: a.properties.title ?? 'header', b: b.properties.title ?? 'header', apart: true });
    }
  }
}

describe('the dashboard of a stack', () => {
  const json = JSON.parse(synthStack(modelOf(configWith((c) => c.targets[0].clusters.push({ identifier: 'ledger', engine: 'aurora-postgresql', engineVersion: '16.4', attach: 'adopt' })))));
  const [[name, widgets]] = [...dashboards(json)];

  test('one dashboard, laid out on the grid without overlaps', () => {
    expect(name).toBe('aurora-audit-prod');
    expectLaidOut(widgets);
  });

  test('every alarm of the stack shows its state on it, and every alarm it shows exists', () => {
    const alarmNames = resources(json, 'aws_cloudwatch_metric_alarm').map(([, a]) => `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${a.alarm_name}`);
    const shown = widgets.filter((w) => w.type === 'alarm').flatMap((w) => w.properties.alarms);
    expect([...shown].sort()).toEqual([...alarmNames].sort());
  });

  test('every detection metric it graphs is one a metric filter of the stack publishes, and the audit log volume of each cluster', () => {
    const published = new Set(resources(json, 'aws_cloudwatch_log_metric_filter').map(([, f]) => `${f.metric_transformation.namespace}/${f.metric_transformation.name}`));
    const graphed = widgets.filter((w) => w.type === 'metric').flatMap((w) => w.properties.metrics);
    const detections = graphed.filter((m: Json[]) => m[0] === 'AuroraAudit').map((m: Json[]) => `${m[0]}/${m[1]}`);
    expect(new Set(detections)).toEqual(published);
    expect(graphed.filter((m: Json[]) => m[0] === 'AWS/Logs').map((m: Json[]) => m[3])).toEqual([
      '/aws/rds/cluster/orders-db/audit',
      '/aws/rds/cluster/billing/audit',
      '/aws/rds/cluster/ledger/postgresql',
    ]);
  });

  test('Logs Insights widgets per engine: failed logins by user and host, DDL by user, on that engine\'s audit logs', () => {
    const logs = widgets.filter((w) => w.type === 'log');
    expect(logs.map((w) => w.properties.title)).toEqual([
      'Aurora MySQL: failed logins by user and host, per hour',
      'Aurora MySQL: DDL statements by user',
      'Aurora PostgreSQL: failed logins by user and host, per hour',
      'Aurora PostgreSQL: DDL statements by user',
    ]);
    expect(logs[0].properties.query).toMatch(/^SOURCE '\/aws\/rds\/cluster\/orders-db\/audit' \| SOURCE '\/aws\/rds\/cluster\/billing\/audit' \| parse @message /);
    expect(logs[0].properties.query).toContain('filter operation = "FAILED_CONNECT"');
    expect(logs[0].properties.query).toContain('stats count(*) as failures by bin(1h), user, host');
    expect(logs[3].properties.query).toMatch(/^SOURCE '\/aws\/rds\/cluster\/ledger\/postgresql' \| parse @message /);
  });
});

describe('at fleet scale', () => {
  test('50 clusters: five dashboards of ten, each naming the others, each cluster on exactly one', () => {
    const json = JSON.parse(synthStack(modelOf(configWith((c) => (c.targets[0].clusters = clusters(50))))));
    const all = dashboards(json);
    expect([...all.keys()]).toEqual(['aurora-audit-prod', 'aurora-audit-prod_2', 'aurora-audit-prod_3', 'aurora-audit-prod_4', 'aurora-audit-prod_5']);
    const seen: string[] = [];
    for (const [name, widgets] of all) {
      expectLaidOut(widgets);
      const rows = widgets.filter((w) => w.type === 'alarm').map((w) => w.properties.title.replace(/: alarms$/, ''));
      expect(rows.length).toBe(10);
      seen.push(...rows);
      const header = widgets.find((w) => w.type === 'text').properties.markdown;
      for (const other of all.keys()) if (other !== name) expect(header).toContain(other);
    }
    expect(seen.sort()).toEqual(clusters(50).map((c) => c.identifier).sort());
  });

  test('5 clusters: one dashboard', () => {
    expect(dashboards(JSON.parse(synthStack(modelOf(configWith((c) => (c.targets[0].clusters = clusters(5))))))).size).toBe(1);
  });
});

describe('dashboards elsewhere', () => {
  test('in monitoring-account mode a source stack graphs its own metrics, and shows no alarm state (the alarms are not here)', () => {
    const model = parseConfig(fs.readFileSync(path.join(ROOT, 'templates', 'monitoring-account.yaml'), 'utf8'), 'monitoring-account.yaml');
    const stacks = synthAll(model, tempDir());
    const source = stacks.get(model.stacks[0].name);
    const [widgets] = [...dashboards(source).values()];
    expect(widgets.filter((w) => w.type === 'alarm')).toEqual([]);
    expect(widgets.filter((w) => w.type === 'metric').length).toBeGreaterThan(0);
    expectLaidOut(widgets);
  });

  test('turned off per target, there is none', () => {
    expect(dashboards(JSON.parse(synthStack(modelOf(configWith((c) => (c.targets[0].dashboard = { enabled: false }))))))).toEqual(new Map());
  });
});
