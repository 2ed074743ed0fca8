/**
 * Where each stack is written. A config lists stacks one by one (targets) or as a fleet (accounts, each with its
 * regions, taking defaults from a group). Both become placements: an account and region, the levels its settings come
 * from (nearest first, ending at the top level), and its clusters in the full form, each with the path where it is
 * written, so that every later problem points at the user's own line.
 */
import { ENGINE_NAMES, IAM_ROLE_ARN, partitionOf } from './aws';
import { formatPath, show, type PathSegment } from './problems';
import type { AccountClusterInput, AccountInput, ClusterInput, ConfigInput, GroupInput, SettingsSectionKey, TargetInput } from './schema';

type Path = readonly PathSegment[];

/**
 * What a level above the cluster can set (the top level, a group, an account, a target): the settings sections of
 * config/schema.ts SETTINGS_SECTIONS as a level writes them, with a group's role and attach.
 */
export type SharedSettings = Partial<Pick<TargetInput, Extract<SettingsSectionKey, keyof TargetInput>>> &
  Partial<Pick<GroupInput, 'role' | 'attach'>>;

export interface SettingsLevel {
  readonly value: SharedSettings | undefined;
  readonly path: Path;
}

export interface Placement {
  /** The target, or the region of an account. */
  readonly path: Path;
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly roleArn?: string;
  /** Nearest first; the last is the top level. */
  readonly levels: readonly SettingsLevel[];
  readonly clusters: readonly PlacedCluster[];
}

export interface PlacedCluster {
  readonly input: ClusterInput;
  readonly path: Path;
  /** Where engine and engineVersion were read from, when the cluster gave only its family. */
  readonly versionFrom?: Path;
}

type Report = (path: Path, message: string) => void;

export function placementsOf(config: ConfigInput, report: Report): Placement[] {
  const top: SettingsLevel = { value: config, path: [] };
  // An entry left out (null) had a type error, already reported: the rest is still checked (load.ts).
  const fromTargets = (config.targets ?? []).flatMap((target, t): Placement[] => {
    if (!target) return [];
    const path: Path = ['targets', t];
    const levels = [{ value: target, path }, top];
    return [{
      path,
      name: target.name ?? `${target.accountId}-${target.region}`,
      accountId: target.accountId,
      region: target.region,
      roleArn: target.roleArn ?? roleArnOf(levels, target.accountId, target.region, report),
      levels,
      clusters: target.clusters.flatMap((input, c) => (input ? [{ input, path: [...path, 'clusters', c] }] : [])),
    }];
  });
  const fromAccounts = (config.accounts ?? []).flatMap((account, a) => (account ? accountPlacements(config, account, ['accounts', a], top, report) : []));
  return [...fromTargets, ...fromAccounts];
}

function accountPlacements(config: ConfigInput, account: AccountInput, path: Path, top: SettingsLevel, report: Report): Placement[] {
  const levels: SettingsLevel[] = [{ value: account, path }];
  if (account.group !== undefined) {
    const group = config.groups?.[account.group];
    if (group) levels.push({ value: group, path: ['groups', account.group] });
    else {
      const known = Object.keys(config.groups ?? {});
      report([...path, 'group'], `${show(account.group)} is not a group under groups; ${known.length ? `use ${known.join(', ')}` : 'define it under groups, or leave group out'}`);
    }
  }
  levels.push(top);
  return Object.entries(account.regions).map(([region, clusters]) => {
    const regionPath: Path = [...path, 'regions', region];
    if (Object.keys(clusters).length === 0) report(regionPath, 'must list at least one cluster, by identifier (payments: aurora-mysql8.4); leave the region out when it has none');
    return {
      path: regionPath,
      name: `${account.name ?? account.id}-${region}`,
      accountId: account.id,
      region,
      roleArn: roleArnOf(levels, account.id, region, report),
      levels,
      clusters: Object.entries(clusters).flatMap(([identifier, cluster]) => {
        const clusterPath: Path = [...regionPath, identifier];
        const input = fullCluster(identifier, cluster, levels, clusterPath, report);
        if (!input) return [];
        const versionFrom = typeof cluster === 'string' ? clusterPath : cluster.engineVersion === undefined ? [...clusterPath, 'family'] : undefined;
        return [{ input, path: clusterPath, versionFrom }];
      }),
    };
  });
}

/** The levels an account's stacks take settings from: the account, its group, the top level (problems are not reported). */
export function accountLevels(config: ConfigInput, account: AccountInput | undefined): SettingsLevel[] {
  const group = account?.group !== undefined ? config.groups?.[account.group] : undefined;
  return [
    ...(account ? [{ value: account, path: [] }] : []),
    ...(group ? [{ value: group, path: [] }] : []),
    { value: config, path: [] },
  ];
}

/** The role ARN and attach mode the levels give an account in a region, as the stacks would resolve them. */
export function inherited(levels: readonly SettingsLevel[], accountId: string, region: string): { roleArn?: string; attach?: 'adopt' | 'external' } {
  return { roleArn: roleArnOf(levels, accountId, region, () => undefined), attach: levels.find((l) => l.value?.attach !== undefined)?.value?.attach };
}

/** The nearest role, as an ARN in this account. */
export function roleArnOf(levels: readonly SettingsLevel[], accountId: string, region: string, report: Report): string | undefined {
  const level = levels.find((l) => l.value?.role !== undefined);
  const role = level?.value?.role;
  if (!level || role === undefined) return undefined;
  if (!role.startsWith('arn:')) return `arn:${partitionOf(region)}:iam::${accountId}:role/${role.replace(/^\/+/, '')}`;
  const owner = IAM_ROLE_ARN.exec(role)?.[1];
  if (owner !== accountId) {
    report([...level.path, 'role'], `${show(role)} is a role in account ${owner}, but it would be assumed in account ${accountId}; give a role name (aurora-audit builds the ARN in each account) or set the role per account`);
  }
  return role;
}

/** A cluster of the fleet form in the full form of a target's cluster: engine and version from its family, attach from the nearest level. */
function fullCluster(identifier: string, cluster: AccountClusterInput, levels: readonly SettingsLevel[], path: Path, report: Report): ClusterInput | undefined {
  const fields = typeof cluster === 'string' ? { family: cluster } : cluster;
  const fromFamily = fields.family ? /^(aurora-(?:mysql|postgresql))(\d+(?:\.\d+)?)$/.exec(fields.family) : null;
  const engine = fields.engine ?? fromFamily?.[1];
  const engineVersion = fields.engineVersion ?? fromFamily?.[2];
  let complete = true;
  if (engine === undefined || engineVersion === undefined) {
    report(
      typeof cluster === 'string' ? path : [...path, engine === undefined ? 'engine' : 'engineVersion'],
      `is required: give ${formatPath(path)} its family (such as aurora-mysql8.4 or aurora-postgresql16), or its engine and engineVersion`,
    );
    complete = false;
  } else if (!(ENGINE_NAMES as readonly string[]).includes(engine)) {
    report([...path, 'family'], `${show(fields.family)} is not the family of a supported engine; use ${ENGINE_NAMES.join(' or ')} families, such as aurora-mysql8.4`);
    complete = false;
  }
  const attach = fields.attach ?? levels.find((l) => l.value?.attach !== undefined)?.value?.attach;
  if (attach === undefined) {
    report(
      [...path, 'attach'],
      'is required: say whether aurora-audit may change the cluster (adopt) or only makes the parameter group another tool attaches (external); set attach on the cluster, its account, its group or at the top level',
    );
  }
  if (!complete) return undefined;
  // Without attach the cluster is still checked, as one aurora-audit only reads (the config is refused anyway).
  return { ...fields, identifier, engine: engine as ClusterInput['engine'], engineVersion: engineVersion!, attach: attach ?? 'external' };
}
