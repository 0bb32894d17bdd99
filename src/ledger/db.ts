/**
 * Opens the ledger on the embedded PGlite (default) or on PostgreSQL, and migrates it.
 * Only how queries are sent differs between the two; everything above uses `Ledger`.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { ConfigError, GatewayError } from '../errors.ts';
import { PgliteThread } from './pglite-thread.ts';
import * as schema from './schema.ts';
import { escapeQuery } from './storable.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Ledger {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Runs a raw query (built with drizzle's `sql` template: parameters, never string concatenation). */
  rows<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  close(): Promise<void>;
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export interface OpenLedgerOptions {
  /** A PGlite data-dir dump to start from (tests reuse a migrated template). */
  loadDataDir?: Blob;
  /** Skip migrations (the template is already migrated). */
  migrate?: boolean;
  /** Max connections for PostgreSQL. */
  maxConnections?: number;
}

/** `DATABASE_URL` wins over the configured database. */
export function resolveDatabaseUrl(configured: string | undefined, env: Record<string, string | undefined>): string {
  return env['DATABASE_URL'] || configured || 'pglite:.lienthong/db';
}

/**
 * @example
 * const ledger = await openLedger('pglite:.lienthong/db');
 * const rows = await ledger.rows(sql`select count(*)::int as n from dossiers`);
 */
export async function openLedger(url: string, options: OpenLedgerOptions = {}): Promise<Ledger> {
  if (url.startsWith('pglite:') || url === 'memory:') return openPglite(url, options);
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, options);
  throw new ConfigError(`database "${url}" is neither pglite:<folder>, pglite:memory nor a postgres:// URL`);
}

async function openPglite(url: string, options: OpenLedgerOptions): Promise<Ledger> {
  const dir = url === 'memory:' ? 'memory' : url.slice('pglite:'.length);
  const inMemory = dir === '' || dir === 'memory';
  if (!inMemory) {
    await mkdir(dir, { recursive: true });
    await lockFolder(dir);
  }
  let client: PgliteThread;
  try {
    client = await PgliteThread.create(inMemory ? undefined : dir, options.loadDataDir ? { loadDataDir: options.loadDataDir } : {});
  } catch (cause) {
    if (!inMemory) await unlockFolder(dir);
    throw new GatewayError('database_unavailable', `cannot open the embedded database at ${dir}`, { cause });
  }
  // The thread client has the part of PGlite's interface drizzle calls (query, transaction).
  const db = drizzlePglite(client as never, { schema }) as unknown as Db;
  if (options.migrate !== false) await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    db,
    kind: 'pglite',
    async rows<T>(query: SQL) {
      const res = (await db.execute(escapeQuery(query))) as unknown as { rows: T[] };
      return res.rows;
    },
    close: async () => {
      await client.close();
      if (!inMemory) await unlockFolder(dir);
    },
  };
}

const LOCK_FILE = 'lienthong.pid';

/**
 * PGlite is single-process: a second process opening the same folder would corrupt it. A pid file
 * refuses that with a clear message; a pid file left by a dead process (kill -9) is taken over.
 */
async function lockFolder(dir: string): Promise<void> {
  const file = join(dir, LOCK_FILE);
  for (let tries = 0; tries < 2; tries++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return;
    } catch {
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new GatewayError('database_in_use', `the embedded database at ${dir} is in use by another lienthong process (pid ${pid}); PGlite allows one process at a time — stop it, or use PostgreSQL (DATABASE_URL) to run several`);
      }
      await rm(file, { force: true });
    }
  }
  throw new GatewayError('database_in_use', `cannot lock the embedded database at ${dir}`);
}

async function unlockFolder(dir: string): Promise<void> {
  const file = join(dir, LOCK_FILE);
  const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  if (pid === process.pid) await rm(file, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function openPostgres(url: string, options: OpenLedgerOptions): Promise<Ledger> {
  const client = postgres(url, { max: options.maxConnections ?? 10, onnotice: () => {}, connect_timeout: 10 });
  try {
    await client`select 1`;
  } catch (cause) {
    await client.end({ timeout: 1 });
    throw new GatewayError('database_unavailable', `cannot reach PostgreSQL at ${redactUrl(url)}`, { cause });
  }
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  if (options.migrate !== false) {
    // Several processes may start at once: one migrates, the others wait on the advisory lock.
    const reserved = await client.reserve();
    try {
      await reserved`select pg_advisory_lock(7261)`;
      await migratePostgres(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    } finally {
      await reserved`select pg_advisory_unlock(7261)`;
      reserved.release();
    }
  }
  return {
    db,
    kind: 'postgres',
    async rows<T>(query: SQL) {
      return (await db.execute(escapeQuery(query))) as unknown as T[];
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** A URL with its password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable URL)';
  }
}
