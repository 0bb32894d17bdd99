/**
 * `lienthong serve` as a real process: listens, answers /healthz, /readyz, /metrics and the API
 * with a key made by `lienthong apikey create`, runs a triggered sync, and stops cleanly on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDossiers } from '../../src/demo/generate.ts';
import { startPortalSim } from '../../src/portal-sim/index.ts';
import { createPostgresDatabase } from '../support/ledger.ts';

const BIN = resolve('src/cli/bin.mjs');
let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

const waitFor = async <T>(get: () => T | undefined | Promise<T | undefined>, ms = 60_000): Promise<T> => {
  const until = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
};

describe('lienthong serve', () => {
  it('serves the API with a key from `apikey create`, runs a triggered sync, and stops on SIGTERM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lt-serve-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    await mkdir(join(dir, 'exports'));
    const records = [...generateDossiers({ count: 10, seed: 5 })];
    await writeFile(join(dir, 'exports', 'a.ndjson'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    const sim = await startPortalSim({ port: 0, username: 'lienthong', password: 'pw' });
    cleanup.push(() => sim.close());
    const pg = await createPostgresDatabase();
    if (pg) cleanup.push(() => pg.drop());
    const configPath = join(dir, 'lienthong.config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        database: pg?.url ?? `pglite:${join(dir, 'db')}`,
        sources: [{ id: 'local', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') }, schedule: '0 1 * * *' }],
        targets: [{ id: 'national', style: 'session', baseUrl: sim.url, unitCode: '000.00.00.H48', username: 'lienthong', passwordEnv: 'NATIONAL_PASSWORD', ratePerSecond: 1000 }],
        server: { host: '127.0.0.1' },
      }),
    );
    const env: Record<string, string | undefined> = { ...process.env, NATIONAL_PASSWORD: 'pw', DATABASE_URL: pg?.url };
    if (!pg) delete env['DATABASE_URL'];

    const created = spawn(process.execPath, [BIN, 'apikey', 'create', '--role', 'operator', '--name', 'ci', '--json', '--config', configPath], { env: env as NodeJS.ProcessEnv });
    let out = '';
    created.stdout.on('data', (d) => (out += d));
    expect(await new Promise((r) => created.on('exit', r))).toBe(0);
    const { key } = JSON.parse(out) as { key: string };

    const child = spawn(process.execPath, [BIN, 'serve', '--config', configPath, '--port', '0'], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('exit', r));
    cleanup.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const base = await waitFor(() => /listening on (http:\/\/[\d.]+:\d+)/.exec(stderr)?.[1]);

    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/api/v1/sources`)).status).toBe(401);
    const auth = { authorization: `Bearer ${key}` };
    const sources = (await (await fetch(`${base}/api/v1/sources`, { headers: auth })).json()) as { sources: { id: string; schedule: string; nextRunAt: string }[] };
    expect(sources.sources[0]).toMatchObject({ id: 'local', schedule: '0 1 * * *' });
    expect(new Date(sources.sources[0]!.nextRunAt).getUTCHours()).toBe(18); // 01:00 in Asia/Ho_Chi_Minh
    expect((await fetch(`${base}/api/v1/sources/local/runs`, { method: 'POST', headers: auth })).status).toBe(202);
    await waitFor(() => (sim.stats().dossiers === 10 ? true : undefined));
    const metrics = await waitFor(async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return text.includes('lienthong_dossiers_delivered{source="local",target="national"} 10') ? text : undefined;
    });
    expect(metrics).toContain('lienthong_outbox_depth{target="national"} 0');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.some((l) => l['msg'] === 'run finished' && l['sourceId'] === 'local')).toBe(true);
    expect(lines.filter((l) => l['msg'] === 'request').every((l) => typeof l['requestId'] === 'string')).toBe(true);
    expect(stdout).not.toContain(key);
  }, 120_000);
});
