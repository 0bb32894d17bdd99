/**
 * Export files → raw records (`{ header: value }` objects). CSV is streamed record by record and
 * resumes at a byte offset; XLSX is streamed row by row (exceljs WorkbookReader) and resumes by
 * skipping rows. Every row is yielded, a broken one with its raw text and the reason.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { GatewayError, type ValidationIssue } from '../../src/sdk/index.ts';
import type { RawRecord } from '../../src/sdk/index.ts';
import type { LegacyEncoding } from '../../src/sdk/index.ts';
import { byteRecords, decodeRecord, detectDelimiter, fileEncoding, splitFields } from './csv.ts';
import { setOwn } from '../../src/sdk/own.ts';

export interface ExportFile {
  path: string;
  name: string;
  fingerprint: string;
  kind: 'csv' | 'xlsx';
}

const FILE_RE = /\.(csv|tsv|txt|xlsx)$/i;

/** The export files under a path, in name order, with a fingerprint that changes when a file does. */
export async function listExportFiles(path: string): Promise<ExportFile[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new GatewayError('source_unavailable', `options.path "${path}" does not exist or cannot be read`, { retryable: true });
  }
  const paths = info.isDirectory() ? (await readdir(path)).filter((n) => FILE_RE.test(n) && !n.startsWith('~$')).sort().map((n) => join(path, n)) : [path];
  const files: ExportFile[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (!s.isFile()) continue;
    files.push({ path: p, name: basename(p), fingerprint: `${s.size}:${Math.trunc(s.mtimeMs)}`, kind: /\.xlsx$/i.test(p) ? 'xlsx' : 'csv' });
  }
  return files;
}

/** Header cells → unique, trimmed, NFC keys (`column 3` for an empty one, `Tên (2)` for a repeat). */
export function headerKeys(cells: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    const base = c.normalize('NFC').trim() || `column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/** Cells of a row under the header keys; a row with more cells than the header is an issue. */
function rowRecord(keys: string[], cells: string[], location: string, key: (r: Record<string, string>) => string | null, rawText: string): RawRecord {
  const raw: Record<string, string> = {};
  keys.forEach((k, i) => setOwn(raw, k, cells[i] ?? ''));
  const extra = cells.slice(keys.length).filter((c) => c.trim() !== '');
  const issues: ValidationIssue[] = extra.length ? [{ path: '', message: `${location}: the row has ${cells.length} cells, the header ${keys.length} (a separator inside an unquoted value?)` }] : [];
  return { key: key(raw), location, raw, ...(issues.length ? { rawText, parseIssues: issues } : {}) };
}

export interface RowOut {
  record: RawRecord;
  /** Data rows consumed after this one, and where the next CSV record starts. */
  row: number;
  byte?: number;
  line?: number;
}

export interface ReadOptions {
  encoding: LegacyEncoding | 'auto';
  delimiter?: string | undefined;
  sheet?: string | undefined;
  /** The dossier code of a raw row (from the mapped MaHoSo column). */
  keyOf: (raw: Record<string, string>) => string | null;
}

/** Data rows of a CSV file from a resume point (the header is always read from the start). */
export async function* readCsv(file: ExportFile, opts: ReadOptions, resume?: { row: number; byte?: number | undefined; line?: number | undefined }): AsyncGenerator<RowOut> {
  const encoding = await fileEncoding(file.path, opts.encoding);
  const headerIt = byteRecords(file.path);
  const first = await headerIt.next();
  await headerIt.return(undefined);
  if (first.done) return;
  const headerText = decodeRecord(first.value.bytes, encoding);
  const delimiter = opts.delimiter ?? (/\.tsv$/i.test(file.name) ? '\t' : detectDelimiter(headerText));
  const keys = headerKeys(splitFields(headerText, delimiter));
  let row = resume?.row ?? 0;
  const start = resume?.byte ?? first.value.end;
  const line = resume?.line ?? first.value.line + 1;
  for await (const rec of byteRecords(file.path, start, line)) {
    const text = decodeRecord(rec.bytes, encoding);
    if (text.trim() === '') continue;
    row++;
    const cells = splitFields(text, delimiter);
    yield { record: rowRecord(keys, cells, `${file.name}:${rec.line}`, opts.keyOf, text), row, byte: rec.end, line: rec.line + (text.match(/\n/g)?.length ?? 0) + 1 };
  }
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** An XLSX cell as text; a date (Excel keeps wall-clock time, exceljs reads it as UTC) as `yyyy-MM-dd HH:mm:ss`. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    const d = value;
    return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
    return '';
  }
  return String(value);
}

async function drain(rows: AsyncIterable<unknown>): Promise<void> {
  const it = rows[Symbol.asyncIterator]();
  while (!(await it.next()).done);
}

/** Data rows of an XLSX worksheet, skipping the first `resume.row`. */
export async function* readXlsx(file: ExportFile, opts: ReadOptions, resume?: { row: number }): AsyncGenerator<RowOut> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file.path, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
  let row = 0;
  for await (const sheet of reader) {
    const name = (sheet as unknown as { name?: string }).name ?? 'Sheet1';
    if (opts.sheet && name !== opts.sheet) {
      // Read a skipped sheet to its end: exceljs removes a sheet's temporary file as soon as the
      // next one is asked for, and a sheet left unread would then fail to open it (ENOENT, uncaught).
      await drain(sheet);
      continue;
    }
    let keys: string[] | null = null;
    for await (const r of sheet) {
      const values = (r.values as ExcelJS.CellValue[]).slice(1).map(cellText);
      if (!keys) {
        if (values.every((v) => v.trim() === '')) continue;
        keys = headerKeys(values);
        continue;
      }
      if (values.every((v) => v.trim() === '')) continue;
      row++;
      if (row <= (resume?.row ?? 0)) continue;
      yield { record: rowRecord(keys, values.map((v) => v.normalize('NFC')), `${file.name}!${name}:${r.number}`, opts.keyOf, values.join('\t')), row };
    }
    return;
  }
}
