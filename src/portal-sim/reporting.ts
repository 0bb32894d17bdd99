/**
 * The 766 dashboard's reporting API in the simulator (indicators-766.md §2): the progress tree of
 * the dossiers it holds, per unit (the MaHoSo's unit code), for a calendar month, quarter or year.
 * Like the real API it answers HTTP 201 `{code, data, message}`, refuses a month that has not
 * ended and future periods (§3), and counts a dossier as the portal holds it now. The figures come
 * from the simulator's own reading of the rules (progress-766.ts), not from the gateway's code.
 */
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import { createCalendar } from '../rules/calendar.ts';
import type { SimEnv } from './faults.ts';
import { verdict766 } from './progress-766.ts';
import type { SimState } from './state.ts';

/** A stable UUID-shaped id for a unit code (the real API keys units by UUID). */
export function departmentIdOf(code: string): string {
  const h = createHash('sha256').update(code).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** The real API's path (indicators-766.md §2), written here rather than taken from the gateway's client. */
export const SIM_PROGRESS_TREE_PATH = '/api/v1/reporting/evaluation/dvc-progress-tree';

interface Period {
  from: string;
  to: string;
}

/** Midnight in Vietnam (UTC+7) of a YYYY-MM-DD day, as epoch milliseconds. */
const vnMidnight = (day: string) => Date.parse(`${day}T00:00:00+07:00`);

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
  app.post(SIM_PROGRESS_TREE_PATH, async (c) => {
    let body: Record<string, unknown>;
    try {
      body = (await c.req.json()) as Record<string, unknown>;
    } catch {
      return c.json({ code: 'BAD_REQUEST', data: null, message: 'Nội dung yêu cầu không phải JSON hợp lệ' }, 400);
    }
    const period = periodOfBody(body);
    if (typeof period === 'string') return c.json({ code: 'BAD_REQUEST', data: null, message: period }, 400);
    const start = vnMidnight(period.from);
    // The period's last instant: one millisecond before the next day's midnight.
    const end = vnMidnight(period.to) + 86_400_000 - 1;
    const nowMs = now();
    if (start > nowMs || (body['timeType'] === 'month' && end > nowMs)) {
      return c.json({ code: 'BAD_REQUEST', data: null, message: 'Kỳ báo cáo chưa kết thúc hoặc ở tương lai' }, 400);
    }
    const asOf = Math.min(end, nowMs);
    const units = new Map<string, { name: string; received: number; onTime: number }>();
    for (const d of state.dossierMap.values()) {
      const code = typeof d.record.MaHoSo === 'string' ? (d.record.MaHoSo.split('-')[0] ?? '') : '';
      // A unit code is four dot-separated groups, e.g. 000.20.48.H48 (the MaHoSo's first part).
      if (!/^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$/.test(code)) continue;
      const verdict = verdict766(d.record, d.progress, start, asOf, calendar);
      if (!verdict.counted) continue;
      const u = units.get(code) ?? { name: String(d.record.DonViXuLy ?? '').normalize('NFC'), received: 0, onTime: 0 };
      u.received += 1;
      if (verdict.onTime) u.onTime += 1;
      units.set(code, u);
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
