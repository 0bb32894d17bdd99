/**
 * `adapter check`'s report says what to change in the words of the mapping declaration, lists each
 * warning's text, and explains a record that maps no field.
 */
import { describe, expect, it } from 'vitest';
import { getAdapter } from '../../../adapters/index.ts';
import { mapAll, parseOptions, type AnyAdapter, type Subject } from './checks.ts';
import { buildReport } from './report.ts';

const adapter = getAdapter('rest-json') as unknown as AnyAdapter;
const options = parseOptions(adapter, {
  baseUrl: 'http://127.0.0.1:1',
  path: '/ho-so',
  mapping: {
    fields: {
      MaHoSo: 'so',
      MaTTHC: 'thu_tuc',
      TenTTHC: 'ten_thu_tuc',
      ChuHoSo: 'nguoi_nop',
      NgayTiepNhan: { from: 'ngay_nhan', date: 'dd/MM/yyyy' },
      NgayHenTra: { from: 'hen_tra', date: 'dd/MM/yyyy' },
      TrangThaiHoSo: { from: 'trang_thai', table: 'status' },
      DonViXuLy: 'don_vi',
      TrichYeuHoSo: 'trich_yeu',
      LoaiDoiTuong: { const: '1' },
      HinhThuc: { const: '0' },
      MaDonVi: { from: 'ma_dv', table: 'unit' },
    },
    tables: { status: { DANG_XU_LY: 4 } },
  },
});
const subject: Subject = { adapter, options };
const rec = (key: string, raw: Record<string, unknown>) => ({ key, location: key, raw });
const good = (so: string, extra: Record<string, unknown> = {}) => ({
  so,
  thu_tuc: '1.001193',
  ten_thu_tuc: 'Đăng ký khai sinh',
  nguoi_nop: 'Nguyễn Văn An',
  ngay_nhan: '10/03/2026',
  hen_tra: '13/03/2026',
  trang_thai: 'DANG_XU_LY',
  don_vi: 'UBND xã Tân Lập',
  trich_yeu: 'Khai sinh',
  ...extra,
});

describe('adapter check advice', () => {
  it('names mapping.tables.status with the statuses seen, and each warning with its text', () => {
    const records = [rec('000.00.20.H48-260310-0001', good('000.00.20.H48-260310-0001')), rec('000.00.20.H48-260310-0002', good('000.00.20.H48-260310-0002', { trang_thai: 'DA_TRA' })), rec('000.00.20.H48-260310-0003', good('000.00.20.H48-260310-0003', { ma_dv: 'XA-TAN-LAP' }))];
    const r = buildReport(subject, mapAll(subject, records));
    expect(r.unmappedStatuses).toEqual(['DA_TRA']);
    expect(r.advice.some((a) => a.startsWith('mapping.tables.status:') && a.includes('"DA_TRA"'))).toBe(true);
    expect(r.warnings).toBe(1);
    expect(r.warningList).toEqual([{ key: '000.00.20.H48-260310-0003', path: 'ma_dv', message: 'local unit code "XA-TAN-LAP" has no official unit code: add it to tables.unit' }]);
  });

  it('says why a record maps no field: its keys are none of the mapped paths', () => {
    const records = [rec('a', good('000.00.20.H48-260310-0001')), rec('wrapped', { data: { items: [good('000.00.20.H48-260310-0009')] } })];
    const r = buildReport(subject, mapAll(subject, records));
    expect(r.invalid).toBe(1);
    const why = r.advice.find((a) => a.startsWith('record wrapped maps no field'));
    expect(why).toBeDefined();
    expect(why).toContain('its fields (data)');
  });

  it('a required field left unfilled is named with the mapping key and a {"const": …} example', () => {
    const partial = parseOptions(adapter, { baseUrl: 'http://127.0.0.1:1', path: '/ho-so', mapping: { fields: { MaHoSo: 'so', TrangThaiHoSo: { from: 'trang_thai', table: 'status' } }, tables: { status: { DANG_XU_LY: 4 } } } });
    const s: Subject = { adapter, options: partial };
    const r = buildReport(s, mapAll(s, [rec('x', good('000.00.20.H48-260310-0001'))]));
    const lines = r.advice.filter((a) => /^mapping\.fields\.[A-Za-z]+:/.test(a));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).toContain('{"const": "…"}');
  });
});
