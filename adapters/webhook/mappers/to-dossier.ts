/**
 * A pushed record → canonical dossier: the portal's own format (as `dvcqg-file`: a typed record's
 * numbers, booleans, ISO or `/Date(…)/` dates read into the contract's form with a warning each,
 * legacy encoding repaired and recorded), or the source's declared mapping. Pure.
 */
import type { MapOutcome } from '../../../src/sdk/index.ts';
import { mapTypedPortalRecord } from '../../../src/sdk/portal-coerce.ts';
import { declaredToDossier, portalRecordToDossier } from '../../../src/sdk/index.ts';
import type { WebhookOptions } from '../config.ts';

/**
 * @example
 * toDossier({ MaHoSo: '000.00.20.H99-240311-0001', … }, { mapping: 'portal' });
 */
export function toDossier(raw: unknown, options: Pick<WebhookOptions, 'mapping' | 'tables'>): MapOutcome {
  if (options.mapping === 'portal') return mapTypedPortalRecord(raw, portalRecordToDossier);
  return declaredToDossier(raw, options);
}
