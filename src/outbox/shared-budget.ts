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

export class SharedWindow implements WindowGate {
  private constructor(
    private readonly ledger: Ledger,
    readonly targetId: string,
  ) {}

  /**
   * The target's window, created when missing. A changed budget (another ring size) starts a ring
   * filled with "now": no call for one window, rather than a burst over the new budget.
   */
  static async open(ledger: Ledger, targetId: string, ratePerSecond: number, windowMs = 1000 + WINDOW_GUARD_MS): Promise<SharedWindow> {
    const size = windowSize(ratePerSecond);
    await ledger.rows(sql`
      insert into rate_windows (target_id, size, window_ms, ring, pos)
      values (${targetId}, ${size}, ${windowMs}, array_fill('-Infinity'::float8, array[${size}::int]), 0)
      on conflict (target_id) do update set size = excluded.size, window_ms = excluded.window_ms,
        ring = array_fill(extract(epoch from clock_timestamp()) * 1000, array[excluded.size]), pos = 0
      where rate_windows.size <> excluded.size or rate_windows.window_ms <> excluded.window_ms`);
    return new SharedWindow(ledger, targetId);
  }

  /**
   * Takes the slot at `pos` when its call is a window old. The time recorded is never before the
   * previous grant's (a taker that waited for the row lock read the clock before it).
   */
  async tryTake(): Promise<number> {
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
    if (row.granted) return 0;
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
