/**
 * Runs detections over a log, line by line, in bounded memory: per detection, the numbers of the matching lines
 * (4 bytes each) and match counts per alarm period, never the lines themselves.
 */
import type { Readable } from 'node:stream';
import { AlarmSimulator, type SimulatedAlarm } from './alarm-simulation';
import type { AlarmThreshold, DetectionDefinition } from './catalog';
import { compileFilterPattern } from './filter-pattern';
import type { Engine } from '../config/aws';
import { detectFormat, lineReader, type LogFormat } from './log-lines';
import { engineOfLine } from './records';
import { readLineBatches } from './read-lines';

export interface ScanDetection extends AlarmThreshold {
  readonly definition: DetectionDefinition;
}

export interface ScanResult {
  readonly lines: number;
  readonly format: LogFormat;
  /** Lines no timestamp could be found for (before the first one that has one). */
  readonly untimed: number;
  /** Lines shaped like each engine's log, whichever engine's detections ran. */
  readonly linesByEngine: Readonly<Record<Engine, number>>;
  readonly detections: ReadonlyArray<{ readonly detection: ScanDetection; readonly lines: Uint32Array; readonly alarms: readonly SimulatedAlarm[] }>;
}

/** A growable array of line numbers. */
class LineNumbers {
  private data = new Uint32Array(64);
  private size = 0;
  push(n: number): void {
    if (this.size === this.data.length) {
      const next = new Uint32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.size++] = n;
  }
  values(): Uint32Array {
    return this.data.subarray(0, this.size);
  }
}

const FORMAT_SAMPLE_LINES = 20;

export async function scanLog(input: Readable, detections: readonly ScanDetection[], format?: LogFormat): Promise<ScanResult> {
  const compiled = detections.map((d) => ({ detection: d, pattern: compileFilterPattern(d.definition.pattern), lines: new LineNumbers(), simulator: new AlarmSimulator(d) }));
  let lineNo = 0;
  let untimed = 0;
  const linesByEngine: Record<Engine, number> = { 'aurora-mysql': 0, 'aurora-postgresql': 0 };
  let pending: string[] | undefined = format ? undefined : [];
  let read: ((raw: string) => ReturnType<ReturnType<typeof lineReader>>) | undefined = format ? lineReader(format) : undefined;
  let resolved: LogFormat | undefined = format;

  const handle = (raw: string) => {
    lineNo++;
    const line = read!(raw);
    if (line.timestampMs === undefined) untimed++;
    const engine = engineOfLine(line.message);
    if (engine) linesByEngine[engine]++;
    for (const c of compiled) {
      if (!c.pattern.matches(line.message)) continue;
      c.lines.push(lineNo);
      if (line.timestampMs !== undefined) c.simulator.add(line.timestampMs);
    }
  };

  for await (const batch of readLineBatches(input)) {
    for (const raw of batch) {
      if (pending) {
        // The first lines decide the format; they are scanned once it is known.
        pending.push(raw);
        if (pending.length < FORMAT_SAMPLE_LINES) continue;
        resolved = detectFormat(pending);
        read = lineReader(resolved);
        for (const p of pending) handle(p);
        pending = undefined;
        continue;
      }
      handle(raw);
    }
  }
  if (pending) {
    resolved = detectFormat(pending);
    read = lineReader(resolved);
    for (const p of pending) handle(p);
  }
  return {
    lines: lineNo,
    format: resolved ?? 'rds',
    untimed,
    linesByEngine,
    detections: compiled.map((c) => ({ detection: c.detection, lines: c.lines.values(), alarms: c.simulator.alarms() })),
  };
}
