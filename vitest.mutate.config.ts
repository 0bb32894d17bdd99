/**
 * The tests `npm run mutate` runs against each mutant: the unit tests beside the core modules (the
 * end-to-end suites under test/ take minutes per run, too slow for thousands of mutants on 2 cores).
 * `MUTATE_TESTS="src/rules/**\/*.test.ts"` narrows it further for a run over one part.
 */
import { defineConfig } from 'vitest/config';
import base from './vitest.config.ts';

const include = process.env['MUTATE_TESTS']?.split(',').map((s) => s.trim()).filter(Boolean) ?? [
  'src/rules/**/*.test.ts',
  'src/dossier/**/*.test.ts',
  'src/outbox/**/*.test.ts',
  'src/reconcile/**/*.test.ts',
  'src/ledger/**/*.test.ts',
  'src/privacy*.test.ts',
  'src/http/**/*.test.ts',
  'test/reconcile/**/*.test.ts',
  'test/ops/api.test.ts',
];

// Spread, not mergeConfig: mergeConfig would add these patterns to the base ones instead of replacing them.
export default defineConfig({ ...base, test: { ...base.test, include } });
