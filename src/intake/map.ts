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
import { mapPushedRecords } from '../../adapters/webhook/index.ts';
import { dossierHash } from '../dossier/index.ts';
import { storableJson } from '../ledger/storable.ts';
import { buildSourceFrom } from '../pipeline/build-source.ts';
import type { RawRecord } from '../sdk/index.ts';
import type { MappedRecords, RecordMapping } from './accept.ts';

/** The source built as sync builds it; secrets only matter to `pull`, so a missing one is not resolved here. */
const built = (source: SourceConfig, env: Record<string, string | undefined>) => buildSourceFrom(source, { env, secrets: 'optional' });

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
      return built(source, env).map(records);
    },
    mapPushed(source, body, location) {
      const b = built(source, env);
      if (b.adapter.id !== 'webhook') {
        const records = plainRecords(body, location);
        return { records, mapped: b.map(records) };
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
