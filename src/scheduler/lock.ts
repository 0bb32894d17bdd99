/**
 * A run never overlaps itself, even across processes: on PostgreSQL a session advisory lock held on
 * a reserved connection for the whole run; on PGlite (one process by construction) a process-local
 * set. A lock is released when its holder releases it or when its connection dies (crash).
 */
import type { Ledger } from '../ledger/db.ts';

/** Releases a held lock. */
export type Release = () => Promise<void>;

export interface RunLock {
  /** The lock named `name`, or null when someone (this process or another) holds it. */
  tryAcquire(name: string): Promise<Release | null>;
}

/** First key of the two-key advisory lock: lienthong's runs (7261 is the migration lock). */
const LOCK_SPACE = 7262;

interface ReservedSql {
  unsafe(query: string, params: unknown[]): Promise<Record<string, unknown>[]>;
  release(): void;
}
interface PostgresClient {
  reserve(): Promise<ReservedSql>;
}

/** Locks held in this process, per database. */
const heldByDb = new WeakMap<object, Set<string>>();

/**
 * @example
 * const release = await createRunLock(ledger).tryAcquire('sync:qt-motcua');
 * if (!release) return 'already running';
 * try { await runSync(…); } finally { await release(); }
 */
export function createRunLock(ledger: Ledger): RunLock {
  let held = heldByDb.get(ledger.db);
  if (!held) heldByDb.set(ledger.db, (held = new Set()));
  const local: RunLock = {
    async tryAcquire(name) {
      if (held.has(name)) return null;
      held.add(name);
      return async () => {
        held?.delete(name);
      };
    },
  };
  if (ledger.kind !== 'postgres') return local;
  const client = (ledger.db as unknown as { $client: PostgresClient }).$client;
  return {
    async tryAcquire(name) {
      // The process-local set first: the same process never asks PostgreSQL twice for one lock.
      const releaseLocal = await local.tryAcquire(name);
      if (!releaseLocal) return null;
      const conn = await client.reserve();
      try {
        const [row] = await conn.unsafe('select pg_try_advisory_lock($1, hashtext($2)) as ok', [LOCK_SPACE, name]);
        if (row?.['ok'] === true) {
          return async () => {
            try {
              await conn.unsafe('select pg_advisory_unlock($1, hashtext($2))', [LOCK_SPACE, name]);
            } finally {
              conn.release();
              await releaseLocal();
            }
          };
        }
      } catch (e) {
        conn.release();
        await releaseLocal();
        throw e;
      }
      conn.release();
      await releaseLocal();
      return null;
    },
  };
}
