/**
 * A portal that answers 429 with `Retry-After: 86400` (a day) is waited at most the ceiling every
 * HTTP call has (MAX_RETRY_AFTER_WAIT_MS, 300 s): the delivery's lease is not held for a day, and
 * when the run's deadline cuts the wait the delivery's next attempt is after the wait asked for
 * (cut to the same ceiling), not at once.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_RETRY_AFTER_WAIT_MS } from '../../src/net/index.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

describe('Retry-After of a day', () => {
  it('holds the lease and the next attempt at most the ceiling away', async () => {
    spine = await startSpine({ count: 1, faults: { p429: 1, retryAfterSeconds: 86_400 }, deadlineMs: 4_000 });
    await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
    const run = runSync(spine.ledger, spine.config, { env: spine.env });
    // While the sender waits, the lease runs out at most leaseMs (10 s in the spine) + the ceiling from now.
    // (The failed attempt is written first, the lease extended right after: the longest lease seen counts.)
    let leaseMs: number | null = null;
    for (let i = 0; i < 60 && (leaseMs === null || leaseMs < 20_000); i++) {
      await new Promise((r) => setTimeout(r, 50));
      const [row] = await spine.ledger.rows<{ attempts: number; lease_ms: number | null }>(sql`select attempts,
        (extract(epoch from (lease_until - now())) * 1000)::float8 as lease_ms from deliveries`);
      if (row && row.attempts >= 1 && row.lease_ms !== null) leaseMs = Math.max(leaseMs ?? 0, row.lease_ms);
    }
    expect(leaseMs).not.toBeNull();
    expect(leaseMs!).toBeGreaterThan(MAX_RETRY_AFTER_WAIT_MS - 5_000);
    expect(leaseMs!).toBeLessThanOrEqual(10_000 + MAX_RETRY_AFTER_WAIT_MS);

    const s = await run;
    expect(s.targets[0]).toMatchObject({ delivered: 0, dead: 0, pending: 1 });
    const [after] = await spine.ledger.rows<{ next_ms: number; lease_until: string | null }>(sql`select lease_until,
      (extract(epoch from (next_attempt_at - now())) * 1000)::float8 as next_ms from deliveries`);
    expect(after!.lease_until).toBeNull();
    // The portal asked for a day: not before the ceiling (less the seconds since), never a day.
    expect(after!.next_ms).toBeGreaterThan(MAX_RETRY_AFTER_WAIT_MS - 10_000);
    expect(after!.next_ms).toBeLessThanOrEqual(MAX_RETRY_AFTER_WAIT_MS);
  });
});
