import { describe, expect, it } from 'vitest';
import { GatewayError, UpstreamRejectedError } from '../errors.ts';
import { AdaptiveConcurrency, isPushBack, meteredClient, runPool, type SenderHandle, type SenderMeter } from './concurrency.ts';
import type { DeliveryClient } from './deliver.ts';

const busy = (status: number) => new GatewayError(`http_${status}`, `HTTP ${status}`, { retryable: true, status });

/** Feeds `n` steady cycles and calls of `ms` each, one every `every` ms from `t`; returns the time after. */
function steady(c: AdaptiveConcurrency, n: number, ms: number, t = 0, every = 10): number {
  for (let i = 0; i < n; i++) {
    c.observeCycle(ms);
    c.observeCall(t, ms, false);
    t += every;
  }
  return t;
}

describe('AdaptiveConcurrency', () => {
  it('starts at `concurrency` and, once it has seen the cycle, keeps rate × cycle senders plus the margin', () => {
    const c = new AdaptiveConcurrency({ ratePerSecond: 40, min: 4, max: 64 });
    expect(c.limit()).toBe(4);
    expect(c.need()).toBeNull();
    steady(c, 20, 150);
    // 40/s × 0.150 s = 6 calls in flight; × 1.25 = 7.5 → 8, plus one.
    expect(c.need()).toBe(9);
    expect(c.limit()).toBe(9);
  });

  it('never goes under `concurrency` nor over `maxConcurrency` (and never over 64)', () => {
    const small = new AdaptiveConcurrency({ ratePerSecond: 10, min: 4, max: 64 });
    steady(small, 20, 20); // 10/s × 20 ms needs one sender
    expect(small.limit()).toBe(4);
    const capped = new AdaptiveConcurrency({ ratePerSecond: 1000, min: 2, max: 8 });
    steady(capped, 20, 150);
    expect(capped.need()).toBeGreaterThan(8);
    expect(capped.limit()).toBe(8);
    const huge = new AdaptiveConcurrency({ ratePerSecond: 10_000, min: 1, max: 500 });
    steady(huge, 20, 150);
    expect(huge.max).toBe(64);
    expect(huge.limit()).toBe(64);
    // A fixed pool: maxConcurrency = concurrency.
    const fixed = new AdaptiveConcurrency({ ratePerSecond: 40, min: 4, max: 4 });
    steady(fixed, 20, 150);
    expect(fixed.limit()).toBe(4);
  });

  it('a 429 or a busy 503 halves the senders once per latency period, however many calls in flight saw it', () => {
    const c = new AdaptiveConcurrency({ ratePerSecond: 100, min: 1, max: 64 });
    const t = steady(c, 20, 150);
    const before = c.limit();
    expect(before).toBe(Math.ceil(100 * 0.15 * 1.25) + 1);
    for (let i = 0; i < 10; i++) c.observeCall(t + i, 0, true);
    expect(c.limit()).toBe(Math.floor(before / 2));
    expect(c.snapshot().cuts).toBe(1);
    // A latency period later the portal still pushes back: halved again.
    c.observeCall(t + 200, 0, true);
    expect(c.limit()).toBe(Math.floor(Math.floor(before / 2) / 2));
    expect(c.snapshot().cuts).toBe(2);
  });

  it('after a cut, good answers raise the ceiling by about one sender per round of calls, back to what the budget needs', () => {
    const c = new AdaptiveConcurrency({ ratePerSecond: 100, min: 1, max: 64 });
    let t = steady(c, 20, 150);
    const need = c.limit();
    c.observeCall(t, 0, true);
    const cut = c.limit();
    expect(cut).toBeLessThan(need);
    // One round of `cut` good calls: one more sender.
    t = steady(c, cut, 150, t + 1000);
    expect(c.limit()).toBe(cut + 1);
    steady(c, 500, 150, t);
    expect(c.limit()).toBe(need);
  });

  it('a latency risen well above the lowest seen cuts the senders; a slightly slower portal does not', () => {
    const c = new AdaptiveConcurrency({ ratePerSecond: 100, min: 1, max: 64 });
    let t = steady(c, 20, 100);
    const before = c.limit();
    // 130 ms: slower, not struggling (under twice the lowest).
    t = steady(c, 20, 130, t);
    expect(c.snapshot().cuts).toBe(0);
    expect(c.limit()).toBeGreaterThanOrEqual(before);
    // 600 ms: the portal is struggling.
    for (let i = 0; i < 20; i++, t += 10) c.observeCall(t, 600, false);
    expect(c.snapshot().cuts).toBeGreaterThan(0);
    expect(c.snapshot().ceiling).toBeLessThan(before);
  });

  it('ignores nonsense samples (negative, NaN, infinite)', () => {
    const c = new AdaptiveConcurrency({ ratePerSecond: 40, min: 4, max: 64 });
    for (const v of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      c.observeCycle(v);
      c.observeCall(0, v, false);
    }
    expect(c.snapshot()).toMatchObject({ limit: 4, need: null, cycleMs: null, latencyMs: null, cuts: 0 });
  });

  it('isPushBack: 429 and 503 are the portal pushing back; a refusal, a 500 or a network error are not', () => {
    expect(isPushBack(busy(429))).toBe(true);
    expect(isPushBack(busy(503))).toBe(true);
    expect(isPushBack(busy(500))).toBe(false);
    expect(isPushBack(new UpstreamRejectedError('-3', 'MaHoSo sai'))).toBe(false);
    expect(isPushBack(new Error('ECONNRESET'))).toBe(false);
  });
});

describe('meteredClient', () => {
  it('counts calls and failures, tells latency and push-back to the controller', async () => {
    let t = 0;
    const now = () => t;
    const c = new AdaptiveConcurrency({ ratePerSecond: 100, min: 1, max: 64 });
    steady(c, 20, 100);
    const before = c.limit();
    const inner: DeliveryClient = {
      pushDossier: () => {
        t += 100;
        return Promise.resolve({ outcome: 'ok' });
      },
      pushProgress: () => {
        t += 5;
        return Promise.reject(busy(429));
      },
      lookup: () => {
        t += 100;
        return Promise.resolve({ found: true });
      },
    };
    const meter: SenderMeter = { calls: 0, failures: 0, waitedMs: 0 };
    const client = meteredClient(inner, c, meter, now);
    await client.pushDossier({} as never, false);
    expect(await client.lookup('X')).toEqual({ found: true });
    expect(meter).toEqual({ calls: 2, failures: 0, waitedMs: 0 });
    expect(await client.pushProgress([]).catch((e: unknown) => e)).toBeInstanceOf(GatewayError);
    expect(meter).toMatchObject({ calls: 3, failures: 1 });
    expect(c.limit()).toBe(Math.floor(before / 2));
  });
});

describe('runPool', () => {
  /** A controller whose limit the test sets. */
  function settable(initial: number) {
    let limit = initial;
    return { control: { limit: () => limit } as AdaptiveConcurrency, set: (n: number) => (limit = n) };
  }

  it('starts `limit` senders, more as it rises; one leaves at its next claim when it falls; ends when all returned', async () => {
    const { control, set } = settable(2);
    let started = 0;
    let peak = 0;
    let running = 0;
    const gates: Array<() => void> = [];
    const step = () => new Promise<void>((r) => gates.push(r));
    const pool = runPool(control, async (p: SenderHandle) => {
      started++;
      running++;
      peak = Math.max(peak, running);
      try {
        while (p.keepGoing()) {
          await step();
          p.topUp();
        }
      } finally {
        running--;
      }
    });
    expect(started).toBe(2);
    set(5);
    gates.shift()!();
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toBe(5);
    set(1);
    // Every sender takes one more step: all but one leave.
    const release = async () => {
      for (const g of gates.splice(0)) g();
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    await release();
    expect(running).toBe(1);
    expect(peak).toBe(5);
    set(0);
    await release();
    await pool;
    expect(running).toBe(0);
  });

  it('a sender that returns by itself (nothing due) stops the growing', async () => {
    const { control, set } = settable(1);
    let started = 0;
    await runPool(control, async (p) => {
      started++;
      set(10);
      p.topUp(); // the limit rose: 9 more
      await Promise.resolve();
      // Nothing due for anyone: each returns; none is started after.
    });
    expect(started).toBe(10);
  });

  it('rejects with the first sender error; the others are told to stop', async () => {
    const { control } = settable(3);
    const told: boolean[] = [];
    let n = 0;
    const result = runPool(control, async (p) => {
      const me = n++;
      if (me === 0) throw new Error('ledger down');
      await new Promise((r) => setImmediate(r));
      told.push(p.keepGoing());
    });
    await expect(result).rejects.toThrow('ledger down');
    await new Promise((r) => setImmediate(r));
    expect(told).toEqual([false, false]);
  });
});
