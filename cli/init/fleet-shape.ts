/**
 * What init writes, in the fleet shape (accounts, each with its regions and clusters) when the config already uses it
 * or when init walked an organization. Only what the levels above do not already say is written: a cluster is its
 * family alone when nothing else is recorded for it, an account's role only when it differs from the one it inherits.
 */
import { accountLevels, inherited } from '../../config/placements';
import type { AccountClusterInput, AccountInput, ConfigInput, ExistingParameterGroupInput } from '../../config/schema';
import { UNCONFIRMED } from '../../config/unconfirmed';

interface TargetValue {
  readonly accountId: string;
  readonly region: string;
  readonly roleArn?: string;
  readonly clusters: ReadonlyArray<Record<string, unknown> & { identifier: string; family?: string; attach: string; engine: string; engineVersion: string }>;
}

/**
 * Moves the targets of `value` (as configFromAnswers makes them) into `accounts`. With an existing config, only the
 * accounts it lists under accounts move, unless it has no targets at all; the rest stay targets.
 */
export function inFleetShape(
  value: Record<string, unknown>,
  existing: ConfigInput | undefined,
  answered: ReadonlyArray<{ accountId: string; name?: string }> = [],
): Record<string, unknown> {
  const targets = (value.targets ?? []) as TargetValue[];
  const known = new Map((existing?.accounts ?? []).map((a) => [a.id, a]));
  const allToFleet = !existing?.targets;
  const moving = targets.filter((t) => allToFleet || known.has(t.accountId));
  const staying = targets.filter((t) => !moving.includes(t));
  // A new config says the attach mode most clusters share once, at the top, so that they can be their family alone.
  const attach = existing ? undefined : mostCommon(moving.flatMap((t) => t.clusters.map((c) => c.attach)));
  const config = existing ?? ({ version: 1, role: value.role, attach } as ConfigInput);

  const accounts = new Map<string, Record<string, unknown> & { regions: Record<string, Record<string, unknown>> }>();
  for (const target of moving) {
    const account = known.get(target.accountId);
    const name = account ? undefined : answered.find((a) => a.accountId === target.accountId)?.name;
    const notifications = (target as { notifications?: unknown }).notifications;
    const entry = accounts.get(target.accountId) ?? { id: target.accountId, ...(name ? { name } : {}), ...roleOf(config, account, target), ...(notifications ? { notifications } : {}), regions: {} };
    entry.regions[target.region] = Object.fromEntries(
      target.clusters.map((c) => [c.identifier, clusterValue(c, account?.regions[target.region]?.[c.identifier], inherited(accountLevels(config, account), target.accountId, target.region).attach)]),
    );
    accounts.set(target.accountId, entry);
  }
  // In the order a person reads it: the attach mode beside the role, the accounts where the targets were.
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'targets') {
      out.accounts = accounts.size > 0 ? [...accounts.values()] : undefined;
      out.targets = staying.length > 0 ? staying : undefined;
    } else out[key] = v;
    if (attach && key === (value.role !== undefined ? 'role' : 'discovery')) out.attach = attach;
  }
  if (attach && !('attach' in out)) {
    const { version, ...rest } = out;
    return { version, attach, ...rest };
  }
  return out;
}

function mostCommon<T>(items: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** `role` for the account: left as written when it still holds, dropped when the group or top level gives the same. */
function roleOf(config: ConfigInput, account: AccountInput | undefined, target: TargetValue): { role?: string } | Record<string, never> {
  const own = inherited(accountLevels(config, account), target.accountId, target.region).roleArn;
  if (own === target.roleArn) return {};
  const above = inherited(accountLevels(config, account ? { ...account, role: undefined } : undefined), target.accountId, target.region).roleArn;
  return { role: above === target.roleArn ? undefined : target.roleArn };
}

/** A default group's recorded parameters say nothing when they are the engine defaults aurora-audit assumes anyway. */
function engineDefaultsAsAssumed(parameters: ExistingParameterGroupInput['parameters']): boolean {
  const entries = Object.entries(parameters ?? {});
  if (entries.length === 0) return true;
  if (entries.length > 1 || entries[0][0] !== 'shared_preload_libraries') return false;
  const value = entries[0][1];
  return (typeof value === 'string' ? value : value.value) === UNCONFIRMED.auroraPostgresqlDefaultPreloadLibraries.join(',');
}

/** A cluster by its family alone, unless something is recorded for it or it was written as a mapping before. */
function clusterValue(c: TargetValue['clusters'][number], before: AccountClusterInput | undefined, inheritedAttach: string | undefined): AccountClusterInput | Record<string, unknown> {
  const group = c.parameterGroup as ExistingParameterGroupInput | undefined;
  const groupWorthRecording = group && (!group.name.startsWith('default.') || group.alsoUsedBy || group.previous || !engineDefaultsAsAssumed(group.parameters));
  const fields: Record<string, unknown> = {
    ...(c.family ? { family: c.family } : { engine: c.engine, engineVersion: c.engineVersion }),
    ...(c.attach !== inheritedAttach ? { attach: c.attach } : {}),
    ...(groupWorthRecording ? { parameterGroup: group } : {}),
    ...(c.existingLogGroups !== undefined ? { existingLogGroups: c.existingLogGroups } : {}),
  };
  const writtenAsMapping = before !== undefined && typeof before !== 'string';
  if (writtenAsMapping && (before.engine !== undefined || before.engineVersion !== undefined)) Object.assign(fields, { engine: c.engine, engineVersion: c.engineVersion });
  const keys = Object.keys(fields);
  return keys.length === 1 && keys[0] === 'family' && !writtenAsMapping ? (fields.family as string) : fields;
}
