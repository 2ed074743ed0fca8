/**
 * What a CloudWatch alarm would have done with a stream of matches: counts summed per period (periods aligned to
 * the epoch, as CloudWatch aligns them), GreaterThanOrEqualToThreshold, missing data not breaching, ALARM when
 * `datapointsToAlarm` of the last `evaluationPeriods` periods breach.
 */
import type { AlarmThreshold } from './catalog';

export interface SimulatedAlarm {
  /** Start of the period whose evaluation turned the alarm on (ISO 8601). */
  readonly from: string;
  /** End of the last period evaluated in ALARM (ISO 8601). */
  readonly to: string;
  /** Matches in the breaching periods of that stretch. */
  readonly count: number;
}

export class AlarmSimulator {
  private readonly buckets = new Map<number, number>();

  constructor(private readonly alarm: AlarmThreshold) {}

  add(timestampMs: number): void {
    const bucket = Math.floor(timestampMs / 1000 / this.alarm.periodSeconds);
    this.buckets.set(bucket, (this.buckets.get(bucket) ?? 0) + 1);
  }

  alarms(): SimulatedAlarm[] {
    const { threshold, evaluationPeriods, datapointsToAlarm, periodSeconds } = this.alarm;
    const breaching = new Set([...this.buckets].filter(([, n]) => n >= threshold).map(([b]) => b));
    // Only evaluations whose window holds a breaching period can be in ALARM.
    const candidates = new Set<number>();
    for (const b of breaching) for (let i = 0; i < evaluationPeriods; i++) candidates.add(b + i);
    const inAlarm = [...candidates]
      .filter((end) => {
        let n = 0;
        for (let b = end - evaluationPeriods + 1; b <= end; b++) if (breaching.has(b)) n++;
        return n >= datapointsToAlarm;
      })
      .sort((a, b) => a - b);

    const iso = (bucket: number) => new Date(bucket * periodSeconds * 1000).toISOString();
    const result: SimulatedAlarm[] = [];
    let start: number | undefined;
    let prev: number | undefined;
    const close = () => {
      if (start === undefined || prev === undefined) return;
      let count = 0;
      for (let b = start - evaluationPeriods + 1; b <= prev; b++) if (breaching.has(b)) count += this.buckets.get(b) ?? 0;
      result.push({ from: iso(start), to: iso(prev + 1), count });
    };
    for (const end of inAlarm) {
      if (prev === undefined || end !== prev + 1) {
        close();
        start = end;
      }
      prev = end;
    }
    close();
    return result;
  }
}
