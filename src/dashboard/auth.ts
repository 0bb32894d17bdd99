/**
 * Who is looking at the dashboard. Behind the API's auth middleware the `apiKey` context variable
 * says it; standalone, an API key comes from `Authorization: Bearer` or from the cookie the login
 * form sets (HttpOnly, SameSite=Strict: a browser cannot send a bearer header by itself).
 */
import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { page, vi } from './layout.ts';
import type { DashboardDeps, DashboardEnv, DashboardRole, DashboardUser } from './types.ts';

export const KEY_COOKIE = 'lienthong_key';
const RANK: Record<DashboardRole, number> = { viewer: 1, operator: 2, admin: 3 };

/** @example hasRole({ name: 'a', role: 'operator' }, 'viewer') // true */
export const hasRole = (user: DashboardUser, role: DashboardRole): boolean => RANK[user.role] >= RANK[role];

export function resolveUser(deps: DashboardDeps, base: string): MiddlewareHandler<DashboardEnv> {
  return async (c, next) => {
    if (deps.authenticate) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
      const key = bearer ?? getCookie(c, KEY_COOKIE);
      const user = key ? await deps.authenticate(key) : undefined;
      if (!user) {
        if (c.req.path === `${base}/dang-nhap`) return next();
        return c.html(loginPage(base, Boolean(key)), 401);
      }
      c.set('user', user);
      return next();
    }
    const fromApi = c.get('apiKey');
    c.set('user', fromApi ? { name: fromApi.name, role: fromApi.role } : (deps.defaultUser ?? { name: vi('khách'), role: 'viewer' }));
    return next();
  };
}

export function loginPage(base: string, rejected: boolean) {
  const body = html`<section>
  ${rejected ? html`<p class="notice bad" role="alert">${vi('Khoá API không hợp lệ hoặc đã bị thu hồi.')}</p>` : ''}
  <form method="post" action="${base}/dang-nhap">
    <label>${vi('Khoá API')} <input type="password" name="key" autocomplete="off" required></label>
    <button type="submit">${vi('Đăng nhập')}</button>
  </form>
  <p class="muted">${vi('Tạo khoá bằng lệnh')} <code>lienthong apikey create --role viewer --name TÊN</code>.</p>
</section>`;
  return page({ title: 'Đăng nhập', base, current: '-', user: null, body });
}

/** A page telling that the action needs a higher role. */
export function forbiddenPage(base: string, user: DashboardUser, role: DashboardRole) {
  const label = role === 'viewer' ? 'xem' : role === 'operator' ? 'vận hành' : 'quản trị';
  const body = html`<p class="notice bad" role="alert">${vi(`Thao tác này cần quyền ${label}; khoá "${user.name}" không có quyền đó.`)}</p>`;
  return page({ title: 'Không đủ quyền', base, current: '-', user, body });
}
