/**
 * One procedure of the catalogue (danh mục TTHC) as the ledger keeps it, read tolerantly from its
 * two sources: a file in the `src/rules/data/procedures.sample.json` format (the same as
 * `reports.catalog`), or a portal / provincial proxy answer (`LayDanhSachTTHC` list items
 * `{MATTHC, TENTTHC}`, `LayThuTuc` detail `result[0]`, contract §8.2). Keys are matched
 * case-insensitively; a bad entry is returned as a problem naming the entry and the field, and the
 * others are kept.
 */
import { createHash } from 'node:crypto';
import { ProcedureSchema, type Procedure, type TimeLimitUnit } from '../rules/procedures.ts';

export interface CatalogEntry extends Procedure {
  /** National field (lĩnh vực) name, from `LayThuTuc` `LINHVUCTHUCHIEN[0].TENLINHVUC` or the file's `fieldName`. */
  fieldName: string | null;
}

export interface CatalogProblem {
  /** The entry: its code when it has one, else its position (`procedures[3]`). */
  entry: string;
  /** The field at fault (`procedures[3].timeLimit.unit`, `CACHTHUCTHUCHIEN[0].THOIGIAN[0].DONVITINH`). */
  field: string;
  message: string;
}

export interface ReadEntries {
  entries: { entry: CatalogEntry; raw: unknown }[];
  problems: CatalogProblem[];
}

/** At most this many entries are read from one source (a catalogue has a few thousand procedures). */
export const MAX_ENTRIES = 20_000;

const nfc = (v: string): string => v.normalize('NFC').trim();

/** The value of `key` in `o`, matched case-insensitively (DVCQG answers use UPPER-CASE keys). */
export function pick(o: unknown, key: string): unknown {
  if (!o || typeof o !== 'object' || Array.isArray(o)) return undefined;
  const rec = o as Record<string, unknown>;
  if (key in rec) return rec[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(rec)) if (k.toLowerCase() === lower) return rec[k];
  return undefined;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? nfc(v) : typeof v === 'number' && Number.isFinite(v) ? String(v) : null);

/** Fingerprint of an entry's content (not of when it was fetched): a changed hash is a changed entry. */
export function entryHash(e: CatalogEntry): string {
  const fields = [e.code, e.name, e.fieldCode, e.fieldName, e.timeLimit.value, e.timeLimit.unit, e.cutoff, e.pausesForPayment, e.returnsDocument, e.validFrom, e.validTo, e.basis];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** Entries of a catalogue file (`{version: 1, procedures: [...]}`, each as in ProcedureSchema, plus optional `fieldName`). */
export function readCatalogFile(json: unknown): ReadEntries {
  const out: ReadEntries = { entries: [], problems: [] };
  const list = pick(json, 'procedures');
  if (!Array.isArray(list)) {
    out.problems.push({ entry: '(file)', field: 'procedures', message: 'expected an array of procedures' });
    return out;
  }
  const seen = new Set<string>();
  list.slice(0, MAX_ENTRIES).forEach((item, i) => {
    const where = `procedures[${i}]`;
    const code = text(pick(item, 'code'));
    const parsed = ProcedureSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      out.problems.push({ entry: code ?? where, field: [where, ...issue.path.map(String)].join('.'), message: issue.message });
      return;
    }
    const fieldName = text(pick(item, 'fieldName'));
    const entry: CatalogEntry = { ...parsed.data, code: nfc(parsed.data.code), name: nfc(parsed.data.name), fieldName };
    const key = `${entry.code}@${entry.validFrom ?? ''}`;
    if (seen.has(key)) {
      out.problems.push({ entry: entry.code, field: `${where}.code`, message: `${entry.code} is listed twice for the same validFrom` });
      return;
    }
    seen.add(key);
    out.entries.push({ entry, raw: item });
  });
  if (list.length > MAX_ENTRIES) out.problems.push({ entry: '(file)', field: 'procedures', message: `more than ${MAX_ENTRIES} procedures: the rest were not read` });
  return out;
}

/** `DONVITINH` of `LayThuTuc` (free text in practice) → a time-limit unit, or null when unknown. */
export function unitOf(v: unknown): TimeLimitUnit | null {
  const s = typeof v === 'string' ? v.normalize('NFC').trim().toLowerCase() : '';
  if (!s) return null;
  if (/giờ/.test(s)) return /làm việc/.test(s) ? 'working_hours' : null;
  if (/tháng/.test(s)) return 'months';
  if (/ngày/.test(s)) return /làm việc/.test(s) ? 'working_days' : 'calendar_days';
  return null;
}

/** A time value: a number or a decimal text (`"3"`, `"0,5"`); whole numbers only are kept. */
function timeValue(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+([.,]\d+)?\s*$/.test(v) ? Number(v.trim().replace(',', '.')) : NaN;
  return Number.isFinite(n) && n >= 0 && Number.isInteger(n) && n <= 10_000 ? n : null;
}

/**
 * One procedure from `LayThuTuc` `result[0]` (or a list item carrying the same keys): the direct
 * channel's (KENH 1) first time limit, else the first one given. `listName` is the name the list
 * gave, used when the detail has none.
 */
export function readPortalProcedure(detail: unknown, where: string, listName?: string | null): { entry: CatalogEntry; raw: unknown } | CatalogProblem {
  const code = text(pick(detail, 'MATTHC'));
  if (!code) return { entry: where, field: 'MATTHC', message: 'the procedure has no MATTHC' };
  const name = text(pick(detail, 'TENTTHC')) ?? listName ?? null;
  if (!name) return { entry: code, field: 'TENTTHC', message: 'the procedure has no TENTTHC' };
  const fields = pick(detail, 'LINHVUCTHUCHIEN');
  const field = Array.isArray(fields) ? fields[0] : undefined;
  const ways = pick(detail, 'CACHTHUCTHUCHIEN');
  const list = Array.isArray(ways) ? ways : [];
  if (!list.length) return { entry: code, field: 'CACHTHUCTHUCHIEN', message: 'no CACHTHUCTHUCHIEN: the time limit is unknown' };
  const direct = list.findIndex((w) => String(pick(w, 'KENH') ?? '') === '1');
  const wi = direct >= 0 ? direct : 0;
  const times = pick(list[wi], 'THOIGIAN');
  const t = Array.isArray(times) ? times[0] : undefined;
  const base = `CACHTHUCTHUCHIEN[${wi}].THOIGIAN[0]`;
  if (t === undefined) return { entry: code, field: `CACHTHUCTHUCHIEN[${wi}].THOIGIAN`, message: 'no THOIGIAN: the time limit is unknown' };
  const value = timeValue(pick(t, 'THOIGIANGIAIQUYET'));
  if (value === null) return { entry: code, field: `${base}.THOIGIANGIAIQUYET`, message: `not a whole number of time units: ${JSON.stringify(pick(t, 'THOIGIANGIAIQUYET') ?? null).slice(0, 60)}` };
  const unit = unitOf(pick(t, 'DONVITINH'));
  if (unit === null) return { entry: code, field: `${base}.DONVITINH`, message: `unknown time unit ${JSON.stringify(pick(t, 'DONVITINH') ?? null).slice(0, 60)} (expected Ngày làm việc, Giờ làm việc, Ngày or Tháng)` };
  const candidate = { code, name, fieldCode: text(pick(field, 'MALINHVUC')), timeLimit: { value, unit }, cutoff: null, basis: text(pick(t, 'MOTA')) };
  const parsed = ProcedureSchema.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { entry: code, field: issue.path[0] === 'timeLimit' ? `${base}.THOIGIANGIAIQUYET` : issue.path.map(String).join('.'), message: issue.message };
  }
  return { entry: { ...parsed.data, fieldName: text(pick(field, 'TENLINHVUC')) }, raw: detail };
}
