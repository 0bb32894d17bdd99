/**
 * The bounds of `lienthong serve` (issue 9 §1), against a real process: it listens on loopback
 * unless told otherwise; a body over `server.bodyLimitBytes` is refused with 413 on the dashboard
 * and the API, declared or chunked, without the process growing; a client that never finishes its
 * headers is cut after `server.headersTimeoutMs`; more than `server.maxConnections` are dropped.
 */
import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../schemas/config.ts';
import { help as serveHelp } from '../../src/cli/commands/serve.ts';
import { listenNode } from '../../src/http/node-server.ts';

const BIN = resolve('src/cli/bin.mjs');
const MiB = 1024 * 1024;
let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

const waitFor = async <T>(get: () => T | undefined, ms = 60_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
};

/** Resident set size of a process, in bytes (Linux). */
async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) * 1024;
}

/**
 * POSTs `total` bytes, streamed in 64 KiB chunks with back-pressure, and stops writing as soon as
 * the server answers or closes. `contentLength` declares the size; without it the body is chunked.
 */
function streamPost(base: string, path: string, total: number, headers: OutgoingHttpHeaders, contentLength = false): Promise<{ status: number | null; sent: number }> {
  return new Promise((done) => {
    const url = new URL(path, base);
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent: false, headers: contentLength ? { ...headers, 'content-length': total } : headers });
    const chunk = Buffer.alloc(64 * 1024, 'a');
    let sent = 0;
    let status: number | null = null;
    let stopped = false;
    const finish = () => {
      if (stopped) return;
      stopped = true;
      req.destroy();
      done({ status, sent });
    };
    req.on('response', (res) => {
      status = res.statusCode ?? null;
      res.resume();
      res.on('end', finish);
      res.on('error', finish);
    });
    req.on('error', finish);
    req.on('close', finish);
    const pump = () => {
      while (!stopped && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!stopped) req.end();
    };
    pump();
  });
}

/** Resolves with how the socket ended once the server closes it (or `open` after `ms`). */
function closedWithin(socket: Socket, ms: number): Promise<{ closed: boolean; received: string }> {
  return new Promise((done) => {
    let received = '';
    socket.on('data', (d) => (received += String(d)));
    socket.on('error', () => undefined);
    const timer = setTimeout(() => done({ closed: false, received }), ms);
    socket.on('close', () => {
      clearTimeout(timer);
      done({ closed: true, received });
    });
  });
}

async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [BIN, ...args], { env });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  expect(await new Promise((r) => child.on('exit', r))).toBe(0);
  return out;
}

describe('serve defaults', () => {
  it('binds 127.0.0.1 unless configured or told otherwise, and bounds every request', () => {
    const server = ConfigSchema.parse({}).server;
    expect(server.host).toBe('127.0.0.1');
    expect(server).toMatchObject({ bodyLimitBytes: 5 * MiB, headersTimeoutMs: 10_000, requestTimeoutMs: 60_000, maxConnections: 1024 });
    expect(ConfigSchema.parse({ server: { port: 9000 } }).server.host).toBe('127.0.0.1');
    expect(serveHelp).toContain('default server.host (127.0.0.1');
  });
});

describe('lienthong serve limits', () => {
  it('listens on loopback by default, answers 413 to oversized bodies without growing, and cuts a slowloris', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lt-serve-limits-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const configPath = join(dir, 'lienthong.config.json');
    // No server.host: the default must be loopback.
    await writeFile(configPath, JSON.stringify({ database: `pglite:${join(dir, 'db')}`, server: { bodyLimitBytes: 64 * 1024, headersTimeoutMs: 1_000, requestTimeoutMs: 5_000 } }));
    const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'warn' };
    delete env['DATABASE_URL'];
    const { key } = JSON.parse(await runCli(['apikey', 'create', '--role', 'operator', '--name', 'ops', '--json', '--config', configPath], env)) as { key: string };

    const child = spawn(process.execPath, [BIN, 'serve', '--config', configPath, '--port', '0', '--no-scheduler'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    cleanup.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const base = await waitFor(() => /listening on (http:\/\/[\d.]+:\d+)/.exec(stderr)?.[1]);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const pid = child.pid!;

    // Warm up the routes measured below, then take the resident size.
    const login = await fetch(`${base}/dashboard/dang-nhap`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: base }, body: 'key=wrong' });
    expect(login.status).toBe(401);
    const small = await fetch(`${base}/api/v1/deliveries/retry`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{}' });
    expect(small.status).toBe(200);
    const before = await rssOf(pid);

    const form = { 'content-type': 'application/x-www-form-urlencoded', origin: base };
    const api = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    // Chunked (no Content-Length): counted as it streams, cut at the limit.
    const loginChunked = await streamPost(base, '/dashboard/dang-nhap', 100 * MiB, form);
    expect(loginChunked.status).toBe(413);
    expect(loginChunked.sent).toBeLessThan(100 * MiB);
    const retryChunked = await streamPost(base, '/api/v1/deliveries/retry', 100 * MiB, api);
    expect(retryChunked.status).toBe(413);
    // Declared sizes: refused before a byte of the body is read.
    expect((await streamPost(base, '/dashboard/dang-nhap', 400 * MiB, form, true)).status).toBe(413);
    expect((await streamPost(base, '/api/v1/deliveries/retry', 300 * MiB, api, true)).status).toBe(413);
    const after = await rssOf(pid);
    console.log(`serve RSS ${(before / MiB).toFixed(0)} MiB → ${(after / MiB).toFixed(0)} MiB`);
    expect(after - before).toBeLessThan(96 * MiB);
    // Within the limit, everything still works.
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    // Slowloris: headers trickle in and never end; the server cuts it after headersTimeoutMs.
    const slow = connect(Number(new URL(base).port), '127.0.0.1');
    slow.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const trickle = setInterval(() => slow.writable && slow.write('X-Slow: 1\r\n'), 200);
    const cut = await closedWithin(slow, 5_000);
    clearInterval(trickle);
    slow.destroy();
    expect(cut.closed).toBe(true);
    expect(cut.received).toMatch(/^HTTP\/1\.1 408/);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});

describe('listenNode', () => {
  it('drops connections beyond maxConnections and refuses headersTimeoutMs above requestTimeoutMs', async () => {
    const server = await listenNode(() => new Response('ok'), { port: 0, hostname: '127.0.0.1', limits: { headersTimeoutMs: 4_000, requestTimeoutMs: 8_000, maxConnections: 2 } });
    cleanup.push(() => new Promise((r) => server.close(r)));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const open = async () => {
      const socket = connect(port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      cleanup.push(async () => socket.destroy());
      return socket;
    };
    await open();
    await open();
    const third = await open();
    const dropped = await closedWithin(third, 3_000);
    expect(dropped).toEqual({ closed: true, received: '' });

    await expect(listenNode(() => new Response('ok'), { port: 0, hostname: '127.0.0.1', limits: { headersTimeoutMs: 9_000, requestTimeoutMs: 1_000, maxConnections: 2 } })).rejects.toThrow(/headersTimeoutMs/);
  });
});
