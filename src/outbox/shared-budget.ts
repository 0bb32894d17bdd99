/**
 * One rate budget for every process draining a target on one PostgreSQL (issue #13 goal 2): the
 * sliding window of src/outbox/rate-limit.ts kept in the database (migration 0011, rate_windows),
 * so two `lienthong worker`s (or a worker and a `sync`) together never make more than
 * `ratePerSecond` calls in a second. A slot is taken by ONE atomic UPDATE on the target's row
 * (the row lock orders concurrent takers; the times are the database's clock, so the hosts'
 * clocks do not matter). PGlite is one process: its window stays in memory.
 */
import { sql } from 'drizzle-orm';
import type { Ledger } from '../ledger/db.ts';
import { RateLimiter, WINDOW_GUARD_MS, windowSize, type WindowGate } from './rate-limit.ts';

/** Slots of a shared ring at most: a ring is rewritten by every take, so it stays small (800 bytes). */
export const MAX_SHARED_SLOTS = 100;
/** How long the calls of a slot taken for several ({@link SharedWindow.perSlot}) stay usable after it was granted. */
export const SLOT_PERMIT_MS = 25;

export class SharedWindow implements WindowGate {
  /** Calls of the slot taken last still to be made, and when it was granted (this process's clock). */
  private left = 0;
  private grantedAt = -Infinity;

  private constructor(
    private readonly ledger: Ledger,
    readonly targetId: string,
    /** Calls each slot lets through: 1 up to {@link MAX_SHARED_SLOTS} calls a second, more above. */
    readonly perSlot: number,
    private readonly now: () => number,
  ) {}

  /**
   * The shape of the window for a budget: `slots × perSlot` calls, never more than the budget's
   * `floor(rate)`. Above {@link MAX_SHARED_SLOTS} calls a second one slot is several calls, made
   * within {@link SLOT_PERMIT_MS} of its grant (the window is that much longer, so the calls of the
   * slots granted in any window still fit one second plus the guard).
   */
  static shape(ratePerSecond: number): { slots: number; perSlot: number; extraMs: number } {
    const calls = windowSize(ratePerSecond);
    const perSlot = Math.ceil(calls / MAX_SHARED_SLOTS);
    return { slots: Math.max(1, Math.floor(calls / perSlot)), perSlot, extraMs: perSlot > 1 ? SLOT_PERMIT_MS : 0 };
  }

  /**
   * The target's window, created when missing. A changed budget (another ring size) starts a ring
   * filled with "now": no call for one window, rather than a burst over the new budget.
   */
  static async open(ledger: Ledger, targetId: string, ratePerSecond: number, baseWindowMs = 1000 + WINDOW_GUARD_MS, now: () => number = performance.now.bind(performance)): Promise<SharedWindow> {
    const { slots: size, perSlot, extraMs } = SharedWindow.shape(ratePerSecond);
    const windowMs = baseWindowMs + extraMs;
    await ledger.rows(sql`
      insert into rate_windows (target_id, size, window_ms, ring, pos)
      values (${targetId}, ${size}, ${windowMs}, array_fill('-Infinity'::float8, array[${size}::int]), 0)
      on conflict (target_id) do update set size = excluded.size, window_ms = excluded.window_ms,
        ring = array_fill(extract(epoch from clock_timestamp()) * 1000, array[excluded.size]), pos = 0
      where rate_windows.size <> excluded.size or rate_windows.window_ms <> excluded.window_ms`);
    return new SharedWindow(ledger, targetId, perSlot, now);
  }

  /**
   * Takes the slot at `pos` when its call is a window old. The time recorded is never before the
   * previous grant's (a taker that waited for the row lock read the clock before it).
   */
  async tryTake(): Promise<number> {
    // A call of the slot this process took last, while it is fresh: no round trip.
    if (this.left > 0 && this.now() - this.grantedAt <= SLOT_PERMIT_MS) {
      this.left--;
      return 0;
    }
    this.left = 0;
    // Read before the UPDATE: the database's grant instant is later, so the slot's calls all fall within SLOT_PERMIT_MS after it.
    const asked = this.now();
    const rows = await this.ledger.rows<{ granted: boolean; wait_ms: number | string }>(sql`
      update rate_windows w set
        ring[pos + 1] = case when w.ring[w.pos + 1] <= c.t - w.window_ms then greatest(c.t, w.ring[(w.pos + w.size - 1) % w.size + 1]) else w.ring[w.pos + 1] end,
        pos = case when w.ring[w.pos + 1] <= c.t - w.window_ms then (w.pos + 1) % w.size else w.pos end,
        granted = w.ring[w.pos + 1] <= c.t - w.window_ms
      from (select extract(epoch from clock_timestamp())::float8 * 1000 as t) c
      where w.target_id = ${this.targetId}
      returning w.granted, case when w.granted then 0 else w.ring[w.pos + 1] + w.window_ms - c.t end as wait_ms`);
    const row = rows[0];
    // The row is gone (dropped by hand): one more open() puts it back.
    if (!row) throw new Error(`rate budget of target "${this.targetId}" missing from rate_windows`);
    if (row.granted) {
      this.left = this.perSlot - 1;
      this.grantedAt = asked;
      return 0;
    }
    return Math.max(1, Math.ceil(Number(row.wait_ms)));
  }
}

/** Rate limiters alive in this process, by ledger and target: every drain of a target shares one. */
const limiters = new WeakMap<Ledger, Map<string, { rate: number; limiter: Promise<RateLimiter> }>>();

/**
 * The target's rate limiter in this process: one per target (and ledger), so drains that overlap
 * (serve's schedule and an API-triggered sync) share the budget. On PostgreSQL its window is the
 * database's ({@link SharedWindow}): every process draining the target shares it too.
 */
export function limiterFor(ledger: Ledger, target: { id: string; ratePerSecond: number }): Promise<RateLimiter> {
  let byTarget = limiters.get(ledger);
  if (!byTarget) limiters.set(ledger, (byTarget = new Map()));
  const known = byTarget.get(target.id);
  if (known && known.rate === target.ratePerSecond) return known.limiter;
  const limiter =
    ledger.kind === 'postgres'
      ? SharedWindow.open(ledger, target.id, target.ratePerSecond).then((window) => new RateLimiter(target.ratePerSecond, { window }))
      : Promise.resolve(new RateLimiter(target.ratePerSecond));
  // A failed open (database down) is not kept: the next drain tries again.
  limiter.catch(() => byTarget.delete(target.id));
  byTarget.set(target.id, { rate: target.ratePerSecond, limiter });
  return limiter;
}
