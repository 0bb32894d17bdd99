import { describe, expect, it } from 'vitest';
import { AbortError } from 'p-retry';
import { GatewayError, UpstreamRejectedError } from '../errors.ts';
import { CircuitBreaker, CircuitOpenError, breakerFor, withBreaker } from './breaker.ts';
import type { DeliveryClient } from './deliver.ts';

/** A hand-driven clock; sleeping advances it. */
function clock(start = 1_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

const down = () => new GatewayError('http_503', 'HTTP 503', { retryable: true, status: 503 });

async function fail(b: CircuitBreaker, error: unknown = down()): Promise<unknown> {
  return b.call(() => Promise.reject(error)).catch((e: unknown) => e);
}
const ok = (b: CircuitBreaker) => b.call(() => Promise.resolve('ok'));

describe('CircuitBreaker', () => {
  it('opens after the configured number of consecutive retryable failures, not before', async () => {
    const c = clock();
    const b = new CircuitBreaker('national', { failures: 3, coolDownSeconds: 30, now: c.now });
    await fail(b);
    await fail(b);
    expect(b.state()).toBe('closed');
    await fail(b);
    expect(b.state()).toBe('open');
    expect(b.snapshot()).toEqual({ state: 'open', opens: 1, lastOpenedAt: new Date(1_000_000).toISOString() });
  });

  it('a success or an answer refusing the record resets the count of consecutive failures', async () => {
    const c = clock();
    const b = new CircuitBreaker('national', { failures: 3, now: c.now });
    await fail(b);
    await fail(b);
    await ok(b);
    await fail(b);
    await fail(b);
    await fail(b, new UpstreamRejectedError('-3', 'MaHoSo sai'));
    await fail(b);
    await fail(b);
    expect(b.state()).toBe('closed');
  });

  it('refuses calls while open without calling, as a p-retry AbortError around a retryable CircuitOpenError', async () => {
    const c = clock();
    const b = new CircuitBreaker('national', { failures: 1, coolDownSeconds: 30, now: c.now });
    await fail(b);
    let called = 0;
    const e = await b
      .call(() => {
        called++;
        return Promise.resolve(1);
      })
      .catch((x: unknown) => x);
    expect(called).toBe(0);
    expect(e).toBeInstanceOf(AbortError);
    const original = (e as AbortError).originalError;
    expect(original).toBeInstanceOf(CircuitOpenError);
    expect((original as GatewayError).retryable).toBe(true);
    expect((original as Error).message).toContain('national');
  });

  it('half-open after the cool-down: one probe call at a time; success closes it', async () => {
    const c = clock();
    const b = new CircuitBreaker('national', { failures: 1, coolDownSeconds: 30, now: c.now });
    await fail(b);
    c.advance(29_999);
    expect(b.state()).toBe('open');
    expect(b.retryInMs()).toBe(1);
    c.advance(1);
    expect(b.state()).toBe('half-open');
    let release!: () => void;
    const probe = b.call(() => new Promise<string>((r) => (release = () => r('ok'))));
    // A second call while the probe is out is refused.
    expect(await b.call(() => Promise.resolve('second')).catch((e: unknown) => e)).toBeInstanceOf(AbortError);
    release();
    await probe;
    expect(b.state()).toBe('closed');
    expect(await ok(b)).toBe('ok');
  });

  it('a failed probe re-opens it with the cool-down doubled, capped at 5 minutes; closing resets it', async () => {
    const c = clock();
    const b = new CircuitBreaker('national', { failures: 1, coolDownSeconds: 100, now: c.now });
    await fail(b);
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      waits.push(b.retryInMs());
      c.advance(b.retryInMs());
      await fail(b);
    }
    expect(waits).toEqual([100_000, 200_000, 300_000, 300_000]);
    expect(b.snapshot().opens).toBe(5);
    c.advance(b.retryInMs());
    await ok(b);
    await fail(b);
    expect(b.retryInMs()).toBe(100_000);
  });

  it('admit: waits out the cool-down, gives one probe permit, and says null when the deadline comes first', async () => {
    const c = clock();
    const b = new CircuitBreaker('national', { failures: 1, coolDownSeconds: 30, now: c.now, sleep: c.sleep });
    const never = new AbortController().signal;
    const first = await b.admit(never, c.now() + 60_000);
    expect(first?.probe).toBe(false);
    await fail(b);
    expect(first?.usable()).toBe(false);
    expect(first?.signal.aborted).toBe(true);
    expect(await b.admit(never, c.now() + 10_000)).toBeNull();
    const t0 = c.now();
    const probe = await b.admit(never, c.now() + 60_000);
    expect(c.now() - t0).toBeGreaterThanOrEqual(30_000);
    expect(probe?.probe).toBe(true);
    expect(probe?.signal.aborted).toBe(false);
    // While the probe is out, another sender waits (here: until its deadline).
    expect(await b.admit(never, c.now() + 500)).toBeNull();
    // A probe that made no call hands the probe on.
    probe!.release();
    const next = await b.admit(never, c.now() + 500);
    expect(next?.probe).toBe(true);
    await b.call(() => Promise.resolve('up'));
    next!.release();
    expect((await b.admit(never, c.now() + 500))?.probe).toBe(false);
  });

  it('a hanging call from before the cool-down neither blocks nor judges the probe', async () => {
    const c = clock();
    const b = new CircuitBreaker('national', { failures: 2, coolDownSeconds: 1, now: c.now });
    let hang!: (e: unknown) => void;
    const stale = b.call(() => new Promise((_, rej) => (hang = rej))).catch(() => undefined);
    await fail(b);
    await fail(b);
    c.advance(1000);
    const probe = b.call(() => Promise.resolve('ok'));
    hang(down());
    await stale;
    await probe;
    expect(b.state()).toBe('closed');
  });

  it('withBreaker: the wrapped client calls through the breaker; breakerFor is null without targets[].breaker', async () => {
    expect(breakerFor({ id: 'national' })).toBeNull();
    const b = breakerFor({ id: 'national', breaker: { failures: 2, coolDownSeconds: 30 } })!;
    let calls = 0;
    const inner: DeliveryClient = {
      pushDossier: () => {
        calls++;
        return Promise.reject(down());
      },
      pushProgress: () => Promise.resolve({ outcome: 'ok' }),
      lookup: () => Promise.resolve({ found: false }),
    };
    const client = withBreaker(inner, b);
    for (let i = 0; i < 5; i++) await client.pushDossier({} as never, false).catch(() => undefined);
    expect(calls).toBe(2);
    expect(b.state()).toBe('open');
    expect(await client.pushProgress([]).catch((e: unknown) => e)).toBeInstanceOf(AbortError);
  });
});

describe('breakerFor', () => {
  it('keeps one breaker per target across drains of the process (state and counts), a new one when the settings change', async () => {
    const a = breakerFor({ id: 'kept', breaker: { failures: 1, coolDownSeconds: 60 } })!;
    await fail(a);
    expect(a.state()).toBe('open');
    const again = breakerFor({ id: 'kept', breaker: { failures: 1, coolDownSeconds: 60 } })!;
    expect(again.state()).toBe('open');
    expect(again.snapshot().opens).toBe(1);
    const changed = breakerFor({ id: 'kept', breaker: { failures: 2, coolDownSeconds: 60 } })!;
    expect(changed.state()).toBe('closed');
  });
});
