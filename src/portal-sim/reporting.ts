/**
 * The 766 dashboard's reporting API in the simulator (indicators-766.md §2): the progress tree of
 * the dossiers it holds, per unit (the MaHoSo's unit code), for a calendar month, quarter or year.
 * Like the real API it answers HTTP 201 `{code, data, message}`, refuses a month that has not
 * ended and future periods (§3), and counts a dossier as the portal holds it now.
 */
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { parsePortalRecord } from '../dossier/index.ts';
import { PROGRESS_TREE_PATH } from '../portal/reporting-client.ts';
import { bucketsOf } from '../reconcile/buckets.ts';
import { createCalendar } from '../rules/calendar.ts';
import { periodEndInstant, type Period } from '../rules/periods.ts';
import type { SimEnv } from './faults.ts';
import type { SimState } from './state.ts';

/** A stable UUID-shaped id for a unit code (the real API keys units by UUID). */
export function departmentIdOf(code: string): string {
  const h = createHash('sha256').update(code).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function periodOfBody(b: Record<string, unknown>): Period | string {
  const year = Number(b['year']);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) return 'year phải là số năm';
  const last = (m: number) => new Date(Date.UTC(year, m, 0)).getUTCDate();
  const d = (m: number, day: number) => `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (b['timeType'] === 'month') {
    const m = Number(b['month']);
    if (!Number.isInteger(m) || m < 1 || m > 12) return 'month phải từ 1 đến 12';
    return { from: d(m, 1), to: d(m, last(m)) };
  }
  if (b['timeType'] === 'quarter') {
    const q = Number(b['quarter']);
    if (!Number.isInteger(q) || q < 1 || q > 4) return 'quarter phải từ 1 đến 4';
    return { from: d(3 * q - 2, 1), to: d(3 * q, last(3 * q)) };
  }
  if (b['timeType'] === 'year') return { from: d(1, 1), to: d(12, 31) };
  return 'timeType phải là "month", "quarter" hoặc "year"';
}

export function reportingRoutes(app: Hono<SimEnv>, state: SimState, now: () => number = Date.now): void {
  const calendar = createCalendar();
  app.post(PROGRESS_TREE_PATH, async (c) => {
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      return c.json({ code: 'BAD_REQUEST', data: null, message: 'Nội dung yêu cầu không phải JSON hợp lệ' }, 400);
    }
    const period = periodOfBody(body);
    if (typeof period === 'string') return c.json({ code: 'BAD_REQUEST', data: null, message: period }, 400);
    const end = periodEndInstant(period);
    const nowMs = now();
    if (Date.parse(`${period.from}T00:00:00+07:00`) > nowMs || (body['timeType'] === 'month' && Date.parse(end) > nowMs)) {
      return c.json({ code: 'BAD_REQUEST', data: null, message: 'Kỳ báo cáo chưa kết thúc hoặc ở tương lai' }, 400);
    }
    const asOf = Date.parse(end) > nowMs ? new Date(nowMs).toISOString() : end;
    const units = new Map<string, { name: string; received: number; onTime: number }>();
    for (const d of state.dossierMap.values()) {
      const parsed = parsePortalRecord({ ...d.record, QuaTrinhXuLy: d.progress });
      if (!parsed.ok || !parsed.value.unit.code) continue;
      const buckets = bucketsOf(parsed.value, { ...period, calendar, asOf });
      if (!buckets.includes('766_received')) continue;
      const u = units.get(parsed.value.unit.code) ?? { name: parsed.value.unit.name, received: 0, onTime: 0 };
      u.received += 1;
      if (buckets.includes('766_on_time')) u.onTime += 1;
      units.set(parsed.value.unit.code, u);
    }
    const children = [...units.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([code, u]) => ({
        departmentId: departmentIdOf(code),
        departmentName: u.name,
        departmentCode: code,
        level: 'PROVINCE',
        totalReceived: u.received,
        totalOnTime: u.onTime,
        totalOverdue: u.received - u.onTime,
        ratio: u.received ? Math.round((10000 * u.onTime) / u.received) / 100 : 0,
      }));
    const total = children.reduce((s, x) => ({ r: s.r + x.totalReceived, o: s.o + x.totalOnTime }), { r: 0, o: 0 });
    const parent = { departmentId: String(body['rootDepartmentId'] ?? ''), departmentName: 'Tỉnh (mô phỏng)', departmentCode: '', totalReceived: total.r, totalOnTime: total.o, totalMaxScore: 20 };
    state.count('reporting', 'ok');
    return c.json({ code: 'OK', data: { parent, children }, message: 'OK' }, 201);
  });
}
