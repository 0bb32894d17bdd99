/**
 * Helpers shared by the benchmarks of issue #13/#14 (push-ratio, rate-fill, evidence, month,
 * memory): which databases to run on, an export folder of generated dossiers, a peak-RSS sampler,
 * and a portal simulator whose every call is time-stamped where it arrives.
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { generateDossiers, type GenerateOptions } from '../src/demo/generate.ts';
import { resolveDatabaseUrl } from '../src/ledger/db.ts';
import { createPortalSimApp, type PortalSimControl, type PortalSimOptions } from '../src/portal-sim/index.ts';
import { createScratchDatabase } from '../test/support/postgres.ts';

export interface BenchDatabase {
  label: 'PGlite' | 'PostgreSQL';
  url: string;
  drop(): Promise<void>;
}

/**
 * `--db pglite|postgres|both|postgres://…` (default: PGlite, plus PostgreSQL when DATABASE_URL is set).
 * PGlite lives on disk under `dir`; PostgreSQL gets a scratch database next to DATABASE_URL, dropped after.
 */
export function databaseKinds(flag: string | undefined): Array<'PGlite' | 'PostgreSQL'> {
  // `--db postgres://…` names the server itself (and means both databases).
  if (flag && /^postgres(ql)?:\/\//.test(flag)) {
    process.env['DATABASE_URL'] = flag;
    flag = 'both';
  }
  const pg = process.env['DATABASE_URL'];
  const wanted = flag ?? (pg ? 'both' : 'pglite');
  if (!['pglite', 'postgres', 'both'].includes(wanted)) throw new Error(`--db: "${wanted}" is not pglite, postgres or both`);
  if (wanted !== 'pglite' && !pg) throw new Error('--db postgres needs DATABASE_URL (a PostgreSQL server to create a scratch database on)');
  return wanted === 'both' ? ['PostgreSQL', 'PGlite'] : wanted === 'postgres' ? ['PostgreSQL'] : ['PGlite'];
}

export async function openBenchDatabase(kind: 'PGlite' | 'PostgreSQL', dir: string, name: string): Promise<BenchDatabase> {
  if (kind === 'PGlite') return { label: 'PGlite', url: resolveDatabaseUrl(`pglite:${join(dir, `db-${name}`)}`, {}), drop: async () => {} };
  const db = await createScratchDatabase(process.env['DATABASE_URL']!, 'lt_bench');
  return { label: 'PostgreSQL', url: db.url, drop: db.drop };
}

/** Writes `count` generated dossiers as one NDJSON file under `<dir>/exports`; returns the folder. */
export async function writeExports(dir: string, gen: GenerateOptions, folder = 'exports'): Promise<string> {
  const exportsDir = join(dir, folder);
  await mkdir(exportsDir, { recursive: true });
  const out = createWriteStream(join(exportsDir, 'bench.ndjson'));
  for (const d of generateDossiers(gen)) {
    if (!out.write(JSON.stringify(d) + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return exportsDir;
}

/** Samples the resident set every 50 ms; `phase()` starts a new phase and returns the peak of the one before. */
export function rssSampler(): { phase(): number; peak(): number; stop(): void } {
  let overall = process.memoryUsage().rss;
  let current = overall;
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    overall = Math.max(overall, rss);
    current = Math.max(current, rss);
  }, 50);
  return {
    phase() {
      const rss = process.memoryUsage().rss;
      const p = Math.max(current, rss);
      overall = Math.max(overall, rss);
      current = rss;
      return p;
    },
    peak: () => Math.max(overall, process.memoryUsage().rss),
    stop: () => clearInterval(timer),
  };
}

export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export interface StampedSim extends PortalSimControl {
  url: string;
  /** performance.now() of every call that reached the simulator (login and service calls), in arrival order. */
  arrivals: number[];
  /** Arrival times of the calls whose path is not the login path. */
  serviceArrivals(): number[];
  close(): Promise<void>;
}

/** The portal simulator on loopback, each request time-stamped as it arrives (before any simulated latency). */
export async function startStampedSim(opts: PortalSimOptions): Promise<StampedSim> {
  const { app, control } = createPortalSimApp(opts);
  const arrivals: number[] = [];
  const paths: string[] = [];
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      {
        fetch: (req: Request, env: unknown) => {
          arrivals.push(performance.now());
          paths.push(new URL(req.url).pathname);
          return app.fetch(req, env as never);
        },
        port: 0,
        hostname: '127.0.0.1',
        overrideGlobalObjects: false,
      },
      () => resolve(s as Server),
    ) as Server;
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const login = opts.sessionPaths?.login ?? '/auth';
  return {
    ...control,
    url: `http://127.0.0.1:${port}`,
    arrivals,
    serviceArrivals: () => arrivals.filter((_, i) => paths[i] !== login),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The most calls in any window of `windowMs` (sorted arrival times). */
export function maxInWindow(times: number[], windowMs = 1000): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}
