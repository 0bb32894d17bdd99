import { describe, expect, it } from 'vitest';
import { GatewayError, UpstreamHttpError } from '../errors.ts';
import { backoffMs, extraWaitMs, withRetries } from './retry.ts';

const policy = { maxAttempts: 4, minDelayMs: 500, maxDelayMs: 3000 };
const busy = (retryAfterMs?: number) => new UpstreamHttpError('src answered HTTP 429', { status: 429, retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

describe('backoffMs and extraWaitMs', () => {
  it('doubles the backoff from minDelayMs up to maxDelayMs', () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(policy, a))).toEqual([500, 1000, 2000, 3000, 3000]);
  });

  it('waits what Retry-After asks beyond the backoff, never past 300 s', () => {
    expect(extraWaitMs(policy, 1, busy(2000))).toBe(1500);
    expect(extraWaitMs(policy, 2, busy(2000))).toBe(1000);
    expect(extraWaitMs(policy, 3, busy(2000))).toBe(0);
    expect(extraWaitMs(policy, 1, busy(3_600_000))).toBe(299_500);
  });

  it('adds nothing without Retry-After, for an error not retried, or after the last attempt', () => {
    expect(extraWaitMs(policy, 1, busy())).toBe(0);
    expect(extraWaitMs(policy, 1, new UpstreamHttpError('404', { status: 404, retryable: false, retryAfterMs: 9000 }))).toBe(0);
    expect(extraWaitMs(policy, 1, Object.assign(new Error('plain'), { retryAfterMs: 9000 }))).toBe(0);
    expect(extraWaitMs(policy, 4, busy(9000))).toBe(0);
  });
});

describe('withRetries', () => {
  const fast = { maxAttempts: 3, minDelayMs: 1, maxDelayMs: 2 };

  it('retries a retryable error up to maxAttempts and rejects with the last one', async () => {
    let calls = 0;
    const err = await withRetries(() => Promise.reject(busy(undefined)).finally(() => calls++), fast).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpstreamHttpError);
    expect(calls).toBe(3);
  });

  it('returns the first success', async () => {
    let calls = 0;
    expect(await withRetries(() => (++calls < 2 ? Promise.reject(busy(1)) : Promise.resolve('ok')), fast)).toBe('ok');
    expect(calls).toBe(2);
  });

  it('never retries an error that is not retryable', async () => {
    let calls = 0;
    const refused = new GatewayError('config_error', 'wrong password');
    await expect(withRetries(() => (calls++, Promise.reject(refused)), fast)).rejects.toBe(refused);
    expect(calls).toBe(1);
  });

  it('stops when the signal aborts', async () => {
    const ctl = new AbortController();
    let calls = 0;
    const run = withRetries(
      () => {
        calls++;
        ctl.abort(new Error('deadline'));
        return Promise.reject(busy(60_000));
      },
      { maxAttempts: 5, minDelayMs: 1, maxDelayMs: 2 },
      ctl.signal,
    );
    await expect(run).rejects.toThrow();
    expect(calls).toBe(1);
  });
});
