/**
 * The statements of the `sql` adapter over one source relation `src`: keyset pages on
 * (modified, id), key ranges in byte order with a row hash computed by the database, and rows by
 * key. Every value is a bound parameter.
 */
import type { KeyRange } from '../../src/sdk/index.ts';
import type { SqlCursor, SqlOptions } from './config.ts';
import { openDialect, type Dialect, type Row } from './dialect.ts';
import { sqlError } from './errors.ts';

/** Our own columns in each page row (removed before mapping). */
export const MODIFIED = 'lt_modified';
export const ID = 'lt_id';
export const KEY = 'lt_key';

export interface SqlSource {
  page(cursor: SqlCursor | null, limit: number): Promise<Row[]>;
  /** Keys in `[from, to)` after `after` (exclusive), byte order, with version and database hash. */
  range(range: KeyRange, after: string | null, limit: number, withRows: boolean): Promise<Row[]>;
  byKeys(keys: readonly string[]): Promise<Row[]>;
  columns(): Promise<string[]>;
  close(): Promise<void>;
}

export function openSource(o: SqlOptions, what: string): SqlSource {
  const d: Dialect = openDialect(o);
  const from = o.relation ? d.ident(o.relation) : `(${o.query as string})`;
  const col = (c: string) => `src.${d.ident(c)}`;
  const m = col(o.modifiedColumn);
  const id = col(o.idColumn ?? o.keyColumn);
  const keyText = d.asText(col(o.keyColumn));
  const run = async (text: string, params: unknown[]) => {
    try {
      return await d.query(text, params);
    } catch (e) {
      throw sqlError(e, what);
    }
  };
  let cols: string[] | undefined;
  const columns = async () => {
    try {
      return (cols ??= await d.columns(`${from} src`));
    } catch (e) {
      throw sqlError(e, what);
    }
  };
  return {
    page(cursor, limit) {
      const where = cursor ? `where (${m} > ${d.param(o.modifiedType)} or (${m} = ${d.param(o.modifiedType)} and ${id} > ?))` : '';
      const params = cursor ? [cursor.modified, cursor.modified, cursor.id] : [];
      return run(`select src.*, ${d.asText(m)} as ${MODIFIED}, ${d.asText(id)} as ${ID} from ${from} src ${where} order by ${m}, ${id} limit ?`, [...params, limit]);
    },
    async range(range, after, limit, withRows) {
      const conds: string[] = [`${keyText} is not null`];
      const params: unknown[] = [];
      const bound = (op: string, value: string | null) => {
        if (value === null) return;
        conds.push(`${d.bytes(keyText)} ${op} ${d.param('key')}`);
        params.push(value);
      };
      bound('>=', range.from);
      bound('<', range.to);
      bound('>', after);
      const select = withRows ? `src.*, ${keyText} as ${KEY}` : `${keyText} as ${KEY}, ${d.asText(m)} as ${MODIFIED}, ${d.rowHash(await columns())} as lt_hash`;
      return run(`select ${select} from ${from} src where ${conds.join(' and ')} order by ${d.bytes(keyText)} limit ?`, [...params, limit]);
    },
    byKeys(keys) {
      if (!keys.length) return Promise.resolve([]);
      return run(`select src.*, ${keyText} as ${KEY} from ${from} src where ${keyText} in (${keys.map(() => d.param('key')).join(', ')}) order by ${d.bytes(keyText)}`, [...keys]);
    },
    columns,
    close: () => d.close(),
  };
}
