/**
 * Pure classification of what the portal (or the network) did: HTTP statuses, transport
 * failures, and the portal's message wording. Table-tested in `classify.test.ts`; the retry
 * policy downstream reads only `retryable` and `retryAfterMs` from the errors built here.
 */
import {
  GatewayError,
  SessionExpiredError,
  UpstreamHttpError,
  UpstreamNetworkError,
  UpstreamRejectedError,
  UpstreamSchemaError,
  type GatewayErrorOptions,
} from '../errors.ts';
import { parseRetryAfterMs as parseRetryAfter } from '../net/retry-after.ts';
import type { PortalExchangeOutcome } from './types.ts';

/** The portal did not answer within the target's timeout. Retryable: the call may not have run. */
export class UpstreamTimeoutError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super('upstream_timeout', message, { retryable: true, ...options });
  }
}

/** `Retry-After` as milliseconds (the gateway's one reader, src/net/retry-after.ts). */
export { parseRetryAfter };

/**
 * The error for a non-2xx status. In session style, 401/403 mean "log in again"
 * (SessionExpiredError); elsewhere they are plain, non-retryable client errors.
 */
export function httpStatusError(status: number, retryAfter: string | null, detail: string, sessionStyle: boolean): GatewayError {
  const message = `portal answered HTTP ${status}${detail ? `: ${detail}` : ''}`;
  if (status === 401 || status === 403) {
    if (sessionStyle) return new SessionExpiredError(message, { status });
    return new UpstreamHttpError(`${message} (the credential was refused or missing: check targets[].auth)`, { status, retryable: false });
  }
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(retryAfter);
    return new UpstreamHttpError(message, { status, retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
  }
  return new UpstreamHttpError(message, { status, retryable: status >= 500 || status === 408 });
}

/** Lower-case, NFC, without diacritics (đ → d), for matching wording written either way. */
function fold(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/đ/g, 'd')
    .normalize('NFD')
    .replace(/\p{M}/gu, '');
}

// "phiên" alone also appears in "phiên bản" (version), so only phrases that name a login session count.
const SESSION_WORDS = /phien lam viec|phien dang nhap|\bsession\b|\btoken\b|chua dang nhap|dang nhap lai|het phien/;

/**
 * Whether a rejection's message says the session is invalid or expired.
 *
 * @example
 * isSessionProblem('Phiên làm việc không hợp lệ hoặc đã hết hạn'); // true
 * isSessionProblem('Session expired'); // true
 * isSessionProblem('Sai phiên bản dữ liệu'); // false
 */
export function isSessionProblem(message: string | null | undefined): boolean {
  return message ? SESSION_WORDS.test(fold(message)) : false;
}

/** Whether a message says the dossier already exists ("đã tồn tại"), compared NFC and case-insensitively. */
export function isExistsMessage(message: string | null | undefined): boolean {
  return message ? message.normalize('NFC').toLowerCase().includes('đã tồn tại') : false;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);

/** Error codes and names along a `cause` chain (fetch wraps the socket error: TypeError → cause). */
function causeChain(err: unknown): { names: string[]; codes: string[] } {
  const names: string[] = [];
  const codes: string[] = [];
  let cur: unknown = err;
  for (let depth = 0; cur && typeof cur === 'object' && depth < 5; depth += 1) {
    const e = cur as { name?: unknown; code?: unknown; cause?: unknown };
    if (typeof e.name === 'string') names.push(e.name);
    if (typeof e.code === 'string') codes.push(e.code);
    cur = e.cause;
  }
  return { names, codes };
}

/** Maps what fetch (or reading the body) threw to a GatewayError. */
export function transportError(err: unknown, what: string, timeoutMs: number): GatewayError {
  if (err instanceof GatewayError) return err;
  const { names, codes } = causeChain(err);
  if (names.includes('TimeoutError') || codes.some((c) => TIMEOUT_CODES.has(c))) {
    return new UpstreamTimeoutError(`${what}: no answer within ${timeoutMs} ms`, { cause: err });
  }
  const code = codes[codes.length - 1] ?? (err instanceof Error ? err.message : String(err));
  return new UpstreamNetworkError(`${what}: connection failed (${code})`, { cause: err });
}

/** The exchange outcome an error stands for. */
export function outcomeOf(err: GatewayError): PortalExchangeOutcome {
  if (err instanceof UpstreamTimeoutError) return 'timeout';
  if (err instanceof UpstreamNetworkError) return 'network_error';
  if (err instanceof UpstreamSchemaError) return 'schema_error';
  if (err instanceof UpstreamRejectedError) return 'rejected';
  if (err.status !== undefined && err.status >= 300) return 'http_error';
  return 'rejected';
}
