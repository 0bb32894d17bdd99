/**
 * Typed exports of the portal format (issue #10 item 10): `.NET` and Java systems write the
 * `DongBoHoSoMC` record with numbers, booleans, ISO 8601 or `/Date(…)/` dates and nulls where the
 * contract has strings. Each such value is read into the contract's form here, with ONE warning per
 * value naming the record and the field; a value that cannot be read (a number that is no date, an
 * object where text is due) is an issue naming both. Only what we *receive* is lenient: the wire
 * schema (`schemas/portal.ts`) stays strict for what we send. Used by `dvcqg-file` and the webhook's
 * portal mode.
 *
 * | field | accepted | becomes |
 * |---|---|---|
 * | `Ngay*`, `ThoiDiem*` (dates) | `yyyyMMddHHmmss` text or number, `/Date(ms±hhmm)/`, ISO 8601 (`T`), epoch ms | `yyyyMMddHHmmss`, Vietnam time |
 * | `IsDeleted` | `true`/`false`, `1`/`0`, `"true"`/`"false"` | `"True"` / `"False"` |
 * | 0/1 flags (`DuocSoHoa`, `HoSoCoThanhPhanSoHoa`, …) | booleans, `"true"`/`"false"` | `"1"` / `"0"` |
 * | every other scalar (codes, statuses, texts) | a finite number | its decimal text |
 * | `TrichYeuHoSo` (required) | absent, null or blank | `TenTTHC`, with a warning |
 */
import type { z } from 'zod';
import { isValidPortalDate, PortalDossierWithProgressSchema } from '../../schemas/portal.ts';
import type { ValidationIssue } from '../errors.ts';
import type { MapOutcome } from './adapter.ts';
import { readTypedDate } from './dates.ts';

export interface Coercion {
  path: string;
  message: string;
}

export interface CoerceResult {
  /** The record with every readable value in the contract's form (the input itself when nothing changed). */
  value: unknown;
  /** One per value changed: `MaHoSo …, NgayTiepNhan: "2024-06-10T14:30:00" read as 20240610143000`. */
  warnings: Coercion[];
  /** Values that cannot be read; the value is left as it was. */
  issues: ValidationIssue[];
}

/** At most this many warnings (and issues) per record; the rest is counted in one last line. */
export const MAX_COERCIONS_PER_RECORD = 100;

type Shape = Record<string, z.ZodType>;
type Kind = { list: Shape } | 'scalar';

const BOOLEAN_01 = new Set(['DuocSoHoa', 'DuocLayTuKhoDMQG', 'HoSoCoThanhPhanSoHoa', 'TaiKhoanDuocXacThucVoiVNeID', 'TrangThaiBoSung', 'DuocTaiSuDung', 'DuocThanhToanTrucTuyen']);
/** Fields where a number may have lost a leading zero at the source. */
const DIGIT_CODES = new Set(['SoGiayToChuHoSo', 'SoDinhDanh', 'SoDienThoai', 'Fax', 'MaDoiTuong']);
const isDateField = (key: string) => key.startsWith('Ngay') || key.startsWith('ThoiDiem');

/** Unwraps optional/nullable: an array of objects is a list (its element's shape), anything else a scalar. */
function kindOf(schema: z.ZodType): Kind {
  let t = schema as unknown as { def: { type: string; innerType?: unknown; element?: { def: { type: string }; shape?: Shape } } };
  while ((t.def.type === 'optional' || t.def.type === 'nullable') && t.def.innerType) t = t.def.innerType as typeof t;
  if (t.def.type === 'array' && t.def.element?.def.type === 'object' && t.def.element.shape) return { list: t.def.element.shape };
  return 'scalar';
}

const kinds = new WeakMap<Shape, Map<string, Kind>>();
function kindsOf(shape: Shape): Map<string, Kind> {
  let hit = kinds.get(shape);
  if (!hit) {
    hit = new Map(Object.entries(shape).map(([k, s]) => [k, kindOf(s)]));
    kinds.set(shape, hit);
  }
  return hit;
}

const show = (v: unknown): string => {
  const text = typeof v === 'string' ? JSON.stringify(v) : String(v);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};
const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : `a ${typeof v}`);

type Scalar = { value: string } | { refused: string } | null;

/** One scalar in the contract's form, or why it cannot be, or null when it is already fine. */
function coerceScalar(key: string, v: unknown): Scalar {
  if (v === undefined || v === null) return null;
  if (typeof v === 'object') return { refused: `${typeName(v)} where ${isDateField(key) ? 'a date' : 'text'} is expected` };
  if (isDateField(key)) {
    if (typeof v === 'boolean') return { refused: `a boolean (${String(v)}) where a date is expected` };
    // The contract's own form, the common case: hand-parsed, nothing allocated.
    if (typeof v === 'string' && (v === '' || (v.length === 14 && isValidPortalDate(v)))) return null;
    if (typeof v === 'string' && v.trim() === '') return null;
    const read = readTypedDate(v as string | number);
    if (!read.ok) return { refused: read.message };
    return typeof v === 'string' && read.value === v ? null : { value: read.value };
  }
  if (key === 'IsDeleted') {
    if (v === true || v === 1 || (typeof v === 'string' && v !== 'True' && /^(true|1)$/i.test(v.trim()))) return { value: 'True' };
    if (v === false || v === 0 || (typeof v === 'string' && v !== 'False' && /^(false|0)$/i.test(v.trim()))) return { value: 'False' };
    return typeof v === 'string' ? null : { refused: `${show(v)} is neither True nor False` };
  }
  if (BOOLEAN_01.has(key)) {
    if (v === true || (typeof v === 'string' && /^true$/i.test(v.trim()))) return { value: '1' };
    if (v === false || (typeof v === 'string' && /^false$/i.test(v.trim()))) return { value: '0' };
  }
  if (typeof v === 'boolean') return { refused: `a boolean (${String(v)}) where text is expected` };
  if (typeof v === 'number') return Number.isFinite(v) ? { value: String(v) } : { refused: `the number ${String(v)} is not a value` };
  return null;
}

interface Walk {
  code: string;
  warnings: Coercion[];
  issues: ValidationIssue[];
  dropped: number;
}

function note(w: Walk, list: 'warnings' | 'issues', entry: Coercion | ValidationIssue): void {
  if (w[list].length < MAX_COERCIONS_PER_RECORD) w[list].push(entry as never);
  else w.dropped++;
}

function walk(obj: Record<string, unknown>, shape: Shape, prefix: string, w: Walk): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [key, kind] of kindsOf(shape)) {
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    const v = obj[key];
    const path = prefix ? `${prefix}.${key}` : key;
    if (kind !== 'scalar') {
      if (!Array.isArray(v)) continue; // null, absent or not a list: the schema says so
      let items: unknown[] | null = null;
      v.forEach((item, i) => {
        if (!item || typeof item !== 'object' || Array.isArray(item)) return;
        const next = walk(item as Record<string, unknown>, kind.list, `${path}[${i}]`, w);
        if (next !== item) (items ??= v.slice())[i] = next;
      });
      if (items) (out ??= { ...obj })[key] = items;
      continue;
    }
    const r = coerceScalar(key, v);
    if (!r) continue;
    if ('refused' in r) {
      note(w, 'issues', { path, message: `${r.refused} (MaHoSo ${w.code})`, code: 'typed_value' });
      continue;
    }
    const hint = typeof v === 'number' && (DIGIT_CODES.has(key) || (Number.isInteger(v) && !Number.isSafeInteger(v))) && !isDateField(key) ? ' (a number: a leading zero or digits may have been lost at the source)' : '';
    note(w, 'warnings', { path, message: `MaHoSo ${w.code}, ${path}: ${show(v)} read as ${r.value}${hint}` });
    (out ??= { ...obj })[key] = r.value;
  }
  return out ?? obj;
}

/**
 * Reads a typed export's record into the contract's form. Not an object: returned as it is (the
 * schema says why).
 *
 * @example
 * coercePortalRecord({ MaHoSo: 'H48-1', TrangThaiHoSo: 4, NgayTiepNhan: '/Date(1718000000000+0700)/', … });
 * // value: { …, TrangThaiHoSo: '4', NgayTiepNhan: '20240610131320' }, two warnings, no issue
 */
export function coercePortalRecord(raw: unknown): CoerceResult {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { value: raw, warnings: [], issues: [] };
  const rec = raw as Record<string, unknown>;
  const code = typeof rec['MaHoSo'] === 'string' || typeof rec['MaHoSo'] === 'number' ? String(rec['MaHoSo']) : '(none)';
  const w: Walk = { code, warnings: [], issues: [], dropped: 0 };
  let value = walk(rec, PortalDossierWithProgressSchema.shape as unknown as Shape, '', w);
  const summary = value['TrichYeuHoSo'];
  const name = value['TenTTHC'];
  if ((summary === undefined || summary === null || (typeof summary === 'string' && summary.trim() === '')) && typeof name === 'string' && name.trim() !== '') {
    value = { ...value, TrichYeuHoSo: name };
    note(w, 'warnings', { path: 'TrichYeuHoSo', message: `MaHoSo ${code}, TrichYeuHoSo: ${summary === undefined ? 'absent' : show(summary)} (required by the contract) filled with TenTTHC` });
  }
  if (w.dropped) w.warnings.push({ path: '', message: `MaHoSo ${code}: ${w.dropped} more values read or refused, not listed` });
  return { value, warnings: w.warnings, issues: w.issues };
}

/**
 * Maps a typed portal-format record: coerced first, then mapped by `map` (the strict portal
 * schema). The coercion's warnings come first on the dossier; a refused value fails the record with
 * every other issue the schema finds (one issue per path, the coercion's wins).
 *
 * @example
 * mapTypedPortalRecord(raw, (v) => parsePortalRecord(v));
 */
export function mapTypedPortalRecord(raw: unknown, map: (value: unknown) => MapOutcome): MapOutcome {
  const coerced = coercePortalRecord(raw);
  const out = map(coerced.value);
  if (coerced.issues.length) {
    const refused = new Set(coerced.issues.map((i) => i.path));
    const others = out.ok ? [] : out.issues.filter((i) => !refused.has(i.path));
    // The schema's issue inside a refused value (a record nested too deep) says more: it wins.
    const inside = (p: string) => others.some((i) => i.path.startsWith(`${p}[`) || i.path.startsWith(`${p}.`));
    return { ok: false, issues: [...coerced.issues.filter((i) => !inside(i.path)), ...others] };
  }
  if (!out.ok || coerced.warnings.length === 0) return out;
  return { ok: true, value: { ...out.value, warnings: [...coerced.warnings, ...out.value.warnings] } };
}
