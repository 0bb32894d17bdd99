/**
 * Streaming CSV in any encoding: records are cut on the raw bytes (quote-aware; `"`, the
 * separators and line ends are ASCII in UTF-8, windows-1258, TCVN3 and VNI alike), then each
 * record is decoded (`decodeBytes`, NFC) and split into fields. Memory: one record at a time.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { decodeBytes, detectEncoding, type LegacyEncoding } from '../../src/sdk/index.ts';

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

export interface ByteRecord {
  bytes: Buffer;
  /** Offset of the record's first byte in the file, and of the byte after it. */
  start: number;
  end: number;
  /** Line number (1-based) where the record starts. */
  line: number;
}

/** Raw records of a file from byte `start` (a record boundary), line numbers from `line`. */
export async function* byteRecords(path: string, start = 0, line = 1): AsyncGenerator<ByteRecord> {
  let parts: Buffer[] = [];
  let recStart = start;
  let pos = start;
  let curLine = line;
  let recLine = line;
  let inQuotes = false;
  for await (const chunk of createReadStream(path, { start }) as AsyncIterable<Buffer>) {
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i] as number;
      if (b === QUOTE) inQuotes = !inQuotes;
      else if (b === LF) {
        curLine++;
        if (!inQuotes) {
          parts.push(chunk.subarray(from, i + 1));
          const bytes = Buffer.concat(parts);
          yield { bytes, start: recStart, end: pos + i + 1, line: recLine };
          parts = [];
          from = i + 1;
          recStart = pos + i + 1;
          recLine = curLine;
        }
      }
    }
    if (from < chunk.length) parts.push(Buffer.from(chunk.subarray(from)));
    pos += chunk.length;
  }
  const rest = Buffer.concat(parts);
  if (rest.length) yield { bytes: rest, start: recStart, end: pos, line: recLine };
}

/** The encoding of a file: as configured, or detected on its first 64 KiB. */
export async function fileEncoding(path: string, encoding: LegacyEncoding | 'auto'): Promise<LegacyEncoding> {
  if (encoding !== 'auto') return encoding;
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return detectEncoding(buf.subarray(0, bytesRead));
  } finally {
    await fh.close();
  }
}

/** A record's text: decoded, NFC, without its line end (and without a UTF-8 BOM). */
export function decodeRecord(bytes: Buffer, encoding: LegacyEncoding): string {
  let end = bytes.length;
  if (end && bytes[end - 1] === LF) end--;
  if (end && bytes[end - 1] === CR) end--;
  return decodeBytes(bytes.subarray(0, end), encoding).text.replace(/^\uFEFF/, '');
}

export { detectDelimiter, splitFields } from '../../src/sdk/csv.ts';
