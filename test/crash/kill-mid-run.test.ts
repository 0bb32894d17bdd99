/**
 * A real child process runs `lienthong sync` and is killed with SIGKILL in the middle of its work;
 * the next run must finish everything, and re-send only what had no recorded acknowledgement.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

  it('loses nothing when killed in the middle of pulling: the cursor resumes after the last stored page', async () => {
    const { records, sim, database, configPath, env } = await setup(600, 0);
    const first = runCli(['sync', '--config', configPath, '--no-push'], env);
    // Kill as soon as some pages are stored (the cursor has moved) but not all.
    // PGlite is single-process, so there the kill comes after a fixed delay instead of a peek.
    const until = Date.now() + (database.startsWith('pglite:') ? 2500 : 60_000);
    while (Date.now() < until && first.child.exitCode === null) {
      await new Promise((r) => setTimeout(r, 100));
      if (!database.startsWith('pglite:') && (await countDossiers(database).catch(() => 0)) > 0) break;
    }
    first.child.kill('SIGKILL');
    await first.done;
    const second = runCli(['sync', '--config', configPath, '--json'], env);
    const result = await second.done;
    expect(result.code, result.stderr).toBe(0);
    expect(await countDossiers(database)).toBe(records.length);
    expect(sim.stats().dossiers).toBe(records.length);
  });
});

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
