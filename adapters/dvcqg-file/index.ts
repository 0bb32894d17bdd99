/**
 * `dvcqg-file`: dossiers exported in the portal's own format (contract §4, §5), as `*.json` arrays
 * or `*.ndjson` lines, from a file or a folder. Also the canonical import format of lienthong.
 */
import { defineAdapter, type Page, type RawRecord } from '../../src/sdk/index.ts';
import { DvcqgFileOptionsSchema, type DvcqgFileCursor, type DvcqgFileOptions } from './config.ts';
import { toDossier } from './mappers/to-dossier.ts';
import { listExportFiles, readRecords } from './read.ts';

export const dvcqgFileAdapter = defineAdapter<DvcqgFileOptions, DvcqgFileCursor>({
  id: 'dvcqg-file',
  version: '1.0.0',
  configSchema: DvcqgFileOptionsSchema,
  async check(options) {
    await listExportFiles(options.path);
  },
  async *pull(options, cursor, ctx): AsyncGenerator<Page<DvcqgFileCursor>> {
    const files: Record<string, string> = { ...(cursor?.files ?? {}) };
    for (const file of await listExportFiles(options.path)) {
      if (files[file.name] === file.fingerprint) continue;
      const resume = cursor?.current;
      const offset = resume && resume.file === file.name && resume.fingerprint === file.fingerprint ? resume.offset : 0;
      let batch: RawRecord[] = [];
      let next = offset;
      for await (const { index, record } of readRecords(file, offset)) {
        ctx.signal?.throwIfAborted();
        batch.push(record);
        next = index + 1;
        if (batch.length >= ctx.pageSize) {
          yield { records: batch, cursor: { files: { ...files }, current: { file: file.name, fingerprint: file.fingerprint, offset: next } } };
          batch = [];
        }
      }
      files[file.name] = file.fingerprint;
      yield { records: batch, cursor: { files: { ...files } } };
    }
  },
  map: (raw) => toDossier(raw),
});

export default dvcqgFileAdapter;
