/**
 * Pure classification of what the portal (or the network) did: HTTP statuses, transport
 * failures, and the portal's message wording. Table-tested in `classify.test.ts`; the retry
 * policy downstream reads only `retryable` and `retryAfterMs` from the errors built here.
 */
import { SessionExpiredError, UpstreamHttpError, UpstreamNetworkError, UpstreamRejectedError, UpstreamSchemaError, type GatewayError } from '../errors.ts';
import { parseRetryAfterMs as parseRetryAfter, statusRetry, transportError, UpstreamTimeoutError } from '../net/index.ts';
import type { PortalExchangeOutcome } from './types.ts';

/** The timeout error and the transport-error mapping are the HTTP layer's (src/net/transport-error.ts). */
export { transportError, UpstreamTimeoutError };

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
  return new UpstreamHttpError(message, { status, ...statusRetry(status, retryAfter) });
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

/** The exchange outcome an error stands for. */
export function outcomeOf(err: GatewayError): PortalExchangeOutcome {
  if (err instanceof UpstreamTimeoutError) return 'timeout';
  if (err instanceof UpstreamNetworkError) return 'network_error';
  if (err instanceof UpstreamSchemaError) return 'schema_error';
  if (err instanceof UpstreamRejectedError) return 'rejected';
  if (err.status !== undefined && err.status >= 300) return 'http_error';
  return 'rejected';
}
