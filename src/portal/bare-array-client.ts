/**
 * Bare-array style (contract §2.2, TD and HG deployments): no login and no envelope; the service
 * is the URL, the unit code and isUpdating travel in the query string, the body is a JSON array.
 *
 * @example
 * POST {baseUrl}/DongBoHoSoMC?MaDinhDanhDV=000.00.01.H22&isUpdating=False
 * [ { "MaHoSo": "000.31.38.H56-240715-0012", … } ]
 *
 * Each call carries the target's `auth` headers (none, bearer, a named header, or an OAuth2 token);
 * an OAuth2 token the portal refuses (401, or an answer a `targets[].answers` rule calls
 * `session_expired`) is fetched again once and the call repeated. A static credential that is
 * refused is a rejection: retrying would not help.
 */
import type { BareArrayTargetConfig } from '../../schemas/config.ts';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import { checkProgressBatch, dotNetBool, joinUrl, jsonHeaders, toPushResult } from './common.ts';
import { SessionExpiredError, UpstreamRejectedError } from '../errors.ts';
import { createAuth } from './auth.ts';
import { answerPolicy, judgeLookup, judgePush } from './judge.ts';
import { createTransport, type CallSpec } from './transport.ts';
import type { PortalClient, PortalClientOptions } from './types.ts';

/** Creates a bare-array-style client. */
export function createBareArrayClient(target: BareArrayTargetConfig, opts: PortalClientOptions): PortalClient {
  const transport = createTransport(target, opts);
  const headers = jsonHeaders(target);
  // A GET carries no body, so no Content-Type.
  const { 'Content-Type': _contentType, ...getHeaders } = headers;
  const unit = { MaDinhDanhDV: target.unitCode };
  const auth = createAuth(target, opts.env, transport, opts.now);
  const policy = answerPolicy(target.answers, auth.renewable);

  /** One call with the auth headers; a refused OAuth2 token is fetched again once. */
  async function send<T>(spec: Omit<CallSpec, 'headers'> & { headers: Record<string, string> }, judge: Parameters<typeof transport.exchange<T>>[1]) {
    const first = await auth.headers();
    try {
      return await transport.exchange({ ...spec, headers: { ...spec.headers, ...first } }, judge);
    } catch (err) {
      if (!(err instanceof SessionExpiredError)) throw err;
      if (!auth.renewable) {
        throw new UpstreamRejectedError('session_expired', `${err.message} (target "${target.id}" has no credential to renew: check targets[].auth)`, { ...(err.status === undefined ? {} : { status: err.status }) });
      }
      auth.refuse(first);
      try {
        return await transport.exchange({ ...spec, headers: { ...spec.headers, ...(await auth.headers()) } }, judge);
      } catch (again) {
        // Refused with a fresh token too: a permanent refusal (a missing scope …), not an outage to retry.
        if (!(again instanceof SessionExpiredError)) throw again;
        throw new UpstreamRejectedError('session_expired', `${again.message} (refused with a fresh token too: check targets[].auth)`, { ...(again.status === undefined ? {} : { status: again.status }) });
      }
    }
  }

  return {
    async pushDossier(record: PortalDossier, isUpdating: boolean) {
      // TD has separate insert and update URLs; HG one URL told apart by ?isUpdating=.
      const url = joinUrl(target.baseUrl, isUpdating ? target.updatePath : target.insertPath, { ...unit, isUpdating: dotNetBool(isUpdating) });
      const done = await send({ service: 'DongBoHoSoMC', isUpdating, method: 'POST', url, headers, body: JSON.stringify([record]) }, (a) => judgePush(a, isUpdating, policy, false));
      return toPushResult(done);
    },

    async pushProgress(items: PortalProgress[]) {
      checkProgressBatch(items);
      const url = joinUrl(target.baseUrl, target.progressPath, unit);
      const done = await send({ service: 'CapNhatTienDoHoSoMC', method: 'POST', url, headers, body: JSON.stringify(items) }, (a) => judgePush(a, undefined, policy, false));
      return toPushResult(done);
    },

    async lookup(code: string) {
      if (target.lookupPath === undefined) {
        return {
          found: false,
          result: { note: `target "${target.id}" (bare-array style) has no lookupPath configured: the portal cannot be asked, so "not found" means "unknown"` },
        };
      }
      const url = joinUrl(target.baseUrl, target.lookupPath, { mahoso: code });
      const done = await send({ service: 'TraCuuHoSo', method: 'GET', url, headers: getHeaders }, (a) => judgeLookup(a, policy));
      return done.value;
    },

    close: () => transport.close(),
  };
}
