/**
 * The ledger on Workers: PostgreSQL through Hyperdrive with postgres.js, one small client per
 * invocation (a Worker cannot keep a socket between requests; Hyperdrive pools on its side).
 * No PGlite, no migrations (they run from Node: `lienthong` migrates on open).
 */
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import type { Db, Ledger } from './db.ts';
import * as schema from './schema.ts';

/**
 * @example
 * const ledger = openHyperdriveLedger(env.HYPERDRIVE.connectionString);
 * try { await ledger.rows(sql`select 1`); } finally { ctx.waitUntil(ledger.close()); }
 */
export function openHyperdriveLedger(connectionString: string): Ledger {
  // fetch_types: a round trip saved per connection; prepare: Hyperdrive supports prepared statements.
  const client = postgres(connectionString, { max: 5, fetch_types: false, onnotice: () => {}, connect_timeout: 10 });
  const db = drizzle(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    async rows<T>(query: SQL) {
      return (await db.execute(query)) as unknown as T[];
    },
    close: () => client.end({ timeout: 5 }),
  };
}
