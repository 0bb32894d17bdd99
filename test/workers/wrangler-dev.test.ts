/**
 * The Worker on a local workerd (`wrangler dev --local`, offline): `/healthz`, `/readyz` through
 * Hyperdrive's local connection string, the scheduled handler (`/__scheduled`), and the
 * `wrangler deploy --dry-run` build (which refuses Node-only modules). Stopped with SIGINT to
 * its own node process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { generateDossiers } from '../../src/demo/generate.ts';
import { signPayload } from '../../src/intake/signature.ts';
import { openLedger } from '../../src/ledger/db.ts';
import { createPostgresDatabase } from '../support/ledger.ts';

const ROOT = join(import.meta.dirname, '../..');
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const OFFLINE = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', NO_COLOR: '1', CI: 'true' };
const PUSH_SECRET = 'workers-test-secret';
const CONFIG = {
  sources: [
    { id: 'files', adapter: 'dvcqg-file', options: { path: '/nowhere' } },
    { id: 'pushes', adapter: 'webhook', options: { mapping: 'portal' }, webhookSecretEnv: 'PUSHES_SECRET' },
  ],
  targets: [],
};

/** A local one-stop system with a REST/JSON API (portal-format records), pulled by the Worker. */
const PULLED = [...generateDossiers({ count: 3, seed: 505 })];
let localSystem: Server | undefined;

let child: ChildProcess | undefined;
let output = '';
let base = '';
let database: Awaited<ReturnType<typeof createPostgresDatabase>> = null;

/** Hyperdrive wants a password in the URL; a server with trust authentication ignores it. */
function withPassword(url: string): string {
  const u = new URL(url);
  if (!u.password) u.password = 'unused';
  return u.toString();
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitForReady(deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child?.exitCode !== null) throw new Error(`wrangler dev exited (${child?.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer /healthz in time:\n${output}`);
}

beforeAll(async () => {
  database = await createPostgresDatabase();
  // The Worker never migrates: as in a deployment, the tables are created from Node first.
  if (database) await (await openLedger(database.url)).close();
  const config: { sources: Record<string, unknown>[]; targets: unknown[] } = { ...CONFIG, sources: [...CONFIG.sources] };
  if (database) {
    // Only with PostgreSQL: a runnable source makes `scheduled` write to the database.
    localSystem = createHttpServer((req, res) => {
      res.writeHead(req.url?.startsWith('/hoso') ? 200 : 404, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url?.startsWith('/hoso') ? PULLED : { error: 'not found' }));
    });
    await new Promise<void>((resolve) => localSystem?.listen(0, '127.0.0.1', resolve));
    const { port: systemPort } = localSystem.address() as { port: number };
    config.sources.push({ id: 'motcua', adapter: 'rest-json', options: { baseUrl: `http://127.0.0.1:${systemPort}`, path: 'hoso', retry: { maxAttempts: 1, minDelayMs: 10, maxDelayMs: 10 } } });
  }
  const [port, inspector] = [await freePort(), await freePort()];
  base = `http://127.0.0.1:${port}`;
  const args = [WRANGLER, 'dev', '--local', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector), '--test-scheduled', '--show-interactive-dev-session=false', '--var', `LIENTHONG_CONFIG:${JSON.stringify(config)}`, '--var', `PUSHES_SECRET:${PUSH_SECRET}`];
  child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...OFFLINE,
      // No PostgreSQL in this run: a port nothing listens on (no test queries the database then).
      CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE: withPassword(database?.url ?? 'postgres://postgres@127.0.0.1:9/none'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  await waitForReady(Date.now() + 90_000);
}, 120_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGINT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  await new Promise((resolve) => (localSystem ? localSystem.close(resolve) : resolve(undefined)));
  await database?.drop();
});

it('answers /healthz on the Workers runtime without configuration or database', async () => {
  const res = await fetch(`${base}/healthz`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ status: 'ok', runtime: 'workers' });
});

it('serves the HTTP API app: its OpenAPI document, API keys required, /readyz through Hyperdrive', async () => {
  const doc = await fetch(`${base}/openapi.json`);
  expect(doc.status).toBe(200);
  expect(((await doc.json()) as { paths: Record<string, unknown> }).paths).toHaveProperty('/ingest/{sourceId}');
  const api = await fetch(`${base}/api/v1/runs`);
  expect(api.status).toBe(401);
  expect(((await api.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  if (database) {
    // Only with PostgreSQL: wrangler's local Hyperdrive proxy exits when it cannot connect at all.
    const ready = await fetch(`${base}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'postgres' });
  }
});

it('serves the webhook intake: refuses an unsigned push, stores a signed one through Hyperdrive', async () => {
  const [record] = [...generateDossiers({ count: 1, seed: 404 })];
  const body = JSON.stringify(record);
  const unsigned = await fetch(`${base}/ingest/pushes`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  expect(unsigned.status).toBe(401);
  expect(((await unsigned.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
  if (!database) return;
  const ts = Math.floor(Date.now() / 1000);
  const headers = { 'content-type': 'application/json', 'x-lienthong-timestamp': String(ts), 'x-lienthong-signature': await signPayload(PUSH_SECRET, ts, body) };
  const res = await fetch(`${base}/ingest/pushes`, { method: 'POST', body, headers });
  expect(await res.json()).toMatchObject({ sourceId: 'pushes', received: 1, new: 1, quarantined: 0 });
  const ledger = await openLedger(database.url, { migrate: false, maxConnections: 1 });
  try {
    const rows = await ledger.rows<{ source_id: string }>(sql`select source_id from dossiers where code = ${record?.MaHoSo ?? ''}`);
    expect(rows).toEqual([{ source_id: 'pushes' }]);
  } finally {
    await ledger.close();
  }
});

it('runs the scheduled handler: file-based and push-only sources skipped, HTTP ones pulled through the Queue', async () => {
  const res = await fetch(`${base}/__scheduled?cron=${encodeURIComponent('0 18 * * *')}`);
  expect(res.status).toBe(200);
  await expect.poll(() => output, { timeout: 10_000 }).toContain(`scheduled sync started for ${database ? 1 : 0} source(s)`);
  expect(output).toContain('scheduled sync skips source files');
  expect(output).toContain('scheduled sync skips source pushes');
  if (!database) return;
  // The Queue consumer (same Worker) pulls the source and finishes the run.
  const ledger = await openLedger(database.url, { migrate: false, maxConnections: 1 });
  try {
    const finished = async () =>
      (await ledger.rows<{ status: string; summary: unknown }>(sql`select status, summary from runs where host = 'workers' and finished_at is not null`))[0];
    await expect.poll(finished, { timeout: 30_000, interval: 500 }).toBeTruthy();
    const run = await finished();
    const summary = (typeof run?.summary === 'string' ? JSON.parse(run.summary) : run?.summary) as { sources: { id: string; pulled: number; new: number }[] };
    expect(summary.sources).toEqual([expect.objectContaining({ id: 'motcua', pulled: 3, new: 3 })]);
    expect(run?.status).toBe('ok');
    const codes = await ledger.rows<{ code: string }>(sql`select code from dossiers where source_id = 'motcua' order by code`);
    expect(codes.map((c) => c.code)).toEqual(PULLED.map((r) => r.MaHoSo).sort());
  } finally {
    await ledger.close();
  }
});

it('builds for deployment without any Node-only module (wrangler deploy --dry-run)', async () => {
  const out = await mkdtemp(join(tmpdir(), 'lt-wrangler-out-'));
  try {
    const result = await new Promise<{ code: number | null; text: string }>((resolve) => {
      let text = '';
      const p = spawn(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', out], { cwd: ROOT, env: { ...process.env, ...OFFLINE }, stdio: ['ignore', 'pipe', 'pipe'] });
      p.stdout.on('data', (d: Buffer) => (text += d.toString()));
      p.stderr.on('data', (d: Buffer) => (text += d.toString()));
      p.on('exit', (code) => resolve({ code, text }));
    });
    expect(result.text).toContain('no Node-only module');
    expect(result.code, result.text).toBe(0);
    expect(result.text).toContain('--dry-run: exiting now.');
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}, 120_000);
