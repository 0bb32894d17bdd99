import { defineConfig } from 'vitest/config';

// The suite runs in a zone far from both UTC and Vietnam, so code that reads local-time getters
// instead of UTC (or Vietnam time) fails here rather than passing on a UTC host. Set before the
// forks start, so they and the CLI children the tests spawn inherit it.
const TEST_TZ = 'America/Los_Angeles';
process.env.TZ = TEST_TZ;

export default defineConfig({
  test: {
    env: { TZ: TEST_TZ },
    include: ['src/**/*.test.ts', 'adapters/**/*.test.ts', 'schemas/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
