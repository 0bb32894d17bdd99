/**
 * Quarantine replay: the stored raw records of open quarantine entries go through the pipeline
 * again (after an adapter fix, a code-table update…). Valid ones are stored and their entries
 * resolved; the others stay with their current issues. A line that was never parsable has no raw
 * record to replay and is reported as such.
 */
import type { Config } from '../../schemas/config.ts';
import { NotFoundError } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { openQuarantine, resolveQuarantine } from '../ledger/intake.ts';
import type { RawRecord } from '../sdk/index.ts';
import { storeRecords, type RecordMapping } from './accept.ts';

export interface ReplayResult {
  sourceId: string;
  replayed: number;
  stored: number;
  stillQuarantined: number;
  notReplayable: string[];
}

/**
 * @example
 * const r = await replayQuarantine(ledger, config, createRecordMapping(process.env), { sourceId: 'qt-motcua' });
 */
export async function replayQuarantine(ledger: Ledger, config: Config, mapping: RecordMapping, opts: { sourceId: string; keys?: string[] }): Promise<ReplayResult> {
  const source = config.sources.find((s) => s.id === opts.sourceId);
  if (!source) throw new NotFoundError(`no source "${opts.sourceId}" in the configuration`);
  const rows = await openQuarantine(ledger, source.id, opts.keys);
  const notReplayable = rows.filter((r) => r.raw === null).map((r) => r.recordKey);
  const records: RawRecord[] = rows.filter((r) => r.raw !== null).map((r) => ({ key: r.recordKey, location: r.location ?? r.recordKey, raw: r.raw }));
  const mapped = mapping.mapRecords(source, records);
  const result = records.length ? await storeRecords(ledger, config, source, mapped) : null;
  if (mapped.valid.length) {
    // A record now valid and identical to the stored dossier is not rewritten; its entry is resolved all the same.
    await resolveQuarantine(ledger, source.id, mapped.valid.map((v) => v.dossier.code));
  }
  return {
    sourceId: source.id,
    replayed: records.length,
    stored: (result?.new ?? 0) + (result?.changed ?? 0),
    stillQuarantined: mapped.invalid.length,
    notReplayable,
  };
}
