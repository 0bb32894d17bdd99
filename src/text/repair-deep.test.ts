import { describe, expect, it } from 'vitest';
import { repairDeep } from './index.ts';

describe('repairDeep', () => {
  it('repairs every string of a dossier and names each by its JSON path', () => {
    const dossier = {
      MaHoSo: '000.00.00.H48-240101-0001',
      ChuHoSo: 'NguyÔn V¨n A',
      SoLuong: 2,
      DaThanhToan: true,
      GhiChu: null,
      TaiLieuNop: [
        { TenTepDinhKem: 'GiÊy khai sinh.pdf', DuongDan: 'https://example.vn/a.pdf' },
        { TenTepDinhKem: 'Soå hoä khaåu.pdf', DuongDan: 'https://example.vn/b.pdf' },
      ],
      NhanXet: ['Đã tiếp nhận', 'Viêòt Nam'],
    };
    const { value, warnings } = repairDeep(dossier);
    expect(value).toStrictEqual({
      ...dossier,
      ChuHoSo: 'Nguyễn Văn A',
      TaiLieuNop: [
        { TenTepDinhKem: 'Giấy khai sinh.pdf', DuongDan: 'https://example.vn/a.pdf' },
        { TenTepDinhKem: 'Sổ hộ khẩu.pdf', DuongDan: 'https://example.vn/b.pdf' },
      ],
      NhanXet: ['Đã tiếp nhận', 'Việt Nam'],
    });
    expect(warnings.map((w) => w.path)).toEqual([
      'ChuHoSo',
      'TaiLieuNop[0].TenTepDinhKem',
      'TaiLieuNop[1].TenTepDinhKem',
      'NhanXet[1]',
    ]);
    expect(warnings[1]?.message).toBe('repaired tcvn3 mojibake: "GiÊy khai sinh.pdf" → "Giấy khai sinh.pdf"');
  });

  it('prefixes paths, handles a bare string and does not touch its input', () => {
    const input = [{ Ten: 'Haø Noäi' }];
    expect(repairDeep(input, 'data').warnings.map((w) => w.path)).toEqual(['data[0].Ten']);
    expect(input).toStrictEqual([{ Ten: 'Haø Noäi' }]);
    expect(repairDeep('Vieät Nam')).toEqual({
      value: 'Việt Nam',
      warnings: [{ path: '', message: 'repaired vni mojibake: "Vieät Nam" → "Việt Nam"' }],
      issues: [],
    });
  });

  it('normalises strings to NFC without a warning and keeps non-JSON objects as they are', () => {
    const when = new Date(0);
    const { value, warnings } = repairDeep({ Ten: 'Hòa'.normalize('NFD'), when });
    expect(value.Ten).toBe('Hòa');
    expect(value.when).toBe(when);
    expect(warnings).toEqual([]);
  });
});

describe('repairDeep on hostile input', () => {
  it('walks a 100,000-deep array without overflowing the stack, and reports nesting deeper than 64 levels as an issue', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const { issues } = repairDeep({ MaHoSo: 'H48-1', GhiChu: deep });
    expect(issues).toEqual([{ path: `GhiChu${'[0]'.repeat(63)}`, code: 'too_deep', message: 'is nested deeper than 64 levels: the record is quarantined' }]);
  });

  it('reports a 3,000-deep object field by its path, and leaves 64 levels alone', () => {
    let field: unknown = 'Vieät Nam';
    for (let i = 0; i < 3000; i++) field = { a: field };
    expect(repairDeep({ ThongTinKhac: field }).issues.map((i) => i.path)).toEqual([`ThongTinKhac${'.a'.repeat(63)}`]);
    let ok: unknown = 'Vieät Nam';
    for (let i = 0; i < 63; i++) ok = [ok];
    const res = repairDeep({ T: ok });
    expect(res.issues).toEqual([]);
    expect(res.warnings.map((w) => w.path)).toEqual([`T${'[0]'.repeat(63)}`]);
  });

  it('keeps a "__proto__" key as data: an own key, never the prototype, so nothing is inherited', () => {
    const input = JSON.parse('{"MaHoSo": "H48-1", "__proto__": {"MaTTHC": "1.000001"}, "list": [{"__proto__": {"x": 1}}]}') as Record<string, unknown>;
    const { value } = repairDeep(input);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['MaHoSo', '__proto__', 'list']);
    expect((value as { MaTTHC?: unknown }).MaTTHC).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ MaTTHC: '1.000001' });
    const item = (value['list'] as Record<string, unknown>[])[0]!;
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect((item as { x?: unknown }).x).toBeUndefined();
  });
});
