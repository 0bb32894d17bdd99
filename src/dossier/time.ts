/**
 * Vietnam local time (Asia/Ho_Chi_Minh) is UTC+7 all year, without daylight saving since 1975,
 * so conversions are plain arithmetic. The portal's dates are `yyyyMMddHHmmss` local time.
 */
import { portalDateWallClock } from '../../schemas/portal.ts';

export const VN_OFFSET_MS = 7 * 3600_000;

/** `"20240715083012"` → `"2024-07-15T01:30:12.000Z"`; `""`/null → null. Assumes a validated date. */
export function portalDateToInstant(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const t = portalDateWallClock(value);
  if (Number.isNaN(t)) throw new RangeError(`not a yyyyMMddHHmmss date: ${value}`);
  return new Date(t - VN_OFFSET_MS).toISOString();
}

/** Like {@link portalDateToInstant} for values nobody validated: null when it is not a real date. */
export function portalDateToInstantOrNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const t = portalDateWallClock(value);
  return Number.isNaN(t) ? null : new Date(t - VN_OFFSET_MS).toISOString();
}

/** `"2024-07-15T01:30:12.000Z"` → `"20240715083012"`; null → `""`. */
export function instantToPortalDate(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new RangeError(`not an instant: ${value}`);
  const local = new Date(t + VN_OFFSET_MS);
  return (
    pad(local.getUTCFullYear(), 4) +
    pad(local.getUTCMonth() + 1) +
    pad(local.getUTCDate()) +
    pad(local.getUTCHours()) +
    pad(local.getUTCMinutes()) +
    pad(local.getUTCSeconds())
  );
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The local calendar date (`YYYY-MM-DD`) of an instant in Vietnam. */
export function localDateOf(value: string | Date): string {
  const t = typeof value === 'string' ? Date.parse(value) : value.getTime();
  return new Date(t + VN_OFFSET_MS).toISOString().slice(0, 10);
}
