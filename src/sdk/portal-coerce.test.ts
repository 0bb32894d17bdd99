/**
 * The coercion table of typed portal-format exports (issue #10 item 10): each accepted form, its
 * contract value and its one warning; refused values with the record and the field; the dates
 * reader of src/sdk/dates.ts. Expected values are worked out by hand (UTC+7, no daylight saving).
 */
import { describe, expect, it } from 'vitest';
import { parsePortalRecord } from '../dossier/index.ts';
import { readTypedDate } from './dates.ts';
import { coercePortalRecord, mapTypedPortalRecord, MAX_COERCIONS_PER_RECORD } from './portal-coerce.ts';

const base = {
  MaHoSo: '000.00.12.H56-240610-0001',
  MaTTHC: '1.001193',
  TenTTHC: 'Đăng ký khai sinh',
  LoaiDoiTuong: '1',
  TrichYeuHoSo: 'Đăng ký khai sinh',
  NgayTiepNhan: '20240610090000',
  TrangThaiHoSo: '2',
  HinhThuc: '0',
  DonViXuLy: 'UBND xã Đông Hòa',
};

describe('readTypedDate', () => {
  it.each([
    ['20240610143000', '20240610143000', 'portal'],
    [20240610143000, '20240610143000', 'portal'],
    // 1718000000000 ms = 2024-06-10 06:13:20 UTC = 13:13:20 in Vietnam; the written offset does not move the instant.
    ['/Date(1718000000000+0700)/', '20240610131320', 'dotnet'],
    ['/Date(1718000000000)/', '20240610131320', 'dotnet'],
    ['/Date(1718000000000-0500)/', '20240610131320', 'dotnet'],
    [1718000000000, '20240610131320', 'epoch-ms'],
    ['2024-06-10T07:30:00Z', '20240610143000', 'iso'],
    ['2024-06-10T14:30:00+07:00', '20240610143000', 'iso'],
    ['2024-06-10T09:30:00+02:00', '20240610143000', 'iso'],
    ['2024-06-10T14:30:00', '20240610143000', 'iso'],
    ['2024-06-10T14:30:00.1234567', '20240610143000', 'iso'],
    ['2024-06-10', '20240610000000', 'iso'],
    ['2024-06-09T20:00:00Z', '20240610030000', 'iso'],
  ] as const)('%s → %s', (input, value, form) => {
    expect(readTypedDate(input)).toEqual({ ok: true, value, form });
  });

  it.each([
    [12345, /12345 is not a date/],
    [20241310143000, /not a date/],
    [1.5e12 + 0.5, /not a whole number/],
    ['2024-02-30T10:00:00', /not a calendar date/],
    ['31/02/2024', /not a date \(expected yyyyMMddHHmmss, ISO 8601 or \/Date/],
    ['hôm nay', /not a date/],
    // A blank instead of `T` is SQL text, not what a typed serialiser writes: not taken.
    ['2024-06-10 14:30:00', /not a date \(expected/],
  ] as const)('refuses %s', (input, message) => {
    const r = readTypedDate(input);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(message);
  });
});

describe('coercePortalRecord', () => {
  it('leaves a record in the contract form as it is (same object, no warning)', () => {
    const r = coercePortalRecord(base);
    expect(r.value).toBe(base);
    expect(r.warnings).toEqual([]);
    expect(r.issues).toEqual([]);
  });

  it('reads each typed value into the contract form with one warning naming the record and the field', () => {
    const input = {
      ...base,
      TrangThaiHoSo: 4,
      HinhThuc: 0,
      NgayHenTra: '2024-06-24T17:00:00',
      NgayTra: null,
      HoSoCoThanhPhanSoHoa: true,
      TaiKhoanDuocXacThucVoiVNeID: 'False',
      SoGiayToChuHoSo: 38001440594,
      TaiLieuNop: [{ TepDinhKemId: 40002, IsDeleted: false, DuocSoHoa: true }],
      DanhSachLePhi: [{ Gia: 8000.5 }],
      DanhSachGiayToKetQua: [{ TenGiayTo: 'Giấy khai sinh', GiayToId: 7 }],
      QuaTrinhXuLy: [{ MaHoSo: base.MaHoSo, NguoiXuLy: 'A', NoiDungXuLy: 'n', TrangThai: 2, ThoiDiemXuLy: '/Date(1718000000000+0700)/' }],
    };
    const before = structuredClone(input);
    const r = coercePortalRecord(input);
    expect(r.issues).toEqual([]);
    expect(r.value).toMatchObject({
      TrangThaiHoSo: '4',
      HinhThuc: '0',
      NgayHenTra: '20240624170000',
      NgayTra: null,
      HoSoCoThanhPhanSoHoa: '1',
      TaiKhoanDuocXacThucVoiVNeID: '0',
      SoGiayToChuHoSo: '38001440594',
      TaiLieuNop: [{ TepDinhKemId: '40002', IsDeleted: 'False', DuocSoHoa: '1' }],
      DanhSachLePhi: [{ Gia: '8000.5' }],
      DanhSachGiayToKetQua: [{ TenGiayTo: 'Giấy khai sinh', GiayToId: '7' }],
      QuaTrinhXuLy: [{ TrangThai: '2', ThoiDiemXuLy: '20240610131320' }],
    });
    expect(r.warnings.map((w) => w.path).sort()).toEqual([
      'DanhSachGiayToKetQua[0].GiayToId',
      'DanhSachLePhi[0].Gia',
      'HinhThuc',
      'HoSoCoThanhPhanSoHoa',
      'NgayHenTra',
      'QuaTrinhXuLy[0].ThoiDiemXuLy',
      'QuaTrinhXuLy[0].TrangThai',
      'SoGiayToChuHoSo',
      'TaiKhoanDuocXacThucVoiVNeID',
      'TaiLieuNop[0].DuocSoHoa',
      'TaiLieuNop[0].IsDeleted',
      'TaiLieuNop[0].TepDinhKemId',
      'TrangThaiHoSo',
    ]);
    const at = (p: string) => r.warnings.find((w) => w.path === p)?.message;
    expect(at('QuaTrinhXuLy[0].ThoiDiemXuLy')).toBe('MaHoSo 000.00.12.H56-240610-0001, QuaTrinhXuLy[0].ThoiDiemXuLy: "/Date(1718000000000+0700)/" read as 20240610131320');
    expect(at('TrangThaiHoSo')).toBe('MaHoSo 000.00.12.H56-240610-0001, TrangThaiHoSo: 4 read as 4');
    expect(at('SoGiayToChuHoSo')).toMatch(/38001440594 read as 38001440594 \(a number: a leading zero or digits may have been lost/);
    // The input is not changed (copy on write).
    expect(input).toStrictEqual(before);
  });

  it('fills a missing TrichYeuHoSo (required) with TenTTHC, with a warning; absent, null and blank alike', () => {
    for (const summary of [undefined, null, '  ']) {
      const { TrichYeuHoSo: _drop, ...rest } = base;
      const r = coercePortalRecord(summary === undefined ? rest : { ...rest, TrichYeuHoSo: summary });
      expect((r.value as Record<string, unknown>)['TrichYeuHoSo']).toBe('Đăng ký khai sinh');
      expect(r.warnings).toEqual([{ path: 'TrichYeuHoSo', message: expect.stringMatching(/^MaHoSo 000\.00\.12\.H56-240610-0001, TrichYeuHoSo: .* \(required by the contract\) filled with TenTTHC$/) }]);
    }
  });

  it('refuses a number that is no date, an object or a boolean where text is due: issues naming record and field', () => {
    const r = coercePortalRecord({ ...base, NgayHenTra: 12345, ChuHoSo: { Ho: 'Lê' }, TenTTHC: true, QuaTrinhXuLy: [{ NgayBatDau: [2024] }] });
    expect(r.issues).toEqual([
      { path: 'TenTTHC', message: 'a boolean (true) where text is expected (MaHoSo 000.00.12.H56-240610-0001)', code: 'typed_value' },
      { path: 'ChuHoSo', message: 'an object where text is expected (MaHoSo 000.00.12.H56-240610-0001)', code: 'typed_value' },
      { path: 'NgayHenTra', message: expect.stringMatching(/^the number 12345 is not a date .*\(MaHoSo 000\.00\.12\.H56-240610-0001\)$/), code: 'typed_value' },
      { path: 'QuaTrinhXuLy[0].NgayBatDau', message: 'an array where a date is expected (MaHoSo 000.00.12.H56-240610-0001)', code: 'typed_value' },
    ]);
  });

  it('keeps at most a bounded number of warnings per record, the rest counted', () => {
    const many = Array.from({ length: MAX_COERCIONS_PER_RECORD + 5 }, (_, i) => ({ TepDinhKemId: i }));
    const r = coercePortalRecord({ ...base, TaiLieuNop: many });
    expect(r.warnings).toHaveLength(MAX_COERCIONS_PER_RECORD + 1);
    expect(r.warnings.at(-1)?.message).toBe('MaHoSo 000.00.12.H56-240610-0001: 5 more values read or refused, not listed');
  });
});

describe('mapTypedPortalRecord', () => {
  it('maps a typed record with the strict schema; the warnings reach the dossier', () => {
    const out = mapTypedPortalRecord({ ...base, TrangThaiHoSo: 4, NgayTiepNhan: '2024-06-10T07:30:00Z' }, (v) => parsePortalRecord(v));
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.value.status.code).toBe(4);
    expect(out.value.dates.receivedAt).toBe('2024-06-10T07:30:00.000Z');
    expect(out.value.warnings.map((w) => w.path)).toEqual(['NgayTiepNhan', 'TrangThaiHoSo']);
  });

  it('a refused value fails the record with the schema\'s other issues, one per path', () => {
    const out = mapTypedPortalRecord({ ...base, NgayHenTra: 12345, TrangThaiHoSo: 11, DonViXuLy: undefined }, (v) => parsePortalRecord(v));
    expect(out.ok).toBe(false);
    expect(!out.ok && out.issues.map((i) => i.path).sort()).toEqual(['DonViXuLy', 'NgayHenTra', 'TrangThaiHoSo']);
    expect(!out.ok && out.issues.find((i) => i.path === 'NgayHenTra')?.message).toMatch(/12345 is not a date/);
  });

  it('the strict wire schema is untouched: a typed record still fails it without the coercion', () => {
    expect(parsePortalRecord({ ...base, TrangThaiHoSo: 4 }).ok).toBe(false);
  });
});
