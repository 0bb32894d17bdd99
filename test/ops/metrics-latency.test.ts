/**
 * The latency histogram of `/metrics` grows by the receipts written since the last scrape: a scrape
 * reads what changed, not every receipt ever written, and its counters never go down.
 */
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { generateDossiers } from '../../src/demo/generate.ts';
import { renderMetrics } from '../../src/metrics/index.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startSpine, type Spine } from '../support/spine.ts';

let spine: Spine | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
});

const LABELS = '{target="national",service="DongBoHoSoMC"';
const sample = (text: string, name: string, labels: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

async function receiptCount(s: Spine): Promise<{ n: number; fast: number }> {
  const [r] = await s.ledger.rows<{ n: number; fast: number }>(sql`select count(*)::int as n, count(*) filter (where duration_ms <= 30000)::int as fast
    from receipts where target_id = 'national' and service = 'DongBoHoSoMC'`);
  return r!;
}

describe('/metrics latency histogram', () => {
  it('counts every receipt at the first scrape, then adds only the new ones; counted calls stay counted', async () => {
    spine = await startSpine({ count: 6 });
    await runSync(spine.ledger, spine.config, { env: spine.env });
    const first = await receiptCount(spine);
    expect(first.n).toBeGreaterThanOrEqual(6);

    const a = await renderMetrics(spine.ledger, spine.config);
    expect(sample(a, 'lienthong_delivery_latency_seconds_count', `${LABELS}}`)).toBe(first.n);
    const b = await renderMetrics(spine.ledger, spine.config);
    expect(sample(b, 'lienthong_delivery_latency_seconds_count', `${LABELS}}`)).toBe(first.n);
    expect(sample(b, 'lienthong_delivery_latency_seconds_bucket', `${LABELS},le="30"}`)).toBe(first.fast);

    // Rewriting the durations of calls already counted does not change the counters: they are not read again.
    await spine.ledger.rows(sql`update receipts set duration_ms = 60000`);
    const c = await renderMetrics(spine.ledger, spine.config);
    expect(sample(c, 'lienthong_delivery_latency_seconds_bucket', `${LABELS},le="30"}`)).toBe(first.fast);
    expect(sample(c, 'lienthong_delivery_latency_seconds_count', `${LABELS}}`)).toBe(first.n);

    // New calls are added, scrape after scrape, exactly once.
    await spine.writeExport('0002.ndjson', [...generateDossiers({ count: 4, seed: 99 })].map((r, i) => JSON.parse(JSON.stringify(r).replaceAll(r.MaHoSo, `${r.MaHoSo.slice(0, -4)}9${String(i).padStart(3, '0')}`))));
    await runSync(spine.ledger, spine.config, { env: spine.env });
    const after = await receiptCount(spine);
    expect(after.n).toBeGreaterThanOrEqual(first.n + 4);
    for (let i = 0; i < 3; i++) {
      const d = await renderMetrics(spine.ledger, spine.config);
      expect(sample(d, 'lienthong_delivery_latency_seconds_count', `${LABELS}}`)).toBe(after.n);
      expect(sample(d, 'lienthong_delivery_latency_seconds_bucket', `${LABELS},le="+Inf"}`)).toBe(after.n);
    }
  });
});
