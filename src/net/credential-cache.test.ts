import { describe, expect, it } from 'vitest';
import { createCredentialCache, type Held } from './credential-cache.ts';

/** A fetcher whose answers the test releases one by one, counting calls. */
function gate() {
  const waiting: { resolve: (h: Held<string>) => void; reject: (e: Error) => void }[] = [];
  let calls = 0;
  const fetch = () =>
    new Promise<Held<string>>((resolve, reject) => {
      calls++;
      waiting.push({ resolve, reject });
    });
  return {
    fetch,
    get calls() {
      return calls;
    },
    answer: (value: string, until: number) => waiting.shift()!.resolve({ value, until }),
    fail: (message: string) => waiting.shift()!.reject(new Error(message)),
  };
}

describe('createCredentialCache', () => {
  it('fetches once for concurrent callers and reuses the value until its instant', async () => {
    let clock = 1000;
    const g = gate();
    const cache = createCredentialCache(g.fetch, () => clock);
    const both = Promise.all([cache.get(), cache.get()]);
    g.answer('t1', 2000);
    expect(await both).toEqual(['t1', 't1']);
    expect(g.calls).toBe(1);
    clock = 1999;
    expect(await cache.get()).toBe('t1');
    expect(g.calls).toBe(1);
    clock = 2000;
    const next = cache.get();
    expect(g.calls).toBe(2);
    g.answer('t2', 3000);
    expect(await next).toBe('t2');
    expect(cache.fetched).toBe(2);
  });

  it('keeps a value with no expiry (Infinity) until it is dropped', async () => {
    const g = gate();
    const cache = createCredentialCache(g.fetch, () => Number.MAX_SAFE_INTEGER);
    const first = cache.get();
    g.answer('s1', Infinity);
    expect(await first).toBe('s1');
    expect(await cache.get()).toBe('s1');
    cache.drop();
    const second = cache.get();
    g.answer('s2', Infinity);
    expect(await second).toBe('s2');
    expect(g.calls).toBe(2);
  });

  it('drops the held value only when it is the one the caller used', async () => {
    const g = gate();
    const cache = createCredentialCache(g.fetch, () => 0);
    const a = cache.get();
    g.answer('new', 10);
    await a;
    cache.drop('old');
    expect(await cache.get()).toBe('new');
    expect(g.calls).toBe(1);
    cache.drop('new');
    const b = cache.get();
    expect(g.calls).toBe(2);
    g.answer('newer', 10);
    expect(await b).toBe('newer');
  });

  it('keeps no failed fetch: every waiting caller gets the error, the next call fetches again', async () => {
    const g = gate();
    const cache = createCredentialCache(g.fetch, () => 0);
    const both = Promise.allSettled([cache.get(), cache.get()]);
    g.fail('token endpoint answered HTTP 503');
    const settled = await both;
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(g.calls).toBe(1);
    const again = cache.get();
    expect(g.calls).toBe(2);
    g.answer('t', 10);
    expect(await again).toBe('t');
    expect(cache.fetched).toBe(1);
  });

  it('keeps the value a fetch in flight brings even when the old one was dropped meanwhile', async () => {
    let clock = 0;
    const g = gate();
    const cache = createCredentialCache(g.fetch, () => clock);
    const a = cache.get();
    g.answer('t1', 10);
    await a;
    clock = 10;
    const b = cache.get();
    cache.drop('t1');
    g.answer('t2', 20);
    expect(await b).toBe('t2');
    expect(await cache.get()).toBe('t2');
    expect(g.calls).toBe(2);
  });
});
