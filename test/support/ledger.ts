/**
 * A fresh, migrated ledger for one test: PGlite from the template by default, or a new database
 * on the PostgreSQL of DATABASE_URL (dropped afterwards). Never a mock.
 */
import { readFile } from 'node:fs/promises';
import { inject } from 'vitest';
import { openLedger, type Ledger } from '../../src/ledger/db.ts';
import { createScratchDatabase } from './postgres.ts';

export interface TestLedger extends Ledger {
  /** The URL another process can open (PostgreSQL only; PGlite is single-process). */
  url: string | null;
}

export const usingPostgres = Boolean(process.env['DATABASE_URL']);

export async function openTestLedger(): Promise<TestLedger> {
  const base = process.env['DATABASE_URL'];
  if (!base) {
    const bytes = await readFile(inject('pgliteTemplate'));
    const ledger = await openLedger('pglite:memory', { loadDataDir: new Blob([bytes]), migrate: false });
    return { ...ledger, url: null };
  }
  const pg = (await createPostgresDatabase())!;
  const ledger = await openLedger(pg.url);
  return {
    ...ledger,
    url: pg.url,
    async close() {
      await ledger.close();
      await pg.drop();
    },
  };
}

/** A new, empty PostgreSQL database URL for tests that spawn processes (null on PGlite). */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> } | null> {
  const base = process.env['DATABASE_URL'];
  return base ? createScratchDatabase(base) : null;
}
