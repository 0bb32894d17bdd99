/** VNI-Windows ↔ Unicode, with the table in `vni-table.ts`. */
import { decodeCp1252 } from './cp1252.ts';
import { UNICODE_OF, VNI_OF } from './vni-table.ts';

/**
 * Decodes VNI-Windows bytes to NFC text: 1252 first, then each base letter + mark byte (and each
 * single-byte VNI letter) becomes its Unicode letter. A mark byte that follows no letter it can
 * go on stays the 1252 character it is.
 *
 * @example
 * decodeVni(new Uint8Array([0x56, 0x69, 0x65, 0xe4, 0x74])); // 'Việt'
 */
export function decodeVni(bytes: Uint8Array): string {
  const text = decodeCp1252(bytes);
  let out = '';
  for (let i = 0; i < text.length; ) {
    const pair = UNICODE_OF.get(text.slice(i, i + 2));
    if (pair !== undefined) {
      out += pair;
      i += 2;
      continue;
    }
    const char = text.charAt(i);
    out += UNICODE_OF.get(char) ?? char;
    i += 1;
  }
  return out.normalize('NFC');
}

/**
 * Encodes text as VNI-Windows bytes. ASCII passes through; a character VNI cannot write is `?`.
 *
 * @example
 * encodeVni('Việt'); // Uint8Array [0x56, 0x69, 0x65, 0xe4, 0x74]
 */
export function encodeVni(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const char of text.normalize('NFC')) {
    const seq = VNI_OF.get(char) ?? (char.charCodeAt(0) < 0x80 ? char : '?');
    for (const c of seq) bytes.push(c.charCodeAt(0));
  }
  return Uint8Array.from(bytes);
}
