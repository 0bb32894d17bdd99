/**
 * `sql`: a view or query in the local system's database (PostgreSQL, MySQL/MariaDB). Keyset pages
 * on (modified, id): a pull reads only what changed since its cursor. `list` gives key ranges
 * with versions and row hashes computed in the database; `listKeys` and `fetch` serve reconcile.
 */
import { contentHash, dossierHash } from '../../src/sdk/index.ts';
import { ConfigError } from '../../src/sdk/index.ts';
import { defineAdapter, type RawRecord, type SourceKey } from '../../src/sdk/index.ts';
import { SqlOptionsSchema, type SqlCursor, type SqlOptions } from './config.ts';
import type { Row } from './dialect.ts';
import { mappedColumns, toDossier } from './mappers/to-dossier.ts';
import { ID, KEY, MODIFIED, openSource } from './source.ts';

const what = (o: SqlOptions) => `sql ${o.dialect} ${o.relation ?? 'query'}`;

/** A row without our helper columns, as a raw record. */
function recordOf(row: Row, o: SqlOptions): RawRecord {
  const { [MODIFIED]: modified, [ID]: id, [KEY]: _key, lt_hash: _hash, ...raw } = row;
  const k = raw[o.keyColumn];
  const key = k === null || k === undefined || String(k).trim() === '' ? null : String(k).trim().normalize('NFC');
  void modified;
  return { key, location: `${o.keyColumn}=${key ?? '∅'}${id === undefined || o.idColumn === undefined ? '' : ` #${String(id)}`}`, raw };
}

export const sqlAdapter = defineAdapter<SqlOptions, SqlCursor>({
  id: 'sql',
  version: '1.0.0',
  configSchema: SqlOptionsSchema,
  secretFields: ['url', 'password'],
  async check(options) {
    const src = openSource(options, what(options));
    try {
      const columns = await src.columns();
      const missing = [options.keyColumn, options.modifiedColumn, options.idColumn].filter((c): c is string => c !== undefined && !columns.includes(c));
      if (missing.length) throw new ConfigError(`${what(options)}: no column ${missing.join(', ')} (columns: ${columns.join(', ')})`);
    } finally {
      await src.close();
    }
  },
  async *pull(options, cursor, ctx) {
    const src = openSource(options, what(options));
    try {
      let cur = cursor;
      for (;;) {
        ctx.signal?.throwIfAborted();
        const rows = await src.page(cur, ctx.pageSize);
        if (!rows.length) return;
        const last = rows.at(-1) as Row;
        cur = { modified: String(last[MODIFIED]), id: String(last[ID]) };
        yield { records: rows.map((r) => recordOf(r, options)), cursor: cur };
        if (rows.length < ctx.pageSize) return;
      }
    } finally {
      await src.close();
    }
  },
  map: (raw, ctx) => toDossier(raw, ctx.options),
  mappedPaths: (options, sample) => mappedColumns(sample && typeof sample === 'object' ? Object.keys(sample) : [], options),
  async *list(options, range, ctx) {
    const src = openSource(options, what(options));
    try {
      for (let after: string | null = null; ; ) {
        const rows = await src.range(range, after, ctx.pageSize, false);
        if (!rows.length) return;
        yield rows.map((r): SourceKey => ({ key: String(r[KEY]), version: String(r[MODIFIED]), hash: String(r['lt_hash']) }));
        after = String((rows.at(-1) as Row)[KEY]);
        if (rows.length < ctx.pageSize) return;
      }
    } finally {
      await src.close();
    }
  },
  async *listKeys(options, range, ctx) {
    const src = openSource(options, what(options));
    try {
      for (let after: string | null = null; ; ) {
        const rows = await src.range(range, after, ctx.pageSize, true);
        if (!rows.length) return;
        yield rows.map((r): SourceKey => {
          const rec = recordOf(r, options);
          const out = toDossier(rec.raw, options);
          return { key: String(r[KEY]), hash: out.ok ? dossierHash(out.value) : `invalid:${contentHash(rec.raw)}` };
        });
        after = String((rows.at(-1) as Row)[KEY]);
        if (rows.length < ctx.pageSize) return;
      }
    } finally {
      await src.close();
    }
  },
  async *fetch(options, keys, ctx) {
    const src = openSource(options, what(options));
    try {
      for (let i = 0; i < keys.length; i += ctx.pageSize) yield (await src.byKeys(keys.slice(i, i + ctx.pageSize))).map((r) => recordOf(r, options));
    } finally {
      await src.close();
    }
  },
});

export default sqlAdapter;
