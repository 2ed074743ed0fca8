/**
 * What `aurora-audit init` asks, as data: read from an existing config (for defaults) and turned into the config
 * it writes. The wizard and the flags both produce these answers.
 */
import { placementsOf } from '../../config/placements';
import { ENGINES, type AuditEvent, type Engine, type LogType } from '../../config/aws';
import { DEFAULT_AUDIT, DEFAULT_ENCRYPTION, defaultDetectionSettings } from '../../config/defaults';
import type { BackendInput, ConfigInput, EncryptionInput, ExistingParameterGroupInput, RetiredInput } from '../../config/schema';
import { DETECTION_IDS } from '../../detections';

export interface AccountAnswer {
  readonly accountId: string;
  readonly roleArn?: string;
  readonly regions: readonly string[];
  /** The account's name in the organization, as a stack name prefix (<name>-<region>) for an account new to the config. */
  readonly name?: string;
  /** A Slack channel of the account's own; undefined: the top-level channel. */
  readonly slackChannelId?: string;
}

export interface ClusterAnswer {
  readonly accountId: string;
  readonly region: string;
  readonly identifier: string;
  readonly engine: string;
  readonly engineVersion: string;
  /** The parameter group family AWS reports for the engine version, when discovery read it. */
  readonly family?: string;
  readonly attach: 'adopt' | 'external';
  /** What discovery saw of its parameter group: recorded so that synthesis keeps every user parameter, offline. */
  readonly parameterGroup?: ExistingParameterGroupInput;
  /** Log groups RDS already made, to import. */
  readonly existingLogGroups?: readonly LogType[];
  /** The stack the cluster was in, when read from an existing config: a retired entry keeps it. */
  readonly stack?: string;
}

export interface DetectionAnswer {
  readonly enabled: boolean;
  readonly threshold: number;
  readonly periodSeconds: number;
}

export interface InitAnswers {
  readonly profile?: string;
  /** The role name assumed in every account of the organization, when init walks it. */
  readonly organizationRole?: string;
  /** Clusters carrying all these tags are chosen. */
  readonly tags?: Readonly<Record<string, string>>;
  readonly accounts: readonly AccountAnswer[];
  readonly clusters: readonly ClusterAnswer[];
  readonly events: readonly AuditEvent[];
  /** Aurora PostgreSQL's pgaudit.log classes; written only when a PostgreSQL cluster is chosen. */
  readonly pgauditLog?: readonly string[];
  readonly logTypes: readonly LogType[];
  readonly auditRetentionDays: number;
  /** Retention of every other log type; undefined keeps the per-type defaults. */
  readonly otherRetentionDays?: number;
  readonly detections: Readonly<Record<string, DetectionAnswer>>;
  readonly encryption: EncryptionInput;
  readonly backend: BackendInput;
  readonly slackTeamId: string;
  readonly slackChannelId: string;
  /** Clusters that left the config: kept so that Terraform forgets, rather than destroys, them. */
  readonly retired: readonly RetiredInput[];
}

/** What an existing config already answers. */
export function answersFromConfig(config: ConfigInput): Partial<InitAnswers> {
  // Both shapes of the config, stacks one by one and the fleet, read alike (problems were reported when it loaded).
  const placements = placementsOf(config, () => undefined);
  const accounts = new Map<string, { accountId: string; roleArn?: string; regions: string[]; slackChannelId?: string }>();
  // A channel set on the account (or its targets) itself; one it takes from its group or the top level stays there.
  // Targets of one account with different channels (or some with none) are the user's to keep: init leaves them be.
  const channels = new Map<string, Set<string | undefined>>();
  for (const t of placements) {
    const own = t.levels[0].path.length > 0 ? t.levels[0].value?.notifications?.slack?.channelId : undefined;
    channels.set(t.accountId, (channels.get(t.accountId) ?? new Set()).add(own));
    const a = accounts.get(t.accountId) ?? { accountId: t.accountId, roleArn: t.roleArn, regions: [] };
    if (!a.regions.includes(t.region)) a.regions.push(t.region);
    accounts.set(t.accountId, a);
  }
  for (const [id, own] of channels) {
    const [only] = own;
    if (own.size === 1 && only) accounts.get(id)!.slackChannelId = only;
  }
  // The audit records' logs, on either engine: a config need not set pgauditLog to have PostgreSQL clusters.
  const auditTypes = ['audit', 'postgresql'];
  const others = Object.entries(config.audit?.retentionDays ?? {}).filter(([type]) => !auditTypes.includes(type)).map(([, days]) => days);
  const detections: Record<string, DetectionAnswer> = {};
  for (const id of DETECTION_IDS) {
    const given = config.detections?.[id];
    if (given) detections[id] = { ...defaultDetectionAnswer(id), ...stripUndefined(given) };
  }
  return stripUndefined({
    profile: config.discovery?.profile,
    organizationRole: config.discovery?.organization?.role,
    tags: config.discovery?.tags,
    accounts: [...accounts.values()],
    clusters: placements.flatMap((t) =>
      t.clusters.map(({ input: c }) =>
        stripUndefined({
          accountId: t.accountId,
          region: t.region,
          stack: t.name,
          identifier: c.identifier,
          engine: c.engine,
          engineVersion: c.engineVersion,
          family: c.family,
          attach: c.attach,
          parameterGroup: c.parameterGroup,
          existingLogGroups: c.existingLogGroups,
        }),
      ),
    ),
    events: config.audit?.events as AuditEvent[] | undefined,
    pgauditLog: config.audit?.pgauditLog,
    retired: config.retired,
    logTypes: config.audit?.logTypes as LogType[] | undefined,
    auditRetentionDays: config.audit?.retentionDays?.audit ?? config.audit?.retentionDays?.postgresql,
    otherRetentionDays: others.length > 0 && others.every((d) => d === others[0]) ? others[0] : undefined,
    detections: Object.keys(detections).length ? detections : undefined,
    encryption: config.encryption,
    backend: config.backend,
    slackTeamId: config.notifications?.slack?.teamId,
    slackChannelId: config.notifications?.slack?.channelId,
  });
}

export function defaultDetectionAnswer(id: string): DetectionAnswer {
  const d = defaultDetectionSettings(id);
  return { enabled: d.enabled, threshold: d.threshold, periodSeconds: d.periodSeconds };
}

export const DEFAULT_ANSWERS = {
  events: DEFAULT_AUDIT.events,
  pgauditLog: DEFAULT_AUDIT.pgauditLog,
  auditRetentionDays: DEFAULT_AUDIT.retentionDays.audit,
  encryption: { mode: DEFAULT_ENCRYPTION.mode } as EncryptionInput,
  backend: { type: 'local' } as BackendInput,
};

/**
 * The config the answers make. `undefined` marks a key init manages but the answers leave unset, so that an
 * existing file loses it (a role ARN no longer wanted); keys init does not manage are never touched.
 */
export function configFromAnswers(a: InitAnswers): Record<string, unknown> {
  // The audit records live in the audit log on MySQL and in the postgresql log on PostgreSQL.
  const holdsAudit = (type: string) => type === 'audit' || (type === 'postgresql' && a.pgauditLog !== undefined);
  const retentionDays: Record<string, number> = { audit: a.auditRetentionDays };
  if (a.pgauditLog !== undefined) retentionDays.postgresql = a.auditRetentionDays;
  for (const type of a.logTypes) if (!holdsAudit(type) && a.otherRetentionDays !== undefined) retentionDays[type] = a.otherRetentionDays;
  const targets = a.accounts.flatMap((account) =>
    account.regions
      .map((region) => ({ account, region, clusters: a.clusters.filter((c) => c.accountId === account.accountId && c.region === region) }))
      .filter((t) => t.clusters.length > 0)
      .map(({ account, region, clusters }) => ({
        accountId: account.accountId,
        region,
        roleArn: account.roleArn,
        // Written only when the account has a channel of its own: a target's other Slack settings are the user's.
        ...(account.slackChannelId ? { notifications: { slack: { channelId: account.slackChannelId } } } : {}),
        clusters: clusters.map((c) => ({
          identifier: c.identifier,
          engine: c.engine,
          engineVersion: c.engineVersion,
          family: c.family,
          attach: c.attach,
          parameterGroup: c.parameterGroup,
          existingLogGroups: c.existingLogGroups ? [...c.existingLogGroups] : undefined,
        })),
      })),
  );
  return {
    version: 1,
    discovery:
      a.profile || a.organizationRole || a.tags
        ? { profile: a.profile, organization: a.organizationRole ? { role: a.organizationRole } : undefined, tags: a.tags ? { ...a.tags } : undefined }
        : undefined,
    audit: { events: [...a.events], pgauditLog: a.pgauditLog ? [...a.pgauditLog] : undefined, logTypes: [...a.logTypes], retentionDays },
    detections: Object.fromEntries(Object.entries(a.detections).map(([id, d]) => [id, { enabled: d.enabled, threshold: d.threshold, periodSeconds: d.periodSeconds }])),
    // Walking an organization, one role name serves every account: said once, at the top.
    ...(a.organizationRole ? { role: a.organizationRole } : {}),
    notifications: { slack: { teamId: a.slackTeamId, channelId: a.slackChannelId } },
    encryption: a.encryption,
    backend: a.backend,
    targets,
    retired: a.retired.length ? a.retired.map((r) => ({ ...r })) : undefined,
  };
}

/** The answers with every setting at its built-in default: what a config that leaves the settings out means. */
export function withDefaultSettings(a: InitAnswers): InitAnswers {
  const engines = [...new Set(a.clusters.map((c) => c.engine as Engine))];
  return {
    ...a,
    events: DEFAULT_ANSWERS.events,
    pgauditLog: a.pgauditLog !== undefined ? DEFAULT_ANSWERS.pgauditLog : undefined,
    logTypes: [...new Set(engines.flatMap((e) => ENGINES[e].defaultLogTypes as readonly LogType[]))],
    auditRetentionDays: DEFAULT_ANSWERS.auditRetentionDays,
    otherRetentionDays: undefined,
    detections: Object.fromEntries(Object.keys(a.detections).map((id) => [id, defaultDetectionAnswer(id)])),
    encryption: DEFAULT_ANSWERS.encryption,
    backend: DEFAULT_ANSWERS.backend,
  };
}

/** The settings init writes that have built-in defaults; the rest (clusters, Slack, retired) are facts or required. */
const SETTINGS_WITH_DEFAULTS = ['audit', 'detections', 'encryption', 'backend'];

/**
 * What init writes into an existing config: a setting the file already has is written (kept or changed), and one it
 * leaves out stays out while the answer is what leaving it out means. Re-running init never spells out defaults.
 */
export function withoutUnwrittenDefaults(value: Record<string, unknown>, written: unknown, defaults: Record<string, unknown>): Record<string, unknown> {
  const out = { ...value };
  for (const key of SETTINGS_WITH_DEFAULTS) {
    const pruned = pruneDefaults(value[key], isRecord(written) ? written[key] : undefined, defaults[key], isRecord(written) && key in written);
    if (pruned === OMIT) delete out[key];
    else out[key] = pruned;
  }
  return out;
}

const OMIT = Symbol('omit');

function pruneDefaults(next: unknown, written: unknown, def: unknown, has: boolean): unknown {
  if (!has && next !== undefined && JSON.stringify(next) === JSON.stringify(def)) return OMIT;
  if (!isRecord(next)) return next;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(next)) {
    const pruned = pruneDefaults(value, isRecord(written) ? written[key] : undefined, isRecord(def) ? def[key] : undefined, isRecord(written) && key in written);
    if (pruned !== OMIT) out[key] = pruned;
  }
  return !has && Object.keys(out).length === 0 ? OMIT : out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
