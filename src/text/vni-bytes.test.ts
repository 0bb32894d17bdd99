import { describe, expect, it } from 'vitest';
import { decodeBytes, encodeLegacy } from './index.ts';

/**
 * The VNI-Windows byte table, written out from the published VNI code chart and independent of
 * src/text (no letters.ts, no vni-table.ts): every Vietnamese letter of both cases with its bytes.
 * Tone marks after the base letter: sắc F9, huyền F8, hỏi FB, ngã F5, nặng EF; â ê ô take E2 and
 * E1 E0 E5 E3 E4 with a tone; ă takes EA and E9 E8 FA FC EB; ơ F4, ư F6, đ F1 are single bytes,
 * as are i with a tone (ED EC E6 F3 F2) and ỵ (EE). Capitals use the capital of each byte.
 * Each row: six letters (ngang, sắc, huyền, hỏi, ngã, nặng) and their bytes.
 */
const VNI: ReadonlyArray<readonly [string, string]> = [
  ['a á à ả ã ạ', '61 61f9 61f8 61fb 61f5 61ef'],
  ['ă ắ ằ ẳ ẵ ặ', '61ea 61e9 61e8 61fa 61fc 61eb'],
  ['â ấ ầ ẩ ẫ ậ', '61e2 61e1 61e0 61e5 61e3 61e4'],
  ['e é è ẻ ẽ ẹ', '65 65f9 65f8 65fb 65f5 65ef'],
  ['ê ế ề ể ễ ệ', '65e2 65e1 65e0 65e5 65e3 65e4'],
  ['i í ì ỉ ĩ ị', '69 ed ec e6 f3 f2'],
  ['o ó ò ỏ õ ọ', '6f 6ff9 6ff8 6ffb 6ff5 6fef'],
  ['ô ố ồ ổ ỗ ộ', '6fe2 6fe1 6fe0 6fe5 6fe3 6fe4'],
  ['ơ ớ ờ ở ỡ ợ', 'f4 f4f9 f4f8 f4fb f4f5 f4ef'],
  ['u ú ù ủ ũ ụ', '75 75f9 75f8 75fb 75f5 75ef'],
  ['ư ứ ừ ử ữ ự', 'f6 f6f9 f6f8 f6fb f6f5 f6ef'],
  ['y ý ỳ ỷ ỹ ỵ', '79 79f9 79f8 79fb 79f5 ee'],
  ['A Á À Ả Ã Ạ', '41 41d9 41d8 41db 41d5 41cf'],
  ['Ă Ắ Ằ Ẳ Ẵ Ặ', '41ca 41c9 41c8 41da 41dc 41cb'],
  ['Â Ấ Ầ Ẩ Ẫ Ậ', '41c2 41c1 41c0 41c5 41c3 41c4'],
  ['E É È Ẻ Ẽ Ẹ', '45 45d9 45d8 45db 45d5 45cf'],
  ['Ê Ế Ề Ể Ễ Ệ', '45c2 45c1 45c0 45c5 45c3 45c4'],
  ['I Í Ì Ỉ Ĩ Ị', '49 cd cc c6 d3 d2'],
  ['O Ó Ò Ỏ Õ Ọ', '4f 4fd9 4fd8 4fdb 4fd5 4fcf'],
  ['Ô Ố Ồ Ổ Ỗ Ộ', '4fc2 4fc1 4fc0 4fc5 4fc3 4fc4'],
  ['Ơ Ớ Ờ Ở Ỡ Ợ', 'd4 d4d9 d4d8 d4db d4d5 d4cf'],
  ['U Ú Ù Ủ Ũ Ụ', '55 55d9 55d8 55db 55d5 55cf'],
  ['Ư Ứ Ừ Ử Ữ Ự', 'd6 d6d9 d6d8 d6db d6d5 d6cf'],
  ['Y Ý Ỳ Ỷ Ỹ Ỵ', '59 59d9 59d8 59db 59d5 ce'],
];
const CASES: [string, string][] = VNI.flatMap(([letters, bytes]) => {
  const hexes = bytes.split(' ');
  return letters.split(' ').map((letter, i): [string, string] => [letter.normalize('NFC'), hexes[i]!]);
});
CASES.push(['đ', 'f1'], ['Đ', 'd1']);

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('VNI-Windows: every letter against the published byte table', () => {
  it('lists all 146 letters once', () => {
    expect(new Set(CASES.map(([letter]) => letter)).size).toBe(146);
  });

  it.each(CASES)('%s ↔ %s', (letter, bytes) => {
    expect(hex(encodeLegacy(letter, 'vni'))).toBe(bytes);
    expect(decodeBytes(new Uint8Array(Buffer.from(bytes, 'hex')), 'vni').text).toBe(letter);
  });

  it('decodes every letter inside a word, between consonants', () => {
    for (const [letter, bytes] of CASES) {
      expect(decodeBytes(new Uint8Array(Buffer.from(`6e${bytes}6e67`, 'hex')), 'vni').text).toBe(`n${letter}ng`);
    }
  });
});
