import { METRIC_FILTER_QUOTAS } from '../../config/aws';
import type { DetectionDefinition } from '../../detections';
import { compileFilterPattern } from '../../detections/filter-pattern';

/** Every catalog entry against its own sample lines, through the filter-pattern engine, and within the quotas. */
export function describeCatalog(label: string, detections: readonly DetectionDefinition[]): void {
  describe.each(detections.map((d) => [d.id, d] as const))(`${label} %s`, (_id, detection) => {
    const pattern = compileFilterPattern(detection.pattern);

    test.each(detection.samples.match.map(([line, why]) => [why, line]))('matches %s', (_why, line) => {
      expect(pattern.matches(line)).toBe(true);
    });

    test.each(detection.samples.noMatch.map(([line, why]) => [why, line]))('stays quiet on %s', (_why, line) => {
      expect(pattern.matches(line)).toBe(false);
    });

    if (detection.logType === 'audit') {
      test('its samples are written as the audit log writes them: a line break, tab or CR inside a statement is an escape, never the character', () => {
        for (const [line] of [...detection.samples.match, ...detection.samples.noMatch]) expect(line).not.toMatch(/[\n\r\t]/);
      });
    }

    test('fits CloudWatch quotas: at most 2 regular expressions and 1024 characters', () => {
      expect(pattern.regexCount).toBeLessThanOrEqual(METRIC_FILTER_QUOTAS.regexPerPattern);
      expect(detection.pattern.length).toBeLessThanOrEqual(1024);
    });
  });
}
