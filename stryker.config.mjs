// Mutation testing of the core modules (`npm run mutate`; one module: `npm run mutate -- --mutate src/rules/classify.ts`).
// Not in CI: a full run takes hours on 2 cores. Each mutant runs only the tests that cover it (perTest coverage).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: false },
  dryRunTimeoutMinutes: 30,
  plugins: ['@stryker-mutator/vitest-runner'],
  coverageAnalysis: 'perTest',
  mutate: [
    'src/rules/**/*.ts',
    'src/dossier/**/*.ts',
    'src/outbox/**/*.ts',
    'src/ledger/store-page.ts',
    'src/reconcile/**/*.ts',
    'src/privacy.ts',
    'src/http/auth.ts',
    'src/http/route.ts',
    '!**/*.test.ts',
    '!src/rules/calendar-data.ts',
    '!src/rules/data/**',
  ],
  concurrency: 1,
  timeoutMS: 60_000,
  timeoutFactor: 2,
  thresholds: { high: 90, low: 85, break: null },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'test-artifacts/mutation/index.html' },
  jsonReporter: { fileName: 'test-artifacts/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'test-artifacts', '.lienthong', 'coverage', '.wrangler'],
};
