/**
 * Small pieces both contract styles share: URL joining, headers, argument checks, results.
 */
import type { TargetConfig } from '../../schemas/config.ts';
import type { PortalProgress } from '../../schemas/portal.ts';
import { GatewayError } from '../errors.ts';
import type { PortalReply } from './judge.ts';
import type { Exchanged } from './transport.ts';
import type { PushResult } from './types.ts';
import { cleanMessage } from '../privacy.ts';

/** Contract §12.5: at most 10 progress items per call. */
export const MAX_PROGRESS_ITEMS = 10;

/** `baseUrl` + `path` without a doubled or missing slash; query parameters appended encoded. */
export function joinUrl(baseUrl: string, path: string, query: Record<string, string> = {}): string {
  const url = new URL(baseUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return url.toString();
}

/** JSON headers; `dstcode` is a routing header some intermediate gateways want (contract §2.1). */
export function jsonHeaders(target: TargetConfig, extra: Record<string, string> = {}): Record<string, string> {
  return {
    Accept: 'application/json',
    'Content-Type': 'application/json',
    ...extra,
    ...(target.dstcode ? { dstcode: target.dstcode } : {}),
  };
}

/** The caller chunks progress; an empty or oversized batch is a programming error, not a portal one. */
export function checkProgressBatch(items: readonly PortalProgress[]): void {
  if (items.length === 0 || items.length > MAX_PROGRESS_ITEMS) {
    throw new GatewayError('invalid_argument', `pushProgress takes 1–${MAX_PROGRESS_ITEMS} items, got ${items.length}`);
  }
}

/** `true`/`false` in the portal's .NET spelling. */
export function dotNetBool(v: boolean): 'True' | 'False' {
  return v ? 'True' : 'False';
}

export function toPushResult(x: Exchanged<PortalReply & { exists: boolean }>): PushResult {
  return {
    outcome: x.value.exists ? 'exists' : 'ok',
    httpStatus: x.httpStatus,
    errorCode: x.value.errorCode,
    // A success message is shown too (receipts, dossier show): cleaned and cut like every portal answer.
    message: cleanMessage(x.value.message),
    requestHash: x.requestHash,
    durationMs: x.durationMs,
  };
}
