/**
 * windows-1258 (Microsoft's Vietnamese code page). It has precomposed letters only for those
 * Latin-1 already had plus ă â ê ô ơ ư đ; every other tone is a combining-mark byte after the
 * letter, so decoding yields combining marks that are composed to NFC here.
 */
import { iconvDecode, singleByteEncoder } from './single-byte.ts';

/**
 * Decodes windows-1258 bytes to NFC text.
 *
 * @example
 * decodeWindows1258(new Uint8Array([0x56, 0x69, 0xea, 0xf2, 0x74])); // 'Việt'
 */
export function decodeWindows1258(bytes: Uint8Array): string {
  return iconvDecode(bytes, 'windows1258');
}

/**
 * Encodes text as windows-1258, precomposed where the code page allows, else letter + tone byte.
 *
 * @example
 * encodeWindows1258('Việt'); // Uint8Array [0x56, 0x69, 0xea, 0xf2, 0x74]
 */
export const encodeWindows1258: (text: string) => Uint8Array = singleByteEncoder('windows1258');
