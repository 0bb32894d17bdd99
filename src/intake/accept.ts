/**
 * Records that arrive outside a pull (a webhook push, a quarantine replay) go through the same
 * pipeline as pulled ones: mapped with the source's adapter, invalid ones quarantined with every
 * issue, valid ones stored with their outbox deliveries, all in one transaction. The source's
 * cursor is not touched.
 */
import type { Config, SourceConfig } from '../../schemas/config.ts';
import type { Ledger } from '../ledger/db.ts';
import { storePage, type InvalidRecord, type PageResult, type ValidRecord } from '../ledger/store-page.ts';
import { routedTargetIds } from '../outbox/units.ts';
import type { RawRecord } from '../sdk/index.ts';

export interface MappedRecords {
  valid: ValidRecord[];
  invalid: InvalidRecord[];
}

/** How records of a source become canonical dossiers and quarantine entries (Node: `createRecordMapping` of `./map.ts`). */
export interface RecordMapping {
  /** Stored raw records (quarantine replay). */
  mapRecords(source: SourceConfig, records: RawRecord[]): MappedRecords;
  /** A pushed body (already parsed JSON): its records, and their mapping. Throws a ValidationError for a body without records. */
  mapPushed(source: SourceConfig, body: unknown, location: string): { records: RawRecord[]; mapped: MappedRecords };
}

/**
 * Stores mapped records durably (one transaction) and queues them for every target.
 *
 * @example
 * const result = await storeRecords(ledger, config, source, mapping.mapRecords(source, records));
 */
export async function storeRecords(ledger: Ledger, config: Config, source: SourceConfig, mapped: MappedRecords): Promise<PageResult> {
  return storePage(ledger, {
    sourceId: source.id,
    runId: null,
    valid: mapped.valid,
    invalid: mapped.invalid,
    targetIds: routedTargetIds(config.targets),
  });
}
