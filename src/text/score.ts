/**
 * How Vietnamese a text looks: its words sorted into valid syllables and not. Used to pick a
 * legacy decoding and to decide whether a repair is clearly better than the text it replaces.
 */
import { isVietnameseSyllable } from './syllable.ts';

export interface TextScore {
  /** Words with a non-ASCII letter that are valid syllables (`Việt`, `hòa`). */
  good: number;
  /** Words with a non-ASCII character that are not (`Vieät`, `hßa`, `x·`). */
  bad: number;
  /** ASCII words that are valid syllables without diacritics (`Nam`, `ban`). */
  asciiGood: number;
  /** Other ASCII words (`Report`, `vais`); acronyms and one-letter words are not counted. */
  asciiBad: number;
}

/**
 * A word is a run of letters, combining marks and the Latin-1 signs TCVN3 mojibake is made of
 * (`x·` is `xã`, `n­íc` is `nước` with a soft hyphen). Digits, ASCII punctuation, `€`, `“”` and
 * spaces separate words.
 */
const WORD = /[\p{L}\p{M}\u00A1-\u00BF\u00D7\u00F7]+/gu;
/**
 * With `misread`, also the characters a 1252 or Latin-1 reader makes of bytes 0x80–0x9F, where
 * TCVN3 keeps capitals with tones: "C—NG H’A" is "CỘNG HÒA" (0x97 Ộ, 0x92 Ò).
 */
const MISREAD_WORD = /[\p{L}\p{M}\u00A1-\u00BF\u00D7\u00F7\u0080-\u009F€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]+/gu;
const ASCII = /^[\x20-\x7e]+$/;
const ACRONYM = /^[A-Z]+$/;

/**
 * Counts the words of `text` by kind (see {@link WORD}, and {@link MISREAD_WORD} for text
 * suspected of being a 1252 misreading). One-character words are not counted: alone they prove
 * nothing (`©` decodes to `â`, `µ` to `à`).
 *
 * @example
 * scoreText('Céng hßa'); // { good: 0, bad: 2, asciiGood: 0, asciiBad: 0 }
 * scoreText('Cộng hòa'); // { good: 2, bad: 0, asciiGood: 0, asciiBad: 0 }
 */
export function scoreText(text: string, options: { misread?: boolean } = {}): TextScore {
  const score: TextScore = { good: 0, bad: 0, asciiGood: 0, asciiBad: 0 };
  for (const [word] of text.normalize('NFC').matchAll(options.misread ? MISREAD_WORD : WORD)) {
    if ([...word].length < 2) continue;
    if (ASCII.test(word)) {
      if (ACRONYM.test(word)) continue;
      if (isVietnameseSyllable(word, { plain: true })) score.asciiGood += 1;
      else score.asciiBad += 1;
    } else if (isVietnameseSyllable(word)) {
      score.good += 1;
    } else {
      score.bad += 1;
    }
  }
  return score;
}

/** Net evidence that a decoding is Vietnamese: valid words minus invalid ones (ASCII left out). */
export function vietnameseness(score: TextScore): number {
  return score.good - score.bad;
}
