import { describe, expect, it } from 'vitest';
import { decodeCp1252 } from './cp1252.ts';
import { encodeLegacy, repairText, type LegacyEncoding } from './index.ts';

/** What a windows-1252 reader shows for `text` written in `encoding`. */
const misread = (text: string, encoding: LegacyEncoding): string => decodeCp1252(encodeLegacy(text, encoding));
/** The same through an ISO-8859-1 reader (bytes 0x80–0x9F become C1 controls). */
const misreadLatin1 = (text: string, encoding: LegacyEncoding): string =>
  Buffer.from(encodeLegacy(text, encoding)).toString('latin1');

const SENTENCES = [
  'Cộng hòa xã hội chủ nghĩa Việt Nam',
  'Ủy ban nhân dân tỉnh Quảng Trị',
  'Đăng ký tuyển sinh lớp 1',
  'Nguyễn Văn Ánh',
  'Giấy khai sinh (bản sao)',
  'Số 12/QĐ-UBND ngày 15/01/2024 của Chủ tịch UBND huyện Hải Lăng',
  'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  'Trường',
];

describe('repairText', () => {
  it.each([
    ['Céng hßa x· héi', 'Cộng hòa xã hội', 'tcvn3'],
    ['Vieät Nam', 'Việt Nam', 'vni'],
    ['Viêòt Nam', 'Việt Nam', 'windows-1258'],
    ['NguyÔn V¨n A', 'Nguyễn Văn A', 'tcvn3'],
    ['Tr­êng THCS Lª Lîi', 'Trường THCS Lê Lợi', 'tcvn3'],
    ['GiÊy chøng nhËn quyÒn sö dông ®Êt', 'Giấy chứng nhận quyền sử dụng đất', 'tcvn3'],
    ['CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'tcvn3'],
    ['Ñoäc laäp - Töï do - Haïnh phuùc', 'Độc lập - Tự do - Hạnh phúc', 'vni'],
    ['Haø Noäi', 'Hà Nội', 'vni'],
    ['Haø', 'Hà', 'vni'],
    ['Ðãng kyì khai sinh', 'Đăng ký khai sinh', 'windows-1258'],
  ] as const)('repairs "%s" → "%s"', (input, text, from) => {
    expect(repairText(input)).toEqual({ text, repaired: true, from });
  });

  describe.each(['tcvn3', 'vni', 'windows-1258'] as const)('%s read as 1252', (encoding) => {
    it.each(SENTENCES)('repairs "%s"', (sentence) => {
      expect(repairText(misread(sentence, encoding))).toEqual({ text: sentence, repaired: true, from: encoding });
    });

    it.each(SENTENCES)('repairs "%s" read as ISO-8859-1', (sentence) => {
      expect(repairText(misreadLatin1(sentence, encoding))).toEqual({ text: sentence, repaired: true, from: encoding });
    });
  });

  it('only normalises NFD input to NFC', () => {
    const nfd = 'Cộng hòa xã hội chủ nghĩa Việt Nam'.normalize('NFD');
    expect(repairText(nfd)).toEqual({ text: nfd.normalize('NFC'), repaired: false });
  });
});

/** Text that must come back exactly as it is. */
const UNCHANGED = [
  // proper Vietnamese, including text made only of Latin-1 letters
  'Cộng hòa xã hội chủ nghĩa Việt Nam', 'Độc lập - Tự do - Hạnh phúc', 'UBND TỈNH QUẢNG TRỊ', 'Lê Bá Hà',
  'Cô Lê Bé Hà', 'Tô Văn Mà', 'Hà Nam', 'Bà Tám', 'Cà Mau', 'Ôn tập', 'Ý kiến', 'Ô tô', 'Âm nhạc', 'Ê-kíp',
  'tá', 'có', 'cà phê', 'Tôi là Hà', 'Y Jút', 'Pác Bó', 'PHÒNG TƯ PHÁP', 'NGUYỄN VĂN ÁNH', 'Hà Nội – Việt Nam',
  '“Hà Nam”', '• Hồ sơ', 'ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúý', 'Cong hoa xa hoi chu nghia Viet Nam',
  // codes, numbers, dates, e-mails, URLs
  '000.00.00.H48', 'H48.22-240101-0001', '2024-01-15T08:30:00+07:00', '0912345678', '1.000.000 đ', '100.000₫',
  'nguyen.van.a@quangtri.gov.vn', 'https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh.html?ma=1.001234&q=é',
  '€100', '25°C', '½ kg', '± 5%', '§ 3', '©2024', '©2024 Công ty',
  // English and other languages
  'The quick brown fox jumps over the lazy dog', 'It’s fine', 'Meeting with José at the café', 'naïve approach',
  'Müller GmbH', 'Grüße aus München', 'Straße', 'François Hollande', 'Zoë', 'São Paulo', 'Ångström', 'résumé',
  'Año Nuevo', 'Señor', 'mañana', 'Ñandú', '¿Qué?', 'Là où je vais', 'Ça va', 'déjà vu', 'Crème brûlée', 'Øre',
  'Dvořák',
  // mixed
  'Nguyễn Văn A <nguyen.van.a@quangtri.gov.vn>', 'Hồ sơ số 000.00.00.H48-240101-0001 (đã tiếp nhận)',
  'email: ha@vn.vn; tel: +84 233 3852 111', 'Xin chào Mr. Müller, hẹn gặp ở café', 'Điều 5 § 2',
  '', ' ', 'x', 'é', 'Â',
];

describe('repairText leaves alone', () => {
  it.each(UNCHANGED)('"%s"', (text) => {
    expect(repairText(text)).toEqual({ text, repaired: false });
  });
});
