/**
 * `POST /ingest/{sourceId}`: a local system pushes dossiers in the portal record format (one object
 * or an array). Checks, in order: the source exists and accepts pushes, the body size, the
 * signature (over the bytes received) and timestamp, that the signature was not seen before in
 * the window (409: a replay), UTF-8, JSON, and that every mapped dossier belongs to one of the
 * source's units (else nothing is stored: 403 listing every offending record). Then the same
 * pipeline as a pull: invalid records are quarantined, valid ones stored and queued, in one
 * transaction; a version older than the stored one is kept apart and answered as `stale`. The
 * answer is sent only after that transaction committed.
 */
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { SourceConfig } from '../../../schemas/config.ts';
import { unitCodeFromDossierCode } from '../../../schemas/dossier.ts';
import { ForbiddenError, GatewayError, ValidationError, type ValidationIssue } from '../../errors.ts';
import { mappingOf, renderError } from '../errors.ts';
import type { AppDeps, AppEnv } from '../types.ts';
import type { RawRecord } from '../../sdk/index.ts';
import { storeRecords, type MappedRecords } from '../../intake/accept.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../intake/signature.ts';
import { forgetSignature, rememberSignature } from '../../intake/signatures.ts';

export interface IngestAnswer {
  sourceId: string;
  received: number;
  new: number;
  changed: number;
  unchanged: number;
  quarantined: number;
  /** Soft-deleted dossiers this push brought back (counted in `changed` too). */
  restored: number;
  /** Records older than the version already stored: kept apart (`stale_versions`), never applied. */
  stale: number;
  staleCodes: string[];
  /** Every quarantined record with every issue. */
  rejected: { key: string; location: string; issues: ValidationIssue[] }[];
}

/**
 * Records of units the source may not write, each named by its index in the payload. A mapped
 * dossier is judged by its own unit (what would be stored and routed), never by a raw `MaHoSo`
 * field the mapping does not read; a record that does not map, by its key.
 */
export function unitViolations(source: SourceConfig, records: RawRecord[], mapped: MappedRecords): ValidationIssue[] {
  if (!source.units.length) return [];
  const allowed = new Set(source.units);
  const byRaw = new Map<unknown, MappedRecords['valid'][number]>();
  for (const v of mapped.valid) byRaw.set(v.raw, v);
  const issues: ValidationIssue[] = [];
  records.forEach((r, i) => {
    const valid = r.raw !== null && typeof r.raw === 'object' ? byRaw.get(r.raw) : undefined;
    const unit = valid ? valid.dossier.unit.code : r.key ? unitCodeFromDossierCode(r.key) : null;
    const what = valid ? `dossier ${valid.dossier.code}: ` : '';
    if (!unit || !allowed.has(unit)) {
      issues.push({ path: `[${i}].MaHoSo`, message: unit ? `${what}unit ${unit} is not one of this source's units (${source.units.join(', ')})` : `${what}the unit of this record cannot be determined` });
    }
  });
  return issues;
}

async function handleIngest(c: Context<AppEnv>, deps: AppDeps, source: SourceConfig, secret: string): Promise<Response> {
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  const nowMs = deps.now?.() ?? Date.now();
  const windowSeconds = deps.config.server.replayWindowSeconds;
  const signed = await verifySignature({ secret, timestamp: c.req.header(TIMESTAMP_HEADER), signature: c.req.header(SIGNATURE_HEADER), body: bytes, nowMs, windowSeconds });
  await rememberSignature(deps.ledger, { sourceId: source.id, signature: signed.signature, expiresAtMs: (signed.timestamp + windowSeconds) * 1000, nowMs });
  try {
    return await storePush(c, deps, source, bytes);
  } catch (e) {
    // Not stored: the same signed push may be sent again.
    await forgetSignature(deps.ledger, source.id, signed.signature).catch(() => undefined);
    throw e;
  }
}

async function storePush(c: Context<AppEnv>, deps: AppDeps, source: SourceConfig, bytes: Uint8Array): Promise<Response> {
  let body: string;
  try {
    body = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ValidationError('invalid body', [{ path: 'body', message: 'the body is not valid UTF-8: send the JSON encoded as UTF-8' }]);
  }
  let payload: unknown;
  try {
    payload = JSON.parse(body);
  } catch {
    throw new ValidationError('invalid body', [{ path: 'body', message: 'the body is not valid JSON' }]);
  }
  if (payload === null || typeof payload !== 'object') throw new ValidationError('invalid body', [{ path: 'body', message: 'expected one dossier object or an array of them' }]);
  const { records, mapped } = mappingOf(deps.mapping).mapPushed(source, payload, `push ${c.get('requestId')}`);
  const violations = unitViolations(source, records, mapped);
  if (violations.length) throw new ForbiddenError('unit_not_allowed', `source "${source.id}" may only write dossiers of its own units; nothing was stored`, violations);
  const result = await storeRecords(deps.ledger, deps.config, source, mapped);
  const answer: IngestAnswer = {
    sourceId: source.id,
    received: records.length,
    new: result.new,
    changed: result.changed,
    unchanged: result.unchanged,
    quarantined: result.quarantined,
    restored: result.restored,
    stale: result.stale,
    staleCodes: result.staleCodes,
    rejected: mapped.invalid.map((r) => ({ key: r.key, location: r.location, issues: r.issues })),
  };
  c.get('log').info({ sourceId: source.id, received: answer.received, new: answer.new, changed: answer.changed, quarantined: answer.quarantined, stale: answer.stale }, 'push stored');
  return c.json(answer, 200);
}

/**
 * @example
 * mountIntake(app, deps); // POST /ingest/:sourceId
 */
export function mountIntake(app: Hono<AppEnv>, deps: AppDeps): void {
  const limit = bodyLimit({
    maxSize: deps.config.server.bodyLimitBytes,
    onError: (c) => renderError(new GatewayError('payload_too_large', `the body is larger than ${deps.config.server.bodyLimitBytes} bytes; send fewer records per push`, { status: 413 }), c as Context<AppEnv>),
  });
  app.post('/ingest/:sourceId', limit, async (c) => {
    const source = deps.config.sources.find((s) => s.id === c.req.param('sourceId'));
    if (!source?.webhookSecretEnv) throw new GatewayError('not_found', `no source "${c.req.param('sourceId')}" accepts pushes`, { status: 404 });
    const secret = deps.env[source.webhookSecretEnv];
    if (!secret) {
      c.get('log').error({ sourceId: source.id, variable: source.webhookSecretEnv }, 'webhook secret not set');
      throw new GatewayError('webhook_not_configured', `source "${source.id}" cannot accept pushes right now (its secret is not configured)`, { status: 503 });
    }
    return handleIngest(c, deps, source, secret);
  });
}
