/**
 * Bytes in any of the encodings Vietnamese files still arrive in → NFC text, with detection.
 */
import { scoreText, vietnameseness } from './score.ts';
import { decodeTcvn3, encodeTcvn3 } from './tcvn3.ts';
import { decodeVni, encodeVni } from './vni.ts';
import { decodeWindows1258, encodeWindows1258 } from './windows-1258.ts';

export type LegacyEncoding = 'utf-8' | 'windows-1258' | 'tcvn3' | 'vni';

/** The single-byte encodings, in the order that wins a tie (TCVN3 is by far the most common). */
export const SINGLE_BYTE_ENCODINGS = ['tcvn3', 'vni', 'windows-1258'] as const;
export type SingleByteEncoding = (typeof SINGLE_BYTE_ENCODINGS)[number];

const DECODERS: Record<SingleByteEncoding, (bytes: Uint8Array) => string> = {
  tcvn3: decodeTcvn3,
  vni: decodeVni,
  'windows-1258': decodeWindows1258,
};

/** Detection looks at this much of a file; enough words to decide, cheap on large exports. */
const SAMPLE_BYTES = 64 * 1024;
const BOM = [0xef, 0xbb, 0xbf];

function hasBom(bytes: Uint8Array): boolean {
  return BOM.every((b, i) => bytes[i] === b);
}

/** Whether `bytes` is valid UTF-8; with `truncated`, an incomplete sequence at the end is fine. */
function isUtf8(bytes: Uint8Array, truncated: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: truncated });
    return true;
  } catch {
    return false;
  }
}

/** Replacement characters and control characters other than tab and line ends. */
function countUnreadable(text: string): number {
  let count = 0;
  for (const char of text) {
    const code = char.charCodeAt(0);
    if (code === 0xfffd || (code < 0x20 && char !== '\t' && char !== '\n' && char !== '\r')) count += 1;
  }
  return count;
}

/** Decodes single-byte `bytes` (no BOM handling) as `encoding`, NFC. */
export function decodeSingleByte(bytes: Uint8Array, encoding: SingleByteEncoding): string {
  return DECODERS[encoding](bytes);
}

/**
 * Guesses the encoding of `bytes`. Valid UTF-8 (or a UTF-8 BOM) is UTF-8: legacy Vietnamese text
 * is practically never valid UTF-8. Otherwise each single-byte decoding is scored by its words
 * that are valid Vietnamese syllables minus those that are not, and the best one wins.
 *
 * @example
 * detectEncoding(encodeLegacy('Cộng hòa xã hội chủ nghĩa Việt Nam', 'vni')); // 'vni'
 */
export function detectEncoding(bytes: Uint8Array): LegacyEncoding {
  if (hasBom(bytes)) return 'utf-8';
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  if (isUtf8(sample, sample.length < bytes.length)) return 'utf-8';
  let best: SingleByteEncoding = 'tcvn3';
  let bestScore = -Infinity;
  for (const encoding of SINGLE_BYTE_ENCODINGS) {
    const text = DECODERS[encoding](sample);
    const score = vietnameseness(scoreText(text)) - countUnreadable(text);
    if (score > bestScore) {
      best = encoding;
      bestScore = score;
    }
  }
  return best;
}

/**
 * Decodes `bytes` to NFC text. `'auto'` detects the encoding (see {@link detectEncoding}); a UTF-8
 * BOM is stripped; invalid UTF-8 sequences become U+FFFD.
 *
 * @example
 * decodeBytes(new Uint8Array([0x56, 0x69, 0x65, 0xe4, 0x74]), 'auto'); // { text: 'Việt', encoding: 'vni' }
 */
export function decodeBytes(
  bytes: Uint8Array,
  encoding: LegacyEncoding | 'auto',
): { text: string; encoding: LegacyEncoding } {
  const chosen = encoding === 'auto' ? detectEncoding(bytes) : encoding;
  const text =
    chosen === 'utf-8'
      ? new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes)
      : DECODERS[chosen](bytes);
  return { text: text.normalize('NFC'), encoding: chosen };
}

/**
 * Encodes text in `encoding` (for tests and fixtures); characters the encoding lacks become `?`.
 * TCVN3 upper-case letters with tones use the TCVN 5712 VN1 positions.
 *
 * @example
 * encodeLegacy('Việt', 'windows-1258'); // Uint8Array [0x56, 0x69, 0xea, 0xf2, 0x74]
 */
export function encodeLegacy(text: string, encoding: LegacyEncoding): Uint8Array {
  switch (encoding) {
    case 'utf-8':
      return new TextEncoder().encode(text.normalize('NFC'));
    case 'windows-1258':
      return encodeWindows1258(text);
    case 'tcvn3':
      return encodeTcvn3(text);
    case 'vni':
      return encodeVni(text);
  }
}
