import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, UpstreamNetworkError, UpstreamSchemaError, type GatewayError } from '../errors.ts';
import { createHttpClient, httpStatusError, joinUrl, parseRetryAfterMs, redact } from './http.ts';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('httpStatusError', () => {
  it.each([
    [401, ConfigError, false],
    [403, ConfigError, false],
    [404, undefined, false],
    [408, undefined, true],
    [429, undefined, true],
    [500, undefined, true],
    [503, undefined, true],
  ] as const)('classifies HTTP %i', (status, kind, retryable) => {
    const e = httpStatusError(status, null, 'src GET /x', 'body');
    if (kind) expect(e).toBeInstanceOf(kind);
    expect(e.retryable).toBe(retryable);
    expect(e.status).toBe(status);
  });

  it('masks citizen ID numbers a peer echoes in an error body', () => {
    expect(httpStatusError(400, null, 'src POST /x', 'CCCD 079123456789 không hợp lệ').message).toBe('src POST /x answered HTTP 400: CCCD *********789 không hợp lệ');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(httpStatusError(429, '2', 'x', '').retryAfterMs).toBe(2000);
    expect(parseRetryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfterMs('soon')).toBeUndefined();
  });
});

describe('createHttpClient', () => {
  it('keeps the base path when joining, and redacts secrets and their Base64 and URL forms', () => {
    expect(joinUrl('https://h.vn/o/rest/v2', 'dossiers', { start: 0, end: undefined })).toBe('https://h.vn/o/rest/v2/dossiers?start=0');
    expect(redact(`a p@ss/w0rd ${Buffer.from('p@ss/w0rd').toString('base64')} ${encodeURIComponent('p@ss/w0rd')}`, ['p@ss/w0rd'])).toBe('a *** *** ***');
  });

  it('retries 503 then succeeds, and never retries a 404', async () => {
    let calls = 0;
    server.use(http.get('http://src.test/a', () => (++calls < 2 ? new HttpResponse('busy', { status: 503 }) : HttpResponse.json({ ok: 1 }))));
    server.use(http.get('http://src.test/b', () => new HttpResponse('no', { status: 404 })));
    const client = createHttpClient({ baseUrl: 'http://src.test', name: 't', retry: { maxAttempts: 3, minDelayMs: 1, maxDelayMs: 5 } });
    expect((await client.sendJson({ url: 'a' })).json).toEqual({ ok: 1 });
    expect(calls).toBe(2);
    await expect(client.send({ url: 'b' })).rejects.toMatchObject({ status: 404, retryable: false });
    await client.close();
  });

  it('refuses a 2xx body that is not JSON at once: an UpstreamSchemaError, not retried', async () => {
    let calls = 0;
    server.use(http.get('http://src.test/d', () => (calls++, new HttpResponse('<html>Bảo trì</html>', { status: 200 }))));
    const client = createHttpClient({ baseUrl: 'http://src.test', name: 't', retry: { maxAttempts: 3, minDelayMs: 1, maxDelayMs: 2 } });
    const err = (await client.sendJson({ url: 'd' }).catch((e: unknown) => e)) as GatewayError;
    expect(err).toBeInstanceOf(UpstreamSchemaError);
    expect(err).toMatchObject({ code: 'upstream_schema', retryable: false });
    expect(err.message).toContain('t /d: the answer is not JSON');
    expect(calls).toBe(1);
    await client.close();
  });

  it('turns a dropped connection into a retryable network error without the secret in the URL', async () => {
    server.use(http.get('http://src.test/c', () => HttpResponse.error()));
    const client = createHttpClient({ baseUrl: 'http://src.test', name: 't', secrets: ['k3y-value'], retry: { maxAttempts: 2, minDelayMs: 1, maxDelayMs: 2 } });
    const err = (await client.send({ url: 'c', query: { key: 'k3y-value' } }).catch((e: unknown) => e)) as GatewayError;
    expect(err).toBeInstanceOf(UpstreamNetworkError);
    expect(err.message).not.toContain('k3y-value');
    await client.close();
  });
});
