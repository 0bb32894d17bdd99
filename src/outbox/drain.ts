/**
 * Drains one target's outbox: senders claim due deliveries with leases and deliver them within the
 * target's rate budget, until nothing is due or the deadline passes. Deliveries waiting for a
 * backoff that ends before the deadline are waited for. The senders start at `concurrency` and
 * grow to fill the budget, fewer when the portal slows or pushes back (src/outbox/concurrency.ts);
 * the rate limiter, shared by every drain of the target (on PostgreSQL by every process), is the
 * hard cap (src/outbox/rate-limit.ts, shared-budget.ts). With `targets[].breaker` nothing is
 * claimed or attempted while the target's circuit is open (src/outbox/breaker.ts).
 */
import { setMaxListeners } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { TargetConfig } from '../../schemas/config.ts';
import type { Ledger } from '../ledger/db.ts';
import { breakerFor, withBreaker, type BreakerSnapshot } from './breaker.ts';
import { deliverOne, type DeliveryClient } from './deliver.ts';
import { checkFirstPush } from './first-push.ts';
import { claimDue, releaseOrphanedLeases, targetCounts } from './queue.ts';
import { AdaptiveConcurrency, meteredClient, runPool, type SenderHandle, type SenderMeter } from './concurrency.ts';
import { limiterFor } from './shared-budget.ts';
import { catalogLookup } from '../catalog/fill.ts';
import { listCatalog } from '../catalog/store.ts';

export interface TargetSummary {
  id: string;
  delivered: number;
  failedAttempts: number;
  pending: number;
  dead: number;
  /** Deliveries whose wire record had a text cut to the portal's limit (the ledger keeps the full text). */
  truncated?: number;
  /** Deliveries whose MaHoSo does not start with a unit code of the province (reported or rewritten). */
  codePrefix?: number;
  /** Deliveries whose MaTTHC, TenTTHC or field was set from the stored procedure catalogue. */
  catalogFilled?: number;
  /** `firstPush: "lookup"`: dossiers looked up before their first push, and how many of them the portal already held. */
  lookups?: number;
  foundOnPortal?: number;
  /** `targets[].breaker`: the circuit breaker's state at the end of the drain (src/outbox/breaker.ts). */
  breaker?: BreakerSnapshot;
}

export interface DrainOptions {
  owner: string;
  leaseMs: number;
  deadline: number;
  /** Claim size per sender. */
  batch?: number;
  onProgress?: (s: TargetSummary) => void;
}

/** Gives back the leases this drain still holds on the target's deliveries (attempts and next try untouched). */
async function giveBackLeases(ledger: Ledger, targetId: string, owner: string): Promise<void> {
  await ledger.rows(sql`update deliveries set lease_owner = null, lease_until = null
    where target_id = ${targetId} and lease_owner = ${owner}`);
}

export async function drainTarget(ledger: Ledger, target: TargetConfig, client: DeliveryClient, options: DrainOptions): Promise<TargetSummary> {
  // A target that cannot deliver as configured (firstPush "lookup" without a way to look up) is refused before any claim.
  checkFirstPush(target);
  const summary: TargetSummary = { id: target.id, delivered: 0, failedAttempts: 0, pending: 0, dead: 0 };
  const limiter = await limiterFor(ledger, target);
  const controller = new AbortController();
  // Every sender of the pool (up to 64) listens to it while it sleeps.
  setMaxListeners(200, controller.signal);
  const timer = setTimeout(() => controller.abort(new Error('run deadline reached')), Math.max(0, options.deadline - Date.now()));
  await releaseOrphanedLeases(ledger);
  // The circuit breaker (when configured): every call through it; while open nothing is claimed or attempted.
  const breaker = breakerFor(target);
  // The stored procedure catalogue, read once per drain (none stored: the wire is as the source sent it).
  const stored = await listCatalog(ledger);
  const ctx = {
    ...(stored.length ? { catalog: catalogLookup(stored) } : {}),
    ledger,
    client: breaker ? withBreaker(client, breaker) : client,
    limiter,
    retry: target.retry,
    progressChunk: target.progressChunk,
    owner: options.owner,
    leaseMs: options.leaseMs,
    signal: controller.signal,
    onFailedAttempt: () => {
      summary.failedAttempts++;
    },
    wirePolicy: { limits: target.limits, overLength: target.overLength, codePrefix: target.codePrefix, padProgress: target.padProgress, unitCode: target.unitCode },
    onWireWarnings: (warnings: { kind: string }[]) => {
      if (warnings.some((w) => w.kind === 'truncated')) summary.truncated = (summary.truncated ?? 0) + 1;
      if (warnings.some((w) => w.kind === 'code_prefix' || w.kind === 'code_rewritten')) summary.codePrefix = (summary.codePrefix ?? 0) + 1;
      if (warnings.some((w) => w.kind === 'catalog_filled')) summary.catalogFilled = (summary.catalogFilled ?? 0) + 1;
    },
    firstPush: target.firstPush,
    onLookup: (found: boolean) => {
      summary.lookups = (summary.lookups ?? 0) + 1;
      if (found) summary.foundOnPortal = (summary.foundOnPortal ?? 0) + 1;
    },
  };
  const batch = options.batch ?? 8;

  // Senders wanted: what fills the budget, between `concurrency` and `maxConcurrency` (src/outbox/concurrency.ts).
  const control = new AdaptiveConcurrency({ ratePerSecond: target.ratePerSecond, min: target.concurrency, max: target.maxConcurrency });

  const sender = async (pool: SenderHandle): Promise<void> => {
    // This sender's view of the client and the limiter: its calls' latency and its waits feed the controller.
    const meter: SenderMeter = { calls: 0, failures: 0, waitedMs: 0 };
    const mine = { ...ctx, client: meteredClient(ctx.client, control, meter), limiter: ctx.limiter.metered((ms) => (meter.waitedMs += ms)) };
    while (!controller.signal.aborted && pool.keepGoing()) {
      const permit = breaker ? await breaker.admit(controller.signal, options.deadline) : null;
      if (breaker && !permit) return; // open until after the deadline: the rest waits for the next run
      // Many senders claim fewer each, so that the run's end is not one sender's long claim.
      const size = Math.max(1, Math.min(batch, Math.round((batch * target.concurrency) / Math.max(1, pool.active()))));
      const claimed = await claimDue(ledger, target.id, options.owner, permit?.probe ? 1 : size, options.leaseMs);
      if (claimed.length === 0) {
        permit?.release();
        const counts = await targetCounts(ledger, target.id);
        if (counts.pending === 0 || counts.nextDueInMs === null) return;
        const wait = Math.max(20, counts.nextDueInMs);
        if (Date.now() + wait > options.deadline) return;
        await sleep(Math.min(wait, 500), undefined, { signal: controller.signal }).catch(() => {});
        continue;
      }
      for (const [i, item] of claimed.entries()) {
        if (permit && !permit.usable()) {
          // Opened meanwhile: the rest of the claim goes back untried (attempts untouched).
          await ledger.rows(sql`update deliveries set lease_owner = null, lease_until = null where id in ${sql.raw(`(${claimed.slice(i).map((c) => Number(c.id)).join(',')})`)} and lease_owner = ${options.owner}`);
          break;
        }
        // A delivery stopped by the breaker's opening is left pending, as at the run's deadline.
        Object.assign(meter, { calls: 0, failures: 0, waitedMs: 0 });
        const started = performance.now();
        const outcome = await deliverOne(permit ? { ...mine, signal: AbortSignal.any([controller.signal, permit.signal]) } : mine, item);
        // A delivery without failures tells the sender's time per call (a retry's backoff would not).
        if (meter.calls > 0 && meter.failures === 0) control.observeCycle((performance.now() - started - meter.waitedMs) / meter.calls);
        if (outcome === 'delivered') summary.delivered++;
        options.onProgress?.(summary);
        pool.topUp();
      }
      permit?.release();
    }
  };
  // Every sender's promise: the drain returns only once all of them have settled.
  const senders: Promise<void>[] = [];
  try {
    await runPool(control, (pool) => {
      const running = sender(pool);
      senders.push(running);
      return running;
    });
  } catch (error) {
    // One sender failed: the others stop (what they hold goes back pending) before the drain ends.
    controller.abort(new Error('another sender of the drain failed'));
    await Promise.allSettled(senders);
    // The sender's error is the one reported, not a failure to give the leases back.
    await giveBackLeases(ledger, target.id, options.owner).catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  // Whatever way the drain ends (done, deadline, breaker, a sender's error), it holds no lease after:
  // a claim it did not finish goes back as it is (attempts untouched), due for the next run or `deliveries retry`.
  await giveBackLeases(ledger, target.id, options.owner);
  const counts = await targetCounts(ledger, target.id);
  summary.pending = counts.pending;
  summary.dead = counts.dead;
  if (breaker) summary.breaker = breaker.snapshot();
  return summary;
}
