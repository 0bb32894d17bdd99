import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgliteThread } from './pglite-thread.ts';
import { bulkJson } from './sql-helpers.ts';
import { openLedger, type Ledger } from './db.ts';

// The embedded database on its own thread, exercised through the same client drizzle uses.
describe('PGlite on its own thread', () => {
  let db: PgliteThread;
  beforeAll(async () => {
    db = await PgliteThread.create(undefined);
    await db.exec('create table t (id int primary key, name text, doc jsonb, at timestamptz)');
  });
  afterAll(async () => {
    await db.close();
  });

  it('returns rows as objects or arrays, jsonb parsed, dates as the database text when asked', async () => {
    await db.query(`insert into t values (1, 'Nguyễn Thị Ánh', '{"a":[1,"Hòa"]}', '2026-01-02T03:04:05Z')`);
    const { rows } = await db.query<Record<string, unknown>>('select * from t where id = $1', [1], { rowMode: 'object', parsers: { 1184: (v: string) => v } });
    expect(rows).toStrictEqual([{ id: 1, name: 'Nguyễn Thị Ánh', doc: { a: [1, 'Hòa'] }, at: '2026-01-02 03:04:05+00' }]);
    const arrays = await db.query<unknown[]>('select id, doc from t', [], { rowMode: 'array' });
    expect(arrays.rows).toStrictEqual([[1, { a: [1, 'Hòa'] }]]);
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    await db.transaction(async (tx) => {
      await tx.query('insert into t (id, name) values (2, $1)', ['kept']);
    });
    await expect(
      db.transaction(async (tx) => {
        await tx.query('insert into t (id, name) values (3, $1)', ['dropped']);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    const { rows } = await db.query<{ id: number }>('select id from t where id in (2, 3) order by id');
    expect(rows.map((r) => r.id)).toStrictEqual([2]);
  });

  it('carries the SQLSTATE of a failed statement, and rolls back the transaction it failed in', async () => {
    const failing = db.transaction(async (tx) => {
      await tx.query('insert into t (id, name) values (4, $1)', ['first']);
      await tx.query('insert into t (id, name) values (1, $1)', ['duplicate']);
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    const { rows } = await db.query('select id from t where id = 4');
    expect(rows).toStrictEqual([]);
  });
});

describe('bulk JSON parameter', () => {
  let ledger: Ledger;
  beforeAll(async () => {
    ledger = await openLedger(process.env['DATABASE_URL'] || 'pglite:memory', { migrate: false });
  });
  afterAll(async () => {
    await ledger.close();
  });

  it('brings Vietnamese text and characters outside the BMP through unchanged', async () => {
    const names = ['Nguyễn Văn Ân', 'Thủ tục cấp giấy phép', 'Hòa ☃ 𝒳', 'tab\there "quoted" \\ back'];
    const rows = await ledger.rows<{ name: string; n: number }>(sql`
      select x.name, length(x.name)::int as n from jsonb_to_recordset(${bulkJson(ledger.kind, JSON.stringify(names.map((name) => ({ name }))))}) as x(name text)`);
    expect(rows.map((r) => r.name)).toStrictEqual(names);
    expect(rows.map((r) => r.n)).toStrictEqual(names.map((s) => [...s].length));
  });
});
