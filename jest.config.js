'use strict';
// Three projects, run in this order by scripts/test.js: unit (no server), integration (the protocol
// layer in Node against the real Prosody), e2e (the built bundle in Chromium against the real Prosody).
const transform = {
  '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }],
};
const common = {
  transform,
  moduleNameMapper: { '\\.hbs$': '<rootDir>/test/helpers/hbs-stub.js', '\\.(s?css)$': '<rootDir>/test/helpers/style-stub.js' },
};
module.exports = {
  // generous per-test ceiling for the server and browser tests; timings are asserted inside tests
  testTimeout: 30000,
  projects: [
    { ...common, displayName: 'unit', testEnvironment: 'node', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    {
      ...common,
      displayName: 'integration',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/helpers/node-env.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.js',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.js',
    },
    {
      ...common,
      displayName: 'e2e',
      testEnvironment: 'node',
      testMatch: ['<rootDir>/test/e2e/**/*.test.ts'],
      setupFiles: ['<rootDir>/test/helpers/node-env.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.js',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.js',
    },
  ],
};
