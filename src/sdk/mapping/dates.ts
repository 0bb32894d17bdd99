/**
 * Dates as local systems write them, read by a declared format and written as the portal's
 * `yyyyMMddHHmmss` (Vietnam local time). A date without an offset is Vietnam time (UTC+7).
 *
 * Formats: a pattern of `yyyy MM M dd d HH H mm ss SSS`, literals, `'quoted'` text and `[optional]`
 * parts (`dd/MM/yyyy HH:mm[:ss]`); `iso` (ISO-8601, an offset or `Z` honoured, none = local);
 * `epoch-ms`; `epoch-s`; `portal` (= `yyyyMMddHHmmss`). Several formats: the first that reads wins.
 */
import { instantToPortalDate } from '../../dossier/index.ts';

type Key = 'y' | 'M' | 'd' | 'H' | 'm' | 's' | 'S';
const TOKENS: [string, string, Key][] = [
  ['yyyy', '(\\d{4})', 'y'],
  ['MM', '(\\d{2})', 'M'],
  ['M', '(\\d{1,2})', 'M'],
  ['dd', '(\\d{2})', 'd'],
  ['d', '(\\d{1,2})', 'd'],
  ['HH', '(\\d{2})', 'H'],
  ['H', '(\\d{1,2})', 'H'],
  ['mm', '(\\d{2})', 'm'],
  ['ss', '(\\d{2})', 's'],
  ['SSS', '(\\d{1,3})', 'S'],
];

interface Compiled {
  re: RegExp;
  keys: Key[];
}
const cache = new Map<string, Compiled>();

function compile(format: string): Compiled {
  const hit = cache.get(format);
  if (hit) return hit;
  const keys: Key[] = [];
  let re = '';
  for (let i = 0; i < format.length; ) {
    const ch = format.charAt(i);
    if (ch === "'") {
      const end = format.indexOf("'", i + 1);
      const lit = format.slice(i + 1, end < 0 ? format.length : end);
      re += lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i = end < 0 ? format.length : end + 1;
    } else if (ch === '[') {
      re += '(?:';
      i++;
    } else if (ch === ']') {
      re += ')?';
      i++;
    } else {
      const token = TOKENS.find(([t]) => format.startsWith(t, i));
      if (token) {
        re += token[1];
        keys.push(token[2]);
        i += token[0].length;
      } else {
        re += ch === ' ' ? '\\s+' : ch.replace(/[.*+?^${}()|\\/]/g, '\\$&');
        i++;
      }
    }
  }
  const compiled = { re: new RegExp(`^${re}$`), keys };
  cache.set(format, compiled);
  return compiled;
}

const p = (n: number, w = 2) => String(n).padStart(w, '0');

function valid(y: number, mo: number, d: number, h: number, mi: number, s: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return false;
  return d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/** Reads `value` with one format; the portal date (local time) or null when it does not fit. */
function readOne(value: string, format: string): string | null {
  if (format === 'epoch-ms' || format === 'epoch-s') {
    if (!/^-?\d+$/.test(value)) return null;
    return instantToPortalDate(new Date(Number(value) * (format === 'epoch-s' ? 1000 : 1)).toISOString());
  }
  if (format === 'iso') {
    const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(value);
    if (!m) return null;
    const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
    if (!valid(y, mo, d, h, mi, s)) return null;
    if (!m[7]) return `${p(y, 4)}${p(mo)}${p(d)}${p(h)}${p(mi)}${p(s)}`;
    const offset = m[7] === 'Z' ? 'Z' : `${m[7].slice(0, 3)}:${m[7].slice(3).replace(':', '') || '00'}`;
    const t = Date.parse(`${value.slice(0, value.length - m[7].length).replace(' ', 'T')}${offset}`);
    return Number.isNaN(t) ? null : instantToPortalDate(new Date(t).toISOString());
  }
  const { re, keys } = compile(format === 'portal' ? 'yyyyMMddHHmmss' : format);
  const m = re.exec(value);
  if (!m) return null;
  const parts: Record<Key, number> = { y: 0, M: 1, d: 1, H: 0, m: 0, s: 0, S: 0 };
  keys.forEach((k, i) => {
    const v = m[i + 1];
    if (v !== undefined) parts[k] = Number(v);
  });
  if (!keys.includes('y') || !valid(parts.y, parts.M, parts.d, parts.H, parts.m, parts.s)) return null;
  return `${p(parts.y, 4)}${p(parts.M)}${p(parts.d)}${p(parts.H)}${p(parts.m)}${p(parts.s)}`;
}

/**
 * A local date text → the portal's `yyyyMMddHHmmss` (Vietnam time), or null when no format reads it.
 *
 * @example
 * toPortalDate('05/03/2024 08:30', 'dd/MM/yyyy HH:mm[:ss]'); // '20240305083000'
 * toPortalDate('2024-03-05T01:30:00Z', 'iso'); // '20240305083000'
 */
export function toPortalDate(value: string, format: string | readonly string[]): string | null {
  const text = value.trim();
  for (const f of typeof format === 'string' ? [format] : format) {
    const out = readOne(text, f);
    if (out !== null) return out;
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
  for (const f of COMMON_DATE_FORMATS) if (readOne(value.trim(), f) !== null) return f;
  return null;
}
