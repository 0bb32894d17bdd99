/**
 * A SOAP record (element name → text, as `raw.ts` parsed it) → canonical dossier, by the source's
 * declared mapping or, with `mapping: "portal"`, elements named like the portal's fields
 * (`<MaHoSo>`, `<NgayTiepNhan>`…). Pure; every issue names the element path it came from.
 */
import { declaredToDossier, type DeclaredMapOptions, type MapOutcome } from '../../../src/sdk/index.ts';
import { setOwn } from '../../../src/sdk/own.ts';

/** Empty elements (`<GhiChu/>`) are absent values; lists of portal records stay lists. */
function emptyToAbsent(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(emptyToAbsent);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== '') setOwn(out, k, emptyToAbsent(v));
    return out;
  }
  return value;
}

/**
 * @example
 * toDossier({ SoHoSo: '0101234567', … }, { mapping: { fields: { MaHoSo: 'SoHoSo', … } } });
 */
export function toDossier(raw: unknown, options: DeclaredMapOptions): MapOutcome {
  return declaredToDossier(options.mapping === 'portal' ? emptyToAbsent(raw) : raw, options);
}
