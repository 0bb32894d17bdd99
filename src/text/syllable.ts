/**
 * A compact validator of written Vietnamese syllables: onset + rhyme (vần) + at most one tone
 * mark, with the spelling rules that separate real syllables from look-alikes (c/k/q, g/gh, ng/ngh,
 * iê/yê, and stop endings p/t/c/ch taking only sắc or nặng). It knows no lexicon, so it accepts
 * well-formed syllables that no one uses; it is meant to tell Vietnamese from mojibake.
 */
import { CONSONANT_LETTERS, splitTone, type Tone } from './letters.ts';

/** Longest first, so `ngh` wins over `ng` and `n`. `q` stands for `qu` (its `u` opens the rhyme). */
const ONSETS = ['ngh', 'ng', 'nh', 'ch', 'gh', 'gi', 'kh', 'ph', 'th', 'tr', ...'bcdđghklmnpqrstvx'];

/** Toneless rhymes. */
const RHYMES = new Set(
  [
    'a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây',
    'e ec em en eng eo ep et ê êch êm ên ênh êp êt êu',
    'i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu yêm yên yêt yêu y',
    'o oc oi om on ong op ot ooc oong ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt',
    'u ua uc ui um un ung up ut uôc uôi uôm uôn uông uôt',
    'ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu',
    'oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oe oen oeo oet',
    'uân uâng uât uây uê uêch uênh uy uya uych uyên uyêt uynh uyp uyt uyu uơ',
  ]
    .join(' ')
    .split(' '),
);

/** Rhymes written only after `q` (quan, quen, quét…), where other onsets take `o` (hoan, hoen…). */
const QU_RHYMES = new Set(
  'uac uach uai uan uang uanh uat uay uăc uăm uăn uăng uăt ue uen ueo uet uên uit'.split(' '),
);

/** A rhyme as typed without diacritics: `ương` → `uong`. */
const plainOf = (rhyme: string): string => rhyme.replace(/[ăâ]/g, 'a').replace(/ê/g, 'e').replace(/[ôơ]/g, 'o').replace(/ư/g, 'u');
const PLAIN_RHYMES = new Set([...RHYMES].map(plainOf));
const PLAIN_QU_RHYMES = new Set([...QU_RHYMES].map(plainOf));

const FRONT_VOWEL = /^(i|e|ê|y)/;
const STOP_ENDING = /(p|t|c|ch)$/;

export interface SyllableOptions {
  /** The word is typed without diacritics (`Viet`, `Quang`): match rhymes so, skip tone rules. */
  plain?: boolean;
}

/**
 * Whether `word` is a well-formed Vietnamese syllable (any case, NFC or NFD).
 *
 * @example
 * isVietnameseSyllable('Nghiêng'); // true
 * isVietnameseSyllable('hßa');     // false: ß is not a Vietnamese letter
 * isVietnameseSyllable('Céng');    // false: c is written k before e
 */
export function isVietnameseSyllable(word: string, options: SyllableOptions = {}): boolean {
  let bare = '';
  let tone: Tone = '';
  for (const char of word.normalize('NFC').toLowerCase()) {
    const vowel = splitTone(char);
    if (vowel) {
      bare += vowel.base;
      if (vowel.tone !== '') {
        if (tone !== '') return false;
        tone = vowel.tone;
      }
    } else if (CONSONANT_LETTERS.includes(char)) {
      bare += char;
    } else {
      return false;
    }
  }
  const onset = ONSETS.find((o) => bare.startsWith(o)) ?? '';
  const rhyme = bare.slice(onset.length);
  const rhymes = options.plain ? { all: PLAIN_RHYMES, qu: PLAIN_QU_RHYMES } : { all: RHYMES, qu: QU_RHYMES };
  if (!isRhymeOf(onset, rhyme, rhymes.all, rhymes.qu)) return false;
  if (options.plain || !STOP_ENDING.test(bare)) return true;
  return tone === 'sac' || tone === 'nang';
}

function isRhymeOf(onset: string, rhyme: string, all: Set<string>, qu: Set<string>): boolean {
  // gi + rhyme: "gia", "giữ"; the i of the rhyme merges into gi: "gì", "gìn", "giếng" (= gi + iêng).
  if (onset === 'gi') return rhyme === '' || all.has(rhyme) || all.has(`i${rhyme}`);
  if (onset === 'q') return rhyme.length > 1 && rhyme.startsWith('u') && (all.has(rhyme) || qu.has(rhyme));
  if (!all.has(rhyme)) return false;
  const front = FRONT_VOWEL.test(rhyme);
  if ((onset === 'k' || onset === 'gh' || onset === 'ngh') && !front) return false;
  if ((onset === 'c' || onset === 'g' || onset === 'ng') && front) return false;
  if (/^y[eê]/.test(rhyme)) return onset === '';
  if (/^i[eê]./.test(rhyme)) return onset !== '';
  return true;
}
