/**
 * The VNI-Windows table (VNI fonts such as "VNI-Times"). VNI is windows-1252 text in which a
 * Vietnamese letter is a base Latin letter followed by one diacritic/tone byte that the VNI font
 * draws as a mark: "Việt" is `V i e ä t` (bytes 56 69 65 E4 74). A handful of letters are a single
 * byte instead: ơ `ô`, ư `ö`, đ `ñ`, and i and ỵ with a tone (`í ì æ ó ò`, `î`).
 *
 * Each row is one lower-case letter with its six tones in the order of {@link TONES}: ngang, sắc,
 * huyền, hỏi, ngã, nặng. Upper case is the upper case of both sides (Ấ = `AÁ`, Ơ = `Ô`, Đ = `Ñ`).
 * Every byte here is a 1252 character below U+0100, so a VNI string's bytes are its char codes.
 */
import { TONES, withTone } from './letters.ts';

const ROWS: ReadonlyArray<readonly [letter: string, vni: readonly string[]]> = [
  //       ngang   sắc    huyền  hỏi    ngã    nặng
  ['a', ['a', 'aù', 'aø', 'aû', 'aõ', 'aï']],
  ['ă', ['aê', 'aé', 'aè', 'aú', 'aü', 'aë']],
  ['â', ['aâ', 'aá', 'aà', 'aå', 'aã', 'aä']],
  ['e', ['e', 'eù', 'eø', 'eû', 'eõ', 'eï']],
  ['ê', ['eâ', 'eá', 'eà', 'eå', 'eã', 'eä']],
  ['i', ['i', 'í', 'ì', 'æ', 'ó', 'ò']],
  ['o', ['o', 'où', 'oø', 'oû', 'oõ', 'oï']],
  ['ô', ['oâ', 'oá', 'oà', 'oå', 'oã', 'oä']],
  ['ơ', ['ô', 'ôù', 'ôø', 'ôû', 'ôõ', 'ôï']],
  ['u', ['u', 'uù', 'uø', 'uû', 'uõ', 'uï']],
  ['ư', ['ö', 'öù', 'öø', 'öû', 'öõ', 'öï']],
  ['y', ['y', 'yù', 'yø', 'yû', 'yõ', 'î']],
];

/** Unicode letter (NFC) → VNI characters, for all 146 letters of both cases. */
export const VNI_OF = new Map<string, string>();
for (const [letter, vni] of ROWS) {
  TONES.forEach((tone, i) => {
    const seq = vni[i] ?? '';
    const unicode = withTone(letter, tone);
    VNI_OF.set(unicode, seq);
    VNI_OF.set(unicode.toUpperCase(), seq.toUpperCase());
  });
}
VNI_OF.set('đ', 'ñ');
VNI_OF.set('Đ', 'Ñ');

/** VNI characters (one or two) → Unicode letter; plain ASCII letters are left out. */
export const UNICODE_OF = new Map<string, string>(
  [...VNI_OF].filter(([unicode, vni]) => unicode !== vni).map(([unicode, vni]) => [vni, unicode]),
);
