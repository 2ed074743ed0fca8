import type { Engine, LogType } from '../config/aws';

/** When an alarm fires: `threshold` or more matches per period, in `datapointsToAlarm` of `evaluationPeriods`. */
export interface AlarmThreshold {
  readonly threshold: number;
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
}

export interface DetectionDefinition {
  readonly id: string;
  readonly engine: Engine;
  /** The exported log the metric filter reads. */
  readonly logType: LogType;
  /** Short noun phrase for alarm names and summaries: "DROP statements". */
  readonly title: string;
  /** A CloudWatch Logs filter pattern, checked by ./filter-pattern.ts against `samples`. */
  readonly pattern: string;
  readonly enabledByDefault: boolean;
  /**
   * Whether the alarm also notifies on its return to OK, unless the config says otherwise: off where one event is
   * the whole story (a DROP would post ALARM, then OK a minute later), on for rates, where OK says the burst ended.
   */
  readonly notifyOnOk: boolean;
  readonly defaults: AlarmThreshold;
  readonly severity: 'critical' | 'high' | 'medium' | 'low';
  /** Why the event matters: the first sentence of the alarm description. */
  readonly whyItMatters: string;
  /** What the person who gets the alert does next. */
  readonly nextSteps: string;
  /**
   * What must be audited for the pattern to ever match, at least one from each group: Advanced Auditing events
   * (server_audit_events) on Aurora MySQL, pgaudit.log classes on Aurora PostgreSQL.
   */
  readonly requiresEvents: ReadonlyArray<readonly string[]>;
  /** What the pattern knowingly misses. */
  readonly limitations: readonly string[];
  /** Lines the pattern must match, and lines it must not, each with why. */
  readonly samples: {
    readonly match: ReadonlyArray<readonly [line: string, why: string]>;
    readonly noMatch: ReadonlyArray<readonly [line: string, why: string]>;
  };
}

/**
 * What a detection needs that the audit settings leave out: the log it reads, when not exported, and each group of
 * events (or pgAudit classes) of which none is audited. Empty when it can fire.
 */
export function detectionNeeds(
  definition: Pick<DetectionDefinition, 'logType' | 'requiresEvents'>,
  settings: { readonly logTypes: readonly string[]; readonly audited: readonly string[] },
): { readonly logType?: string; readonly eventGroups: ReadonlyArray<readonly string[]> } {
  return {
    logType: settings.logTypes.includes(definition.logType) ? undefined : definition.logType,
    eventGroups: definition.requiresEvents.filter((group) => !group.some((e) => settings.audited.includes(e))),
  };
}

/** The pgAudit classes `all` stands for, so that a detection needing one of them sees it audited. */
export function pgauditClassesAudited(pgauditLog: readonly string[]): readonly string[] {
  return pgauditLog.includes('all') ? [...pgauditLog, 'ddl', 'role', 'read', 'write', 'function', 'misc'] : pgauditLog;
}
