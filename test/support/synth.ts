import * as fs from 'node:fs';
import * as path from 'node:path';
import { Testing } from 'cdktf';
import { stackNames, type AuditModel } from '../../config/model';
import { synthesize } from '../../main';
import { AuditStack } from '../../stacks/audit-stack';
import type { Json } from './fixtures';

/** Synthesizes one stack of a model, as the JSON string cdktf's matchers take. */
export function synthStack(model: AuditModel, index = 0): string {
  const app = Testing.app();
  const stack = new AuditStack(app, model.stacks[index].name, {
    target: model.stacks[index],
    backend: model.backend,
    localStatePath: '../../../terraform-state/test.tfstate',
  });
  return Testing.synth(stack);
}

/** Synthesizes a whole model into `outdir` and returns each stack's Terraform JSON by stack name (every kind of stack). */
export function synthAll(model: AuditModel, outdir: string): Map<string, Json> {
  synthesize(model, { outdir, projectDir: path.dirname(outdir) });
  return new Map(stackNames(model).map((name) => [name, JSON.parse(fs.readFileSync(path.join(outdir, 'stacks', name, 'cdk.tf.json'), 'utf8'))]));
}

/** The resources of one type in a synthesized stack, as [logical id, body] pairs. */
export function resources(json: Json, type: string): Array<[string, Json]> {
  return Object.entries(JSON.parse(typeof json === 'string' ? json : JSON.stringify(json)).resource?.[type] ?? {});
}

export function dataSources(json: Json, type: string): Array<[string, Json]> {
  return Object.entries(JSON.parse(typeof json === 'string' ? json : JSON.stringify(json)).data?.[type] ?? {});
}

/** The statements of the policy document a `${data.aws_iam_policy_document.<id>.json}` reference points at. */
export function policyStatements(json: Json, reference: string): Json[] {
  const id = /^\$\{data\.aws_iam_policy_document\.([^.]+)\.json\}$/.exec(reference)?.[1];
  if (!id) throw new Error(`not a policy document reference: ${reference}`);
  const doc = dataSources(json, 'aws_iam_policy_document').find(([name]) => name === id);
  if (!doc) throw new Error(`no policy document ${id}`);
  return doc[1].statement;
}
