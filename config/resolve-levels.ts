/**
 * How a setting is read from the levels of the config (a cluster, a target, an account, a group, the top), nearest first,
 * falling back to the one table's defaults (config/schema.ts SETTINGS_SECTIONS): the pieces every part of the resolver
 * shares.
 */
import type { StackSettings } from './model';
import type { SettingsLevel, SharedSettings } from './placements';
import { parsePath, show, type PathSegment } from './problems';
import { SETTINGS_SECTIONS, type SettingsSectionKey } from './schema';

export type Path = readonly PathSegment[];

/** A section as written at one level, with where it was written. */
export interface Level<T> {
  readonly value: T | undefined;
  readonly path: Path;
}

/** A resolved value and where it came from (undefined: the built-in default). */
export interface Sourced<T> {
  readonly value: T;
  readonly path?: Path;
}

export function pick<T, K extends keyof T>(levels: readonly Level<T>[], key: K, fallback: NonNullable<T[K]>): Sourced<NonNullable<T[K]>> {
  for (const level of levels) {
    const v = level.value?.[key];
    if (v !== undefined) return { value: v as NonNullable<T[K]>, path: [...level.path, key as string] };
  }
  return { value: fallback };
}

/** A default's type as a setting may hold it: `30` stands for any number. */
export type Widen<T> = T extends boolean ? boolean : T extends number ? number : T extends string ? string : T;

/** A section's built-in defaults, from the one table (config/schema.ts SETTINGS_SECTIONS). */
type FieldDefaults<S extends SettingsSectionKey> = (typeof SETTINGS_SECTIONS)[S]['defaults'];

/** The defaults of the sections resolved beyond the field-by-field ones, under their usual names. */
export const DEFAULT_AUDIT = SETTINGS_SECTIONS.audit.defaults;

export const DEFAULT_SLACK = SETTINGS_SECTIONS.notifications.defaults.slack;

export const DEFAULT_ENCRYPTION = SETTINGS_SECTIONS.encryption.defaults;

/**
 * Every field a section's defaults name, each from the nearest level that sets it, else the default: how a section that
 * resolves field by field becomes its model. A field added to the section's schema and defaults needs nothing here.
 */
export function sectionFields<S extends 'alertDetails' | 'silence' | 'tampering' | 'guardDuty' | 'dashboard'>(
  levels: readonly Level<Partial<Record<string, unknown>>>[],
  section: S,
): { [F in keyof FieldDefaults<S>]: Sourced<Widen<FieldDefaults<S>[F]>> } {
  const defaults = SETTINGS_SECTIONS[section].defaults as Record<string, unknown>;
  return Object.fromEntries(Object.keys(defaults).map((name) => [name, pick(levels, name, defaults[name] as NonNullable<unknown>)])) as never;
}

/** Just the values of sectionFields. */
export function sectionValues<S extends 'alertDetails' | 'silence' | 'tampering' | 'guardDuty' | 'dashboard'>(
  levels: readonly Level<Partial<Record<string, unknown>>>[],
  section: S,
): { [F in keyof FieldDefaults<S>]: Widen<FieldDefaults<S>[F]> } {
  return Object.fromEntries(Object.entries(sectionFields(levels, section)).map(([name, got]) => [name, (got as Sourced<unknown>).value])) as never;
}

/**
 * The sections the table marks `model: 'settings'`, each field from the nearest level that sets it, else the row's
 * default: a new section of that kind reaches the constructs with no code here or in the model.
 */
export function stackSettings(levels: readonly SettingsLevel[]): StackSettings {
  const rows = Object.entries(SETTINGS_SECTIONS).filter(([, row]) => 'model' in row && row.model === 'settings');
  return Object.fromEntries(
    rows.map(([key, row]) => {
      const written = sectionLevels(levels, key as keyof SharedSettings) as Level<Partial<Record<string, unknown>>>[];
      const defaults = row.defaults as Record<string, unknown>;
      return [key, Object.fromEntries(Object.keys(defaults).map((field) => [field, pick(written, field, defaults[field] as NonNullable<unknown>).value]))];
    }),
  ) as StackSettings;
}

export type Report = (path: Path, message: string) => void;

export const pathOf = (configPath: string): Path => parsePath(configPath);

export function checkUnique<T>(items: readonly T[], key: (item: T) => string, onDuplicate: (item: T, first: T) => void): void {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    const first = seen.get(k);
    if (first) onDuplicate(item, first);
    else seen.set(k, item);
  }
}

/** One section as each level writes it, nearest first. */
export function sectionLevels<K extends keyof SharedSettings>(levels: readonly SettingsLevel[], key: K): Level<NonNullable<SharedSettings[K]>>[] {
  return levels.map((l) => ({ value: l.value?.[key] as NonNullable<SharedSettings[K]> | undefined, path: [...l.path, key] }));
}

export function checkNoRepeats(list: Sourced<readonly string[]>, report: Report): void {
  list.value.forEach((v, i) => {
    if (list.value.indexOf(v) !== i && list.path) report([...list.path, i], `${show(v)} is listed twice`);
  });
}
