/**
 * Webhook intake `POST /ingest/{sourceId}`: signature and replay window, body limit, units of the
 * source, and the same pipeline as a pull (quarantine included), acknowledged once stored.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/intake/signature.ts';
import { startApi, type ApiFixture } from './support.ts';

const SECRET = 'push-secret-0123456789';
let api: ApiFixture;
const now = Date.parse('2026-11-23T01:00:00Z');

beforeAll(async () => {
  api = await startApi({
    count: 6,
    deps: { now: () => now },
    configure: (spine) => {
      spine.config.sources.push({ id: 'push', adapter: 'dvcqg-file', options: {}, units: ['000.31.48.H48'], pageSize: 500, webhookSecretEnv: 'PUSH_SECRET' });
      spine.config.sources.push({ id: 'hook', adapter: 'webhook', options: { mapping: 'portal' }, units: [], pageSize: 500, webhookSecretEnv: 'PUSH_SECRET' });
      spine.config.server.bodyLimitBytes = 64 * 1024;
      spine.env['PUSH_SECRET'] = SECRET;
    },
  });
});
afterAll(() => api.spine.close());

async function push(payload: unknown, opts: { secret?: string; ageSeconds?: number; source?: string } = {}) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const ts = Math.floor(now / 1000) - (opts.ageSeconds ?? 0);
  const signature = await signPayload(opts.secret ?? SECRET, ts, body);
  return api.call(`/ingest/${opts.source ?? 'push'}`, { method: 'POST', body, headers: { 'x-lienthong-timestamp': String(ts), 'x-lienthong-signature': signature } });
}

const count = async (table: 'dossiers' | 'quarantine' | 'deliveries') =>
  (await api.spine.ledger.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(table)}`))[0]?.n ?? 0;

describe('webhook intake', () => {
  it('stores valid records with their deliveries and quarantines invalid ones, in one answer', async () => {
    const [a, b] = api.spine.records.filter((r) => r.MaHoSo.startsWith('000.31.48.H48'));
    const bad = { ...b, NgayHenTra: '2026-13-45' };
    const res = await push([a, bad]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sourceId: 'push', received: 2, new: 1, changed: 0, unchanged: 0, quarantined: 1 });
    expect(res.body.rejected[0].key).toBe(b!.MaHoSo);
    expect(res.body.rejected[0].issues.map((i: { path: string }) => i.path)).toContain('NgayHenTra');
    const rows = await api.spine.ledger.rows<{ source_id: string; target_id: string; status: string }>(sql`
      select d.source_id, q.target_id, q.status from dossiers d join deliveries q on q.dossier_id = d.id where d.code = ${a!.MaHoSo}`);
    expect(rows).toEqual([{ source_id: 'push', target_id: 'national', status: 'pending' }]);
  });

  it('accepts one object as well as an array, and a repeated push changes nothing', async () => {
    const [a] = api.spine.records.filter((r) => r.MaHoSo.startsWith('000.31.48.H48'));
    const again = await push(a);
    expect(again.body).toMatchObject({ received: 1, new: 0, changed: 0, unchanged: 1 });
  });

  it('refuses a wrong signature, a wrong secret and a missing one, storing nothing', async () => {
    const before = await count('dossiers');
    const record = api.spine.records.find((r) => r.MaHoSo.startsWith('000.31.48.H48') && r !== api.spine.records[0]);
    const wrong = await push(record, { secret: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe('invalid_signature');
    const unsigned = await api.call('/ingest/push', { method: 'POST', body: JSON.stringify(record) });
    expect(unsigned.status).toBe(401);
    const ts = String(Math.floor(now / 1000));
    const tampered = await api.call('/ingest/push', {
      method: 'POST',
      body: JSON.stringify({ ...record, ChuHoSo: 'X' }),
      headers: { 'x-lienthong-timestamp': ts, 'x-lienthong-signature': await signPayload(SECRET, Number(ts), JSON.stringify(record)) },
    });
    expect(tampered.body.error.code).toBe('invalid_signature');
    expect(await count('dossiers')).toBe(before);
  });

  it('refuses a push older than the 5-minute replay window, and accepts one just inside it', async () => {
    const [, , c] = api.spine.records.filter((r) => r.MaHoSo.startsWith('000.31.48.H48'));
    const stale = await push(c ?? api.spine.records[0], { ageSeconds: 301 });
    expect(stale.status).toBe(401);
    expect(stale.body.error.code).toBe('stale_timestamp');
    expect((await push(c ?? api.spine.records[0], { ageSeconds: 299 })).status).toBe(200);
  });

  it('refuses a body over the size limit with 413', async () => {
    const res = await push({ MaHoSo: 'X', padding: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('payload_too_large');
  });

  it("refuses a payload naming another unit's dossier, storing none of it", async () => {
    const before = { d: await count('dossiers'), q: await count('quarantine') };
    const own = api.spine.records.find((r) => r.MaHoSo.startsWith('000.31.48.H48'));
    const other = { ...own, MaHoSo: '000.20.48.H48-261001-9999' };
    const res = await push([own, other]);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('unit_not_allowed');
    expect(res.body.error.errors).toEqual([{ path: '[1].MaHoSo', message: expect.stringContaining('000.20.48.H48') }]);
    expect({ d: await count('dossiers'), q: await count('quarantine') }).toEqual(before);
  });

  it('answers 404 for a source that does not accept pushes and 400 for a body that is not JSON', async () => {
    expect((await push([], { source: 'local' })).status).toBe(404);
    const res = await push('{not json');
    expect(res.status).toBe(400);
    expect(res.body.error.errors[0].path).toBe('body');
  });

  it("splits a webhook source's pushes with its adapter: the portal envelope { session, madonvi, service, data }", async () => {
    const records = api.spine.records.slice(-2);
    const res = await push({ session: 'x', madonvi: '000.00.00.H48', service: 'DongBoHoSoMC', data: records }, { source: 'hook' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ sourceId: 'hook', received: 2, new: 2, quarantined: 0 });
    const stored = await api.spine.ledger.rows<{ code: string }>(sql`select code from dossiers where source_id = 'hook' order by code`);
    expect(stored.map((r) => r.code)).toEqual(records.map((r) => r.MaHoSo).sort());
    const empty = await push({ khac: 1, data: 'none' }, { source: 'hook' });
    expect(empty.status).toBe(200);
    expect(empty.body.quarantined).toBe(1);
  });

  it('keeps the citizen ID numbers of pushed records out of the logs', async () => {
    const ids = api.spine.records.map((r) => r.SoGiayToChuHoSo).filter(Boolean) as string[];
    const text = JSON.stringify(api.logs);
    expect(api.logs.some((l) => l['msg'] === 'push stored')).toBe(true);
    for (const id of ids) expect(text).not.toContain(id);
  });

  it('answers a push with a record nested 20,000 deep by quarantining it, never with a 500', async () => {
    for (const source of ['hook', 'push']) {
      const [a] = api.spine.records.filter((r) => r.MaHoSo.startsWith('000.31.48.H48'));
      const body = `[${JSON.stringify(a).slice(0, -1)},"deep":${'['.repeat(20_000)}${']'.repeat(20_000)}}]`;
      const res = await push(body, { source });
      expect([res.status, source]).toEqual([200, source]);
      expect(res.body).toMatchObject({ received: 1, quarantined: 1 });
      expect(JSON.stringify(res.body.rejected[0].issues)).toContain('too_deep');
    }
  });
});

