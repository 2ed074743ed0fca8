import type { Engine } from '../config/aws';
import { AURORA_MYSQL_DETECTIONS } from './aurora-mysql';
import { AURORA_POSTGRESQL_DETECTIONS } from './aurora-postgresql';
import type { DetectionDefinition } from './catalog';

/** Every detection aurora-audit knows, by engine. Config overrides and disables entries by id. */
export const DETECTIONS: Record<Engine, readonly DetectionDefinition[]> = {
  'aurora-mysql': AURORA_MYSQL_DETECTIONS,
  'aurora-postgresql': AURORA_POSTGRESQL_DETECTIONS,
};

/** Detection ids across engines, in catalog order; the config schema accepts exactly these keys. */
export const DETECTION_IDS = [...new Set(Object.values(DETECTIONS).flatMap((list) => list.map((d) => d.id)))] as [
  string,
  ...string[],
];

export type { AlarmThreshold, DetectionDefinition } from './catalog';
