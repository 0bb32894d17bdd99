import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { renderMetrics } from '../../src/metrics/index.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

const DOSSIERS = 20;
const MAX_ATTEMPTS = 6;

describe('circuit breaker per target (targets[].breaker)', () => {
  it('during an outage it stops calling, burns no attempts, and the next run after the outage delivers everything', async () => {
    spine = await startSpine({
      count: DOSSIERS,
      faults: { p503: 1 },
      deadlineMs: 2500,
      target: { breaker: { failures: 5, coolDownSeconds: 0.2 }, retry: { maxAttempts: MAX_ATTEMPTS, minDelayMs: 20, maxDelayMs: 200 } },
    });
    await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
    const outage = await runSync(spine.ledger, spine.config, { env: spine.env, pull: false });
    const t = outage.targets[0]!;
    expect(t).toMatchObject({ delivered: 0, dead: 0, pending: DOSSIERS });
    // Without a breaker the outage costs dossiers × attempts calls (120 here); with it: the failures
    // that open it, the calls in flight then, and one probe per cool-down (0.2, 0.4, 0.8, 1.6 s).
    const calls = spine.sim.stats().total;
    expect(calls).toBeLessThanOrEqual(25);
    expect(t.breaker?.opens).toBeGreaterThanOrEqual(2);
    expect(['open', 'half-open']).toContain(t.breaker?.state);
    expect(Date.parse(t.breaker!.lastOpenedAt!)).toBeGreaterThan(Date.parse(outage.startedAt));
    const rows = await spine.ledger.rows<{ status: string; attempts: number }>(sql`select status, attempts from deliveries`);
    expect(rows).toHaveLength(DOSSIERS);
    for (const r of rows) {
      expect(r.status).toBe('pending');
      expect(r.attempts).toBeLessThan(MAX_ATTEMPTS);
    }
    // Most deliveries were never tried at all: the attempts burned are about the calls made.
    expect(rows.filter((r) => r.attempts === 0).length).toBeGreaterThanOrEqual(DOSSIERS / 2);
    // The state is in the stored run summary and in /metrics.
    const [stored] = await spine.ledger.rows<{ state: string }>(sql`select summary->'targets'->0->'breaker'->>'state' as state from runs where id = ${outage.runId}::uuid`);
    expect(stored?.state).toBe(t.breaker?.state);
    expect(await renderMetrics(spine.ledger, spine.config)).toMatch(/^lienthong_target_breaker_state\{target="national"\} [12]$/m);

    spine.sim.setFaults({});
    await spine.ledger.rows(sql`update deliveries set next_attempt_at = now()`);
    const after = await runSync(spine.ledger, spine.config, { env: spine.env, pull: false });
    // The same process keeps the target's breaker: the next run probes once, the portal answers, it closes.
    expect(after.targets[0]).toMatchObject({ delivered: DOSSIERS, pending: 0, dead: 0, breaker: { state: 'closed', opens: t.breaker!.opens, lastOpenedAt: t.breaker!.lastOpenedAt } });
    expect(spine.sim.stats().dossiers).toBe(DOSSIERS);
    expect(await renderMetrics(spine.ledger, spine.config)).toMatch(/^lienthong_target_breaker_state\{target="national"\} 0$/m);
  });

  it('an outage that ends while the run waits: the probe closes the circuit and the same run delivers everything', async () => {
    spine = await startSpine({
      count: DOSSIERS,
      faults: { p503: 1 },
      deadlineMs: 20_000,
      target: { breaker: { failures: 3, coolDownSeconds: 0.3 }, retry: { maxAttempts: MAX_ATTEMPTS, minDelayMs: 20, maxDelayMs: 100 } },
    });
    await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
    setTimeout(() => spine?.sim.setFaults({}), 1000);
    const s = await runSync(spine.ledger, spine.config, { env: spine.env, pull: false });
    expect(s.targets[0]).toMatchObject({ delivered: DOSSIERS, pending: 0, dead: 0 });
    expect(s.targets[0]!.breaker).toMatchObject({ state: 'closed' });
    expect(s.targets[0]!.breaker!.opens).toBeGreaterThanOrEqual(1);
  });
});
