/**
 * The local system's side of `_template`: files shaped like the sample, read from `options.path`
 * into raw records, a page at a time. Replace it with the system's transport when it has one
 * (HTTP: `createHttpClient` in src/sdk/http.ts; see docs/adapters.md); keep the cursor JSON.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Page, PullContext, RawRecord } from '../../src/sdk/index.ts';
import { readSampleRecords } from '../../src/sdk/samples.ts';
import type { Cursor, Options } from './config.ts';

/** The extensions `readSampleRecords` reads; other files in the folder are left alone. */
const READABLE = new Set(['.json', '.ndjson', '.csv', '.tsv', '.xml']);
/** A file is read whole: a bigger one is reported, not loaded. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

async function filesOf(path: string): Promise<string[]> {
  if (!(await stat(path)).isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => READABLE.has(extname(n).toLowerCase())).sort();
  return names.map((n) => join(path, n));
}

/** The file's records; a file that cannot be read becomes one record with its issue (the run goes on). */
async function recordsOf(file: string): Promise<RawRecord[]> {
  const name = basename(file);
  const { size } = await stat(file);
  const unreadable = (message: string): RawRecord[] => [{ key: null, location: name, raw: null, parseIssues: [{ path: '', message }] }];
  if (size > MAX_FILE_BYTES) return unreadable(`${name}: ${size} bytes, over the ${MAX_FILE_BYTES}-byte limit of one file`);
  try {
    return await readSampleRecords(file);
  } catch (e) {
    return unreadable((e as Error).message);
  }
}

/**
 * Pages of raw records from `cursor` (null = from the first file).
 *
 * @example
 * for await (const page of pullFiles({ path: './exports' }, null, { pageSize: 100 })) store(page);
 */
export async function* pullFiles(options: Options, cursor: Cursor | null, ctx: PullContext): AsyncGenerator<Page<Cursor>> {
  const done = [...(cursor?.done ?? [])];
  for (const file of await filesOf(options.path)) {
    const name = basename(file);
    if (done.includes(name)) continue;
    ctx.signal?.throwIfAborted();
    const records = await recordsOf(file);
    const from = cursor?.current?.file === name ? cursor.current.offset : 0;
    for (let i = from; i < records.length; i += ctx.pageSize) {
      const end = Math.min(records.length, i + ctx.pageSize);
      yield { records: records.slice(i, end), cursor: end < records.length ? { done: [...done], current: { file: name, offset: end } } : { done: [...done, name] } };
    }
    done.push(name);
  }
}
