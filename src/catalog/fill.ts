/**
 * The national procedure and field names/codes on the wire, from the catalogue: local systems send
 * a local-format procedure code (`2.000477.000.00.00.H56`), an outdated TenTTHC or their own field
 * code; OpenCPS overwrites TenTTHC / MaLinhVuc / TenLinhVuc from `LayThuTuc` before every push.
 * Pure functions: the caller decides where the wire record is built (src/dossier/wire-policy.ts).
 */
import type { CatalogEntry } from './entry.ts';

export interface WireProcedureFields {
  MaTTHC: string;
  TenTTHC?: string | null | undefined;
  MaLinhVuc?: string | null | undefined;
  TenLinhVuc?: string | null | undefined;
}

export interface CatalogFill<W> {
  /** A copy of the record with the catalogue's values (the input is not changed). */
  wire: W;
  /** What changed, for a warning on the delivery (`TenTTHC: "…" → "…"`). */
  changes: { path: 'MaTTHC' | 'TenTTHC' | 'MaLinhVuc' | 'TenLinhVuc'; from: string | null; to: string }[];
}

/** `2.000477.000.00.00.H56` → `2.000477`: the national code at the head of a local-format code, or null. */
export function nationalCodeOf(code: string): string | null {
  const m = /^(\d\.\d{6})(?:\.|$)/.exec(code.trim());
  return m ? (m[1] as string) : null;
}

export interface CatalogLookup {
  /** The version of `code` valid on `date` (YYYY-MM-DD); a local-format code is looked up by its national head. */
  find(code: string, date?: string): CatalogEntry | null;
}

/** Indexes entries (stored or read) for {@link fillFromCatalog}. */
export function catalogLookup(entries: readonly CatalogEntry[]): CatalogLookup {
  const byCode = new Map<string, CatalogEntry[]>();
  for (const e of entries) byCode.set(e.code, [...(byCode.get(e.code) ?? []), e]);
  for (const list of byCode.values()) list.sort((a, b) => (a.validFrom ?? '').localeCompare(b.validFrom ?? ''));
  const versionOf = (code: string, date?: string) => {
    const versions = byCode.get(code) ?? [];
    const valid = date === undefined ? versions : versions.filter((p) => (p.validFrom ?? '') <= date && (p.validTo === null || date <= p.validTo));
    return valid.at(-1) ?? null;
  };
  return {
    find(code, date) {
      const c = code.normalize('NFC').trim();
      const national = nationalCodeOf(c);
      return versionOf(c, date) ?? (national && national !== c ? versionOf(national, date) : null);
    },
  };
}

/**
 * The wire record with the catalogue's national code, name and field: MaTTHC becomes the national
 * code, TenTTHC the catalogue's name, MaLinhVuc / TenLinhVuc the catalogue's field when it has one
 * (kept as sent otherwise). Without an entry the record is returned as it is.
 *
 * @example
 * fillFromCatalog({ MaTTHC: '2.000908.000.00.00.H56', TenTTHC: 'Chung thuc' }, entry).wire.TenTTHC; // 'Chứng thực bản sao từ bản chính'
 */
export function fillFromCatalog<W extends WireProcedureFields>(wire: W, entry: CatalogEntry | null): CatalogFill<W> {
  const out = { ...wire };
  const changes: CatalogFill<W>['changes'] = [];
  if (!entry) return { wire: out, changes };
  const set = (path: CatalogFill<W>['changes'][number]['path'], to: string | null) => {
    if (to === null || to === '') return;
    const from = (out as Record<string, unknown>)[path];
    const current = typeof from === 'string' ? from : null;
    if (current !== null && current.normalize('NFC') === to) return;
    (out as Record<string, unknown>)[path] = to;
    changes.push({ path, from: current, to });
  };
  set('MaTTHC', entry.code);
  set('TenTTHC', entry.name.normalize('NFC'));
  set('MaLinhVuc', entry.fieldCode);
  set('TenLinhVuc', entry.fieldName?.normalize('NFC') ?? null);
  return { wire: out, changes };
}
