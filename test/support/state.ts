/**
 * Terraform state as applying a synthesized stack would leave it, built offline from the stack itself: never from
 * addresses written by hand. The stack (its import, moved and removed blocks done with, as after an apply) is
 * planned on an empty state; every value Terraform knows comes from the plan; what only AWS would know (ids, ARNs)
 * is filled in; and the plan is repeated until it changes nothing. An imported resource starts from what AWS reports
 * of it (`aws`), so that arguments the stack ignores keep AWS's values, as they would.
 *
 * Then `planStack` plans another synthesized stack (the next config) against that state, the way `terraform plan`
 * in a pipeline would.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir, type Json } from './fixtures';
import { offlineProviderOverride, planOffline, providerResourceSchemas, status } from './terraform';

export interface StateResource {
  readonly type: string;
  readonly name: string;
  readonly provider: string;
  readonly schemaVersion: number;
  readonly attributes: Json;
  /** Paths to sensitive values, as state files write them: steps of get_attr (a key) and index (a list position). */
  readonly sensitive: ReadonlyArray<readonly Json[]>;
}

/** What AWS reports of a resource at import: attributes by resource type and the resource's identifying name. */
export type AwsWorld = (type: string, id: string) => Json | undefined;

export interface PlannedStack {
  /** Resource changes by address. */
  readonly changes: Map<string, Json>;
  /** `terraform show -json plan.bin`, whole. */
  readonly plan: Json;
  /** Where the plan was made: plan.bin and plan.json are there. */
  readonly dir: string;
}

const PROVIDER = 'registry.terraform.io/hashicorp/aws';

/** A working copy of a synthesized stack that plans offline against `state.tfstate` beside it. */
function workingCopy(stackJson: Json, { applied }: { applied: boolean }): string {
  const dir = tempDir('aurora-audit-tf-stack-');
  const json = structuredClone(stackJson);
  if (applied) {
    // After an apply, imports are done, moves made and removals forgotten: the blocks have nothing left to do.
    delete json.import;
    delete json.moved;
    delete json.removed;
  }
  json.terraform.backend = { local: { path: 'state.tfstate' } };
  // Offline, no role can be assumed (that asks STS): the providers use the fake credentials as they are. An override
  // file cannot take a nested block away, so the copy leaves it out; unit tests assert the real one.
  for (const provider of json.provider?.aws ?? []) delete provider.assume_role;
  fs.writeFileSync(path.join(dir, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  fs.writeFileSync(path.join(dir, 'offline_override.tf.json'), offlineProviderOverride(json));
  return dir;
}

function writeState(dir: string, resources: readonly StateResource[]): void {
  fs.writeFileSync(
    path.join(dir, 'state.tfstate'),
    JSON.stringify({
      version: 4,
      terraform_version: status.version,
      serial: 1,
      lineage: '6e1b7f40-aaaa-bbbb-cccc-000000000003',
      outputs: {},
      resources: resources.map((r) => ({
        mode: 'managed',
        type: r.type,
        name: r.name,
        provider: r.provider,
        instances: [{ schema_version: r.schemaVersion, attributes: r.attributes, sensitive_attributes: r.sensitive }],
      })),
    }),
  );
}

/** The state an apply of this synthesized stack leaves; `aws` gives imported resources their real attributes. */
export async function stateAfterApply(stackJson: Json, aws: AwsWorld = () => undefined): Promise<StateResource[]> {
  const dir = workingCopy(stackJson, { applied: true });
  const account = stackJson.provider.aws.find((p: Json) => !p.alias)?.allowed_account_ids?.[0] ?? '123456789012';
  const regions = new Map<string, string>(stackJson.provider.aws.map((p: Json) => [p.alias ? `aws.${p.alias}` : 'aws', p.region]));
  const imported = new Map<string, string>((stackJson.import ?? []).map((i: Json) => [i.to, i.id]));
  const schemas = await providerResourceSchemas();
  let state: StateResource[] = [];
  for (let round = 0; round < 5; round++) {
    writeState(dir, state);
    const planned = await planOffline(dir);
    const schemaVersions = new Map<string, number>(
      (planned.planned_values?.root_module?.resources ?? []).map((r: Json) => [r.address, r.schema_version]),
    );
    const changes = planned.resource_changes.filter((r: Json) => r.mode === 'managed');
    const pending = changes.filter((r: Json) => !r.change.actions.every((a: string) => a === 'no-op'));
    if (pending.length === 0) return state;
    if (round === 4) {
      const diff = (r: Json) =>
        Object.keys({ ...r.change.before, ...r.change.after })
          .filter((k) => JSON.stringify(r.change.before?.[k]) !== JSON.stringify(r.change.after?.[k]))
          .map((k) => `${k}: ${JSON.stringify(r.change.before?.[k])} -> ${r.change.after_unknown?.[k] ? '(unknown)' : JSON.stringify(r.change.after?.[k])}`);
      throw new Error(`building state: the plan did not settle: ${pending.map((r: Json) => `${r.address} ${r.change.actions} ${diff(r).join(', ')}`).join('; ')}`);
    }
    const byAddress = new Map(state.map((r) => [`${r.type}.${r.name}`, r]));
    for (const r of pending) {
      // A replacement here only means a value the first round could not know (a role's name) is known now.
      if (!r.change.actions.includes('create') && !r.change.actions.includes('update')) throw new Error(`building state: the plan would ${r.change.actions} ${r.address}`);
      const body = stackJson.resource[r.type][r.name];
      const providerKey = body.provider ?? 'aws';
      const region = regions.get(providerKey) ?? 'eu-west-1';
      const known = fillUnknown(r.change.after, r.change.after_unknown, {
        type: r.type,
        name: r.name,
        account,
        region,
        attributes: r.change.after,
        types: schemas[r.type]?.block?.attributes ?? {},
        firstRound: round === 0,
      });
      // An imported resource starts as AWS has it: the plan then changes only what the stack manages.
      const fromAws = round === 0 && imported.has(r.address) ? aws(r.type, imported.get(r.address)!) : undefined;
      byAddress.set(r.address, {
        type: r.type,
        name: r.name,
        provider: providerKey === 'aws' ? `provider["${PROVIDER}"]` : `provider["${PROVIDER}"].${providerKey.slice(4)}`,
        schemaVersion: schemaVersions.get(r.address) ?? 0,
        attributes: fromAws ? { ...known, ...fromAws } : known,
        sensitive: sensitivePaths(r.change.after_sensitive),
      });
    }
    // What a reference to another resource's attribute would give is known now that every resource has its values:
    // filled in, the next plan need not replace what the first could not know (a role policy's role).
    if (round === 0) resolveReferences(stackJson, byAddress);
    state = [...byAddress.values()];
    // Updates whose every value was known leave nothing for another plan to settle.
    const settled = round > 0 && pending.every((r: Json) => !JSON.stringify(r.change.after_unknown ?? {}).includes('true'));
    if (settled) return state;
  }
  throw new Error('building state: the plan did not settle after five rounds');
}

/** `${aws_type.name.attribute}`, the whole of a value: a reference to one attribute of one resource. */
const REFERENCE = /^\$\{(aws_[a-z0-9_]+)\.([^.{}]+)\.([a-z0-9_]+)\}$/;

/**
 * Top-level arguments that are references to another resource's attribute (or lists of them): set to what that
 * resource now holds, which is what Terraform would make of them (where the plan could not know it, a fill-in made
 * up for the argument would be wrong). Anything else is left to the next plan.
 */
function resolveReferences(stackJson: Json, byAddress: Map<string, StateResource>): void {
  const valueOf = (expression: unknown): unknown => {
    const m = typeof expression === 'string' ? REFERENCE.exec(expression) : null;
    if (!m) return expression;
    const value = byAddress.get(`${m[1]}.${m[2]}`)?.attributes?.[m[3]];
    return value === '' ? null : value ?? null;
  };
  // References may chain (a policy's role is a role's name, an alias's key a key's id): a few passes settle them.
  for (let pass = 0; pass < 3; pass++) {
    for (const resource of byAddress.values()) {
      const body = stackJson.resource?.[resource.type]?.[resource.name] ?? {};
      for (const [key, expression] of Object.entries<unknown>(body)) {
        const references = Array.isArray(expression) ? expression : [expression];
        if (!references.some((e) => typeof e === 'string' && REFERENCE.test(e))) continue;
        const values = references.map(valueOf);
        if (values.some((v) => v === null || v === undefined)) continue;
        resource.attributes[key] = Array.isArray(expression) ? values : values[0];
      }
    }
  }
}

/**
 * The moment after import, before the first apply: the state an apply of the stack leaves, with every imported
 * resource as AWS has it. Planning against it shows what the first apply changes in AWS.
 */
export function justImported(stackJson: Json, applied: readonly StateResource[], aws: AwsWorld): StateResource[] {
  const ids = new Map<string, string>((stackJson.import ?? []).map((i: Json) => [i.to, i.id]));
  return applied.map((r) => {
    const id = ids.get(`${r.type}.${r.name}`);
    return id ? { ...r, attributes: { ...r.attributes, ...aws(r.type, id) } } : r;
  });
}

/** Plans a synthesized stack, with all its blocks, against a state: what `terraform plan` shows the next pipeline. */
export async function planStack(stackJson: Json, state: readonly StateResource[]): Promise<PlannedStack> {
  const dir = workingCopy(stackJson, { applied: false });
  writeState(dir, state);
  const planned = await planOffline(dir);
  return { changes: new Map(planned.resource_changes.map((r: Json) => [r.address, r])), plan: planned, dir };
}

/** The actions of every change that does something, by address: the shape most assertions want. */
export function actionsOf(planned: PlannedStack): Record<string, string[]> {
  return Object.fromEntries(
    [...planned.changes.values()]
      .filter((r) => r.mode === 'managed' && !(r.change.actions.length === 1 && r.change.actions[0] === 'no-op'))
      .map((r) => [r.address, r.change.actions]),
  );
}

interface FillContext {
  readonly type: string;
  readonly name: string;
  readonly account: string;
  readonly region: string;
  readonly attributes: Json;
  /** The provider's attribute schema of the type: an attribute AWS computes gets an empty value of its type. */
  readonly types: Record<string, { type: Json }>;
  readonly firstRound: boolean;
}

/**
 * Values only AWS would know, made up deterministically so references between resources stay consistent. A value
 * only partly known (a list holding another resource's ARN) is left out this round: the next plan, with that
 * resource in state, knows it.
 */
function fillUnknown(after: Json, unknown: Json, ctx: FillContext): Json {
  const result: Json = structuredClone(after ?? {});
  for (const [key, marker] of Object.entries<Json>(unknown ?? {})) {
    const partlyKnown = marker !== true && JSON.stringify(marker).includes('true');
    if (marker === true) result[key] = fakeValue(key, ctx, result) ?? emptyOf(ctx.types[key]?.type);
    else if (partlyKnown && ctx.firstRound) result[key] = null;
    // A nested block (no attribute type) keeps what is known, its unknown leaves empty: a Firehose destination's
    // computed settings, beside the bucket and role it was given.
    else if (partlyKnown) result[key] = ctx.types[key] ? emptyOf(ctx.types[key].type) : knownPart(after?.[key], marker);
  }
  return result;
}

/** Every path the plan marks sensitive, nested blocks included (a Firehose endpoint's access key). */
function sensitivePaths(marker: Json, path: Json[] = []): Json[][] {
  if (marker === true) return [path];
  if (Array.isArray(marker)) return marker.flatMap((m, i) => sensitivePaths(m, [...path, { type: 'index', value: { value: i, type: 'number' } }]));
  if (marker && typeof marker === 'object') return Object.entries<Json>(marker).flatMap(([k, m]) => sensitivePaths(m, [...path, { type: 'get_attr', value: k }]));
  return [];
}

/** A planned value with every leaf Terraform does not know yet set to null, and what it knows kept. */
function knownPart(value: Json, marker: Json): Json {
  if (marker === true) return null;
  if (Array.isArray(marker)) return marker.map((m, i) => knownPart(Array.isArray(value) ? value[i] : undefined, m));
  if (marker && typeof marker === 'object') {
    const out: Json = { ...(value ?? {}) };
    for (const [k, m] of Object.entries<Json>(marker)) out[k] = knownPart(value?.[k], m);
    return out;
  }
  return value;
}

/** What AWS reports for an attribute it computes and nobody set: nothing, in the attribute's type. */
function emptyOf(type: Json): unknown {
  if (Array.isArray(type)) return type[0] === 'map' || type[0] === 'object' ? (type[0] === 'map' ? {} : null) : [];
  if (type === 'bool') return false;
  if (type === 'number') return 0;
  if (type === 'string') return '';
  return null;
}

function fakeValue(key: string, ctx: FillContext, attrs: Json): unknown {
  const { type, account, region } = ctx;
  const hash = createHash('sha256').update(`${type}.${ctx.name}`).digest('hex');
  const uuid = `${hash.slice(0, 8)}-${hash.slice(8, 12)}-${hash.slice(12, 16)}-${hash.slice(16, 20)}-${hash.slice(20, 32)}`;
  const name = attrs.name ?? attrs.bucket ?? attrs.cluster_identifier ?? attrs.alarm_name ?? attrs.configuration_name ?? attrs.function_name ?? ctx.name;
  const arn: Record<string, string> = {
    aws_kms_key: `arn:aws:kms:${region}:${account}:key/${uuid}`,
    aws_kms_alias: `arn:aws:kms:${region}:${account}:${name}`,
    aws_sns_topic: `arn:aws:sns:${region}:${account}:${name}`,
    aws_iam_role: `arn:aws:iam::${account}:role/${name}`,
    aws_iam_policy: `arn:aws:iam::${account}:policy/${name}`,
    aws_cloudwatch_log_group: `arn:aws:logs:${region}:${account}:log-group:${name}`,
    aws_cloudwatch_metric_alarm: `arn:aws:cloudwatch:${region}:${account}:alarm:${name}`,
    aws_rds_cluster: `arn:aws:rds:${region}:${account}:cluster:${name}`,
    aws_rds_cluster_parameter_group: `arn:aws:rds:${region}:${account}:cluster-pg:${name}`,
    aws_chatbot_slack_channel_configuration: `arn:aws:chatbot::${account}:chat-configuration/slack-channel/${name}`,
    aws_lambda_function: `arn:aws:lambda:${region}:${account}:function:${name}`,
    aws_cloudwatch_event_rule: `arn:aws:events:${region}:${account}:rule/${name}`,
  };
  switch (key) {
    case 'arn':
    case 'chat_configuration_arn':
      return arn[type] ?? `arn:aws:${type.split('_')[1]}:${region}:${account}:${name}`;
    case 'key_id':
      return uuid;
    case 'target_key_arn':
      return `arn:aws:kms:${region}:${account}:key/${attrs.target_key_id}`;
    case 'id':
      if (type === 'aws_kms_key') return uuid;
      if (type === 'aws_sns_topic' || type === 'aws_iam_policy') return arn[type];
      if (type === 'aws_sns_topic_policy') return attrs.arn;
      if (type === 'aws_iam_role_policy') return `${attrs.role}:${attrs.name}`;
      return name;
    case 'owner':
      return account;
    case 'unique_id':
    case 'policy_id':
      return `AID${hash.slice(0, 17).toUpperCase()}`;
    default:
      return undefined;
  }
}
