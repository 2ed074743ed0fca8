/**
 * init's review step: the lines a re-run changes, with a line of context, instead of the whole file.
 */
import { lineDiff } from '../../cli/init/review';

test('only the changed lines, with one line of context, and … between distant changes', () => {
  const before = ['version: 1', 'audit:', '  events: [CONNECT]', 'a: 1', 'b: 2', 'c: 3', 'd: 4', 'targets:', '  - region: eu-west-1', ''].join('\n');
  const after = ['version: 1', 'audit:', '  events: [CONNECT, TABLE]', 'a: 1', 'b: 2', 'c: 3', 'd: 4', 'targets:', '  - region: eu-west-1', '  - region: us-east-1', ''].join('\n');
  expect(lineDiff(before, after)).toEqual(['  audit:', '-   events: [CONNECT]', '+   events: [CONNECT, TABLE]', '  a: 1', '  …', '    - region: eu-west-1', '+   - region: us-east-1']);
});

test('no change, no lines', () => {
  expect(lineDiff('a\nb\n', 'a\nb\n')).toEqual([]);
});
