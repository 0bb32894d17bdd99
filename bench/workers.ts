/**
 * Scale-out throughput: push throughput with 1, 2 and 4 `lienthong worker` processes on one
 * PostgreSQL against the portal simulator with a realistic latency, within a portal rate limit
 * that the workers share (each gets 1/N of it: `ratePerSecond` is per process). Prints calls per
 * second and the fraction of the limit reached. Needs DATABASE_URL (a PostgreSQL server; one
 * scratch database is created and dropped per step).
 *   npm run bench -- workers --n 300 --latency 150 --limit 40 --concurrency 2 --workers 1,2,4
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { parseConfig } from '../src/config.ts';
import { generateDossiers } from '../src/demo/generate.ts';
import { openLedger } from '../src/ledger/db.ts';
import { runSync } from '../src/pipeline/sync.ts';
import { createScratchDatabase } from '../test/support/postgres.ts';
import { startPortalSim } from '../src/portal-sim/index.ts';

const BIN = resolve('src/cli/bin.mjs');


function worker(configPath: string, env: NodeJS.ProcessEnv): Promise<number | null> {
  const child = spawn(process.execPath, [BIN, 'worker', '--config', configPath, '--until-idle', '--poll-ms', '50'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  return new Promise((res) => child.on('exit', res));
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string', default: '300' },
      latency: { type: 'string', default: '150' },
      limit: { type: 'string', default: '40' },
      concurrency: { type: 'string', default: '2' },
      workers: { type: 'string', default: '1,2,4' },
    },
  });
  const base = process.env['DATABASE_URL'];
  if (!base) {
    console.error('bench workers needs PostgreSQL: set DATABASE_URL (several worker processes cannot share the embedded PGlite)');
    process.exitCode = 1;
    return;
  }
  const n = Number(values.n);
  const latencyMs = Number(values.latency);
  const limit = Number(values.limit);
  const concurrency = Number(values.concurrency);
  const steps = values.workers.split(',').map(Number);
  console.log(`lienthong bench workers: ${n} dossiers, portal latency ${latencyMs} ms, limit ${limit} calls/s shared by the workers, concurrency ${concurrency} per worker`);
  console.log('workers  calls  seconds  calls/s  dossiers/s  of limit  double pushes');
  const dir = await mkdtemp(join(tmpdir(), 'lt-bench-workers-'));
  try {
    await mkdir(join(dir, 'exports'));
    await writeFile(join(dir, 'exports', 'all.ndjson'), [...generateDossiers({ count: n, seed: 3 })].map((r) => JSON.stringify(r)).join('\n') + '\n');
    for (const k of steps) {
      const db = await createScratchDatabase(base);
      const sim = await startPortalSim({ port: 0, faults: { latencyMs }, username: 'lienthong', password: 'bench' });
      try {
        const raw = {
          database: db.url,
          sources: [{ id: 'bench', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') } }],
          targets: [{ id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'BENCH_PASSWORD', concurrency, ratePerSecond: limit / k, timeoutMs: 30_000 }],
          sync: { deadlineMs: 3_600_000, leaseMs: 600_000 },
        };
        const configPath = join(dir, `config-${k}.json`);
        await writeFile(configPath, JSON.stringify(raw));
        const ledger = await openLedger(db.url);
        try {
          await runSync(ledger, parseConfig(raw), { env: {}, push: false });
          const env = { ...process.env, DATABASE_URL: db.url, BENCH_PASSWORD: 'bench' };
          const codes = await Promise.all(Array.from({ length: k }, () => worker(configPath, env)));
          if (codes.some((c) => c !== 0)) throw new Error(`a worker exited with ${codes.join(', ')}`);
          // From the first to the last recorded exchange: process start-up is not the portal's time.
          const [r] = await ledger.rows<{ calls: number; seconds: number }>(sql`select count(*)::int as calls,
            extract(epoch from max(created_at) - min(created_at))::float8 as seconds from receipts`);
          const calls = r?.calls ?? 0;
          const seconds = r?.seconds ?? 0;
          const double = [...sim.dossiers()].filter((d) => d.pushes !== 1).length;
          console.log(
            `${String(k).padStart(7)}  ${String(calls).padStart(5)}  ${seconds.toFixed(1).padStart(7)}  ${(calls / seconds).toFixed(1).padStart(7)}  ${(n / seconds).toFixed(1).padStart(10)}  ${((calls / seconds / limit) * 100).toFixed(0).padStart(7)}%  ${String(double).padStart(13)}`,
          );
        } finally {
          await ledger.close();
        }
      } finally {
        await sim.close();
        await db.drop();
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
