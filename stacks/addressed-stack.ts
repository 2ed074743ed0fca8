import { DefaultTokenResolver, StringConcat, TerraformDataSource, TerraformElement, TerraformOutput, TerraformResource, TerraformStack, Tokenization } from 'cdktf';
// cdktf's own merge, so that fragments combine exactly as its toTerraform combines them (arrays concatenated, undefined
// deleting a key): one of the internals the fast path alone uses.
import { cdktfInternals } from './fast-synthesis/cdktf-internals';
import { fastSynthesis } from './fast-synthesis/mode';
import type { Construct, IConstruct, Node } from 'constructs';
import { addressOf, terraformName, type Address } from './addresses';
import { resolvePlain } from './fast-synthesis/plain-resolve';

/** The Terraform features the stacks use, and the release that brought each (Terraform's changelog). */
export const TERRAFORM_FEATURES: Readonly<Record<string, string>> = {
  'import blocks (adopted clusters, groups and log groups)': '1.5.0',
  'removed blocks with destroy = false (retired clusters, forgotten keys)': '1.7.0',
  'S3-native state locking, use_lockfile (the default S3 locking)': '1.10.0',
};

/** One minimum for everything: the newest feature in use. The README states it too (test/docs.test.ts). */
export const REQUIRED_TERRAFORM_VERSION = `>= ${Object.values(TERRAFORM_FEATURES).sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).at(-1)}`;

/** What a stack tells Terraform about addresses that are no longer, or not yet, declared. */
export interface StateTransitions {
  /** Addresses of earlier versions, moved to where the resource is declared now. */
  readonly moved: ReadonlyArray<{ readonly from: Address; readonly to: Address }>;
  /** Addresses Terraform forgets, leaving the resource standing (removed blocks with destroy = false). */
  readonly forgotten: readonly Address[];
}

/**
 * A stack whose resource addresses are a pure function of their construct path (stacks/addresses.ts), never cdktf's
 * hashes and never an override set after the fact. Before it is synthesized it checks that every address it
 * declares exists exactly once, and that its moved and removed blocks are consistent with what it declares.
 */
export abstract class AddressedStack extends TerraformStack {
  private transitions: StateTransitions = { moved: [], forgotten: [] };
  private expected: readonly Address[] = [];
  /** Resources by type in what toTerraform last returned, for the summary and the output marker. */
  synthesizedResources: Readonly<Record<string, number>> = {};

  constructor(scope: Construct, id: string) {
    super(scope, id);
  }

  protected override allocateLogicalId(element: TerraformElement | Node): string {
    const node = TerraformElement.isTerraformElement(element) ? element.node : (element as Node);
    // A construct's path never changes, so neither does its id: worked out once (an asset asks for its own each time
    // its path is read).
    let id = LOGICAL_IDS.get(node);
    if (id === undefined) {
      const path = node.scopes.slice(node.scopes.indexOf(this) + 1).map((c) => c.node.id);
      id = isAddressed(node.scopes[node.scopes.length - 1]) ? terraformName(path) : super.allocateLogicalId(element);
      LOGICAL_IDS.set(node, id);
    }
    return id;
  }

  /**
   * cdktf resolves every element once before synthesis, only so that a reference to another stack can add the outputs
   * and remote state it needs. aurora-audit's stacks never refer to one another (each has its own state, and a
   * monitoring stack names its sources' metrics by literal), so that pass would only repeat the resolve synthesis does:
   * a quarter of a fleet's synth time. The backend is still ensured; test/stacks/synthesis.test.ts compares the output
   * with a plain cdktf app's, byte for byte.
   */
  override prepareStack(): void {
    if (!fastSynthesis()) return super.prepareStack();
    this.ensureBackendExists();
  }

  /** Declares the addresses the stack must hold, and its moved and removed blocks; checked at synth. */
  protected declareAddresses(expected: readonly Address[], transitions: StateTransitions): void {
    this.expected = expected;
    this.transitions = transitions;
    if (transitions.moved.length > 0) {
      this.addOverride('moved', transitions.moved.map(({ from, to }) => ({ from: addressOf(from), to: addressOf(to) })));
    }
    if (transitions.forgotten.length > 0) {
      this.addOverride('removed', transitions.forgotten.map((a) => ({ from: addressOf(a), lifecycle: { destroy: false } })));
    }
  }

  /**
   * What cdktf 0.21.0's TerraformStack.toTerraform writes, resolved once. cdktf resolves each element's fragment, merges
   * them, and then resolves the merged whole again; by then every token is resolved, so the second pass only walks
   * the finished JSON again (a tenth of a fleet's synth time). Here only the raw overrides, the one part not yet
   * resolved, get that pass. test/stacks/synthesis.test.ts compares the output with cdktf's own, byte for byte.
   */
  override toTerraform(): Record<string, unknown> {
    checkAddresses(this.declaredAddresses(), this.expected, this.transitions);
    if (!fastSynthesis()) return this.counted(super.toTerraform());
    const { deepMerge } = cdktfInternals()!;
    const resolveTokens = onceEach((value: unknown) => Tokenization.resolve(value, { scope: this, preparing: false, resolver: TOKEN_RESOLVER }));
    const resolve = (value: unknown) => resolvePlain(value, resolveTokens);
    // Two fields cdktf's own toTerraform reads, private to TypeScript only.
    const { rawOverrides, cdktfVersion } = this as unknown as { rawOverrides: Record<string, unknown>; cdktfVersion: string };
    const elements = terraformElements(this);
    const overrides = Object.keys(rawOverrides);
    const metadata: Record<string, unknown> = {
      version: cdktfVersion,
      stackName: this.node.id,
      backend: 'local',
      ...(overrides.length > 0 ? { overrides: { stack: overrides } } : {}),
    };
    const merge = resolvedMerge();
    for (const e of elements) merge(metadata, resolve(e.toMetadata()));
    const outputs = {};
    for (const e of elements.filter(TerraformOutput.isTerraformOutput)) {
      deepMerge(outputs, e.node.path.split('/').reduceRight<Record<string, unknown>>((inner, part) => ({ [part]: Object.keys(inner).length === 0 ? e.friendlyUniqueId : inner }), {}));
    }
    const tf: Record<string, unknown> = { '//': { metadata, outputs } };
    for (const e of elements) merge(tf, resolve(e.toTerraform()));
    merge(tf, resolve(rawOverrides));
    return this.counted(tf);
  }

  /** Records the resources by type of what toTerraform returns, and returns it. */
  private counted(tf: Record<string, unknown>): Record<string, unknown> {
    const resources = (tf.resource ?? {}) as Record<string, Record<string, unknown>>;
    this.synthesizedResources = Object.fromEntries(
      Object.keys(resources)
        .sort()
        .map((type) => [type, Object.keys(resources[type]).length]),
    );
    return tf;
  }

  /** Every resource and data source address this stack declares, from its construct tree. */
  declaredAddresses(): string[] {
    return this.node
      .findAll()
      .filter(isAddressed)
      .map((c) => {
        const element = c as TerraformResource | TerraformDataSource;
        const prefix = TerraformDataSource.isTerraformDataSource(element) ? 'data.' : '';
        return `${prefix}${element.terraformResourceType}.${element.friendlyUniqueId}`;
      });
  }
}

const TOKEN_RESOLVER = new DefaultTokenResolver(new StringConcat());

/**
 * `resolve`, called once for each distinct string, or list of strings, that holds a token. Within one stack a token
 * resolves to the same text wherever it stands (every value is resolved in the stack's own scope, and aurora-audit makes
 * no token whose value changes between calls), and half of a stack's tokens stand in more than one place: its topic's
 * ARN in every alarm, its key's ARN in every log group. Anything else goes to `resolve` each time.
 */
export function onceEach(resolve: (value: unknown) => unknown): (value: unknown) => unknown {
  const resolved = new Map<string, unknown>();
  return (value) => {
    const key = typeof value === 'string' ? `s${value}` : Array.isArray(value) && value.every((x) => typeof x === 'string' && !x.includes('\0')) ? `l${value.join('\0')}` : undefined;
    if (key === undefined) return resolve(value);
    if (!resolved.has(key)) resolved.set(key, resolve(value));
    return resolved.get(key);
  };
}

/**
 * cdktf's deepMerge (util.ts), for fragments already resolved: the same result, without copying what only one
 * fragment holds. deepMerge copies every object of a fragment into the target; a resolved fragment holds no undefined
 * and no token, so an object the target lacks can be taken as it is. Where two fragments meet (the provider's and the
 * backend's `terraform` block, one resource type's instances), the object taken from the first is copied before the
 * second is merged into it, so that no fragment is changed. Arrays are joined, as deepMerge joins them. The targets
 * passed in are the merge's own.
 */
export function resolvedMerge(): (target: Record<string, unknown>, source: unknown) => void {
  const own = new WeakSet<object>();
  const merge = (target: Record<string, unknown>, source: Record<string, unknown>) => {
    own.add(target);
    for (const key of Object.keys(source)) {
      const value = source[key];
      const existing = target[key];
      if (value === undefined) delete target[key];
      else if (Array.isArray(value)) target[key] = Array.isArray(existing) ? [...existing, ...value] : value;
      else if (value === null || typeof value !== 'object' || typeof existing !== 'object' || existing === null) target[key] = value;
      else merge(own.has(existing) ? (existing as Record<string, unknown>) : (target[key] = { ...existing }) as Record<string, unknown>, value as Record<string, unknown>);
    }
  };
  return (target, source) => merge(target, source as Record<string, unknown>);
}

/** Each construct's logical id, once allocated; dropped with the construct. */
const LOGICAL_IDS = new WeakMap<Node, string>();

/** The elements of a stack, as cdktf's toTerraform finds them: depth first, not into a nested stack. */
function terraformElements(scope: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(scope)) into.push(scope);
  for (const child of scope.node.children) if (!TerraformStack.isStack(child)) terraformElements(child, into);
  return into;
}

function isAddressed(c: IConstruct | undefined): boolean {
  return Boolean(c) && (TerraformResource.isTerraformResource(c) || TerraformDataSource.isTerraformDataSource(c));
}

/**
 * The address contract, checked on every synth: no two resources share an address; every address the stack promises
 * (for the retired stack's removed blocks, for moved blocks of earlier versions) is declared; a moved block leads from
 * an address that is no longer declared to one that is; nothing declared is also forgotten.
 */
export function checkAddresses(declared: readonly string[], expected: readonly Address[], transitions: StateTransitions): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const a of declared) {
    if (seen.has(a)) problems.push(`two resources share the address ${a}`);
    seen.add(a);
  }
  for (const a of expected.map(addressOf)) if (!seen.has(a)) problems.push(`the stack promises ${a}, but declares no resource there`);
  const movedFrom = new Set<string>();
  for (const { from, to } of transitions.moved) {
    if (seen.has(addressOf(from))) problems.push(`moved from ${addressOf(from)}, which is still declared`);
    if (!seen.has(addressOf(to))) problems.push(`moved to ${addressOf(to)}, which is not declared`);
    if (movedFrom.has(addressOf(from))) problems.push(`moved twice from ${addressOf(from)}`);
    movedFrom.add(addressOf(from));
  }
  for (const a of transitions.forgotten.map(addressOf)) {
    if (seen.has(a)) problems.push(`forgets ${a}, which is declared`);
    if (movedFrom.has(a)) problems.push(`both forgets and moves ${a}`);
  }
  if (problems.length > 0) throw new Error(`the stack's Terraform addresses are inconsistent (a bug in aurora-audit): ${problems.join('; ')}`);
}
