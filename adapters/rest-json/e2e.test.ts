/** End to end: a fake REST/JSON one-stop API (msw, cursor paging, bearer token) → the pipeline → the portal simulator. */
import { readFileSync } from 'node:fs';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { useFakeSource } from '../../test/support/fake-source.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));
const ALL = [fixture('page-1.json'), fixture('page-2.json')].flatMap((p) => (p as { ketQua: { danhSach: Record<string, unknown>[] } }).ketQua.danhSach);
const BASE = 'http://motcua-rest.test/api';
const TOKEN = 'e2e-Bearer-Token-9';

const e2e = useFakeSource(
  http.get(`${BASE}/hoso`, ({ request }) => {
    if (request.headers.get('authorization') !== `Bearer ${TOKEN}`) return new HttpResponse(null, { status: 401 });
    const after = Number(new URL(request.url).searchParams.get('after') ?? '0');
    return HttpResponse.json({ ketQua: { danhSach: ALL.slice(after, after + 2) }, tiep: after + 2 < ALL.length ? String(after + 2) : null });
  }),
);

describe('rest-json end to end', () => {
  it('pulls the API through the ledger to the portal simulator with progress', async () => {
    const spine = await e2e.startSpine({ count: 1 });
    const options = { baseUrl: BASE, path: 'hoso', auth: { type: 'bearer' }, tokenEnv: 'REST_E2E_TOKEN', paging: { type: 'cursor', cursorParam: 'after', cursorPath: 'tiep' }, recordsPath: 'ketQua.danhSach', mapping: fixture('mapping.json') };
    const config = parseConfig({ ...spine.config, sources: [{ id: 'rest-motcua', adapter: 'rest-json', pageSize: 1, options }] });
    const summary = await runSync(spine.ledger, config, { env: { ...spine.env, REST_E2E_TOKEN: TOKEN } });
    expect(summary.sources).toEqual([{ id: 'rest-motcua', pulled: 3, new: 3, changed: 0, unchanged: 0, quarantined: 0 }]);
    expect(summary.targets[0]).toMatchObject({ delivered: 3, dead: 0, pending: 0 });
    const held = spine.sim.dossier('000.00.20.H99-240311-0002');
    expect(held?.record).toMatchObject({ TrangThaiHoSo: '10', LoaiDoiTuong: '2', KenhThucHien: '1', NgayKetThucXuLy: '20240314160000' });
    expect(held?.progress.length).toBe(2);
  });
});
