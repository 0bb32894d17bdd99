/**
 * The record already has the portal's own field names (contract §4), optionally with its progress
 * items (§5) in `QuaTrinhXuLy`: mapping is the canonical import. A typed export (numbers, booleans,
 * ISO or `/Date(…)/` dates, nulls: `.NET`/Java systems) is read into the contract's form first,
 * with a warning per value (`src/sdk/portal-coerce.ts`).
 */
import { parsePortalRecord } from '../../../src/sdk/index.ts';
import type { MapOutcome } from '../../../src/sdk/index.ts';
import { mapTypedPortalRecord } from '../../../src/sdk/portal-coerce.ts';

export function toDossier(raw: unknown): MapOutcome {
  return mapTypedPortalRecord(raw, (value) => parsePortalRecord(value));
}
