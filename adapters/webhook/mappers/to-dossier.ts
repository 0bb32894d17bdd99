/**
 * A pushed record → canonical dossier: the portal's own format (as `dvcqg-file`, with legacy
 * encoding repaired and recorded), or the source's declared mapping. Pure.
 */
import type { MapOutcome } from '../../../src/sdk/index.ts';
import { toDossier as declaredToDossier } from '../../rest-json/mappers/to-dossier.ts';
import type { WebhookOptions } from '../config.ts';

/**
 * @example
 * toDossier({ MaHoSo: '000.00.20.H99-240311-0001', … }, { mapping: 'portal' });
 */
export function toDossier(raw: unknown, options: Pick<WebhookOptions, 'mapping' | 'tables'>): MapOutcome {
  return declaredToDossier(raw, options);
}
