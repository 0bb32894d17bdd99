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
