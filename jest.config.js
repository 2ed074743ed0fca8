/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // A hang guard, not a speed target: on a busy 2-core machine a synth or a subprocess can take many seconds, and no
  // test may fail for that. Speed is measured by the npm run bench:* scripts.
  testTimeout: 600_000,
  // One worker per core (jest's default leaves one idle): the Terraform tests wait on terraform processes, and the
  // suite takes about half as long on the 2-core build machines.
  maxWorkers: '100%',
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
