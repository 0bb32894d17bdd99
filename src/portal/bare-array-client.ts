/**
 * Bare-array style (contract §2.2, TD and HG deployments): no login and no envelope; the service
 * is the URL, the unit code and isUpdating travel in the query string, the body is a JSON array.
 *
 * @example
 * POST {baseUrl}/DongBoHoSoMC?MaDinhDanhDV=000.00.01.H22&isUpdating=False
 * [ { "MaHoSo": "000.31.38.H56-240715-0012", … } ]
 */
import type { BareArrayTargetConfig } from '../../schemas/config.ts';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import { checkProgressBatch, dotNetBool, joinUrl, jsonHeaders, toPushResult } from './common.ts';
import { judgeLookup, judgePush } from './judge.ts';
import { createTransport } from './transport.ts';
import type { PortalClient, PortalClientOptions } from './types.ts';

/** Creates a bare-array-style client. */
export function createBareArrayClient(target: BareArrayTargetConfig, opts: PortalClientOptions): PortalClient {
  const transport = createTransport(target, opts);
  const headers = jsonHeaders(target);
  // A GET carries no body, so no Content-Type.
  const { 'Content-Type': _contentType, ...getHeaders } = headers;
  const unit = { MaDinhDanhDV: target.unitCode };

  return {
    async pushDossier(record: PortalDossier, isUpdating: boolean) {
      // TD has separate insert and update URLs; HG one URL told apart by ?isUpdating=.
      const url = joinUrl(target.baseUrl, isUpdating ? target.updatePath : target.insertPath, { ...unit, isUpdating: dotNetBool(isUpdating) });
      const done = await transport.exchange(
        { service: 'DongBoHoSoMC', isUpdating, method: 'POST', url, headers, body: JSON.stringify([record]) },
        (a) => judgePush(a, isUpdating, false),
      );
      return toPushResult(done);
    },

    async pushProgress(items: PortalProgress[]) {
      checkProgressBatch(items);
      const url = joinUrl(target.baseUrl, target.progressPath, unit);
      const done = await transport.exchange(
        { service: 'CapNhatTienDoHoSoMC', method: 'POST', url, headers, body: JSON.stringify(items) },
        (a) => judgePush(a, undefined, false),
      );
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
      const done = await transport.exchange({ service: 'TraCuuHoSo', method: 'GET', url, headers: getHeaders }, (a) => judgeLookup(a, false));
      return done.value;
    },

    close: () => transport.close(),
  };
}
