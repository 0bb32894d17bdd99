import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import type { PortalDossier } from '../../schemas/portal.ts';
import { parseOptions } from '../cli/commands/portal-sim.ts';
import { createPortalSimApp } from './app.ts';
import { MSG_BUSY, MSG_EXPIRED_2, parseDialects } from './dialects.ts';
import type { PortalSimOptions } from './types.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../test/fixtures/contract/${name}.json`, import.meta.url), 'utf8')) as { data: unknown[] };
const dossierA = () => fixture('a-dongbo-first-push').data[0] as PortalDossier;
const UNIT = '000.00.00.H56';

function boot(opts: PortalSimOptions) {
  const { app, control } = createPortalSimApp(opts);
  const raw = (path: string, init: RequestInit) => app.request(path, init);
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await raw(path, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  const token = async () => {
    const res = await raw('/oauth2/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'lienthong', client_secret: 'client-secret' }).toString(),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };
  return { app, control, raw, post, token };
}


describe('portal simulator dialects', () => {
  it('parses a comma list and names an unknown dialect with the known ones', () => {
    expect(parseDialects('oauth2, busy-200,oauth2')).toEqual(['oauth2', 'busy-200']);
    expect(() => parseDialects('oauth2,oath')).toThrow(/unknown dialect "oath"; known: oauth2, busy-200/);
    expect(parseOptions(['--dialect', 'upper-keys,windows-1258'], {})).toMatchObject({ dialect: ['upper-keys', 'windows-1258'] });
    expect(() => parseOptions(['--dialect', 'x'], {})).toThrow(/--dialect: unknown dialect "x"/);
    expect(parseOptions([], {})).not.toHaveProperty('dialect');
  });

  it('oauth2: a form-encoded client-credentials token is needed; an expired token gets 401, or -2 with expiry-2', async () => {
    const sim = boot({ dialect: ['oauth2'], tokenTtlSeconds: 5 });
    const path = `/DongBoHoSoMC?MaDinhDanhDV=${UNIT}&isUpdating=False`;
    expect((await sim.post(path, [dossierA()])).status).toBe(401);
    const t = await sim.token();
    expect(t.status).toBe(200);
    expect(t.json).toMatchObject({ token_type: 'Bearer', expires_in: 5 });
    const auth = { Authorization: `Bearer ${t.json.access_token as string}` };
    expect((await sim.post(path, [dossierA()], auth)).json.error_code).toBe('0');
    sim.control.expireSessions();
    expect((await sim.post(path.replace('False', 'True'), [dossierA()], auth)).status).toBe(401);
    const json = await sim.raw('/oauth2/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(400);

    const sim2 = boot({ dialect: ['oauth2', 'expiry-2'] });
    const auth2 = { Authorization: `Bearer ${(await sim2.token()).json.access_token as string}` };
    sim2.control.expireSessions();
    const r = await sim2.post(path, [dossierA()], auth2);
    expect(r).toEqual({ status: 200, json: { error_code: '-2', message: MSG_EXPIRED_2 } });
  });

  it('busy-200: every third push is a -1 busy answer in a 200 and stores nothing', async () => {
    const sim = boot({ dialect: ['busy-200'] });
    const path = (u: string) => `/DongBoHoSoMC?MaDinhDanhDV=${UNIT}&isUpdating=${u}`;
    expect((await sim.post(path('False'), [dossierA()])).json.error_code).toBe('0');
    expect((await sim.post(path('True'), [dossierA()])).json.error_code).toBe('0');
    expect(await sim.post(path('True'), [dossierA()])).toEqual({ status: 200, json: { error_code: '-1', message: MSG_BUSY } });
    expect(sim.control.dossier(dossierA().MaHoSo)?.pushes).toBe(2);
  });

  it('expiry-2: an expired session is answered -2 with wording of its own', async () => {
    const sim = boot({ dialect: ['expiry-2'] });
    const session = (await sim.post('/auth', { username: 'lienthong', password: 'secret' })).json.session;
    sim.control.expireSessions();
    const r = await sim.post('/service', { session, madonvi: UNIT, service: 'DongBoHoSoMC', isUpdating: 'False', data: [dossierA()] });
    expect(r.json).toEqual({ error_code: '-2', message: MSG_EXPIRED_2 });
  });

  it('exists-3 with preload: the portal already holds the dossier and says so without "đã tồn tại"; reset keeps the preload', async () => {
    const held = { ...dossierA(), TrangThaiHoSo: '2' };
    const sim = boot({ dialect: ['exists-3'], preload: [held] });
    const path = `/DongBoHoSoMC?MaDinhDanhDV=${UNIT}&isUpdating=False`;
    const r = await sim.post(path, [dossierA()]);
    expect(r.json).toEqual({ error_code: '-3', message: `Trùng mã hồ sơ ${held.MaHoSo}` });
    sim.control.reset();
    expect(sim.control.dossier(held.MaHoSo)?.record.TrangThaiHoSo).toBe('2');
  });

  it('text-limits: an over-long GhiChu or TenTepDinhKem (any depth) is rejected naming the field; the limit itself passes', async () => {
    const sim = boot({ dialect: ['text-limits'] });
    const path = `/DongBoHoSoMC?MaDinhDanhDV=${UNIT}&isUpdating=False`;
    const a = dossierA();
    const r = await sim.post(path, [{ ...a, GhiChu: 'ă'.repeat(2001) }]);
    expect(r.json.error_code).toBe('-2');
    expect(r.json.message).toMatch(/GhiChu: .*2001/);
    const t = await sim.post(path, [{ ...a, TaiLieuNop: [{ ...(a.TaiLieuNop?.[0] ?? {}), TenTepDinhKem: 'ư'.repeat(4001) }] }]);
    expect(t.json.message).toMatch(/TaiLieuNop\[0\]\.TenTepDinhKem: .*4001/);
    expect((await sim.post(path, [{ ...a, GhiChu: 'ă'.repeat(2000) }])).json.error_code).toBe('0');
  });

  it('upper-keys: TraCuuHoSo items use UPPER-CASE keys', async () => {
    const sim = boot({ dialect: ['upper-keys'], preload: [dossierA()] });
    const res = await sim.raw(`/TraCuuHoSo?mahoso=${encodeURIComponent(dossierA().MaHoSo)}`, { method: 'GET' });
    const item = ((await res.json()) as { result: Array<Record<string, unknown>> }).result[0];
    expect(item).toMatchObject({ MAHOSO: dossierA().MaHoSo, TRANGTHAIHOSO: dossierA().TrangThaiHoSo });
    expect(item).not.toHaveProperty('TrangThaiHoSo');
  });

  it('windows-1258: answers carry the charset and decode back to the Vietnamese text', async () => {
    const sim = boot({ dialect: ['windows-1258', 'exists-3'], preload: [dossierA()] });
    const res = await sim.raw(`/DongBoHoSoMC?MaDinhDanhDV=${UNIT}&isUpdating=False`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify([dossierA()]),
    });
    expect(res.headers.get('content-type')).toBe('application/json; charset=windows-1258');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.toString('utf8')).not.toContain('Trùng');
    const text = iconv.decode(bytes, 'windows1258').normalize('NFC');
    expect(JSON.parse(text)).toEqual({ error_code: '-3', message: `Trùng mã hồ sơ ${dossierA().MaHoSo}` });
  });
});
