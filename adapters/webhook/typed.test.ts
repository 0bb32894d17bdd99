/**
 * The webhook's portal mode accepts typed pushes (issue #10 item 10) as `dvcqg-file` does: a
 * `.NET`-style body (numbers, booleans, `/Date(…)/` and ISO dates, nulls, no TrichYeuHoSo) is stored
 * with one warning per coerced value; a record with an unreadable value is quarantined naming the
 * record and the field, the others of the push are stored. A declared mapping is not affected.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dossier } from '../../schemas/dossier.ts';
import { getDossierDetail, listQuarantine } from '../../src/ledger/queries.ts';
import { storePage } from '../../src/ledger/store-page.ts';
import { mapRecords } from '../../src/pipeline/ingest.ts';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { mapPushedRecords, webhookAdapter } from './index.ts';

const typedPush = {
  session: '',
  madonvi: '000.00.00.H56',
  service: 'DongBoHoSoMC',
  data: [
    {
      MaHoSo: '000.00.12.H56-240610-0101',
      MaTTHC: '1.001193',
      TenTTHC: 'Đăng ký khai sinh',
      LoaiDoiTuong: 1,
      NgayTiepNhan: '/Date(1718000000000+0700)/',
      NgayHenTra: '2024-06-24T17:00:00',
      TrangThaiHoSo: 2,
      HinhThuc: 0,
      DonViXuLy: 'UBND xã Đông Hòa',
      GhiChu: null,
      TaiLieuNop: [{ TepDinhKemId: 1, IsDeleted: false }],
    },
    { MaHoSo: '000.00.12.H56-240610-0102', MaTTHC: '1.001193', TenTTHC: 'Đăng ký khai sinh', TrichYeuHoSo: 'x', LoaiDoiTuong: '1', NgayTiepNhan: 99, TrangThaiHoSo: '2', HinhThuc: '0', DonViXuLy: 'UBND' },
  ],
};

describe('webhook portal mode: typed pushes', () => {
  let ledger: TestLedger;
  beforeEach(async () => {
    ledger = await openTestLedger();
  });
  afterEach(async () => {
    await ledger.close();
  });

  it('maps a typed record with one warning per coerced value; an unreadable value names the record and the field', () => {
    const [good, bad] = mapPushedRecords(typedPush, {}, { location: 'push t1' });
    expect(good!.outcome.ok).toBe(true);
    const d = good!.outcome.ok ? good!.outcome.value : (null as never);
    // 1718000000000 ms = 2024-06-10 06:13:20 UTC; "2024-06-24T17:00:00" is Vietnam time = 10:00 UTC.
    expect(d.dates).toMatchObject({ receivedAt: '2024-06-10T06:13:20.000Z', dueAt: '2024-06-24T10:00:00.000Z' });
    expect(d.summary).toBe('Đăng ký khai sinh');
    expect(d.warnings.map((w) => w.path).sort()).toEqual(['HinhThuc', 'LoaiDoiTuong', 'NgayHenTra', 'NgayTiepNhan', 'TaiLieuNop[0].IsDeleted', 'TaiLieuNop[0].TepDinhKemId', 'TrangThaiHoSo', 'TrichYeuHoSo']);
    expect(bad!.outcome).toEqual({
      ok: false,
      issues: [{ path: 'NgayTiepNhan', code: 'typed_value', message: 'the number 99 is not a date (neither yyyyMMddHHmmss nor epoch milliseconds of 1973–2100) (MaHoSo 000.00.12.H56-240610-0102)' }],
    });
  });

  it('stores the readable records with their warnings and quarantines the other one', async () => {
    const options = webhookAdapter.configSchema.parse({});
    const records = mapPushedRecords(typedPush, options, { location: 'push t2' }).map((p) => p.record);
    const { valid, invalid } = mapRecords(webhookAdapter as never, 'pushed', records, options);
    const res = await storePage(ledger, { sourceId: 'pushed', runId: null, valid, invalid, targetIds: ['national'] });
    expect(res).toMatchObject({ new: 1, quarantined: 1 });
    const [stored] = await getDossierDetail(ledger, '000.00.12.H56-240610-0101');
    const warnings = (stored!.canonical as Dossier).warnings;
    expect(warnings.find((w) => w.path === 'NgayTiepNhan')?.message).toBe('MaHoSo 000.00.12.H56-240610-0101, NgayTiepNhan: "/Date(1718000000000+0700)/" read as 20240610131320');
    const [q] = await listQuarantine(ledger, { sourceId: 'pushed' });
    expect(q).toMatchObject({ recordKey: '000.00.12.H56-240610-0102', issues: [{ path: 'NgayTiepNhan' }] });
  });
});
