/**
 * The page frame: one HTML document with inline CSS and no external asset (no font, script or
 * image from elsewhere), Vietnamese text normalised to NFC. `html` escapes every interpolated value.
 */
import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { DashboardUser } from './types.ts';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const ROLE_LABELS: Record<DashboardUser['role'], string> = { viewer: 'Xem', operator: 'Vận hành', admin: 'Quản trị' };

const CSS = `
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d2733;background:#f4f6f9}
header{background:#a61b1b;color:#fff;padding:.6rem 1.2rem;display:flex;gap:1.5rem;align-items:center;flex-wrap:wrap}
header h1{font-size:1.1rem;margin:0}header nav a{color:#fff;text-decoration:none;margin-right:1rem;padding:.2rem 0}
header nav a[aria-current=page]{border-bottom:2px solid #ffd54f}header .who{margin-left:auto;font-size:.85rem;opacity:.9}header form.logout button{font-size:.8rem;padding:.1rem .5rem;margin-left:.5rem;background:transparent;border-color:#fff}
main{padding:1rem 1.2rem;max-width:1200px}h2{font-size:1.15rem;margin:1.4rem 0 .6rem}
section h2:first-child{margin-top:0}
section{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:.8rem 1rem;margin-bottom:1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #e5e9ef;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f6;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.late td{background:#fdecea}tr.late td.rate{color:#b3261e;font-weight:700}
.cards{display:flex;gap:.8rem;flex-wrap:wrap}.card{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:.6rem 1rem;min-width:11rem}
.card b{display:block;font-size:1.5rem}.card.warn b{color:#b3261e}
.ok{color:#1b7f3b}.bad{color:#b3261e}.muted{color:#64707d}.notice{padding:.6rem .9rem;border-radius:6px;margin-bottom:1rem}
.notice.ok{background:#e7f5ec;color:#1b5e2f}.notice.bad{background:#fdecea;color:#8c1d18}.notice.info{background:#eaf2fb;color:#174a7c}
form.inline{display:inline}button{font:inherit;padding:.25rem .7rem;border:1px solid #a61b1b;background:#a61b1b;color:#fff;border-radius:4px;cursor:pointer}
input,select{font:inherit;padding:.25rem .4rem}input[name=ma]{width:24rem;max-width:100%}code{font-size:.85rem}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dt{color:#64707d}
`;

const NAV = [
  ['', 'Tổng quan'],
  ['/don-vi', 'Đơn vị'],
  ['/doi-soat', 'Đối soát'],
  ['/ho-so', 'Tra cứu hồ sơ'],
  ['/cach-ly', 'Cách ly'],
] as const;

/** Vietnamese text as people must see it: NFC (a decomposed "ộ" breaks search and comparison). */
export const vi = (s: string): string => s.normalize('NFC');

export interface PageOptions {
  title: string;
  base: string;
  /** Nav entry (suffix of the base path) to mark as current. */
  current: string;
  user: DashboardUser | null;
  body: Html;
  /** Show "Đăng xuất" (the dashboard keeps a signed-in key in a cookie). */
  logout?: boolean;
}

export function page(o: PageOptions): Html {
  const nav = NAV.map(([path, label]) => html`<a href="${o.base}${path}"${raw(path === o.current ? ' aria-current="page"' : '')}>${vi(label)}</a>`);
  const who = o.user ? html`<span class="who">${o.user.name} · ${ROLE_LABELS[o.user.role]}</span>` : '';
  const out = o.user && o.logout ? html`<form method="post" action="${o.base}/dang-xuat" class="inline logout"><button type="submit">${vi('Đăng xuất')}</button></form>` : '';
  return html`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${vi(o.title)} · lienthong</title><style>${raw(CSS)}</style></head>
<body><header><h1>${vi('Cổng liên thông hồ sơ')}</h1><nav>${nav}</nav>${who}${out}</header>
<main><h2>${vi(o.title)}</h2>${o.body}</main></body></html>`;
}

/** A notice above a page's content (result of an action), from the `?tb=` query. */
export function notice(kind: 'ok' | 'bad' | 'info', text: string): Html {
  return html`<p class="notice ${kind}" role="status">${vi(text)}</p>`;
}
