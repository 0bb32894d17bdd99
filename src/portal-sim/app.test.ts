import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PortalDossier, PortalProgress } from '../../schemas/portal.ts';
import { createPortalSimApp } from './app.ts';
import type { PortalSimControl, PortalSimOptions } from './types.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../test/fixtures/contract/${name}.json`, import.meta.url), 'utf8')) as { data: unknown[] };
const dossierA = () => fixture('a-dongbo-first-push').data[0] as PortalDossier;
const progressC = () => fixture('c-progress-history').data as PortalProgress[];
const dossierB = () => fixture('b-dongbo-update-online-paid').data[0] as PortalDossier;
const UNIT = '000.00.00.H56';

let app: ReturnType<typeof createPortalSimApp>['app'];
let sim: PortalSimControl;

function boot(opts: PortalSimOptions = {}): void {
  ({ app, control: sim } = createPortalSimApp(opts));
}

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await app.request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function login(): Promise<string> {
  const { json } = await post('/auth', { username: 'lienthong', password: 'secret' });
  return json.session as string;
}

async function call(envelope: Record<string, unknown>) {
  return post('/service', { session: await login(), madonvi: UNIT, ...envelope });
}

const push = (record: unknown, isUpdating: unknown = 'False') => call({ service: 'DongBoHoSoMC', isUpdating, data: [record] });

beforeEach(() => boot());

describe('session style', () => {
  it('refuses a login with a wrong password and issues no session', async () => {
    const { json } = await post('/auth', { username: 'lienthong', password: 'nope' });
    expect(json.error_code).toBe('-1');
    expect(json.session).toBeUndefined();
    expect(sim.stats().calls.login).toEqual({ bad_credentials: 1 });
  });

  it('answers HTTP 401 to a session it never issued', async () => {
    const r = await post('/service', { session: 'forged', madonvi: UNIT, service: 'TraCuuHoSo', mahoso: 'x' });
    expect(r.status).toBe(401);
  });

  it('rejects an expired session with error_code -1 and the Vietnamese wording', async () => {
    const session = await login();
    sim.expireSessions();
    const r = await post('/service', { session, madonvi: UNIT, service: 'DongBoHoSoMC', isUpdating: 'False', data: [dossierA()] });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ error_code: '-1', message: 'Phiên làm việc không hợp lệ hoặc đã hết hạn' });
    expect(sim.dossier(dossierA().MaHoSo)).toBeUndefined();
  });

  it('rejects an unknown service, naming it', async () => {
    const { json } = await call({ service: 'DongBoHoSo', data: [] });
    expect(json.error_code).toBe('-2');
    expect(json.message).toContain('"DongBoHoSo"');
  });

  it('rejects a call without madonvi', async () => {
    const { json } = await post('/service', { session: await login(), service: 'DongBoHoSoMC', isUpdating: 'False', data: [dossierA()] });
    expect(json.error_code).toBe('-2');
    expect(json.message).toContain('madonvi');
  });

  it('rejects an isUpdating that is not "True" or "False"', async () => {
    const { json } = await push(dossierA(), true);
    expect(json.error_code).toBe('-2');
    expect(json.message).toContain('isUpdating');
  });

  it('rejects a number inside a nested list, naming MaHoSo and the field path', async () => {
    const r = dossierA() as unknown as { TaiLieuNop: Array<Record<string, unknown>> };
    r.TaiLieuNop[0]!.DuocSoHoa = 1;
    const { json } = await push(r);
    expect(json.error_code).toBe('-2');
    expect(json.message).toContain('000.31.38.H56-240715-0012');
    expect(json.message).toContain('TaiLieuNop[0].DuocSoHoa: expected a string, got number');
  });

  it('rejects a boolean even in a field the schema does not know', async () => {
    const { json } = await push({ ...dossierA(), TruongLa: { Co: true } });
    expect(json.message).toContain('TruongLa.Co: expected a string, got boolean');
  });

  it('rejects a date that is not yyyyMMddHHmmss, naming the field', async () => {
    const { json } = await push({ ...dossierA(), NgayHenTra: '2024-07-30 17:00' });
    expect(json.error_code).toBe('-2');
    expect(json.message).toMatch(/NgayHenTra: not a yyyyMMddHHmmss date: "2024-07-30 17:00"/);
  });

  it.each(['0', '11', ''])('rejects TrangThaiHoSo %j', async (status) => {
    const { json } = await push({ ...dossierA(), TrangThaiHoSo: status });
    expect(json.error_code).toBe('-2');
    expect(json.message).toContain('TrangThaiHoSo');
  });

  it('lists every bad field of a record, not only the first', async () => {
    const { json } = await push({ ...dossierA(), NgayTiepNhan: '20241301000000', LoaiDoiTuong: 1, HinhThuc: '7' });
    expect(json.message).toContain('NgayTiepNhan');
    expect(json.message).toContain('LoaiDoiTuong');
    expect(json.message).toContain('HinhThuc');
  });

  it('accepts a new code, then answers "đã tồn tại" to isUpdating "False" and accepts "True"', async () => {
    expect((await push(dossierA())).json).toEqual({ error_code: '0', message: 'Đồng bộ thành công' });
    expect((await push(dossierA())).json).toEqual({ error_code: '-3', message: 'Hồ sơ 000.31.38.H56-240715-0012 đã tồn tại' });
    const changed = { ...dossierA(), TrangThaiHoSo: '4' };
    expect((await push(changed, 'True')).json.error_code).toBe('0');
    const d = sim.dossier(changed.MaHoSo);
    expect(d?.pushes).toBe(2);
    expect(d?.isUpdatingSeen).toEqual(['False', 'False', 'True']);
    expect(d?.record.TrangThaiHoSo).toBe('4');
    expect(sim.stats().calls.DongBoHoSoMC).toEqual({ ok: 2, exists: 1 });
  });

  it('accepts isUpdating "True" for a code it does not hold', async () => {
    expect((await push(dossierB(), 'True')).json.error_code).toBe('0');
    expect(sim.dossier(dossierB().MaHoSo)?.isUpdatingSeen).toEqual(['True']);
  });

  it('rejects progress for a dossier it does not hold, then stores it once pushed, without duplicates', async () => {
    const items = progressC();
    const before = await call({ service: 'CapNhatTienDoHoSoMC', data: items });
    expect(before.json.error_code).toBe('-4');
    expect(before.json.message).toContain('000.20.38.H56-240402-0007');
    await push(dossierB(), 'True');
    expect((await call({ service: 'CapNhatTienDoHoSoMC', data: items })).json.error_code).toBe('0');
    expect((await call({ service: 'CapNhatTienDoHoSoMC', data: items.slice(0, 2) })).json.error_code).toBe('0');
    expect(sim.dossier(dossierB().MaHoSo)?.progress).toStrictEqual(items);
    expect(sim.stats().progressItems).toBe(5);
  });

  it('rejects a progress item whose TrangThai is outside 1–10, naming the field', async () => {
    await push(dossierB(), 'True');
    const bad = { ...progressC()[0]!, TrangThai: 11 };
    const { json } = await call({ service: 'CapNhatTienDoHoSoMC', data: [bad] });
    expect(json.message).toContain('TrangThai: expected a string, got number');
  });

  it('answers TraCuuHoSo with the stored view, or an empty result', async () => {
    const miss = await call({ service: 'TraCuuHoSo', mahoso: dossierA().MaHoSo });
    expect(miss.json).toMatchObject({ error_code: 0, result: [] });
    await push(dossierA());
    const hit = await call({ service: 'TraCuuHoSo', mahoso: dossierA().MaHoSo });
    expect(hit.json.error_code).toBe(0);
    expect((hit.json.result as unknown[])[0]).toMatchObject({
      MaHoSo: '000.31.38.H56-240715-0012',
      TrangThaiHoSo: dossierA().TrangThaiHoSo,
      NgayTiepNhan: dossierA().NgayTiepNhan,
      NgayHenTra: dossierA().NgayHenTra,
    });
  });

  it('answers 400 to a body that is not JSON', async () => {
    const r = await post('/service', '{"session": ');
    expect(r.status).toBe(400);
  });

  it('refuses another unit when unitCode is configured', async () => {
    boot({ unitCode: '000.00.00.H22' });
    const { json } = await push(dossierA());
    expect(json.error_code).toBe('-2');
    expect(json.message).toContain(UNIT);
  });

  it('forgets dossiers and sessions on reset()', async () => {
    const session = await login();
    await push(dossierA());
    sim.reset();
    expect(sim.stats()).toEqual({ total: 0, calls: {}, dossiers: 0, progressItems: 0 });
    const r = await post('/service', { session, madonvi: UNIT, service: 'TraCuuHoSo', mahoso: 'x' });
    expect(r.status).toBe(401);
  });
});

describe('bare-array style', () => {
  const q = (path: string, isUpdating?: string) => `${path}?MaDinhDanhDV=${UNIT}${isUpdating ? `&isUpdating=${isUpdating}` : ''}`;

  it('stores a bare array and honours isUpdating from the query string', async () => {
    expect((await post(q('/DongBoHoSoMC', 'False'), [dossierA()])).json.error_code).toBe('0');
    expect((await post(q('/DongBoHoSoMC', 'False'), [dossierA()])).json.error_code).toBe('-3');
    expect((await post(q('/DongBoHoSoMC', 'True'), [dossierA()])).json.error_code).toBe('0');
    expect(sim.dossier(dossierA().MaHoSo)?.unitCode).toBe(UNIT);
  });

  it('treats separate insert and update URLs as isUpdating False and True', async () => {
    boot({ barePaths: { insert: '/them-moi', update: '/cap-nhat', progress: '/tien-do', lookup: '/tra-cuu' } });
    expect((await post(q('/cap-nhat'), [dossierB()])).json.error_code).toBe('0');
    expect((await post(q('/them-moi'), [dossierB()])).json.error_code).toBe('-3');
  });

  it('rejects a call without MaDinhDanhDV and a body that is not an array', async () => {
    expect((await post('/DongBoHoSoMC?isUpdating=False', [dossierA()])).json.message).toContain('madonvi');
    expect((await post(q('/DongBoHoSoMC', 'False'), dossierA())).json.message).toContain('data: expected a non-empty array');
  });

  it('stores progress and looks dossiers up with GET ?mahoso=', async () => {
    await post(q('/DongBoHoSoMC', 'True'), [dossierB()]);
    expect((await post(q('/CapNhatTienDoHoSoMC'), progressC())).json.error_code).toBe('0');
    const res = await app.request(`/TraCuuHoSo?mahoso=${dossierB().MaHoSo}`);
    const json = (await res.json()) as { result: Array<Record<string, string>> };
    expect(json.result[0]?.SoTienDo).toBe('5');
  });
});
