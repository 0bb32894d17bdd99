/**
 * `csv-xlsx`: export files dropped in a folder by systems that can only export. CSV (any
 * separator, BOM or not, UTF-8 / windows-1258 / TCVN3 / VNI, detected or configured) and XLSX;
 * headers in Vietnamese or the portal's own field names; dates in a configured format.
 */
import { defineAdapter, getPath, matchField, type Page, type RawRecord } from '../../src/sdk/index.ts';
import { CsvXlsxOptionsSchema, type CsvXlsxCursor, type CsvXlsxOptions } from './config.ts';
import { mappedColumns, toDossier } from './mappers/to-dossier.ts';
import { listExportFiles, readCsv, readXlsx, type ExportFile, type ReadOptions } from './read.ts';

/** The dossier code of a row: the declared MaHoSo column, else the column whose name means MaHoSo. */
function keyReader(options: CsvXlsxOptions): (raw: Record<string, string>) => string | null {
  const declared = options.mapping?.fields?.['MaHoSo'];
  const path = typeof declared === 'string' ? declared : typeof declared?.from === 'string' ? declared.from : undefined;
  const columns = new Map<string, string>();
  const columnOf = (raw: Record<string, string>) => {
    const keys = Object.keys(raw);
    const sig = keys.join('\u0001');
    let c = columns.get(sig);
    if (c === undefined) columns.set(sig, (c = keys.find((k) => matchField(k) === 'MaHoSo') ?? '\u0000'));
    return c;
  };
  return (raw) => {
    const v = path ? getPath(raw, path) : raw[columnOf(raw)];
    return typeof v === 'string' && v.trim() !== '' ? v.trim().normalize('NFC') : null;
  };
}

function rowsOf(file: ExportFile, read: ReadOptions, cursor: CsvXlsxCursor | null) {
  const c = cursor?.current;
  const resume = c && c.file === file.name && c.fingerprint === file.fingerprint ? c : undefined;
  return file.kind === 'xlsx' ? readXlsx(file, read, resume) : readCsv(file, read, resume);
}

export const csvXlsxAdapter = defineAdapter<CsvXlsxOptions, CsvXlsxCursor>({
  id: 'csv-xlsx',
  version: '1.0.0',
  configSchema: CsvXlsxOptionsSchema,
  async check(options) {
    await listExportFiles(options.path);
  },
  async *pull(options, cursor, ctx): AsyncGenerator<Page<CsvXlsxCursor>> {
    const files: Record<string, string> = { ...(cursor?.files ?? {}) };
    const read: ReadOptions = { encoding: options.encoding, delimiter: options.delimiter, sheet: options.sheet, keyOf: keyReader(options) };
    for (const file of await listExportFiles(options.path)) {
      if (files[file.name] === file.fingerprint) continue;
      let batch: RawRecord[] = [];
      for await (const out of rowsOf(file, read, cursor)) {
        ctx.signal?.throwIfAborted();
        batch.push(out.record);
        if (batch.length >= ctx.pageSize) {
          const current = { file: file.name, fingerprint: file.fingerprint, row: out.row, ...(out.byte === undefined ? {} : { byte: out.byte, line: out.line ?? 0 }) };
          yield { records: batch, cursor: { files: { ...files }, current } };
          batch = [];
        }
      }
      files[file.name] = file.fingerprint;
      yield { records: batch, cursor: { files: { ...files } } };
    }
  },
  map: (raw, ctx) => toDossier(raw, ctx.options),
  mappedPaths: (options, sample) => mappedColumns(sample && typeof sample === 'object' ? Object.keys(sample) : [], options),
});

export default csvXlsxAdapter;
