/**
 * From an engine version (as the config or AWS writes it) to the major version aurora-audit knows, its cluster
 * parameter group family and its support status. Ground floor: it imports only AWS facts (and how a value is shown).
 *
 * A version is read by its major alone, so a new minor version (8.4.9, 8.0.mysql_aurora.3.12.0, 17.9) never needs a
 * new aurora-audit. When discovery recorded the family AWS reports for the version (DescribeDBEngineVersions), the
 * family decides and the version only has to belong to it: a version AWS writes in a new way is still taken. A major
 * aurora-audit does not know is refused with what it supports; it is never guessed at.
 */
import { ENGINES, type Engine, type EngineFacts, type MajorVersionFacts } from './aws';
import { andList, show } from './problems';
import { UNCONFIRMED } from './unconfirmed';

export type VersionVerdict =
  | { readonly ok: true; readonly major: MajorVersionFacts }
  | {
      readonly ok: false;
      readonly field: 'engineVersion' | 'family';
      readonly problem: string;
      /** A few words for a list of clusters: "Aurora MySQL 9.7 is not known to this release". */
      readonly brief: string;
    };

/** aurora-mysql8.4 → { engine: aurora-mysql, major: 8.4 }. */
export const FAMILY = /^(aurora-mysql|aurora-postgresql)(\d+(?:\.\d+)?)$/;

/** The major an engine version is written in, or why it is not an engine version of this engine. */
function majorOf(engine: Engine, version: string, family: string | undefined): { major: string } | string {
  const facts: EngineFacts = ENGINES[engine];
  if (engine === 'aurora-postgresql') {
    const m = /^(9\.6|\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(version);
    if (!m) return `${show(version)} is not an ${facts.label} engine version; write the major alone (16) or with its minor (16.4)`;
    return { major: m[1] };
  }
  const m = /^(\d+\.\d+)(?:\.(\d+)|\.mysql_aurora\.(\d+(?:\.\d+)+))?$/.exec(version);
  if (!m) {
    // A family AWS reported vouches for a version written in a way this release has not seen, if it starts with the
    // family's major: 8.4.mysql_aurora.4.0.0 is an 8.4 version because AWS says so.
    const familyMajor = family ? FAMILY.exec(family)?.[2] : undefined;
    if (familyMajor && /^[0-9A-Za-z._-]+$/.test(version) && version.startsWith(`${familyMajor}.`)) return { major: familyMajor };
    return `${show(version)} is not an ${facts.label} engine version; write the major alone (8.0) or in full (8.0.mysql_aurora.3.05.2, 8.4.7)`;
  }
  const known = facts.versions.find((v) => v.major === m[1]);
  if (m[2] !== undefined && known && !known.minorIsEngineVersion) {
    return `${show(version)} is MySQL's community version, not an Aurora engine version; write ${known.major} or ${known.major}.mysql_aurora.${known.auroraVersionPrefix}x.y`;
  }
  if (m[3] !== undefined && known?.auroraVersionPrefix && !`${m[3]}.`.startsWith(known.auroraVersionPrefix) && !family) {
    return `${show(version)} mixes MySQL ${known.major} with Aurora version ${m[3]}; ${majorLabel(engine, known)} versions are written ${known.major}.mysql_aurora.${known.auroraVersionPrefix}…`;
  }
  return { major: m[1] };
}

/**
 * Whether aurora-audit supports an engine version, and the facts of its major. `family` is the one discovery
 * recorded from AWS, when it did; it must belong to the engine and agree with the version.
 */
export function resolveEngineVersion(engine: Engine, version: string, family?: string): VersionVerdict {
  const facts: EngineFacts = ENGINES[engine];
  let familyMajor: string | undefined;
  if (family !== undefined) {
    const f = FAMILY.exec(family);
    if (!f || f[1] !== engine) {
      return {
        ok: false,
        field: 'family',
        problem: `${show(family)} is not an ${facts.label} cluster parameter group family; they are written ${engine}<major> (${facts.versions[facts.versions.length - 1].family})`,
        brief: `family ${family} is not an ${facts.label} one`,
      };
    }
    familyMajor = f[2];
  }
  const read = majorOf(engine, version, family);
  if (typeof read === 'string') return { ok: false, field: 'engineVersion', problem: read, brief: `${version} is not an ${facts.label} engine version` };
  if (familyMajor !== undefined && familyMajor !== read.major) {
    return {
      ok: false,
      field: 'family',
      problem: `${show(family)} is the family of ${facts.label} ${familyMajor}, but engineVersion ${show(version)} is ${read.major}; run \`aurora-audit init\` again to record what the cluster runs now`,
      brief: `family ${family} does not match version ${version}`,
    };
  }
  const major = facts.versions.find((v) => v.major === read.major);
  if (!major) {
    const refused = (facts.refusedMajors as Readonly<Record<string, string>>)[read.major];
    const supported = `aurora-audit supports ${andList(facts.versions.map((v) => v.major))}`;
    return {
      ok: false,
      field: 'engineVersion',
      problem: refused
        ? `${show(version)} is not a supported ${facts.label} version: ${read.major} ${refused}; ${supported}. Upgrade the cluster, or leave it out`
        : `${show(version)} is not a supported ${facts.label} version: ${read.major} is a major version this release of aurora-audit does not know; ${supported}. Look for a newer aurora-audit whose support matrix (README) lists ${facts.label} ${read.major}, or leave the cluster out until then`,
      brief: refused ? `${facts.label} ${read.major} is not supported` : `${facts.label} ${read.major} is not known to this release of aurora-audit`,
    };
  }
  if (engine === 'aurora-mysql' && major.major === '8.4' && !UNCONFIRMED.auroraMysql84AdvancedAuditing) {
    return {
      ok: false,
      field: 'engineVersion',
      problem: `${show(version)} is Aurora MySQL 8.4, whose Advanced Auditing aurora-audit has not confirmed; leave the cluster out until it does`,
      brief: 'Advanced Auditing on Aurora MySQL 8.4 is not confirmed',
    };
  }
  return { ok: true, major };
}

export type SupportPhase = 'standard' | 'extended' | 'ended';

export interface SupportStatus {
  readonly phase: SupportPhase;
  readonly standardSupportEnds?: string;
  readonly extendedSupportEnds?: string;
  /** Whether the dates rest on a primary AWS source (false: config/unconfirmed.ts). */
  readonly confirmed: boolean;
}

/** Where a supported major stands in AWS's support lifecycle on a given day (YYYY-MM-DD). */
export function supportStatus(engine: Engine, major: MajorVersionFacts, today: string): SupportStatus {
  const unconfirmed = UNCONFIRMED.supportDates[engine]?.[major.major] ?? {};
  const standardSupportEnds = major.standardSupportEnds ?? unconfirmed.standardSupportEnds;
  const extendedSupportEnds = unconfirmed.extendedSupportEnds;
  const phase: SupportPhase =
    standardSupportEnds === undefined || today < standardSupportEnds ? 'standard' : extendedSupportEnds === undefined || today < extendedSupportEnds ? 'extended' : 'ended';
  return { phase, standardSupportEnds, extendedSupportEnds, confirmed: major.standardSupportEnds !== undefined && extendedSupportEnds === undefined };
}

/** "Aurora MySQL 5.7 (Aurora MySQL version 2)". */
export function majorLabel(engine: Engine, major: MajorVersionFacts): string {
  return `${ENGINES[engine].label} ${major.major}${major.alias ? ` (${major.alias})` : ''}`;
}
