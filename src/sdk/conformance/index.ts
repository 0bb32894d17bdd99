/**
 * The conformance kit without vitest (for `lienthong adapter check`); the vitest suite is
 * `./suite.ts` (`describeConformance`).
 */
export { ConformanceError, assertNoSecret, checkAuthRefused, checkResume, describeError, issuePaths, mapAll, parseOptions, pullAll, type AnyAdapter, type MappedRecord, type Pulled, type Subject } from './checks.ts';
export { goldenOf, readGolden, writeGolden, type GoldenFile, type GoldenRecord } from './golden.ts';
export { buildReport, type CheckReport } from './report.ts';
