/**
 * One rate budget for two drains of the same target at once (issue #13 goal 2): on PostgreSQL two
 * connections as two workers would have (the budget is the database's), on PGlite one process
 * (the budget is the process's). A counting fake portal time-stamps every call it receives; no
 * second of them holds more than `ratePerSecond` calls together.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openLedger, type Ledger } from '../../src/ledger/db.ts';
import { drainTarget, type DeliveryClient } from '../../src/outbox/index.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
let second: Ledger | undefined;
afterEach(async () => {
  await second?.close();
  await spine?.close();
  spine = second = undefined;
});

function maxInWindow(times: number[], windowMs = 1000): number {
  let best = 0;
  for (let lo = 0, hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('two drains of one target share its rate budget', () => {
  it('together they never make more than ratePerSecond calls in any second at the portal', async () => {
    const RATE = 10;
    spine = await startSpine({ count: 16, target: { ratePerSecond: RATE, concurrency: 4 } });
    await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
    second = spine.ledger.url ? await openLedger(spine.ledger.url, { migrate: false }) : spine.ledger;
    const received: number[] = [];
    const portal: DeliveryClient = {
      pushDossier: async () => {
        received.push(performance.now());
        await new Promise((r) => setTimeout(r, 30));
        return { outcome: 'ok' };
      },
      pushProgress: async () => {
        received.push(performance.now());
        await new Promise((r) => setTimeout(r, 30));
        return { outcome: 'ok' };
      },
      lookup: () => Promise.resolve({ found: false }),
    };
    const target = spine.config.targets[0]!;
    const drain = (ledger: Ledger, owner: string) => drainTarget(ledger, target, portal, { owner, leaseMs: 30_000, deadline: Date.now() + 60_000, batch: 1 });
    const [a, b] = await Promise.all([drain(spine.ledger, 'worker-a'), drain(second, 'worker-b')]);
    expect(a.delivered + b.delivered).toBe(16);
    // Both drains worked (a budget shared, not one drain doing everything).
    expect(Math.min(a.delivered, b.delivered)).toBeGreaterThan(0);
    const [counts] = await spine.ledger.rows<{ delivered: number }>(sql`select count(*) filter (where status = 'delivered')::int as delivered from deliveries`);
    expect(counts?.delivered).toBe(16);
    received.sort((x, y) => x - y);
    // Each dossier is one DongBoHoSoMC and at least one CapNhatTienDoHoSoMC: 3 s of budget or more.
    expect(received.length).toBeGreaterThanOrEqual(32);
    expect(maxInWindow(received)).toBeLessThanOrEqual(RATE);
  });
});
