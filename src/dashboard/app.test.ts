import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CITIZEN_ID, EMAIL, LATE_DUE_CODE, NO_PROCEDURE_CODE, NOW, PHONE, fixedGetAdapter, startDashboardFixture, type DashboardFixture } from '../../test/browser/fixture.ts';
import { createApiKey, findApiKey } from '../http/api-keys.ts';
import { createApp } from '../http/app.ts';
import { createLogger } from '../logger.ts';
import { loadReconciliation } from '../reconcile/history.ts';
import { createDashboardApp, createDashboardCore } from './index.ts';
import type { DashboardDeps } from './types.ts';

let f: DashboardFixture;
const ORIGIN = 'http://localhost';
const form = { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: '' };

function apps(extra: Partial<DashboardDeps> = {}) {
  const base = { ledger: f.ledger, config: f.config, now: () => NOW, getAdapter: fixedGetAdapter, ...extra };
  return {
    viewer: createDashboardApp(base),
    operator: createDashboardApp({ ...base, defaultUser: { name: 'Vận hành', role: 'operator' } }),
  };
}
const get = async (app: ReturnType<typeof createDashboardApp>, path: string) => {
  const res = await app.request(path);
  return { status: res.status, text: await res.text() };
};

beforeAll(async () => {
  f = await startDashboardFixture();
});
afterAll(async () => {
  await f?.close();
});

describe('dashboard pages', () => {
  it('shows the last run per source, the outbox, dead letters and open quarantine in NFC Vietnamese', async () => {
    const { status, text } = await get(apps().viewer, '/dashboard');
    expect(status).toBe(200);
    expect(text).toContain('<html lang="vi">');
    expect(text).toBe(text.normalize('NFC'));
    expect(text).toMatch(/<tr data-source="local">.*?dvcqg-file.*?Cần chú ý/s);
    expect(text).toMatch(/<tr data-target="national"><td class="lead">national<\/td><td data-label="Chờ gửi" class="num">0<\/td><td data-label="Đã gửi" class="num">29<\/td><td data-label="Gửi không thành công" class="num">1<\/td>/);
    expect(text).toContain('Gửi không thành công, cần xử lý');
    expect(text).not.toContain('thư chết');
    expect(text).toMatch(/Đang cách ly<\/span><b>2<\/b>/);
    expect(text).not.toMatch(/<link|<script|src="http/);
  });

  it('masks a phone number in a dead letter for viewers only', async () => {
    const { viewer, operator } = apps();
    expect((await get(viewer, '/dashboard')).text).not.toContain(PHONE);
    expect((await get(viewer, '/dashboard')).text).toContain('*******678');
    expect((await get(operator, '/dashboard')).text).toContain(PHONE);
  });

  it('highlights the units whose late rate is above the threshold, and only those', async () => {
    const config = { ...f.config, reports: { ...f.config.reports, lateThreshold: 30 } };
    const { text } = await get(apps({ config }).viewer, '/dashboard/don-vi');
    expect(text).toContain('Biểu số 06 tháng 11/2026');
    expect(text).toContain('tô đỏ khi tỷ lệ trễ hạn trên 30,00 %');
    const rows = [...text.matchAll(/<tr data-unit="([^"]*)"( class="late" data-late="true")?>.*?<td data-label="Tỷ lệ trễ hạn" class="num rate">([^<]*)<\/td>/gs)];
    expect(rows.length).toBeGreaterThan(1);
    for (const [, , late, rate] of rows) {
      const value = rate === '—' ? null : Number(String(rate).replace(' %', '').replace(',', '.'));
      expect(Boolean(late)).toBe(value !== null && value > 30);
    }
    expect(rows.some(([, , late]) => late)).toBe(true);
    expect(rows.some(([, , late]) => !late)).toBe(true);
    expect(text).toContain('id="tong-cong"');
  });

  it('dates the judgement instant by the Vietnam calendar day, not the UTC one', async () => {
    // 25/10/2026 18:30 UTC is already 26/10/2026 01:30 in Vietnam.
    const { text } = await get(apps({ now: () => new Date('2026-10-25T18:30:00.000Z') }).viewer, '/dashboard/don-vi?thang=2026-10&lich=calendar');
    expect(text).toContain('tính đến 26/10/2026');
  });

  it('reads another month and the calendar month when asked', async () => {
    const { text } = await get(apps().viewer, '/dashboard/don-vi?thang=2026-10&lich=calendar');
    expect(text).toContain('01/10/2026 – 31/10/2026');
    expect(text).toContain('<option value="calendar" selected>');
  });

  it('masks the citizen ID number, phone and e-mail of a looked-up dossier for viewers', async () => {
    const { viewer, operator } = apps();
    const seen = await get(viewer, `/dashboard/ho-so?ma=${encodeURIComponent(f.sampleCode)}`);
    expect(seen.text).toContain(`data-code="${f.sampleCode}"`);
    expect(seen.text).not.toContain(CITIZEN_ID);
    expect(seen.text).not.toContain(PHONE);
    expect(seen.text).not.toContain(EMAIL);
    expect(seen.text).toContain('<span data-field="idNumber">*********234</span>');
    expect(seen.text).toContain('a***@example.vn');
    expect(seen.text).toContain('Đã gửi');
    const full = await get(operator, `/dashboard/ho-so?ma=${encodeURIComponent(f.sampleCode)}`);
    expect(full.text).toContain(`<span data-field="idNumber">${CITIZEN_ID}</span>`);
  });

  it('shows the unit by its registry name and the target by its configured name, each with its code beside', async () => {
    const unit = f.sampleCode.split('-')[0] as string;
    const dir = await mkdtemp(join(tmpdir(), 'lienthong-units-'));
    const units = join(dir, 'units.json');
    await writeFile(units, JSON.stringify({ version: 1, units: [{ code: unit, name: 'Sở Tư pháp theo danh mục', parent: null }] }));
    try {
      const config = { ...f.config, reports: { ...f.config.reports, units }, targets: f.config.targets.map((t) => ({ ...t, name: 'Cổng Dịch vụ công quốc gia' })) };
      const { text } = await get(apps({ config }).viewer, `/dashboard/ho-so?ma=${encodeURIComponent(f.sampleCode)}`);
      expect(text).toContain(`<dt>Đơn vị xử lý</dt><dd>Sở Tư pháp theo danh mục (${unit})</dd>`);
      expect(text).toMatch(/<td class="lead">Cổng Dịch vụ công quốc gia \(national\)<\/td><td data-label="Trạng thái">Đã gửi<\/td>/);
      expect(text).toContain('<td data-label="Đích">Cổng Dịch vụ công quốc gia (national)</td>');
      expect(text).toBe(text.normalize('NFC'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says so when no dossier has the code', async () => {
    const { text } = await get(apps().viewer, '/dashboard/ho-so?ma=000.00.00.H00-000000-0000');
    expect(text).toContain('Không tìm thấy hồ sơ có mã &quot;000.00.00.H00-000000-0000&quot;.');
  });

  it('lists quarantined records with every issue and offers replay to operators only', async () => {
    const { viewer, operator } = apps();
    const v = await get(viewer, '/dashboard/cach-ly');
    expect(v.text).toContain(`data-key="${LATE_DUE_CODE}"`);
    expect(v.text).toContain('<code>NgayHenTra</code>');
    expect(v.text).not.toContain('Kiểm tra lại</button>');
    expect((await get(operator, '/dashboard/cach-ly')).text).toContain('Kiểm tra lại</button>');
  });

  it('shows reconciliation differences with their reasons in Vietnamese', async () => {
    const { text } = await get(apps().operator, `/dashboard/doi-soat/${f.reconciliationId}`);
    expect(text).toContain('Bị cách ly do dữ liệu không hợp lệ');
    expect(text).toContain('Sửa chênh lệch</button>');
    const missing = await get(apps().viewer, '/dashboard/doi-soat/ffffffff');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('Không tìm thấy nội dung yêu cầu.');
    expect(missing.text).not.toContain('lienthong reconcile history');
  });

  it('names the units of a reconciliation by the registry, with the code beside', async () => {
    const report = await loadReconciliation(f.ledger, f.reconciliationId);
    const codes = [...new Set(report.differences.map((d) => d.unitCode).filter((c): c is string => c !== null))];
    expect(codes.length).toBeGreaterThan(0);
    const dir = await mkdtemp(join(tmpdir(), 'lienthong-units-'));
    const units = join(dir, 'units.json');
    await writeFile(units, JSON.stringify({ version: 1, units: codes.map((code, i) => ({ code, name: `Phòng Thử nghiệm số ${i + 1}`, parent: null })) }));
    try {
      const config = { ...f.config, reports: { ...f.config.reports, units } };
      const { text } = await get(apps({ config }).viewer, `/dashboard/doi-soat/${f.reconciliationId}`);
      codes.forEach((code, i) => expect(text).toContain(`<td data-label="Đơn vị">Phòng Thử nghiệm số ${i + 1} (${code})</td>`));
      expect(text).toBe(text.normalize('NFC'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('shows a placeholder where the deployment has no reconciliation', async () => {
    const core = createDashboardCore({ ledger: f.ledger, config: f.config });
    const res = await core.request('/dashboard/doi-soat');
    expect(await res.text()).toContain('Chưa có đối soát');
  });
});

describe('dashboard actions', () => {
  const quarantineId = async (key: string) =>
    Number((await f.ledger.rows<{ id: number }>(sql`select id from quarantine where record_key = ${key}`))[0]?.id);

  it('refuses a replay from a viewer and a cross-site form', async () => {
    const id = await quarantineId(LATE_DUE_CODE);
    expect((await apps().viewer.request(`/dashboard/cach-ly/${id}/kiem-tra-lai`, form)).status).toBe(403);
    const crossSite = await apps().operator.request(`/dashboard/cach-ly/${id}/kiem-tra-lai`, { ...form, headers: { ...form.headers, origin: 'http://evil.example' } });
    expect(crossSite.status).toBe(403);
    expect((await f.ledger.rows(sql`select 1 from dossiers where code = ${LATE_DUE_CODE}`)).length).toBe(0);
  });

  it('stores a quarantined record that the fixed adapter now maps, and queues its delivery', async () => {
    const id = await quarantineId(LATE_DUE_CODE);
    const res = await apps().operator.request(`/dashboard/cach-ly/${id}/kiem-tra-lai`, form);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/dashboard/cach-ly?kq=stored&ma=${encodeURIComponent(LATE_DUE_CODE)}`);
    const stored = await f.ledger.rows<{ due_at: string; status: string }>(sql`
      select d.due_at, q.status from dossiers d join deliveries q on q.dossier_id = d.id where d.code = ${LATE_DUE_CODE}`);
    expect(stored).toHaveLength(1);
    expect(new Date(stored[0]?.due_at ?? '').toISOString()).toBe('2026-10-30T10:00:00.000Z');
    expect(stored[0]?.status).toBe('pending');
    const open = await f.ledger.rows(sql`select 1 from quarantine where id = ${id} and resolved_at is null`);
    expect(open).toHaveLength(0);
    const page = await get(apps().operator, String(res.headers.get('location')));
    expect(page.text).toContain(`Đã kiểm tra lại và lưu hồ sơ ${LATE_DUE_CODE} vào sổ`);
    expect(page.text).not.toContain(`data-key="${LATE_DUE_CODE}"`);
  });

  it('keeps a record that is still invalid in quarantine and says so', async () => {
    const id = await quarantineId(NO_PROCEDURE_CODE);
    const res = await apps().operator.request(`/dashboard/cach-ly/${id}/kiem-tra-lai`, form);
    expect(res.headers.get('location')).toBe(`/dashboard/cach-ly?kq=invalid&id=${id}`);
    const page = await get(apps().operator, String(res.headers.get('location')));
    expect(page.text).toContain(`Bản ghi #${id} vẫn không hợp lệ`);
    expect(page.text).toContain(`data-key="${NO_PROCEDURE_CODE}"`);
  });

  it('repairs a reconciliation: the dead delivery is queued again and the repair recorded', async () => {
    const res = await apps().operator.request(`/dashboard/doi-soat/${f.reconciliationId}/sua`, form);
    expect(res.status).toBe(303);
    const dead = await f.ledger.rows(sql`select 1 from deliveries where status = 'dead'`);
    expect(dead).toHaveLength(0);
    const page = await get(apps().operator, String(res.headers.get('location')));
    expect(page.text).toMatch(/Đã sửa: lấy lại \d+, vẫn cách ly \d+, .*xếp hàng gửi lại 1/);
    // Recorded with who asked, for review and undo.
    const actions = await f.ledger.rows<{ created_by: string | null }>(sql`select created_by from repair_actions where reconciliation_id = ${f.reconciliationId}::uuid`);
    expect(actions.length).toBeGreaterThan(0);
    expect(new Set(actions.map((a) => a.created_by))).toEqual(new Set(['dashboard:Vận hành']));
  });

  it('asks for an API key when the dashboard authenticates by itself, and keeps it in a strict cookie', async () => {
    const app = createDashboardApp({ ledger: f.ledger, config: f.config, authenticate: async (k) => (k === 'good-key' ? { name: 'Trực ban', role: 'viewer' } : undefined) });
    const anonymous = await app.request('/dashboard');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toContain('Khoá API');
    const huge = await app.request('/dashboard/dang-nhap', { ...form, body: `key=${'k'.repeat(100_000)}` });
    expect(huge.status).toBe(413);
    const bad = await app.request('/dashboard/dang-nhap', { ...form, body: 'key=wrong' });
    expect(bad.status).toBe(401);
    const login = await app.request('/dashboard/dang-nhap', { ...form, body: 'key=good-key' });
    expect(login.status).toBe(303);
    const cookie = String(login.headers.get('set-cookie'));
    expect(cookie).toMatch(/lienthong_key=good-key;.*HttpOnly/);
    expect(cookie).toContain('SameSite=Strict');
    const page = await app.request('/dashboard', { headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Trực ban · Xem');
    expect((await app.request('/dashboard', { headers: { authorization: 'Bearer good-key' } })).status).toBe(200);
    // Signed in by cookie: a way out, which forgets the key.
    const signedIn = await (await app.request('/dashboard', { headers: { cookie: cookie.split(';')[0] ?? '' } })).text();
    expect(signedIn).toMatch(/<form method="post" action="\/dashboard\/dang-xuat"[^>]*><button type="submit">Đăng xuất<\/button>/);
    const out = await app.request('/dashboard/dang-xuat', { ...form, headers: { ...form.headers, cookie: cookie.split(';')[0] ?? '' } });
    expect(out.status).toBe(303);
    expect(String(out.headers.get('set-cookie'))).toMatch(/lienthong_key=;.*Max-Age=0/);
  });

  it('leads the server root to the dashboard', async () => {
    const res = await apps().viewer.request('/');
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard');
  });
});

describe('dashboard in the API app', () => {
  it('is served beside the API (as lienthong serve mounts it) behind an API key, with the role of that key', async () => {
    const logger = createLogger({ level: 'silent', destination: new Writable({ write: (_c, _e, cb) => cb() }) });
    const app = createApp({ ledger: f.ledger, config: f.config, env: {}, logger });
    app.route('/', createDashboardApp({ ledger: f.ledger, config: f.config, authenticate: async (key) => (await findApiKey(f.ledger, key)) ?? undefined }));
    expect((await app.request('/dashboard')).status).toBe(401);
    const { key } = await createApiKey(f.ledger, { name: 'Trực ban', role: 'viewer' });
    const res = await app.request('/dashboard/ho-so', { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Trực ban · Xem');
  });
});

describe('sending dead deliveries again from the dashboard', () => {
  it('offers "Gửi lại" to operators only and queues the dead delivery for the next run', async () => {
    const { viewer, operator } = apps();
    // One delivery that failed for good (a wrong password, an outage longer than its attempts).
    const [dead] = await f.ledger.rows<{ id: number }>(sql`update deliveries set status = 'dead', attempts = 8, last_error = 'login refused'
      where id = (select min(id) from deliveries where status <> 'dead') returning id`);
    await f.ledger.rows(sql`update deliveries set status = 'delivered' where status = 'dead' and id <> ${dead?.id ?? 0}`);
    expect(dead).toBeDefined();
    expect((await get(viewer, '/dashboard')).text).not.toContain('Gửi lại');
    const page = (await get(operator, '/dashboard')).text;
    expect(page).toMatch(new RegExp(`<tr data-delivery="${dead!.id}">.*?name="id" value="${dead!.id}".*?Gửi lại</button>`, 's'));
    expect(page).toContain('Gửi lại mọi hồ sơ gửi không thành công tới national');

    const body = `id=${dead!.id}`;
    expect((await viewer.request('/dashboard/hang-doi/gui-lai', { ...form, body })).status).toBe(403);
    expect((await operator.request('/dashboard/hang-doi/gui-lai', { ...form, body, headers: { ...form.headers, origin: 'http://evil.example' } })).status).toBe(403);
    const [still] = await f.ledger.rows<{ status: string }>(sql`select status from deliveries where id = ${dead!.id}`);
    expect(still?.status).toBe('dead');

    const res = await operator.request('/dashboard/hang-doi/gui-lai', { ...form, body });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/dashboard?kq=gui-lai&n=1');
    const [after] = await f.ledger.rows<{ status: string; attempts: number }>(sql`select status, attempts from deliveries where id = ${dead!.id}`);
    expect(after).toEqual({ status: 'pending', attempts: 0 });
    expect((await get(operator, '/dashboard?kq=gui-lai&n=1')).text).toContain('Đã xếp 1 hồ sơ vào hàng đợi để gửi lại');
    expect((await get(operator, '/dashboard')).text).toContain('Không có hồ sơ gửi không thành công.');
  });
});
