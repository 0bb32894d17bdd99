/** OAuth2 client credentials: the form POST, the cache until shortly before expiry, 401 refresh, bounds and redaction. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../../test/support/http-server.ts';
import { createTokenCache, parseTokenAnswer, refreshMarginMs, tokenRequestBody } from './oauth2.ts';

const SECRET = 'Cl1ent-S3cret&=+';
let server: LocalServer;
let base = '';
const seen: { body: string; type: string | undefined }[] = [];
let answer: (n: number) => { status: number; body: string } = (n) => ({ status: 200, body: JSON.stringify({ access_token: `tok-${n}`, token_type: 'bearer', expires_in: 3600 }) });

beforeAll(async () => {
  server = await startLocalServer((req, body, res) => {
    seen.push({ body, type: req.headers['content-type'] });
    const a = answer(seen.length);
    res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body);
  });
  base = server.base;
});
afterAll(() => server.close());

describe('oauth2 client credentials', () => {
  it('posts a form-encoded client_credentials grant, with the scope when given', () => {
    const body = new URLSearchParams(tokenRequestBody({ tokenUrl: 'http://x/t', clientId: 'lt', clientSecret: SECRET, scope: 'dvc.read' }));
    expect([...body.entries()]).toEqual([['grant_type', 'client_credentials'], ['client_id', 'lt'], ['client_secret', SECRET], ['scope', 'dvc.read']]);
    expect(tokenRequestBody({ tokenUrl: 'http://x/t', clientId: 'lt', clientSecret: 's' })).toBe('grant_type=client_credentials&client_id=lt&client_secret=s');
  });

  it('keeps the token until 30 s (or 10 % of a short life) before expires_in', () => {
    expect(refreshMarginMs(3600)).toBe(30_000);
    expect(refreshMarginMs(60)).toBe(6_000);
    expect(parseTokenAnswer('{"access_token":"a","expires_in":3600}', 1_000_000).refreshAt).toBe(1_000_000 + 3_570_000);
    expect(parseTokenAnswer('{"access_token":"a","expires_in":"120"}', 0)).toEqual({ accessToken: 'a', tokenType: 'Bearer', refreshAt: 108_000 });
  });

  it('fetches once, serves from the cache, and fetches again after expiry or invalidate', async () => {
    seen.length = 0;
    let clock = 0;
    const cache = createTokenCache({ tokenUrl: `${base}/oauth/token`, clientId: 'lienthong', clientSecret: SECRET }, { name: 'test', now: () => clock });
    try {
      const [a, b] = await Promise.all([cache.authorization(), cache.authorization()]);
      expect(a).toBe('Bearer tok-1');
      expect(b).toBe('Bearer tok-1');
      expect(seen).toHaveLength(1);
      expect(seen[0]?.type).toBe('application/x-www-form-urlencoded');
      expect(new URLSearchParams(seen[0]?.body).get('client_secret')).toBe(SECRET);
      clock = 3_569_000;
      expect(await cache.authorization()).toBe('Bearer tok-1');
      clock = 3_570_000;
      expect(await cache.authorization()).toBe('Bearer tok-2');
      cache.invalidate();
      expect(await cache.authorization()).toBe('Bearer tok-3');
      expect(cache.fetched).toBe(3);
    } finally {
      await cache.close();
    }
  });

  it('a refused or empty answer never shows the secret or the body', async () => {
    seen.length = 0;
    answer = () => ({ status: 400, body: JSON.stringify({ error: 'invalid_client', echo: SECRET }) });
    const cache = createTokenCache({ tokenUrl: `${base}/oauth/token`, clientId: 'lienthong', clientSecret: SECRET }, { name: 'test', retry: { maxAttempts: 1, minDelayMs: 0, maxDelayMs: 0 } });
    try {
      const e1 = (await cache.token().catch((e: unknown) => e)) as Error;
      expect(e1.message).toMatch(/HTTP 400/);
      expect(e1.message).not.toContain(SECRET);
      answer = () => ({ status: 200, body: JSON.stringify({ token_type: 'bearer', note: SECRET }) });
      const e2 = (await cache.token().catch((e: unknown) => e)) as Error;
      expect(e2.message).toMatch(/no access_token/);
      expect(e2.message).not.toContain(SECRET);
    } finally {
      await cache.close();
    }
  });

  it('refuses a token answer larger than 64 KiB', async () => {
    answer = () => ({ status: 200, body: JSON.stringify({ access_token: 'x'.repeat(70_000) }) });
    const cache = createTokenCache({ tokenUrl: `${base}/oauth/token`, clientId: 'lienthong', clientSecret: SECRET }, { name: 'test' });
    try {
      await expect(cache.token()).rejects.toThrow(/larger than 65536 bytes/);
    } finally {
      await cache.close();
      answer = (n) => ({ status: 200, body: JSON.stringify({ access_token: `tok-${n}`, token_type: 'bearer', expires_in: 3600 }) });
    }
  });
});
