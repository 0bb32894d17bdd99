/**
 * The dashboard end to end in headless Chromium (the system's, or the one `npm install` brings;
 * see test/support/browser.ts), driven by playwright-core
 * over a ledger filled by a real sync: log in, overview → units → dossier look-up (masked for a
 * viewer) → quarantine replay and reconciliation repair as an operator. Screenshots are kept in
 * test-artifacts/dashboard/.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDashboardApp } from '../../src/dashboard/index.ts';
import type { DashboardUser } from '../../src/dashboard/types.ts';
import { findChromium } from '../support/browser.ts';
import { CITIZEN_ID, LATE_DUE_CODE, NOW, fixedGetAdapter, startDashboardFixture, type DashboardFixture } from './fixture.ts';

const THRESHOLD = 30;
const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'dashboard', process.env['DATABASE_URL'] ? 'postgres' : 'pglite');
const KEYS: Record<string, DashboardUser> = {
  'viewer-key': { name: 'Cán bộ theo dõi', role: 'viewer' },
  'operator-key': { name: 'Cán bộ vận hành', role: 'operator' },
};

let fixture: DashboardFixture;
let server: ServerType;
let context: BrowserContext;
let profile: string;
let base: string;

beforeAll(async () => {
  fixture = await startDashboardFixture();
  const app = createDashboardApp({
    ledger: fixture.ledger,
    // The one threshold setting, as the report files read it.
    config: { ...fixture.config, reports: { ...fixture.config.reports, lateThreshold: THRESHOLD } },
    getAdapter: fixedGetAdapter,
    now: () => NOW,
    authenticate: async (key) => KEYS[key],
  });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dashboard`;
  await mkdir(ARTIFACTS, { recursive: true });
  profile = await mkdtemp(join(tmpdir(), 'lt-chromium-'));
  const browser = await findChromium();
  context = await chromium.launchPersistentContext(profile, {
    executablePath: browser.executablePath,
    headless: true,
    args: browser.args,
    locale: 'vi-VN',
    viewport: { width: 1280, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await fixture?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

const shot = (page: Page, name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });

async function logIn(page: Page, key: string) {
  await page.goto(base);
  await expect(page.getByRole('button', { name: 'Đăng nhập' }).isVisible()).resolves.toBe(true);
  await page.getByLabel('Khoá API').fill(key);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(base);
}

/** The pages of the dashboard, each with what must be on screen for it to be of use. */
const PAGES: Array<{ name: string; path: () => string; visible: string[] }> = [
  { name: 'tong-quan', path: () => '', visible: ['#loi-gui button', 'tr[data-source="local"] td:nth-child(4)'] },
  { name: 'don-vi', path: () => '/don-vi', visible: ['tbody td.rate', '#bieu-do-ty-le', '#bieu-do-xu-huong'] },
  { name: 'tra-cuu-ho-so', path: () => `/ho-so?ma=${encodeURIComponent(fixture.sampleCode)}`, visible: ['section.ho-so dl'] },
  { name: 'cach-ly', path: () => '/cach-ly', visible: ['#danh-sach-cach-ly button'] },
  { name: 'doi-soat', path: () => '/doi-soat', visible: ['#lich-su-doi-soat td'] },
  { name: 'doi-soat-chi-tiet', path: () => `/doi-soat/${fixture.reconciliationId}`, visible: ['#chenh-lech td'] },
];

it('fits every page on a 390 px phone and on a 1366 px screen, in local time and Vietnamese words', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await logIn(page, 'operator-key');
  for (const viewport of [{ width: 390, height: 844 }, { width: 1366, height: 768 }]) {
    await page.setViewportSize(viewport);
    await mkdir(join(ARTIFACTS, String(viewport.width)), { recursive: true });
    for (const p of PAGES) {
      await page.goto(`${base}${p.path()}`);
      await page.screenshot({ path: join(ARTIFACTS, String(viewport.width), `${p.name}.png`), fullPage: true });
      const where = `${p.name} at ${viewport.width} px`;
      const scrollWidth = await page.evaluate(() => (globalThis as unknown as { document: { scrollingElement: { scrollWidth: number } } }).document.scrollingElement.scrollWidth);
      expect(scrollWidth, where).toBeLessThanOrEqual(viewport.width);
      for (const selector of p.visible) {
        const box = await page.locator(selector).first().boundingBox({ timeout: 5000 });
        expect(box, `${selector} on ${where}`).not.toBeNull();
        expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= viewport.width, `${selector} inside the screen on ${where}`).toBe(true);
      }
      const text = await page.locator('body').innerText();
      // No UTC/ISO instant for people, no dead-letter jargon.
      expect(text, where).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}|\bUTC\b|\d{2}:\d{2}:\d{2}(\.\d+)?Z/);
      expect(text, where).not.toMatch(/thư chết|dead letter/i);
    }
    // A rate such as "33,33 %" stays on one line.
    await page.goto(`${base}/don-vi`);
    for (const cell of await page.locator('td.rate').all()) {
      const lines = await cell.evaluate((td) => {
        const t = td as unknown as { ownerDocument: { createRange(): { selectNodeContents(n: unknown): void; getClientRects(): { length: number } } }; lastChild: unknown };
        const range = t.ownerDocument.createRange();
        range.selectNodeContents(t.lastChild);
        return range.getClientRects().length;
      });
      expect(lines, `late rate at ${viewport.width} px`).toBe(1);
    }
  }
  // The quarantine issues read in Vietnamese on the page.
  await page.goto(`${base}/cach-ly`);
  expect(await page.locator('#danh-sach-cach-ly').innerText()).toMatch(/bắt buộc|không phải ngày giờ/);
  await page.close();
  await context.clearCookies();
});

it('lets a viewer follow sources and units and see a dossier with personal data masked', async () => {
  const page = await context.newPage();
  const blocked: string[] = [];
  page.on('request', (r) => {
    if (!r.url().startsWith('http://127.0.0.1')) blocked.push(r.url());
  });
  await logIn(page, 'viewer-key');
  await shot(page, '1-tong-quan');
  expect(await page.locator('header .who').textContent()).toBe('Cán bộ theo dõi · Xem');
  expect(await page.locator('tr[data-source="local"] td').nth(3).textContent()).toBe('Cần chú ý');
  expect(await page.locator('#the-so .card.warn b').allTextContents()).toEqual(['1', '2']);

  await page.getByRole('link', { name: 'Đơn vị' }).click();
  await page.waitForURL(`${base}/don-vi`);
  await shot(page, '2-don-vi');
  expect(await page.locator('#ky-bao-cao').textContent()).toContain('15/10/2026 – 14/11/2026');
  const late = page.locator('tr[data-late="true"]');
  expect(await late.count()).toBeGreaterThan(0);
  // The highlight is visible: the row's cells are painted, not only classed.
  const colour = await late.first().locator('td').first().evaluate((td) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(td).backgroundColor);
  expect(colour).toBe('rgb(253, 236, 234)');
  for (const rate of await late.locator('td.rate').allTextContents()) expect(Number(rate.replace(' %', '').replace(',', '.'))).toBeGreaterThan(THRESHOLD);
  // Every rate with two decimals, and the total row highlighted by the same rule as the units.
  for (const rate of await page.locator('td.rate').allTextContents()) expect(rate).toMatch(/^(\d{1,3},\d{2} %|—)$/);
  const total = Number(String(await page.locator('#tong-cong td.rate').textContent()).replace(' %', '').replace(',', '.'));
  expect(await page.locator('#tong-cong[data-late="true"]').count()).toBe(total > THRESHOLD ? 1 : 0);

  await page.getByRole('link', { name: 'Tra cứu hồ sơ' }).click();
  await page.getByLabel('Mã hồ sơ').fill(fixture.sampleCode);
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await page.waitForSelector(`section.ho-so[data-code="${fixture.sampleCode}"]`);
  await shot(page, '3-tra-cuu-ho-so');
  expect(await page.locator('[data-field="idNumber"]').textContent()).toBe('*********234');
  expect(await page.content()).not.toContain(CITIZEN_ID);

  await page.getByRole('link', { name: 'Cách ly' }).click();
  expect(await page.locator(`tr[data-key="${LATE_DUE_CODE}"]`).count()).toBe(1);
  expect(await page.getByRole('button', { name: 'Kiểm tra lại' }).count()).toBe(0);
  expect(blocked).toEqual([]);
  await page.close();
});

it('lets an operator replay a quarantined record and repair a reconciliation', async () => {
  await context.clearCookies();
  const page = await context.newPage();
  await logIn(page, 'operator-key');
  await page.getByRole('link', { name: 'Cách ly' }).click();
  await shot(page, '4-cach-ly');
  await page.locator(`tr[data-key="${LATE_DUE_CODE}"]`).getByRole('button', { name: 'Kiểm tra lại' }).click();
  await page.waitForSelector('p.notice.ok');
  await shot(page, '5-cach-ly-sau-kiem-tra-lai');
  expect(await page.locator('p.notice.ok').textContent()).toContain(`Đã kiểm tra lại và lưu hồ sơ ${LATE_DUE_CODE} vào sổ`);
  expect(await page.locator(`tr[data-key="${LATE_DUE_CODE}"]`).count()).toBe(0);

  await page.getByRole('link', { name: 'Tra cứu hồ sơ' }).click();
  await page.getByLabel('Mã hồ sơ').fill(LATE_DUE_CODE);
  await page.getByRole('button', { name: 'Tra cứu' }).click();
  await page.waitForSelector(`section.ho-so[data-code="${LATE_DUE_CODE}"]`);
  expect(await page.locator('dd', { hasText: '30/10/2026 17:00' }).count()).toBe(1);
  expect(await page.locator('[data-field="idNumber"]').textContent()).toBe(CITIZEN_ID);

  await page.getByRole('link', { name: 'Đối soát' }).click();
  await page.locator(`a[href="/dashboard/doi-soat/${fixture.reconciliationId}"]`).click();
  await page.getByRole('button', { name: 'Sửa chênh lệch' }).click();
  await page.waitForSelector('p.notice.ok');
  await shot(page, '6-doi-soat-da-sua');
  expect(await page.locator('p.notice.ok').textContent()).toMatch(/^Đã sửa: .*xếp hàng gửi lại 1/);
  await page.close();
});

