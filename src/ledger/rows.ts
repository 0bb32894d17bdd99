/**
 * Reading rows: the few conversions every typed query needs, in one place. Both drivers return
 * json and jsonb already parsed (src/ledger/pglite-thread.ts parses them at the thread boundary);
 * timestamps come back as text on PGlite and as Date or text on PostgreSQL, so they are normalised
 * to ISO instants here and nowhere else.
 */

/** A timestamp column as an ISO instant, or null. */
export function isoOrNull(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const d = v instanceof Date ? v : new Date(String(v));
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** A NOT NULL timestamp column as an ISO instant ('' when the database returned something unreadable). */
export function isoOf(v: unknown): string {
  return isoOrNull(v) ?? '';
}

/** A text column holding JSON (json and jsonb columns arrive parsed; text ones do not). */
export function jsonText<T = unknown>(v: unknown): T {
  return (typeof v === 'string' ? JSON.parse(v) : v) as T;
}

/** A nullable text column. */
export function textOrNull(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** A nullable integer column. */
export function intOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : Number(v);
}
