/**
 * JSON Schemas for vendors: the canonical dossier and the portal import record (dvcqg-file).
 * `npm run schema` writes them to docs/; a test keeps the committed files in step.
 */
import { z } from 'zod';
import { DossierSchema } from './dossier.ts';
import { PortalDossierWithProgressSchema } from './portal.ts';

export function canonicalDossierJsonSchema(): Record<string, unknown> {
  return { $id: 'https://lienthong.dev/schemas/dossier.json', title: 'lienthong canonical dossier', ...z.toJSONSchema(DossierSchema, { io: 'output' }) };
}

export function portalRecordJsonSchema(): Record<string, unknown> {
  return {
    $id: 'https://lienthong.dev/schemas/portal-dossier.json',
    title: 'DongBoHoSoMC record with optional QuaTrinhXuLy (the dvcqg-file import format)',
    ...z.toJSONSchema(PortalDossierWithProgressSchema, { io: 'input', unrepresentable: 'any' }),
  };
}
