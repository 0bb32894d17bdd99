import { describe, expect, it } from 'vitest';
import { LocalWindow, RateLimiter, WINDOW_GUARD_MS, windowSize } from './rate-limit.ts';

/** A hand-driven clock: sleeping advances it. */
function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    sleep: (ms: number) => {
      t += ms;
      return Promise.resolve();
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** The most grants in any window of `ms` (sorted times). */
function maxIn(times: number[], ms = 1000): number {
  let best = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('RateLimiter', () => {
  it('never lets more than ratePerSecond calls through in any second, even with the bucket full and callers queued', async () => {
    for (const rate of [40, 10, 7.5, 100]) {
      const c = clock();
      const limiter = new RateLimiter(rate, { now: c.now, sleep: c.sleep });
      const grants: number[] = [];
      // 5 seconds' worth of callers, all at once.
      await Promise.all(Array.from({ length: Math.ceil(rate * 5) }, () => limiter.take().then(() => grants.push(c.now()))));
      expect(maxIn(grants), `rate ${rate}`).toBeLessThanOrEqual(Math.floor(rate));
      // …and with the jitter guard: within the budget over any window of one second plus the guard.
      expect(maxIn(grants, 1000 + WINDOW_GUARD_MS)).toBeLessThanOrEqual(Math.floor(rate));
      // Close to the budget: what fits, `floor(rate)` calls a second less the guard's share, at 98 % or more.
      const fits = (Math.floor(rate) * 1000) / (1000 + WINDOW_GUARD_MS);
      expect((grants.length - 1) / ((grants.at(-1)! - grants[0]!) / 1000)).toBeGreaterThanOrEqual(fits * 0.98);
    }
  });

  it('a quiet spell does not become a burst over the budget (the bucket alone would let rate + burst through)', async () => {
    const c = clock();
    const limiter = new RateLimiter(40, { burst: 20, now: c.now, sleep: c.sleep });
    const grants: number[] = [];
    for (let i = 0; i < 40; i++) {
      await limiter.take();
      grants.push(c.now());
    }
    c.advance(5000);
    for (let i = 0; i < 80; i++) {
      await limiter.take();
      grants.push(c.now());
    }
    expect(maxIn(grants)).toBeLessThanOrEqual(40);
  });

  it('serves callers in order, and metered views share the budget and the queue, each told its wait', async () => {
    const c = clock();
    const limiter = new RateLimiter(10, { burst: 1, now: c.now, sleep: c.sleep });
    const waits: number[][] = [[], []];
    const a = limiter.metered((ms) => waits[0]!.push(ms));
    const b = limiter.metered((ms) => waits[1]!.push(ms));
    const order: string[] = [];
    await Promise.all([a.take().then(() => order.push('a1')), b.take().then(() => order.push('b1')), a.take().then(() => order.push('a2')), limiter.take().then(() => order.push('x'))]);
    expect(order).toEqual(['a1', 'b1', 'a2', 'x']);
    expect(waits[0]![0]).toBe(0);
    // b waited for a1's slot to be paced out, a2 for b1's as well.
    expect(waits[1]![0]).toBeGreaterThan(0);
    expect(waits[0]![1]).toBeGreaterThan(waits[1]![0]!);
    expect(limiter.ratePerSecond).toBe(10);
  });

  it('takes its sliding window from the given gate (the shared one on PostgreSQL)', async () => {
    const c = clock();
    let asked = 0;
    const refusals = [250, 0];
    const limiter = new RateLimiter(1000, { now: c.now, sleep: c.sleep, window: { tryTake: () => (asked++, refusals.shift() ?? 0) } });
    const t0 = c.now();
    await limiter.take();
    expect(asked).toBe(2);
    expect(c.now() - t0).toBe(250);
  });
});

describe('LocalWindow', () => {
  it('lets `size` calls through per window and says how long until the oldest leaves it', () => {
    const c = clock();
    const w = new LocalWindow(3, 1000, c.now);
    expect([w.tryTake(), w.tryTake(), w.tryTake()]).toEqual([0, 0, 0]);
    expect(w.tryTake()).toBe(1000);
    c.advance(999);
    expect(w.tryTake()).toBe(1);
    c.advance(1);
    // The three calls of the first window leave it together.
    expect([w.tryTake(), w.tryTake(), w.tryTake()]).toEqual([0, 0, 0]);
    expect(w.tryTake()).toBe(1000);
  });

  it('windowSize: floor of the rate, at least one', () => {
    expect([windowSize(40), windowSize(7.5), windowSize(0.5)]).toEqual([40, 7, 1]);
  });
});
