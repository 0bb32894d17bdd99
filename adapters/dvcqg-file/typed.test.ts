/**
 * Typed exports through `dvcqg-file` into the ledger (issue #10 item 10): a TD-like `.NET` export
 * (numbers, booleans, `/Date(…)/`, ISO dates, nulls) and an HG-like `HsDongBo` export (ISO dates
 * without an offset, no TrichYeuHoSo) are stored with one warning per coerced value; a record with
 * a value that cannot be read is quarantined naming the record and the field, and the other
 * records of the page are stored.
 */
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../schemas/config.ts';
import type { Dossier } from '../../schemas/dossier.ts';
import { getDossierDetail, listQuarantine } from '../../src/ledger/queries.ts';
import { ingestSource } from '../../src/pipeline/ingest.ts';
import type { AdapterDefinition } from '../../src/sdk/index.ts';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { dvcqgFileAdapter } from './index.ts';

const adapter = dvcqgFileAdapter as unknown as AdapterDefinition<unknown, unknown>;
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/typed/${name}`, import.meta.url));
const source = (path: string): SourceConfig => ({ id: 'typed', adapter: 'dvcqg-file', options: { path }, units: [], pageSize: 10 });

let ledger: TestLedger;
beforeEach(async () => {
  ledger = await openTestLedger();
});
afterEach(async () => {
  await ledger.close();
});

async function stored(code: string): Promise<Dossier> {
  const [d] = await getDossierDetail(ledger, code);
  expect(d, `${code} stored`).toBeDefined();
  return d!.canonical as Dossier;
}

describe('dvcqg-file: typed exports', () => {
  it('TD-like .NET export: typed values stored in the contract form, one warning each; the bad record quarantined, the others stored', async () => {
    const summary = await ingestSource(ledger, source(fixture('td-typed.json')), adapter, { runId: null, targetIds: ['national'] });
    expect(summary).toMatchObject({ pulled: 3, new: 2, quarantined: 1 });

    const d = await stored('000.00.12.H56-240610-0001');
    // /Date(1718000000000+0700)/ = 2024-06-10 06:13:20 UTC; "2024-06-24T17:00:00" is Vietnam time = 10:00 UTC.
    expect(d.dates).toMatchObject({ receivedAt: '2024-06-10T06:13:20.000Z', dueAt: '2024-06-24T10:00:00.000Z', submittedAt: '2024-06-10T06:13:20.000Z', returnedAt: null });
    expect(d.status.code).toBe(4);
    expect(d.channel).toBe('online');
    expect(d.applicant.type).toBe('citizen');
    expect(d.flags).toEqual({ hasDigitisedComponents: true, vneidVerified: false, paidOnline: '0' });
    expect(d.documents[0]).toMatchObject({ fileId: '40002', deleted: false, digitised: true, reuse: '0', fromPersonalStore: false });
    expect(d.fees[0]).toMatchObject({ amount: '8000', collection: '1', type: '2' });
    expect(d.databasesConsulted).toEqual(['7']);
    expect(d.progress[0]).toMatchObject({ at: '2024-06-10T06:13:20.000Z', startedAt: '2024-06-10T06:13:20.000Z', dueAt: '2024-06-24T10:00:00.000Z', status: 2 });
    const warned = d.warnings.map((w) => w.path);
    expect(warned).toHaveLength(new Set(warned).size);
    expect([...warned].sort()).toEqual([
      'DSKetNoiCSDL[0].MaCSDL',
      'DanhSachLePhi[0].Gia',
      'DanhSachLePhi[0].HinhThucThu',
      'DanhSachLePhi[0].LoaiPhiLePhi',
      'DinhDanhCHS[0].LoaiDinhDanh',
      'DuocThanhToanTrucTuyen',
      'HinhThuc',
      'HoSoCoThanhPhanSoHoa',
      'KenhThucHien',
      'LoaiDoiTuong',
      'NgayHenTra',
      'NgayNopHoSo',
      'NgayTiepNhan',
      'QuaTrinhXuLy[0].NgayBatDau',
      'QuaTrinhXuLy[0].NgayKetThucTheoQuyDinh',
      'QuaTrinhXuLy[0].ThoiDiemXuLy',
      'QuaTrinhXuLy[0].TrangThai',
      'TaiKhoanDuocXacThucVoiVNeID',
      'TaiLieuNop[0].DuocLayTuKhoDMQG',
      'TaiLieuNop[0].DuocSoHoa',
      'TaiLieuNop[0].DuocTaiSuDung',
      'TaiLieuNop[0].IsDeleted',
      'TaiLieuNop[0].TepDinhKemId',
      'TrangThaiHoSo',
    ]);
    expect(d.warnings.find((w) => w.path === 'NgayTiepNhan')?.message).toBe('MaHoSo 000.00.12.H56-240610-0001, NgayTiepNhan: "/Date(1718000000000+0700)/" read as 20240610131320');

    // Already in the contract's form apart from an ISO date: one warning.
    const third = await stored('000.00.12.H56-240611-0003');
    expect(third.dates.receivedAt).toBe('2024-06-11T02:00:00.000Z');
    expect(third.warnings).toEqual([{ path: 'NgayTiepNhan', message: 'MaHoSo 000.00.12.H56-240611-0003, NgayTiepNhan: "2024-06-11T02:00:00Z" read as 20240611090000' }]);

    const [bad] = await listQuarantine(ledger, { sourceId: 'typed' });
    expect(bad).toMatchObject({ recordKey: '000.00.12.H56-240610-0002', location: 'td-typed.json[1]' });
    expect(bad!.issues.map((i) => [i.path, i.message])).toEqual([
      ['ChuHoSo', 'an object where text is expected (MaHoSo 000.00.12.H56-240610-0002)'],
      ['NgayHenTra', 'the number 12345 is not a date (neither yyyyMMddHHmmss nor epoch milliseconds of 1973–2100) (MaHoSo 000.00.12.H56-240610-0002)'],
    ]);
  });

  it('HG-like HsDongBo export: ISO local dates read as Vietnam time, a missing TrichYeuHoSo filled with TenTTHC and a warning', async () => {
    const summary = await ingestSource(ledger, source(fixture('hg-hsdongbo.ndjson')), adapter, { runId: null, targetIds: ['national'] });
    expect(summary).toMatchObject({ pulled: 2, new: 2, quarantined: 0 });
    const first = await stored('000.00.15.H22-240612-0001');
    expect(first.summary).toBe('Chứng thực bản sao từ bản chính');
    expect(first.dates).toMatchObject({ receivedAt: '2024-06-12T01:05:00.000Z', dueAt: '2024-06-12T10:00:00.000Z' });
    expect(first.warnings).toEqual([
      { path: 'NgayTiepNhan', message: 'MaHoSo 000.00.15.H22-240612-0001, NgayTiepNhan: "2024-06-12T08:05:00" read as 20240612080500' },
      { path: 'NgayHenTra', message: 'MaHoSo 000.00.15.H22-240612-0001, NgayHenTra: "2024-06-12T17:00:00" read as 20240612170000' },
      { path: 'TrichYeuHoSo', message: 'MaHoSo 000.00.15.H22-240612-0001, TrichYeuHoSo: absent (required by the contract) filled with TenTTHC' },
    ]);
    const second = await stored('000.00.15.H22-240612-0002');
    expect(second.warnings).toEqual([{ path: 'TrichYeuHoSo', message: 'MaHoSo 000.00.15.H22-240612-0002, TrichYeuHoSo: "" (required by the contract) filled with TenTTHC' }]);
  });
});
