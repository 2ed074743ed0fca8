/**
 * What is audited and what alarms: the audit events (Aurora MySQL) or pgAudit classes (Aurora PostgreSQL), the logs
 * exported and how long they are kept, and the detections with their thresholds; each asked only for the engines of
 * the clusters chosen.
 */
import { AUDIT_RETENTION_FLOOR_DAYS, AURORA_MYSQL_AUDIT_EVENTS, ENGINES, LOG_RETENTION_DAYS, PGAUDIT_CLASSES, type AuditEvent, type LogType } from '../../config/aws';
import { checkNumberText } from '../../config/check';
import * as schema from '../../config/schema';
import { DETECTIONS } from '../../detections';
import { detectionNeeds, pgauditClassesAudited } from '../../detections/catalog';
import { DEFAULT_ANSWERS, defaultDetectionAnswer, type ClusterAnswer, type DetectionAnswer, type InitAnswers } from './answers';
import type { WizardStep } from './context';
import type { Choice } from './prompter';
import { SETTINGS_QUESTIONS as Q } from './questions';

export type AuditAnswers = Pick<InitAnswers, 'events' | 'pgauditLog' | 'logTypes' | 'auditRetentionDays' | 'otherRetentionDays' | 'detections'>;

export async function askAudit({ flags, prompter, prior, say, ask }: WizardStep, clusters: readonly ClusterAnswer[]): Promise<AuditAnswers> {
  // --- audit settings -----------------------------------------------------------------------------------------
  const engines = new Set(clusters.map((c) => c.engine));
  const hasMysql = engines.has('aurora-mysql') || engines.size === 0;
  const hasPostgres = engines.has('aurora-postgresql');
  const events = hasMysql
    ? await ask(flags.events, prior.events ?? DEFAULT_ANSWERS.events, (def) =>
        prompter!.checkbox<AuditEvent>(
          Q['audit.events'],
          Object.entries(AURORA_MYSQL_AUDIT_EVENTS).map(([e, text]) => ({ name: `${e.padEnd(9)} ${text}`, short: e, value: e as AuditEvent, checked: def.includes(e as AuditEvent) })),
          (v) => v.length > 0 || 'Pick at least one: with none, Aurora audits nothing.',
        ),
      )
    : (flags.events ?? prior.events ?? DEFAULT_ANSWERS.events);
  if (hasMysql && (events.includes('QUERY') || events.includes('QUERY_DML'))) {
    say('Note: QUERY and QUERY_DML log every statement they cover: expect much more log volume and cost, and personal data in statement text.');
  }
  const pgauditLog = hasPostgres
    ? await ask<readonly string[]>(undefined, prior.pgauditLog ?? DEFAULT_ANSWERS.pgauditLog, (def) =>
        prompter!.checkbox(
          Q['audit.pgauditLog'],
          PGAUDIT_CLASSES.filter((c) => c !== 'none').map((c) => ({ name: c, value: c, checked: def.includes(c) })),
          (v) => v.length > 0 || 'Pick at least one: with none, pgAudit logs nothing.',
        ),
      )
    : prior.pgauditLog;
  if (hasPostgres && pgauditLog?.some((c) => c === 'read' || c === 'write' || c === 'all')) {
    say('Note: pgAudit READ and WRITE log every SELECT or data change: expect much more log volume and cost, and personal data in statement text.');
  }

  const chosenEngines = (engines.size ? [...engines] : ['aurora-mysql']) as Array<keyof typeof ENGINES>;
  const engineLogTypes = [...new Set(chosenEngines.flatMap((e) => ENGINES[e].logTypes as readonly LogType[]))];
  const auditLogTypes = chosenEngines.map((e) => ENGINES[e].auditLogType as LogType);
  const logTypes = await ask(flags.logTypes, prior.logTypes ?? [...new Set(chosenEngines.flatMap((e) => ENGINES[e].defaultLogTypes as readonly LogType[]))], (def) =>
    prompter!.checkbox<LogType>(
      Q['audit.logTypes'],
      engineLogTypes.map((t) => ({ name: t, value: t, checked: def.includes(t) })),
      (v) => auditLogTypes.every((t) => v.includes(t)) || `${auditLogTypes.join(' and ')} hold the audit records the detections look at; keep ${auditLogTypes.length > 1 ? 'them' : 'it'}.`,
    ),
  );

  const auditRetentionDays = await ask(flags.auditRetentionDays, prior.auditRetentionDays ?? DEFAULT_ANSWERS.auditRetentionDays, (def) =>
    prompter!.select(Q['audit.retentionDays.audit'](auditLogTypes), retentionChoices(AUDIT_RETENTION_FLOOR_DAYS, def), def),
  );
  const otherRetentionDays =
    flags.otherRetentionDays ??
    (prompter && logTypes.some((t) => !auditLogTypes.includes(t))
      ? await prompter.select<number | undefined>(
          Q['audit.retentionDays.<other types>'],
          [{ name: 'the defaults (error and iam-db-auth-error 90 days; general, slowquery and instance 30 days)', short: 'the defaults', value: undefined }, ...retentionChoices()],
          prior.otherRetentionDays,
        )
      : prior.otherRetentionDays);

  // --- detections ---------------------------------------------------------------------------------------------
  // One question per detection id, whatever the engines: each engine has its own pattern for the id.
  const catalog = [...new Map(chosenEngines.flatMap((e) => DETECTIONS[e]).map((d) => [d.id, d])).values()];
  const current = (id: string) => prior.detections?.[id] ?? defaultDetectionAnswer(id);
  // Why a detection could never fire with the answers above, on any engine chosen, said here rather than as a config
  // error at the end. One that fires on one engine but not the other is left out where it cannot fire (the summary
  // says so), not turned off for both.
  const whyDead = (id: string, engine: keyof typeof ENGINES): string | undefined => {
    const definition = DETECTIONS[engine].find((d) => d.id === id);
    if (!definition) return undefined;
    const mysql = engine === 'aurora-mysql';
    const needs = detectionNeeds(definition, { logTypes, audited: mysql ? events : pgauditClassesAudited(pgauditLog ?? DEFAULT_ANSWERS.pgauditLog) });
    if (needs.logType) return `${id} reads the ${needs.logType} log, which the logs chosen above leave out: untick it, or run init again and export ${needs.logType}`;
    if (needs.eventGroups.length) {
      return `${id} can only fire with ${needs.eventGroups[0].join(' or ')} audited, which the ${mysql ? 'events' : 'pgAudit classes'} chosen above leave out: untick it, or run init again and add ${needs.eventGroups[0][0]}`;
    }
    return undefined;
  };
  const cannotFire = (id: string): string | undefined => {
    const engines = chosenEngines.filter((e) => DETECTIONS[e].some((d) => d.id === id));
    const reasons = engines.map((e) => whyDead(id, e));
    return reasons.every(Boolean) ? reasons[0] : undefined;
  };
  const enabled = await ask(flags.detections, catalog.filter((d) => current(d.id).enabled && !cannotFire(d.id)).map((d) => d.id), (def) =>
    prompter!.checkbox(
      Q['detections.<id>.enabled'],
      catalog.map((d) => ({ name: `${d.id}: ${d.title}`, short: d.id, value: d.id, checked: def.includes(d.id), description: cannotFire(d.id) ?? d.whyItMatters })),
      (v) => v.map(cannotFire).find(Boolean) ?? true,
    ),
  );
  const tune =
    prompter && flags.thresholds.size === 0 && flags.periods.size === 0 && enabled.length > 0
      ? !(await prompter.confirm(Q['detections.<id>.threshold'].keepAll(catalog.filter((d) => enabled.includes(d.id)).map((d) => describeThreshold(d.title, current(d.id))).join('; ')), true))
      : false;
  const detections: Record<string, DetectionAnswer> = {};
  for (const d of catalog) {
    let threshold = flags.thresholds.get(d.id) ?? current(d.id).threshold;
    let periodSeconds = flags.periods.get(d.id) ?? current(d.id).periodSeconds;
    if (tune && prompter && enabled.includes(d.id)) {
      threshold = Number(
        await prompter.input(Q['detections.<id>.threshold'].each(d.title), {
          default: String(threshold),
          validate: (v) => checkNumberText(schema.detectionsSection.shape[d.id].unwrap().shape.threshold, v) ?? true,
        }),
      );
      periodSeconds = await prompter.select(Q['detections.<id>.periodSeconds'](d.title), [60, 300, 900, 3600].map((sec) => ({ name: `${sec / 60} minute${sec === 60 ? '' : 's'}`, value: sec })), periodSeconds);
    }
    // On by default but unable to fire with these answers (TRUNCATE on PostgreSQL without pgAudit's write class): not
    // ticked, and not written at all, so that the default starts counting once the audit settings allow it. The
    // summary names it as left out meanwhile.
    const dormant = flags.detections === undefined && prior.detections?.[d.id] === undefined && current(d.id).enabled && cannotFire(d.id) !== undefined;
    if (!dormant) detections[d.id] = { enabled: enabled.includes(d.id), threshold, periodSeconds };
  }

  return { events, pgauditLog: hasPostgres ? pgauditLog : undefined, logTypes, auditRetentionDays, otherRetentionDays, detections };
}

/**
 * The retentions CloudWatch Logs allows, from `floor` days up. For the audit records the floor is the one below which
 * the config needs audit.shortRetentionAccepted (config/aws.ts): a shorter one is a decision to write by hand, not a
 * pick from a list, and only the one the config already has is offered.
 */
function retentionChoices(floor = 0, kept?: number): Array<Choice<number>> {
  // A shorter retention the config already has (and accepts) stays on offer, so that Enter keeps it.
  return LOG_RETENTION_DAYS.filter((d) => d >= floor || d === kept).map((d) => {
    const years = d >= 365 && d % 365 <= 2 ? Math.round(d / 365) : 0;
    return { name: `${d} day${d === 1 ? '' : 's'}${years ? ` (${years} year${years === 1 ? '' : 's'})` : ''}`, value: d };
  });
}

function describeThreshold(title: string, d: DetectionAnswer): string {
  const minutes = d.periodSeconds / 60;
  return d.threshold === 1 ? `any ${title.replace(/s$/, '')} within ${minutes} min` : `${d.threshold}+ ${title} in ${minutes} min`;
}
