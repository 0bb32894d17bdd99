import { describe, expect, it } from 'vitest';
import { decodeBytes, encodeLegacy, type LegacyEncoding } from './index.ts';
import { TONES, VOWEL_LETTERS, vietnameseLetters, withTone } from './letters.ts';

const LETTERS = vietnameseLetters();
const LOWER = LETTERS.filter((c) => c === c.toLowerCase());
const UPPER = LETTERS.filter((c) => c !== c.toLowerCase());
const ENCODINGS: LegacyEncoding[] = ['utf-8', 'windows-1258', 'tcvn3', 'vni'];

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const bytesOf = (hexText: string): Uint8Array => new Uint8Array(Buffer.from(hexText.replace(/ /g, ''), 'hex'));

/**
 * The classic TCVN3 (ABC, VN3) table as the .VnTime fonts have it, written out independently of
 * iconv-lite: each lower-case letter, its six tones in order, with their bytes.
 */
const TCVN3_LOWER: Record<string, string> = {
  a: '61 b8 b5 b6 b7 b9',
  ă: 'a8 be bb bc bd c6',
  â: 'a9 ca c7 c8 c9 cb',
  e: '65 d0 cc ce cf d1',
  ê: 'aa d5 d2 d3 d4 d6',
  i: '69 dd d7 d8 dc de',
  o: '6f e3 df e1 e2 e4',
  ô: 'ab e8 e5 e6 e7 e9',
  ơ: 'ac ed ea eb ec ee',
  u: '75 f3 ef f1 f2 f4',
  ư: 'ad f8 f5 f6 f7 f9',
  y: '79 fd fa fb fc fe',
};

describe('the Vietnamese alphabet', () => {
  it('has 12 vowels × 6 tones + đ in each case', () => {
    expect(LOWER).toHaveLength(73);
    expect(UPPER).toHaveLength(73);
    expect(new Set(LETTERS).size).toBe(146);
  });
});

describe.each(ENCODINGS)('%s round trip', (encoding) => {
  it.each(LETTERS)('encodes and decodes %s', (letter) => {
    const bytes = encodeLegacy(letter, encoding);
    expect(bytes).not.toContain(0x3f); // '?': unrepresentable
    expect(decodeBytes(bytes, encoding)).toEqual({ text: letter, encoding });
  });

  it('round-trips every letter inside words of both cases', () => {
    const text = LETTERS.map((c) => `n${c}ng ${c}`).join(' ');
    expect(decodeBytes(encodeLegacy(text, encoding), encoding).text).toBe(text);
  });

  it('decodes to NFC even from NFD input', () => {
    const nfd = 'Nghiêng Ngả Thuở Xưa'.normalize('NFD');
    const { text } = decodeBytes(encodeLegacy(nfd, encoding), encoding);
    expect(text).toBe(nfd.normalize('NFC'));
    expect(text.normalize('NFC')).toBe(text);
  });
});

describe('TCVN3', () => {
  it.each(Object.entries(TCVN3_LOWER))('decodes the VN3 bytes of %s and its tones', (letter, bytes) => {
    const expected = TONES.map((tone) => withTone(letter, tone)).join('');
    expect(decodeBytes(bytesOf(bytes), 'tcvn3').text).toBe(expected);
    expect(hex(encodeLegacy(expected, 'tcvn3'))).toBe(bytes.replace(/ /g, ''));
  });

  it('has VN3 codes for the capitals without tone: Ă Â Ê Ô Ơ Ư Đ', () => {
    expect(decodeBytes(bytesOf('a1 20 a2 20 a3 20 a4 20 a5 20 a6 20 a7 20 ae'), 'tcvn3').text).toBe('Ă Â Ê Ô Ơ Ư Đ đ');
  });

  it('writes capitals with tones at their TCVN 5712 VN1 positions', () => {
    expect(hex(encodeLegacy('ÀỘÚỴ', 'tcvn3'))).toBe('80970117');
  });

  it('restores capitals typed with a .VnTimeH font, where they are lower-case codes', () => {
    const heading = encodeLegacy('CộNG HòA Xã HộI CHủ NGHĩA VIệT NAM', 'tcvn3');
    expect(decodeBytes(heading, 'tcvn3').text).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    const line = encodeLegacy('Sở Y Tế TỉNH QUảNG TRị\nSở Y Tế', 'tcvn3');
    expect(decodeBytes(line, 'tcvn3').text).toBe('SỞ Y TẾ TỈNH QUẢNG TRỊ\nSở Y Tế');
  });

  it('keeps lower case where the word has lower-case letters (title case cannot be told apart)', () => {
    expect(decodeBytes(encodeLegacy('UBND tỉnh Quảng Trị', 'tcvn3'), 'tcvn3').text).toBe('UBND tỉnh Quảng Trị');
    expect(decodeBytes(encodeLegacy('Hồ Sơ UBND', 'tcvn3'), 'tcvn3').text).toBe('Hồ Sơ UBND');
  });
});

describe('windows-1258', () => {
  it.each([
    ['Việt', '5669eaf274'],
    ['hòa', '686fcc61'],
    ['ả ã ạ á', '61d22061de2061f220e1'],
    ['Đđ Ăă Ơơ Ưư', 'd0f020c3e320d5f520ddfd'],
    ['Ộ', 'd4f2'],
  ])('writes %s as Microsoft does: precomposed if the code page has it, else letter + tone byte', (text, bytes) => {
    expect(hex(encodeLegacy(text, 'windows-1258'))).toBe(bytes);
  });
});

describe('VNI', () => {
  it.each([
    ['Việt Nam', '566965e474204e616d'],
    ['Đường', 'd1f6f4f86e67'],
    ['Ủy ban', '55db792062616e'],
    ['ấ ắ ỉ ỵ ơ', '61e12061e920e620ee20f4'],
  ])('writes %s with a base letter and mark bytes', (text, bytes) => {
    expect(hex(encodeLegacy(text, 'vni'))).toBe(bytes);
  });

  it('decodes every toned letter of every vowel', () => {
    const all = VOWEL_LETTERS.flatMap((v) => TONES.map((t) => withTone(v, t))).join(' ');
    expect(decodeBytes(encodeLegacy(all, 'vni'), 'vni').text).toBe(all);
    expect(decodeBytes(encodeLegacy(all.toUpperCase(), 'vni'), 'vni').text).toBe(all.toUpperCase());
  });

  it('leaves a mark byte that follows no letter it can go on as the 1252 character', () => {
    expect(decodeBytes(bytesOf('74 f9 21'), 'vni').text).toBe('tù!');
  });
});

describe('UTF-8', () => {
  it('strips a BOM and composes to NFC', () => {
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Hòa'.normalize('NFD'))]);
    expect(decodeBytes(bom, 'utf-8')).toEqual({ text: 'Hòa', encoding: 'utf-8' });
    expect(decodeBytes(bom, 'auto')).toEqual({ text: 'Hòa', encoding: 'utf-8' });
  });
});
