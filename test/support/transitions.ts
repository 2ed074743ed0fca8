/**
 * What the transition tests share: the config of a deployment made with aurora-audit 0.1 (deployed-0.1.yaml), changed
 * as each test needs; today's synthesis of it; and AWS as that deployment found it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { parseConfig } from '../../config/load';
import { stackNames, type AuditModel } from '../../config/model';
import { awsWorld } from './aws-world';
import { ROOT, tempDir, type Json } from './fixtures';
import { synthAll } from './synth';
import { actionsOf, stateAfterApply, type PlannedStack, type StateResource } from './state';

export const DEPLOYED = path.join(ROOT, 'test', 'fixtures', 'deployed-0.1.yaml');
export const LEGACY = path.join(ROOT, 'test', 'fixtures', 'legacy-0.1', 'deployed-0.1');

export const legacyStack = (name: string): Json => JSON.parse(fs.readFileSync(path.join(LEGACY, name, 'cdk.tf.json'), 'utf8'));

/** deployed-0.1.yaml, changed. */
export function config(change: (c: Json) => void = () => undefined): AuditModel {
  const c = parseYaml(fs.readFileSync(DEPLOYED, 'utf8'));
  change(c);
  return parseConfig(stringify(c), 'aurora-audit.yaml');
}

/** What today's aurora-audit synthesizes for a model, by stack name: a fresh output directory each time. */
export function synth(model: AuditModel): Map<string, Json> {
  const outdir = path.join(tempDir(), 'cdktf.out');
  synthAll(model, outdir);
  return new Map(stackNames(model).map((name) => [name, JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'))]));
}

/** AWS as the production stack of deployed-0.1.yaml found it. */
export const production = awsWorld({
  clusters: {
    'orders-db': { group: 'orders-db-params', exports: ['error', 'slowquery'] },
    'legacy-db': { group: 'default.aurora-mysql8.0', exports: [] },
  },
  groups: {
    'orders-db-params': {
      family: 'aurora-mysql8.0',
      parameters: [
        { name: 'max_connections', value: '2000', apply_method: 'immediate' },
        { name: 'binlog_format', value: 'ROW', apply_method: 'pending-reboot' },
      ],
    },
  },
});
export const oldRegion = awsWorld({ region: 'us-east-2', clusters: { 'payments-us': { group: 'default.aurora-mysql8.0' } } });

/** Retires legacy-db, and the whole old-region target, as init writes it. */
export const retiring = (c: Json) => {
  c.targets[0].clusters = c.targets[0].clusters.filter((x: Json) => x.identifier !== 'legacy-db');
  c.targets = c.targets.filter((t: Json) => t.name !== 'old-region');
  c.retired = [
    { accountId: '123456789012', region: 'eu-west-1', stack: 'production', identifier: 'legacy-db', attach: 'adopt' },
    { accountId: '123456789012', region: 'us-east-2', stack: 'old-region', identifier: 'payments-us', attach: 'adopt' },
  ];
};

export const byType = (planned: PlannedStack, type: string) => [...planned.changes.values()].filter((r) => r.type === type && r.mode === 'managed');
export const deleted = (planned: PlannedStack) => Object.entries(actionsOf(planned)).filter(([, a]) => a.includes('delete')).map(([address]) => address);

/**
 * Today's stacks of deployed-0.1.yaml, and the state an apply of its production stack leaves. Each test file that
 * starts from it builds it; the answer cache (terraform-cache.ts) asks Terraform once.
 */
export async function deployedState(): Promise<{ before: Map<string, Json>; state: StateResource[] }> {
  const before = synth(config());
  return { before, state: await stateAfterApply(before.get('production'), production) };
}
