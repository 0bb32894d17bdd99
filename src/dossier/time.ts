/**
 * Vietnam local time (Asia/Ho_Chi_Minh) is UTC+7 all year, without daylight saving since 1975,
 * so conversions are plain arithmetic. The portal's dates are `yyyyMMddHHmmss` local time.
 */
import { PORTAL_DATE_RE } from '../../schemas/portal.ts';

export const VN_OFFSET_MS = 7 * 3600_000;

/** `"20240715083012"` → `"2024-07-15T01:30:12.000Z"`; `""`/null → null. Assumes a validated date. */
export function portalDateToInstant(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const m = PORTAL_DATE_RE.exec(value);
  if (!m) throw new RangeError(`not a yyyyMMddHHmmss date: ${value}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - VN_OFFSET_MS).toISOString();
}

/** `"2024-07-15T01:30:12.000Z"` → `"20240715083012"`; null → `""`. */
export function instantToPortalDate(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new RangeError(`not an instant: ${value}`);
  const local = new Date(t + VN_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return (
    p(local.getUTCFullYear(), 4) +
    p(local.getUTCMonth() + 1) +
    p(local.getUTCDate()) +
    p(local.getUTCHours()) +
    p(local.getUTCMinutes()) +
    p(local.getUTCSeconds())
  );
}

/** The local calendar date (`YYYY-MM-DD`) of an instant in Vietnam. */
export function localDateOf(value: string | Date): string {
  const t = typeof value === 'string' ? Date.parse(value) : value.getTime();
  return new Date(t + VN_OFFSET_MS).toISOString().slice(0, 10);
}
