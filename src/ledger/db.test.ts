import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger, redactUrl, resolveDatabaseUrl } from './db.ts';

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('opening the ledger', () => {
  it('refuses an embedded database folder that another live process holds, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lt-lock-'));
    dirs.push(dir);
    const other = spawn('sleep', ['30']);
    try {
      await writeFile(join(dir, 'lienthong.pid'), String(other.pid));
      await expect(openLedger(`pglite:${dir}`)).rejects.toMatchObject({ code: 'database_in_use', message: expect.stringContaining(`pid ${other.pid}`) });
    } finally {
      other.kill();
    }
  });

  it('takes over the lock left by a process that died, and releases it on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lt-lock-'));
    dirs.push(dir);
    await writeFile(join(dir, 'lienthong.pid'), '999999');
    const ledger = await openLedger(`pglite:${dir}`);
    expect(await readFile(join(dir, 'lienthong.pid'), 'utf8')).toBe(String(process.pid));
    await ledger.close();
    await expect(readFile(join(dir, 'lienthong.pid'), 'utf8')).rejects.toThrow();
  });

  it('prefers DATABASE_URL over the configured database and never shows a password', () => {
    expect(resolveDatabaseUrl('pglite:x', { DATABASE_URL: 'postgres://u:p@h/db' })).toBe('postgres://u:p@h/db');
    expect(resolveDatabaseUrl('pglite:x', {})).toBe('pglite:x');
    expect(redactUrl('postgres://u:secret@h:5432/db')).not.toContain('secret');
  });

  it('rejects a database setting it does not understand', async () => {
    await expect(openLedger('mysql://x')).rejects.toMatchObject({ code: 'config_error' });
  });

  it('reports an unreachable PostgreSQL as database_unavailable', async () => {
    await expect(openLedger('postgres://postgres@127.0.0.1:1/none')).rejects.toMatchObject({ code: 'database_unavailable' });
  });
});
