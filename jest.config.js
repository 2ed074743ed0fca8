/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // A hang guard, not a speed target: on a busy 2-core machine a synth or a subprocess can take many seconds, and no
  // test may fail for that. Speed is measured by the npm run bench:* scripts.
  testTimeout: 600_000,
  // One worker per core (jest's default leaves one idle): the Terraform tests wait on terraform processes, and the
  // suite takes about half as long on the 2-core build machines.
  maxWorkers: '100%',
  // How long jest waits for a worker to end on its own at the end of a run before it kills it and warns that the worker
  // "failed to exit gracefully". Its default, 500 ms, is too close: on this 2-core machine workers took 140 to 250 ms
  // to end in a quiet run, and jest killed one at the end of three of eight full runs on 2026-12-08, with no handle
  // left open that a next file could see. A worker that a test keeps alive for good is still killed, with the warning.
  workerGracefulExitTimeout: 5_000,
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Type checking is its own step (tsc); swc only strips types, which is about six times faster.
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/cdktf.out/'],
  reporters: ['default', '<rootDir>/test/terraform-reporter.js'],
};
