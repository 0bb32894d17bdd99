/**
 * The one error envelope of the HTTP edge: `{ error: { code, message, errors?, requestId } }`.
 * Only `GatewayError`s speak to clients; anything else (a driver error embedding SQL, a bug) is
 * logged with the request id and answered with a generic message.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ForbiddenError, GatewayError, ValidationError } from '../errors.ts';
import type { AppEnv } from './types.ts';

export interface ErrorBody {
  error: { code: string; message: string; errors?: { path: string; message: string }[]; requestId: string };
}

/** Database failures, recognised on the driver's SQLSTATE (`err.cause.code`), never on their text. */
function fromDatabase(err: unknown): GatewayError | null {
  const code = (err as { cause?: { code?: unknown } }).cause?.code ?? (err as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return null;
  if (code === '23505') return new GatewayError('conflict', 'the record already exists', { status: 409 });
  if (code.startsWith('22')) return new GatewayError('invalid_input', 'a value has the wrong form', { status: 400 });
  if (code.startsWith('08') || code.startsWith('57') || code === '53300') return new GatewayError('database_unavailable', 'the database is unavailable', { status: 503 });
  return null;
}

function statusOf(err: GatewayError): ContentfulStatusCode {
  if (err.status && err.status >= 400 && err.status < 600) return err.status as ContentfulStatusCode;
  if (err instanceof ValidationError) return 400;
  if (err.code === 'config_error') return 400;
  if (err.code === 'database_unavailable') return 503;
  return 500;
}

/** Renders any error thrown by a route as the envelope (the app's `onError`). */
export function renderError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get('requestId') ?? 'unknown';
  const known = err instanceof GatewayError ? err : fromDatabase(err);
  const status = known ? statusOf(known) : 500;
  if (!known || status >= 500) c.get('log')?.error({ err, status }, 'request failed');
  const body: ErrorBody = {
    // A 500 says nothing of its cause: its message may come from a driver or a bug.
    error: known && status !== 500
      ? { code: known.code, message: known.message, requestId }
      : { code: 'internal_error', message: 'an internal error occurred; quote the request id to the operator', requestId },
  };
  if (known instanceof ValidationError || known instanceof ForbiddenError) body.error.errors = known.issues.map((i) => ({ path: i.path, message: i.message }));
  return c.json(body, status);
}

/** The mapping dependency, or a 503 saying this host cannot map records. */
export function mappingOf<T>(mapping: T | undefined): T {
  if (!mapping) throw httpError(503, 'intake_unavailable', 'this server cannot map records (no adapter registry): webhook intake and quarantine replay are unavailable here');
  return mapping;
}

/** An error with an HTTP status, for the edge only (401, 403, 404, 409, 413…). */
export function httpError(status: number, code: string, message: string): GatewayError {
  return new GatewayError(code, message, { status });
}
