/**
 * The two drivers behind one small interface: a dialect changes only how a statement is sent and
 * how identifiers, casts and hashes are written (style.md: drizzle's driver split). Values are
 * always bound parameters; identifiers come from validated options and are quoted.
 */
import mysql from 'mysql2/promise';
import postgres from 'postgres';
import type { SqlOptions } from './config.ts';

export type Row = Record<string, unknown>;

export interface Dialect {
  /** Runs a statement with `?` placeholders; rows with timestamps as text. */
  query(text: string, params: unknown[]): Promise<Row[]>;
  /** The column names of a sub-query. */
  columns(from: string): Promise<string[]>;
  ident(name: string): string;
  /** Expression: a value as text. */
  asText(expr: string): string;
  /** Expression: a bound text parameter compared as the modified column's type. */
  param(type: SqlOptions['modifiedType'] | 'key'): string;
  /** Expression: byte-order comparison form of a text expression. */
  bytes(expr: string): string;
  /** Expression: MD5 of a row of the sub-query `src` with these columns. */
  rowHash(columns: string[]): string;
  close(): Promise<void>;
}

function withPassword(url: string, password: string | undefined): string {
  if (!password) return url;
  const u = new URL(url);
  u.password = encodeURIComponent(password);
  return u.toString();
}

function postgresDialect(o: SqlOptions): Dialect {
  const text = { to: 25, from: [1082, 1083, 1114, 1184, 1266], serialize: (x: unknown) => String(x), parse: (x: string) => x };
  const sql = postgres(withPassword(o.url as string, o.password), {
    max: 2,
    onnotice: () => {},
    idle_timeout: 10,
    connect_timeout: Math.ceil(o.timeoutMs / 1000),
    connection: { TimeZone: 'Asia/Ho_Chi_Minh', statement_timeout: o.timeoutMs },
    types: { lienthongText: text } as never,
  });
  let n = 0;
  const numbered = (t: string) => t.replace(/\?/g, () => `$${++n}`);
  return {
    async query(t, params) {
      n = 0;
      return (await sql.unsafe(numbered(t), params as never[])) as unknown as Row[];
    },
    async columns(from) {
      const res = await sql.unsafe(`select * from ${from} limit 0`).describe();
      return (res.columns ?? []).map((c) => c.name);
    },
    ident: (name) => name.split('.').map((p) => `"${p}"`).join('.'),
    asText: (e) => `cast(${e} as text)`,
    param: (type) => (type === 'timestamp' ? 'cast(cast(? as text) as timestamptz)' : type === 'number' ? 'cast(cast(? as text) as numeric)' : 'cast(? as text)'),
    bytes: (e) => `${e} collate "C"`,
    rowHash: () => `md5(cast(row_to_json(src) as text))`,
    close: () => sql.end({ timeout: 5 }),
  };
}

function mysqlDialect(o: SqlOptions): Dialect {
  const pool = mysql.createPool({ uri: withPassword(o.url as string, o.password), connectionLimit: 2, dateStrings: true, timezone: '+07:00', connectTimeout: o.timeoutMs, supportBigNumbers: true, bigNumberStrings: true, decimalNumbers: false });
  pool.on('connection', (c) => void c.query("set time_zone = '+07:00'"));
  return {
    async query(t, params) {
      const [rows] = await pool.query({ sql: t, timeout: o.timeoutMs }, params);
      return rows as Row[];
    },
    async columns(from) {
      const [, fields] = await pool.query(`select * from ${from} limit 0`);
      return (fields ?? []).map((f) => f.name);
    },
    ident: (name) => name.split('.').map((p) => `\`${p}\``).join('.'),
    asText: (e) => `cast(${e} as char)`,
    param: (type) => (type === 'number' ? 'cast(? as decimal(65,6))' : '?'),
    bytes: (e) => `binary ${e}`,
    rowHash: (columns) => `md5(concat_ws(char(31), ${columns.map((c) => `ifnull(cast(src.\`${c}\` as char), char(0))`).join(', ')}))`,
    close: () => pool.end(),
  };
}

/** Opens the source database (lazily connected pools). */
export function openDialect(o: SqlOptions): Dialect {
  return o.dialect === 'postgres' ? postgresDialect(o) : mysqlDialect(o);
}
