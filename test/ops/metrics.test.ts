/**
 * `/metrics` without a key, in the Prometheus text format, with figures computed from the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMetrics } from '../../src/metrics/index.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { startApi, type ApiFixture } from './support.ts';

let api: ApiFixture;
beforeAll(async () => {
  api = await startApi({ count: 8, deps: {} });
  await api.spine.writeExport('0002.ndjson', [{ ...api.spine.records[0], MaHoSo: 'BAD-1', TrangThaiHoSo: '42' }]);
  await runSync(api.spine.ledger, api.spine.config, { env: api.spine.env });
});
afterAll(() => api.spine.close());

const sample = (text: string, name: string, labels: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
};

describe('/metrics', () => {
  it('answers 404 when no metrics were wired, and the text format without a key when they are', async () => {
    expect((await api.call('/metrics')).status).toBe(404);
    const { createApp } = await import('../../src/http/app.ts');
    const { silentLogger } = await import('../../src/logger.ts');
    const { createRecordMapping } = await import('../../src/intake/map.ts');
    const app = createApp({ ledger: api.spine.ledger, config: api.spine.config, env: {}, logger: silentLogger(), mapping: createRecordMapping({}), metrics: () => renderMetrics(api.spine.ledger, api.spine.config) });
    const res = await app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(await res.text()).toContain('# TYPE lienthong_outbox_depth gauge');
  });

  it('reports pulled, quarantined, delivered, dead, outbox depth and run age from the ledger', async () => {
    const text = await renderMetrics(api.spine.ledger, api.spine.config);
    expect(sample(text, 'lienthong_dossiers_pulled', '{source="local"}')).toBe(8);
    expect(sample(text, 'lienthong_dossiers_quarantined', '{source="local"}')).toBe(1);
    expect(sample(text, 'lienthong_dossiers_delivered', '{source="local",target="national"}')).toBe(8);
    expect(sample(text, 'lienthong_dossiers_dead', '{source="local",target="national"}')).toBe(0);
    expect(sample(text, 'lienthong_outbox_depth', '{target="national"}')).toBe(0);
    const age = sample(text, 'lienthong_seconds_since_last_successful_run', '{source="local"}');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(120);
  });

  it('exposes a cumulative latency histogram of the calls recorded in the receipts', async () => {
    const text = await renderMetrics(api.spine.ledger, api.spine.config);
    const labels = '{target="national",service="DongBoHoSoMC"';
    const count = sample(text, 'lienthong_delivery_latency_seconds_count', `${labels}}`);
    expect(count).toBeGreaterThanOrEqual(8);
    expect(sample(text, 'lienthong_delivery_latency_seconds_bucket', `${labels},le="+Inf"}`)).toBe(count);
    const buckets = text.split('\n').filter((l) => l.startsWith(`lienthong_delivery_latency_seconds_bucket${labels}`)).map((l) => Number(l.split(' ').pop()));
    expect(buckets).toEqual([...buckets].sort((a, b) => a - b));
  });

  it('reports a source never run successfully as NaN, not as zero', async () => {
    const config = { ...api.spine.config, sources: [...api.spine.config.sources, { ...api.spine.config.sources[0]!, id: 'never' }] };
    const text = await renderMetrics(api.spine.ledger, config);
    expect(text).toContain('lienthong_seconds_since_last_successful_run{source="never"} NaN');
  });
});
