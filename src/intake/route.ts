/**
 * `POST /ingest/{sourceId}`: a local system pushes dossiers in the portal record format (one object
 * or an array). Checks, in order: the source exists and accepts pushes, the body size, the
 * signature and timestamp, JSON, and that every record belongs to one of the source's units (else
 * nothing is stored: 403 listing every offending record). Then the same pipeline as a pull:
 * invalid records are quarantined, valid ones stored and queued, in one transaction. The answer
 * is sent only after that transaction committed.
 */
import type { Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { SourceConfig } from '../../schemas/config.ts';
import { unitCodeFromDossierCode } from '../../schemas/dossier.ts';
import { ForbiddenError, GatewayError, ValidationError, type ValidationIssue } from '../errors.ts';
import { mappingOf, renderError } from '../http/errors.ts';
import type { AppDeps, AppEnv } from '../http/types.ts';
import type { RawRecord } from '../sdk/index.ts';
import { storeRecords, type MappedRecords } from './accept.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from './signature.ts';

export interface IngestAnswer {
  sourceId: string;
  received: number;
  new: number;
  changed: number;
  unchanged: number;
  quarantined: number;
  /** Every quarantined record with every issue. */
  rejected: { key: string; location: string; issues: ValidationIssue[] }[];
}

/** Records of units the source may not write, each named by its index in the payload. */
export function unitViolations(source: SourceConfig, records: RawRecord[], mapped: MappedRecords): ValidationIssue[] {
  if (!source.units.length) return [];
  const allowed = new Set(source.units);
  const unitOf = new Map<string, string | null>();
  for (const v of mapped.valid) unitOf.set(v.dossier.code, v.dossier.unit.code);
  const issues: ValidationIssue[] = [];
  records.forEach((r, i) => {
    const unit = r.key ? (unitOf.get(r.key) ?? unitCodeFromDossierCode(r.key)) : null;
    if (!unit || !allowed.has(unit)) {
      issues.push({ path: `[${i}].MaHoSo`, message: unit ? `unit ${unit} is not one of this source's units (${source.units.join(', ')})` : 'the unit of this record cannot be determined' });
    }
  });
  return issues;
}

async function handleIngest(c: Context<AppEnv>, deps: AppDeps, source: SourceConfig, secret: string): Promise<Response> {
  const body = await c.req.text();
  await verifySignature({
    secret,
    timestamp: c.req.header(TIMESTAMP_HEADER),
    signature: c.req.header(SIGNATURE_HEADER),
    body,
    nowMs: deps.now?.() ?? Date.now(),
    windowSeconds: deps.config.server.replayWindowSeconds,
  });
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
    rejected: mapped.invalid.map((r) => ({ key: r.key, location: r.location, issues: r.issues })),
  };
  c.get('log').info({ sourceId: source.id, received: answer.received, new: answer.new, changed: answer.changed, quarantined: answer.quarantined }, 'push stored');
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
