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
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}body{margin:0;font:15px/1.5 system-ui,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d2733;background:#f4f6f9}
header{background:#a61b1b;color:#fff;padding:.6rem 1.2rem;display:flex;gap:.4rem 1.5rem;align-items:center;flex-wrap:wrap}
header h1{font-size:1.1rem;margin:0}header nav{display:flex;flex-wrap:wrap;gap:.1rem 1rem}header nav a{color:#fff;text-decoration:none;padding:.2rem 0}
header nav a[aria-current=page]{border-bottom:2px solid #ffd54f}header .who{margin-left:auto;font-size:.85rem;opacity:.9}header form.logout button{font-size:.8rem;padding:.1rem .5rem;margin-left:.5rem;background:transparent;border-color:#fff}
main{padding:1rem 1.2rem;max-width:1200px}h2{font-size:1.15rem;margin:1.4rem 0 .6rem}
section h2:first-child{margin-top:0}
section{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:.8rem 1rem;margin-bottom:1rem;min-width:0}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border-bottom:1px solid #e5e9ef;padding:.35rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#eef2f6;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap;overflow-wrap:normal}
tr.late td,tr.late th{background:#fdecea}tr.late td.rate{color:#b3261e;font-weight:700}
.cards{display:flex;gap:.8rem;flex-wrap:wrap}.card{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:.6rem 1rem;min-width:10rem;flex:1 1 10rem}
.card b{display:block;font-size:1.5rem}.card.warn b{color:#b3261e}
.ok{color:#1b7f3b}.bad{color:#b3261e}.muted{color:#64707d}.notice{padding:.6rem .9rem;border-radius:6px;margin-bottom:1rem}
.notice.ok{background:#e7f5ec;color:#1b5e2f}.notice.bad{background:#fdecea;color:#8c1d18}.notice.info{background:#eaf2fb;color:#174a7c}
form.inline{display:inline}button{font:inherit;padding:.25rem .7rem;border:1px solid #a61b1b;background:#a61b1b;color:#fff;border-radius:4px;cursor:pointer}
input,select{font:inherit;padding:.25rem .4rem;max-width:100%}input[name=ma]{width:24rem}code{font-size:.85rem;overflow-wrap:anywhere}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:0}dt{color:#64707d}dd{margin:0;overflow-wrap:anywhere}
ul.issues{margin:0;padding-left:1.1rem;text-align:left}form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin-bottom:.6rem}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,340px),1fr));gap:1rem}.charts figure{margin:0;min-width:0}.charts figcaption{font-weight:600;margin-bottom:.3rem}
@media (max-width:640px){
main{padding:.6rem}header{padding:.5rem .6rem}section{padding:.6rem}
table.stack,table.stack tbody,table.stack tfoot,table.stack tr,table.stack td,table.stack th{display:block;width:100%}
table.stack thead{display:none}table.stack tr{border:1px solid #dde3ea;border-radius:6px;margin-bottom:.6rem;background:#fff}
table.stack td,table.stack tfoot th{display:flex;justify-content:space-between;gap:.8rem;text-align:right;white-space:normal}
table.stack td::before,table.stack tfoot th[data-label]::before{content:attr(data-label);text-align:left;color:#64707d;font-weight:400;flex:0 1 auto}
table.stack td:not([data-label]){justify-content:flex-start;text-align:left}table.stack td.lead{display:block;text-align:left;font-weight:600;background:#eef2f6}
table.stack td.lead::before{content:none}dl{grid-template-columns:1fr}dt{margin-top:.3rem}
}
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

/**
 * A table cell that keeps its column's name: on a phone the table is shown as one card per row and
 * each cell is prefixed with its label (CSS `attr(data-label)`); `lead` is the card's heading.
 */
export function td(label: string | null, content: unknown, cls = ''): Html {
  return html`<td${label === null ? '' : html` data-label="${vi(label)}"`}${cls ? html` class="${cls}"` : ''}>${content}</td>`;
}

/**
 * A configured source or target as people know it: its name with the id beside (`Cổng DVC quốc
 * gia (national)`), or the id alone when the configuration gives no name.
 */
export function named(items: ReadonlyArray<{ id: string; name?: string | undefined }>, id: string): string {
  const name = items.find((x) => x.id === id)?.name;
  return name ? `${vi(name)} (${id})` : id;
}

/** A notice above a page's content (result of an action), from the `?tb=` query. */
export function notice(kind: 'ok' | 'bad' | 'info', text: string): Html {
  return html`<p class="notice ${kind}" role="status">${vi(text)}</p>`;
}
