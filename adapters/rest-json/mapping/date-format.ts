/**
 * Dates as local systems write them, read by a declared format. A date without an offset is
 * Vietnam local time (UTC+7, no daylight saving), so the result is an ISO instant in UTC.
 *
 * Formats: `iso` (ISO-8601; an offset or `Z` is honoured, none = local), `iso-local` (ISO-looking
 * text whose `Z` lies: OpenCPS writes local clock values with a `Z`), `epoch-ms`, `epoch-s`, or a
 * pattern of `yyyy MM M dd d HH H mm ss SSS`, literals, `'quoted'` text and `[optional]` parts:
 * `dd/MM/yyyy HH:mm[:ss]`, `yyyyMMddHHmmss`.
 */
const VN_OFFSET_MS = 7 * 3600_000;

const TOKENS: Record<string, { re: string; key: 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S' }> = {
  yyyy: { re: '(\\d{4})', key: 'y' },
  MM: { re: '(\\d{2})', key: 'M' },
  M: { re: '(\\d{1,2})', key: 'M' },
  dd: { re: '(\\d{2})', key: 'd' },
  d: { re: '(\\d{1,2})', key: 'd' },
  HH: { re: '(\\d{2})', key: 'H' },
  H: { re: '(\\d{1,2})', key: 'H' },
  mm: { re: '(\\d{2})', key: 'm' },
  ss: { re: '(\\d{2})', key: 's' },
  SSS: { re: '(\\d{1,3})', key: 'S' },
};

interface Compiled {
  re: RegExp;
  keys: ('y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S')[];
}

const cache = new Map<string, Compiled>();

function compile(format: string): Compiled {
  const hit = cache.get(format);
  if (hit) return hit;
  const keys: Compiled['keys'] = [];
  let re = '';
  let i = 0;
  while (i < format.length) {
    const ch = format[i] as string;
    if (ch === "'") {
      const end = format.indexOf("'", i + 1);
      const lit = format.slice(i + 1, end < 0 ? format.length : end);
      re += lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    if (ch === '[') {
      re += '(?:';
      i++;
      continue;
    }
    if (ch === ']') {
      re += ')?';
      i++;
      continue;
    }
    const token = ['yyyy', 'SSS', 'MM', 'dd', 'HH', 'mm', 'ss', 'M', 'd', 'H'].find((t) => format.startsWith(t, i));
    if (token) {
      const t = TOKENS[token] as (typeof TOKENS)[string];
      re += t.re;
      keys.push(t.key);
      i += token.length;
      continue;
    }
    re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i++;
  }
  const compiled = { re: new RegExp(`^${re}$`), keys };
  cache.set(format, compiled);
  return compiled;
}

export type DateParse = { ok: true; value: string } | { ok: false; message: string };

function fromParts(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, offsetMs: number): DateParse {
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  const check = new Date(t);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) {
    return { ok: false, message: 'is not a calendar date' };
  }
  return { ok: true, value: new Date(t - offsetMs).toISOString() };
}

/**
 * Reads one date. Empty text is the caller's business (usually null).
 *
 * @example
 * parseDate('11/03/2024 08:16:05', 'dd/MM/yyyy HH:mm[:ss]'); // { ok: true, value: '2024-03-11T01:16:05.000Z' }
 * parseDate('2024-03-11T08:12:40.000Z', 'iso-local');         // { ok: true, value: '2024-03-11T01:12:40.000Z' }
 * parseDate(1710119765000, 'epoch-ms');                         // { ok: true, value: '2024-03-11T01:16:05.000Z' }
 */
export function parseDate(value: string | number, format: string): DateParse {
  const text = String(value).trim();
  const bad = (why = `does not match the format ${format}`): DateParse => ({ ok: false, message: `"${text}" ${why}` });
  if (format === 'epoch-ms' || format === 'epoch-s') {
    if (!/^-?\d+$/.test(text)) return bad();
    const t = Number(text) * (format === 'epoch-s' ? 1000 : 1);
    return Number.isFinite(t) && Math.abs(t) < 8.64e15 ? { ok: true, value: new Date(t).toISOString() } : bad();
  }
  if (format === 'iso' || format === 'iso-local') {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
    if (!m) return bad();
    const zone = m[8];
    let offset = VN_OFFSET_MS;
    if (zone && format === 'iso') offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 3600_000 + Number(zone.slice(-2)) * 60_000);
    const r = fromParts(+m[1]!, +m[2]!, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3)), offset);
    return r.ok ? r : bad(r.message);
  }
  const { re, keys } = compile(format);
  const m = re.exec(text);
  if (!m) return bad();
  const parts = { y: NaN, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  keys.forEach((k, i) => {
    const v = m[i + 1];
    if (v !== undefined) parts[k] = k === 'S' ? Number(v.padEnd(3, '0')) : Number(v);
  });
  if (Number.isNaN(parts.y)) return bad('has no year');
  const r = fromParts(parts.y, parts.M, parts.d, parts.H, parts.m, parts.s, parts.S, VN_OFFSET_MS);
  return r.ok ? r : bad(r.message);
}

/** `YYYY-MM-DD` (a Vietnam calendar day) → `dd/MM/yyyy`, the form OpenCPS and many local APIs filter on. */
export function isoDayToVn(day: string): string {
  const [y, m, d] = day.split('-');
  return `${d}/${m}/${y}`;
}

/** Formats an instant as Vietnam local time in a pattern (`yyyy-MM-dd'T'HH:mm:ss`, `dd/MM/yyyy`…), or `iso`. */
export function formatDate(instant: string, format: string): string {
  if (format === 'iso') return new Date(instant).toISOString();
  if (format === 'epoch-ms') return String(Date.parse(instant));
  if (format === 'epoch-s') return String(Math.floor(Date.parse(instant) / 1000));
  const local = new Date(Date.parse(instant) + VN_OFFSET_MS);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const values: Record<string, string> = {
    yyyy: p(local.getUTCFullYear(), 4),
    MM: p(local.getUTCMonth() + 1),
    M: String(local.getUTCMonth() + 1),
    dd: p(local.getUTCDate()),
    d: String(local.getUTCDate()),
    HH: p(local.getUTCHours()),
    H: String(local.getUTCHours()),
    mm: p(local.getUTCMinutes()),
    ss: p(local.getUTCSeconds()),
    SSS: p(local.getUTCMilliseconds(), 3),
  };
  let out = '';
  for (let i = 0; i < format.length; ) {
    if (format[i] === "'") {
      const end = format.indexOf("'", i + 1);
      out += format.slice(i + 1, end < 0 ? format.length : end);
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    const token = ['yyyy', 'SSS', 'MM', 'dd', 'HH', 'mm', 'ss', 'M', 'd', 'H'].find((t) => format.startsWith(t, i));
    if (token) {
      out += values[token];
      i += token.length;
    } else {
      out += format[i];
      i++;
    }
  }
  return out;
}

/** The Vietnam calendar day (`YYYY-MM-DD`) of an instant, and day arithmetic on such days. */
export function vnDay(at: Date = new Date()): string {
  return new Date(at.getTime() + VN_OFFSET_MS).toISOString().slice(0, 10);
}
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
