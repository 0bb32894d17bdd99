import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { catalogContentHash, insertCatalogRow, selectCatalog, touchCatalogRow, updateCatalogRow, type CatalogRowContent } from './catalog.ts';

const entry = (over: Partial<CatalogRowContent> = {}): CatalogRowContent => ({
  code: '1.001234',
  validFrom: null,
  validTo: null,
  name: 'Đăng ký khai sinh',
  fieldCode: 'G09-TP01',
  fieldName: 'Hộ tịch',
  timeLimit: { value: 3, unit: 'working_days' },
  cutoff: '15:00',
  pausesForPayment: false,
  returnsDocument: true,
  basis: null,
  ...over,
});

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await openTestLedger();
});
afterAll(() => ledger?.close());

describe('procedure_catalog rows', () => {
  it('reads back dates as YYYY-MM-DD, instants as ISO, undated version first; a version is its code + valid_from', async () => {
    const at = new Date('2026-11-02T01:02:03.456Z');
    await insertCatalogRow(ledger, { entry: entry({ validFrom: '2026-07-01', validTo: '2027-06-30', timeLimit: { value: 5, unit: 'calendar_days' } }), source: 'file:a.json', hash: 'h-dated', raw: { MATTHC: '1.001234' }, at });
    await insertCatalogRow(ledger, { entry: entry(), source: 'file:a.json', hash: 'h-undated', raw: undefined, at });
    expect(await catalogContentHash(ledger, '1.001234', null)).toBe('h-undated');
    expect(await catalogContentHash(ledger, '1.001234', '2026-07-01')).toBe('h-dated');
    expect(await catalogContentHash(ledger, '1.001234', '2026-07-02')).toBeNull();
    const rows = await selectCatalog(ledger, { code: '1.001234', limit: 10 });
    expect(rows.map((r) => [r.validFrom, r.validTo, r.timeLimit.unit, r.contentHash])).toEqual([
      [null, null, 'working_days', 'h-undated'],
      ['2026-07-01', '2027-06-30', 'calendar_days', 'h-dated'],
    ]);
    expect(rows[0]).toMatchObject({ name: 'Đăng ký khai sinh', fieldName: 'Hộ tịch', cutoff: '15:00', returnsDocument: true, basis: null, fetchedAt: '2026-11-02T01:02:03.456Z', changedAt: '2026-11-02T01:02:03.456Z' });
    const [raw] = await ledger.rows<{ raw: unknown }>(sql`select raw from procedure_catalog where valid_from = '2026-07-01'`);
    expect(raw?.raw).toEqual({ MATTHC: '1.001234' });
  });

  it('a touch moves fetched_at and source only; an update moves changed_at too', async () => {
    await touchCatalogRow(ledger, { code: '1.001234', validFrom: null, source: 'target:portal', at: new Date('2026-11-03T00:00:00.000Z') });
    let [row] = await selectCatalog(ledger, { code: '1.001234', limit: 1 });
    expect(row).toMatchObject({ source: 'target:portal', fetchedAt: '2026-11-03T00:00:00.000Z', changedAt: '2026-11-02T01:02:03.456Z', name: 'Đăng ký khai sinh' });
    await updateCatalogRow(ledger, { entry: entry({ name: 'Đăng ký khai sinh lưu động', returnsDocument: null }), source: 'file:b.json', hash: 'h2', raw: null, at: new Date('2026-11-04T00:00:00.000Z') });
    [row] = await selectCatalog(ledger, { code: '1.001234', limit: 1 });
    expect(row).toMatchObject({ name: 'Đăng ký khai sinh lưu động', returnsDocument: null, contentHash: 'h2', source: 'file:b.json', fetchedAt: '2026-11-04T00:00:00.000Z', changedAt: '2026-11-04T00:00:00.000Z' });
    expect(await selectCatalog(ledger, { limit: 1 })).toHaveLength(1);
  });

  it('names the procedure and the field of a stored unit it does not know', async () => {
    await insertCatalogRow(ledger, { entry: entry({ code: '2.000001' }), source: 'file:c.json', hash: 'h3', raw: null, at: new Date() });
    await ledger.rows(sql`update procedure_catalog set time_limit_unit = 'weeks' where code = '2.000001'`);
    await expect(selectCatalog(ledger, { code: '2.000001', limit: 1 })).rejects.toThrow(/procedure_catalog 2\.000001: time_limit_unit "weeks"/);
  });
});
