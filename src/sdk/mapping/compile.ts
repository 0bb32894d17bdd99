/**
 * Turns a declared mapping into `map(raw) → canonical dossier`. The raw record becomes a portal
 * wire record (the portal's field names are the common language, docs/glossary.md) and goes
 * through the portal's own strict validation (`parsePortalRecord`), so a declared adapter accepts
 * exactly what the canonical import accepts. Issues name the raw field they came from.
 */
import { STATUS_LABELS_VI, UNIT_CODE_RE } from '../../../schemas/dossier.ts';
import { parsePortalRecord } from '../../dossier/index.ts';
import type { ValidationIssue } from '../../errors.ts';
import { repairDeep } from '../../text/index.ts';
import type { MapOutcome } from '../adapter.ts';
import { toPortalDate, VN_OFFSET_MS } from '../dates.ts';
import { DATE_FIELDS, fieldKey } from './fields.ts';
import { getPath, joinPath } from './paths.ts';
import { CodeTablesSchema, MappingSpecSchema, type CodeTables, type CodeTablesInput, type FieldRule, type MappingSpec, type MappingSpecInput } from './spec.ts';

/** The portal's own Vietnamese status labels ("Đang xử lý" → 4): a status written so needs no table entry. */
const STATUS_BY_LABEL: Record<string, number> = Object.fromEntries(Object.entries(STATUS_LABELS_VI).map(([code, label]) => [label, Number(code)]));

const LIST_DATE_FIELDS = new Set(['ThoiDiemXuLy', 'NgayBatDau', 'NgayKetThucTheoQuyDinh', 'NgayBoSung', 'NgayTiepNhanBoSung', 'NgayHenTraTruoc', 'NgayHenTraMoi']);

export interface CompiledMapping {
  /** Raw record → canonical dossier; `tables` (the source's own) are merged over the mapping's. */
  map(raw: unknown, tables?: CodeTablesInput): MapOutcome;
  /** The raw paths this mapping reads (`items[].name` inside lists). */
  sourcePaths: string[];
  spec: MappingSpec;
}

/** Escape hatches, in code: a computed field, or a last touch on the wire record. */
export interface MappingHooks {
  compute?: Record<string, (raw: Record<string, unknown>) => string | undefined>;
  after?: (wire: Record<string, unknown>, raw: Record<string, unknown>) => void;
}

interface Ctx {
  tables: CodeTables;
  spec: MappingSpec;
  issues: ValidationIssue[];
  warnings: { path: string; message: string }[];
  /** wire path → raw path, to name the raw field in issues. */
  origin: Map<string, string>;
  /** wire paths whose value already has an issue (no second "required" for them). */
  failed: Set<string>;
}

function scalar(value: unknown, field: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'boolean') return field === 'IsDeleted' ? (value ? 'True' : 'False') : value ? '1' : '0';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : vietnamText(value);
  return undefined;
}

/**
 * A Date is an instant: written as Vietnam wall-clock time with its offset
 * (`2024-03-05T09:15:20.000+07:00`), so `iso` and `iso-local` (which ignores the offset, reading
 * the clock as Vietnam time) both read that instant, and a text field shows Vietnam time. A Date
 * made from a zoneless wall clock read in the host's zone is already wrong: adapters hand such
 * values over as text.
 */
function vietnamText(d: Date): string {
  return `${new Date(d.getTime() + VN_OFFSET_MS).toISOString().slice(0, -1)}+07:00`;
}

/** `table[v]`, else the entry whose key matches without diacritics, case or punctuation. */
function lookup<T>(table: Record<string, T>, v: string): T | undefined {
  if (Object.hasOwn(table, v)) return table[v];
  const k = fieldKey(v);
  if (k === '') return undefined;
  for (const [key, out] of Object.entries(table)) if (fieldKey(key) === k) return out;
  return undefined;
}

function lookupValues(table: Record<string, string>, v: string): string {
  return lookup(table, v) ?? v;
}

/** One field: raw value(s) → wire string, or undefined (absent); issues and warnings in ctx. */
function fieldValue(rule: FieldRule, field: string, raw: Record<string, unknown>, rawBase: string, wirePath: string, dateField: boolean, ctx: Ctx): string | undefined {
  const r = typeof rule === 'string' ? { from: rule } : rule;
  const froms = r.from === undefined ? [] : typeof r.from === 'string' ? [r.from] : r.from;
  const at = (p: string) => (rawBase ? `${rawBase}.${p}` : p);
  if (froms.length === 1) ctx.origin.set(wirePath, at(froms[0] as string));
  const trim = r.trim !== false;
  const values = froms.map((p) => {
    const s = scalar(getPath(raw, p), field);
    return s === undefined ? undefined : (trim ? s.trim() : s).normalize('NFC');
  });
  let v: string | undefined;
  if (r.join !== undefined) {
    const parts = values.filter((x): x is string => x !== undefined && x !== '');
    v = parts.length ? parts.join(r.join) : undefined;
  } else v = values.find((x) => x !== undefined && x !== '') ?? (values.includes('') ? '' : undefined);
  if ((v === undefined || v === '') && r.const !== undefined) v = r.const;
  if ((v === undefined || v === '') && r.default !== undefined) v = r.default;
  if (v === undefined || v === '') return v;
  const where = ctx.origin.get(wirePath) ?? wirePath;
  if (r.values) v = lookupValues(r.values, v);
  if (r.table === 'status') {
    const sub = r.sub ? scalar(getPath(raw, r.sub), field)?.trim() : undefined;
    const { status, subStatus } = ctx.tables;
    const code = (sub ? (lookup(subStatus, `${v}/${sub}`) ?? lookup(subStatus, sub)) : undefined) ?? lookup(status, v) ?? (/^(10|[1-9])$/.test(v) ? Number(v) : lookup(STATUS_BY_LABEL, v));
    if (code === undefined) {
      ctx.failed.add(wirePath);
      ctx.issues.push({ path: where, code: 'unmapped_status', message: `${wirePath}: local status "${v}"${sub ? ` (sub-status "${sub}")` : ''} has no national code: add it to tables.status` });
      return undefined;
    }
    return String(code);
  }
  if (r.table === 'procedure') return ctx.tables.procedure[v] ?? v;
  if (r.table === 'unit') return ctx.tables.unit[v] ?? v;
  if (r.date !== undefined || dateField) {
    const formats = r.date ?? ctx.spec.dateFormat;
    const out = toPortalDate(v, formats);
    if (out === null) {
      ctx.failed.add(wirePath);
      ctx.issues.push({ path: where, code: 'invalid_date', message: `${wirePath}: "${v}" is not a date in ${JSON.stringify(formats)}` });
      return undefined;
    }
    return out;
  }
  return v;
}

function mapFields(rules: Record<string, FieldRule>, raw: Record<string, unknown>, rawBase: string, wireBase: string, list: boolean, ctx: Ctx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, rule] of Object.entries(rules)) {
    const dateField = list ? LIST_DATE_FIELDS.has(field) : DATE_FIELDS.has(field);
    const v = fieldValue(rule, field, raw, rawBase, wireBase ? `${wireBase}.${field}` : field, dateField, ctx);
    if (v !== undefined) out[field] = v;
  }
  return out;
}

/**
 * Compiles a mapping (validated by `MappingSpecSchema`; a bad one throws a ZodError).
 *
 * @example
 * const m = compileMapping({ fields: { MaHoSo: 'so_ho_so', NgayTiepNhan: 'ngay_nhan', TrangThaiHoSo: { from: 'tt', table: 'status' } },
 *   dateFormat: 'dd/MM/yyyy HH:mm[:ss]', tables: { status: { DXL: 4 } } });
 * m.map({ so_ho_so: 'H48-1', ngay_nhan: '05/03/2024 08:30', tt: 'DXL' }); // { ok: false, issues: [MaTTHC required, …] }
 */
export function compileMapping(input: MappingSpecInput, hooks: MappingHooks = {}): CompiledMapping {
  const spec = MappingSpecSchema.parse(input);
  const sourcePaths = new Set<string>();
  const addPaths = (rules: Record<string, FieldRule>, base: string) => {
    for (const rule of Object.values(rules)) {
      const r = typeof rule === 'string' ? { from: rule } : rule;
      for (const p of [...(r.from === undefined ? [] : typeof r.from === 'string' ? [r.from] : r.from), ...(r.sub ? [r.sub] : [])]) sourcePaths.add(base ? `${base}[].${p}` : p);
    }
  };
  addPaths(spec.fields, '');
  for (const list of Object.values(spec.lists)) if (list) addPaths(list.fields, list.from);

  function map(input: unknown, tables?: CodeTablesInput): MapOutcome {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      return { ok: false, issues: [{ path: '', message: `expected an object, got ${Array.isArray(input) ? 'array' : input === null ? 'null' : typeof input}` }] };
    }
    const repaired = spec.repair ? repairDeep(input as Record<string, unknown>) : { value: input as Record<string, unknown>, warnings: [], issues: [] };
    if (repaired.issues.length) return { ok: false, issues: repaired.issues };
    const raw = repaired.value;
    const merged = tables ? CodeTablesSchema.parse(tables) : undefined;
    const ctx: Ctx = {
      tables: merged
        ? { status: { ...spec.tables.status, ...merged.status }, subStatus: { ...spec.tables.subStatus, ...merged.subStatus }, procedure: { ...spec.tables.procedure, ...merged.procedure }, unit: { ...spec.tables.unit, ...merged.unit } }
        : spec.tables,
      spec,
      issues: [],
      warnings: [...repaired.warnings],
      origin: new Map(),
      failed: new Set(),
    };
    const { MaDonVi: unitRule, ...rules } = spec.fields;
    const wire = mapFields(rules, raw, '', '', false, ctx);
    for (const [field, fn] of Object.entries(hooks.compute ?? {})) {
      const v = fn(raw);
      if (v !== undefined) wire[field] = v;
    }
    for (const [name, list] of Object.entries(spec.lists)) {
      if (!list) continue;
      const items = getPath(raw, list.from);
      if (items === undefined || items === null || items === '') continue;
      if (!Array.isArray(items)) {
        ctx.issues.push({ path: list.from, message: `${name}: expected an array` });
        continue;
      }
      wire[name] = items.map((item: unknown, i) => {
        const obj = item !== null && typeof item === 'object' ? (item as Record<string, unknown>) : {};
        const out = mapFields(list.fields, obj, joinPath(list.from, i), `${name}[${i}]`, true, ctx);
        if (name === 'QuaTrinhXuLy' && out['MaHoSo'] === undefined && typeof wire['MaHoSo'] === 'string') out['MaHoSo'] = wire['MaHoSo'];
        return out;
      });
    }
    let unitCode: string | null = null;
    if (unitRule !== undefined) {
      const local = fieldValue(unitRule, 'MaDonVi', raw, '', 'MaDonVi', false, ctx);
      if (local) {
        const code = ctx.tables.unit[local] ?? local;
        if (UNIT_CODE_RE.test(code)) unitCode = code;
        else ctx.warnings.push({ path: ctx.origin.get('MaDonVi') ?? 'MaDonVi', message: `local unit code "${local}" has no official unit code: add it to tables.unit` });
      }
    }
    hooks.after?.(wire, raw);
    const out = parsePortalRecord(wire, unitCode);
    const issues = [...ctx.issues, ...(out.ok ? [] : out.issues.filter((i) => !ctx.failed.has(i.path)).map((i) => rename(i, ctx, spec)))];
    if (issues.length || !out.ok) return { ok: false, issues: dedupe(issues) };
    return { ok: true, value: { ...out.value, warnings: ctx.warnings } };
  }
  return { map, sourcePaths: [...sourcePaths], spec };
}

/** A wire issue under the raw field it came from (`NgayHenTra` → `ngay_hen_tra`), naming both. */
function rename(issue: ValidationIssue, ctx: Ctx, spec: MappingSpec): ValidationIssue {
  const from = ctx.origin.get(issue.path);
  if (from) return { ...issue, path: from, message: `${issue.path}: ${issue.message}` };
  const top = issue.path.split(/[.[]/)[0] ?? '';
  const mapped = top in spec.fields || top in spec.lists;
  return { ...issue, message: mapped ? issue.message : `${issue.message} (no source field is mapped to ${top})` };
}

function dedupe(issues: ValidationIssue[]): ValidationIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.path}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
