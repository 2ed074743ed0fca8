/**
 * `aurora-audit test-patterns`: what each detection would have matched in a log file, and which alarms would have
 * fired under the configured thresholds, before anything reaches AWS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createGunzip } from 'node:zlib';
import { ENGINE_NAMES, ENGINES, type Engine } from '../config/aws';
import { loadConfig } from '../config/load';
import { closest, ConfigError } from '../config/problems';
import { DETECTIONS } from '../detections';
import type { LogFormat } from '../detections/log-lines';
import { LineTooLongError, NotTextLogError } from '../detections/read-lines';
import { openLog, scanLog, type ScanDetection, type ScanResult } from '../detections/scan';
import { EXIT, UsageError, type Output } from './output';
import { reportError } from './report';

export interface TestPatternsOptions {
  readonly log?: string;
  readonly engine?: string;
  readonly detections?: string;
  readonly json?: boolean;
  readonly config?: string;
  readonly cluster?: string;
  readonly format?: string;
  readonly threads?: string;
}

/** Below this much log text, one thread is done before more could start. */
const THREADS_FROM_BYTES = 16 << 20;
/** A gzip file holds several times its size in text. */
const GZIP_RATIO = 8;

export async function testPatternsCommand(opts: TestPatternsOptions, io: Output, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const problems: string[] = [];
    if (!opts.log) problems.push('--log: is required: the log file to read (as downloaded from RDS, or exported from CloudWatch Logs; .gz is fine)');
    else if (!fs.existsSync(opts.log)) problems.push(`--log: "${opts.log}" does not exist`);
    const engineFlag = opts.engine as Engine | undefined;
    if (engineFlag !== undefined && !ENGINE_NAMES.includes(engineFlag)) problems.push(`--engine: "${opts.engine}" is not supported; use ${ENGINE_NAMES.join(', ')}`);
    const format = opts.format === undefined || opts.format === 'auto' ? undefined : (opts.format as LogFormat);
    if (format && !['rds', 'cloudwatch-export'].includes(format)) problems.push(`--format: "${opts.format}" is not allowed; use auto, rds or cloudwatch-export`);
    const threadsFlag = opts.threads === undefined ? undefined : Number(opts.threads);
    if (opts.threads !== undefined && (!/^\d+$/.test(opts.threads.trim()) || threadsFlag! < 1 || threadsFlag! > 64)) {
      problems.push(`--threads: ${JSON.stringify(opts.threads)} is not allowed; give a whole number from 1 to 64`);
    }
    if (problems.length) return usage(problems, io);

    const { engine, available, enabled, source } = detectionsFor(engineFlag, opts, env);
    const wanted = opts.detections ? opts.detections.split(',').map((s) => s.trim()).filter(Boolean) : [...available.keys()];
    const unknown = wanted.filter((id) => !available.has(id));
    if (unknown.length) {
      return usage(
        unknown.map((id) => {
          const near = closest(id, [...available.keys()]);
          return `--detections: "${id}" is not a detection${near ? ` (did you mean ${near}?)` : ''}; use ${[...available.keys()].join(', ')}`;
        }),
        io,
      );
    }

    const file = opts.log!;
    if (fs.statSync(file).isDirectory()) return usage([`--log: ${JSON.stringify(file)} is a directory; give a log file`], io);
    const stream = openLog(file);
    const input = file.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
    // A broken gzip stream does not end the file stream it reads: pass its error on, so the scan fails cleanly.
    if (input !== stream) stream.on('error', (e) => input.destroy(e));
    let result;
    try {
      // Scan threads for a big log, one per core (at most four), unless --threads says otherwise.
      const text = fs.statSync(file).size * (file.endsWith('.gz') ? GZIP_RATIO : 1);
      const threads = threadsFlag ?? (text >= THREADS_FROM_BYTES ? Math.min(4, os.availableParallelism()) : 1);
      result = await scanLog(input, wanted.map((id) => available.get(id)!), format, { threads });
    } catch (error) {
      if (error instanceof NotTextLogError) return usage([`--log: ${JSON.stringify(file)} ${error.message}`], io);
      if (error instanceof LineTooLongError) return usage([`--log: ${JSON.stringify(file)}: ${error.message}; give an Aurora log file, as downloaded from RDS or exported from CloudWatch Logs`], io);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return usage([`--log: ${JSON.stringify(file)} ends in .gz but is not valid gzip data`], io);
      if (code) return usage([`--log: cannot read ${JSON.stringify(file)}: ${code}`], io);
      throw error;
    } finally {
      stream.destroy();
    }
    const mismatch = engineMismatch(engine, result);
    if (mismatch) io.err(mismatch);
    if (opts.json) writeJson(result, io);
    else io.out(renderText(result, path.basename(file), source, enabled, engine));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, env);
  }
}

function usage(problems: readonly string[], io: Output): number {
  for (const p of problems) io.err(p);
  return EXIT.usage;
}

/** A log whose lines are mostly the other engine's: its patterns cannot match, so zero matches would mislead. */
function engineMismatch(engine: Engine, result: ScanResult): string | undefined {
  const other = ENGINE_NAMES.find((e) => e !== engine)!;
  const mine = result.linesByEngine[engine];
  const theirs = result.linesByEngine[other];
  if (theirs === 0 || theirs <= mine) return undefined;
  return `warning: ${theirs} of ${result.lines} lines look like an ${other} log, but the ${engine} detections ran; use --engine ${other}, or --cluster with one of your ${other} clusters`;
}

/**
 * The engine and its detections with their thresholds: from --cluster's entry in the config when given (its engine,
 * unless --engine says otherwise, which is an error), else the first cluster of the engine, else catalog defaults.
 */
function detectionsFor(
  engineFlag: Engine | undefined,
  opts: TestPatternsOptions,
  env: NodeJS.ProcessEnv,
): { engine: Engine; available: Map<string, ScanDetection>; enabled: ReadonlySet<string>; source: string } {
  const catalog = (engine: Engine) => ({
    available: new Map<string, ScanDetection>(DETECTIONS[engine].map((definition) => [definition.id, { definition, ...definition.defaults }])),
    byDefault: new Set(DETECTIONS[engine].filter((d) => d.enabledByDefault).map((d) => d.id)),
  });
  let model;
  try {
    model = loadConfig({ configFlag: opts.config, env }).model;
  } catch (error) {
    const noConfig = error instanceof ConfigError && !opts.config && !env.AURORA_AUDIT_CONFIG && !fs.existsSync('aurora-audit.yaml');
    if (!noConfig) throw error;
    if (opts.cluster) throw new UsageError(['--cluster: needs a config (--config, $AURORA_AUDIT_CONFIG or ./aurora-audit.yaml)']);
    const engine = engineFlag ?? 'aurora-mysql';
    const { available, byDefault } = catalog(engine);
    return { engine, available, enabled: byDefault, source: 'catalog defaults (no config found)' };
  }
  const all = model.stacks.flatMap((s) => s.clusters);
  const named = opts.cluster ? all.find((c) => c.identifier === opts.cluster) : undefined;
  if (opts.cluster && !named) {
    throw new UsageError([`--cluster: "${opts.cluster}" is not a cluster of ${model.sourcePath}; use ${all.map((c) => c.identifier).join(', ')}`]);
  }
  if (named && engineFlag && named.engine !== engineFlag) {
    throw new UsageError([`--engine: "${engineFlag}" disagrees with --cluster ${named.identifier}, which is ${named.engine}; leave out --engine`]);
  }
  // Without a flag, the engine of the config's clusters; with both engines there, the user says which.
  const engines = [...new Set(all.map((c) => c.engine))];
  if (!named && !engineFlag && engines.length > 1) {
    throw new UsageError([`--engine: ${model.sourcePath} has ${engines.join(' and ')} clusters; give --engine ${engines.join(' or --engine ')}, or --cluster <id>`]);
  }
  const engine = named?.engine ?? engineFlag ?? engines[0] ?? 'aurora-mysql';
  const { available, byDefault } = catalog(engine);
  const clusters = all.filter((c) => c.engine === engine);
  const cluster = named ?? clusters[0];
  for (const c of clusters) for (const d of c.detections) if (!available.has(d.definition.id)) available.set(d.definition.id, d);
  for (const d of cluster?.detections ?? []) available.set(d.definition.id, d);
  return {
    engine,
    available,
    enabled: cluster ? new Set(cluster.detections.map((d) => d.definition.id)) : byDefault,
    source: cluster ? `${path.relative(process.cwd(), model.sourcePath) || model.sourcePath} (cluster ${cluster.identifier})` : 'catalog defaults',
  };
}

/**
 * Exactly {"lines": N, "unreadable": {"count": n, "lines": [first few]}, "detections": {"<id>": {"count": n, "lines":
 * [...], "alarms": [...]}}}, written in pieces.
 */
function writeJson(result: ScanResult, io: Output): void {
  const parts: string[] = [`{"lines":${result.lines},"unreadable":${JSON.stringify({ count: result.unreadable.count, lines: result.unreadable.first })},"detections":{`];
  result.detections.forEach((d, i) => {
    parts.push(`${i ? ',' : ''}${JSON.stringify(d.detection.definition.id)}:{"count":${d.lines.length},"lines":[`);
    for (let start = 0; start < d.lines.length; start += 10_000) {
      parts.push(`${start ? ',' : ''}${Array.from(d.lines.subarray(start, start + 10_000)).join(',')}`);
      if (parts.length > 64) io.out(parts.splice(0).join(''));
    }
    parts.push(`],"alarms":${JSON.stringify(d.alarms)}}`);
  });
  parts.push('}}');
  io.out(parts.join(''));
}

function renderText(result: ScanResult, file: string, source: string, enabled: ReadonlySet<string>, engine: Engine): string {
  const out = [`${file}: ${result.lines} line${result.lines === 1 ? '' : 's'} (${result.format === 'rds' ? 'as downloaded from RDS' : 'CloudWatch export'}); ${engine} detections, thresholds from ${source}`];
  if (result.untimed > 0) out.push(`${result.untimed} line(s) before the first timestamp count as matches but not toward alarms.`);
  // Lines no audit record starts: a statement's raw newline, another log's lines. What an audit detection cannot read.
  const readsAudit = result.detections.some((d) => d.detection.definition.logType === ENGINES[engine].auditLogType);
  if (result.unreadable.count > 0 && readsAudit) {
    const some = result.unreadable.first.join(', ') + (result.unreadable.count > result.unreadable.first.length ? ', ...' : '');
    out.push(`${result.unreadable.count} line(s) are not ${engine} audit records, so no audit detection can count them (line${result.unreadable.count === 1 ? '' : 's'} ${some}): a statement with a raw newline, or lines of another log.`);
  }
  const width = Math.max(...result.detections.map((d) => d.detection.definition.id.length));
  for (const { detection: d, lines, alarms } of result.detections) {
    const shown = Array.from(lines.subarray(0, 12)).join(', ') + (lines.length > 12 ? `, ... (${lines.length - 12} more)` : '');
    const rule = `${d.threshold}+ in ${d.periodSeconds / 60} min${d.evaluationPeriods > 1 ? `, ${d.datapointsToAlarm} of ${d.evaluationPeriods} periods` : ''}`;
    out.push('', `${d.definition.id.padEnd(width)}  ${lines.length} match${lines.length === 1 ? '' : 'es'}${lines.length ? ` on line${lines.length === 1 ? '' : 's'} ${shown}` : ''}`);
    const off = enabled.has(d.definition.id) ? '' : ' [not enabled: no alarm would exist]';
    out.push(`${' '.repeat(width)}  alarm (${rule}): ${alarms.length === 0 ? 'would not have fired' : `would have fired ${alarms.length} time${alarms.length === 1 ? '' : 's'}`}${off}`);
    for (const a of alarms.slice(0, 10)) out.push(`${' '.repeat(width)}    ${a.from} to ${a.to}: ${a.count} match${a.count === 1 ? '' : 'es'}`);
    if (alarms.length > 10) out.push(`${' '.repeat(width)}    ... and ${alarms.length - 10} more`);
  }
  return out.join('\n');
}
