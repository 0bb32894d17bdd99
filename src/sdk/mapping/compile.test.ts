import { describe, expect, it } from 'vitest';
import { encodeLegacy } from '../../text/index.ts';
import { compileMapping } from './compile.ts';
import { toPortalDate, guessDateFormat } from '../dates.ts';
import { matchField } from './fields.ts';
import { guessMapping } from './guess.ts';

const mapping = compileMapping({
  fields: {
    MaHoSo: 'so',
    MaTTHC: { from: 'tt.ma', table: 'procedure' },
    TenTTHC: 'tt.ten',
    MaDonVi: { from: 'dv', table: 'unit' },
    DonViXuLy: 'dv_ten',
    ChuHoSo: { from: ['ho', 'ten'], join: ' ' },
    LoaiDoiTuong: { const: '1' },
    TrichYeuHoSo: 'trich_yeu',
    NgayTiepNhan: 'ngay_nhan',
    NgayHenTra: { from: 'han', date: 'yyyy-MM-dd' },
    TrangThaiHoSo: { from: 'trang_thai', sub: 'tt_con', table: 'status' },
    KenhThucHien: { from: 'kenh', values: { 'Trực tiếp': '1', 'Trực tuyến': '2' } },
    HinhThuc: { from: 'hinh_thuc', default: '0' },
  },
  lists: { QuaTrinhXuLy: { from: 'ls', fields: { NguoiXuLy: 'cb', ThoiDiemXuLy: 'luc', NoiDungXuLy: 'nd', TrangThai: { from: 'tt', table: 'status' } } } },
  dateFormat: 'dd/MM/yyyy HH:mm[:ss]',
  tables: { status: { DXL: 4, XONG: 9 }, subStatus: { 'DXL/CHO_BS': 5 }, procedure: { 'TP-01': '2.000488' }, unit: { STP: '000.00.12.H48' } },
});

const raw = {
  so: ' H48-1 ',
  tt: { ma: 'TP-01', ten: 'Cấp phiếu lý lịch tư pháp' },
  dv: 'STP',
  dv_ten: 'Sở Tư pháp',
  ho: 'Nguyễn',
  ten: ' Văn An ',
  trich_yeu: 'Cấp phiếu',
  ngay_nhan: '05/03/2024 08:30',
  han: '2024-03-12',
  trang_thai: 'DXL',
  tt_con: 'CHO_BS',
  kenh: 'truc tuyen',
  ls: [{ cb: 'Lê Thị B', luc: '05/03/2024 08:31:02', nd: 'Tiếp nhận', tt: 'DXL' }],
};

describe('compileMapping', () => {
  it('maps paths, joins, trims, constants, defaults, inline values, code tables and dates', () => {
    const out = mapping.map(raw);
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    const d = out.value;
    expect(d.code).toBe('H48-1');
    expect(d.procedure).toStrictEqual({ code: '2.000488', name: 'Cấp phiếu lý lịch tư pháp', fieldCode: null, fieldName: null });
    expect(d.unit).toStrictEqual({ code: '000.00.12.H48', name: 'Sở Tư pháp' });
    expect(d.applicant.name).toBe('Nguyễn Văn An');
    expect(d.channel).toBe('online');
    expect(d.resultDelivery).toBe('in_person');
    expect(d.dates.receivedAt).toBe('2024-03-05T01:30:00.000Z');
    expect(d.dates.dueAt).toBe('2024-03-11T17:00:00.000Z');
    expect(d.status).toStrictEqual({ code: 5, name: 'supplement_requested' });
    expect(d.progress).toStrictEqual([{ handler: 'Lê Thị B', title: null, at: '2024-03-05T01:31:02.000Z', department: null, action: 'Tiếp nhận', status: 4, startedAt: null, dueAt: null }]);
  });

  it('lets per-source tables override the adapter tables', () => {
    const out = mapping.map({ ...raw, tt_con: '' }, { status: { DXL: 2 } });
    expect(out.ok && out.value.status.code).toBe(2);
  });

  it('reads a status written as the portal\'s own label without a table entry', () => {
    const out = mapping.map({ ...raw, trang_thai: 'Đã trả kết quả', tt_con: '' });
    expect(out.ok && out.value.status.code).toBe(10);
    const unaccented = mapping.map({ ...raw, trang_thai: 'da tra ket qua', tt_con: '' });
    expect(unaccented.ok && unaccented.value.status.code).toBe(10);
  });

  it('names the raw field of every issue, once per field', () => {
    const out = mapping.map({ ...raw, ngay_nhan: '31/02/2024 08:00', trang_thai: 'LA', tt_con: '', trich_yeu: '', ls: [{ cb: 'A', luc: 'hôm qua', nd: 'x', tt: 'XONG' }] });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.issues.map((i) => i.path).sort()).toStrictEqual(['ls[0].luc', 'ngay_nhan', 'trang_thai', 'trich_yeu']);
    expect(out.issues.find((i) => i.path === 'trang_thai')).toMatchObject({ code: 'unmapped_status', message: expect.stringContaining('"LA"') });
    expect(out.issues.find((i) => i.path === 'ngay_nhan')?.message).toContain('NgayTiepNhan');
  });

  it('says when a required portal field has no source field', () => {
    const m = compileMapping({ fields: { MaHoSo: 'so' } });
    const out = m.map({ so: 'X' });
    expect(!out.ok && out.issues.find((i) => i.path === 'TenTTHC')?.message).toContain('no source field is mapped to TenTTHC');
  });

  it('repairs TCVN3 mojibake and records a warning with the raw path', () => {
    const mojibake = Buffer.from(encodeLegacy('Sở Tư pháp tỉnh', 'tcvn3')).toString('latin1');
    const out = mapping.map({ ...raw, dv_ten: mojibake });
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect(out.value.unit.name).toBe('Sở Tư pháp tỉnh');
    expect(out.value.warnings).toStrictEqual([expect.objectContaining({ path: 'dv_ten' })]);
  });

  it('reads a Date as its instant, in Vietnam time, whatever the date format and the host zone', () => {
    // 02:15:20Z is 09:15:20 in Vietnam; the suite runs in America/Los_Angeles, where it is 18:15:20 the day before.
    const at = new Date(Date.UTC(2024, 2, 5, 2, 15, 20));
    const withDate = { ...raw, ngay_nhan: at, trich_yeu: at, ls: [{ ...raw.ls[0], luc: at }] };
    for (const dateFormat of ['iso-local', 'iso'] as const) {
      const out = compileMapping({ ...mapping.spec, dateFormat }).map(withDate);
      if (!out.ok) expect.fail(`${dateFormat}: ${JSON.stringify(out.issues)}`);
      expect(out.value.dates.receivedAt).toBe('2024-03-05T02:15:20.000Z');
      expect(out.value.progress[0]?.at).toBe('2024-03-05T02:15:20.000Z');
      expect(out.value.summary).toBe('2024-03-05T09:15:20.000+07:00');
    }
  });

  it('lists the raw paths it reads', () => {
    expect(mapping.sourcePaths).toEqual(expect.arrayContaining(['so', 'tt.ma', 'tt_con', 'ls[].luc']));
  });
});

describe('dates', () => {
  it.each([
    ['05/03/2024 08:30', 'dd/MM/yyyy HH:mm[:ss]', '20240305083000'],
    ['05/03/2024 08:30:15', 'dd/MM/yyyy HH:mm[:ss]', '20240305083015'],
    ['5/3/2024', 'd/M/yyyy', '20240305000000'],
    ['2024-03-05T01:30:00Z', 'iso', '20240305083000'],
    ['2024-03-05 08:30:00', 'iso', '20240305083000'],
    ['2024-03-05 08:30:00.123456+07', 'iso', '20240305083000'],
    ['2024-03-05T03:30:00+02:00', 'iso', '20240305083000'],
    ['1709602200000', 'epoch-ms', '20240305083000'],
  ])('reads %s with %s', (value, format, expected) => {
    expect(toPortalDate(value, format)).toBe(expected);
  });

  it('refuses impossible dates and other shapes', () => {
    expect(toPortalDate('31/02/2024 08:00', 'dd/MM/yyyy HH:mm')).toBeNull();
    expect(toPortalDate('2024-03-05', 'dd/MM/yyyy')).toBeNull();
  });

  it('guesses common formats', () => {
    expect(guessDateFormat('05/03/2024 08:30')).toBe('dd/MM/yyyy HH:mm');
    expect(guessDateFormat('20240305083000')).toBe('yyyyMMddHHmmss');
    expect(guessDateFormat('Sở Tư pháp')).toBeNull();
  });
});

describe('field names', () => {
  it.each([
    ['Ngày hẹn trả', 'NgayHenTra'],
    ['ngay hen tra', 'NgayHenTra'],
    ['NgayHenTra', 'NgayHenTra'],
    ['dueDate', 'NgayHenTra'],
    ['Mã hồ sơ', 'MaHoSo'],
    ['Trạng thái', 'TrangThaiHoSo'],
    ['Trang thai con', '$subStatus'],
    ['receivedAt', 'NgayTiepNhan'],
  ])('matches %s to %s', (name, field) => {
    expect(matchField(name)).toBe(field);
  });

  it('guesses a mapping with date formats and statuses from a sample', () => {
    const g = guessMapping([
      { 'Mã hồ sơ': 'A', 'Ngay tiep nhan': '05/03/2024 08:30', 'Trạng thái': 'DXL', 'Trạng thái con': 'X', khac: 1 },
      { 'Mã hồ sơ': 'B', 'Ngay tiep nhan': '06/03/2024 09:30', 'Trạng thái': 'XONG', 'Trạng thái con': '', khac: 2 },
    ]);
    expect(g.mapping.fields).toStrictEqual({ MaHoSo: 'Mã hồ sơ', NgayTiepNhan: 'Ngay tiep nhan', TrangThaiHoSo: { from: 'Trạng thái', table: 'status', sub: 'Trạng thái con' } });
    expect(g.dateFormats).toStrictEqual(['dd/MM/yyyy HH:mm']);
    expect(g.statuses).toStrictEqual(['DXL', 'XONG']);
    expect(g.unmatched).toStrictEqual(['khac']);
  });
});
