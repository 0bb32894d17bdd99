/**
 * The SDK's one date module: dates as local systems write them, read by a declared format, and
 * instants written back in a format a local API filters on. A date without an offset is Vietnam
 * local time (UTC+7, no daylight saving). The offset, the Vietnam calendar day and day arithmetic
 * are the gateway's own (`src/dossier/time.ts`, `src/rules/dates.ts`), re-exported here so that
 * adapters import one module.
 *
 * Formats: a pattern of `yyyy MM M dd d HH H mm ss SSS`, literals, `'quoted'` text and `[optional]`
 * parts (`dd/MM/yyyy HH:mm[:ss]`, `yyyyMMddHHmmss`); `iso` (ISO-8601, an offset or `Z` honoured,
 * none = local); `iso-local` (ISO-looking text whose `Z` lies: OpenCPS writes local clock values
 * with a `Z`); `epoch-ms`; `epoch-s`; `portal` (= `yyyyMMddHHmmss`).
 */
import { instantToPortalDate, localDateOf, VN_OFFSET_MS } from '../dossier/index.ts';
import { addDays } from '../rules/dates.ts';

export { addDays, localDateOf, VN_OFFSET_MS };

type Key = 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S';
/** Longest first, so that `MM` wins over `M` and `SSS` is one token. */
const TOKENS: [string, string, Key][] = [
  ['yyyy', '(\\d{4})', 'y'],
  ['SSS', '(\\d{1,3})', 'S'],
  ['MM', '(\\d{2})', 'M'],
  ['dd', '(\\d{2})', 'd'],
  ['HH', '(\\d{2})', 'H'],
  ['mm', '(\\d{2})', 'm'],
  ['ss', '(\\d{2})', 's'],
  ['M', '(\\d{1,2})', 'M'],
  ['d', '(\\d{1,2})', 'd'],
  ['H', '(\\d{1,2})', 'H'],
];
const tokenAt = (format: string, i: number) => TOKENS.find(([t]) => format.startsWith(t, i));
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

interface Compiled {
  re: RegExp;
  keys: Key[];
}
const cache = new Map<string, Compiled>();

/** A pattern as a regular expression; `looseSpace`: a space in the pattern matches any run of blanks. */
function compile(format: string, looseSpace: boolean): Compiled {
  const id = `${looseSpace ? 1 : 0}${format}`;
  const hit = cache.get(id);
  if (hit) return hit;
  const keys: Key[] = [];
  let re = '';
  for (let i = 0; i < format.length; ) {
    const ch = format.charAt(i);
    const token = tokenAt(format, i);
    if (ch === "'") {
      const end = format.indexOf("'", i + 1);
      re += escape(format.slice(i + 1, end < 0 ? format.length : end));
      i = end < 0 ? format.length : end + 1;
    } else if (ch === '[' || ch === ']') {
      re += ch === '[' ? '(?:' : ')?';
      i++;
    } else if (token) {
      re += token[1];
      keys.push(token[2]);
      i += token[0].length;
    } else {
      re += ch === ' ' && looseSpace ? '\\s+' : escape(ch);
      i++;
    }
  }
  const compiled = { re: new RegExp(`^${re}$`), keys };
  cache.set(id, compiled);
  return compiled;
}

/** The instant of a wall-clock time at `offsetMs`, or null when it is not a calendar date. */
function instantOf(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMs: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return null;
  const at = new Date(Date.UTC(2000, mo - 1, d, h, mi, s, ms));
  at.setUTCFullYear(y, mo - 1, d); // years below 100 stay themselves (Date.UTC would read 24 as 1924)
  if (at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d) return null;
  return at.getTime() - offsetMs;
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** One value read with one format: epoch milliseconds, or why it does not fit (`does not match …`). */
function readInstant(text: string, format: string, looseSpace: boolean): number | string {
  const mismatch = `does not match the format ${format}`;
  if (format === 'epoch-ms' || format === 'epoch-s') {
    if (!/^-?\d+$/.test(text)) return mismatch;
    const t = Number(text) * (format === 'epoch-s' ? 1000 : 1);
    return Number.isFinite(t) && Math.abs(t) < 8.64e15 ? t : mismatch;
  }
  if (format === 'iso' || format === 'iso-local') {
    const m = ISO_RE.exec(text);
    if (!m) return mismatch;
    const zone = m[8];
    let offset = VN_OFFSET_MS;
    if (zone && format === 'iso') {
      const minutes = zone === 'Z' ? 0 : Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3).replace(':', '') || '0');
      offset = (zone[0] === '-' ? -1 : 1) * minutes * 60_000;
    }
    const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
    return instantOf(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms, offset) ?? 'is not a calendar date';
  }
  const { re, keys } = compile(format === 'portal' ? 'yyyyMMddHHmmss' : format, looseSpace);
  const m = re.exec(text);
  if (!m) return mismatch;
  const parts: Record<Key, number> = { y: NaN, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  keys.forEach((k, i) => {
    const v = m[i + 1];
    if (v !== undefined) parts[k] = Number(k === 'S' ? v.padEnd(3, '0') : v);
  });
  if (Number.isNaN(parts.y)) return 'has no year';
  return instantOf(parts.y, parts.M, parts.d, parts.H, parts.m, parts.s, parts.S, VN_OFFSET_MS) ?? 'is not a calendar date';
}

export type DateParse = { ok: true; value: string } | { ok: false; message: string };

/**
 * Reads one date as an ISO instant (UTC). Empty text is the caller's business (usually null).
 *
 * @example
 * parseDate('11/03/2024 08:16:05', 'dd/MM/yyyy HH:mm[:ss]'); // { ok: true, value: '2024-03-11T01:16:05.000Z' }
 * parseDate('2024-03-11T08:12:40.000Z', 'iso-local');         // { ok: true, value: '2024-03-11T01:12:40.000Z' }
 * parseDate(1710119765000, 'epoch-ms');                         // { ok: true, value: '2024-03-11T01:16:05.000Z' }
 */
export function parseDate(value: string | number, format: string): DateParse {
  const text = String(value).trim();
  const r = readInstant(text, format, false);
  return typeof r === 'number' ? { ok: true, value: new Date(r).toISOString() } : { ok: false, message: `"${text}" ${r}` };
}

/**
 * A local date text → the portal's `yyyyMMddHHmmss` (Vietnam time), or null when no format reads
 * it. Several formats: the first that reads wins; a space in a pattern matches any run of blanks.
 *
 * @example
 * toPortalDate('05/03/2024 08:30', 'dd/MM/yyyy HH:mm[:ss]'); // '20240305083000'
 * toPortalDate('2024-03-05T01:30:00Z', 'iso'); // '20240305083000'
 */
export function toPortalDate(value: string, format: string | readonly string[]): string | null {
  const text = value.trim();
  for (const f of typeof format === 'string' ? [format] : format) {
    const t = readInstant(text, f, true);
    if (typeof t === 'number') return instantToPortalDate(new Date(t).toISOString());
  }
  return null;
}

/** Formats tried, in order, when guessing (scaffold, `adapter check`). */
export const COMMON_DATE_FORMATS = [
  'yyyyMMddHHmmss',
  'dd/MM/yyyy HH:mm:ss',
  'dd/MM/yyyy HH:mm',
  'dd/MM/yyyy',
  'd/M/yyyy H:mm:ss',
  'd/M/yyyy H:mm',
  'd/M/yyyy',
  'dd-MM-yyyy HH:mm:ss',
  'dd-MM-yyyy',
  'yyyy/MM/dd HH:mm:ss',
  'iso',
] as const;

/**
 * The first common format that reads `value`, or null: `adapter check` lists the formats it sees.
 *
 * @example
 * guessDateFormat('05/03/2024 08:30'); // 'dd/MM/yyyy HH:mm'
 */
export function guessDateFormat(value: unknown): string | null {
  if (typeof value !== 'string' || !/\d/.test(value) || value.length < 8 || value.length > 35) return null;
  for (const f of COMMON_DATE_FORMATS) if (typeof readInstant(value.trim(), f, true) === 'number') return f;
  return null;
}

/** `YYYY-MM-DD` (a Vietnam calendar day) → `dd/MM/yyyy`, the form OpenCPS and many local APIs filter on. */
export function isoDayToVn(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/**
 * Formats an instant as Vietnam local time in a pattern, or `iso`, `epoch-ms`, `epoch-s`.
 *
 * @example
 * formatDate('2024-03-11T01:16:05.000Z', 'dd/MM/yyyy HH:mm:ss'); // '11/03/2024 08:16:05'
 */
export function formatDate(instant: string, format: string): string {
  if (format === 'iso') return new Date(instant).toISOString();
  if (format === 'epoch-ms') return String(Date.parse(instant));
  if (format === 'epoch-s') return String(Math.floor(Date.parse(instant) / 1000));
  const local = new Date(Date.parse(instant) + VN_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const values: Record<Key, [string, string]> = {
    y: [p(local.getUTCFullYear(), 4), p(local.getUTCFullYear(), 4)],
    M: [p(local.getUTCMonth() + 1), String(local.getUTCMonth() + 1)],
    d: [p(local.getUTCDate()), String(local.getUTCDate())],
    H: [p(local.getUTCHours()), String(local.getUTCHours())],
    m: [p(local.getUTCMinutes()), p(local.getUTCMinutes())],
    s: [p(local.getUTCSeconds()), p(local.getUTCSeconds())],
    S: [p(local.getUTCMilliseconds(), 3), p(local.getUTCMilliseconds(), 3)],
  };
  const pattern = format === 'portal' ? 'yyyyMMddHHmmss' : format;
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const token = tokenAt(pattern, i);
    if (pattern[i] === "'") {
      const end = pattern.indexOf("'", i + 1);
      out += pattern.slice(i + 1, end < 0 ? pattern.length : end);
      i = end < 0 ? pattern.length : end + 1;
    } else if (token) {
      // A one-letter token (`M`, `d`, `H`) is written without its leading zero.
      out += values[token[2]][token[0].length === 1 ? 1 : 0];
      i += token[0].length;
    } else {
      out += pattern[i];
      i++;
    }
  }
  return out;
}

/** `.NET`'s JSON date `/Date(1718000000000)/` or `/Date(1718000000000+0700)/` (also with `\/` escapes kept). */
const DOTNET_DATE_RE = /^\\?\/Date\((-?\d{1,15})([+-]\d{4})?\)\\?\/$/;
/** Epoch milliseconds accepted for a typed date: 1973-03-03 … 2100-01-01 (a smaller number is not a date). */
const EPOCH_MS_MIN = 1e11;
const EPOCH_MS_MAX = 4_102_444_800_000;

export type TypedDateRead = { ok: true; value: string; form: 'portal' | 'dotnet' | 'iso' | 'epoch-ms' } | { ok: false; message: string };

/**
 * A date as a typed (`.NET`, Java) export writes it → the portal's `yyyyMMddHHmmss` in Vietnam time.
 * Read, in order: the portal form itself (text, or a 14-digit number); `/Date(ms[±hhmm])/` (the
 * milliseconds are the instant, the offset only says where it was written); ISO 8601 with a `T`
 * (an offset or `Z` honoured, none = Vietnam local time; a date alone is midnight); a number of epoch
 * milliseconds between 1973 and 2100. Anything else is refused with the reason. Empty text is the
 * caller's business.
 *
 * @example
 * readTypedDate('/Date(1718000000000+0700)/'); // { ok: true, value: '20240610131320', form: 'dotnet' }
 * readTypedDate('2024-06-10T07:30:00Z');       // { ok: true, value: '20240610143000', form: 'iso' }
 * readTypedDate(12345);                         // { ok: false, message: 'the number 12345 is not a date …' }
 */
export function readTypedDate(value: string | number): TypedDateRead {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || !Number.isInteger(value)) return { ok: false, message: `the number ${String(value)} is not a date (not a whole number)` };
    const digits = String(value);
    if (digits.length === 14 && typeof readInstant(digits, 'portal', false) === 'number') return { ok: true, value: digits, form: 'portal' };
    if (value >= EPOCH_MS_MIN && value <= EPOCH_MS_MAX) return { ok: true, value: instantToPortalDate(new Date(value).toISOString()), form: 'epoch-ms' };
    return { ok: false, message: `the number ${digits} is not a date (neither yyyyMMddHHmmss nor epoch milliseconds of 1973–2100)` };
  }
  const text = value.trim();
  if (text.length === 14 && typeof readInstant(text, 'portal', false) === 'number') return { ok: true, value: text, form: 'portal' };
  const dotnet = DOTNET_DATE_RE.exec(text);
  if (dotnet) {
    const ms = Number(dotnet[1]);
    if (Math.abs(ms) > EPOCH_MS_MAX) return { ok: false, message: `"${text}" is not a date (out of range)` };
    return { ok: true, value: instantToPortalDate(new Date(ms).toISOString()), form: 'dotnet' };
  }
  // ISO 8601 as typed serialisers write it: a day, or a day `T` a time (a blank instead of `T` is not taken).
  if (text.length <= 40 && /^\d{4}-\d{2}-\d{2}(T|$)/.test(text)) {
    const iso = readInstant(text, 'iso', false);
    if (typeof iso === 'number') return { ok: true, value: instantToPortalDate(new Date(iso).toISOString()), form: 'iso' };
    if (iso === 'is not a calendar date') return { ok: false, message: `"${text}" is not a calendar date` };
  }
  return { ok: false, message: `"${text.length > 60 ? `${text.slice(0, 60)}…` : text}" is not a date (expected yyyyMMddHHmmss, ISO 8601 or /Date(…)/)` };
}
