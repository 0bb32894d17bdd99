/**
 * Maps pushed bodies and replayed records with the source's adapter and parsed options, exactly as
 * a pull does. Node-side (it imports the adapter registry, file readers among them), so the HTTP app
 * receives it as a dependency (`AppDeps.mapping`) instead of importing it.
 *
 * A source whose adapter is `webhook` splits its bodies with `mapPushedRecords` (portal envelope,
 * `recordsPath`, declared mapping, `maxRecords`); any other adapter receives one record object or
 * an array of them in its own record format (e.g. `dvcqg-file`: the portal format).
 */
import { createHash } from 'node:crypto';
import type { SourceConfig } from '../../schemas/config.ts';
import { getAdapter } from '../../adapters/index.ts';
import { mapPushedRecords } from '../../adapters/webhook/index.ts';
import { dossierHash } from '../dossier/index.ts';
import { ConfigError } from '../errors.ts';
import { storableJson } from '../ledger/storable.ts';
import { mapRecords, parseSourceOptions } from '../pipeline/ingest.ts';
import type { AdapterDefinition, RawRecord } from '../sdk/index.ts';
import type { MappedRecords, RecordMapping } from './accept.ts';

function adapterOf(source: SourceConfig): AdapterDefinition<unknown, unknown> {
  const adapter = getAdapter(source.adapter);
  if (!adapter) throw new ConfigError(`source "${source.id}": unknown adapter "${source.adapter}"`);
  return adapter;
}

/** The source's parsed options for `map`; secrets only matter to `pull`, so a missing one is not resolved here. */
function mappingOptions(source: SourceConfig, adapter: AdapterDefinition<unknown, unknown>, env: Record<string, string | undefined>): unknown {
  try {
    return parseSourceOptions(source, adapter, env);
  } catch {
    const parsed = adapter.configSchema.safeParse(source.options);
    return parsed.success ? parsed.data : undefined;
  }
}

function plainRecords(body: unknown, location: string): RawRecord[] {
  const items = Array.isArray(body) ? body : [body];
  return items.map((raw, i) => {
    const code = raw && typeof raw === 'object' ? (raw as Record<string, unknown>)['MaHoSo'] : undefined;
    return { key: typeof code === 'string' && code ? code.normalize('NFC') : null, location: `${location}#${i}`, raw };
  });
}

/**
 * @example
 * const mapping = createRecordMapping(process.env);
 * const { records, mapped } = mapping.mapPushed(source, JSON.parse(body), `push ${requestId}`);
 */
export function createRecordMapping(env: Record<string, string | undefined>): RecordMapping {
  return {
    mapRecords(source, records) {
      const adapter = adapterOf(source);
      return mapRecords(adapter, source.id, records, mappingOptions(source, adapter, env));
    },
    mapPushed(source, body, location) {
      const adapter = adapterOf(source);
      if (adapter.id !== 'webhook') {
        const records = plainRecords(body, location);
        return { records, mapped: mapRecords(adapter, source.id, records, mappingOptions(source, adapter, env)) };
      }
      const pushed = mapPushedRecords(body, source.options, { location });
      const mapped: MappedRecords = { valid: [], invalid: [] };
      for (const { record, outcome } of pushed) {
        if (outcome.ok) {
          mapped.valid.push({ dossier: outcome.value, raw: record.raw, hash: dossierHash(outcome.value) });
          continue;
        }
        const rawText = record.rawText ?? null;
        mapped.invalid.push({
          key: record.key ?? record.location,
          location: record.location,
          raw: record.raw,
          rawText,
          rawHash: createHash('sha256').update(rawText ?? storableJson(record.raw)).digest('hex'),
          issues: outcome.issues,
        });
      }
      return { records: pushed.map((p) => p.record), mapped };
    },
  };
}
