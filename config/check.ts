/**
 * One value against one field of the config schema, for flags and prompts: the same rule and the same words as a
 * config file gets.
 */
import type { z } from 'zod';
import { problemsFromIssues } from './problems';

const noSource = { textAt: () => undefined, lineAt: () => undefined };

/** The problem with `value`, as `"eu-wst-1" is not a known AWS region; did you mean eu-west-1?`, or undefined. */
export function checkValue(schema: z.ZodType, value: unknown): string | undefined {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return undefined;
  return problemsFromIssues(result.error.issues, noSource, () => [])[0]?.message;
}
