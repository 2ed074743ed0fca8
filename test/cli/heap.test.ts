/**
 * The CLI and the cdktf app hold V8's heap growth to cli/heap.ts's percentage as they start, unless the process was
 * started with its own. scripts/bench-synth.ts measures what it saves; this checks who sets what.
 */
import { HEAP_GROWING_PERCENT, keepHeapsCompact } from '../../cli/heap';

/** The module object itself, on which cli/heap.ts looks the function up (an import * would give this test a copy). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const v8 = require('node:v8') as typeof import('node:v8');

describe('keepHeapsCompact', () => {
  const nodeOptions = process.env.NODE_OPTIONS;
  let set: jest.SpyInstance;
  beforeEach(() => {
    set = jest.spyOn(v8, 'setFlagsFromString').mockImplementation(() => undefined);
  });
  afterEach(() => {
    set.mockRestore();
    if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = nodeOptions;
  });

  test('sets the growth when the process brings none', () => {
    delete process.env.NODE_OPTIONS;
    keepHeapsCompact();
    expect(set.mock.calls).toEqual([[`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]]);
  });

  test.each(['--heap-growing-percent=80', '--max-old-space-size=4096 --heap_growing_percent=50'])('leaves NODE_OPTIONS %j as it is', (options) => {
    process.env.NODE_OPTIONS = options;
    keepHeapsCompact();
    expect(set).not.toHaveBeenCalled();
  });

  test('another V8 flag in NODE_OPTIONS does not stop it', () => {
    process.env.NODE_OPTIONS = '--max-old-space-size=4096';
    keepHeapsCompact();
    expect(set).toHaveBeenCalledTimes(1);
  });
});
