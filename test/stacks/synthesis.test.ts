/**
 * What `synth` writes is byte for byte what a plain cdktf app writes for the same config: one App holding every stack,
 * synthesized once, with cdktf's stack traces, token map and preparing resolve left as they are. aurora-audit's synth
 * differs only in how it gets there (an App per stack, no stack trace captured, no preparing resolve, one resolve of
 * each element instead of two, each stack's tokens dropped once it is written).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { cdktfInternals } from '../../stacks/fast-synthesis/cdktf-internals';
import { parseConfig } from '../../config/load';
import { stackNames, type AuditModel } from '../../config/model';
import { localStatePath, synthesize } from '../../main';
import { onceEach, resolvedMerge } from '../../stacks/addressed-stack';
import { AuditStack } from '../../stacks/audit-stack';
import { AccountStack } from '../../stacks/account-stack';
import { MonitoringStack } from '../../stacks/monitoring-stack';
import { RetiredStack } from '../../stacks/retired-stack';
import { ROOT, tempDir } from '../support/fixtures';

const { deepMerge } = cdktfInternals()!;

function plainApp(model: AuditModel, project: string): string {
  const outdir = path.join(project, 'cdktf.out');
  const app = new App({ outdir, stackTraces: false, skipValidation: true });
  const statePath = (name: string) => localStatePath(model, path.resolve(outdir), project, name);
  for (const target of model.stacks) new AuditStack(app, target.name, { target, backend: model.backend, localStatePath: statePath(target.name) });
  for (const retired of model.retiredStacks) new RetiredStack(app, retired.name, { retired, backend: model.backend, localStatePath: statePath(retired.name) });
  for (const monitoring of model.monitoringStacks) new MonitoringStack(app, monitoring.name, { monitoring, backend: model.backend, localStatePath: statePath(monitoring.name) });
  for (const account of model.accountStacks) new AccountStack(app, account.name, { account, backend: model.backend, localStatePath: statePath(account.name) });
  // cdktf's own preparing pass and its own toTerraform (which resolves twice), in place of aurora-audit's, as in any
  // cdktf app; the synthesizer (json-stable-stringify) is cdktf's own in both.
  for (const stack of app.node.children as TerraformStack[]) {
    stack.prepareStack = TerraformStack.prototype.prepareStack;
    stack.toTerraform = TerraformStack.prototype.toTerraform;
  }
  app.synth();
  return outdir;
}

const read = (outdir: string, name: string) => fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8');

const configs = ['templates/fleet.yaml', 'templates/monitoring-account.yaml', 'templates/existing-clusters.yaml', 'templates/multi-account.yaml', 'test/fixtures/every-option.yaml', 'test/fixtures/siem-every-option.yaml'];

describe.each(configs)('%s', (file) => {
  const model = parseConfig(fs.readFileSync(path.join(ROOT, file), 'utf8'), file);

  test('synth writes every stack byte for byte as a plain cdktf app does, and so does a second synth in the same process', () => {
    const plain = plainApp(model, tempDir());
    const project = tempDir();
    const first = synthesize(model, { outdir: path.join(project, 'cdktf.out'), projectDir: project });
    const again = tempDir();
    const second = synthesize(model, { outdir: path.join(again, 'cdktf.out'), projectDir: again });
    for (const name of stackNames(model)) {
      expect({ name, same: read(first, name) === read(plain, name) }).toEqual({ name, same: true });
      expect({ name, same: read(second, name) === read(plain, name) }).toEqual({ name, same: true });
    }
  });
});

describe('how AddressedStack.toTerraform puts resolved fragments together', () => {
  test("merging gives what cdktf's deepMerge gives, and changes no fragment", () => {
    const fragments = () => [
      { terraform: { required_providers: { aws: { source: 'hashicorp/aws' } } }, provider: { aws: [{ region: 'eu-west-1' }] } },
      { terraform: { backend: { local: { path: 'x' } } }, resource: { aws_sns_topic: { t: { name: 'a', tags: { k: 'v' } } } } },
      { resource: { aws_sns_topic: { u: { name: 'b' } }, aws_kms_key: { k: { policy: '{}' } } }, provider: { aws: [{ region: 'us-east-1', alias: 'use1' }] } },
      { resource: { aws_sns_topic: { t: { display_name: 'late' } } }, import: [{ to: 'aws_sns_topic.t', id: 'arn' }] },
      { import: [{ to: 'aws_kms_key.k', id: 'key' }], removed: [] },
    ];
    const expected: Record<string, unknown> = {};
    for (const f of fragments()) deepMerge(expected, f);
    const mine: Record<string, unknown> = {};
    const merge = resolvedMerge();
    const given = fragments();
    for (const f of given) merge(mine, f);
    expect(mine).toEqual(expected);
    expect(given).toEqual(fragments());
  });

  test('a token is resolved once for each distinct string or list of strings', () => {
    const seen: unknown[] = [];
    const resolve = onceEach((v) => {
      seen.push(v);
      return Array.isArray(v) ? v.map((x) => `r(${x})`) : typeof v === 'string' ? `r(${v})` : v;
    });
    const object = { a: 1 };
    const results = [resolve('t1'), resolve('t1'), resolve(['t1', 't2']), resolve(['t1', 't2']), resolve(['t1\u0000t2']), resolve(object), resolve(object)];
    expect(results).toEqual(['r(t1)', 'r(t1)', ['r(t1)', 'r(t2)'], ['r(t1)', 'r(t2)'], ['r(t1\u0000t2)'], object, object]);
    // A list whose strings hold the separator, and anything not a string or a list of strings, is resolved each time.
    expect(seen).toEqual(['t1', ['t1', 't2'], ['t1\u0000t2'], object, object]);
  });
});

