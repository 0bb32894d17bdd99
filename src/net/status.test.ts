import { describe, expect, it } from 'vitest';
import { isRetryableStatus, statusRetry } from './status.ts';

describe('statusRetry', () => {
  it.each([
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [408, true],
    [429, true],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [409, false],
    [413, false],
    [499, false],
  ])('HTTP %i is retryable: %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
    expect(statusRetry(status, null).retryable).toBe(retryable);
  });

  it('keeps the Retry-After of every retryable answer, and of no other', () => {
    expect(statusRetry(429, '5')).toEqual({ retryable: true, retryAfterMs: 5000 });
    expect(statusRetry(503, '120')).toEqual({ retryable: true, retryAfterMs: 120_000 });
    expect(statusRetry(503, 'Mon, 15 Jul 2024 08:00:30 GMT', 1_721_030_400_000)).toEqual({ retryable: true, retryAfterMs: 30_000 });
    expect(statusRetry(429, 'soon')).toEqual({ retryable: true });
    expect(statusRetry(429, null)).toEqual({ retryable: true });
    expect(statusRetry(404, '5')).toEqual({ retryable: false });
  });
});
