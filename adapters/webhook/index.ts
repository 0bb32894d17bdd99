/**
 * `webhook`: a local system pushes its records (the intake endpoint is `POST /ingest/{sourceId}`).
 * `pull` yields nothing; `mapPushedRecords` splits and maps a pushed body with the source's options
 * so a pushed record goes through the same pipeline (quarantine, ledger, outbox) as a pulled one.
 */
import type { RawRecord } from '../../src/sdk/index.ts';
import { defineAdapter, type MapOutcome } from '../../src/sdk/index.ts';
import { compiledOf } from '../../src/sdk/index.ts';
import { WebhookOptionsSchema, type WebhookCursor, type WebhookOptions, type WebhookOptionsInput } from './config.ts';
import { toDossier } from './mappers/to-dossier.ts';
import { splitPushedBody } from './raw.ts';

/** Without the source's options (a bare sample), records are in the portal format. */
const PORTAL_OPTIONS: WebhookOptions = WebhookOptionsSchema.parse({});

export const webhookAdapter = defineAdapter<WebhookOptions, WebhookCursor>({
  id: 'webhook',
  version: '1.0.0',
  configSchema: WebhookOptionsSchema,
  // Nothing to pull, nothing to list: records arrive by push (reconcile never infers deletions from it).
  pushOnly: true,
  // eslint-disable-next-line require-yield
  async *pull() {
    return;
  },
  map: (raw, ctx) => toDossier(raw, ctx.options ?? PORTAL_OPTIONS),
  mappedPaths: (options) => (!options || options.mapping === 'portal' ? [] : compiledOf(options.mapping).sourcePaths),
});

export interface PushedRecord {
  record: RawRecord;
  outcome: MapOutcome;
}

/**
 * Splits a pushed body (one record, an array, `{ data: [...] }`, or records at `recordsPath`) and
 * maps every record with the source's options (raw, as in the config file, or parsed). A record
 * that is not an object comes back with its issue; a body without records throws a ValidationError.
 *
 * @example
 * const pushed = mapPushedRecords(JSON.parse(body), source.options, { location: `push ${requestId}` });
 * const invalid = pushed.filter((p) => !p.outcome.ok);
 */
export function mapPushedRecords(body: unknown, options: WebhookOptionsInput | WebhookOptions = {}, at: { location?: string } = {}): PushedRecord[] {
  const parsed = WebhookOptionsSchema.parse(options);
  return splitPushedBody(body, parsed, at.location ?? 'push').map((record) => ({
    record,
    outcome: record.parseIssues?.length ? { ok: false, issues: record.parseIssues } : toDossier(record.raw, parsed),
  }));
}

export default webhookAdapter;
