/**
 * TCVN3 (TCVN 5712:1993, the "ABC" fonts .VnTime/.VnArial). iconv-lite's `tcvn` table is the VN1
 * repertoire: the 0xA1–0xFE area every TCVN3 font shares (all lower-case letters with tones, and
 * Ă Â Ê Ô Ơ Ư Đ), plus the upper-case letters with tones that VN1 adds in the gaps, at 0x80–0x9F
 * and in six C0 control positions (Ú 01, Ụ 02, Ừ 04, Ử 05, Ữ 06, Ứ 11 … Ỵ 17).
 *
 * Upper case in practice: the VN3 fonts have no upper-case letters with tones. Text typed for a
 * heading uses the matching "H" font (.VnTimeH), which draws the lower-case codes as capitals,
 * so the bytes of "CỘNG HÒA" are `C é N G  H ß A` (C ộ N G H ò A): the case lives in the font and
 * is lost in the file. Decoding therefore yields lower case for those letters, and then restores
 * capitals where the word says so (see {@link restoreCapitals}). Text we encode uses the VN1
 * capitals, so it round-trips exactly.
 */
import { iconvDecode, singleByteEncoder } from './single-byte.ts';

/**
 * Decodes TCVN3 bytes to NFC text, restoring capitals in upper-case words typed with an "H" font.
 *
 * @example
 * decodeTcvn3(new Uint8Array([0x43, 0xe9, 0x6e, 0x67])); // 'Cộng'
 * decodeTcvn3(new Uint8Array([0x43, 0xe9, 0x4e, 0x47])); // 'CỘNG'
 */
export function decodeTcvn3(bytes: Uint8Array): string {
  return restoreCapitals(iconvDecode(bytes, 'tcvn'));
}

/**
 * Encodes text as TCVN3 (VN1 positions for upper-case letters with tones); `?` for what it lacks.
 *
 * @example
 * encodeTcvn3('Cộng hòa'); // Uint8Array [0x43, 0xe9, 0x6e, 0x67, 0x20, 0x68, 0xdf, 0x61]
 */
export const encodeTcvn3: (text: string) => Uint8Array = singleByteEncoder('tcvn');

const WORD = /\p{L}+/gu;
const NON_ASCII = /[^\p{ASCII}]/u;

/**
 * Upper-cases the lower-case Vietnamese letters of a word whose other letters are all capitals,
 * when the word has two capitals or more (`CéNG` → `CỘNG`, `VIÖT` → `VIỆT`), or when its line has
 * no lower-case ASCII letter and another such word (`CéNG HßA X·` → `CỘNG HÒA XÃ`).
 * A word with a lower-case ASCII letter (`Céng`, `tØnh`) keeps its case, and so do initials
 * alone: `Së Y TÕ` is read `Sở Y Tế`, as title case and capitals cannot be told apart there.
 */
export function restoreCapitals(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      const capitalLine =
        !/[a-z]/.test(line) && [...line.matchAll(WORD)].some(([word]) => NON_ASCII.test(word) && capitalsOf(word) >= 2);
      return line.replace(WORD, (word) => {
        if (!NON_ASCII.test(word) || word === word.toUpperCase()) return word;
        return capitalLine || capitalsOf(word) >= 2 ? word.toUpperCase() : word;
      });
    })
    .join('\n');
}

/**
 * Capitals in `word` when all its letters but the non-ASCII lower-case ones (those a .VnTimeH
 * font would draw as capitals) are capitals; -1 otherwise.
 */
function capitalsOf(word: string): number {
  let capitals = 0;
  for (const char of word) {
    if (char === char.toUpperCase()) capitals += 1;
    else if (char.charCodeAt(0) < 0x80) return -1;
  }
  return capitals;
}
