/**
 * Filling the portal's rate budget (issue #13 goal 2): N dossiers pushed to a portal answering in
 * `--latency` ms with `ratePerSecond: --rate` and the target's default concurrency (adaptive), after
 * the baseline of a fixed pool of that concurrency in the same run. Every call is time-stamped
 * where it arrives at the simulator; prints calls/s achieved, the share of the budget, and the most
 * calls in any 1-second window (must never exceed the budget).
 *   npm run bench -- rate-fill [--n 400] [--latency 150] [--rate 40] [--db pglite|postgres|both]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseConfig } from '../src/config.ts';
import { openLedger } from '../src/ledger/db.ts';
import { runSync } from '../src/pipeline/sync.ts';
import { databaseKinds, maxInWindow, openBenchDatabase, startStampedSim, writeExports } from './common.ts';

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string', default: '400' }, latency: { type: 'string', default: '150' }, rate: { type: 'string', default: '40' }, db: { type: 'string' } } });
  const n = Number(values.n);
  const latencyMs = Number(values.latency);
  const rate = Number(values.rate);
  const kinds = databaseKinds(values.db);
  const dir = await mkdtemp(join(tmpdir(), 'lt-bench-rate-'));
  try {
    const exportsDir = await writeExports(dir, { count: n, seed: 5, spanDays: 90 });
    for (const kind of kinds) {
      // The baseline first: a fixed pool of the default concurrency (maxConcurrency = concurrency), as before the adaptive pool.
      for (const variant of ['fixed', 'adaptive'] as const) {
        const db = await openBenchDatabase(kind, dir, `rate-${variant}`);
        const sim = await startStampedSim({ faults: { latencyMs }, username: 'lienthong', password: 'bench' });
        try {
          // No concurrency given: the target's default, as a province would configure it.
          const config = parseConfig({
            database: db.url,
            sources: [{ id: 'bench', adapter: 'dvcqg-file', options: { path: exportsDir }, pageSize: 1000 }],
            targets: [{ id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'BENCH_PASSWORD', ratePerSecond: rate, timeoutMs: 30_000, ...(variant === 'fixed' ? { maxConcurrency: 4 } : {}) }],
            sync: { deadlineMs: 3_600_000, leaseMs: 600_000 },
          });
          const ledger = await openLedger(db.url);
          try {
            await runSync(ledger, config, { env: {}, push: false });
            const summary = await runSync(ledger, config, { env: { BENCH_PASSWORD: 'bench' }, pull: false });
            const t = sim.serviceArrivals();
            const seconds = t.length > 1 ? (t.at(-1)! - t[0]!) / 1000 : NaN;
            const perS = (t.length - 1) / seconds;
            const target = config.targets[0]!;
            const pool = variant === 'fixed' ? `fixed concurrency ${target.concurrency} (baseline)` : `adaptive concurrency from ${target.concurrency} (default) up to ${target.maxConcurrency}`;
            console.log(`lienthong bench rate-fill (${kind}, ${pool}): ${n} dossiers, portal latency ${latencyMs} ms, budget ${rate} calls/s`);
            console.log(`  ${t.length} service calls in ${seconds.toFixed(1)} s = ${perS.toFixed(1)} calls/s = ${((perS / rate) * 100).toFixed(0)} % of the budget; max ${maxInWindow(t)} calls in any 1 s (budget ${rate}); ${summary.targets[0]?.delivered} delivered`);
          } finally {
            await ledger.close();
          }
        } finally {
          await sim.close();
          await db.drop();
        }
      }
    }
    console.log(`goal (issue #13): ≥ ${(rate * 0.9).toFixed(0)} calls/s and no 1-second window above ${rate}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
