/**
 * Every name aurora-audit takes from cdktf 0.21.0 beyond its package index, in one place: the fast synthesis path
 * (this folder) needs them to do exactly what cdktf does, faster. They are loaded when first asked for, not imported:
 * when a cdktf release (or CDK Terrain) moves one, the fast path is given up for cdktf's own synthesis (./mode.ts)
 * instead of every command failing to start. No file outside this folder reaches into cdktf/lib/
 * (test/stacks/layout.test.ts).
 */

export interface CdktfInternals {
  readonly deepMerge: (target: Record<string, unknown>, ...sources: unknown[]) => unknown;
}

/**
 * Where cdktf 0.21.0 keeps each module the internals come from: the one list to change if a release moves one. (The
 * fast JSON writer, which took five more names from four more modules, saved under 10% at 1,000 stacks and is gone; the
 * README gives the figures.)
 */
export const INTERNAL_MODULES = {
  util: 'cdktf/lib/util',
};

let loaded: CdktfInternals | null | undefined;
let why: string | undefined;

/** The internals, or undefined when one has moved or changed kind (internalsProblem says which). */
export function cdktfInternals(): CdktfInternals | undefined {
  if (loaded === undefined) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const from = (key: keyof typeof INTERNAL_MODULES) => require(INTERNAL_MODULES[key]) as Record<string, never>;
      const found = {
        deepMerge: from('util').deepMerge,
      };
      const missing = Object.entries(found)
        .filter(([, value]) => typeof value !== 'function')
        .map(([name]) => name);
      if (missing.length > 0) {
        why = `cdktf no longer has ${missing.join(', ')} where 0.21.0 kept ${missing.length === 1 ? 'it' : 'them'}`;
        loaded = null;
      } else loaded = found as CdktfInternals;
    } catch (error) {
      why = `a cdktf module moved (${(error as Error).message.split('\n')[0]})`;
      loaded = null;
    }
  }
  return loaded ?? undefined;
}

/** Why the internals could not be used, once cdktfInternals() has said so. */
export function internalsProblem(): string | undefined {
  cdktfInternals();
  return why;
}
