/**
 * The conformance report of `lienthong adapter check`: records mapped / invalid, canonical fields
 * filled (% of mapped records), raw fields left unmapped, local statuses without a national code,
 * date formats seen. `ok` is false on any invalid record or any required field left unfilled.
 */
import type { ValidationIssue } from '../../errors.ts';
import { guessDateFormat } from '../dates.ts';
import { DOSSIER_FIELDS } from '../mapping/fields.ts';
import { getPath } from '../mapping/paths.ts';
import type { MappedRecord, Subject } from './checks.ts';

export interface CheckReport {
  adapter: string;
  records: number;
  mapped: number;
  invalid: number;
  /** The first invalid records with every issue. */
  invalidRecords: { key: string | null; location: string; issues: ValidationIssue[] }[];
  fields: { field: string; canonical: string; required: boolean; filledPct: number }[];
  requiredUnfilled: string[];
  unmappedRawFields: string[];
  unmappedStatuses: string[];
  dateFormats: { path: string; formats: string[] }[];
  warnings: number;
  /** The first warnings of mapped records, each with its text (`warnings` counts them all). */
  warningList: { key: string | null; path: string; message: string }[];
  /** What to change, naming the mapping key (`mapping.tables.status`, `mapping.fields.X.values`, `{"const": …}`). */
  advice: string[];
  ok: boolean;
}

const MAX_WARNINGS_LISTED = 50;

/** The portal field an issue path starts with (`QuaTrinhXuLy[0].NgayXuLy` → `QuaTrinhXuLy`). */
const fieldOf = (path: string) => /^[A-Za-z][A-Za-z0-9]*/.exec(path)?.[0] ?? '';

function quoteList(values: readonly string[], max = 8): string {
  const shown = values.slice(0, max).map((v) => JSON.stringify(v));
  return values.length > max ? `${shown.join(', ')} … (${values.length - max} more)` : shown.join(', ');
}

/**
 * What to change, in the words of the mapping declaration (src/sdk/mapping/spec.ts), which lives in
 * the adapter's `mapping.ts` or in a source's `options.mapping`.
 */
function adviceOf(
  bad: readonly MappedRecord[],
  statuses: readonly string[],
  requiredUnfilled: readonly string[],
  unmapped: readonly string[],
  declared: readonly string[] | undefined,
): string[] {
  const out: string[] = [];
  const plain = statuses.filter((s) => !s.includes('/'));
  const subs = statuses.filter((s) => s.includes('/'));
  if (plain.length) out.push(`mapping.tables.status: add each local status with its national code 1–10, e.g. { ${plain.slice(0, 4).map((s) => `${JSON.stringify(s)}: 4`).join(', ')} } (seen without a code: ${quoteList(plain)})`);
  if (subs.length) out.push(`mapping.tables.subStatus: add each status/sub-status pair, e.g. { ${subs.slice(0, 3).map((s) => `${JSON.stringify(s)}: 4`).join(', ')} } (seen: ${quoteList(subs)})`);
  for (const f of requiredUnfilled) {
    out.push(`mapping.fields.${f}: required but not filled in every record: map it from a raw field ("${f}": "path.in.record") or give a constant ("${f}": {"const": "…"})${unmapped.length ? `; raw fields not mapped yet: ${unmapped.slice(0, 8).join(', ')}` : ''}`);
  }
  // Values a field does not accept, grouped by field: a code list wants an inline value table.
  const byField = new Map<string, { n: number; message: string }>();
  for (const m of bad) {
    if (m.outcome.ok) continue;
    for (const i of m.outcome.issues) {
      if (i.code === 'unmapped_status') continue;
      const field = fieldOf(i.path);
      if (!field || requiredUnfilled.includes(field)) continue;
      const seen = byField.get(field) ?? { n: 0, message: i.message };
      seen.n += 1;
      byField.set(field, seen);
    }
  }
  for (const [field, { n, message }] of byField) {
    if (/^required/i.test(message)) {
      out.push(`mapping.fields.${field}: required, and ${n} record(s) have no value (${message}): map it from a raw field ("${field}": "path.in.record") or give a constant ("${field}": {"const": "…"})`);
      continue;
    }
    const codeList = /one of|option|enum|expected "|giá trị/i.test(message);
    out.push(
      codeList
        ? `mapping.fields.${field}.values: ${n} value(s) are not a code the portal accepts (${message}): translate the local words, e.g. "${field}": {"from": "…", "values": {"Trực tuyến": "2"}}`
        : `mapping.fields.${field}: ${n} record(s) — ${message}`,
    );
  }
  // A record none of whose raw fields is a mapped path: usually the records sit one level deeper.
  if (declared && declared.length) {
    const set = new Set(declared.map((d) => d.replace(/\[\]$/, '')));
    for (const m of bad) {
      const raw = m.record.raw;
      if (!raw || typeof raw !== 'object' || Array.isArray(raw)) continue;
      const keys = Object.keys(raw as Record<string, unknown>);
      if (keys.some((k) => [...set].some((d) => d === k || d.startsWith(`${k}.`) || d.startsWith(`${k}[]`)))) continue;
      out.push(
        `record ${m.record.key ?? m.record.location} maps no field: its fields (${keys.slice(0, 8).join(', ') || 'none'}) are none of the paths mapping.fields reads (${[...set].slice(0, 6).join(', ')}); if the records are wrapped (e.g. {"data": {"items": […]}}), point the adapter's records path at the list`,
      );
      break;
    }
  }
  return out;
}

const SAMPLE = 500;

function filled(v: unknown): boolean {
  return v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0);
}

function stringLeaves(value: unknown, out: Set<string>): void {
  if (typeof value === 'string') out.add(value.trim());
  else if (Array.isArray(value)) for (const v of value) stringLeaves(v, out);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) stringLeaves(v, out);
}

/** Raw leaf paths with their scalar values (arrays collapsed to `[]`). */
function rawLeaves(value: unknown, at = '', out = new Map<string, unknown[]>()): Map<string, unknown[]> {
  if (Array.isArray(value)) for (const v of value) rawLeaves(v, `${at}[]`, out);
  else if (value && typeof value === 'object' && !(value instanceof Date)) for (const [k, v] of Object.entries(value)) rawLeaves(v, at ? `${at}.${k}` : k, out);
  else {
    const list = out.get(at) ?? [];
    list.push(value);
    out.set(at, list);
  }
  return out;
}

/**
 * Builds the report from mapped records.
 *
 * @example
 * const report = buildReport(subject, mapAll(subject, (await pullAll(subject)).records));
 * if (!report.ok) process.exitCode = 2;
 */
export function buildReport(subject: Subject, mapped: readonly MappedRecord[]): CheckReport {
  const ok = mapped.filter((m) => m.outcome.ok);
  const bad = mapped.filter((m) => !m.outcome.ok);
  const dossiers = ok.map((m) => (m.outcome.ok ? m.outcome.value : null));
  const pct = (canonical: string) => {
    if (!dossiers.length) return 0;
    const n = dossiers.filter((d) => filled(getPath(d, canonical === 'status' ? 'status.code' : canonical))).length;
    return Math.round((1000 * n) / dossiers.length) / 10;
  };
  const fields = DOSSIER_FIELDS.map((f) => ({ field: f.field, canonical: f.canonical, required: f.required === true, filledPct: pct(f.canonical) }));
  const declared = subject.adapter.mappedPaths?.(subject.options, mapped[0]?.record.raw);
  const leaves = new Map<string, unknown[]>();
  const sample = mapped.slice(0, SAMPLE);
  for (const m of sample) if (m.record.raw && typeof m.record.raw === 'object') rawLeaves(m.record.raw, '', leaves);
  const unmapped: string[] = [];
  if (declared) {
    const set = new Set(declared);
    for (const p of leaves.keys()) if (!set.has(p) && ![...set].some((d) => p.startsWith(`${d}.`) || p.startsWith(`${d}[]`))) unmapped.push(p);
  } else {
    const seen = new Set<string>();
    for (const m of sample) if (m.outcome.ok) stringLeaves(m.outcome.value, seen);
    for (const [p, values] of leaves) {
      const nonEmpty = values.filter(filled);
      if (nonEmpty.length && !nonEmpty.some((v) => seen.has(String(v).trim()) || guessDateFormat(v) !== null || typeof v === 'boolean')) unmapped.push(p);
    }
  }
  const statuses = new Set<string>();
  for (const m of bad) {
    if (m.outcome.ok) continue;
    for (const i of m.outcome.issues) {
      const hit = i.code === 'unmapped_status' ? /local status "([^"]*)"(?: \(sub-status "([^"]*)"\))?/.exec(i.message) : null;
      if (hit) statuses.add(hit[2] ? `${hit[1]}/${hit[2]}` : (hit[1] as string));
    }
  }
  const dateFormats: CheckReport['dateFormats'] = [];
  for (const [path, values] of leaves) {
    const formats = new Set(values.map(guessDateFormat).filter((f): f is string => f !== null));
    if (formats.size) dateFormats.push({ path, formats: [...formats] });
  }
  const requiredUnfilled = fields.filter((f) => f.required && f.filledPct < 100).map((f) => f.field);
  const unmappedStatuses = [...statuses].sort();
  const warningList: CheckReport['warningList'] = [];
  for (const m of ok) {
    if (!m.outcome.ok) continue;
    for (const w of m.outcome.value.warnings) {
      if (warningList.length >= MAX_WARNINGS_LISTED) break;
      warningList.push({ key: m.record.key, path: w.path, message: w.message });
    }
  }
  return {
    adapter: subject.adapter.id,
    records: mapped.length,
    mapped: ok.length,
    invalid: bad.length,
    invalidRecords: bad.slice(0, 20).map((m) => ({ key: m.record.key, location: m.record.location, issues: m.outcome.ok ? [] : m.outcome.issues })),
    fields,
    requiredUnfilled,
    unmappedRawFields: unmapped.sort(),
    unmappedStatuses,
    dateFormats,
    warnings: dossiers.reduce((n, d) => n + (d?.warnings.length ?? 0), 0),
    warningList,
    advice: adviceOf(bad, unmappedStatuses, ok.length ? requiredUnfilled : [], unmapped, declared),
    ok: bad.length === 0 && requiredUnfilled.length === 0 && mapped.length > 0,
  };
}
