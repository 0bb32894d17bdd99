/**
 * Spine throughput: generated dossiers → NDJSON export → ledger (ingest), then ledger → portal
 * simulator on loopback (push: DongBoHoSoMC + CapNhatTienDoHoSoMC per dossier, with receipts).
 * Prints dossiers/second for each phase and the peak resident memory.
 *   npm run bench -- sync --n 100000
 */
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config.ts';
import { generateDossiers } from '../src/demo/generate.ts';
import { openLedger, resolveDatabaseUrl } from '../src/ledger/db.ts';
import { runSync } from '../src/pipeline/sync.ts';
import { startPortalSim } from '../src/portal-sim/index.ts';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string', default: '10000' }, concurrency: { type: 'string', default: '8' }, rate: { type: 'string', default: '100000' }, 'page-size': { type: 'string', default: '1000' } } });
  const n = Number(values.n);
  const dir = await mkdtemp(join(tmpdir(), 'lt-bench-'));
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  const sim = await startPortalSim({ port: 0, username: 'lienthong', password: 'bench' });
  try {
    await mkdir(join(dir, 'exports'));
    const out = createWriteStream(join(dir, 'exports', 'bench.ndjson'));
    for (const d of generateDossiers({ count: n, seed: 1, spanDays: 180 })) {
      if (!out.write(JSON.stringify(d) + '\n')) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    const config = parseConfig({
      database: `pglite:${join(dir, 'db')}`,
      sources: [{ id: 'bench', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') }, pageSize: Number(values['page-size']) }],
      targets: [{ id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'BENCH_PASSWORD', concurrency: Number(values.concurrency), ratePerSecond: Number(values.rate), timeoutMs: 30_000 }],
      sync: { deadlineMs: 3_600_000, leaseMs: 600_000 },
    });
    const url = resolveDatabaseUrl(config.database, process.env);
    const ledger = await openLedger(url);
    const env = { BENCH_PASSWORD: 'bench' };
    try {
      console.log(`lienthong bench sync: ${n} dossiers, database ${url.startsWith('pglite:') ? 'PGlite (on disk)' : 'PostgreSQL'}, concurrency ${values.concurrency}`);
      let t = performance.now();
      const ingest = await runSync(ledger, config, { env, push: false });
      const ingestS = (performance.now() - t) / 1000;
      const ingestRss = peakRss;
      console.log(`ingest  ${ingest.sources[0]?.new} new in ${ingestS.toFixed(1)} s = ${(n / ingestS).toFixed(0)} dossiers/s (peak RSS so far ${(ingestRss / 2 ** 20).toFixed(0)} MiB)`);
      t = performance.now();
      const push = await runSync(ledger, config, { env, pull: false });
      const pushS = (performance.now() - t) / 1000;
      console.log(`push    ${push.targets[0]?.delivered} delivered in ${pushS.toFixed(1)} s = ${(n / pushS).toFixed(0)} dossiers/s (${sim.stats().total} HTTP calls)`);
      t = performance.now();
      const again = await runSync(ledger, config, { env });
      const againS = (performance.now() - t) / 1000;
      console.log(`re-run  nothing changed: ${again.sources[0]?.pulled} records re-read, ${again.targets[0]?.delivered} re-sent, in ${againS.toFixed(2)} s (unchanged export files are skipped by fingerprint)`);
    } finally {
      await ledger.close();
    }
    clearInterval(sampler);
    console.log(`peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB (process maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB)`);
  } finally {
    clearInterval(sampler);
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  }
}
