/**
 * EventBridge event pattern matching, as the EventBridge user guide ("Event patterns", "Content filtering") describes
 * it, for the operators aurora-audit's rules use: exact values, prefix (also ignoring case), suffix, equals-ignore-case, anything-but (of
 * values, or of a prefix), exists, and $or. A field that is an array in the event matches when any element does.
 * Anything else throws, so a rule written with an operator this does not know cannot pass a test by accident.
 */
type Json = unknown;

export function matchesPattern(pattern: Record<string, Json>, event: Json): boolean {
  for (const [key, expected] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(expected)) throw new Error('$or takes an array of patterns');
      if (!expected.some((p) => matchesPattern(p as Record<string, Json>, event))) return false;
      continue;
    }
    const value = event !== null && typeof event === 'object' ? (event as Record<string, Json>)[key] : undefined;
    if (Array.isArray(expected)) {
      if (!fieldMatches(expected, value)) return false;
    } else if (expected !== null && typeof expected === 'object') {
      // A nested pattern: an array in the event matches when one of its objects does.
      const candidates = Array.isArray(value) ? value : [value];
      if (!candidates.some((v) => v !== null && typeof v === 'object' && matchesPattern(expected as Record<string, Json>, v))) return false;
    } else {
      throw new Error(`pattern field ${key}: a value must be in an array`);
    }
  }
  return true;
}

/** One field against its list of matchers: any may match. */
function fieldMatches(matchers: readonly Json[], value: Json): boolean {
  const present = value !== undefined;
  const values = Array.isArray(value) ? value : [value];
  return matchers.some((m) => {
    if (m !== null && typeof m === 'object') {
      const [[op, arg], ...rest] = Object.entries(m as Record<string, Json>);
      if (rest.length > 0) throw new Error(`one operator per matcher: ${JSON.stringify(m)}`);
      if (op === 'exists') return arg === present;
      if (!present) return false;
      switch (op) {
        case 'prefix': {
          // Begins with, or (`{ "equals-ignore-case": ... }`) begins with in any letter case.
          if (arg !== null && typeof arg === 'object') {
            const [[how, text], ...others] = Object.entries(arg as Record<string, Json>);
            if (how !== 'equals-ignore-case' || typeof text !== 'string' || others.length > 0) throw new Error(`prefix: only equals-ignore-case is known, not ${JSON.stringify(arg)}`);
            return values.some((v) => typeof v === 'string' && v.toLowerCase().startsWith(text.toLowerCase()));
          }
          return values.some((v) => typeof v === 'string' && v.startsWith(arg as string));
        }
        case 'suffix':
          return values.some((v) => typeof v === 'string' && v.endsWith(arg as string));
        case 'equals-ignore-case':
          return values.some((v) => typeof v === 'string' && v.toLowerCase() === (arg as string).toLowerCase());
        case 'anything-but': {
          if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
            const prefix = (arg as Record<string, Json>).prefix;
            if (typeof prefix !== 'string') throw new Error(`anything-but: only a prefix object is known, not ${JSON.stringify(arg)}`);
            return values.some((v) => typeof v === 'string' && !v.startsWith(prefix));
          }
          const excluded = Array.isArray(arg) ? arg : [arg];
          return values.some((v) => !excluded.includes(v));
        }
        default:
          throw new Error(`unknown matcher ${op}`);
      }
    }
    return present && values.includes(m);
  });
}
