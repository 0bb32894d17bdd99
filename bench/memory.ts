/**
 * Memory flat in N (issue #13 goal 4): peak resident memory of ingest, push, report (Biểu 06 + 766)
 * and reconcile, each phase sampled on its own, at N/10 and at N dossiers. Each size runs in a
 * child process of its own (a peak is never inherited from the other size), per database; prints
 * both sizes side by side with the growth.
 *   npm run bench -- memory [--n 100000] [--small N/10] [--db pglite|postgres|both]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config.ts';
import { openLedger } from '../src/ledger/db.ts';
import { runSync } from '../src/pipeline/sync.ts';
import { reconcile } from '../src/reconcile/run.ts';
import { buildBieu06Report } from '../src/reports/bieu06-report.ts';
import { buildIndicatorReport } from '../src/reports/indicators-report.ts';
import { createCalendar } from '../src/rules/index.ts';
import { startPortalSim } from '../src/portal-sim/index.ts';
import { databaseKinds, mib, openBenchDatabase, rssSampler, writeExports } from './common.ts';

const PHASES = ['ingest', 'push', 'report', 'reconcile'] as const;
type Peaks = Record<(typeof PHASES)[number], number>;
const PERIOD = { from: '2026-08-01', to: '2026-08-31' };

/** One size in this process: prints one JSON line `{"peaks": {...}}` (bytes) on stdout. */
export async function child(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string' }, kind: { type: 'string' } } });
  const n = Number(values.n);
  const kind = values.kind === 'PostgreSQL' ? 'PostgreSQL' : 'PGlite';
  const dir = await mkdtemp(join(tmpdir(), 'lt-bench-mem-'));
  const sim = await startPortalSim({ port: 0, username: 'lienthong', password: 'bench' });
  const db = await openBenchDatabase(kind, dir, 'mem');
  try {
    const exportsDir = await writeExports(dir, { count: n, seed: 21, start: '2026-08-01T01:00:00.000Z', spanDays: 30 });
    const config = parseConfig({
      database: db.url,
      sources: [{ id: 'bench', adapter: 'dvcqg-file', options: { path: exportsDir }, pageSize: 2000 }],
      targets: [
        {
          id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'BENCH_PASSWORD', concurrency: 8, ratePerSecond: 1_000_000, timeoutMs: 30_000,
          reporting: { baseUrl: sim.url, rootDepartmentId: '019d2be3-6a88-732b-8b17-b68020c8553a', pageSize: 100 },
        },
      ],
      sync: { deadlineMs: 3_600_000, leaseMs: 600_000 },
      evidence: { keyFile: join(dir, 'key.pem') },
    });
    const env = { BENCH_PASSWORD: 'bench' };
    const ledger = await openLedger(db.url);
    const rss = rssSampler();
    const peaks = {} as Peaks;
    try {
      rss.phase();
      await runSync(ledger, config, { env, push: false });
      peaks.ingest = rss.phase();
      await runSync(ledger, config, { env, pull: false });
      peaks.push = rss.phase();
      const ctx = { calendar: createCalendar(), catalog: null, units: null, rollup: false, pageSize: 2000, now: '2026-09-05T00:00:00.000Z' };
      await buildBieu06Report(ledger, PERIOD, 'unit', ctx);
      await buildIndicatorReport(ledger, PERIOD, ctx, { synced: false });
      peaks.report = rss.phase();
      await reconcile(ledger, config, { targetId: 'national', ...PERIOD, env });
      peaks.reconcile = rss.phase();
    } finally {
      rss.stop();
      await ledger.close();
    }
    process.stdout.write(JSON.stringify({ peaks, maxRss: process.resourceUsage().maxRSS * 1024 }) + '\n');
  } finally {
    await sim.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

function runChild(n: number, kind: string): Promise<{ peaks: Peaks; maxRss: number }> {
  const proc = spawn(process.execPath, [resolve('src/cli/run-ts.mjs'), resolve('bench/index.ts'), 'memory-child', '--n', String(n), '--kind', kind], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out = (out + d).slice(-65_536)));
  return new Promise((res, rej) =>
    proc.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) return rej(new Error(`bench memory: the child for N=${n} on ${kind} exited with ${code}`));
      res(JSON.parse(line) as { peaks: Peaks; maxRss: number });
    }),
  );
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string', default: '100000' }, small: { type: 'string' }, db: { type: 'string' } } });
  const big = Number(values.n);
  const small = Number(values.small ?? Math.max(1, Math.round(big / 10)));
  for (const kind of databaseKinds(values.db)) {
    const a = await runChild(small, kind);
    const b = await runChild(big, kind);
    console.log(`lienthong bench memory (${kind}): peak RSS per phase at ${small} and ${big} dossiers (each size in its own process)`);
    console.log(`  phase      ${String(small).padStart(9)}  ${String(big).padStart(9)}  growth`);
    for (const p of PHASES) console.log(`  ${p.padEnd(9)}  ${mib(a.peaks[p]).padStart(9)}  ${mib(b.peaks[p]).padStart(9)}  ${(((b.peaks[p] - a.peaks[p]) / a.peaks[p]) * 100).toFixed(0).padStart(5)} %`);
    console.log(`  process maxRSS ${mib(a.maxRss)} → ${mib(b.maxRss)} (${(((b.maxRss - a.maxRss) / a.maxRss) * 100).toFixed(0)} %)`);
  }
  console.log('goal (issue #13): PostgreSQL < 300 MiB and within 10 % between 100k and 1M; PGlite: a WASM floor, no growth with N');
}
