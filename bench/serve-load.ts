/**
 * `lienthong serve` under load on loopback: a real `serve` process (temporary PGlite ledger, one
 * webhook source, default bounds of `server.*`) driven for `--seconds` by `--connections`
 * concurrent clients with mixed traffic — API GETs (viewer key), dashboard pages (viewer), signed
 * webhook pushes — plus the hostile requests of issue 9: a 16,000-character path, a ~400 MB form
 * POST to /dashboard/dang-nhap (streamed, chunked, stopped when the server answers; one at a
 * time), deep-nested JSON (API and signed push) and replays of a captured signed push. Prints
 * requests/s, p50/p99 latency per class, unexpected answers and socket errors, and the server's
 * RSS before/after. All traffic goes to 127.0.0.1; it stops by itself.
 *   npm run bench -- serve-load [--seconds 60] [--connections 200]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { Client, Pool, type Dispatcher } from 'undici';
import { generateDossiers } from '../src/demo/generate.ts';
import { createApiKey } from '../src/http/api-keys.ts';
import { openLedger } from '../src/ledger/db.ts';

const BIN = resolve('src/cli/bin.mjs');
const SECRET = 'bench-webhook-secret-0123456789';
const MiB = 2 ** 20;

type Klass = 'api' | 'dashboard' | 'intake' | 'hostile';
type Hostile = 'long-url' | 'big-form' | 'deep-json-api' | 'deep-json-push' | 'replay';

interface Tally {
  latencies: number[];
  errors: number;
  statuses: Map<string, number>;
}

const newTally = (): Tally => ({ latencies: [], errors: 0, statuses: new Map() });

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** Resident set size of the server process (Linux /proc), in bytes; NaN elsewhere. */
async function rssOf(pid: number): Promise<number> {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
  } catch {
    return NaN;
  }
}

const sign = (timestamp: number, body: string) => `sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${body}`).digest('hex')}`;

async function startServe(dir: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--config', join(dir, 'lienthong.config.json'), '--port', '0', '--host', '127.0.0.1', '--no-scheduler'], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const until = Date.now() + 120_000;
  for (;;) {
    const base = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1];
    if (base) return { child, base };
    if (child.exitCode !== null || Date.now() > until) throw new Error(`serve did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A JSON array nested `depth` deep: `[[[…]]]`. */
const deepArray = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: { seconds: { type: 'string', default: '60' }, connections: { type: 'string', default: '200' }, 'big-body-mb': { type: 'string', default: '400' } },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const bigBodyBytes = Number(values['big-body-mb']) * MiB;
  if (!(seconds > 0 && seconds <= 600) || !(connections >= 1 && connections <= 1000)) throw new Error('--seconds must be in (0, 600] and --connections in [1, 1000]');

  const dir = await mkdtemp(join(tmpdir(), 'lt-bench-serve-'));
  const database = `pglite:${join(dir, 'db')}`;
  await writeFile(
    join(dir, 'lienthong.config.json'),
    JSON.stringify({ database, sources: [{ id: 'push', adapter: 'webhook', options: { mapping: 'portal' }, webhookSecretEnv: 'BENCH_WEBHOOK_SECRET' }], server: { host: '127.0.0.1' } }),
  );
  const ledger = await openLedger(database);
  const viewer = (await createApiKey(ledger, { name: 'bench-viewer', role: 'viewer' })).key;
  const operator = (await createApiKey(ledger, { name: 'bench-operator', role: 'operator' })).key;
  await ledger.close();

  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_WEBHOOK_SECRET: SECRET, LOG_LEVEL: 'info' };
  delete env['DATABASE_URL'];
  const { child, base } = await startServe(dir, env);
  const pool = new Pool(base, { connections, pipelining: 1, headersTimeout: 60_000, bodyTimeout: 60_000, keepAliveTimeout: 4_000 });
  const pid = child.pid!;
  try {
    const viewerHeaders = { authorization: `Bearer ${viewer}` };
    const cookie = { cookie: `lienthong_key=${viewer}` };
    const call = async (opts: Dispatcher.RequestOptions): Promise<number> => {
      const res = await pool.request(opts);
      await res.body.dump({ limit: 64 * MiB });
      return res.statusCode;
    };
    const push = async (body: string, timestamp = Math.floor(Date.now() / 1000)) => {
      const headers = { 'content-type': 'application/json', 'x-lienthong-timestamp': String(timestamp), 'x-lienthong-signature': sign(timestamp, body) };
      return { status: await call({ method: 'POST', path: '/ingest/push', headers, body }), headers };
    };

    // Seed: 1,000 dossiers pushed in fifties; the rest of the generated set is pushed under load.
    const dossiers = [...generateDossiers({ count: 21_000, seed: 9, spanDays: 180 })];
    const codes = dossiers.slice(0, 1_000).map((d) => d.MaHoSo);
    for (let i = 0; i < 1_000; i += 50) {
      const { status } = await push(JSON.stringify(dossiers.slice(i, i + 50)));
      if (status !== 200) throw new Error(`seeding push answered ${status}`);
    }
    let nextPush = 1_000;
    const captured = JSON.stringify(dossiers.slice(0, 3));
    const capturedTs = Math.floor(Date.now() / 1000);
    const capturedHeaders = (await push(captured, capturedTs)).headers;

    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)]!;
    const apiPaths = () => pick(['/api/v1/sources', '/api/v1/runs', '/api/v1/dossiers?limit=50', `/api/v1/dossiers/${encodeURIComponent(pick(codes))}`, '/api/v1/quarantine', '/api/v1/deliveries']);
    const dashboardPaths = () => pick(['/dashboard', '/dashboard/don-vi', `/dashboard/ho-so?ma=${encodeURIComponent(pick(codes))}`, '/dashboard/cach-ly']);
    const longPath = `/dashboard/${'a1b2c3d4e5'.repeat(1_600)}`;
    const deepApiBody = `{"ids":${deepArray(100_000)}}`;
    const deepPushBody = `[{"MaHoSo":${JSON.stringify(codes[0])},"deep":${deepArray(100_000)}}]`;

    let bigInFlight = false;
    let bigBytesSent = 0;
    /** ~400 MB form POST, chunked, on its own connection; stops writing as soon as the server answers or closes. */
    const bigForm = async (): Promise<number> => {
      const client = new Client(base, { headersTimeout: 60_000, bodyTimeout: 60_000 });
      let answered = false;
      const chunk = Buffer.alloc(64 * 1024, 'a');
      async function* body() {
        yield Buffer.from('key=');
        for (let sent = 0; sent < bigBodyBytes && !answered; sent += chunk.length) {
          bigBytesSent += chunk.length;
          yield chunk;
        }
      }
      try {
        const res = await client.request({ method: 'POST', path: '/dashboard/dang-nhap', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: Readable.from(body()) });
        answered = true;
        await res.body.dump().catch(() => undefined);
        return res.statusCode;
      } finally {
        answered = true;
        await client.destroy().catch(() => undefined);
      }
    };

    const expected: Record<Hostile, (s: number) => boolean> = {
      'long-url': (s) => s === 404 || s === 414 || s === 431,
      'big-form': (s) => s === 413,
      'deep-json-api': (s) => s === 400 || s === 413 || s === 422,
      'deep-json-push': (s) => s < 500,
      replay: (s) => s < 500,
    };
    const hostile = async (): Promise<{ kind: Hostile; status: number }> => {
      const kinds: Hostile[] = ['long-url', 'deep-json-api', 'deep-json-push', 'replay', ...(bigInFlight ? [] : (['big-form'] as const))];
      const kind = pick(kinds);
      switch (kind) {
        case 'long-url':
          return { kind, status: await call({ method: 'GET', path: longPath, headers: cookie }) };
        case 'big-form':
          bigInFlight = true;
          try {
            return { kind, status: await bigForm() };
          } finally {
            bigInFlight = false;
          }
        case 'deep-json-api':
          return { kind, status: await call({ method: 'POST', path: '/api/v1/deliveries/retry', headers: { authorization: `Bearer ${operator}`, 'content-type': 'application/json' }, body: deepApiBody }) };
        case 'deep-json-push':
          return { kind, status: (await push(deepPushBody)).status };
        case 'replay':
          return { kind, status: await call({ method: 'POST', path: '/ingest/push', headers: capturedHeaders, body: captured }) };
      }
    };

    const tallies: Record<Klass, Tally> = { api: newTally(), dashboard: newTally(), intake: newTally(), hostile: newTally() };
    const hostileTallies = new Map<Hostile, Tally>();
    const socketErrors = new Map<string, number>();
    const oneRequest = async (): Promise<void> => {
      const r = Math.random();
      const klass: Klass = r < 0.4 ? 'api' : r < 0.65 ? 'dashboard' : r < 0.9 ? 'intake' : 'hostile';
      const t = performance.now();
      let kind: Hostile | undefined;
      let ok: boolean;
      let status: string;
      try {
        if (klass === 'api') {
          const s = await call({ method: 'GET', path: apiPaths(), headers: viewerHeaders });
          ok = s === 200;
          status = String(s);
        } else if (klass === 'dashboard') {
          const s = await call({ method: 'GET', path: dashboardPaths(), headers: cookie });
          ok = s === 200;
          status = String(s);
        } else if (klass === 'intake') {
          const start = nextPush;
          nextPush = nextPush + 5 > dossiers.length ? 1_000 : nextPush + 5;
          const s = (await push(JSON.stringify(dossiers.slice(start, start + 5)))).status;
          ok = s === 200;
          status = String(s);
        } else {
          const h = await hostile();
          kind = h.kind;
          ok = expected[h.kind](h.status);
          status = String(h.status);
        }
      } catch (e) {
        ok = false;
        const code = (e as { code?: string }).code ?? (e as Error).name;
        status = `socket:${code}`;
        socketErrors.set(`${klass} ${code}`, (socketErrors.get(`${klass} ${code}`) ?? 0) + 1);
      }
      const ms = performance.now() - t;
      const targets = [tallies[klass]];
      if (kind) {
        if (!hostileTallies.has(kind)) hostileTallies.set(kind, newTally());
        targets.push(hostileTallies.get(kind)!);
      }
      for (const tally of targets) {
        tally.latencies.push(ms);
        if (!ok) tally.errors++;
        tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
      }
    };

    // Warm-up (not counted), then the resident size before the load.
    for (let i = 0; i < 20; i++) await call({ method: 'GET', path: i % 2 ? apiPaths() : dashboardPaths(), headers: { ...viewerHeaders, ...cookie } });
    const rssBefore = await rssOf(pid);
    let rssPeak = rssBefore;
    const sampler = setInterval(() => void rssOf(pid).then((r) => (rssPeak = Math.max(rssPeak, r))), 250);

    console.log(`lienthong bench serve-load: ${connections} connections for ${seconds} s against ${base} (PGlite ledger, ${codes.length} dossiers seeded, default server.* bounds)`);
    const started = performance.now();
    const deadline = started + seconds * 1000;
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (performance.now() < deadline) await oneRequest();
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const rssAfter = await rssOf(pid);
    const healthz = await call({ method: 'GET', path: '/healthz' });

    const all = Object.values(tallies);
    const total = all.reduce((n, t) => n + t.latencies.length, 0);
    const errors = all.reduce((n, t) => n + t.errors, 0);
    const row = (name: string, t: Tally) => {
      const sorted = [...t.latencies].sort((a, b) => a - b);
      const statuses = [...t.statuses].sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s}×${n}`).join(' ');
      return `| ${name} | ${t.latencies.length} | ${(t.latencies.length / elapsed).toFixed(1)} | ${percentile(sorted, 50).toFixed(0)} | ${percentile(sorted, 99).toFixed(0)} | ${t.errors} | ${statuses} |`;
    };
    console.log(`\n${total} requests in ${elapsed.toFixed(1)} s = ${(total / elapsed).toFixed(0)} requests/s; ${errors} errors (unexpected status or socket error)`);
    console.log('\n| class | requests | req/s | p50 ms | p99 ms | errors | answers |');
    console.log('|---|---|---|---|---|---|---|');
    for (const k of Object.keys(tallies) as Klass[]) console.log(row(k, tallies[k]));
    for (const [k, t] of [...hostileTallies].sort()) console.log(row(`hostile: ${k}`, t));
    if (socketErrors.size) console.log(`\nsocket errors: ${[...socketErrors].map(([k, n]) => `${k}×${n}`).join(', ')}`);
    console.log(`\nbig form bodies: ${(bigBytesSent / MiB).toFixed(0)} MiB written in all by the client (each stopped at the server's answer)`);
    console.log(`server RSS: before ${(rssBefore / MiB).toFixed(0)} MiB, peak ${(rssPeak / MiB).toFixed(0)} MiB, after ${(rssAfter / MiB).toFixed(0)} MiB; /healthz after the load: ${healthz}`);
  } finally {
    await pool.close().catch(() => undefined);
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await once(child, 'exit');
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  }
}
