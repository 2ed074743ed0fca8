/**
 * `aurora-audit test-patterns`: what each detection would have matched in a log file, and which alarms would have
 * fired under the configured thresholds, before anything reaches AWS.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createGunzip } from 'node:zlib';
import { ENGINE_NAMES, type Engine } from '../config/aws';
import { loadConfig } from '../config/load';
import { closest, ConfigError } from '../config/problems';
import { DETECTIONS } from '../detections';
import type { LogFormat } from '../detections/log-lines';
import { LineTooLongError } from '../detections/read-lines';
import { scanLog, type ScanDetection, type ScanResult } from '../detections/scan';
import { EXIT, type Output } from './output';
import { reportError } from './report';

export interface TestPatternsOptions {
  readonly log?: string;
  readonly engine?: string;
  readonly detections?: string;
  readonly json?: boolean;
  readonly config?: string;
  readonly cluster?: string;
  readonly format?: string;
}

export async function testPatternsCommand(opts: TestPatternsOptions, io: Output, env: NodeJS.ProcessEnv): Promise<number> {
  try {
    const problems: string[] = [];
    if (!opts.log) problems.push('--log: is required: the log file to read (as downloaded from RDS, or exported from CloudWatch Logs; .gz is fine)');
    else if (!fs.existsSync(opts.log)) problems.push(`--log: "${opts.log}" does not exist`);
    const engine = (opts.engine ?? 'aurora-mysql') as Engine;
    if (!ENGINE_NAMES.includes(engine)) problems.push(`--engine: "${opts.engine}" is not supported; use ${ENGINE_NAMES.join(', ')}`);
    const format = opts.format === undefined || opts.format === 'auto' ? undefined : (opts.format as LogFormat);
    if (format && !['rds', 'cloudwatch-export'].includes(format)) problems.push(`--format: "${opts.format}" is not allowed; use auto, rds or cloudwatch-export`);
    if (problems.length) return usage(problems, io);

    const { available, enabled, source } = detectionsFor(engine, opts, env);
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
    const stream = fs.createReadStream(file);
    const input = file.endsWith('.gz') ? stream.pipe(createGunzip()) : stream;
    // A broken gzip stream does not end the file stream it reads: pass its error on, so the scan fails cleanly.
    if (input !== stream) stream.on('error', (e) => input.destroy(e));
    let result;
    try {
      result = await scanLog(input, wanted.map((id) => available.get(id)!), format);
    } catch (error) {
      if (error instanceof LineTooLongError) return usage([`--log: ${JSON.stringify(file)}: ${error.message}; give an Aurora log file, as downloaded from RDS or exported from CloudWatch Logs`], io);
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') return usage([`--log: ${JSON.stringify(file)} ends in .gz but is not valid gzip data`], io);
      if (code) return usage([`--log: cannot read ${JSON.stringify(file)}: ${code}`], io);
      throw error;
    } finally {
      stream.destroy();
    }
    if (opts.json) writeJson(result, io);
    else io.out(renderText(result, path.basename(file), source, enabled));
    return EXIT.ok;
  } catch (error) {
    return reportError(error, io, env);
  }
}

function usage(problems: readonly string[], io: Output): number {
  for (const p of problems) io.err(p);
  return EXIT.usage;
}

/** The detections of an engine with their thresholds: a cluster's from the config when there is one, else defaults. */
function detectionsFor(
  engine: Engine,
  opts: TestPatternsOptions,
  env: NodeJS.ProcessEnv,
): { available: Map<string, ScanDetection>; enabled: ReadonlySet<string>; source: string } {
  const available = new Map<string, ScanDetection>(DETECTIONS[engine].map((definition) => [definition.id, { definition, ...definition.defaults }]));
  const byDefault = new Set(DETECTIONS[engine].filter((d) => d.enabledByDefault).map((d) => d.id));
  let model;
  try {
    model = loadConfig({ configFlag: opts.config, env }).model;
  } catch (error) {
    const noConfig = error instanceof ConfigError && !opts.config && !env.AURORA_AUDIT_CONFIG && !fs.existsSync('aurora-audit.yaml');
    if (!noConfig) throw error;
    if (opts.cluster) throw new ConfigError('--cluster', [{ path: '', message: '--cluster needs a config (--config, $AURORA_AUDIT_CONFIG or ./aurora-audit.yaml)' }]);
    return { available, enabled: byDefault, source: 'catalog defaults (no config found)' };
  }
  const clusters = model.stacks.flatMap((s) => s.clusters).filter((c) => c.engine === engine);
  const cluster = opts.cluster ? clusters.find((c) => c.identifier === opts.cluster) : clusters[0];
  if (opts.cluster && !cluster) {
    throw new ConfigError('--cluster', [{ path: '', message: `--cluster: "${opts.cluster}" is not a ${engine} cluster of ${model.sourcePath}; use ${clusters.map((c) => c.identifier).join(', ')}` }]);
  }
  for (const c of clusters) for (const d of c.detections) if (!available.has(d.definition.id)) available.set(d.definition.id, d);
  for (const d of cluster?.detections ?? []) available.set(d.definition.id, d);
  return {
    available,
    enabled: cluster ? new Set(cluster.detections.map((d) => d.definition.id)) : byDefault,
    source: cluster ? `${path.relative(process.cwd(), model.sourcePath) || model.sourcePath} (cluster ${cluster.identifier})` : 'catalog defaults',
  };
}

/** Exactly {"lines": N, "detections": {"<id>": {"count": n, "lines": [...], "alarms": [...]}}}, written in pieces. */
function writeJson(result: ScanResult, io: Output): void {
  const parts: string[] = [`{"lines":${result.lines},"detections":{`];
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

function renderText(result: ScanResult, file: string, source: string, enabled: ReadonlySet<string>): string {
  const out = [`${file}: ${result.lines} line${result.lines === 1 ? '' : 's'} (${result.format === 'rds' ? 'as downloaded from RDS' : 'CloudWatch export'}); thresholds from ${source}`];
  if (result.untimed > 0) out.push(`${result.untimed} line(s) before the first timestamp count as matches but not toward alarms.`);
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
