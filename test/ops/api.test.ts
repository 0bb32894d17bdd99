/**
 * The HTTP API in-process (`app.request()`) over a real ledger: keys and roles, masking for
 * viewers, the error envelope, validation listing every issue, and each resource.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/http/app.ts';
import { createRecordMapping } from '../../src/intake/map.ts';
import { silentLogger } from '../../src/logger.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { openTestLedger } from '../support/ledger.ts';
import { startApi, type ApiFixture } from './support.ts';

let api: ApiFixture;
let code: string;

beforeAll(async () => {
  api = await startApi({ count: 12 });
  const bad = { ...api.spine.records[0], MaHoSo: 'BAD-0001', NgayTiepNhan: 'yesterday' };
  await api.spine.writeExport('0002.ndjson', [bad]);
  await runSync(api.spine.ledger, api.spine.config, { env: api.spine.env });
  code = api.spine.records[1]!.MaHoSo;
});
afterAll(() => api.spine.close());

describe('authentication and roles', () => {
  it('serves /healthz and /readyz without a key', async () => {
    expect((await api.call('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await api.call('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ready');
  });

  it('refuses the API without a key, with the error envelope and a request id', async () => {
    const res = await api.call('/api/v1/runs');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthorized');
    expect(res.body.error.requestId).toBe(res.headers.get('x-request-id'));
  });

  it('refuses an unknown key and a revoked one', async () => {
    expect((await api.call('/api/v1/runs', { headers: { authorization: 'Bearer lt_nope' } })).status).toBe(401);
    const created = await api.call('/api/v1/api-keys', { as: 'admin', method: 'POST', body: JSON.stringify({ name: 'temp', role: 'viewer' }) });
    expect(created.status).toBe(201);
    const auth = { authorization: `Bearer ${created.body.key}` };
    expect((await api.call('/api/v1/runs', { headers: auth })).status).toBe(200);
    expect((await api.call(`/api/v1/api-keys/${created.body.info.id}`, { as: 'admin', method: 'DELETE' })).body).toEqual({ revoked: 1 });
    expect((await api.call('/api/v1/runs', { headers: auth })).status).toBe(401);
  });

  it('stores only the hash of a key', async () => {
    const rows = await api.spine.ledger.rows<{ key_hash: string }>(sql`select key_hash from api_keys`);
    expect(rows.length).toBeGreaterThan(0);
    for (const k of Object.values(api.keys)) expect(rows.some((r) => r.key_hash.includes(k) || k.includes(r.key_hash))).toBe(false);
  });

  it('lets a viewer read but not act, and says which role is needed', async () => {
    const res = await api.call('/api/v1/deliveries/retry', { as: 'viewer', method: 'POST', body: '{}' });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'forbidden' });
    expect(res.body.error.message).toContain('operator');
    expect((await api.call('/api/v1/api-keys', { as: 'operator' })).status).toBe(403);
  });

  it('masks citizen ID numbers, phones and e-mails for viewers only', async () => {
    const record = api.spine.records[1]!;
    const viewer = await api.call(`/api/v1/dossiers/${code}`, { as: 'viewer' });
    const operator = await api.call(`/api/v1/dossiers/${code}`, { as: 'operator' });
    expect(viewer.status).toBe(200);
    const v = viewer.body.versions[0];
    const o = operator.body.versions[0];
    expect(o.canonical.applicant.idNumber).toBe(record.SoGiayToChuHoSo);
    expect(v.canonical.applicant.idNumber).toBe('*'.repeat(record.SoGiayToChuHoSo!.length - 3) + record.SoGiayToChuHoSo!.slice(-3));
    expect(v.raw.SoGiayToChuHoSo).not.toBe(record.SoGiayToChuHoSo);
    expect(JSON.stringify(viewer.body)).not.toContain(record.SoGiayToChuHoSo);
    if (record.SoDienThoai) expect(JSON.stringify(viewer.body)).not.toContain(record.SoDienThoai);
    expect(v.canonical.summary).toBe(o.canonical.summary);
  });
});

describe('errors', () => {
  it('lists every invalid query parameter with its path', async () => {
    const res = await api.call('/api/v1/dossiers?status=99&limit=0&from=1-1-2026', { as: 'viewer' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('validation_error');
    expect(res.body.error.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.from', 'query.limit', 'query.status']);
  });

  it('answers 404 in the envelope for an unknown dossier and an unknown route', async () => {
    const res = await api.call('/api/v1/dossiers/NOPE-1', { as: 'viewer' });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect((await api.call('/api/v1/nothing', { as: 'viewer' })).body.error.code).toBe('not_found');
  });

  it('never shows a database error to the client', async () => {
    // A real failing query: its driver error embeds the SQL and the table name.
    const broken = await openTestLedger();
    await broken.rows(sql`drop table api_keys`);
    const app = createApp({ ledger: broken, config: api.spine.config, env: {}, logger: silentLogger(), mapping: createRecordMapping({}) });
    const res = await app.request('/api/v1/runs', { headers: { authorization: `Bearer ${api.keys.viewer}` } });
    await broken.close();
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).toBe(500);
    expect(body.error.code).toBe('internal_error');
    expect(JSON.stringify(body)).not.toMatch(/select|api_keys|relation/i);
  });
});

describe('resources', () => {
  it('lists sources with their last run and open quarantine', async () => {
    const res = await api.call('/api/v1/sources', { as: 'viewer' });
    const local = res.body.sources.find((s: { id: string }) => s.id === 'local');
    expect(local).toMatchObject({ id: 'local', adapter: 'dvcqg-file', dossiers: 12, openQuarantine: 1, running: false, webhook: false });
    expect(local.lastRun.status).toBe('attention');
    expect(local.lastSuccessAt).toEqual(local.lastRun.finishedAt);
    expect((await api.call('/api/v1/sources/nope', { as: 'viewer' })).status).toBe(404);
  });

  it('answers 503 when asked to start a run where no scheduler runs', async () => {
    const res = await api.call('/api/v1/sources/local/runs', { as: 'operator', method: 'POST' });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('scheduler_unavailable');
  });

  it('lists runs and shows one', async () => {
    const list = await api.call('/api/v1/runs?limit=5', { as: 'viewer' });
    expect(list.body.runs).toHaveLength(1);
    const one = await api.call(`/api/v1/runs/${list.body.runs[0].id}`, { as: 'viewer' });
    expect(one.body.summary.sources[0]).toMatchObject({ id: 'local', pulled: 13, new: 12, quarantined: 1 });
    expect((await api.call('/api/v1/runs/not-a-uuid', { as: 'viewer' })).status).toBe(400);
  });

  it('searches dossiers by code prefix, unit, status and local reception day', async () => {
    const record = api.spine.records[1]!;
    const byCode = await api.call(`/api/v1/dossiers?code=${encodeURIComponent(code)}`, { as: 'viewer' });
    expect(byCode.body.dossiers.map((d: { code: string }) => d.code)).toEqual([code]);
    expect(byCode.body.dossiers[0].deliveries).toEqual([{ targetId: 'national', status: 'delivered' }]);
    const prefix = await api.call(`/api/v1/dossiers?code=${encodeURIComponent(code.slice(0, 10))}*&limit=500`, { as: 'viewer' });
    expect(prefix.body.dossiers.length).toBe(api.spine.records.filter((r) => r.MaHoSo.startsWith(code.slice(0, 10))).length);
    const d = record.NgayTiepNhan!;
    const day = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}`;
    const byDay = await api.call(`/api/v1/dossiers?from=${day}&to=${day}&status=${record.TrangThaiHoSo}`, { as: 'viewer' });
    expect(byDay.body.dossiers.map((x: { code: string }) => x.code)).toContain(code);
    for (const x of byDay.body.dossiers) expect(x.status).toBe(Number(record.TrangThaiHoSo));
  });

  it('lists quarantine with every issue and replays it', async () => {
    const q = await api.call('/api/v1/quarantine', { as: 'viewer' });
    expect(q.body.entries).toHaveLength(1);
    expect(q.body.entries[0].issues.map((i: { path: string }) => i.path)).toContain('NgayTiepNhan');
    const replay = await api.call('/api/v1/quarantine/replay', { as: 'operator', method: 'POST', body: JSON.stringify({ source: 'local' }) });
    expect(replay.body).toEqual({ sourceId: 'local', replayed: 1, stored: 0, stillQuarantined: 1, notReplayable: [] });
    const missing = await api.call('/api/v1/quarantine/replay', { as: 'operator', method: 'POST', body: JSON.stringify({}) });
    expect(missing.status).toBe(400);
    expect(missing.body.error.errors[0].path).toBe('body.source');
  });

  it('lists deliveries by status and sends dead ones again', async () => {
    await api.spine.ledger.rows(sql`update deliveries set status = 'dead', last_error = 'rejected' where id = (select min(id) from deliveries)`);
    const dead = await api.call('/api/v1/deliveries?status=dead', { as: 'viewer' });
    expect(dead.body.deliveries).toHaveLength(1);
    const retry = await api.call('/api/v1/deliveries/retry', { as: 'operator', method: 'POST', body: JSON.stringify({ target: 'national' }) });
    expect(retry.body).toEqual({ requeued: 1 });
    expect((await api.call('/api/v1/deliveries?status=dead', { as: 'viewer' })).body.deliveries).toHaveLength(0);
    expect((await api.call('/api/v1/deliveries?status=pending', { as: 'viewer' })).body.deliveries[0].id).toBe(dead.body.deliveries[0].id);
  });

  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const doc = (await api.call('/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/sources', '/api/v1/dossiers/{code}', '/api/v1/quarantine/replay', '/ingest/{sourceId}']));
    const search = doc.paths['/api/v1/dossiers'].get;
    expect(search.parameters.find((p: { name: string }) => p.name === 'status').schema).toMatchObject({ minimum: 1, maximum: 10 });
    expect(search['x-role']).toBe('viewer');
    expect(doc.paths['/api/v1/deliveries/retry'].post.requestBody.content['application/json'].schema.properties.ids.type).toBe('array');
    const ingest = doc.paths['/ingest/{sourceId}'].post;
    expect(Object.keys(ingest.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '409', '413']));
    expect(Object.keys(ingest.responses['200'].content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['restored', 'stale', 'staleCodes', 'rejected']));
  });

  it('writes one JSON log line per request carrying its request id, without the key', async () => {
    const res = await api.call('/api/v1/runs', { as: 'viewer', headers: { 'x-request-id': 'req-abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('req-abc-123');
    const lines = api.logs.filter((l) => l['requestId'] === 'req-abc-123');
    expect(lines.some((l) => l['msg'] === 'request' && l['status'] === 200)).toBe(true);
    expect(JSON.stringify(api.logs)).not.toContain(api.keys.viewer);
  });

  it('logs which key acted (its name and prefix, never the key) and only the start of a long path', async () => {
    await api.call('/api/v1/runs', { as: 'operator', headers: { 'x-request-id': 'req-which-key' } });
    const line = api.logs.find((l) => l['requestId'] === 'req-which-key' && l['msg'] === 'request');
    expect(line).toMatchObject({ apiKeyName: 'ops', apiKeyPrefix: api.keys.operator.slice(0, 7) });
    expect(JSON.stringify(api.logs)).not.toContain(api.keys.operator);

    const long = `/api/v1/${'a'.repeat(16_000)}`;
    const res = await api.call(long, { headers: { 'x-request-id': 'req-long-path' } });
    expect(res.status).toBe(404);
    const logged = api.logs.find((l) => l['requestId'] === 'req-long-path' && l['msg'] === 'request');
    expect(logged?.['path']).toBe(`/api/v1/${'a'.repeat(192)}… [cut: 16.008 characters in all]`);
  });
});
