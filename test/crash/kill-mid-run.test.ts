/**
 * A real child process runs `lienthong sync` and is killed with SIGKILL in the middle of its work;
 * the next run must finish everything, and re-send only what had no recorded acknowledgement.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDossiers } from '../../src/demo/generate.ts';
import { openLedger } from '../../src/ledger/db.ts';
import { startPortalSim, type PortalSim } from '../../src/portal-sim/index.ts';
import { createPostgresDatabase } from '../support/ledger.ts';

const BIN = resolve('src/cli/bin.mjs');
let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

function runCli(args: string[], env: Record<string, string | undefined>): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
  const child = spawn(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += d));
  child.stderr?.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((res) =>
    child.on('exit', (code, signal) => res({ code, signal, stdout, stderr })),
  );
  return { child, done };
}

async function waitFor(pred: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function setup(count: number, latencyMs: number) {
  const dir = await mkdtemp(join(tmpdir(), 'lt-crash-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'exports'));
  const records = [...generateDossiers({ count, seed: 99 })];
  await writeFile(join(dir, 'exports', 'all.ndjson'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const sim: PortalSim = await startPortalSim({ port: 0, faults: { latencyMs }, username: 'lienthong', password: 'pw' });
  cleanup.push(() => sim.close());
  const pg = await createPostgresDatabase();
  if (pg) cleanup.push(() => pg.drop());
  const database = pg ? pg.url : `pglite:${join(dir, 'db')}`;
  const config = {
    database,
    sources: [{ id: 'local', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') }, pageSize: 25 }],
    targets: [
      { id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD', concurrency: 4, ratePerSecond: 1000, timeoutMs: 5000, retry: { maxAttempts: 5, minDelayMs: 20, maxDelayMs: 100 } },
    ],
    sync: { deadlineMs: 120_000, leaseMs: 60_000 },
  };
  const configPath = join(dir, 'lienthong.config.json');
  await writeFile(configPath, JSON.stringify(config));
  const env: Record<string, string | undefined> = { ...process.env, NATIONAL_PASSWORD: 'pw', DATABASE_URL: pg?.url };
  if (!pg) delete env.DATABASE_URL;
  return { dir, records, sim, database, configPath, env };
}

describe('crash safety (kill -9)', () => {
  it('finishes the work after a kill in the middle of delivery, re-sending only unacknowledged dossiers', async () => {
    const { records, sim, database, configPath, env } = await setup(240, 15);
    const first = runCli(['sync', '--config', configPath, '--json'], env);
    await waitFor(() => sim.stats().dossiers >= 40, 60_000);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(sim.stats().dossiers).toBeLessThan(records.length);

    const ledger = await openLedger(database);
    const acked = new Set(
      (await ledger.rows<{ code: string }>(sql`select d.code from deliveries q join dossiers d on d.id = q.dossier_id where q.dossier_acked_version is not null`)).map((r) => r.code),
    );
    await ledger.close();
    expect(acked.size).toBeGreaterThan(0);

    const second = runCli(['sync', '--config', configPath, '--json'], env);
    const result = await second.done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as { targets: { delivered: number; pending: number; dead: number }[] };
    expect(summary.targets[0]).toMatchObject({ pending: 0, dead: 0 });

    expect(sim.stats().dossiers).toBe(records.length);
    for (const r of records) {
      const held = sim.dossier(r.MaHoSo)!;
      expect(held.pushes, r.MaHoSo).toBeLessThanOrEqual(2);
      if (acked.has(r.MaHoSo)) expect(held.pushes, `${r.MaHoSo} was acknowledged before the kill`).toBe(1);
      expect(held.progress).toHaveLength(r.QuaTrinhXuLy!.length);
    }
  });

  // Two CLI runs of 600 dossiers each starting tsx: more than the default minute on a busy machine.
  it('loses nothing when killed in the middle of pulling: the cursor resumes after the last stored page', { timeout: 240_000 }, async () => {
    const { dir, records, sim, database, configPath, env } = await setup(600, 0);
    // The local system's REST API, 24 pages of 25: the first run's request for page 6 is never
    // answered, so the child is provably in the middle of its pull when it is killed.
    const HELD_PAGE = 6;
    const api = await startPagedApi(records, 25, HELD_PAGE);
    cleanup.push(() => api.close());
    const config = JSON.parse(await readFile(configPath, 'utf8')) as { sources: unknown[] };
    config.sources = [{ id: 'local', adapter: 'rest-json', pageSize: 25, options: { baseUrl: api.url, path: 'hoso', recordsPath: 'data', mapping: 'portal', paging: { type: 'page', size: 25 } } }];
    const restConfig = join(dir, 'rest.config.json');
    await writeFile(restConfig, JSON.stringify(config));

    const first = runCli(['sync', '--config', restConfig, '--no-push'], env);
    await Promise.race([api.held, first.done.then((r) => Promise.reject(new Error(`the first run ended before its pull was held: ${r.stderr}`)))]);
    expect(first.child.exitCode).toBeNull();
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    // Some pages were stored before the kill, not all: it was killed mid-pull.
    const storedAtKill = await countDossiers(database);
    expect(storedAtKill).toBeGreaterThan(0);
    expect(storedAtKill).toBeLessThan(records.length);
    expect(storedAtKill).toBeLessThanOrEqual((HELD_PAGE - 1) * 25);

    api.release();
    const second = runCli(['sync', '--config', restConfig, '--json'], env);
    const result = await second.done;
    expect(result.code, result.stderr).toBe(0);
    expect(await countDossiers(database)).toBe(records.length);
    expect(sim.stats().dossiers).toBe(records.length);
  });
});

/**
 * A paged JSON API (`?page=N&size=S`, `{ data: [...] }`) that holds the request for `holdPage`
 * unanswered (resolving `held`) until `release()`; answers every page normally after that.
 */
async function startPagedApi(records: unknown[], size: number, holdPage: number) {
  let releaseHeld = false;
  let onHeld: () => void = () => {};
  const held = new Promise<void>((r) => (onHeld = r));
  const hanging = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const page = Number(url.searchParams.get('page') ?? '1');
    if (page === holdPage && !releaseHeld) {
      hanging.add(res);
      onHeld();
      return;
    }
    const data = records.slice((page - 1) * size, page * size);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held,
    release: () => {
      releaseHeld = true;
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
    close: () =>
      new Promise<void>((r) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Counts stored dossiers (on PGlite only once no other process has the folder open). */
async function countDossiers(database: string): Promise<number> {
  const ledger = await openLedger(database, { migrate: false });
  try {
    const [r] = await ledger.rows<{ n: number }>(sql`select count(*)::int as n from dossiers`);
    return r?.n ?? 0;
  } finally {
    await ledger.close();
  }
}
