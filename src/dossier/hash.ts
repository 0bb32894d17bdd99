import { createHash } from 'node:crypto';
import type { Dossier } from '../../schemas/dossier.ts';

/** JSON with object keys sorted, so equal values give equal text. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/** SHA-256 (hex) of the stable JSON of a value: the ledger's content hash. */
export function contentHash(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

/**
 * The content hash of a canonical dossier: SHA-256 (hex) of its JSON as the mapper builds it.
 * Every canonical dossier is built by `portalToDossier`, whose object literals fix the key order
 * and which holds no free-form maps, so equal dossiers give equal JSON without sorting keys (four
 * times cheaper than {@link contentHash} on the import path). Pass the JSON when it is already made.
 */
export function dossierHash(dossier: Dossier, json: string = JSON.stringify(dossier)): string {
  return createHash('sha256').update(json).digest('hex');
}
