/**
 * The Vietnamese alphabet as data: the 12 vowel letters, the 5 tone marks, and a lookup from every
 * toned letter (NFC, lower case) to its toneless letter and tone. Shared by the syllable validator,
 * the encoders and the tests.
 */

/** Tones in the order legacy tables list them: ngang (none), sắc, huyền, hỏi, ngã, nặng. */
export const TONES = ['', 'sac', 'huyen', 'hoi', 'nga', 'nang'] as const;
export type Tone = (typeof TONES)[number];

/** Combining mark of each tone (ngang has none). */
export const TONE_MARKS: Readonly<Record<Exclude<Tone, ''>, string>> = {
  sac: '\u0301',
  huyen: '\u0300',
  hoi: '\u0309',
  nga: '\u0303',
  nang: '\u0323',
};

/** The 12 vowel letters (a ă â e ê i o ô ơ u ư y), lower case NFC. */
export const VOWEL_LETTERS = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'] as const;

/** Consonant letters a Vietnamese syllable may contain (f, j, w, z are not among them). */
export const CONSONANT_LETTERS = 'bcdđghklmnpqrstvx';

/** `letter` with `tone`, NFC: `withTone('ê', 'nang')` → `'ệ'`. */
export function withTone(letter: string, tone: Tone): string {
  return tone === '' ? letter : (letter + TONE_MARKS[tone]).normalize('NFC');
}

const TONE_OF = new Map<string, { base: string; tone: Tone }>();
for (const base of VOWEL_LETTERS) {
  for (const tone of TONES) TONE_OF.set(withTone(base, tone), { base, tone });
}

/** Toneless letter and tone of a lower-case NFC vowel letter, or undefined for anything else. */
export function splitTone(char: string): { base: string; tone: Tone } | undefined {
  return TONE_OF.get(char);
}

/**
 * Every Vietnamese letter with a diacritic or tone: the 12 vowels × 6 tones, plus đ, in lower and
 * upper case (146 letters, NFC).
 */
export function vietnameseLetters(): string[] {
  const lower = [...TONE_OF.keys(), 'đ'];
  return [...lower, ...lower.map((c) => c.toUpperCase())];
}
