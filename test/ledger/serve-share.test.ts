/**
 * `lienthong serve` on the embedded database shares it: CLI commands run while serve holds the
 * folder (through its socket), and open the folder directly again once serve has stopped.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = resolve('src/cli/bin.mjs');
let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.reverse()) await fn();
  cleanup = [];
});

const env = { ...process.env } as NodeJS.ProcessEnv;
delete env['DATABASE_URL'];

function lienthong(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((r) => child.on('exit', (code) => r({ code, out, err })));
}

describe('serve shares the embedded database', () => {
  it('CLI commands work through a running serve, and directly once it stops', { timeout: 300_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lt-share-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const config = join(dir, 'lienthong.config.json');
    await writeFile(config, JSON.stringify({ database: `pglite:${join(dir, 'db')}`, sources: [], targets: [], server: { host: '127.0.0.1' } }));

    const serve = spawn(process.execPath, [BIN, 'serve', '--config', config, '--port', '0', '--no-scheduler'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    serve.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => serve.on('exit', r));
    cleanup.push(async () => {
      if (serve.exitCode === null) serve.kill('SIGKILL');
    });
    for (let i = 0; !/listening on/.test(stderr); i++) {
      if (i > 600) throw new Error(`serve did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    // The address and password beside the database are for the user only.
    const info = JSON.parse(await readFile(join(dir, 'db', 'lienthong.serve.json'), 'utf8')) as { pid: number; password: string };
    expect(info.pid).toBe(serve.pid);
    expect((await stat(join(dir, 'db', 'lienthong.serve.json'))).mode & 0o077).toBe(0);

    const created = await lienthong('apikey', 'create', '--role', 'viewer', '--name', 'while-serving', '--json', '--config', config);
    expect(created.err).toBe('');
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.out) as { id: string };
    const listed = await lienthong('apikey', 'list', '--config', config);
    expect(listed.code).toBe(0);
    expect(listed.out).toContain(id);
    const quarantine = await lienthong('quarantine', 'list', '--config', config);
    expect(quarantine.code).toBe(0);
    const deliveries = await lienthong('deliveries', 'list', '--config', config);
    expect(deliveries.code).toBe(0);
    const dossier = await lienthong('dossier', 'show', 'NO-SUCH-CODE', '--config', config);
    expect(dossier.err).not.toContain('in use by another');
    const report = await lienthong('report', '--month', '2026-10', '--format', 'json', '--config', config);
    expect(report.err).not.toContain('in use');
    expect(report.code).toBe(0);
    // A sync beside serve's own scheduler could race it on the same source: refused, pointing at serve.
    const sync = await lienthong('sync', '--config', config);
    expect(sync.code).toBe(1);
    expect(sync.err).toMatch(/serve \(pid \d+\) holds the embedded database.*\/api\/v1\/sources\/ID\/runs/s);

    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(stat(join(dir, 'db', 'lienthong.serve.json'))).rejects.toThrow();

    // serve stopped: the CLI opens the folder itself and sees what it wrote through serve.
    const after = await lienthong('apikey', 'list', '--config', config);
    expect(after.code).toBe(0);
    expect(after.out).toContain(id);
  });

  it('refuses a client with the wrong password', async () => {
    const { openLedger } = await import('../../src/ledger/db.ts');
    const postgres = (await import('postgres')).default;
    const dir = await mkdtemp(join(tmpdir(), 'lt-share-'));
    cleanup.push(() => rm(dir, { recursive: true, force: true }));
    const ledger = await openLedger(`pglite:${join(dir, 'db')}`, { share: true });
    cleanup.push(() => ledger.close());
    const info = JSON.parse(await readFile(join(dir, 'db', 'lienthong.serve.json'), 'utf8')) as { path: string; password: string };
    const wrong = postgres({ path: info.path, password: 'not-it', max: 1, prepare: false, onnotice: () => {} });
    await expect(wrong`select 1`).rejects.toMatchObject({ code: '28P01' });
    await wrong.end({ timeout: 1 });
    const right = postgres({ path: info.path, password: info.password, max: 1, prepare: false, onnotice: () => {} });
    // A transaction through the socket and this process's own queries do not mix.
    await right.begin(async (tx) => {
      await tx`create table t(x int)`;
      await tx`insert into t values (1)`;
    });
    expect(await ledger.rows<{ n: number }>((await import('drizzle-orm')).sql`select count(*)::int as n from t`)).toEqual([{ n: 1 }]);
    await right.end({ timeout: 1 });
    // A peer that never authenticates is dropped; so is one announcing a message past the bound.
    const { createConnection } = await import('node:net');
    const closes = (send?: Buffer) =>
      new Promise<boolean>((resolve) => {
        const sock = createConnection({ path: info.path }, () => void (send && sock.write(send)));
        sock.on('data', () => undefined); // read what the server answers, so its end reaches us
        sock.on('error', () => undefined);
        sock.on('close', () => resolve(true));
        setTimeout(() => (sock.destroy(), resolve(false)), 20_000).unref();
      });
    expect(await closes()).toBe(true);
    const startup = Buffer.alloc(8);
    startup.writeInt32BE(8, 0);
    startup.writeInt32BE(196608, 4);
    const huge = Buffer.alloc(5);
    huge.write('p', 0);
    huge.writeInt32BE(512 * 1024 * 1024, 1);
    expect(await closes(Buffer.concat([startup, huge]))).toBe(true);
  }, 120_000);
});
