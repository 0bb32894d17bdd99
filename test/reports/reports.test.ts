/**
 * End to end: generated portal-format dossiers → NDJSON export → spine (runSync, no push) →
 * ledger → reports. Expected Biểu 06 figures are counted directly from the generated records with
 * the definitions of rules.md §9–§10.1, not with the rules' accumulator.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalDossierWithProgress } from '../../schemas/portal.ts';
import { parseConfig } from '../../src/config.ts';
import { DEMO_UNITS, generateDossiers } from '../../src/demo/generate.ts';
import { localDateOf, portalDateToInstant } from '../../src/dossier/time.ts';
import { runSync } from '../../src/pipeline/sync.ts';
import { buildBieu06Report, explainCarryOver } from '../../src/reports/bieu06-report.ts';
import type { ReportContext } from '../../src/reports/context.ts';
import { buildIndicatorReport } from '../../src/reports/indicators-report.ts';
import { buildLateReport } from '../../src/reports/late-report.ts';
import { streamDossiers } from '../../src/reports/ledger-stream.ts';
import { checkCarryOver, createCalendar, periodOf } from '../../src/rules/index.ts';
import { createUnitRegistry } from '../../src/units/registry.ts';
import { openTestLedger, type TestLedger } from '../support/ledger.ts';

const PERIOD = periodOf({ month: '2026-10', calendar: 'admin' }); // 15/09 → 14/10
const START = Date.parse('2026-09-14T17:00:00.000Z');
const END = Date.parse('2026-10-14T17:00:00.000Z'); // exclusive
const NOW = '2026-11-23T05:00:00.000Z';

let dir: string;
let ledger: TestLedger;
let records: PortalDossierWithProgress[];
const ctx: ReportContext = { calendar: createCalendar(), catalog: null, units: null, rollup: false, now: NOW, pageSize: 1000 };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lt-report-'));
  await mkdir(join(dir, 'exports'));
  records = [...generateDossiers({ count: 2500, seed: 7, start: '2026-08-20T01:00:00.000Z', spanDays: 75 })];
  await writeFile(join(dir, 'exports', 'a.ndjson'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  ledger = await openTestLedger();
  const config = parseConfig({ database: 'pglite:memory', sources: [{ id: 'local', adapter: 'dvcqg-file', options: { path: join(dir, 'exports') }, pageSize: 500 }] });
  const run = await runSync(ledger, config, { env: {}, push: false });
  expect(run.sources[0]?.new).toBe(records.length);
});
afterAll(async () => {
  await ledger?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Expected {
  received: { total: number; carriedOver: number; new: number; online: number; offline: number };
  resolved: { total: number; early: number; onTime: number; late: number };
  inProgress: { total: number; withinDeadline: number; overdue: number };
}

/** Direct count over the generated records (rules.md §10.1), judged at the last instant of the period. */
function expected(recs: PortalDossierWithProgress[], unitOf: (r: PortalDossierWithProgress) => string): Map<string, Expected> {
  const out = new Map<string, Expected>();
  const asOf = END - 1;
  for (const r of recs) {
    const received = Date.parse(portalDateToInstant(r.NgayTiepNhan) as string);
    const dueDate = localDateOf(portalDateToInstant(r.NgayHenTra) as string);
    const endIso = portalDateToInstant(r.NgayKetThucXuLy);
    const end = endIso ? Date.parse(endIso) : null;
    if (received >= END) continue;
    if (received < START && end !== null && end < START) continue;
    const e = out.get(unitOf(r)) ?? { received: { total: 0, carriedOver: 0, new: 0, online: 0, offline: 0 }, resolved: { total: 0, early: 0, onTime: 0, late: 0 }, inProgress: { total: 0, withinDeadline: 0, overdue: 0 } };
    out.set(unitOf(r), e);
    e.received.total++;
    if (received < START) e.received.carriedOver++;
    else {
      e.received.new++;
      if (r.KenhThucHien === '2') e.received.online++;
      else e.received.offline++;
    }
    if (end !== null && end <= asOf) {
      e.resolved.total++;
      const endDate = localDateOf(endIso as string);
      if (endDate < dueDate) e.resolved.early++;
      else if (endDate === dueDate) e.resolved.onTime++;
      else e.resolved.late++;
    } else {
      e.inProgress.total++;
      // A pending supplement request (status 5, 2 h after receipt) judges the dossier at the request.
      const judged = r.TrangThaiHoSo === '5' ? Math.min(received + 7_200_000, asOf) : asOf;
      if (localDateOf(new Date(judged).toISOString()) <= dueDate) e.inProgress.withinDeadline++;
      else e.inProgress.overdue++;
    }
  }
  return out;
}

describe('reports over a ledger filled through the spine', () => {
  it('reproduces Biểu 06 per unit and in total from a direct count of the generated records', async () => {
    const report = await buildBieu06Report(ledger, PERIOD, 'unit', ctx);
    const want = expected(records, (r) => r.MaHoSo.split('-')[0] as string);
    expect(report.rows.map((r) => r.unitCode).sort()).toEqual([...want.keys()].sort());
    for (const row of report.rows) {
      const e = want.get(row.unitCode as string) as Expected;
      expect({ received: row.received, resolved: row.resolved, inProgress: row.inProgress }).toEqual(e);
      expect(row.unitName).toBe(DEMO_UNITS.find((u) => u.code === row.unitCode)?.name);
      const r = e.resolved;
      expect(row.rates.resolvedOnTime).toBe(Math.round(((r.early + r.onTime) / r.total) * 10_000) / 100);
      expect(row.rates.online).toBe(Math.round((e.received.online / e.received.new) * 10_000) / 100);
    }
    const all = [...want.values()];
    expect(report.totals.received.total).toBe(all.reduce((s, e) => s + e.received.total, 0));
    expect(report.totals.received.carriedOver).toBeGreaterThan(0);
    expect(report.totals.inProgress.overdue).toBeGreaterThan(0);
    expect(report.totals.resolved.late).toBeGreaterThan(0);
    expect(report.warnings).toEqual([]);
    expect(report.examined).toBeLessThan(records.length); // dossiers after the period were not read
  });

  it('keeps tồn kỳ trước = đang giải quyết of the previous month', async () => {
    const september = await buildBieu06Report(ledger, periodOf({ month: '2026-09', calendar: 'admin' }), 'unit', ctx);
    const october = await buildBieu06Report(ledger, PERIOD, 'unit', ctx);
    expect(checkCarryOver(september, october)).toEqual([]);
    expect(october.totals.received.carriedOver).toBe(september.totals.inProgress.total);
  });

  it('names the dossiers behind a carry-over mismatch against figures from other data', async () => {
    const october = await buildBieu06Report(ledger, PERIOD, 'unit', ctx);
    const unit = october.rows[0]?.unitCode as string;
    // A "published" September with one in-progress dossier fewer for the first unit.
    const september = await buildBieu06Report(ledger, periodOf({ month: '2026-09', calendar: 'admin' }), 'unit', ctx);
    const tampered = { ...september, rows: september.rows.map((r) => (r.unitCode === unit ? { ...r, inProgress: { ...r.inProgress, total: r.inProgress.total - 1 } } : r)) };
    const warnings = checkCarryOver(tampered, october);
    expect(warnings).toMatchObject([{ code: 'carry_over_mismatch', key: unit }]);
    const dossiers = (async function* () {
      for await (const s of streamDossiers(ledger)) yield s.dossier;
    })();
    const [explained] = await explainCarryOver(warnings, dossiers, { ctx, period: PERIOD, groupBy: 'unit' });
    expect(october.rows[0]?.received.carriedOver).toBeGreaterThan(100);
    expect(explained?.dossierCodes.length).toBe(100); // listed up to MAX_LISTED_CODES
    expect(explained?.message).toMatch(/previous figures come from other data/);
    expect(explained?.dossierCodes.every((c) => c.startsWith(unit))).toBe(true);
  });

  it('groups by the registry unit valid at receipt and rolls up to successors', async () => {
    const [a, b] = DEMO_UNITS;
    const units = createUnitRegistry([
      { code: a.code, name: 'Sở Tư pháp (tên trong danh mục)', parent: null, validFrom: null, validTo: null, successor: null },
      { code: b.code, name: 'UBND xã cũ', parent: null, validFrom: null, validTo: '2026-09-30', successor: a.code },
    ]);
    const plain = await buildBieu06Report(ledger, PERIOD, 'unit', { ...ctx, units });
    const rowA = plain.rows.find((r) => r.unitCode === a.code);
    expect(rowA?.unitName).toBe('Sở Tư pháp (tên trong danh mục)');
    expect(plain.warnings.filter((w) => w.code === 'unit_not_in_registry').map((w) => w.key).sort()).toEqual([DEMO_UNITS[2].code, DEMO_UNITS[3].code].sort());
    // Dossiers of b received from 1/10 belong to its successor a; with --rollup all of b's do.
    const want = expected(records, (r) => {
      const code = r.MaHoSo.split('-')[0] as string;
      return code === b.code && localDateOf(portalDateToInstant(r.NgayTiepNhan) as string) > '2026-09-30' ? a.code : code;
    });
    expect(plain.rows.find((r) => r.unitCode === a.code)?.received).toEqual(want.get(a.code)?.received);
    expect(plain.rows.find((r) => r.unitCode === b.code)?.received).toEqual(want.get(b.code)?.received);
    const rolled = await buildBieu06Report(ledger, PERIOD, 'unit', { ...ctx, units, rollup: true });
    expect(rolled.rows.map((r) => r.unitCode)).not.toContain(b.code);
    expect(rolled.totals).toEqual(plain.totals);
  });

  it('computes the 766 indicators per unit; 2.1 equals the Biểu 06 on-time rate', async () => {
    const calendarMonth = periodOf({ month: '2026-10', calendar: 'calendar' });
    const [ind, b06] = await Promise.all([buildIndicatorReport(ledger, calendarMonth, ctx, { synced: false }), buildBieu06Report(ledger, calendarMonth, 'unit', ctx)]);
    for (const u of ind.units) {
      const i21 = u.indicators.find((i) => i.code === '2.1');
      const row = b06.rows.find((r) => r.unitCode === u.unitCode);
      expect(i21 && i21.computable && i21.rate).toBe(row?.rates.onTime766);
      expect(u.indicators.find((i) => i.code === '1.4')?.computable).toBe(false);
    }
  });

  it('lists the dossiers whose apology letter is due', async () => {
    const at = '2026-10-20';
    const report = await buildLateReport(ledger, at, ctx);
    expect(report.window).toEqual({ from: '2026-10-20', to: '2026-10-21' });
    const atEnd = Date.parse('2026-10-20T17:00:00.000Z');
    const want = records
      .filter((r) => {
        const received = Date.parse(portalDateToInstant(r.NgayTiepNhan) as string);
        const end = portalDateToInstant(r.NgayKetThucXuLy);
        const due = localDateOf(portalDateToInstant(r.NgayHenTra) as string);
        return received < atEnd && !(end && Date.parse(end) < atEnd) && r.TrangThaiHoSo !== '5' && due >= at && due <= '2026-10-21';
      })
      .map((r) => r.MaHoSo)
      .sort();
    expect(report.rows.map((r) => r.code).sort()).toEqual(want);
    expect(want.length).toBeGreaterThan(0);
    expect(report.rows.every((r) => r.apologyBy < r.dueDate)).toBe(true);
  });

  it('refuses a period that has not started', async () => {
    await expect(buildBieu06Report(ledger, { from: '2027-01-01', to: '2027-01-31' }, 'unit', ctx)).rejects.toThrow(/from: 2027-01-01 is after today/);
  });
});
