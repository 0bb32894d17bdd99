/**
 * Session style (contract §2.1, OpenCPS): log in with `{username, password}` → `{error_code,
 * message, session}`, then POST flat envelopes to the service endpoint:
 *
 * @example
 * { "session": "3b8f…", "madonvi": "000.00.00.H56", "service": "DongBoHoSoMC", "isUpdating": "False", "data": [ {…} ] }
 *
 * The session is cached. When the portal refuses it (HTTP 401/403, or a 2xx rejection such as
 * `{"error_code":"-1","message":"Phiên làm việc không hợp lệ hoặc đã hết hạn"}`), the client logs
 * in again once and repeats the call; every other retry is the outbox's business.
 */
import type { SessionTargetConfig } from '../../schemas/config.ts';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import { ConfigError, SessionExpiredError } from '../errors.ts';
import { checkProgressBatch, dotNetBool, joinUrl, jsonHeaders, toPushResult } from './common.ts';
import { judgeLogin, judgeLookup, judgePush } from './judge.ts';
import { createTransport } from './transport.ts';
import type { PortalClient, PortalClientOptions, PortalExchangeService } from './types.ts';

/** Creates a session-style client; throws ConfigError when the password variable is not set. */
export function createSessionClient(target: SessionTargetConfig, opts: PortalClientOptions): PortalClient {
  const password = opts.env[target.passwordEnv];
  if (password === undefined || password === '') {
    throw new ConfigError(`target "${target.id}": environment variable ${target.passwordEnv} (password of ${target.username}) is not set`);
  }
  const transport = createTransport(target, opts);
  transport.addSecret(password);
  const headers = jsonHeaders(target, { Charset: 'utf-8' });
  const loginUrl = joinUrl(target.baseUrl, target.loginPath);
  const serviceUrl = joinUrl(target.baseUrl, target.servicePath);

  let token: string | undefined;
  let pending: Promise<string> | undefined;

  async function login(): Promise<string> {
    const done = await transport.exchange(
      {
        service: 'login',
        method: 'POST',
        url: loginUrl,
        headers,
        body: JSON.stringify({ username: target.username, password }),
        hashedBody: JSON.stringify({ username: target.username, password: '***' }),
      },
      judgeLogin,
    );
    transport.addSecret(done.value);
    return done.value;
  }

  /** The cached session; concurrent callers share one login. */
  function session(): Promise<string> {
    if (token !== undefined) return Promise.resolve(token);
    pending ??= login()
      .then((t) => (token = t))
      .finally(() => {
        pending = undefined;
      });
    return pending;
  }

  /** Runs `call` with a session; on a refused session, logs in again once and repeats it. */
  async function withSession<T>(call: (s: string) => Promise<T>): Promise<T> {
    const first = await session();
    try {
      return await call(first);
    } catch (err) {
      if (!(err instanceof SessionExpiredError)) throw err;
      // Only drop the token this call used: a concurrent call may already have renewed it.
      if (token === first) token = undefined;
      return call(await session());
    }
  }

  function post(service: PortalExchangeService, envelope: (s: string) => Record<string, unknown>, isUpdating?: boolean) {
    return (s: string) => ({
      service,
      method: 'POST' as const,
      url: serviceUrl,
      headers,
      body: JSON.stringify(envelope(s)),
      ...(isUpdating === undefined ? {} : { isUpdating }),
    });
  }

  return {
    async pushDossier(record: PortalDossier, isUpdating: boolean) {
      const spec = post(
        'DongBoHoSoMC',
        (s) => ({ session: s, madonvi: target.unitCode, service: 'DongBoHoSoMC', isUpdating: dotNetBool(isUpdating), data: [record] }),
        isUpdating,
      );
      return toPushResult(await withSession((s) => transport.exchange(spec(s), (a) => judgePush(a, isUpdating, true))));
    },

    async pushProgress(items: PortalProgress[]) {
      checkProgressBatch(items);
      const spec = post('CapNhatTienDoHoSoMC', (s) => ({ session: s, madonvi: target.unitCode, service: 'CapNhatTienDoHoSoMC', data: items }));
      return toPushResult(await withSession((s) => transport.exchange(spec(s), (a) => judgePush(a, undefined, true))));
    },

    async lookup(code: string) {
      const spec = post('TraCuuHoSo', (s) => ({ session: s, madonvi: target.unitCode, service: 'TraCuuHoSo', mahoso: code }));
      return (await withSession((s) => transport.exchange(spec(s), (a) => judgeLookup(a, true)))).value;
    },

    close: () => transport.close(),
  };
}
