/**
 * The national-portal client: one per target, in the target's contract style.
 */
import type { TargetConfig } from '../../schemas/config.ts';
import { createBareArrayClient } from './bare-array-client.ts';
import { createSessionClient } from './session-client.ts';
import type { PortalClient, PortalClientOptions } from './types.ts';

/**
 * Creates the client of one portal target. It sends exactly what it is given (wire records,
 * NFC text), reports every HTTP exchange through `onExchange`, and throws only GatewayErrors
 * whose `retryable`/`retryAfterMs` drive the outbox's retries. The only retry inside is one
 * re-login when a session is refused.
 *
 * @example
 * const client = createPortalClient(target, { env: process.env, onExchange: (e) => receipts.add(e) });
 * const r = await client.pushDossier(record, false);
 * if (r.outcome === 'exists') await client.pushDossier(record, true);
 * await client.close();
 */
export function createPortalClient(target: TargetConfig, opts: PortalClientOptions): PortalClient {
  return target.style === 'session' ? createSessionClient(target, opts) : createBareArrayClient(target, opts);
}
