/**
 * init's review step: the lines a re-run changes, with a line of context, instead of the whole file.
 */
import { lineDiff, newConfigSummary } from '../../cli/init/review';
import { configWith, modelOf } from '../support/fixtures';

test('only the changed lines, with one line of context, and … between distant changes', () => {
  const before = ['version: 1', 'audit:', '  events: [CONNECT]', 'a: 1', 'b: 2', 'c: 3', 'd: 4', 'targets:', '  - region: eu-west-1', ''].join('\n');
  const after = ['version: 1', 'audit:', '  events: [CONNECT, TABLE]', 'a: 1', 'b: 2', 'c: 3', 'd: 4', 'targets:', '  - region: eu-west-1', '  - region: us-east-1', ''].join('\n');
  expect(lineDiff(before, after)).toEqual(['  audit:', '-   events: [CONNECT]', '+   events: [CONNECT, TABLE]', '  a: 1', '  …', '    - region: eu-west-1', '+   - region: us-east-1']);
});

test('no change, no lines', () => {
  expect(lineDiff('a\nb\n', 'a\nb\n')).toEqual([]);
});

test("a new config's review names each cluster with its account and region once there are several", () => {
  const model = modelOf(
    configWith((c) => {
      c.targets.push({ ...structuredClone(c.targets[0]), name: 'other', accountId: '210987654321' });
    }),
  );
  expect(newConfigSummary('version: 1\n', model)).toEqual([
    '  a new file of 1 lines:',
    '  2 stack(s): 123456789012/eu-west-1, 210987654321/eu-west-1',
    '  4 cluster(s): orders-db (123456789012/eu-west-1), billing (123456789012/eu-west-1), orders-db (210987654321/eu-west-1), billing (210987654321/eu-west-1)',
    '  alarms to Slack T07EA123LEP/C07EZ1ABC23',
  ]);
  // One stack: the identifiers alone.
  expect(newConfigSummary('version: 1\n', modelOf(configWith(() => undefined)))[2]).toBe('  2 cluster(s): orders-db, billing');
});
