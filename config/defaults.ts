/**
 * Built-in defaults: the last link of every default chain (cluster → target → top level → here).
 * The JSON Schema and the config reference show these values; the resolver is the only code that applies them.
 */
import type { AuditEvent, Engine, LogType } from './aws';
import { DETECTIONS } from '../detections';

export const DEFAULT_AUDIT = {
  /** CONNECT catches failed logins; QUERY_DDL and QUERY_DCL catch DROP/CREATE/ALTER and GRANT/REVOKE/DROP USER. */
  events: ['CONNECT', 'QUERY_DCL', 'QUERY_DDL'] as AuditEvent[],
  includeUsers: [] as string[],
  /** rdsadmin health checks run every second and would drown the log (Aurora User Guide, Advanced Auditing). */
  excludeUsers: ['rdsadmin'],
  /** Per engine: the four Security Hub RDS.9 expects for Aurora MySQL, postgresql (RDS.37) for Aurora PostgreSQL. */
  logTypes: { 'aurora-mysql': ['audit', 'error', 'general', 'slowquery'], 'aurora-postgresql': ['postgresql'] } as Record<Engine, LogType[]>,
  /** pgaudit.log: DDL (CREATE, ALTER, DROP) and ROLE (GRANT, REVOKE, roles) statements. */
  pgauditLog: ['ddl', 'role'],
  /**
   * Aurora PostgreSQL: log_connections and log_disconnections on, the counterpart of CONNECT on Aurora MySQL: who
   * connected, from where, and for how long. Failed logins are logged whatever this says.
   */
  logConnections: true,
  /** Audit log groups are not deleted when a stack is destroyed or a cluster leaves the config. */
  keepLogsOnDestroy: true,
  /** An audit log kept for less than AUDIT_RETENTION_FLOOR_DAYS (config/aws.ts) is refused unless this says so. */
  shortRetentionAccepted: false,
  retentionDays: {
    audit: 365,
    error: 90,
    general: 30,
    slowquery: 30,
    'iam-db-auth-error': 90,
    instance: 30,
    postgresql: 365,
  } satisfies Record<LogType, number>,
};

export const DEFAULT_SLACK = {
  // The guardrail defaults to a policy each stack creates with exactly CHATBOT_NOTIFICATION_ACTIONS (config/aws.ts):
  // without an explicit guardrail Chatbot applies AdministratorAccess, and ReadOnlyAccess would let the channel read
  // the audit records and S3 objects, which notifications never need.
  loggingLevel: 'ERROR' as const,
  /** Slack users must map to their own IAM role before running commands from the channel. */
  userAuthorizationRequired: true,
  /** Retention of the /aws/chatbot/<configuration-name> log group that aurora-audit creates in us-east-1. */
  logRetentionDays: 90 as const,
};

/**
 * The silence alarm on each cluster's audit log group: it fires when fewer than `threshold` events arrive in each of
 * `evaluationPeriods` periods in a row, and when none arrive at all (no data is breaching). Six quiet hours: long
 * enough that a cluster idle at night stays quiet, short enough that a broken export is found the same day.
 */
export const DEFAULT_SILENCE = { enabled: true, periodSeconds: 3600, evaluationPeriods: 6, threshold: 1 };

/**
 * The detail message after each detection alarm: on. String literals are kept (passwords are always replaced). The
 * function's own log group holds no audit records (it never logs a statement): a month is enough to debug it.
 */
export const DEFAULT_ALERT_DETAILS = { enabled: true, redactStringLiterals: false, logRetentionDays: 30 };

/** Tamper alerts cost next to nothing (EventBridge rules on management events are free): on. */
export const DEFAULT_TAMPERING = { enabled: true };

/** A dashboard per stack (and per ten clusters): $3 a month each beyond an account's first three. On. */
export const DEFAULT_DASHBOARD = { enabled: true };

/** GuardDuty RDS Protection is billed by GuardDuty: routing and the feature are both opt-in. */
export const DEFAULT_GUARDDUTY = { enabled: false, enableRdsProtection: false };

/**
 * The compliance archive is opt-in. Governance mode by default: compliance mode cannot be shortened or lifted by
 * anyone, the root user included, so it is chosen on purpose. Seven years, moving to colder classes as records age.
 */
export const DEFAULT_ARCHIVE = {
  enabled: false,
  objectLockMode: 'GOVERNANCE' as const,
  retentionYears: 7,
  transitions: [
    { afterDays: 90, storageClass: 'GLACIER' as const },
    { afterDays: 365, storageClass: 'DEEP_ARCHIVE' as const },
  ],
};

/** A suggested schedule for a SIEM that pulls from CloudWatch Logs: the seed's hourly job. */
export const DEFAULT_PULL_SCHEDULE = 'hourly';

export const DEFAULT_ENCRYPTION = { mode: 'create' as const, deletionWindowDays: 30 };

export const DEFAULT_BACKEND = {
  type: 'local' as const,
  /** Relative to the directory aurora-audit (or cdktf) runs in; one state file per stack. */
  directory: 'terraform-state',
};

export const DEFAULT_S3_BACKEND = { keyPrefix: 'aurora-audit', locking: 'lockfile' as const };

/** Detection defaults come from the catalog entries themselves. */
export function defaultDetectionSettings(id: string) {
  for (const list of Object.values(DETECTIONS)) {
    const found = list.find((d) => d.id === id);
    if (found) return { enabled: found.enabledByDefault, ...found.defaults };
  }
  throw new Error(`no detection ${id} in the catalog`);
}
