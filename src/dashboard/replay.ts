/**
 * Quarantine replay: the stored raw record is validated again by its source's adapter (`map`), as
 * after a mapping fix or a code-table update, and stored like a pulled page when it is now valid
 * (no cursor moves). Still invalid: its issues are refreshed and it stays in quarantine.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../../schemas/config.ts';
import { ConfigError, NotFoundError, type ValidationIssue } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import { storePage, type InvalidRecord, type ValidRecord } from '../ledger/store-page.ts';
import { routedTargetIds } from '../outbox/units.ts';
import { prepareSource } from '../pipeline/prepare-source.ts';
import type { AdapterDefinition, RawRecord } from '../sdk/index.ts';

type SourceConfig = Config['sources'][number];

/** Raw records of a source → canonical dossiers and quarantine entries (the API's `RecordMapping.mapRecords` fits). */
export type MapSourceRecords = (source: SourceConfig, records: RawRecord[]) => { valid: ValidRecord[]; invalid: InvalidRecord[] };

/**
 * A mapper from an adapter registry: each source's adapter with its parsed options.
 *
 * @example const map = adapterMapper(getAdapter, process.env);
 */
export function adapterMapper(getAdapter: (id: string) => AdapterDefinition<unknown, unknown> | undefined, env: Record<string, string | undefined> = {}): MapSourceRecords {
  return (source, records) => {
    const adapter = getAdapter(source.adapter);
    if (!adapter) throw new ConfigError(`source "${source.id}": adapter "${source.adapter}" is not available here`);
    // Built as sync builds it; secrets only matter to `pull`, so a missing one is not needed here.
    return prepareSource(source, adapter, { env, secrets: 'optional' }).map(records);
  };
}

export type ReplayOutcome =
  | { stored: true; sourceId: string; code: string; new: boolean }
  | { stored: false; sourceId: string; recordKey: string; issues: ValidationIssue[] };

/**
 * @example
 * const out = await replayQuarantined(ledger, config, adapterMapper(getAdapter), 12);
 * if (out.stored) notify(`${out.code} is in the ledger`);
 */
export async function replayQuarantined(
  ledger: Ledger,
  config: Config,
  map: MapSourceRecords,
  id: number,
): Promise<ReplayOutcome> {
  const rows = await ledger.rows<Record<string, unknown>>(sql`
    select id, source_id, record_key, location, raw, raw_text from quarantine where id = ${id} and resolved_at is null`);
  const row = rows[0];
  if (!row) throw new NotFoundError(`no open quarantine entry ${id}`);
  const sourceId = String(row['source_id']);
  const recordKey = String(row['record_key']);
  const source = config.sources.find((s) => s.id === sourceId);
  if (!source) throw new ConfigError(`source "${sourceId}" is no longer configured`);

  const raw = typeof row['raw'] === 'string' ? JSON.parse(row['raw']) : row['raw'];
  const rawText = (row['raw_text'] as string | null) ?? undefined;
  const location = (row['location'] as string | null) ?? recordKey;
  // A record that could not even be parsed has no raw value: it cannot become valid by replay.
  const record = raw === null || raw === undefined
    ? { key: recordKey, location, raw: null, ...(rawText === undefined ? {} : { rawText }), parseIssues: [{ path: '', message: 'the record could not be parsed; only a new pull can replace it' }] }
    : { key: recordKey, location, raw };
  const { valid, invalid } = map(source, [record]);
  const ok = valid[0];
  if (ok) {
    const res = await storePage(ledger, { sourceId, runId: null, valid, invalid: [], targetIds: routedTargetIds(config.targets) });
    // storePage resolves entries keyed by the dossier code; one keyed by its location is resolved here.
    await ledger.rows(sql`update quarantine set resolved_at = now() where id = ${id} and resolved_at is null`);
    return { stored: true, sourceId, code: ok.dossier.code, new: res.new > 0 };
  }
  const issues = invalid[0]?.issues ?? [];
  await ledger.rows(sql`update quarantine set issues = ${JSON.stringify(issues)}::jsonb where id = ${id}`);
  return { stored: false, sourceId, recordKey, issues };
}
