/**
 * Delivers one claimed outbox row to its target: the dossier (DongBoHoSoMC) first, then its
 * progress items (CapNhatTienDoHoSoMC, ≤ 10 a call) once the dossier is acknowledged. With
 * `firstPush: "lookup"` a dossier never acknowledged is looked up first (TraCuuHoSo) and sent as an
 * update when the portal already holds it. Each
 * acknowledgement is recorded as soon as it arrives, so after a crash only unacknowledged calls
 * are sent again. Retries use p-retry with an explicit `shouldRetry` reading `retryable`,
 * exponential backoff with jitter, and at least the `Retry-After` the portal asked for.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import { sql, type SQL } from 'drizzle-orm';
import type { RetryConfig } from '../../schemas/config.ts';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import { contentHash } from '../dossier/index.ts';
import { prepareWire, type WirePolicy } from '../dossier/wire-policy.ts';
import { localDateOf } from '../dossier/index.ts';
import { fillFromCatalog, type CatalogLookup } from '../catalog/fill.ts';
import { GatewayError, UpstreamRejectedError, isRetryable } from '../errors.ts';
import type { Ledger } from '../ledger/db.ts';
import type { ClaimedDelivery } from './queue.ts';
import { extendLease } from './queue.ts';
import type { RateLimiter } from './rate-limit.ts';
import { exchangeScope, insertReceipts } from './receipts.ts';
import { cleanMessage, publicMessage } from '../privacy.ts';
import { MAX_RETRY_AFTER_WAIT_MS } from '../net/index.ts';

/** Runs a state change of the delivery together with the receipts buffered since the last one. */
async function persist(ledger: Ledger, update: SQL): Promise<Record<string, unknown>[]> {
  const scope = exchangeScope.getStore();
  const rows = scope?.buffer.splice(0) ?? [];
  return ledger.rows(rows.length ? sql`${insertReceipts(rows)} ${update}` : update);
}

/** What the outbox needs of a portal client (see src/portal). */
export interface DeliveryClient {
  pushDossier(record: PortalDossier, isUpdating: boolean): Promise<{ outcome: 'ok' | 'exists' }>;
  pushProgress(items: PortalProgress[]): Promise<{ outcome: 'ok' | 'exists' }>;
  /** TraCuuHoSo (or the bare-array `lookupPath`): does the portal hold this code already? (`targets[].firstPush: "lookup"`) */
  lookup(code: string): Promise<{ found: boolean }>;
}


export interface DeliverContext {
  ledger: Ledger;
  client: DeliveryClient;
  limiter: RateLimiter;
  retry: RetryConfig;
  progressChunk: number;
  owner: string;
  leaseMs: number;
  signal: AbortSignal;
  onFailedAttempt?: (error: unknown) => void;
  /** The target's wire profile (text limits, MaHoSo prefix, progress padding): src/dossier/wire-policy.ts. */
  wirePolicy?: WirePolicy;
  /** The stored procedure catalogue (`lienthong catalog sync`): national MaTTHC, TenTTHC and field on the wire. */
  catalog?: CatalogLookup;
  /** Called once per delivery with what the profile changed on the wire. */
  onWireWarnings?: (warnings: ReturnType<typeof prepareWire>['warnings']) => void;
  /**
   * `targets[].firstPush`: `insert` (default) pushes a never-acknowledged dossier as new and turns an
   * "exists" answer into an update; `lookup` asks the portal first (through the rate limiter) and
   * pushes what it already holds as an update straight away (migration from an older connector).
   */
  firstPush?: 'insert' | 'lookup';
  /** Called after every first-push look-up with its answer. */
  onLookup?: (found: boolean) => void;
}

export type DeliveryOutcome = 'delivered' | 'dead' | 'pending';

const progressHash = (items: PortalProgress[]) => contentHash(items);

export function backoffMs(retry: RetryConfig, attempt: number): number {
  const base = Math.min(retry.maxDelayMs, retry.minDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (1 + Math.random()));
}

/** The wait a retryable error's `Retry-After` asks for, cut to the one ceiling of every HTTP call ({@link MAX_RETRY_AFTER_WAIT_MS}); 0 when none. */
export function askedWaitMs(error: unknown): number {
  if (!(error instanceof GatewayError) || !isRetryable(error) || !error.retryAfterMs || error.retryAfterMs < 0) return 0;
  return Math.min(error.retryAfterMs, MAX_RETRY_AFTER_WAIT_MS);
}

/** The acknowledged prefix of the progress history was edited at the source: send it all again. */
function progressNeedsResend(item: ClaimedDelivery, progress: PortalProgress[]): boolean {
  const n = item.progressAcked;
  return n > progress.length || (n > 0 && progressHash(progress.slice(0, n)) !== item.progressAckedHash);
}

/** A delivery the portal never acknowledged from lienthong: its first push (the portal may still hold it from an older connector). */
function isFirstPush(item: ClaimedDelivery): boolean {
  return !item.portalHas && !item.dossierAckedVersion;
}

async function pushAllSteps(ctx: DeliverContext, item: ClaimedDelivery, wire: PortalDossier, progress: PortalProgress[], state: { lookedUp: boolean }): Promise<void> {
  const { ledger, client, limiter } = ctx;
  if (item.dossierAckedVersion !== item.dossierVersion) {
    if (ctx.firstPush === 'lookup' && isFirstPush(item) && !state.lookedUp) {
      // Ask before inserting: what the older connector left on the portal is replaced (isUpdating "True"), never inserted again.
      // The look-up's receipt is recorded with the delivery's other exchanges (exchangeScope).
      await limiter.take();
      const { found } = await client.lookup(wire.MaHoSo);
      state.lookedUp = true;
      ctx.onLookup?.(found);
      if (found) {
        item.portalHas = true;
        await persist(ledger, sql`update deliveries set portal_has = true, updated_at = now() where id = ${item.id}`);
      }
    }
    await limiter.take();
    let res = await client.pushDossier(wire, item.portalHas);
    if (res.outcome === 'exists') {
      // "đã tồn tại": the portal has it already; the full record replaces it with isUpdating "True".
      item.portalHas = true;
      await persist(ledger, sql`update deliveries set portal_has = true where id = ${item.id}`);
      await limiter.take();
      res = await client.pushDossier(wire, true);
      if (res.outcome === 'exists') throw new UpstreamRejectedError('exists', 'the portal answered "đã tồn tại" to an update');
    }
    // The last acknowledgement of a delivery is recorded by the completing statement itself.
    if (progress.length > item.progressAcked || progressNeedsResend(item, progress)) {
      await persist(ledger, sql`update deliveries set dossier_acked_version = ${item.dossierVersion}, portal_has = true, updated_at = now() where id = ${item.id}`);
    }
    item.dossierAckedVersion = item.dossierVersion;
    item.portalHas = true;
  }
  const start = progressNeedsResend(item, progress) ? 0 : item.progressAcked;
  for (let i = start; i < progress.length; i += ctx.progressChunk) {
    const chunk = progress.slice(i, i + ctx.progressChunk);
    await limiter.take();
    await client.pushProgress(chunk);
    const acked = i + chunk.length;
    const hash = progressHash(progress.slice(0, acked));
    if (acked < progress.length) {
      await persist(ledger, sql`update deliveries set progress_acked = ${acked}, progress_acked_hash = ${hash}, updated_at = now() where id = ${item.id}`);
    }
    item.progressAcked = acked;
    item.progressAckedHash = hash;
  }
}

/** What is stored of a failure: cleaned and cut (a portal can answer megabytes, with our credentials echoed in them). */
function describe(error: unknown): { message: string; answer: unknown } {
  const message = publicMessage(error);
  if (error instanceof UpstreamRejectedError) return { message, answer: { error_code: cleanMessage(error.errorCode, [], 64), message: cleanMessage(error.portalMessage) } };
  if (error instanceof GatewayError) return { message, answer: { code: error.code, status: error.status ?? null } };
  return { message, answer: null };
}

export async function deliverOne(ctx: DeliverContext, item: ClaimedDelivery): Promise<DeliveryOutcome> {
  const { ledger, retry } = ctx;
  const d = item.canonical;
  if (d.notPushed) {
    // A version marked not to push (an interconnection copy …) arrived while an older one waited: nothing is sent.
    const rows = await persist(ledger, sql`update deliveries set
        status = case when version > ${item.dossierVersion} then 'pending' else 'dead' end,
        last_error = ${`not pushed: ${d.notPushed.reason}`}, last_answer = ${JSON.stringify({ notPushed: d.notPushed.kind })}::jsonb,
        lease_owner = null, lease_until = null, updated_at = now()
      where id = ${item.id} returning status`);
    return rows[0]?.['status'] === 'pending' ? 'pending' : 'dead';
  }
  const prepared = prepareWire(d, ctx.wirePolicy);
  if (ctx.catalog) {
    // Local systems send local-format codes and outdated names: the catalogue's national ones go out, with a warning per change.
    const filled = fillFromCatalog(prepared.wire, ctx.catalog.find(prepared.wire.MaTTHC, d.dates.receivedAt ? localDateOf(d.dates.receivedAt) : undefined));
    Object.assign(prepared.wire, filled.wire);
    for (const c of filled.changes) prepared.warnings.push({ kind: 'catalog_filled', path: c.path, message: `${c.path} ${JSON.stringify(c.from)} → ${JSON.stringify(c.to)} from the procedure catalogue` });
  }
  const { wire, progress } = prepared;
  // Wire warnings stay with the delivery (last_answer.warnings): `dossier show` and the API show them.
  const warned = (answer: unknown): unknown => (prepared.warnings.length ? { ...(answer && typeof answer === 'object' ? answer : {}), warnings: prepared.warnings } : answer);
  ctx.onWireWarnings?.(prepared.warnings);
  if (prepared.held) {
    // overLength "quarantine": held (dead) with the reason, never sent cut; `deliveries retry` sends it again.
    const rows = await persist(ledger, sql`update deliveries set
        status = case when version > ${item.dossierVersion} then 'pending' else 'dead' end,
        last_error = ${prepared.held}, last_answer = ${JSON.stringify(warned({ held: 'over_length' }))}::jsonb,
        lease_owner = null, lease_until = null, updated_at = now()
      where id = ${item.id} returning status`);
    return rows[0]?.['status'] === 'pending' ? 'pending' : 'dead';
  }
  let attempts = item.attempts;
  let lastError: unknown;
  const scope = { deliveryId: item.id, dossierId: item.dossierId, attempt: attempts + 1, version: item.dossierVersion, code: item.code, buffer: [] };
  // A look-up answered once is not asked again by the retries of this claim.
  const state = { lookedUp: false };
  return exchangeScope.run(scope, async (): Promise<DeliveryOutcome> => {
  try {
    await pRetry(
      () => {
        scope.attempt = attempts + 1;
        return pushAllSteps(ctx, item, wire, progress, state);
      },
      {
        retries: Math.max(0, retry.maxAttempts - attempts - 1),
        minTimeout: retry.minDelayMs,
        maxTimeout: retry.maxDelayMs,
        factor: 2,
        randomize: true,
        signal: ctx.signal,
        shouldRetry: ({ error }) => isRetryable(error),
        onFailedAttempt: async ({ error }) => {
          attempts++;
          lastError = error;
          ctx.onFailedAttempt?.(error);
          const { message, answer } = describe(error);
          await persist(ledger, sql`update deliveries set attempts = ${attempts}, last_error = ${message},
            last_answer = ${JSON.stringify(warned(answer))}::jsonb, updated_at = now() where id = ${item.id}`);
          // Retry-After is a minimum, cut to the ceiling every HTTP call has (a portal asking for a day
          // does not hold the lease for a day); p-retry's own backoff comes after this wait.
          const asked = askedWaitMs(error);
          await extendLease(ledger, item.id, ctx.owner, ctx.leaseMs + asked);
          if (asked > 0) await sleep(asked, undefined, { signal: ctx.signal }).catch(() => {});
        },
      },
    );
  } catch (error) {
    if (ctx.signal.aborted && (lastError === undefined || isRetryable(lastError))) {
      // The run's deadline passed: leave it pending for the next run, after a backoff.
      await persist(ledger, sql`update deliveries set lease_owner = null, lease_until = null,
        next_attempt_at = now() + make_interval(secs => ${Math.max(backoffMs(retry, attempts), askedWaitMs(lastError)) / 1000}), updated_at = now() where id = ${item.id}`);
      return 'pending';
    }
    const { message, answer } = describe(error);
    const rows = await persist(ledger, sql`update deliveries set
        status = case when version > ${item.dossierVersion} then 'pending' else 'dead' end,
        last_error = ${message}, last_answer = ${JSON.stringify(warned(answer))}::jsonb,
        lease_owner = null, lease_until = null, updated_at = now()
      where id = ${item.id} returning status`);
    return rows[0]?.['status'] === 'pending' ? 'pending' : 'dead';
  }
  const rows = await persist(ledger, sql`update deliveries set
      status = case when version > ${item.dossierVersion} then 'pending' else 'delivered' end,
      delivered_version = ${item.dossierVersion}, attempts = 0, portal_has = true,
      dossier_acked_version = ${item.dossierAckedVersion}, progress_acked = ${item.progressAcked},
      progress_acked_hash = ${item.progressAckedHash}, last_error = null, last_answer = ${prepared.warnings.length ? JSON.stringify(warned(null)) : null}::jsonb,
      lease_owner = null, lease_until = null, delivered_at = now(), next_attempt_at = now(), updated_at = now()
    where id = ${item.id} returning status`);
  return rows[0]?.['status'] === 'pending' ? 'pending' : 'delivered';
  });
}
