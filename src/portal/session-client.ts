/**
 * Session style (contract §2.1, OpenCPS): log in with `{username, password}` → `{error_code,
 * message, session}`, then POST flat envelopes to the service endpoint:
 *
 * @example
 * { "session": "3b8f…", "madonvi": "000.00.00.H56", "service": "DongBoHoSoMC", "isUpdating": "False", "data": [ {…} ] }
 *
 * The session is cached (at most `sessionTtlSeconds` when set: OpenCPS logs in every 10 minutes).
 * When the portal refuses it (HTTP 401/403, a 2xx rejection such as
 * `{"error_code":"-1","message":"Phiên làm việc không hợp lệ hoặc đã hết hạn"}`, or an answer a
 * `targets[].answers` rule calls `session_expired`), the client logs in again once (and fetches a
 * new proxy token when `auth` is OAuth2) and repeats the call; every other retry is the outbox's.
 */
import type { SessionTargetConfig } from '../../schemas/config.ts';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import { ConfigError, GatewayError, SessionExpiredError, UpstreamRejectedError } from '../errors.ts';
import { createCredentialCache } from '../net/index.ts';
import { checkProgressBatch, dotNetBool, joinUrl, jsonHeaders, toPushResult } from './common.ts';
import { createAuth } from './auth.ts';
import { answerPolicy, judgeLogin, judgeLookup, judgePush } from './judge.ts';
import { createTransport } from './transport.ts';
import type { PortalClient, PortalClientOptions, PortalExchangeService } from './types.ts';

/** Creates a session-style client; throws ConfigError when the password variable is not set. */
export function createSessionClient(target: SessionTargetConfig, opts: PortalClientOptions): PortalClient {
  const password = opts.env[target.passwordEnv];
  if (password === undefined || password === '') {
    throw new ConfigError(`target "${target.id}": environment variable ${target.passwordEnv} (password of ${target.username}) is not set`);
  }
  const transport = createTransport(target, opts);
  transport.addSecret(password, true);
  const baseHeaders = jsonHeaders(target, { Charset: 'utf-8' });
  const auth = createAuth(target, opts.env, transport, opts.now);
  const policy = answerPolicy(target.answers, true);
  const now = opts.now ?? Date.now;
  const loginUrl = joinUrl(target.baseUrl, target.loginPath);
  const serviceUrl = joinUrl(target.baseUrl, target.servicePath);

  const ttlMs = target.sessionTtlSeconds === undefined ? Infinity : target.sessionTtlSeconds * 1000;
  /** The cached session (renewed after sessionTtlSeconds); concurrent callers share one login. */
  const sessions = createCredentialCache(async () => {
    const token = await login();
    return { value: token, until: now() + ttlMs };
  }, now);

  async function login(renewed = false): Promise<string> {
    const proxy = await auth.headers();
    const headers = { ...baseHeaders, ...proxy };
    let done: Awaited<ReturnType<typeof transport.exchange<string>>>;
    try {
      done = await loginWith(headers);
    } catch (err) {
      // The proxy in front refused its token (401/403 or a session_expired rule): a new token, and the login once more.
      const refused = err instanceof SessionExpiredError || (err instanceof GatewayError && (err.status === 401 || err.status === 403));
      if (refused && auth.renewable && !renewed) {
        auth.refuse(proxy);
        return login(true);
      }
      if (err instanceof SessionExpiredError) throw new UpstreamRejectedError('session_expired', `login refused: ${err.message}`, { ...(err.status === undefined ? {} : { status: err.status }) });
      throw err;
    }
    transport.addSecret(done.value);
    return done.value;
  }

  function loginWith(headers: Record<string, string>) {
    return transport.exchange(
      {
        service: 'login',
        method: 'POST',
        url: loginUrl,
        headers,
        body: JSON.stringify({ username: target.username, password }),
        hashedBody: JSON.stringify({ username: target.username, password: '***' }),
      },
      (a) => judgeLogin(a, policy),
    );
  }

  /** Runs `call` with a session and the proxy's headers; on a refused credential, renews once and repeats it. */
  async function withSession<T>(call: (s: string, headers: Record<string, string>) => Promise<T>): Promise<T> {
    const first = await sessions.get();
    const firstHeaders = await auth.headers();
    try {
      return await call(first, firstHeaders);
    } catch (err) {
      if (!(err instanceof SessionExpiredError)) throw err;
      // Only drop the credentials this call used: a concurrent call may already have renewed them.
      sessions.drop(first);
      auth.refuse(firstHeaders);
      return call(await sessions.get(), await auth.headers());
    }
  }

  function post(service: PortalExchangeService, envelope: (s: string) => Record<string, unknown>, isUpdating?: boolean) {
    return (s: string, extra: Record<string, string>) => ({
      service,
      method: 'POST' as const,
      url: serviceUrl,
      headers: { ...baseHeaders, ...extra },
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
      return toPushResult(await withSession((s, h) => transport.exchange(spec(s, h), (a) => judgePush(a, isUpdating, policy, true))));
    },

    async pushProgress(items: PortalProgress[]) {
      checkProgressBatch(items);
      const spec = post('CapNhatTienDoHoSoMC', (s) => ({ session: s, madonvi: target.unitCode, service: 'CapNhatTienDoHoSoMC', data: items }));
      return toPushResult(await withSession((s, h) => transport.exchange(spec(s, h), (a) => judgePush(a, undefined, policy, true))));
    },

    async lookup(code: string) {
      const spec = post('TraCuuHoSo', (s) => ({ session: s, madonvi: target.unitCode, service: 'TraCuuHoSo', mahoso: code }));
      return (await withSession((s, h) => transport.exchange(spec(s, h), (a) => judgeLookup(a, policy)))).value;
    },

    close: () => transport.close(),
  };
}
