/**
 * One block of a log's lines, scanned by itself: what a scan thread (./scan-worker.ts) does with each block the
 * reading thread hands it (./scan.ts). Every time is the line's own or an earlier line's of the same block; a line
 * before the block's first time gets NaN, and the merge gives it the time the previous blocks ended on.
 */
import type { Engine } from '../config/aws';
import type { DetectionDefinition } from './catalog';
import { compileFilterPattern } from './filter-pattern';
import { readLine, type LogFormat } from './log-lines';
import { candidateLines } from './prefilter';
import { engineOfLine } from './records';

/** How many unreadable lines a scan names by number (and so a block, at most). */
export const UNREADABLE_SHOWN = 5;

export interface ChunkResult {
  readonly lines: number;
  /** Lines before the block's first line with a time of its own (all of them, when none has one). */
  readonly leadingUntimed: number;
  /** The time the block ends on (its last own time); NaN when no line of it has one. */
  readonly lastTime: number;
  readonly linesByEngine: Readonly<Record<Engine, number>>;
  /** The first few lines (from 1) shaped like neither engine's audit record. */
  readonly unreadableFirst: readonly number[];
  /** Per detection, in the order given: the block's matching line numbers (from 1) and each one's time. */
  readonly matches: ReadonlyArray<{ readonly lines: Uint32Array; readonly times: Float64Array }>;
}

/** The detections' patterns, compiled once per thread. */
export function compileChunkScanner(definitions: readonly Pick<DetectionDefinition, 'pattern'>[], format: LogFormat): (text: string) => ChunkResult {
  const patterns = definitions.map((d) => compileFilterPattern(d.pattern));
  return (text) => {
    const raw = text.split('\n');
    // A block ends with its last line's newline, except the file's last block when the file has none.
    if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
    const found = patterns.map(() => ({ lines: [] as number[], times: [] as number[] }));
    // The words the patterns need are looked for over the whole block at once, in one lower-case copy: a pattern's
    // automaton then runs only on the lines that hold them. When lowering changes the block's length (a few
    // characters grow), each line is asked by itself instead, as matches() does.
    const lower = text.toLowerCase();
    let candidates: Array<Uint8Array | undefined> = patterns.map(() => undefined);
    if (lower.length === text.length) {
      const starts = new Int32Array(raw.length + 1);
      for (let i = 0, at = 0; i <= raw.length; i++) {
        starts[i] = at;
        if (i < raw.length) at += raw[i].length + 1;
      }
      candidates = patterns.map((p) => (p.prefilter ? candidateLines(lower, starts, p.prefilter.required) : undefined));
    }
    const linesByEngine: Record<Engine, number> = { 'aurora-mysql': 0, 'aurora-postgresql': 0 };
    let last = Number.NaN;
    let leadingUntimed = 0;
    const unreadableFirst: number[] = [];
    for (let i = 0; i < raw.length; i++) {
      const { message, own } = readLine(raw[i], format);
      if (own !== undefined) last = own;
      else if (Number.isNaN(last)) leadingUntimed++;
      const engine = engineOfLine(message);
      if (engine) linesByEngine[engine]++;
      else if (unreadableFirst.length < UNREADABLE_SHOWN) unreadableFirst.push(i + 1);
      for (let d = 0; d < patterns.length; d++) {
        const lines = candidates[d];
        if (lines ? !(lines[i] && patterns[d].prefilter!.automaton(message)) : !patterns[d].matches(message)) continue;
        found[d].lines.push(i + 1);
        found[d].times.push(last);
      }
    }
    return {
      lines: raw.length,
      leadingUntimed,
      lastTime: last,
      linesByEngine,
      unreadableFirst,
      matches: found.map((f) => ({ lines: Uint32Array.from(f.lines), times: Float64Array.from(f.times) })),
    };
  };
}
