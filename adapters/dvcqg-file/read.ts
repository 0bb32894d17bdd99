/**
 * Reads `*.json` (an array of records) and `*.ndjson` (one record a line) files page by page.
 * NDJSON is streamed line by line (bounded memory); a `.json` array is parsed whole.
 */
import { createReadStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { GatewayError } from '../../src/sdk/index.ts';
import type { RawRecord } from '../../src/sdk/index.ts';

export interface ExportFile {
  path: string;
  name: string;
  fingerprint: string;
}

/** The export files under a path, in name order, with a fingerprint that changes when a file does. */
export async function listExportFiles(path: string): Promise<ExportFile[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new GatewayError('source_unavailable', `options.path "${path}" does not exist or cannot be read`, { retryable: true });
  }
  const paths = info.isDirectory()
    ? (await readdir(path)).filter((n) => /\.(nd)?json$/i.test(n)).sort().map((n) => join(path, n))
    : [path];
  const files: ExportFile[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (!s.isFile()) continue;
    files.push({ path: p, name: info.isDirectory() ? basename(p) : basename(p), fingerprint: `${s.size}:${Math.trunc(s.mtimeMs)}` });
  }
  return files;
}

function keyOf(raw: unknown): string | null {
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    const code = (raw as Record<string, unknown>)['MaHoSo'];
    if (typeof code === 'string' && code.trim() !== '') return code.normalize('NFC');
    // A typed export may write a numeric code as a number (read as text by the mapping, with a warning).
    if (typeof code === 'number' && Number.isFinite(code)) return String(code);
  }
  return null;
}

function recordOf(raw: unknown, location: string): RawRecord {
  return { key: keyOf(raw), location, raw };
}

/** Records of one file from index `offset` on (index = line number − 1 for NDJSON). */
export async function* readRecords(file: ExportFile, offset: number): AsyncGenerator<{ index: number; record: RawRecord }> {
  if (/\.ndjson$/i.test(file.name)) {
    const lines = createInterface({ input: createReadStream(file.path, { encoding: 'utf8' }), crlfDelay: Infinity });
    let index = -1;
    for await (const line of lines) {
      index++;
      if (index < offset) continue;
      const text = index === 0 ? line.replace(/^\uFEFF/, '') : line;
      if (text.trim() === '') continue;
      const location = `${file.name}:${index + 1}`;
      try {
        yield { index, record: recordOf(JSON.parse(text), location) };
      } catch (e) {
        yield {
          index,
          record: { key: null, location, raw: null, rawText: text, parseIssues: [{ path: '', message: `line ${index + 1} is not valid JSON: ${(e as Error).message}` }] },
        };
      }
    }
    return;
  }
  const text = (await readFile(file.path, 'utf8')).replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    if (offset === 0) yield { index: 0, record: { key: null, location: file.name, raw: null, rawText: text, parseIssues: [{ path: '', message: `file is not valid JSON: ${(e as Error).message}` }] } };
    return;
  }
  if (!Array.isArray(parsed)) {
    if (offset === 0) yield { index: 0, record: { key: keyOf(parsed), location: file.name, raw: parsed, parseIssues: [{ path: '', message: 'a .json export must hold an array of records' }] } };
    return;
  }
  for (let index = offset; index < parsed.length; index++) yield { index, record: recordOf(parsed[index], `${file.name}[${index}]`) };
}
