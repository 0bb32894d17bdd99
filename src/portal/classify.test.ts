import { describe, expect, it } from 'vitest';
import { SessionExpiredError, UpstreamHttpError, UpstreamNetworkError } from '../errors.ts';
import { httpStatusError, isExistsMessage, isSessionProblem, parseRetryAfter, transportError, UpstreamTimeoutError } from './classify.ts';

describe('parseRetryAfter', () => {
  const now = Date.parse('2024-07-15T08:00:00Z');
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['1.5', 1500],
    [' 3 ', 3000],
    ['Mon, 15 Jul 2024 08:00:30 GMT', 30_000],
    ['Mon, 15 Jul 2024 07:00:00 GMT', 0],
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('reads %j as %j ms', (value, ms) => {
    expect(parseRetryAfter(value, now)).toBe(ms);
  });
});

describe('httpStatusError', () => {
  it.each([
    [500, true],
    [502, true],
    [503, true],
    [504, true],
    [408, true],
    [400, false],
    [404, false],
    [413, false],
  ])('HTTP %i is retryable: %s', (status, retryable) => {
    const e = httpStatusError(status, null, '', false);
    expect(e).toBeInstanceOf(UpstreamHttpError);
    expect(e.retryable).toBe(retryable);
    expect(e.status).toBe(status);
  });

  it('makes 429 retryable with the delay the portal asked for', () => {
    const e = httpStatusError(429, '5', '', false);
    expect(e.retryable).toBe(true);
    expect(e.retryAfterMs).toBe(5000);
    expect(httpStatusError(429, null, '', false).retryAfterMs).toBeUndefined();
  });

  it('treats 401 and 403 as a refused session only in session style', () => {
    expect(httpStatusError(401, null, '', true)).toBeInstanceOf(SessionExpiredError);
    expect(httpStatusError(403, null, '', true)).toBeInstanceOf(SessionExpiredError);
    const bare = httpStatusError(401, null, '', false);
    expect(bare).toBeInstanceOf(UpstreamHttpError);
    expect(bare.retryable).toBe(false);
  });
});

describe('portal wording', () => {
  it.each([
    ['Phiên làm việc không hợp lệ hoặc đã hết hạn', true],
    ['PHIÊN LÀM VIỆC ĐÃ HẾT HẠN', true],
    ['Phien lam viec khong hop le', true],
    ['Phiên đăng nhập hết hạn, vui lòng đăng nhập lại', true],
    ['Session expired', true],
    ['Invalid session token', true],
    ['Sai phiên bản dữ liệu', false],
    ['Hồ sơ không hợp lệ', false],
    ['', false],
  ])('%j is about the session: %s', (message, expected) => {
    expect(isSessionProblem(message)).toBe(expected);
  });

  it.each([
    ['Hồ sơ 000.20.38.H56-240402-0007 đã tồn tại', true],
    ['HỒ SƠ ĐÃ TỒN TẠI', true],
    ['Hồ sơ đã tồn tại'.normalize('NFD'), true],
    ['Hồ sơ chưa tồn tại', false],
    ['da ton tai', false],
  ])('%j says "already exists": %s', (message, expected) => {
    expect(isExistsMessage(message)).toBe(expected);
  });
});

describe('transportError', () => {
  it('maps an AbortSignal timeout and undici timeouts to upstream_timeout', () => {
    const abort = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(transportError(abort, 'x', 100)).toBeInstanceOf(UpstreamTimeoutError);
    const headers = new TypeError('fetch failed', { cause: Object.assign(new Error('Headers Timeout Error'), { code: 'UND_ERR_HEADERS_TIMEOUT' }) });
    const e = transportError(headers, 'x', 100);
    expect(e.code).toBe('upstream_timeout');
    expect(e.retryable).toBe(true);
  });

  it('maps a reset to a retryable network error naming the socket code', () => {
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }) });
    const e = transportError(reset, 'dvcqg DongBoHoSoMC', 100);
    expect(e).toBeInstanceOf(UpstreamNetworkError);
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('UND_ERR_SOCKET');
  });
});
