/**
 * What an HTTP status says about retrying, for sources and portals alike: 5xx, 408 and 429 are
 * worth another attempt, every other status is not; a retryable answer's `Retry-After` is the
 * least wait the peer asked for. The error a status becomes (its class and message) stays the
 * caller's: a source's 401 is a configuration problem, a portal's may mean "log in again".
 */
import { parseRetryAfterMs } from './retry-after.ts';

/** Whether an answer with this status may succeed when sent again. */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * `retryable` and, when the answer is retryable and says so, `retryAfterMs`: ready to spread into
 * a GatewayError's options.
 *
 * @example
 * statusRetry(429, '5'); // { retryable: true, retryAfterMs: 5000 }
 * statusRetry(404, '5'); // { retryable: false }
 */
export function statusRetry(status: number, retryAfter: string | null | undefined, now: number = Date.now()): { retryable: boolean; retryAfterMs?: number } {
  if (!isRetryableStatus(status)) return { retryable: false };
  const retryAfterMs = parseRetryAfterMs(retryAfter, now);
  return retryAfterMs === undefined ? { retryable: true } : { retryable: true, retryAfterMs };
}
