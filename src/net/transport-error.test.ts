import { describe, expect, it } from 'vitest';
import { GatewayError, UpstreamNetworkError } from '../errors.ts';
import { SourceTimeoutError } from '../sdk/http.ts';
import { transportError, UpstreamTimeoutError } from './transport-error.ts';

const socket = (code: string, message = 'socket') => new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });

describe('transportError', () => {
  it.each([
    ['an AbortSignal timeout', new DOMException('The operation was aborted due to timeout', 'TimeoutError')],
    ['undici headers timeout', socket('UND_ERR_HEADERS_TIMEOUT')],
    ['undici body timeout', socket('UND_ERR_BODY_TIMEOUT')],
    ['undici connect timeout', socket('UND_ERR_CONNECT_TIMEOUT')],
    ['a socket ETIMEDOUT', socket('ETIMEDOUT')],
  ])('reads %s as a retryable upstream_timeout naming the call and the limit', (_, err) => {
    const e = transportError(err, 'dvcqg DongBoHoSoMC', 1500);
    expect(e).toBeInstanceOf(UpstreamTimeoutError);
    expect(e).toMatchObject({ code: 'upstream_timeout', retryable: true, message: 'dvcqg DongBoHoSoMC: no answer within 1500 ms' });
    expect(e.cause).toBe(err);
  });

  it('reads an abort by the caller as aborted, not retried', () => {
    const e = transportError(new DOMException('This operation was aborted', 'AbortError'), 'opencps GET h/dossiers', 100);
    expect(e).toMatchObject({ code: 'aborted', retryable: false, message: 'opencps GET h/dossiers: aborted' });
  });

  it('reads a reset or a refused connection as a retryable network error naming the socket code', () => {
    const e = transportError(socket('ECONNREFUSED'), 'opencps GET h/dossiers', 100);
    expect(e).toBeInstanceOf(UpstreamNetworkError);
    expect(e).toMatchObject({ retryable: true, message: 'opencps GET h/dossiers: connection failed (ECONNREFUSED)' });
    expect(transportError(new Error('boom'), 'x', 1).message).toBe('x: connection failed (boom)');
    expect(transportError('boom', 'x', 1).message).toBe('x: connection failed (boom)');
  });

  it('passes a GatewayError through untouched', () => {
    const own = new GatewayError('upstream_schema', 'too large');
    expect(transportError(own, 'x', 1)).toBe(own);
  });

  it('makes a source its own timeout class, still an UpstreamTimeoutError', () => {
    const e = transportError(socket('UND_ERR_HEADERS_TIMEOUT'), 'src GET h/x', 30_000, (m, o) => new SourceTimeoutError(m, o));
    expect(e).toBeInstanceOf(SourceTimeoutError);
    expect(e).toBeInstanceOf(UpstreamTimeoutError);
    expect(e.name).toBe('SourceTimeoutError');
    expect(e.code).toBe('upstream_timeout');
  });
});
