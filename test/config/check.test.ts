/**
 * Typed numbers against a numeric field, as the wizard's prompts check them: text that is not a number says so, and a
 * number gets the field's own rule.
 */
import { checkNumberText } from '../../config/check';
import * as schema from '../../config/schema';

const threshold = schema.detectionsSection.shape['drop-statements'].unwrap().shape.threshold;

test.each([
  ['abc', '"abc" is not a number; type one, such as 5'],
  ['', '"" is not a number; type one, such as 5'],
  ['5 per minute', '"5 per minute" is not a number; type one, such as 5'],
  ['0', '0 must be greater than 0: a threshold of 0 or less would alarm on nothing happening'],
  ['2.5', '2.5 is a number; expected a whole number of matching lines: a period counts lines, so 2.5 cannot be reached differently from 3'],
])('%j at a threshold: %s', (text, message) => {
  expect(checkNumberText(threshold, text)).toBe(message);
});

test.each(['5', ' 12 ', '1'])('%j at a threshold is taken', (text) => {
  expect(checkNumberText(threshold, text)).toBeUndefined();
});
