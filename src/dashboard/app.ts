/**
 * The dashboard as a Hono app: server-rendered Vietnamese pages over the ledger. This core imports
 * nothing Node-only; the adapter registry and the reconciliation functions come in through the
 * dependencies (`index.ts` supplies the Node ones).
 */
import { Hono, type Context } from 'hono';
import { setCookie, deleteCookie } from 'hono/cookie';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { GatewayError, NotFoundError } from '../errors.ts';
import { forbiddenPage, hasRole, KEY_COOKIE, loginPage, resolveUser } from './auth.ts';
import { page, vi, type Html } from './layout.ts';
import { dossierPage } from './pages/dossier.ts';
import { overviewPage } from './pages/overview.ts';
import { quarantinePage } from './pages/quarantine.ts';
import { reconcileListPage, reconcileShowPage } from './pages/reconcile.ts';
import { unitsPage } from './pages/units.ts';
import { retryDeliveries } from '../outbox/manage.ts';
import { adapterMapper, replayQuarantined } from './replay.ts';
import type { DashboardDeps, DashboardEnv } from './types.ts';

/** The most a login form may hold (one API key and the field name). */
export const LOGIN_FORM_BYTES = 4096;

/**
 * @example
 * const dashboard = createDashboardCore({ ledger, config, getAdapter });
 * api.route('/', dashboard); // pages under /dashboard
 * const res = await dashboard.request('/dashboard/cach-ly');
 */
export function createDashboardCore(deps: DashboardDeps): Hono<DashboardEnv> {
  const base = (deps.basePath ?? '/dashboard').replace(/\/$/, '');
  const app = new Hono<DashboardEnv>();
  const render = (title: string, current: string, body: Html | Promise<Html>, status: 200 | 403 | 404 | 500 = 200) =>
    async (c: Context<DashboardEnv>) => c.html(page({ title, base, current, user: c.get('user') ?? null, body: await body, logout: deps.authenticate !== undefined }), status);

  app.onError((err, c) => {
    // The CSRF guard refuses a form posted from another site.
    if (err instanceof HTTPException && err.status === 403) return render('Yêu cầu bị từ chối', '-', html`<p class="notice bad" role="alert">${vi('Biểu mẫu không được gửi từ trang của cổng liên thông nên bị từ chối.')}</p>`, 403)(c);
    const notFound = err instanceof NotFoundError;
    // Internal messages (SQL, stack) never reach the page; the operator finds them in the logs.
    const text = notFound ? 'Không tìm thấy nội dung yêu cầu.' : 'Đã có lỗi khi xử lý yêu cầu. Vui lòng thử lại hoặc xem nhật ký máy chủ.';
    return render(notFound ? 'Không tìm thấy' : 'Lỗi', '-', html`<p class="notice bad" role="alert">${vi(text)}</p>`, notFound ? 404 : 500)(c);
  });
  // The server's root leads people to the dashboard.
  app.get('/', (c) => c.redirect(base, 302));
  app.use(`${base}/*`, csrf());
  app.use(base, resolveUser(deps, base));
  app.use(`${base}/*`, resolveUser(deps, base));

  if (deps.authenticate) {
    const authenticate = deps.authenticate;
    // A login form holds one key: anyone may post it, so it may hold little (the server-wide limit is larger).
    const loginLimit = bodyLimit({ maxSize: LOGIN_FORM_BYTES, onError: (c) => c.text('Biểu mẫu đăng nhập quá lớn.', 413) });
    app.post(`${base}/dang-nhap`, loginLimit, async (c) => {
      const key = String((await c.req.parseBody())['key'] ?? '');
      if (!(await authenticate(key))) return c.html(loginPage(base, true), 401);
      setCookie(c, KEY_COOKIE, key, { httpOnly: true, sameSite: 'Strict', path: base, secure: new URL(c.req.url).protocol === 'https:' });
      return c.redirect(base, 303);
    });
    app.post(`${base}/dang-xuat`, (c) => {
      deleteCookie(c, KEY_COOKIE, { path: base });
      return c.redirect(base, 303);
    });
  }

  app.get(base, (c) => render('Tổng quan', '', overviewPage(deps, c.get('user'), base, { kq: c.req.query('kq'), n: c.req.query('n') }))(c));
  app.post(`${base}/hang-doi/gui-lai`, async (c) => {
    const user = c.get('user');
    if (!hasRole(user, 'operator')) return c.html(forbiddenPage(base, user, 'operator'), 403);
    const form = await c.req.parseBody();
    const id = Number(form['id']);
    const target = typeof form['target'] === 'string' && form['target'] !== '' ? form['target'] : undefined;
    if (form['id'] !== undefined && !Number.isSafeInteger(id)) throw new NotFoundError(`no delivery ${String(form['id'])}`);
    const out = await retryDeliveries(deps.ledger, { ...(form['id'] !== undefined ? { ids: [id] } : {}), ...(target ? { target } : {}) });
    return c.redirect(`${base}?kq=gui-lai&n=${out.requeued}`, 303);
  });
  app.get(`${base}/don-vi`, (c) => render('Đơn vị', '/don-vi', unitsPage(deps, { month: c.req.query('thang'), calendar: c.req.query('lich') }))(c));
  app.get(`${base}/ho-so`, (c) => render('Tra cứu hồ sơ', '/ho-so', dossierPage(deps, c.get('user'), c.req.query('ma')))(c));
  app.get(`${base}/cach-ly`, (c) =>
    render('Cách ly', '/cach-ly', quarantinePage(deps, c.get('user'), base, { result: c.req.query('kq'), code: c.req.query('ma'), id: c.req.query('id') }))(c),
  );
  app.post(`${base}/cach-ly/:id/kiem-tra-lai`, async (c) => {
    const user = c.get('user');
    if (!hasRole(user, 'operator')) return c.html(forbiddenPage(base, user, 'operator'), 403);
    const id = Number(c.req.param('id'));
    const map = deps.mapRecords ?? (deps.getAdapter ? adapterMapper(deps.getAdapter, deps.env) : undefined);
    if (!Number.isSafeInteger(id) || !map) throw new NotFoundError(`no quarantine entry ${c.req.param('id')}`);
    try {
      const out = await replayQuarantined(deps.ledger, deps.config, map, id);
      const q = out.stored ? `kq=stored&ma=${encodeURIComponent(out.code)}` : `kq=invalid&id=${id}`;
      return c.redirect(`${base}/cach-ly?${q}`, 303);
    } catch (e) {
      if (e instanceof NotFoundError) return c.redirect(`${base}/cach-ly?kq=gone&id=${id}`, 303);
      if (e instanceof GatewayError && e.code === 'config_error') return c.redirect(`${base}/cach-ly?kq=error&id=${id}`, 303);
      throw e;
    }
  });

  app.get(`${base}/doi-soat`, (c) => render('Đối soát', '/doi-soat', reconcileListPage(deps, base))(c));
  app.get(`${base}/doi-soat/:id`, (c) => {
    if (!deps.reconcile) return render('Đối soát', '/doi-soat', reconcileListPage(deps, base))(c);
    return render('Kết quả đối soát', '/doi-soat', reconcileShowPage(deps.reconcile, c.get('user'), base, c.req.param('id'), c.req.query('kq') === 'da-sua', deps.config.targets, deps.unitRegistry))(c);
  });
  app.post(`${base}/doi-soat/:id/sua`, async (c) => {
    const user = c.get('user');
    if (!hasRole(user, 'operator')) return c.html(forbiddenPage(base, user, 'operator'), 403);
    if (!deps.reconcile) throw new NotFoundError('reconciliation is not available');
    const report = await deps.reconcile.show(c.req.param('id'));
    await deps.reconcile.repair(report.id, `dashboard:${user.name}`);
    return c.redirect(`${base}/doi-soat/${report.id}?kq=da-sua`, 303);
  });
  return app;
}
