/**
 * Opens the ledger on the embedded PGlite (default) or on PostgreSQL, and migrates it.
 * Only how queries are sent differs between the two; everything above uses `Ledger`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { ConfigError, GatewayError } from '../errors.ts';
import { PgliteThread, type ShareOptions } from './pglite-thread.ts';
import * as schema from './schema.ts';
import { escapeQuery } from './storable.ts';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Ledger {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** Set when an embedded database is reached through the `lienthong serve` that holds it: its pid. */
  sharedBy?: number;
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
  /**
   * `lienthong serve`: share an embedded database folder with the other local lienthong processes
   * (the CLI) over a PostgreSQL-protocol socket while this process holds it (pglite-share.mjs).
   */
  share?: boolean;
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
  const share = options.share === true && !inMemory;
  if (!inMemory) {
    await mkdir(dir, { recursive: true });
    const serve = await lockFolder(dir, share);
    // Held by a running `lienthong serve`: work through it.
    if (serve) return openThroughServe(dir, serve);
  }
  let client: PgliteThread;
  const shareOptions = share ? shareListen(dir) : undefined;
  try {
    client = await PgliteThread.create(inMemory ? undefined : dir, {
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      ...(shareOptions ? { share: shareOptions } : {}),
    });
  } catch (cause) {
    if (!inMemory) await unlockFolder(dir);
    throw new GatewayError('database_unavailable', `cannot open the embedded database at ${dir}`, { cause });
  }
  // The thread client has the part of PGlite's interface drizzle calls (query, transaction).
  const db = drizzlePglite(client as never, { schema }) as unknown as Db;
  if (options.migrate !== false) await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
  if (shareOptions && client.shared && 'address' in client.shared) {
    // Written once migrated: a client never sees a half-migrated database.
    await writeServeInfo(dir, { pid: process.pid, ...client.shared.address, password: shareOptions.password });
  } else if (shareOptions && client.shared && 'shareError' in client.shared) {
    process.stderr.write(`lienthong: other lienthong commands cannot reach the embedded database at ${resolve(dir)} while this process runs: ${client.shared.shareError}\n`);
  }
  return {
    db,
    kind: 'pglite',
    async rows<T>(query: SQL) {
      const res = (await db.execute(escapeQuery(query))) as unknown as { rows: T[] };
      return res.rows;
    },
    close: async () => {
      if (shareOptions) await removeServeInfo(dir);
      await client.close();
      if (!inMemory) await unlockFolder(dir);
    },
  };
}

/** Written beside the database by a sharing serve, readable by its user only. */
const SERVE_INFO_FILE = 'lienthong.serve.json';
/** Unix socket paths are limited (108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;

interface ServeInfo {
  pid: number;
  path?: string;
  host?: string;
  port?: number;
  password: string;
}

/** A Unix socket in the database folder, or 127.0.0.1 on a free port where there is none (Windows, long paths). */
function shareListen(dir: string): ShareOptions {
  const path = join(resolve(dir), '.s.lienthong');
  const password = randomBytes(32).toString('base64url');
  if (process.platform === 'win32' || Buffer.byteLength(path) > MAX_SOCKET_PATH) return { listen: { host: '127.0.0.1', port: 0 }, password };
  return { listen: { path }, password };
}

async function writeServeInfo(dir: string, info: ServeInfo): Promise<void> {
  const file = join(dir, SERVE_INFO_FILE);
  await rm(file, { force: true });
  await writeFile(file, JSON.stringify(info), { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  // chmod does nothing on Windows: the file would inherit the folder's access list (README: keep the
  // data folder in the user's profile). icacls drops the inherited entries and grants the user alone.
  if (process.platform === 'win32') await restrictToUserOnWindows(file);
}

/** `icacls FILE /inheritance:r /grant:r USER:F`, bounded; a failure leaves the inherited access list. */
function restrictToUserOnWindows(file: string): Promise<void> {
  const user = process.env['USERDOMAIN'] && process.env['USERNAME'] ? `${process.env['USERDOMAIN']}\\${process.env['USERNAME']}` : userInfo().username;
  return new Promise((done) => {
    execFile('icacls', [file, '/inheritance:r', '/grant:r', `${user}:F`], { timeout: 10_000, windowsHide: true }, () => done());
  });
}

async function removeServeInfo(dir: string): Promise<void> {
  const file = join(dir, SERVE_INFO_FILE);
  const info = await readServeInfo(dir);
  if (info?.pid === process.pid) await rm(file, { force: true });
}

async function readServeInfo(dir: string): Promise<ServeInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(join(dir, SERVE_INFO_FILE), 'utf8')) as Partial<ServeInfo>;
    if (typeof info.pid !== 'number' || typeof info.password !== 'string' || (typeof info.path !== 'string' && typeof info.port !== 'number')) return undefined;
    return info as ServeInfo;
  } catch {
    return undefined;
  }
}

const describeServe = (s: ServeInfo) => (s.path ?? `${s.host ?? '127.0.0.1'}:${s.port}`);

/** The embedded database through the serve process that holds it (postgres.js over its socket). */
async function openThroughServe(dir: string, serve: ServeInfo): Promise<Ledger> {
  const client = postgres({
    ...(serve.path ? { path: serve.path } : { host: serve.host ?? '127.0.0.1', port: serve.port }),
    user: 'postgres',
    database: 'postgres',
    password: serve.password,
    // One session behind the socket: named prepared statements would collide with other clients'.
    prepare: false,
    // Several connections, as on PostgreSQL: a run lock holds one for the whole run.
    max: 4,
    onnotice: () => {},
    connect_timeout: 10,
  });
  try {
    await client`select 1`;
  } catch (cause) {
    await client.end({ timeout: 1 });
    throw new GatewayError(
      'database_in_use',
      `the embedded database at ${resolve(dir)} is held by lienthong serve (pid ${serve.pid}), which shares it at ${describeServe(serve)}, but it did not answer (${cause instanceof Error ? cause.message : String(cause)}); wait for serve to finish starting, or stop it`,
      { cause },
    );
  }
  // serve migrated the database when it opened it.
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    sharedBy: serve.pid,
    async rows<T>(query: SQL) {
      return (await db.execute(escapeQuery(query))) as unknown as T[];
    },
    close: () => client.end({ timeout: 5 }),
  };
}

const LOCK_FILE = 'lienthong.pid';

/** How long a command waits for a starting serve (opening, migrating) to share the database. */
const SERVE_START_WAIT_MS = 30_000;

/** The lock file: `<pid>`, or `<pid> serve` for a process that shares the folder. */
async function readLock(file: string): Promise<{ pid: number; serve: boolean }> {
  const [pid, role] = (await readFile(file, 'utf8').catch(() => '')).trim().split(/\s+/);
  return { pid: Number(pid) || 0, serve: role === 'serve' };
}

/**
 * PGlite is single-process: a second process opening the same folder would corrupt it. A pid file
 * refuses that with a clear message; a pid file left by a dead process (kill -9) is taken over.
 * Held by a live `lienthong serve` that shares the folder, the answer is how to reach that serve.
 */
async function lockFolder(dir: string, share: boolean): Promise<ServeInfo | undefined> {
  const file = join(dir, LOCK_FILE);
  for (let tries = 0; tries < 3; tries++) {
    try {
      await writeFile(file, share ? `${process.pid} serve` : String(process.pid), { flag: 'wx' });
      // Whatever a dead serve left beside the database is stale now.
      await rm(join(dir, SERVE_INFO_FILE), { force: true });
      return undefined;
    } catch {
      const holder = await readLock(file);
      if (holder.pid && holder.pid !== process.pid && isAlive(holder.pid)) {
        if (holder.serve) {
          const info = await waitForServe(dir, holder.pid);
          if (info) return info;
          if (isAlive(holder.pid)) {
            throw new GatewayError('database_in_use', `the embedded database at ${resolve(dir)} is held by lienthong serve (pid ${holder.pid}), which has not shared it after ${SERVE_START_WAIT_MS / 1000} s (still starting, or it could not open its socket: see its log)`);
          }
          continue;
        }
        throw new GatewayError('database_in_use', `the embedded database at ${resolve(dir)} is in use by another lienthong process (pid ${holder.pid}); PGlite allows one process at a time — wait for it to finish or stop it, run the command while \`lienthong serve\` holds the database instead (serve shares it), or use PostgreSQL (DATABASE_URL) to run several`);
      }
      await rm(file, { force: true });
    }
  }
  throw new GatewayError('database_in_use', `cannot lock the embedded database at ${resolve(dir)}`);
}

/** The serve's address once it has written it; undefined when the serve died first or took too long. */
async function waitForServe(dir: string, pid: number): Promise<ServeInfo | undefined> {
  const until = Date.now() + SERVE_START_WAIT_MS;
  for (;;) {
    const info = await readServeInfo(dir);
    if (info?.pid === pid) return info;
    if (!isAlive(pid) || Date.now() > until) return undefined;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function unlockFolder(dir: string): Promise<void> {
  const file = join(dir, LOCK_FILE);
  const { pid } = await readLock(file);
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
