/**
 * A new, empty PostgreSQL database next to `base` (for tests and benchmarks), dropped on demand.
 * Free of vitest, so benchmarks can use it too.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

export async function createScratchDatabase(base: string, prefix = 'lt_test'): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin`create database ${admin(name)}`;
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const again = postgres(base, { max: 1, onnotice: () => {} });
      await again`drop database if exists ${again(name)} with (force)`;
      await again.end();
    },
  };
}
