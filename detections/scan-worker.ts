/**
 * A scan thread: blocks of a log in, each block's matches out (./scan-chunk.ts). Started by scanLog (./scan.ts) when
 * it is given more than one thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DetectionDefinition } from './catalog';
import type { LogFormat } from './log-lines';
import { compileChunkScanner, type ChunkResult } from './scan-chunk';

export interface ScanWorkerData {
  readonly definitions: ReadonlyArray<Pick<DetectionDefinition, 'pattern'>>;
  readonly format: LogFormat;
}

export interface ScanBlock {
  readonly id: number;
  readonly bytes: ArrayBuffer;
}

export type ScanReply = { readonly id: number; readonly result: ChunkResult } | { readonly id: number; readonly error: string };

if (parentPort) {
  const port = parentPort;
  const { definitions, format } = workerData as ScanWorkerData;
  const scan = compileChunkScanner(definitions, format);
  port.on('message', ({ id, bytes }: ScanBlock) => {
    try {
      const result = scan(Buffer.from(bytes).toString('utf8'));
      port.postMessage({ id, result } satisfies ScanReply, result.matches.flatMap((m) => [m.lines.buffer as ArrayBuffer, m.times.buffer as ArrayBuffer]));
    } catch (error) {
      port.postMessage({ id, error: (error as Error).message } satisfies ScanReply);
    }
  });
}
