/**
 * Integrity of webhook intake (issue 9 §4): replays are refused (signatures remembered in the
 * ledger, shared by every serve process), an older version never rolls a dossier back, units are
 * checked on the mapped dossier, and the signature covers the bytes received.
 */
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalDossierWithProgress } from '../../schemas/portal.ts';
import { createApp } from '../../src/http/app.ts';
import { createRecordMapping } from '../../src/intake/map.ts';
import { createLogger } from '../../src/logger.ts';
import { startApi, type ApiFixture } from './support.ts';

const SECRET = 'push-secret-0123456789';
let api: ApiFixture;
const now = Date.parse('2026-11-23T01:00:00Z');
const restMapping: unknown = JSON.parse(readFileSync(new URL('../../adapters/rest-json/fixtures/mapping.json', import.meta.url), 'utf8'));
const restRecord = (JSON.parse(readFileSync(new URL('../../adapters/rest-json/fixtures/page-1.json', import.meta.url), 'utf8')) as { ketQua: { danhSach: Record<string, unknown>[] } }).ketQua.danhSach[0]!;

beforeAll(async () => {
  api = await startApi({
    count: 6,
    deps: { now: () => now },
    configure: (spine) => {
      spine.config.sources.push({ id: 'hook', adapter: 'webhook', options: { mapping: 'portal' }, units: [], pageSize: 500, webhookSecretEnv: 'PUSH_SECRET' });
      spine.config.sources.push({
        id: 'rest',
        adapter: 'rest-json',
        options: { baseUrl: 'http://motcua-rest.test/api', path: 'hoso', recordsPath: 'ketQua.danhSach', mapping: restMapping },
        units: ['000.00.30.H99'],
        pageSize: 500,
        webhookSecretEnv: 'PUSH_SECRET',
      });
      spine.env['PUSH_SECRET'] = SECRET;
    },
  });
});
afterAll(() => api.spine.close());

const hmacHex = async (key: string, data: Uint8Array) => {
  const k = await crypto.subtle.importKey('raw', new TextEncoder().encode(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return `sha256=${Buffer.from(await crypto.subtle.sign('HMAC', k, data)).toString('hex')}`;
};

/** Signs `<ts>.<bytes>` over the exact bytes sent. */
async function signed(body: string | Uint8Array, ts: number) {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const prefix = new TextEncoder().encode(`${ts}.`);
  const all = new Uint8Array(prefix.length + bytes.length);
  all.set(prefix);
  all.set(bytes, prefix.length);
  return { 'x-lienthong-timestamp': String(ts), 'x-lienthong-signature': await hmacHex(SECRET, all) };
}

let tick = 0;
async function push(source: string, payload: unknown, opts: { ts?: number } = {}) {
  const body = JSON.stringify(payload);
  const ts = opts.ts ?? Math.floor(now / 1000) - ++tick;
  return { ts, res: await api.call(`/ingest/${source}`, { method: 'POST', body, headers: await signed(body, ts) }) };
}

function olderVersion(r: PortalDossierWithProgress): PortalDossierWithProgress {
  return { ...r, TrangThaiHoSo: '4', NgayTra: '', NgayKetThucXuLy: '', DanhSachGiayToKetQua: [], QuaTrinhXuLy: (r.QuaTrinhXuLy ?? []).filter((p) => Number(p.TrangThai) <= 4) };
}

describe('intake integrity', () => {
  it('refuses a replayed push (same signature inside the window), also on another serve process sharing the ledger', async () => {
    const record = api.spine.records[0]!;
    const first = await push('hook', record);
    expect(first.res.status).toBe(200);
    const replay = await push('hook', record, { ts: first.ts });
    expect(replay.res.status).toBe(409);
    expect(replay.res.body.error.code).toBe('replayed_push');
    // A second app over the same ledger (a second `serve` process) knows the signature too.
    const other = createApp({ ledger: api.spine.ledger, config: api.spine.config, env: api.spine.env, logger: createLogger({ level: 'silent' }), mapping: createRecordMapping(api.spine.env), now: () => now });
    const body = JSON.stringify(record);
    const res = await other.request('/ingest/hook', { method: 'POST', body, headers: { 'content-type': 'application/json', ...(await signed(body, first.ts)) } });
    expect(res.status).toBe(409);
  });

  it('never rolls a dossier back to an older version: a captured status-4 push after status 10 is answered stale', async () => {
    const finished = api.spine.records.find((r) => r.TrangThaiHoSo === '10')!;
    const older = olderVersion(finished);
    // Captured earlier: the status-4 body, signed inside the window.
    expect((await push('hook', older)).res.body).toMatchObject({ new: 1 });
    expect((await push('hook', finished)).res.body).toMatchObject({ changed: 1 });
    await api.spine.ledger.rows(sql`update deliveries set status = 'delivered' where source_id = 'hook'`);
    const late = await push('hook', older);
    expect(late.res.status).toBe(200);
    expect(late.res.body).toMatchObject({ new: 0, changed: 0, unchanged: 0, stale: 1 });
    expect(late.res.body.staleCodes).toEqual([finished.MaHoSo]);
    const rows = await api.spine.ledger.rows<{ status: number; q: string }>(sql`
      select d.status, q.status as q from dossiers d join deliveries q on q.dossier_id = d.id where d.source_id = 'hook' and d.code = ${finished.MaHoSo}`);
    expect(rows).toEqual([{ status: 10, q: 'delivered' }]);
    const kept = await api.spine.ledger.rows<{ n: number }>(sql`select count(*)::int as n from stale_versions where source_id = 'hook' and code = ${finished.MaHoSo}`);
    expect(kept[0]?.n).toBe(1);
  });

  it("checks the mapped dossier's unit, not a decoy MaHoSo field in the raw record", async () => {
    const before = await api.spine.ledger.rows<{ n: number }>(sql`select count(*)::int as n from dossiers where source_id = 'rest'`);
    // The source may write unit 000.00.30.H99; the record maps (soHoSo, donVi SXD) to 000.00.20.H99.
    const decoy = { ...restRecord, MaHoSo: '000.00.30.H99-240311-0101' };
    const { res } = await push('rest', decoy);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('unit_not_allowed');
    expect(JSON.stringify(res.body.error.errors)).toContain('000.00.20.H99');
    const after = await api.spine.ledger.rows<{ n: number }>(sql`select count(*)::int as n from dossiers where source_id = 'rest'`);
    expect(after).toEqual(before);
  });

  it('verifies the signature over the bytes received, and refuses a body that is not UTF-8', async () => {
    const record = api.spine.records[1]!;
    const text = JSON.stringify({ ...record, GhiChu: 'X' });
    const bytes = new TextEncoder().encode(text);
    const at = text.indexOf('"X"') + 1;
    // An invalid UTF-8 byte where the X was.
    const broken = new Uint8Array(bytes);
    broken[at] = 0xff;
    const ts = Math.floor(now / 1000) - ++tick;
    // Signed over the decoded text (U+FFFD in place of the byte): not the bytes that were sent.
    const decoded = new TextDecoder().decode(broken);
    const overText = await api.call('/ingest/hook', { method: 'POST', body: broken, headers: await signed(decoded, ts) });
    expect(overText.status).toBe(401);
    expect(overText.body.error.code).toBe('invalid_signature');
    // Signed over the bytes: the signature holds, the encoding does not.
    const overBytes = await api.call('/ingest/hook', { method: 'POST', body: broken, headers: await signed(broken, ts - 1) });
    expect(overBytes.status).toBe(400);
    expect(overBytes.body.error.errors[0]).toMatchObject({ path: 'body', message: expect.stringContaining('UTF-8') });
  });
});
