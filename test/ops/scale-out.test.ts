/**
 * Scale-out: three `lienthong worker` processes on one PostgreSQL drain the outbox together, with
 * no double delivery (the simulator counts pushes per dossier) and no starvation of a small source
 * behind a large backlog. On the embedded PGlite, `worker` must refuse to start, saying why.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { generateDossiers } from '../../src/demo/generate.ts';
import { openLedger } from '../../src/ledger/db.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startPortalSim } from '../../src/portal-sim/index.ts';
import { createPostgresDatabase } from '../support/ledger.ts';

const BIN = resolve('src/cli/bin.mjs');
let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

function runCli(args: string[], env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [BIN, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((res) => child.on('exit', (code) => res({ code, stdout, stderr })));
}

async function writeSetup(database: string, simUrl: string, counts: Record<string, number>) {
  const dir = await mkdtemp(join(tmpdir(), 'lt-scale-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const records: Record<string, string[]> = {};
  let seed = 1;
  for (const [id, n] of Object.entries(counts)) {
    await mkdir(join(dir, id));
    // Distinct codes across sources: the sequence number carries the source's index.
    const k = seed++;
    const recs = [...generateDossiers({ count: n, seed: k })].map((r, i) => {
      const code = r.MaHoSo.replace(/-\d{4}$/, `-${k}${String(i).padStart(3, '0')}`);
      return JSON.parse(JSON.stringify(r).replaceAll(r.MaHoSo, code)) as typeof r; // progress items name it too
    });
    records[id] = recs.map((r) => r.MaHoSo);
    await writeFile(join(dir, id, 'all.ndjson'), recs.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }
  const raw = {
    database,
    sources: Object.keys(counts).map((id) => ({ id, adapter: 'dvcqg-file', options: { path: join(dir, id) } })),
    targets: [{ id: 'national', style: 'session', baseUrl: simUrl, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD', concurrency: 2, maxConcurrency: 2, ratePerSecond: 1000, timeoutMs: 5000, retry: { maxAttempts: 5, minDelayMs: 20, maxDelayMs: 100 } }],
    sync: { deadlineMs: 120_000, leaseMs: 30_000 },
  };
  const configPath = join(dir, 'lienthong.config.json');
  await writeFile(configPath, JSON.stringify(raw));
  return { dir, configPath, config: parseConfig(raw), records };
}

describe('lienthong worker', () => {
  it('refuses to start on the embedded database with a clear message (PGlite), or three workers drain the outbox together (PostgreSQL)', async () => {
    const sim = await startPortalSim({ port: 0, faults: { latencyMs: 5 }, username: 'lienthong', password: 'pw' });
    cleanup.push(() => sim.close());
    const pg = await createPostgresDatabase();
    if (pg) cleanup.push(() => pg.drop());
    const env: Record<string, string | undefined> = { ...process.env, NATIONAL_PASSWORD: 'pw', DATABASE_URL: pg?.url };
    if (!pg) {
      delete env['DATABASE_URL'];
      const { configPath, dir } = await writeSetup('pglite:PLACEHOLDER', sim.url, { local: 1 });
      await writeFile(configPath, (await import('node:fs/promises').then((fs) => fs.readFile(configPath, 'utf8'))).replace('pglite:PLACEHOLDER', `pglite:${join(dir, 'db')}`));
      const res = await runCli(['worker', '--config', configPath], env);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/lienthong worker needs PostgreSQL/);
      expect(res.stderr).toMatch(/DATABASE_URL/);
      return;
    }

    const { configPath, config, records } = await writeSetup(pg.url, sim.url, { big: 150, small: 15 });
    const ledger = await openLedger(pg.url);
    cleanup.push(() => ledger.close());
    // The big source is ingested first: its deliveries are older than every one of the small source.
    await runSync(ledger, config, { env: {}, sourceIds: ['big'], push: false });
    await runSync(ledger, config, { env: {}, sourceIds: ['small'], push: false });

    const workers = await Promise.all([0, 1, 2].map(() => runCli(['worker', '--config', configPath, '--until-idle', '--poll-ms', '50'], env)));
    for (const w of workers) expect(w.code, w.stderr).toBe(0);

    const all = [...records['big']!, ...records['small']!];
    const pushes = all.map((code) => sim.dossier(code)?.pushes ?? 0);
    expect(pushes.filter((n) => n !== 1)).toEqual([]);
    const [counts] = await ledger.rows<{ delivered: number; other: number }>(sql`select count(*) filter (where status = 'delivered')::int as delivered,
      count(*) filter (where status <> 'delivered')::int as other from deliveries`);
    expect(counts).toEqual({ delivered: 165, other: 0 });

    // Each worker logs what it delivered: the work was shared.
    const deliveredBy = workers.map((w) =>
      w.stdout.split('\n').filter((l) => l.includes('"msg":"delivered"')).reduce((a, l) => a + (JSON.parse(l) as { targets: { delivered: number }[] }).targets.reduce((x, t) => x + t.delivered, 0), 0),
    );
    expect(deliveredBy.reduce((a, b) => a + b, 0)).toBe(165);
    expect(deliveredBy.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);

    // No starvation: the small source's dossiers went out early, not after the big backlog. The pool
    // stays at two senders a worker here so that the order of receipts follows the order of claims
    // (a growing pool's new senders overtake the tail of the first claims); claims of one delivery
    // each, as a grown pool makes them, are taken in turn too (test/spine/claim-fairness.test.ts).
    const order = await ledger.rows<{ source_id: string }>(sql`select d.source_id from receipts r join dossiers d on d.id = r.dossier_id
      where r.service = 'DongBoHoSoMC' and r.outcome = 'ok' order by r.id`);
    const lastSmall = order.map((r) => r.source_id).lastIndexOf('small');
    expect(order).toHaveLength(165);
    expect(lastSmall / order.length).toBeLessThan(0.4);
  }, 180_000);
});
