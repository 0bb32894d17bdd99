/**
 * The charts of the HTML Biểu 06 (issue #12 item 9): parsed back from the SVG, every bar must
 * stand for the figure counted directly from the generated records (not from the report), the
 * threshold line must sit at the configured rate, and the drawing must be self-contained.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalDossierWithProgress } from '../../schemas/portal.ts';
import { parseConfig } from '../../src/config.ts';
import { generateDossiers } from '../../src/demo/generate.ts';
import { localDateOf, portalDateToInstant } from '../../src/dossier/time.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { buildBieu06Report } from '../../src/reports/bieu06-report.ts';
import type { ReportContext } from '../../src/reports/context.ts';
import { toHtml } from '../../src/reports/formats/html.ts';
import { RATE_PLOT, TREND_PLOT } from '../../src/reports/formats/svg-chart.ts';
import { bieu06Table } from '../../src/reports/formats/tables.ts';
import { createCalendar, periodBounds, periodOf } from '../../src/rules/index.ts';
import { openTestLedger, type TestLedger } from '../support/ledger.ts';

// Two admin reporting months: 15/08 → 14/09 and 15/09 → 14/10.
const PERIOD = { from: periodOf({ month: '2026-09', calendar: 'admin' }).from, to: periodOf({ month: '2026-10', calendar: 'admin' }).to };
const MONTHS = ['2026-09', '2026-10'];
const NOW = '2026-11-23T05:00:00.000Z';
const THRESHOLD = 20;

let dir: string;
let ledger: TestLedger;
let records: PortalDossierWithProgress[];
let svg: Record<string, unknown>[];
const ctx: ReportContext = { calendar: createCalendar(), catalog: null, units: null, rollup: false, now: NOW, pageSize: 1000 };

const instant = (v: string | null | undefined) => (v ? Date.parse(portalDateToInstant(v) as string) : null);

/** Late rate and on-time rate per unit over [start, end), by a direct count (rules.md §10.1). */
function directRates(start: number, end: number): Map<string, { late: number | null; onTime: number | null }> {
  const acc = new Map<string, { total: number; resolved: number; good: number; late: number }>();
  for (const r of records) {
    const received = instant(r.NgayTiepNhan) as number;
    const finished = instant(r.NgayKetThucXuLy);
    if (received >= end || (received < start && finished !== null && finished < start)) continue;
    const unit = r.MaHoSo.split('-')[0] as string;
    const a = acc.get(unit) ?? { total: 0, resolved: 0, good: 0, late: 0 };
    acc.set(unit, a);
    a.total++;
    const due = localDateOf(portalDateToInstant(r.NgayHenTra) as string);
    if (finished !== null && finished < end) {
      a.resolved++;
      if (localDateOf(new Date(finished).toISOString()) <= due) a.good++;
      else a.late++;
    } else {
      const judged = r.TrangThaiHoSo === '5' ? Math.min(received + 7_200_000, end - 1) : end - 1;
      if (localDateOf(new Date(judged).toISOString()) > due) a.late++;
    }
  }
  const pct = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 100);
  return new Map([...acc].map(([u, a]) => [u, { late: pct(a.late, a.total), onTime: pct(a.good, a.resolved) }]));
}

/** Every element of a parsed SVG, depth first. */
function elements(node: unknown, name = 'svg', out: Array<Record<string, unknown> & { tag: string }> = []) {
  if (Array.isArray(node)) for (const n of node) elements(n, name, out);
  else if (node && typeof node === 'object') {
    out.push({ ...(node as Record<string, unknown>), tag: name });
    for (const [k, v] of Object.entries(node)) if (!k.startsWith('@_') && k !== '#text') elements(v, k, out);
  }
  return out;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lt-charts-'));
  await mkdir(join(dir, 'exports'));
  records = [...generateDossiers({ count: 600, seed: 11, start: '2026-07-25T01:00:00.000Z', spanDays: 80 })];
  await writeFile(join(dir, 'exports', 'a.ndjson'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  ledger = await openTestLedger();
  const config = parseConfig({ database: 'pglite:memory', sources: [{ id: 'local', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') } }] });
  await runSync(ledger, config, { env: {}, push: false });
  const report = await buildBieu06Report(ledger, PERIOD, 'unit', ctx);
  const html = toHtml([bieu06Table(report, { lateThreshold: THRESHOLD })]);
  expect(html).not.toMatch(/<(script|link|img|image|use)\b|src=|href=|@import|url\(/);
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseAttributeValue: false });
  svg = [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => parser.parse(m[0]).svg as Record<string, unknown>);
});
afterAll(async () => {
  await ledger?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('charts in the HTML Biểu 06', () => {
  it('draws each unit’s late and on-time rate as bars as long as the figures counted from the records, with the threshold line', () => {
    const chart = svg.find((s) => s['@_id'] === 'bieu-do-ty-le');
    expect(chart).toBeDefined();
    expect(chart?.['@_role']).toBe('img');
    const all = elements(chart);
    const { start, endExclusive } = periodBounds(PERIOD);
    const want = directRates(start, endExclusive);
    const bars = all.filter((e) => e.tag === 'rect' && e['@_data-series']);
    expect(bars.length).toBe(2 * want.size);
    for (const bar of bars) {
      const rates = want.get(String(bar['@_data-unit']));
      expect(rates, String(bar['@_data-unit'])).toBeDefined();
      const rate = bar['@_data-series'] === 'late' ? rates?.late : rates?.onTime;
      expect(Number(bar['@_width'])).toBeCloseTo((RATE_PLOT.width * (rate ?? 0)) / 100, 1);
      expect(Number(bar['@_x'])).toBe(RATE_PLOT.left);
    }
    expect(bars.some((b) => b['@_data-over'] === 'true')).toBe(true);
    for (const b of bars) expect(b['@_data-over'] === 'true').toBe(b['@_data-series'] === 'late' && (want.get(String(b['@_data-unit']))?.late ?? 0) > THRESHOLD);
    const line = all.find((e) => e.tag === 'line' && e['@_data-threshold'] !== undefined);
    expect(Number(line?.['@_x1'])).toBeCloseTo(RATE_PLOT.left + (RATE_PLOT.width * THRESHOLD) / 100, 1);
    // Accessible: a title and a description with the figures in Vietnamese format.
    const desc = String((chart?.['desc'] as Record<string, unknown>)['#text']);
    const [unit, first] = [...want][0] as [string, { late: number | null }];
    expect(desc).toContain(`(${unit}): trễ hạn ${String((first.late ?? 0).toFixed(2)).replace('.', ',')} %`);
    expect(desc).toContain('ngưỡng tỷ lệ trễ hạn 20,00 %');
  });

  it('draws received (new) and resolved dossiers of each month as columns in proportion to a direct count', () => {
    const chart = svg.find((s) => s['@_id'] === 'bieu-do-xu-huong');
    expect(chart).toBeDefined();
    const all = elements(chart);
    const counts = MONTHS.map((month) => {
      const { start, endExclusive } = periodBounds(periodOf({ month, calendar: 'admin' }));
      let received = 0;
      let resolved = 0;
      for (const r of records) {
        const t = instant(r.NgayTiepNhan) as number;
        const f = instant(r.NgayKetThucXuLy);
        if (t >= start && t < endExclusive) received++;
        if (f !== null && f >= start && f < endExclusive && t < endExclusive) resolved++;
      }
      return { month, received, resolved };
    });
    expect(counts.every((c) => c.received > 0 && c.resolved > 0)).toBe(true);
    const top = Number((all.find((e) => e['@_data-scale-max'] !== undefined) as Record<string, unknown>)['@_data-scale-max']);
    expect(top).toBeGreaterThanOrEqual(Math.max(...counts.flatMap((c) => [c.received, c.resolved])));
    const plot = TREND_PLOT.bottom - TREND_PLOT.top;
    for (const c of counts) {
      for (const series of ['received', 'resolved'] as const) {
        const bar = all.find((e) => e.tag === 'rect' && e['@_data-month'] === c.month && e['@_data-series'] === series);
        expect(Number(bar?.['@_height']), `${c.month} ${series}`).toBeCloseTo((plot * c[series]) / top, 1);
        expect(Number(bar?.['@_y']) + Number(bar?.['@_height'])).toBeCloseTo(TREND_PLOT.bottom, 1);
      }
    }
    const desc = String((chart?.['desc'] as Record<string, unknown>)['#text']);
    expect(desc).toContain(`Tháng 09/2026: tiếp nhận mới ${counts[0]?.received}, đã giải quyết ${counts[0]?.resolved}.`);
  });
});
