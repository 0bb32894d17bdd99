/**
 * `targets[].auth` with static credentials (msw, no network), the token endpoint's answers, and
 * the config check that keeps the session login on session targets.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PortalDossier } from '../../schemas/portal.ts';
import { parseConfig } from '../config.ts';
import { ConfigError, UpstreamHttpError, UpstreamRejectedError, UpstreamSchemaError } from '../errors.ts';
import { judgeToken, tokenMargin } from './auth.ts';
import { answerPolicy, judgePush, RULE_TEXT_MAX } from './judge.ts';
import { createPortalClient, type PortalExchange } from './index.ts';
import { BASE, bareTarget, ENV, fixture, recorder, sessionTarget } from './test-helpers.ts';

const rec = recorder();
const server = setupServer();
const record = fixture<{ data: PortalDossier[] }>('a-dongbo-first-push').data[0]!;
const TOKEN = 'tok-6f1e-9a7c-secret';
const OK = { error_code: '0', message: 'Thành công' };

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  rec.seen.length = 0;
});
afterAll(() => server.close());

function answerWith(status: number, body: unknown, headers: Record<string, string> = {}) {
  return { status, headers: new Headers(headers), text: typeof body === 'string' ? body : JSON.stringify(body) };
}

describe('static credentials', () => {
  it.each([
    ['bearer', { type: 'bearer', tokenEnv: 'LGSP_TOKEN' }, 'authorization', `Bearer ${TOKEN}`],
    ['header', { type: 'header', name: 'X-Api-Key', valueEnv: 'LGSP_TOKEN' }, 'x-api-key', TOKEN],
  ])('%s: sent on every call, never kept in a receipt or an error', async (_name, auth, header, value) => {
    server.use(
      http.post(`${BASE}/DongBoHoSoMC`, async ({ request }) => {
        await rec.record(request);
        return HttpResponse.json({ error_code: '-1', message: `Từ chối yêu cầu có khóa ${TOKEN}` });
      }),
    );
    const exchanges: PortalExchange[] = [];
    const c = createPortalClient(bareTarget({ auth }), { env: { LGSP_TOKEN: TOKEN }, onExchange: (e) => void exchanges.push(e) });
    const err = await c.pushDossier(record, false).catch((e: unknown) => e);
    await c.close();
    expect(rec.seen[0]?.headers.get(header)).toBe(value);
    expect(err).toBeInstanceOf(UpstreamRejectedError);
    expect((err as Error).message).not.toContain(TOKEN);
    expect(JSON.stringify(exchanges)).not.toContain(TOKEN);
  });

  it('a missing variable is a ConfigError naming the target and the variable', () => {
    expect(() => createPortalClient(bareTarget({ auth: { type: 'bearer', tokenEnv: 'LGSP_TOKEN' } }), { env: {} })).toThrow(ConfigError);
    expect(() => createPortalClient(bareTarget({ auth: { type: 'header', name: 'X-Api-Key', valueEnv: 'API_KEY' } }), { env: {} })).toThrow(/target "hg": environment variable API_KEY/);
  });

  it('none sends no credential header', async () => {
    server.use(
      http.post(`${BASE}/DongBoHoSoMC`, async ({ request }) => {
        await rec.record(request);
        return HttpResponse.json(OK);
      }),
    );
    const c = createPortalClient(bareTarget({ auth: { type: 'none' } }), { env: {} });
    expect((await c.pushDossier(record, false)).outcome).toBe('ok');
    await c.close();
    expect(rec.seen[0]?.headers.get('authorization')).toBeNull();
  });
});

describe('config', () => {
  const target = (extra: Record<string, unknown>) => parseConfig({ targets: [{ id: 'prov', style: 'bare-array', baseUrl: 'https://lgsp.example.gov.vn/api', unitCode: '000.00.00.H22', ...extra }] });

  it('refuses the session login on a bare-array target, naming the key', () => {
    expect(() => target({ auth: { type: 'session' } })).toThrow(/targets\[0\]\.auth: type "session"/);
  });

  it('refuses an answer rule that matches nothing or has a broken expression', () => {
    expect(() => target({ answers: [{ means: 'retry' }] })).toThrow(/answers/);
    expect(() => target({ answers: [{ messageMatches: '(đang bận', means: 'retry' }] })).toThrow(/regular expression/);
  });

  it('accepts each documented auth type', () => {
    for (const auth of [
      { type: 'none' },
      { type: 'bearer', tokenEnv: 'T' },
      { type: 'header', name: 'X-Api-Key', valueEnv: 'K' },
      { type: 'oauth2-client-credentials', tokenUrl: 'https://sso.example.gov.vn/token', clientId: 'lt', clientSecretEnv: 'S', scope: 'dvc' },
    ]) {
      expect(target({ auth }).targets[0]?.auth).toEqual(auth);
    }
  });
});

describe('the token endpoint', () => {
  it('reads access_token and expires_in (a number or digits)', () => {
    expect(judgeToken(answerWith(200, { access_token: 'a', token_type: 'Bearer', expires_in: 300 }))).toMatchObject({ outcome: 'ok', value: { token: 'a', expiresIn: 300 } });
    expect(judgeToken(answerWith(200, { access_token: 'a', token_type: 'bearer', expires_in: '300' }))).toMatchObject({ value: { expiresIn: 300 } });
    expect(judgeToken(answerWith(200, { access_token: 'a' }))).toMatchObject({ value: { expiresIn: undefined } });
  });

  it('refuses a token of another type, an answer without a token, and names the OAuth2 error of a refusal', () => {
    expect(judgeToken(answerWith(200, { access_token: 'a', token_type: 'mac' })).error).toBeInstanceOf(UpstreamSchemaError);
    expect(judgeToken(answerWith(200, { token: 'a' })).error).toBeInstanceOf(UpstreamSchemaError);
    const refused = judgeToken(answerWith(401, { error: 'invalid_client', error_description: 'sai mật khẩu' })).error;
    expect(refused).toBeInstanceOf(UpstreamRejectedError);
    expect(refused?.retryable).toBe(false);
    expect(refused?.message).toContain('invalid_client: sai mật khẩu');
    const down = judgeToken(answerWith(503, 'Service Unavailable')).error;
    expect(down).toBeInstanceOf(UpstreamHttpError);
    expect(down?.retryable).toBe(true);
  });

  it('drops a token 10 % of its life before it runs out, between 5 and 60 seconds', () => {
    expect(tokenMargin(30)).toBe(5);
    expect(tokenMargin(300)).toBe(30);
    expect(tokenMargin(3600)).toBe(60);
  });
});

describe('a session target behind an OAuth2 proxy', () => {
  it('a token the proxy refuses at the login is replaced once and the login repeated', async () => {
    let issued = 0;
    server.use(
      http.post('https://sso.test/token', () => HttpResponse.json({ access_token: `tok-${++issued}`, token_type: 'Bearer', expires_in: 3600 })),
      http.post(`${BASE}/auth`, async ({ request }) => {
        await rec.record(request);
        // tok-1 was revoked by the proxy before its expires_in.
        if (request.headers.get('authorization') !== 'Bearer tok-2') return HttpResponse.json({ error: 'invalid_token' }, { status: 401 });
        return HttpResponse.json({ error_code: 0, message: 'ok', session: 'phien-9' });
      }),
      http.post(`${BASE}/service`, () => HttpResponse.json(OK)),
    );
    const exchanges: PortalExchange[] = [];
    const target = sessionTarget({ auth: { type: 'oauth2-client-credentials', tokenUrl: 'https://sso.test/token', clientId: 'lt', clientSecretEnv: 'SSO_SECRET' } });
    const c = createPortalClient(target, { env: { ...ENV, SSO_SECRET: 'sso-secret-1' }, onExchange: (e) => void exchanges.push(e) });
    expect((await c.pushDossier(record, false)).outcome).toBe('ok');
    await c.close();
    expect(issued).toBe(2);
    expect(rec.seen.map((r) => r.headers.get('authorization'))).toEqual(['Bearer tok-1', 'Bearer tok-2']);
  });
});

describe('secrets kept out of stored text', () => {
  it('a proxy token stays masked after many session renewals', async () => {
    let n = 0;
    server.use(
      http.post(`${BASE}/auth`, () => HttpResponse.json({ error_code: 0, message: 'ok', session: `phien-${++n}-abcdef` })),
      // Every call: "session expired", echoing the request headers as some portals' error pages do.
      http.post(`${BASE}/service`, ({ request }) => HttpResponse.json({ error_code: '-1', message: `Phiên làm việc không hợp lệ (Authorization: ${request.headers.get('authorization')})` })),
    );
    const exchanges: PortalExchange[] = [];
    const target = sessionTarget({ auth: { type: 'bearer', tokenEnv: 'LGSP_TOKEN' } });
    const c = createPortalClient(target, { env: { ...ENV, LGSP_TOKEN: TOKEN }, onExchange: (e) => void exchanges.push(e) });
    for (let i = 0; i < 4; i++) await c.pushDossier(record, false).catch(() => undefined);
    await c.close();
    expect(n).toBeGreaterThan(4);
    expect(exchanges.filter((e) => e.service === 'DongBoHoSoMC').length).toBeGreaterThan(4);
    expect(JSON.stringify(exchanges)).not.toContain(TOKEN);
  });
});

describe('answer rules on long answers', () => {
  it('read only the first 4096 characters of a message: a pattern never runs over a megabyte answer', () => {
    const policy = answerPolicy([{ messageMatches: 'đang bận', means: 'retry' }], false);
    const near = judgePush(answerWith(200, { error_code: '-1', message: `Hệ thống đang bận ${'x'.repeat(100_000)}` }), false, policy, false);
    expect(near.error?.retryable).toBe(true);
    const far = judgePush(answerWith(200, { error_code: '-1', message: `${'x'.repeat(RULE_TEXT_MAX)} đang bận` }), false, policy, false);
    expect(far.error).toBeInstanceOf(UpstreamRejectedError);
    expect(far.error?.retryable).toBe(false);
  });
});

