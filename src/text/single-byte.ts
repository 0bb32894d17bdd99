/**
 * Encoders for the single-byte tables iconv-lite can only decode (windows-1258, TCVN3): the table
 * reversed, and for a letter the table lacks, its toneless letter followed by the tone as a
 * combining-mark byte — which is how windows-1258 writes "ộ" (ô + dot below: F4 F2).
 */
import iconv from 'iconv-lite';

const TONE_MARK = /[\u0300\u0301\u0303\u0309\u0323]/u;

/** `iconv.decode` on a view of the bytes (no copy), then NFC. */
export function iconvDecode(bytes: Uint8Array, encoding: string): string {
  return iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding).normalize('NFC');
}

/** An encoder for an iconv-lite single-byte `encoding`; unrepresentable characters become `?`. */
export function singleByteEncoder(encoding: string): (text: string) => Uint8Array {
  const byteOf = new Map<string, number>();
  for (let byte = 0; byte < 256; byte += 1) {
    const char = iconv.decode(Buffer.from([byte]), encoding);
    if (char !== '\uFFFD' && !byteOf.has(char)) byteOf.set(char, byte);
  }
  const QUESTION = 0x3f;
  const encodeChar = (char: string, out: number[]): void => {
    const byte = byteOf.get(char);
    if (byte !== undefined) {
      out.push(byte);
      return;
    }
    const nfd = char.normalize('NFD');
    const tone = TONE_MARK.exec(nfd)?.[0];
    const base = tone === undefined ? undefined : byteOf.get(nfd.replace(tone, '').normalize('NFC'));
    const mark = tone === undefined ? undefined : byteOf.get(tone);
    if (base === undefined || mark === undefined) out.push(QUESTION);
    else out.push(base, mark);
  };
  return (text) => {
    const out: number[] = [];
    for (const char of text.normalize('NFC')) encodeChar(char, out);
    return Uint8Array.from(out);
  };
}
