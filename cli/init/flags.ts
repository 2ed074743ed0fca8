/**
 * The flags of `aurora-audit init`: one entry per question, with the config key it sets and the check it shares
 * with the prompt (the config schema's own field rules).
 */
import { AUDIT_RETENTION_FLOOR_DAYS, AUDIT_RETENTION_FRAMEWORKS, AUDIT_RETENTION_YEAR_DAYS, LOG_RETENTION_DAYS, type AuditEvent, type LogType } from '../../config/aws';
import { checkNumberText, checkValue, notANumber } from '../../config/check';
import { closest } from '../../config/problems';
import * as schema from '../../config/schema';
import { DETECTION_IDS } from '../../detections';
import { flagLong, type FlagName } from './flag-specs';

export { INIT_FLAGS, flagLong, type FlagName } from './flag-specs';

export class FlagProblems extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export const splitList = (raw: string) => raw.split(',').map((s) => s.trim()).filter(Boolean);

/** Checks each element with a schema field; collects `--flag: "value" ...` lines. */
function checkEach<T>(name: FlagName, values: readonly string[], field: Parameters<typeof checkValue>[0], problems: string[]): T[] {
  for (const v of values) {
    const problem = checkValue(field, v);
    if (problem) problems.push(`${flagLong(name)}: ${problem}`);
  }
  return values as unknown as T[];
}

export interface AccountFlag {
  readonly accountId: string;
  readonly roleArn?: string;
  readonly regions?: readonly string[];
  readonly slackChannelId?: string;
}

export interface ClusterFlag {
  readonly accountId?: string;
  readonly region?: string;
  readonly identifier: string;
  readonly attach?: 'adopt' | 'external';
}

/** Flags as given, parsed and checked; absent flags stay undefined. */
export interface ParsedFlags {
  readonly profile?: string;
  readonly accountId?: string;
  readonly roleArn?: string;
  readonly regions?: readonly string[];
  readonly accounts: readonly AccountFlag[];
  /** The role name to assume in every account of the organization, when init walks it. */
  readonly organizationRole?: string;
  /** Clusters carrying all these tags are chosen, beside the ones named. */
  readonly tags?: ReadonlyMap<string, string>;
  /** 'all', or the clusters named. */
  readonly clusters?: 'all' | readonly ClusterFlag[];
  readonly engineVersions: ReadonlyMap<string, string>;
  readonly attach?: 'adopt' | 'external';
  readonly events?: readonly AuditEvent[];
  readonly logTypes?: readonly LogType[];
  readonly auditRetentionDays?: number;
  readonly otherRetentionDays?: number;
  readonly detections?: readonly string[];
  readonly thresholds: ReadonlyMap<string, number>;
  readonly periods: ReadonlyMap<string, number>;
  readonly encryption?: schema.EncryptionInput;
  readonly backend?: 'local' | 's3';
  readonly stateBucket?: string;
  readonly stateRegion?: string;
  readonly stateKeyPrefix?: string;
  readonly stateLocking?: 'lockfile' | 'dynamodb' | 'none';
  readonly stateLockTable?: string;
  readonly slackTeamId?: string;
  readonly slackChannelId?: string;
}

type RawFlags = Partial<Record<FlagName, string | string[]>>;

/** Parses and checks every flag at once; throws FlagProblems listing each bad one. */
export function parseInitFlags(raw: RawFlags): ParsedFlags {
  const problems: string[] = [];
  const one = (name: FlagName, field: Parameters<typeof checkValue>[0]): string | undefined => {
    const v = raw[name] as string | undefined;
    if (v === undefined) return undefined;
    const problem = checkValue(field, v);
    if (problem) problems.push(`${flagLong(name)}: ${problem}`);
    return v;
  };
  const days = (name: FlagName): number | undefined => {
    const v = raw[name] as string | undefined;
    if (v === undefined) return undefined;
    const problem = checkNumberText(schema.retentionDays, v);
    if (problem) problems.push(`${flagLong(name)}: ${problem}`);
    return Number(v);
  };
  // Under the floor the config must say it means it (audit.shortRetentionAccepted): init does not write that for a flag.
  const auditDays = (d: number | undefined): number | undefined => {
    if (d !== undefined && Number.isFinite(d) && d < AUDIT_RETENTION_FLOOR_DAYS) {
      problems.push(
        `${flagLong('auditRetentionDays')}: "${d}" is under ${AUDIT_RETENTION_FLOOR_DAYS} days, which ${AUDIT_RETENTION_FRAMEWORKS} do not allow for audit records; use ${AUDIT_RETENTION_FLOOR_DAYS} or more (${AUDIT_RETENTION_YEAR_DAYS} for a year). To keep fewer on purpose, write audit.retentionDays and audit.shortRetentionAccepted: true in the config by hand`,
      );
    }
    return d;
  };
  const keyed = (name: FlagName): Map<string, string> => {
    const map = new Map<string, string>();
    for (const item of (raw[name] as string[] | undefined) ?? []) {
      const [k, ...rest] = item.split('=');
      if (!k || rest.length === 0) problems.push(`${flagLong(name)}: "${item}" is not <name>=<value>`);
      else map.set(k.trim(), rest.join('=').trim());
    }
    return map;
  };
  const detectionNumbers = (name: FlagName, whole: boolean): Map<string, number> => {
    const out = new Map<string, number>();
    for (const [id, v] of keyed(name)) {
      const n = Number(v);
      const near = closest(id, DETECTION_IDS);
      if (!DETECTION_IDS.includes(id)) problems.push(`${flagLong(name)}: "${id}" is not a detection${near ? ` (did you mean ${near}?)` : ''}; use ${DETECTION_IDS.join(', ')}`);
      else if (notANumber(v)) problems.push(`${flagLong(name)}: ${id}=${notANumber(v)}`);
      else if (!(n > 0) || !Number.isInteger(n)) problems.push(`${flagLong(name)}: "${v}" must be a whole number greater than 0${whole ? ' (whole seconds)' : ' (matching lines)'}`);
      else out.set(id, n);
    }
    return out;
  };

  const accounts: AccountFlag[] = [];
  for (const spec of (raw.account as string[] | undefined) ?? []) {
    const fields = Object.fromEntries(spec.split(';').map((part) => {
      const i = part.indexOf('=');
      return [part.slice(0, i).trim(), part.slice(i + 1).trim()];
    }));
    const unknown = Object.keys(fields).filter((k) => !['id', 'role', 'regions', 'slack'].includes(k));
    if (!fields.id || unknown.length) {
      problems.push(`--account: "${spec}" is not id=<account-id>;role=<role-arn>;regions=<r1>,<r2>;slack=<channel-id>`);
      continue;
    }
    const problem =
      checkValue(schema.accountId, fields.id) ??
      (fields.role ? checkValue(schema.roleArn, fields.role) : undefined) ??
      (fields.slack ? checkValue(schema.slackChannelId, fields.slack) : undefined);
    if (problem) problems.push(`--account: ${problem}`);
    const regions = fields.regions ? checkEach<string>('account', splitList(fields.regions), schema.region, problems) : undefined;
    accounts.push({ accountId: fields.id, roleArn: fields.role || undefined, regions, slackChannelId: fields.slack || undefined });
  }

  let clusters: ParsedFlags['clusters'];
  if (raw.clusters !== undefined) {
    clusters =
      raw.clusters === 'all'
        ? 'all'
        : splitList(raw.clusters as string).map((item): ClusterFlag => {
            const [path, attach] = item.split(':');
            const parts = path.split('/');
            const identifier = parts[parts.length - 1];
            const region = parts.length >= 2 ? parts[parts.length - 2] : undefined;
            const accountId = parts.length >= 3 ? parts[0] : undefined;
            const problem =
              checkValue(schema.clusterIdentifier, identifier) ??
              (region ? checkValue(schema.region, region) : undefined) ??
              (accountId ? checkValue(schema.accountId, accountId) : undefined) ??
              (attach !== undefined ? checkValue(schema.attach, attach) : undefined);
            if (problem) problems.push(`--clusters: ${problem}`);
            return { accountId, region, identifier, attach: attach as ClusterFlag['attach'] };
          });
  }

  const encryptionRaw = raw.encryption as string | undefined;
  let encryption: schema.EncryptionInput | undefined;
  if (encryptionRaw === 'create' || encryptionRaw === 'none') encryption = { mode: encryptionRaw };
  else if (encryptionRaw !== undefined) {
    const problem = checkValue(schema.kmsKeyArn, encryptionRaw);
    if (problem) problems.push(`--encryption: ${problem}; or use create or none`);
    encryption = { mode: 'key', keyArn: encryptionRaw };
  }

  const detectionsRaw = raw.detections as string | undefined;
  const detections = detectionsRaw === undefined ? undefined : detectionsRaw === 'none' ? [] : splitList(detectionsRaw);
  for (const id of detections ?? []) {
    if (!DETECTION_IDS.includes(id)) {
      const near = closest(id, DETECTION_IDS);
      problems.push(`--detections: "${id}" is not a detection${near ? ` (did you mean ${near}?)` : ''}; use ${DETECTION_IDS.join(', ')}, or none`);
    }
  }

  const enumFlag = <T extends string>(name: FlagName, allowed: readonly T[]): T | undefined => {
    const v = raw[name] as string | undefined;
    if (v !== undefined && !allowed.includes(v as T)) problems.push(`${flagLong(name)}: "${v}" is not allowed; use ${allowed.join(', ')}`);
    return v as T | undefined;
  };

  const parsed: ParsedFlags = {
    profile: one('profile', schema.profileName),
    accountId: one('accountId', schema.accountId),
    roleArn: one('roleArn', schema.roleArn),
    regions: raw.regions === undefined ? undefined : checkEach<string>('regions', splitList(raw.regions as string), schema.region, problems),
    accounts,
    organizationRole: one('organization', schema.roleName),
    tags: raw.tag === undefined ? undefined : checkedTags(keyed('tag'), problems),
    clusters,
    engineVersions: keyed('engineVersion'),
    attach: enumFlag('attach', ['adopt', 'external'] as const),
    events: raw.events === undefined ? undefined : checkEach<AuditEvent>('events', splitList(raw.events as string), schema.auditEvent, problems),
    logTypes: raw.logTypes === undefined ? undefined : checkEach<LogType>('logTypes', splitList(raw.logTypes as string), schema.logType, problems),
    auditRetentionDays: auditDays(days('auditRetentionDays')),
    otherRetentionDays: days('otherRetentionDays'),
    detections,
    thresholds: detectionNumbers('threshold', false),
    periods: detectionNumbers('period', true),
    encryption,
    backend: enumFlag('backend', ['local', 's3'] as const),
    stateBucket: raw.stateBucket as string | undefined,
    stateRegion: one('stateRegion', schema.region),
    stateKeyPrefix: raw.stateKeyPrefix as string | undefined,
    stateLocking: enumFlag('stateLocking', ['lockfile', 'dynamodb', 'none'] as const),
    stateLockTable: raw.stateLockTable as string | undefined,
    slackTeamId: one('slackTeamId', schema.slackTeamId),
    slackChannelId: one('slackChannelId', schema.slackChannelId),
  };
  if (problems.length) throw new FlagProblems(problems);
  return parsed;
}

function checkedTags(tags: Map<string, string>, problems: string[]): Map<string, string> {
  const problem = checkValue(schema.clusterTagSelector, Object.fromEntries(tags));
  if (problem) problems.push(`--tag: ${problem}`);
  return tags;
}

/** Retention choices for prompts. */
export const RETENTION_CHOICES = LOG_RETENTION_DAYS;
