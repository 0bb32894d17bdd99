import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { duplicateCodes, scanDossierPage } from './reconcile-read.ts';

let ledger: TestLedger;
beforeAll(async () => {
  ledger = await openTestLedger();
  const add = (source: string, code: string, unit: string | null, status: number, finished: string | null) =>
    ledger.rows(sql`insert into dossiers (source_id, code, unit_code, procedure_code, status, received_at, finished_at, raw, canonical, content_hash)
      values (${source}, ${code}, ${unit}, '1.001193', ${status}, '2026-10-05T02:00:00Z', ${finished}::timestamptz, '{}', ${JSON.stringify({ code, title: 'Cấp giấy phép' })}::jsonb, 'h')`);
  await add('local', '000.20.48.H48-261005-0001', '000.20.48.H48', 2, null);
  await add('local', '000.05.21.H48-261005-0002', '000.05.21.H48', 10, '2026-06-01T00:00:00Z');
  await add('local', '000.05.21.H48-261005-0003', null, 2, null);
  await add('other', '000.20.48.H48-261005-0001', null, 2, null);
  await ledger.rows(sql`insert into deliveries (dossier_id, target_id, version, status, delivered_version, attempts, last_error, last_answer, delivered_at)
    select id, 'dvcqg', 1, 'delivered', 1, 2, 'Lỗi kết nối', '{"result":"Thành công"}'::jsonb, '2026-10-06T03:04:05.678Z'
    from dossiers where source_id = 'local' and code = '000.20.48.H48-261005-0001'`);
});
afterAll(() => ledger?.close());

const base = { after: 0, limit: 10, sourceIds: ['local'], targetId: 'dvcqg', receivedBefore: '2026-11-01T00:00:00.000Z', finishedSince: '2026-09-01T00:00:00.000Z' };

describe('scanDossierPage', () => {
  it('reads the delivery to the target typed (answer parsed, instant as ISO), null without one; ended long ago left out', async () => {
    const rows = await scanDossierPage(ledger, base);
    expect(rows.map((r) => r.code)).toEqual(['000.20.48.H48-261005-0001', '000.05.21.H48-261005-0003']);
    expect(rows[0]?.delivery).toEqual({ id: expect.any(Number), status: 'delivered', version: 1, deliveredVersion: 1, attempts: 2, lastError: 'Lỗi kết nối', lastAnswer: { result: 'Thành công' }, deliveredAt: '2026-10-06T03:04:05.678Z' });
    expect(rows[0]?.canonical).toEqual({ code: '000.20.48.H48-261005-0001', title: 'Cấp giấy phép' });
    expect(rows[1]).toMatchObject({ unitCode: null, deleted: false, version: 1, delivery: null });
    expect(await scanDossierPage(ledger, { ...base, targetId: 'other-portal' })).toMatchObject([{ delivery: null }, { delivery: null }]);
  });

  it('keeps the dossiers the target receives by unit-code or code prefix, and pages by id', async () => {
    expect((await scanDossierPage(ledger, { ...base, units: ['000.05.21'] })).map((r) => r.code)).toEqual(['000.05.21.H48-261005-0003']);
    const [first] = await scanDossierPage(ledger, { ...base, limit: 1 });
    expect((await scanDossierPage(ledger, { ...base, after: first?.id ?? 0 })).map((r) => r.code)).toEqual(['000.05.21.H48-261005-0003']);
  });
});

describe('duplicateCodes', () => {
  it('names a code two sources hold, with both sources and the units', async () => {
    expect(await duplicateCodes(ledger, { sourceIds: ['local'], receivedBefore: '2026-11-01T00:00:00.000Z' })).toEqual([
      { code: '000.20.48.H48-261005-0001', units: ['', '000.20.48.H48'], sources: ['local', 'other'] },
    ]);
    expect(await duplicateCodes(ledger, { sourceIds: ['local'], receivedBefore: '2026-10-01T00:00:00.000Z' })).toEqual([]);
  });
});
