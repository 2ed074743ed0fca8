/**
 * The detections of a cluster: the catalog's and the config's own (customDetections), each tuned at the nearest level,
 * left out with a reason when they could never fire, and held to CloudWatch's metric-filter quotas.
 */
import { ALARM_MAX_EVALUATION_SECONDS, ENGINES, METRIC_FILTER_QUOTAS, type Engine } from './aws';
import type { DetectionModel } from './model';
import type { Placement } from './placements';
import { closest, formatPath, show } from './problems';
import type { CustomDetectionInput, DetectionsInput } from './schema';
import { UNCONFIRMED } from './unconfirmed';
import { DETECTION_IDS, DETECTIONS, type DetectionDefinition } from '../detections';
import { detectionNeeds } from '../detections/catalog';
import { compileFilterPattern, FilterPatternError } from '../detections/filter-pattern';
import { type Path, type Level, type Sourced, pick, type Report, sectionLevels } from './resolve-levels';

/** A customDetections entry, as the catalog entry it becomes, with where it was written. */
export interface CustomDetection {
  readonly definition: DetectionDefinition;
  readonly path: Path;
  readonly settings: CustomDetectionInput;
}

export function resolveCustomDetections(entries: readonly CustomDetectionInput[], report: Report): CustomDetection[] {
  const result: CustomDetection[] = [];
  const catalogIds = new Set(Object.values(DETECTIONS).flatMap((list) => list.map((d) => d.id)));
  entries.forEach((entry, i) => {
    if (!entry) return; // an entry with a type error, already reported (load.ts)
    const path: Path = ['customDetections', i];
    if (catalogIds.has(entry.id)) {
      report([...path, 'id'], `${show(entry.id)} is a catalog detection; tune it under detections.${entry.id}, or give yours another id`);
      return;
    }
    if (entries.findIndex((e) => e.id === entry.id) !== i) {
      report([...path, 'id'], `${show(entry.id)} is already customDetections[${entries.findIndex((e) => e.id === entry.id)}]`);
      return;
    }
    try {
      const compiled = compileFilterPattern(entry.pattern);
      if (compiled.regexCount > METRIC_FILTER_QUOTAS.regexPerPattern) {
        report([...path, 'pattern'], `holds ${compiled.regexCount} regular expressions; CloudWatch allows ${METRIC_FILTER_QUOTAS.regexPerPattern} per pattern`);
      }
    } catch (e) {
      if (!(e instanceof FilterPatternError)) throw e;
      report([...path, 'pattern'], `${show(entry.pattern)} would be refused by CloudWatch: ${e.message}`);
      return;
    }
    const engines = (entry.engine ? [entry.engine] : Object.keys(ENGINES)) as Engine[];
    const fitting = engines.filter((e) => (ENGINES[e].logTypes as readonly string[]).includes(entry.logType));
    if (fitting.length === 0) {
      report([...path, 'logType'], `${show(entry.logType)} is not a log type ${engines.map((e) => ENGINES[e].label).join(' or ')} exports; use ${engines.flatMap((e) => ENGINES[e].logTypes).join(', ')}`);
      return;
    }
    for (const engine of fitting) {
      result.push({
        path,
        settings: entry,
        definition: {
          id: entry.id,
          engine,
          logType: entry.logType,
          title: entry.title ?? entry.id,
          pattern: entry.pattern,
          enabledByDefault: entry.enabled ?? true,
          notifyOnOk: entry.notifyOnOk ?? false,
          defaults: {
            threshold: entry.threshold ?? 1,
            periodSeconds: entry.periodSeconds ?? 300,
            evaluationPeriods: entry.evaluationPeriods ?? 1,
            datapointsToAlarm: entry.datapointsToAlarm ?? 1,
          },
          severity: entry.severity ?? 'medium',
          whyItMatters: entry.description ?? `The custom detection ${entry.id} matched ${entry.pattern} in the ${entry.logType} log.`,
          nextSteps: 'Look up the matching lines in the log group around the time of the alarm.',
          requiresEvents: [],
          limitations: [],
          samples: { match: [], noMatch: [] },
        },
      });
    }
  });
  return result;
}

/** Every id under a detections section names a catalog or custom detection. */
export function checkDetectionIds(placements: readonly Placement[], custom: readonly CustomDetection[], report: Report): void {
  const known = [...DETECTION_IDS, ...new Set(custom.map((c) => c.definition.id))];
  // Levels are shared by many placements (the top, a group, an account): each section is checked once.
  const sections = new Map<string, [DetectionsInput | undefined, Path]>();
  for (const p of placements) {
    for (const l of sectionLevels(p.levels, 'detections')) sections.set(formatPath(l.path), [l.value, l.path]);
    for (const c of p.clusters) sections.set(formatPath([...c.path, 'detections']), [c.input.detections, [...c.path, 'detections']]);
  }
  for (const [section, path] of sections.values()) {
    for (const id of Object.keys(section ?? {})) {
      if (known.includes(id)) continue;
      const near = closest(id, known);
      report([...path, id], `is not a known detection${near ? ` (did you mean ${near}?)` : ''}; use ${known.join(', ')}, or define it under customDetections`);
    }
  }
}

interface ClusterContext {
  readonly clusterPath: Path;
  /** What is audited: events (MySQL) or pgaudit classes (PostgreSQL). */
  readonly events: Sourced<readonly string[]>;
  /** The config key of `events`, for messages. */
  readonly eventsName: string;
  readonly logTypes: Sourced<readonly string[]>;
}

/**
 * Detections turned on above the cluster (in a target, an account, a group, at the top), by where each was written. Such
 * a setting reaches the clusters of both engines, as audit settings do, and applies where it can: it is an error only
 * when it could fire on none of the clusters it reaches. Turned on at the cluster itself, it must fire there.
 */
export class EnabledAbove {
  private readonly seen = new Map<string, { live: boolean; dead: Array<[Path, string]> }>();

  private entry(at: Path) {
    const key = formatPath(at);
    let entry = this.seen.get(key);
    if (!entry) this.seen.set(key, (entry = { live: false, dead: [] }));
    return entry;
  }

  live(at: Path): void {
    this.entry(at).live = true;
  }

  dead(at: Path, problems: ReadonlyArray<[Path, string]>): void {
    this.entry(at).dead.push(...problems);
  }

  /** Reports each setting that fired nowhere, with why, once every cluster is resolved. */
  reportDead(report: Report): void {
    for (const { live, dead } of this.seen.values()) if (!live) for (const [path, message] of dead) report(path, message);
  }
}

export function resolveDetections(
  engine: Engine,
  levels: readonly Level<DetectionsInput>[],
  custom: readonly CustomDetection[],
  cluster: ClusterContext,
  report: Report,
  enabledAbove: EnabledAbove,
): { detections: DetectionModel[]; skipped: Array<{ id: string; reason: string }> } {
  const detections: DetectionModel[] = [];
  const skipped: Array<{ id: string; reason: string }> = [];
  const entries = [
    ...DETECTIONS[engine].map((definition) => ({ definition, base: undefined as Level<CustomDetectionInput> | undefined })),
    ...custom.map((c) => ({ definition: c.definition, base: { value: c.settings, path: c.path } as Level<CustomDetectionInput> })),
  ];
  for (const { definition, base } of entries) {
    const settingLevels = [
      ...levels.map((l) => ({ value: l.value?.[definition.id], path: [...l.path, definition.id] })),
      ...(base ? [base] : []),
    ];
    const defaults = { enabled: definition.enabledByDefault, ...definition.defaults };
    const enabled = pick(settingLevels, 'enabled', defaults.enabled);
    const threshold = pick(settingLevels, 'threshold', defaults.threshold);
    const period = pick(settingLevels, 'periodSeconds', defaults.periodSeconds);
    const evaluations = pick(settingLevels, 'evaluationPeriods', defaults.evaluationPeriods);
    const datapoints = pick(settingLevels, 'datapointsToAlarm', defaults.datapointsToAlarm);
    const notifyOnOk = pick(settingLevels, 'notifyOnOk', definition.notifyOnOk);
    if (!enabled.value) continue;

    // A detection that could never fire is worse than none. If the user turned it on for this cluster, that is an
    // error; turned on above it, it is left out here and an error only if it fires on no cluster at all (EnabledAbove);
    // if only the default did, it is left out and the summary says why.
    const deadBecause: Array<[Path, string]> = [];
    const where = `${formatPath(cluster.clusterPath)} enables the ${definition.id} detection`;
    const needs = detectionNeeds(definition, { logTypes: cluster.logTypes.value, audited: cluster.events.value });
    if (needs.logType) {
      deadBecause.push([
        cluster.logTypes.path ?? cluster.clusterPath,
        `${where}, which reads the ${definition.logType} log, but audit.logTypes ${show(cluster.logTypes.value)} does not export it; add ${definition.logType} or disable the detection`,
      ]);
    }
    for (const group of needs.eventGroups) {
      deadBecause.push([
        cluster.events.path ?? cluster.clusterPath,
        `${where}, which can only fire with ${group.join(' or ')} audited, but ${cluster.eventsName} is ${show(cluster.events.value)}; add ${group[0]} or disable the detection`,
      ]);
    }
    const above = enabled.path !== undefined && !formatPath(enabled.path).startsWith(`${formatPath(cluster.clusterPath)}.`);
    if (deadBecause.length > 0) {
      if (enabled.path && !above) for (const [path, message] of deadBecause) report(path, message);
      else {
        if (enabled.path) enabledAbove.dead(enabled.path, deadBecause);
        skipped.push({ id: definition.id, reason: deadBecause.map(([, m]) => m.slice(m.indexOf(', which') + 2)).join('; ') });
      }
      continue;
    }
    if (above) enabledAbove.live(enabled.path!);

    const resolution = UNCONFIRMED.metricFilterResolutionSeconds;
    if (period.value % resolution !== 0 && period.path) {
      report(period.path, `${period.value} is not a multiple of ${resolution}; metric-filter metrics have one-minute resolution, so use 60, 300, 900, ...`);
    }
    if (datapoints.value > evaluations.value) {
      report(datapoints.path ?? evaluations.path ?? [], `${datapoints.value} is more than evaluationPeriods (${evaluations.value}); an alarm cannot need more breaching periods than it looks at`);
    }
    if (period.value * evaluations.value > ALARM_MAX_EVALUATION_SECONDS) {
      report(evaluations.path ?? period.path ?? [], `periodSeconds x evaluationPeriods is ${period.value * evaluations.value} s; CloudWatch allows at most ${ALARM_MAX_EVALUATION_SECONDS} (one day)`);
    }
    detections.push({
      definition,
      threshold: threshold.value,
      periodSeconds: period.value,
      evaluationPeriods: evaluations.value,
      datapointsToAlarm: datapoints.value,
      notifyOnOk: notifyOnOk.value,
    });
  }
  return { detections, skipped };
}

/**
 * The regular expressions a filter pattern holds, or why CloudWatch would reject it. Each pattern is compiled once per
 * process: a fleet of thousands of clusters shares a handful of catalog patterns.
 */
const regexCounts = new Map<string, number | FilterPatternError>();

function regexCountOf(pattern: string): number {
  let known = regexCounts.get(pattern);
  if (known === undefined) {
    try {
      known = compileFilterPattern(pattern).regexCount;
    } catch (e) {
      if (!(e instanceof FilterPatternError)) throw e;
      known = e;
    }
    regexCounts.set(pattern, known);
  }
  if (known instanceof FilterPatternError) throw known;
  return known;
}

/** CloudWatch's metric-filter quotas, per log group (FilterAndPatternSyntax.html, PutMetricFilter). */
export function checkQuotas(detections: readonly DetectionModel[], clusterPath: Path, report: Report): void {
  const byLogGroup = new Map<string, { filters: number; regexPatterns: number }>();
  for (const d of detections) {
    let regexCount = 0;
    try {
      regexCount = regexCountOf(d.definition.pattern);
    } catch (e) {
      if (!(e instanceof FilterPatternError)) throw e;
      report([...clusterPath, 'detections', d.definition.id], `has a filter pattern CloudWatch would reject: ${e.message}`);
      continue;
    }
    if (regexCount > METRIC_FILTER_QUOTAS.regexPerPattern) {
      report([...clusterPath, 'detections', d.definition.id], `holds ${regexCount} regular expressions; CloudWatch allows ${METRIC_FILTER_QUOTAS.regexPerPattern} per pattern`);
    }
    const counts = byLogGroup.get(d.definition.logType) ?? { filters: 0, regexPatterns: 0 };
    counts.filters += 1;
    counts.regexPatterns += regexCount > 0 ? 1 : 0;
    byLogGroup.set(d.definition.logType, counts);
  }
  for (const [logType, counts] of byLogGroup) {
    if (counts.regexPatterns > METRIC_FILTER_QUOTAS.regexPatternsPerLogGroup) {
      report([...clusterPath, 'detections'], `puts ${counts.regexPatterns} regex filter patterns on the ${logType} log group; CloudWatch allows ${METRIC_FILTER_QUOTAS.regexPatternsPerLogGroup}`);
    }
    if (counts.filters > METRIC_FILTER_QUOTAS.metricFiltersPerLogGroup) {
      report([...clusterPath, 'detections'], `puts ${counts.filters} metric filters on the ${logType} log group; CloudWatch allows ${METRIC_FILTER_QUOTAS.metricFiltersPerLogGroup}`);
    }
  }
}
