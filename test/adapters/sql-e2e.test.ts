/**
 * sql end to end: a view in a real PostgreSQL database (the local system) → ledger → portal
 * simulator; then one row changes and only it is pulled and re-delivered.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterEach, expect, it } from 'vitest';
import { createTable, insertRow, ROWS, SQL_TABLES } from '../../adapters/sql/fixtures/rows.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../support/spine.ts';

const PG_URL = process.env['SQL_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
let spine: Spine | undefined;
let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await spine?.close();
  await cleanup?.();
  spine = undefined;
});

it('delivers rows of a PostgreSQL view to the portal simulator, then only the changed row', async () => {
  const schema = `lt_sql_e2e_${randomBytes(4).toString('hex')}`;
  const db = postgres(PG_URL, { max: 1, onnotice: () => {} });
  cleanup = async () => {
    await db.unsafe(`drop schema if exists ${schema} cascade`);
    await db.end();
  };
  await db.unsafe(`create schema ${schema}`);
  await db.unsafe(createTable('postgres', `${schema}.ho_so`));
  for (const r of ROWS) await db.unsafe(insertRow('postgres', `${schema}.ho_so`), r as never[]);
  await db.unsafe(`create view ${schema}.v_lien_thong as select * from ${schema}.ho_so where ma_ho_so like '000.%'`);

  spine = await startSpine({ count: 1 });
  const source = {
    id: 'motcua-db',
    adapter: 'sql',
    units: [],
    pageSize: 2,
    options: { dialect: 'postgres', urlEnv: 'MOTCUA_DB_URL', relation: `${schema}.v_lien_thong`, keyColumn: 'ma_ho_so', modifiedColumn: 'cap_nhat_luc', mapping: { fields: { TrichYeuHoSo: 'trich_yeu' } }, tables: SQL_TABLES },
  };
  const config = { ...spine.config, sources: [source] };
  const env = { ...spine.env, MOTCUA_DB_URL: PG_URL };
  process.env['MOTCUA_DB_URL'] = PG_URL; // while ingest reads the process environment by default
  try {
    const first = await runSync(spine.ledger, config, { env });
    expect(first.sources).toEqual([{ id: 'motcua-db', pulled: 5, new: 4, changed: 0, unchanged: 0, quarantined: 1 }]);
    expect(first.targets[0]).toMatchObject({ delivered: 4, dead: 0, pending: 0 });
    expect(spine.sim.dossier('000.00.12.H48-240305-0002')?.record).toMatchObject({ TrangThaiHoSo: '5', MaTTHC: '2.000488', NgayTiepNhan: '20240305091520' });
    await db.unsafe(`update ${schema}.ho_so set trang_thai = 'DA_TRA', cap_nhat_luc = '2024-03-09 10:00:00' where ma_ho_so = '000.00.14.H48-240307-0001'`);
    const second = await runSync(spine.ledger, config, { env });
    expect(second.sources[0]).toMatchObject({ pulled: 1, changed: 1 });
    expect(spine.sim.dossier('000.00.14.H48-240307-0001')).toMatchObject({ pushes: 2, record: { TrangThaiHoSo: '10' } });
  } finally {
    delete process.env['MOTCUA_DB_URL'];
  }
});
