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

/** A number as a person types it: digits, an optional fraction, an optional sign. */
const NUMBER_TEXT = /^\s*[-+]?\d+(?:\.\d+)?\s*$/;

/**
 * Typed text against a numeric field: text that is not a number says so in those words (Number('abc') would reach
 * the schema as NaN, which reads "null is a number"), and a number gets the field's own rule.
 */
export function checkNumberText(schema: z.ZodType, text: string): string | undefined {
  return notANumber(text) ?? checkValue(schema, Number(text));
}

/** Why typed text is not a number, or undefined when it is one. */
export function notANumber(text: string): string | undefined {
  return NUMBER_TEXT.test(text) ? undefined : `${JSON.stringify(text)} is not a number; type one, such as 5`;
}
