/**
 * The record already has the portal's own field names (contract §4), optionally with its progress
 * items (§5) in `QuaTrinhXuLy`: mapping is the canonical import.
 */
import { parsePortalRecord } from '../../../src/dossier/index.ts';
import type { MapOutcome } from '../../../src/sdk/index.ts';

export function toDossier(raw: unknown): MapOutcome {
  return parsePortalRecord(raw);
}
