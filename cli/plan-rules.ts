/**
 * What `check-plan` judges in a Terraform plan (`terraform show -json plan.bin`): every change that would lose what
 * aurora-audit promises to keep, or weaken what keeps it, whatever the config says. It fails closed: a delete it cannot
 * see into (no `before`, a deposed object, a resource type aurora-audit never makes) counts as a loss, and so does an
 * update whose new value the plan does not know yet.
 *
 * Coverage the plan removes (alarms, filters, tamper rules, the topic, the Slack channel) is reported, not refused: a
 * config may ask for it.
 */
import { CROSS_ACCOUNT_SHARING_ROLE_NAME, ENGINES, PGAUDIT_CLASSES, type LogType } from '../config/aws';
import { OWN_PARAMETER_GROUP_PREFIX } from '../config/names';

type Json = Record<string, unknown>;

export interface ResourceChange {
  readonly address: string;
  readonly mode?: string;
  readonly type: string;
  /** Set when the change is to a deposed object: one an earlier create-before-destroy replaced but could not delete. */
  readonly deposed?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before?: Json | null;
    readonly after?: Json | null;
    readonly after_unknown?: Json | boolean | null;
  };
}

export interface Finding {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  /** What would be lost or weakened, and why check-plan counts it. */
  readonly reason: string;
}

export interface PlanJudgement {
  /** Changes that do something: every managed resource change but no-ops. */
  readonly changes: number;
  /** What would lose or weaken what is kept, not allowed. */
  readonly findings: readonly Finding[];
  /** Findings the user accepted with --allow. */
  readonly allowed: readonly Finding[];
  /** --allow addresses that match no finding of this plan. */
  readonly unmatchedAllows: readonly string[];
  /** What the plan removes of the alert path, counted by kind: `3 detection alarms`. */
  readonly coverageRemoved: readonly string[];
}

/**
 * The action lists `terraform show -json` writes (Terraform's internal/command/jsonplan, actionString; docs/facts.md
 * "Terraform plan JSON"). Anything else is a plan check-plan does not understand.
 */
const KNOWN_ACTIONS = ['no-op', 'create', 'read', 'update', 'delete', 'forget', 'delete,create', 'create,delete', 'create,forget'];

/**
 * Every resource type aurora-audit declares, adopts or forgets, in any stack it has ever synthesized: a deletion of any
 * other type is one check-plan cannot judge. test/cli/check-plan.test.ts keeps it covering what the stacks synthesize.
 */
export const AURORA_AUDIT_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'aws_chatbot_slack_channel_configuration',
  'aws_cloudwatch_dashboard',
  'aws_cloudwatch_event_rule',
  'aws_cloudwatch_event_target',
  'aws_cloudwatch_log_group',
  'aws_cloudwatch_log_metric_filter',
  'aws_cloudwatch_log_subscription_filter',
  'aws_cloudwatch_metric_alarm',
  'aws_cloudwatch_query_definition',
  'aws_guardduty_detector_feature',
  'aws_iam_policy',
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_kinesis_firehose_delivery_stream',
  'aws_kms_alias',
  'aws_kms_key',
  'aws_lambda_function',
  'aws_lambda_function_event_invoke_config',
  'aws_lambda_permission',
  'aws_rds_cluster',
  'aws_rds_cluster_parameter_group',
  'aws_s3_bucket',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_object_lock_configuration',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_policy',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_versioning',
  'aws_sns_topic',
  'aws_sns_topic_policy',
  'aws_sns_topic_subscription',
]);

const KMS_KEY_TYPES = new Set(['aws_kms_key', 'aws_kms_replica_key', 'aws_kms_external_key', 'aws_kms_replica_external_key']);
const PARAMETER_GROUP_TYPES = new Set(['aws_rds_cluster_parameter_group', 'aws_db_parameter_group']);

/** The log types that hold audit records: Aurora MySQL's audit log, Aurora PostgreSQL's postgresql log (pgAudit). */
const AUDIT_LOG_TYPES: readonly LogType[] = [...new Set(Object.values(ENGINES).map((e) => e.auditLogType))];
const AUDIT_LOG_GROUP = new RegExp(`^/aws/rds/cluster/[^/]+/(?:${AUDIT_LOG_TYPES.join('|')})$`);

/** Why `doc` is not a plan check-plan can judge; undefined when it is one. */
export function notAPlan(doc: unknown): string | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return 'is not a Terraform plan in JSON (not an object)';
  const plan = doc as Json;
  if (typeof plan.format_version !== 'string') return 'is not a Terraform plan in JSON (no format_version)';
  if (!/^1\./.test(plan.format_version)) return `is a Terraform JSON document of format ${plan.format_version}, which check-plan does not know (it reads format 1.x)`;
  if ('values' in plan && !('planned_values' in plan)) return 'is the JSON of a state, not of a plan (terraform show -json of a state file)';
  // A plan always has planned_values; resource_changes only when the configuration or state has a resource.
  if (typeof plan.planned_values !== 'object' || plan.planned_values === null) return 'is not a Terraform plan in JSON (no planned_values or resource_changes)';
  if (plan.errored === true) return 'is a plan Terraform could not finish (errored: true); fix what terraform plan reported and plan again';
  if ('resource_changes' in plan && !Array.isArray(plan.resource_changes)) return 'is not a Terraform plan in JSON (resource_changes is not a list)';
  for (const c of (plan.resource_changes as unknown[] | undefined) ?? []) {
    const rc = c as ResourceChange | null;
    if (typeof rc?.address !== 'string' || typeof rc?.type !== 'string' || !Array.isArray(rc?.change?.actions)) {
      return 'is not a Terraform plan in JSON (a resource change without address, type or actions)';
    }
    if (!KNOWN_ACTIONS.includes(rc.change.actions.join(','))) {
      return `plans ${JSON.stringify(rc.change.actions)} for ${rc.address}, actions check-plan does not know; it judges only what it understands`;
    }
  }
  return undefined;
}

/** Judges a plan (one `notAPlan` accepts). */
export function judgePlan(plan: unknown, allow: readonly string[] = []): PlanJudgement {
  const changes = (((plan as Json).resource_changes as ResourceChange[] | undefined) ?? []).filter((c) => c.mode !== 'data');
  const archive = archiveBuckets(plan as Json, changes);
  const all = changes.flatMap((c) => reasonsFor(c, archive).map((reason) => ({ address: c.address, type: c.type, actions: c.change.actions, reason })));
  return {
    changes: changes.filter((c) => !(c.change.actions.length === 1 && c.change.actions[0] === 'no-op')).length,
    findings: all.filter((f) => !allow.includes(f.address)),
    allowed: all.filter((f) => allow.includes(f.address)),
    unmatchedAllows: [...new Set(allow)].filter((a) => !all.some((f) => f.address === a)),
    coverageRemoved: coverageRemoved(changes),
  };
}

/** The findings of a plan, as a pipeline's guard reads them: what is not allowed. */
export function findUnsafeChanges(plan: unknown, allow: readonly string[] = []): Finding[] {
  return [...judgePlan(plan, allow).findings];
}

const deletes = (c: ResourceChange) => c.change.actions.includes('delete');
const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (typeof v === 'object' && Object.keys(v as object).length === 0);

function reasonsFor(c: ResourceChange, archive: ArchiveBuckets): string[] {
  const lost = deletes(c) ? deleteReason(c, archive) : [];
  // A replacement's new object is judged as an update of the old one: a group re-created with less auditing.
  const weakened = c.change.actions.includes('update') || c.change.actions.includes('create') ? weakenings(c, archive) : [];
  return [...lost, ...weakened];
}

/** Why deleting (or replacing) this resource loses what must be kept; empty when it does not. */
function deleteReason(c: ResourceChange, archive: ArchiveBuckets): string[] {
  const before = c.change.before;
  if (c.deposed) return [`it is a deposed object (${c.deposed}), left by an earlier apply that could not finish a replacement; check-plan cannot tell what it holds`];
  if (isEmpty(before)) return ['the plan does not say what it would delete (no before), so check-plan cannot tell what would be lost'];
  const b = before as Json;
  const name = typeof b.name === 'string' ? b.name : undefined;
  if (KMS_KEY_TYPES.has(c.type)) {
    return [`it is the KMS key ${String(b.key_id ?? b.id ?? '')}: what it encrypted (audit log groups, the archive among it) would become unreadable once its deletion completes`];
  }
  switch (c.type) {
    case 'aws_rds_cluster':
    case 'aws_rds_global_cluster':
      return [`it is the database ${String(b.cluster_identifier ?? b.global_cluster_identifier ?? b.id ?? '')}`.trim()];
    case 'aws_rds_cluster_instance':
    case 'aws_db_instance':
      return [`it is the database instance ${String(b.identifier ?? b.id ?? '')}`.trim()];
    case 'aws_rds_cluster_parameter_group':
    case 'aws_db_parameter_group':
      return name && !name.startsWith(OWN_PARAMETER_GROUP_PREFIX) ? [`it is the parameter group ${name}, which aurora-audit did not create (a cluster's own group)`] : [];
    case 'aws_cloudwatch_log_group':
      // skip_destroy makes the provider forget the group instead of deleting it.
      return name && AUDIT_LOG_GROUP.test(name) && b.skip_destroy !== true ? [`it is the log group ${name}, which holds audit records`] : [];
    case 'aws_s3_bucket':
      return b.object_lock_enabled === true || archive.has(String(b.bucket)) ? [`it is the bucket ${String(b.bucket ?? b.id ?? '')}, which keeps audit records under Object Lock`] : [];
    case 'aws_s3_bucket_object_lock_configuration':
      return [`it is the Object Lock configuration of ${String(b.bucket ?? '')}: new records would be written without a retention`];
    case 'aws_s3_bucket_versioning':
      return archive.has(String(b.bucket)) ? [`it is the versioning of ${String(b.bucket)}, which keeps audit records under Object Lock: deleting it suspends versioning`] : [];
    case 'aws_s3_bucket_policy':
      return archive.has(String(b.bucket)) ? [`it is the policy of ${String(b.bucket)}, which keeps audit records under Object Lock: what it denies would be allowed`] : [];
    case 'aws_s3_bucket_public_access_block':
      return archive.has(String(b.bucket)) ? [`it is the public access block of ${String(b.bucket)}, which keeps audit records under Object Lock: a policy or ACL could then make them public`] : [];
    case 'aws_s3_bucket_server_side_encryption_configuration':
      return archive.has(String(b.bucket)) ? [`it is the default encryption of ${String(b.bucket)}, which keeps audit records under Object Lock: new records would no longer be encrypted with the stack's key`] : [];
  }
  if (!AURORA_AUDIT_RESOURCE_TYPES.has(c.type)) return [`aurora-audit never creates a ${c.type}, so check-plan cannot tell what deleting it would lose`];
  return [];
}

/** What an update (or a create) weakens of what keeps the audit records. */
function weakenings(c: ResourceChange, archive: ArchiveBuckets): string[] {
  const before = (c.change.before ?? {}) as Json;
  const after = (c.change.after ?? {}) as Json;
  const unknown = (c.change.after_unknown ?? {}) as Json;
  const reasons: string[] = [];
  /** The new value of a watched attribute must be known, or the plan cannot show it keeps what it must. */
  const unknownAfter = (key: string) => {
    if (unknown === (true as unknown) || (typeof unknown === 'object' && unknown !== null && containsTrue(unknown[key]))) {
      reasons.push(`the plan does not know the new ${key} yet, so check-plan cannot tell whether it weakens what keeps the audit records`);
      return true;
    }
    return false;
  };
  const updating = c.change.actions.includes('update') || (c.change.actions.includes('create') && deletes(c));
  switch (c.type) {
    case 'aws_cloudwatch_log_group': {
      const name = String(after.name ?? before.name ?? '');
      if (!updating || !AUDIT_LOG_GROUP.test(name)) break;
      if (!unknownAfter('retention_in_days')) {
        const [was, now] = [Number(before.retention_in_days ?? 0), Number(after.retention_in_days ?? 0)];
        // 0 is "never expire".
        if (now !== was && now !== 0 && (was === 0 || now < was)) reasons.push(`its retention is cut from ${was === 0 ? 'never expiring' : `${was} days`} to ${now} days: older audit records would be deleted`);
      }
      if (!unknownAfter('kms_key_id') && !isEmpty(before.kms_key_id) && isEmpty(after.kms_key_id)) reasons.push('its KMS key is removed: audit records would no longer be encrypted with it');
      if (before.skip_destroy === true && after.skip_destroy !== true) reasons.push('skip_destroy is turned off: a later destroy would delete the audit records');
      break;
    }
    case 'aws_rds_cluster': {
      if (!updating) break;
      if (!unknownAfter('enabled_cloudwatch_logs_exports')) {
        const was = new Set(asStrings(before.enabled_cloudwatch_logs_exports));
        const now = new Set(asStrings(after.enabled_cloudwatch_logs_exports));
        for (const t of AUDIT_LOG_TYPES) if (was.has(t) && !now.has(t)) reasons.push(`the ${t} log is no longer exported: audit records would stop reaching CloudWatch Logs`);
      }
      if (before.deletion_protection === true && after.deletion_protection === false) reasons.push('deletion protection is turned off');
      if (before.skip_final_snapshot === false && after.skip_final_snapshot === true) reasons.push('final snapshots are turned off: a delete would keep no snapshot');
      break;
    }
    case 'aws_db_instance':
      if (!updating) break;
      if (before.deletion_protection === true && after.deletion_protection === false) reasons.push('deletion protection is turned off');
      if (before.skip_final_snapshot === false && after.skip_final_snapshot === true) reasons.push('final snapshots are turned off: a delete would keep no snapshot');
      break;
    case 'aws_kms_key':
    case 'aws_kms_replica_key':
    case 'aws_kms_external_key':
    case 'aws_kms_replica_external_key':
      if (updating && before.is_enabled !== false && after.is_enabled === false) reasons.push('the key is disabled: what it encrypted (audit log groups, the archive) cannot be read while it is');
      if (updating && before.enabled !== false && after.enabled === false) reasons.push('the key is disabled: what it encrypted (audit log groups, the archive) cannot be read while it is');
      break;
    case 'aws_s3_bucket':
      if (updating && before.object_lock_enabled === true && after.object_lock_enabled === false) reasons.push('Object Lock is turned off on a bucket of audit records');
      break;
    case 'aws_s3_bucket_object_lock_configuration':
      if (updating && !unknownAfter('rule')) reasons.push(...lockWeakenings(before, after));
      break;
    case 'aws_s3_bucket_versioning': {
      if (!updating || unknownAfter('versioning_configuration')) break;
      const [was, now] = [versioningStatus(before), versioningStatus(after)];
      if (was === 'Enabled' && now !== 'Enabled') reasons.push(`versioning is ${now === undefined ? 'removed' : now.toLowerCase()} on ${String(after.bucket ?? before.bucket ?? '')}: overwritten or deleted records would not be kept`);
      break;
    }
    case 'aws_s3_bucket_lifecycle_configuration':
      if (!unknownAfter('rule')) reasons.push(...lifecycleExpiries(before, after, archive.lockDays(String(after.bucket ?? before.bucket ?? '')), updating));
      break;
  }
  if (PARAMETER_GROUP_TYPES.has(c.type) && updating && !unknownAfter('parameter')) reasons.push(...auditNarrowed(parameters(before), parameters(after)));
  return reasons;
}

function containsTrue(marker: unknown): boolean {
  return marker === true || (typeof marker === 'object' && marker !== null && Object.values(marker).some(containsTrue));
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function first(v: unknown): Json {
  return (Array.isArray(v) ? v[0] : v) ?? {};
}

function versioningStatus(v: Json): string | undefined {
  const status = first(v.versioning_configuration).status;
  return typeof status === 'string' ? status : undefined;
}

/** Object Lock's default retention in days (a year counted as 365), and its mode; undefined when there is none. */
function lockRetention(v: Json): { days: number; mode: string } | undefined {
  if (v.object_lock_enabled !== undefined && v.object_lock_enabled !== 'Enabled') return undefined;
  const retention = first(first(v.rule).default_retention);
  const days = Number(retention.days ?? 0) + Number(retention.years ?? 0) * 365;
  return days > 0 ? { days, mode: String(retention.mode ?? '') } : undefined;
}

function lockWeakenings(before: Json, after: Json): string[] {
  const [was, now] = [lockRetention(before), lockRetention(after)];
  if (!was) return [];
  if (!now) return ['the default Object Lock retention is removed: new audit records would be written without one'];
  const reasons: string[] = [];
  if (now.days < was.days) reasons.push(`the default Object Lock retention is shortened from ${was.days} to ${now.days} days`);
  if (was.mode === 'COMPLIANCE' && now.mode !== 'COMPLIANCE') reasons.push(`the Object Lock mode goes from COMPLIANCE to ${now.mode}: its administrators could then delete records`);
  return reasons;
}

/**
 * Lifecycle rules that expire objects (or their noncurrent versions) before the archive's lock ends, or at all when
 * the lock is not known. On an update, only an expiry the rules did not already have.
 */
function lifecycleExpiries(before: Json, after: Json, lockDays: number | undefined, updating: boolean): string[] {
  const expiries = (v: Json) =>
    (Array.isArray(v.rule) ? (v.rule as Json[]) : [])
      .filter((r) => r.status !== 'Disabled')
      .flatMap((r) => {
        const found: Array<{ days: number | undefined; what: string }> = [];
        for (const e of Array.isArray(r.expiration) ? (r.expiration as Json[]) : []) {
          if (e.days !== undefined && e.days !== null && Number(e.days) > 0) found.push({ days: Number(e.days), what: `objects after ${Number(e.days)} days` });
          else if (typeof e.date === 'string' && e.date !== '') found.push({ days: undefined, what: `objects on ${e.date}` });
        }
        for (const e of Array.isArray(r.noncurrent_version_expiration) ? (r.noncurrent_version_expiration as Json[]) : []) {
          if (e.noncurrent_days !== undefined && e.noncurrent_days !== null) found.push({ days: Number(e.noncurrent_days), what: `noncurrent versions after ${Number(e.noncurrent_days)} days` });
        }
        return found.map((f) => ({ ...f, rule: String(r.id ?? '') }));
      });
  const had = new Set(updating ? expiries(before).map((e) => `${e.rule}:${e.what}`) : []);
  return expiries(after)
    .filter((e) => !had.has(`${e.rule}:${e.what}`))
    .filter((e) => lockDays === undefined || e.days === undefined || e.days < lockDays)
    .map((e) =>
      lockDays === undefined
        ? `a lifecycle rule${e.rule ? ` (${e.rule})` : ''} expires ${e.what}, and the bucket's lock is not in this plan: records could go before their retention`
        : `a lifecycle rule${e.rule ? ` (${e.rule})` : ''} expires ${e.what}, before the Object Lock retention of ${lockDays} days ends`,
    );
}

/** A parameter group's parameters by lower-cased name. */
function parameters(v: Json): Map<string, string> {
  const list = Array.isArray(v.parameter) ? (v.parameter as Json[]) : [];
  return new Map(list.map((p) => [String(p.name).toLowerCase(), String(p.value ?? '')]));
}

const listOf = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .filter((x) => x !== '');

/** pgaudit.log as the classes it logs: `all` expanded, `-class` subtracted, `none` nothing. */
function pgauditClasses(value: string | undefined): Set<string> {
  const every = PGAUDIT_CLASSES.filter((c) => c !== 'all' && c !== 'none');
  const classes = new Set<string>();
  for (const item of listOf(value)) {
    if (item === 'all') every.forEach((c) => classes.add(c));
    else if (item === 'none') classes.clear();
    else if (item.startsWith('-')) classes.delete(item.slice(1));
    else classes.add(item);
  }
  return classes;
}

/** Auditing switched off or narrowed in a parameter group. */
function auditNarrowed(was: Map<string, string>, now: Map<string, string>): string[] {
  const reasons: string[] = [];
  const on = (v: string | undefined) => v !== undefined && ['1', 'on', 'true'].includes(v.trim().toLowerCase());
  if (on(was.get('server_audit_logging')) && !on(now.get('server_audit_logging'))) reasons.push(`server_audit_logging goes from ${was.get('server_audit_logging')} to ${now.get('server_audit_logging') ?? 'unset'}: Advanced Auditing stops`);
  if (was.has('server_audit_events')) {
    const dropped = listOf(was.get('server_audit_events')).filter((e) => !listOf(now.get('server_audit_events')).includes(e));
    if (dropped.length > 0) reasons.push(`server_audit_events no longer has ${dropped.map((e) => e.toUpperCase()).join(', ')}: those events stop being audited`);
  }
  // Users excluded from auditing that was on: auditing a group never had narrows nothing.
  const excluded = listOf(now.get('server_audit_excl_users')).filter((u) => !listOf(was.get('server_audit_excl_users')).includes(u));
  if (excluded.length > 0 && on(was.get('server_audit_logging'))) reasons.push(`server_audit_excl_users gains ${excluded.join(', ')}: their statements stop being audited`);
  if (was.has('pgaudit.log')) {
    const [before, after] = [pgauditClasses(was.get('pgaudit.log')), pgauditClasses(now.get('pgaudit.log'))];
    const dropped = [...before].filter((c) => !after.has(c));
    if (dropped.length > 0) reasons.push(`pgaudit.log no longer logs ${dropped.join(', ')}`);
  }
  if (listOf(was.get('shared_preload_libraries')).includes('pgaudit') && !listOf(now.get('shared_preload_libraries')).includes('pgaudit')) {
    reasons.push('pgaudit leaves shared_preload_libraries: pgAudit stops at the next reboot');
  }
  return reasons;
}

/** Buckets of the plan under Object Lock, and their default retention in days where the plan shows it. */
interface ArchiveBuckets {
  has(bucket: string): boolean;
  lockDays(bucket: string): number | undefined;
}

function archiveBuckets(plan: Json, changes: readonly ResourceChange[]): ArchiveBuckets {
  const locked = new Set<string>();
  const days = new Map<string, number>();
  // Later notes win: the lock as the plan leaves it is what new records get.
  const note = (type: string, values: Json | null | undefined) => {
    if (!values) return;
    const bucket = String(values.bucket ?? '');
    if (type === 'aws_s3_bucket' && values.object_lock_enabled === true) locked.add(bucket);
    if (type === 'aws_s3_bucket_object_lock_configuration') {
      locked.add(bucket);
      const retention = lockRetention(values);
      if (retention) days.set(bucket, retention.days);
    }
  };
  const prior = ((plan.prior_state as Json | undefined)?.values as Json | undefined)?.root_module as Json | undefined;
  for (const r of (prior?.resources as Json[] | undefined) ?? []) note(String(r.type), r.values as Json);
  for (const c of changes) note(c.type, c.change.before);
  for (const c of changes) note(c.type, c.change.after);
  return { has: (bucket) => locked.has(bucket), lockDays: (bucket) => days.get(bucket) };
}

/** What the plan removes of the alert path (deleted, not replaced), by kind. */
function coverageRemoved(changes: readonly ResourceChange[]): string[] {
  const kinds: Array<[string, string, (c: ResourceChange) => boolean]> = [
    ['detection alarm', 'detection alarms', (c) => c.type === 'aws_cloudwatch_metric_alarm'],
    ['metric filter', 'metric filters', (c) => c.type === 'aws_cloudwatch_log_metric_filter'],
    ['EventBridge rule (tamper alerts, findings)', 'EventBridge rules (tamper alerts, findings)', (c) => c.type === 'aws_cloudwatch_event_rule'],
    ['alarm topic', 'alarm topics', (c) => c.type === 'aws_sns_topic'],
    ['Slack channel configuration', 'Slack channel configurations', (c) => c.type === 'aws_chatbot_slack_channel_configuration'],
    ['alert-details function', 'alert-details functions', (c) => c.type === 'aws_lambda_function'],
    ['delivery to a SIEM or the archive', 'deliveries to a SIEM or the archive', (c) => c.type === 'aws_cloudwatch_log_subscription_filter'],
    [
      `${CROSS_ACCOUNT_SHARING_ROLE_NAME} (the monitoring account's alarms would read no data)`,
      `${CROSS_ACCOUNT_SHARING_ROLE_NAME} roles`,
      (c) => c.type === 'aws_iam_role' && c.change.before?.name === CROSS_ACCOUNT_SHARING_ROLE_NAME,
    ],
  ];
  const removed = changes.filter((c) => c.change.actions.length === 1 && c.change.actions[0] === 'delete');
  return kinds.flatMap(([one, many, is]) => {
    const n = removed.filter(is).length;
    return n === 0 ? [] : [n === 1 ? `1 ${one}` : `${n} ${many}`];
  });
}
