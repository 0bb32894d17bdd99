/**
 * windows-1252 both ways, lenient as real software is: the five bytes 1252 leaves undefined
 * (0x81 0x8D 0x8F 0x90 0x9D) read as the C1 control of the same number, and C1 controls are taken
 * back as the byte of the same number, so text that went through ISO-8859-1 instead converts too.
 */
import iconv from 'iconv-lite';

const CHARS: string[] = [];
const BYTES = new Map<string, number>();
for (let byte = 0; byte < 256; byte += 1) {
  const decoded = iconv.decode(Buffer.from([byte]), 'windows1252');
  const char = decoded === '\uFFFD' ? String.fromCharCode(byte) : decoded;
  CHARS.push(char);
  BYTES.set(char, byte);
  BYTES.set(String.fromCharCode(byte), byte);
}

/** The text windows-1252 makes of `bytes` (what a 1252 reader shows). */
export function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += CHARS[byte] ?? '';
  return out;
}

/**
 * The bytes a windows-1252 (or ISO-8859-1) reader must have seen to show `text`, or undefined when
 * `text` has a character neither can produce (then it was never such a misreading).
 */
export function encodeCp1252(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) {
    const byte = BYTES.get(text.charAt(i));
    if (byte === undefined) return undefined;
    bytes[i] = byte;
  }
  return bytes;
}
