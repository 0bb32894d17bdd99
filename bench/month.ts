/**
 * A province's busiest month (issue #13 goal 3: Phú Thọ, 08/2026, 184,513 dossiers): N dossiers
 * received in August 2026 imported through the spine, then Biểu 06 and the 766 indicators of the
 * month. Prints each phase's seconds, the total, and the peak resident memory, per database.
 *   npm run bench -- month [--n 184513] [--page-size 2000] [--db pglite|postgres|both]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config.ts';
import { openLedger } from '../src/ledger/db.ts';
import { runSync } from '../src/pipeline/sync.ts';
import { buildBieu06Report } from '../src/reports/bieu06-report.ts';
import { buildIndicatorReport } from '../src/reports/indicators-report.ts';
import { createCalendar } from '../src/rules/index.ts';
import { databaseKinds, mib, openBenchDatabase, rssSampler, writeExports } from './common.ts';

export const AUGUST = { from: '2026-08-01', to: '2026-08-31' };

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string', default: '184513' }, 'page-size': { type: 'string', default: '2000' }, db: { type: 'string' } } });
  const n = Number(values.n);
  const pageSize = Number(values['page-size']);
  const kinds = databaseKinds(values.db);
  const dir = await mkdtemp(join(tmpdir(), 'lt-bench-month-'));
  try {
    const exportsDir = await writeExports(dir, { count: n, seed: 13, start: '2026-08-01T01:00:00.000Z', spanDays: 30 });
    for (const kind of kinds) {
      const db = await openBenchDatabase(kind, dir, 'month');
      const rss = rssSampler();
      try {
        const config = parseConfig({ database: db.url, sources: [{ id: 'bench', adapter: 'dvcqg-file', options: { path: exportsDir }, pageSize }] });
        const ledger = await openLedger(db.url);
        try {
          let t = performance.now();
          const ingest = await runSync(ledger, config, { env: {}, push: false });
          const importS = (performance.now() - t) / 1000;
          const ctx = { calendar: createCalendar(), catalog: null, units: null, rollup: false, pageSize, now: '2026-09-05T00:00:00.000Z' };
          t = performance.now();
          const b06 = await buildBieu06Report(ledger, AUGUST, 'unit', ctx);
          const b06S = (performance.now() - t) / 1000;
          t = performance.now();
          const ind = await buildIndicatorReport(ledger, AUGUST, ctx, { synced: false });
          const indS = (performance.now() - t) / 1000;
          const total = importS + b06S + indS;
          console.log(`lienthong bench month (${kind}): ${n} dossiers received 01/08 → 31/08/2026`);
          console.log(`  import  ${ingest.sources[0]?.new} dossiers in ${importS.toFixed(1)} s = ${(n / importS).toFixed(0)} dossiers/s`);
          console.log(`  Biểu 06 ${b06.examined} read, ${b06.totals.received.total} counted, ${b06.rows.length} units in ${b06S.toFixed(1)} s`);
          console.log(`  766     ${ind.units.length} units in ${indS.toFixed(1)} s`);
          console.log(`  total   ${total.toFixed(1)} s (goal < ${kind === 'PGlite' ? 60 : 30} s at 184,513); peak RSS ${mib(rss.peak())}`);
        } finally {
          await ledger.close();
        }
      } finally {
        rss.stop();
        await db.drop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
