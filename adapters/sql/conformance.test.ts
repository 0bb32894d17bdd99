/**
 * `sql` over the shared conformance suite, once on the real PostgreSQL and once on the real
 * MariaDB, with one golden file for both: a dialect changes how rows are read, never the dossier.
 * Tables get unique names and are dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { checkAuthRefused, parseOptions, pullAll } from '../../src/sdk/conformance/index.ts';
import { describeConformance } from '../../src/sdk/conformance/suite.ts';
import { createTable, insertRow, ROWS, SQL_TABLES } from './fixtures/rows.ts';
import { openDialect } from './dialect.ts';
import { sqlAdapter } from './index.ts';

export const PG_URL = process.env['SQL_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env['SQL_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/test';

const golden = fileURLToPath(new URL('./golden/rows.json', import.meta.url));
const malformed = [
  { name: 'not a row', raw: null, paths: [''] },
  { name: 'unknown status, bad date, no summary', raw: { ma_ho_so: 'X-1', ma_thu_tuc: '1.1', ten_thu_tuc: 't', don_vi_xu_ly: 'UBND', loai_doi_tuong: '1', hinh_thuc: '0', ngay_tiep_nhan: '2024-02-30 08:00:00', trang_thai: 'LA' }, paths: ['ngay_tiep_nhan', 'trang_thai', 'trich_yeu'] },
];

for (const dialect of ['postgres', 'mysql'] as const) {
  describe(`sql on ${dialect}`, () => {
    const table = `lt_sql_${randomBytes(5).toString('hex')}`;
    const url = dialect === 'postgres' ? PG_URL : MYSQL_URL;
    // PostgreSQL here trusts local connections and ignores the password: it proves the secret is passed and never shown.
    const secret = dialect === 'postgres' ? { password: 'lt-conformance-Secret-9' } : {};
    const options = { dialect, url, ...secret, relation: table, keyColumn: 'ma_ho_so', modifiedColumn: 'cap_nhat_luc', mapping: { fields: { TrichYeuHoSo: 'trich_yeu' } }, tables: SQL_TABLES };
    let exec: (text: string, params?: unknown[]) => Promise<unknown>;
    let end: () => Promise<void>;

    beforeAll(async () => {
      if (dialect === 'postgres') {
        const sql = postgres(url, { max: 1, onnotice: () => {} });
        exec = (t, p = []) => sql.unsafe(t, p as never[]);
        end = () => sql.end();
      } else {
        const conn = await mysql.createConnection(url);
        exec = (t, p = []) => conn.query(t, p);
        end = () => conn.end();
      }
      await exec(createTable(dialect, table));
      for (const r of ROWS) await exec(insertRow(dialect, table), r);
    });
    afterAll(async () => {
      await exec(`drop table if exists ${table}`);
      await end();
    });

    describeConformance({ adapter: sqlAdapter, options, golden, expectRecords: ROWS.length, http: false, malformed });

    it('reads a change after the cursor, and only it, in keyset order', async () => {
      const o = parseOptions(sqlAdapter, options);
      const first = await pullAll({ adapter: sqlAdapter, options: o, pageSize: 10 });
      await exec(`update ${table} set trang_thai = 'DA_TRA', cap_nhat_luc = '2024-03-08 09:00:00' where ma_ho_so = '000.00.12.H48-240305-0001'`);
      const next = await pullAll({ adapter: sqlAdapter, options: o, pageSize: 10 }, first.cursors.at(-1));
      expect(next.records.map((r) => r.key)).toStrictEqual(['000.00.12.H48-240305-0001']);
      await exec(`update ${table} set trang_thai = 'DANG_XU_LY', cap_nhat_luc = '2024-03-05 08:30:00.000500' where ma_ho_so = '000.00.12.H48-240305-0001'`);
    });

    it('lists key ranges in byte order with versions and hashes computed in the database', async () => {
      const o = parseOptions(sqlAdapter, options) as Parameters<NonNullable<typeof sqlAdapter.list>>[0];
      const pages = [];
      for await (const p of sqlAdapter.list!(o, { from: '000.00.12.H48-240305-0002', to: '000.00.14' }, { pageSize: 2 })) pages.push(p);
      expect(pages.map((p) => p.length)).toStrictEqual([2, 1]);
      const keys = pages.flat();
      expect(keys.map((k) => k.key)).toStrictEqual(['000.00.12.H48-240305-0002', '000.00.13.H48-240306-0001', '000.00.13.H48-240306-0002']);
      expect(keys.every((k) => /^[0-9a-f]{32}$/.test(k.hash) && k.version !== undefined)).toBe(true);
      await exec(`update ${table} set ghi_chu = 'đã sửa' where ma_ho_so = '000.00.13.H48-240306-0001'`);
      const again = [];
      for await (const p of sqlAdapter.list!(o, { from: '000.00.12.H48-240305-0002', to: '000.00.14' }, { pageSize: 10 })) again.push(...p);
      expect(again.filter((k, i) => k.hash !== keys[i]?.hash).map((k) => k.key)).toStrictEqual(['000.00.13.H48-240306-0001']);
      await exec(`update ${table} set ghi_chu = null where ma_ho_so = '000.00.13.H48-240306-0001'`);
    });

    it('lists keys with the ledger content hash and fetches rows by key', async () => {
      const o = parseOptions(sqlAdapter, options) as Parameters<NonNullable<typeof sqlAdapter.listKeys>>[0];
      const keys = [];
      for await (const p of sqlAdapter.listKeys!(o, { from: null, to: null }, { pageSize: 3 })) keys.push(...p);
      expect(keys).toHaveLength(ROWS.length);
      expect(keys.filter((k) => k.hash.startsWith('invalid:')).map((k) => k.key)).toStrictEqual(['000.00.13.H48-240306-0002']);
      const fetched = [];
      for await (const p of sqlAdapter.fetch!(o, ['000.00.14.H48-240307-0001', 'none'], { pageSize: 10 })) fetched.push(...p);
      expect(fetched.map((r) => r.key)).toStrictEqual(['000.00.14.H48-240307-0001']);
    });

    it('hands over dates and timestamps as the database prints them, whatever the host zone', async () => {
      // The suite's zone is America/Los_Angeles: a value that went through a JavaScript Date would come back as an object or shifted.
      const d = openDialect(sqlAdapter.configSchema.parse(options));
      try {
        if (dialect === 'postgres') {
          const [row] = await d.query("select cast('2024-03-05 09:15:20.0005' as timestamp(6)) as t, cast('2024-03-05' as date) as d, cast('2024-03-05 09:15:20+07' as timestamptz) as z, cast(? as text) as p", ['2024-03-05 23:30:00']);
          expect(row).toStrictEqual({ t: '2024-03-05 09:15:20.0005', d: '2024-03-05', z: '2024-03-05 09:15:20+07', p: '2024-03-05 23:30:00' });
        } else {
          const [row] = await d.query("select cast('2024-03-05 09:15:20.000500' as datetime(6)) as t, cast('2024-03-05' as date) as d, from_unixtime(1709604920) as z, cast(? as char) as p", ['2024-03-05 23:30:00']);
          expect(row).toStrictEqual({ t: '2024-03-05 09:15:20.000500', d: '2024-03-05', z: '2024-03-05 09:15:20', p: '2024-03-05 23:30:00' });
        }
      } finally {
        await d.close();
      }
    });

    it('reads a configured query instead of a relation, values still bound', async () => {
      const { relation: _r, ...rest } = options;
      const o = parseOptions(sqlAdapter, { ...rest, query: `select * from ${table} where trang_thai <> 'HUY'` });
      const pulled = await pullAll({ adapter: sqlAdapter, options: o, pageSize: 3 });
      expect(pulled.records.map((r) => r.key)).not.toContain('000.00.13.H48-240306-0002');
      expect(pulled.records).toHaveLength(ROWS.length - 1);
    });

    it('turns refused credentials or an unknown database into a configuration error naming no secret', async () => {
      const bad = dialect === 'postgres' ? { ...options, url: PG_URL.replace(/\/[^/]*$/, '/lt_no_such_db'), password: 'Pa55-w0rd-sql' } : { ...options, password: 'Pa55-w0rd-sql' };
      const err = await checkAuthRefused({ adapter: sqlAdapter, options: parseOptions(sqlAdapter, bad) }, ['Pa55-w0rd-sql']);
      expect(err).toBeInstanceOf(ConfigError);
    });
  });
}
