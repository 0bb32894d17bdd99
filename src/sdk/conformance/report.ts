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
  ok: boolean;
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
  return {
    adapter: subject.adapter.id,
    records: mapped.length,
    mapped: ok.length,
    invalid: bad.length,
    invalidRecords: bad.slice(0, 20).map((m) => ({ key: m.record.key, location: m.record.location, issues: m.outcome.ok ? [] : m.outcome.issues })),
    fields,
    requiredUnfilled,
    unmappedRawFields: unmapped.sort(),
    unmappedStatuses: [...statuses].sort(),
    dateFormats,
    warnings: dossiers.reduce((n, d) => n + (d?.warnings.length ?? 0), 0),
    ok: bad.length === 0 && requiredUnfilled.length === 0 && mapped.length > 0,
  };
}
