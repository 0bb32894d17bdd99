/**
 * Reconciliation: checksum bisection versus a full comparison of a source's keys with the ledger.
 * Seeds N dossiers into the ledger (SQL, by generate_series), builds a source holding the same keys
 * with D planted differences (a third never pulled, a third deleted at the source, a third with a
 * newer version), and prints, for each method, the time and the rows / requests it examined.
 *   npm run bench -- reconcile --n 1000000 --diffs 100     (DATABASE_URL=postgres://… for PostgreSQL)
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { openLedger, resolveDatabaseUrl } from '../src/ledger/db.ts';
import { bisect, compareAll, memorySide, type DiffStats } from '../src/reconcile/checksum.ts';
import { ledgerSide } from '../src/reconcile/ledger-side.ts';
import type { SourceKey } from '../src/sdk/index.ts';

const UNITS = ['000.20.48.H48', '000.05.21.H48', '000.31.48.H48', '000.12.48.H48'];
const codeOf = (i: number) => `${UNITS[i % 4]}-26${String(1 + ((i >> 2) % 12)).padStart(2, '0')}${String(1 + ((i >> 4) % 28)).padStart(2, '0')}-${String(i).padStart(7, '0')}`;
const hashOf = (s: string) => createHash('sha256').update(s).digest('hex');

function line(s: DiffStats, found: number): string {
  return `${s.method.padEnd(9)} ${(s.ms / 1000).toFixed(2).padStart(7)} s  ${String(s.requests).padStart(6)} requests  ${String(s.rowsListed).padStart(9)} rows listed  ${String(s.rowsChecksummed).padStart(10)} rows checksummed in the database/source  ${found} differences`;
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string', default: '1000000' }, diffs: { type: 'string', default: '100' }, factor: { type: 'string', default: '16' }, leaf: { type: 'string', default: '256' } } });
  const n = Number(values.n);
  const d = Number(values.diffs);
  const dir = await mkdtemp(join(tmpdir(), 'lt-bench-rec-'));
  // On PostgreSQL the benchmark uses a database of its own, dropped at the end.
  const base = process.env['DATABASE_URL'];
  const dbName = `lt_bench_${randomBytes(4).toString('hex')}`;
  let url = resolveDatabaseUrl(`pglite:${join(dir, 'db')}`, {});
  if (base) {
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin`create database ${admin(dbName)}`;
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${dbName}`;
    url = u.toString();
  }
  const ledger = await openLedger(url);
  try {
    console.log(`lienthong bench reconcile: ${n} ledger dossiers, ${d} planted differences, ${url.startsWith('pglite:') ? 'PGlite (on disk)' : 'PostgreSQL'}`);
    let t = performance.now();
    for (let from = 0; from < n; from += 250_000) {
      const to = Math.min(n, from + 250_000) - 1;
      await ledger.rows(sql`insert into dossiers (source_id, code, procedure_code, status, raw, canonical, content_hash)
        select 'bench', ${sql.raw(`(array['${UNITS.join("','")}'])`)}[i % 4 + 1] || '-26' || lpad((1 + (i >> 2) % 12)::text, 2, '0') || lpad((1 + (i >> 4) % 28)::text, 2, '0') || '-' || lpad(i::text, 7, '0'),
               '1.001193', 4, '{}', '{}'::jsonb, encode(sha256(convert_to('v1-' || i, 'UTF8')), 'hex')
        from generate_series(${from}::int, ${to}::int) as i`);
    }
    await ledger.rows(sql`analyze dossiers`);
    console.log(`seeded the ledger in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    t = performance.now();
    const keys: SourceKey[] = [];
    const step = Math.max(1, Math.floor(n / d));
    const planted = { onlySource: 0, onlyLedger: 0, changed: 0 };
    for (let i = 0; i < n; i++) {
      const kind = i % step === step >> 1 && planted.onlySource + planted.onlyLedger + planted.changed < d ? (i / step) % 3 | 0 : -1;
      if (kind === 1) {
        planted.onlyLedger++;
        continue; // deleted at the source
      }
      keys.push({ key: codeOf(i), hash: kind === 2 ? hashOf(`v2-${i}`) : hashOf(`v1-${i}`) });
      if (kind === 2) planted.changed++;
      if (kind === 0) {
        planted.onlySource++;
        keys.push({ key: `${codeOf(i)}b`, hash: hashOf(`new-${i}`) }); // never pulled
      }
    }
    const source = memorySide('source', keys);
    console.log(`built the source listing (${keys.length} keys) in ${((performance.now() - t) / 1000).toFixed(1)} s; planted ${JSON.stringify(planted)}`);

    const side = ledgerSide(ledger, 'bench');
    const fast = await bisect(side, source, { factor: Number(values.factor), leaf: Number(values.leaf) });
    const count = (x: typeof fast.diff) => x.onlyLedger.length + x.onlySource.length + x.changed.length;
    console.log(line(fast.stats, count(fast.diff)));
    const full = await compareAll(side, source, 10_000);
    console.log(line(full.stats, count(full.diff)));
    const same = JSON.stringify(fast.diff.changed.map((c) => c.key).sort()) === JSON.stringify(full.diff.changed.map((c) => c.key).sort()) && count(fast.diff) === count(full.diff);
    console.log(`both methods found the same ${count(full.diff)} differences: ${same}; bisection listed ${(full.stats.rowsListed / Math.max(1, fast.stats.rowsListed)).toFixed(0)}× fewer rows`);
  } finally {
    await ledger.close();
    await rm(dir, { recursive: true, force: true });
    if (base) {
      const admin = postgres(base, { max: 1, onnotice: () => {} });
      await admin`drop database if exists ${admin(dbName)} with (force)`;
      await admin.end();
    }
  }
}
