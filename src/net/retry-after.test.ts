import { describe, expect, it } from 'vitest';
import { parseHttpDate, parseRetryAfterMs, RETRY_AFTER_CEILING_MS } from './retry-after.ts';

// 2024-07-15 08:00:00 UTC, a Monday; written out so that no expected value comes from the code under test.
const NOW = 1_721_030_400_000;

describe('parseRetryAfterMs: delay-seconds', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['1', 1000],
    ['1.5', 1500],
    [' 3 ', 3000],
    ['007', 7000],
    ['300', 300_000],
  ])('reads %j as %j ms', (value, ms) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(ms);
  });
});

describe('parseRetryAfterMs: HTTP-date', () => {
  it.each([
    ['Mon, 15 Jul 2024 08:00:30 GMT', 30_000],
    ['Mon, 15 Jul 2024 09:00:00 GMT', 3_600_000],
    ['Monday, 15-Jul-24 08:02:00 GMT', 120_000],
    ['Mon Jul 15 08:00:05 2024', 5000],
    ['Mon Jul  15 08:00:05 2024', undefined],
    ['mon, 15 jul 2024 08:00:30 gmt', 30_000],
  ])('reads %j as %j ms', (value, ms) => {
    expect(parseRetryAfterMs(value, NOW)).toBe(ms);
  });

  it('reads a date already past as no wait', () => {
    expect(parseRetryAfterMs('Mon, 15 Jul 2024 07:00:00 GMT', NOW)).toBe(0);
    expect(parseRetryAfterMs('Sun, 06 Nov 1994 08:49:37 GMT', NOW)).toBe(0);
  });

  it('reads the three forms of RFC 9110 as the same instant, in GMT whatever the host zone', () => {
    // asctime has no zone: Date.parse reads it in the host's zone, which is wrong off UTC.
    for (const form of ['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994']) {
      expect(parseHttpDate(form, NOW)).toBe(784_111_777_000);
    }
  });

  it('reads a two-digit RFC 850 year as the most recent past year with those digits beyond 50 years ahead', () => {
    expect(parseHttpDate('Monday, 15-Jul-74 08:00:00 GMT', NOW)).toBe(Date.UTC(2074, 6, 15, 8));
    expect(parseHttpDate('Monday, 15-Jul-75 08:00:00 GMT', NOW)).toBe(Date.UTC(1975, 6, 15, 8));
  });
});

describe('parseRetryAfterMs: what is no Retry-After', () => {
  it.each([
    [null],
    [undefined],
    [''],
    ['   '],
    ['soon'],
    ['-5'],
    ['-1.5'],
    ['+5'],
    ['1e3'],
    ['0x10'],
    ['5 s'],
    ['Infinity'],
    ['NaN'],
    ['Tue 3'],
    ['March 7'],
    ['a 2'],
    ['1.2.3'],
    ['2024-07-15T08:00:30Z'],
    ['Mon, 15 Jul 2024 08:00:30 GMT junk'],
    ['Mon, 15 Jul 2024 08:00:30 +0700'],
    ['Mon, 31 Feb 2024 08:00:30 GMT'],
    ['Mon, 15 Jul 2024 24:00:00 GMT'],
    ['Mon, 15 Jul 2024 08:61:00 GMT'],
    ['Mon, 15 Jly 2024 08:00:30 GMT'],
  ])('%j is unreadable: undefined, so the caller uses its own backoff', (value) => {
    expect(parseRetryAfterMs(value, NOW)).toBeUndefined();
  });
});

describe('parseRetryAfterMs: huge values', () => {
  it('reads a wait longer than a day as one day, never Infinity or a timer overflow', () => {
    expect(RETRY_AFTER_CEILING_MS).toBe(86_400_000);
    expect(parseRetryAfterMs('86400', NOW)).toBe(86_400_000);
    expect(parseRetryAfterMs('86401', NOW)).toBe(86_400_000);
    expect(parseRetryAfterMs('99999999999999999999', NOW)).toBe(86_400_000);
    expect(parseRetryAfterMs('9'.repeat(400), NOW)).toBe(86_400_000);
    expect(parseRetryAfterMs('Fri, 31 Dec 9999 23:59:59 GMT', NOW)).toBe(86_400_000);
  });
});
