/**
 * Reports at scale: ~140k generated dossiers over a half-year imported into PGlite (on disk)
 * through the spine, then Biểu 06 and the 766 indicators of the half-year from the ledger.
 * Prints both timings and the peak resident memory.
 *   npm run bench -- reports --n 140000
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config.ts';
import { generateDossiers } from '../src/demo/generate.ts';
import { openLedger, resolveDatabaseUrl } from '../src/ledger/db.ts';
import { runSync } from '../src/pipeline/sync.ts';
import { buildBieu06Report } from '../src/reports/bieu06-report.ts';
import { buildIndicatorReport } from '../src/reports/indicators-report.ts';
import { createCalendar } from '../src/rules/index.ts';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string', default: '140000' }, 'page-size': { type: 'string', default: '2000' } } });
  const n = Number(values.n);
  const dir = await mkdtemp(join(tmpdir(), 'lt-bench-reports-'));
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    await mkdir(join(dir, 'exports'));
    const out = createWriteStream(join(dir, 'exports', 'bench.ndjson'));
    for (const d of generateDossiers({ count: n, seed: 11, start: '2026-01-01T01:00:00.000Z', spanDays: 181 })) {
      if (!out.write(JSON.stringify(d) + '\n')) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const config = parseConfig({ database: `pglite:${join(dir, 'db')}`, sources: [{ id: 'bench', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') }, pageSize: 2000 }] });
    const url = resolveDatabaseUrl(config.database, process.env);
    const ledger = await openLedger(url);
    try {
      console.log(`lienthong bench reports: ${n} dossiers received 01/01 → 30/06/2026, database ${url.startsWith('pglite:') ? 'PGlite (on disk)' : 'PostgreSQL'}`);
      let t = performance.now();
      const ingest = await runSync(ledger, config, { env: {}, push: false });
      const importS = (performance.now() - t) / 1000;
      console.log(`import     ${ingest.sources[0]?.new} dossiers in ${importS.toFixed(1)} s = ${(n / importS).toFixed(0)} dossiers/s`);
      const ctx = { calendar: createCalendar(), catalog: null, units: null, rollup: false, pageSize: Number(values['page-size']), now: '2026-11-23T00:00:00.000Z' };
      const half = { from: '2026-01-01', to: '2026-06-30' };
      t = performance.now();
      const b06 = await buildBieu06Report(ledger, half, 'unit', ctx);
      const b06S = (performance.now() - t) / 1000;
      console.log(`Biểu 06    ${b06.examined} dossiers read, ${b06.totals.received.total} counted, ${b06.rows.length} units, ${b06.warnings.length} warnings, in ${b06S.toFixed(1)} s`);
      t = performance.now();
      const ind = await buildIndicatorReport(ledger, half, ctx, { synced: false });
      const indS = (performance.now() - t) / 1000;
      console.log(`766        ${ind.units.length} units in ${indS.toFixed(1)} s`);
      console.log(`total      ${(importS + b06S).toFixed(1)} s (import + Biểu 06); peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
    } finally {
      await ledger.close();
    }
  } finally {
    clearInterval(sampler);
    await rm(dir, { recursive: true, force: true });
  }
}
