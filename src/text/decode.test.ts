import { describe, expect, it } from 'vitest';
import { decodeBytes, detectEncoding, encodeLegacy, type LegacyEncoding } from './index.ts';

const SENTENCES = [
  'Cộng hòa xã hội chủ nghĩa Việt Nam',
  'Ủy ban nhân dân tỉnh Quảng Trị',
  'Đăng ký tuyển sinh lớp 1',
  'Độc lập - Tự do - Hạnh phúc',
  'Giấy chứng nhận quyền sử dụng đất',
  'Cấp lại giấy khai sinh cho công dân',
  'Trường THCS Nguyễn Trãi, phường Đông Lễ',
  'Hồ sơ đã được tiếp nhận và chuyển xử lý',
  'NGUYỄN THỊ HƯƠNG',
  'Việt',
];

const CSV = [
  'MaHoSo;TenThuTuc;ChuHoSo;DiaChi',
  '000.00.00.H48-240101-0001;Đăng ký khai sinh;Nguyễn Văn Ánh;Thôn Phước Tuyền, xã Hải Lăng',
  '000.00.00.H48-240101-0002;Cấp phiếu lý lịch tư pháp;Lê Thị Hồng Nhung;Khu phố 3, Đông Hà',
  '000.00.00.H48-240101-0003;Đăng ký kết hôn;Trần Quốc Bảo;Thị trấn Khe Sanh, Hướng Hóa',
].join('\r\n');

const LEGACY: LegacyEncoding[] = ['tcvn3', 'vni', 'windows-1258'];

describe('detectEncoding', () => {
  describe.each(LEGACY)('%s', (encoding) => {
    it.each(SENTENCES)('recognises "%s"', (sentence) => {
      expect(detectEncoding(encodeLegacy(sentence, encoding))).toBe(encoding);
    });

    it('recognises a CSV export and decodes it exactly', () => {
      expect(decodeBytes(encodeLegacy(CSV, encoding), 'auto')).toEqual({ text: CSV, encoding });
    });
  });

  it('takes valid UTF-8 as UTF-8, with or without a BOM, Vietnamese or plain ASCII', () => {
    const utf8 = new TextEncoder().encode(CSV);
    expect(detectEncoding(utf8)).toBe('utf-8');
    expect(detectEncoding(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toBe('utf-8');
    expect(detectEncoding(new TextEncoder().encode('MaHoSo;Status\r\nH48-1;OK'))).toBe('utf-8');
    expect(decodeBytes(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]), 'auto').text).toBe(CSV);
  });

  it('looks at the start of a large file without being fooled by a cut UTF-8 sequence', () => {
    const line = 'Nguyễn Văn Ánh;Hải Lăng;Đông Hà\n';
    const big = new TextEncoder().encode(`x${line.repeat(5000)}`);
    expect(big.length).toBeGreaterThan(64 * 1024);
    expect(detectEncoding(big)).toBe('utf-8');
    expect(detectEncoding(encodeLegacy(line.repeat(5000), 'vni'))).toBe('vni');
  });

  it('decodes invalid UTF-8 it was told is UTF-8 with replacement characters', () => {
    expect(decodeBytes(new Uint8Array([0x41, 0xff, 0x42]), 'utf-8').text).toBe('A\uFFFDB');
  });
});
