/**
 * The gateway's retry policy for an HTTP call: exponential backoff with jitter (p-retry) between
 * `minDelayMs` and `maxDelayMs`, at most `maxAttempts` attempts, only errors that say they are
 * retryable, and at least the `Retry-After` the peer asked for (cut to
 * {@link MAX_RETRY_AFTER_WAIT_MS}).
 */
import pRetry from 'p-retry';
import { isRetryable, type GatewayError } from '../errors.ts';
import { MAX_RETRY_AFTER_WAIT_MS } from './limits.ts';

export interface RetryPolicy {
  maxAttempts: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/** The backoff before attempt `attempt + 1` without jitter: `minDelayMs · 2^(attempt-1)`, at most `maxDelayMs`. */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** (attempt - 1));
}

/**
 * How much longer than the backoff to wait after failed attempt `attempt` so that the peer's
 * `Retry-After` is honoured: 0 when it asked for nothing, for less than the backoff, or when no
 * attempt follows.
 */
export function extraWaitMs(policy: RetryPolicy, attempt: number, error: unknown): number {
  if (!isRetryable(error) || attempt >= policy.maxAttempts) return 0;
  const asked = (error as GatewayError).retryAfterMs;
  if (asked === undefined) return 0;
  return Math.max(0, Math.min(asked, MAX_RETRY_AFTER_WAIT_MS) - backoffMs(policy, attempt));
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    // An 'abort' listener added after the abort never runs: a signal aborted already ends the wait now.
    if (signal?.aborted) return reject(signal.reason as Error);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason as Error)), { once: true });
  });

/** Runs `call` under the policy; resolves with its first success or rejects with the last error. */
export function withRetries<T>(call: () => Promise<T>, policy: RetryPolicy, signal?: AbortSignal): Promise<T> {
  return pRetry(call, {
    retries: Math.max(0, policy.maxAttempts - 1),
    minTimeout: policy.minDelayMs,
    maxTimeout: policy.maxDelayMs,
    randomize: true,
    ...(signal ? { signal } : {}),
    shouldRetry: ({ error }) => isRetryable(error),
    // p-retry waits its own backoff after this; Retry-After is a minimum, so wait the difference first.
    onFailedAttempt: async ({ error, attemptNumber }) => {
      const extra = extraWaitMs(policy, attemptNumber, error);
      if (extra > 0) await sleep(extra, signal);
    },
  });
}
