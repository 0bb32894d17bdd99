import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openLedger, type Ledger } from '../ledger/db.ts';
import { openTestLedger, type TestLedger } from '../../test/support/ledger.ts';
import { SharedWindow, limiterFor } from './shared-budget.ts';

let ledger: TestLedger | undefined;
let other: Ledger | undefined;
afterEach(async () => {
  await other?.close();
  await ledger?.close();
  ledger = other = undefined;
});

/** A second connection to the same database (PostgreSQL), or the same ledger (PGlite is one process). */
async function secondLedger(l: TestLedger): Promise<Ledger> {
  if (!l.url) return l;
  other = await openLedger(l.url, { migrate: false });
  return other;
}

describe('SharedWindow (rate_windows, migration 0011)', () => {
  it('grants `floor(rate)` calls per window by one UPDATE, then says how long until the oldest leaves it', async () => {
    ledger = await openTestLedger();
    const w = await SharedWindow.open(ledger, 'national', 3, 60_000);
    expect([await w.tryTake(), await w.tryTake(), await w.tryTake()]).toEqual([0, 0, 0]);
    const wait = await w.tryTake();
    expect(wait).toBeGreaterThan(59_000);
    expect(wait).toBeLessThanOrEqual(60_000);
    // Opened again with the same budget (the next drain, another worker): the same ring.
    const again = await SharedWindow.open(ledger, 'national', 3, 60_000);
    expect(await again.tryTake()).toBeGreaterThan(59_000);
    // Another target has its own.
    const other = await SharedWindow.open(ledger, 'provincial', 1, 60_000);
    expect([await other.tryTake(), await other.tryTake() > 0]).toEqual([0, true]);
  });

  it('a changed budget starts a full window, never a burst over the new budget', async () => {
    ledger = await openTestLedger();
    await SharedWindow.open(ledger, 'national', 2, 60_000);
    const bigger = await SharedWindow.open(ledger, 'national', 5, 60_000);
    expect(await bigger.tryTake()).toBeGreaterThan(59_000);
    const [row] = await ledger.rows<{ size: number; n: number }>(sql`select size, cardinality(ring)::int as n from rate_windows where target_id = 'national'`);
    expect(row).toEqual({ size: 5, n: 5 });
  });

  it('takers racing on two connections get exactly the window, no more', async () => {
    ledger = await openTestLedger();
    const second = await secondLedger(ledger);
    const a = await SharedWindow.open(ledger, 'national', 5, 60_000);
    const b = await SharedWindow.open(second, 'national', 5, 60_000);
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).tryTake()));
    expect(answers.filter((x) => x === 0)).toHaveLength(5);
  });

  it('limiterFor: one limiter per target and ledger in the process, a new one when the budget changes', async () => {
    ledger = await openTestLedger();
    const one = await limiterFor(ledger, { id: 'national', ratePerSecond: 40 });
    expect(await limiterFor(ledger, { id: 'national', ratePerSecond: 40 })).toBe(one);
    const changed = await limiterFor(ledger, { id: 'national', ratePerSecond: 20 });
    expect(changed).not.toBe(one);
    expect(changed.ratePerSecond).toBe(20);
    // On PostgreSQL its window is the database's.
    const rows = await ledger.rows<{ n: number }>(sql`select count(*)::int as n from rate_windows where target_id = 'national'`);
    expect(rows[0]?.n).toBe(ledger.kind === 'postgres' ? 1 : 0);
  });
});

describe('SharedWindow above 100 calls a second', () => {
  it('keeps a ring of at most 100 slots, each a few calls made at once, and never more than the budget in any second', async () => {
    ledger = await openTestLedger();
    expect(SharedWindow.shape(40)).toEqual({ slots: 40, perSlot: 1, extraMs: 0 });
    expect(SharedWindow.shape(250)).toEqual({ slots: 83, perSlot: 3, extraMs: 25 });
    expect(SharedWindow.shape(1_000_000)).toEqual({ slots: 100, perSlot: 10_000, extraMs: 25 });
    const second = await secondLedger(ledger);
    const a = await SharedWindow.open(ledger, 'national', 250);
    const b = await SharedWindow.open(second, 'national', 250);
    const [row] = await ledger.rows<{ n: number }>(sql`select cardinality(ring)::int as n from rate_windows where target_id = 'national'`);
    expect(row?.n).toBe(83);
    // Two takers as fast as they can for 1.6 s: every grant's time, then every one-second window counted.
    const granted: number[] = [];
    const until = performance.now() + 1600;
    await Promise.all(
      [a, b].map(async (w) => {
        while (performance.now() < until) {
          const wait = await w.tryTake();
          if (wait === 0) granted.push(performance.now());
          else await new Promise((r) => setTimeout(r, Math.min(wait, 20)));
        }
      }),
    );
    granted.sort((x, y) => x - y);
    let most = 0;
    for (let i = 0, j = 0; i < granted.length; i++) {
      while (granted[i]! - granted[j]! >= 1000) j++;
      most = Math.max(most, i - j + 1);
    }
    expect(granted.length).toBeGreaterThan(83);
    expect(most).toBeLessThanOrEqual(250);
  });
});
