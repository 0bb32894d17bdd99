/**
 * The simulator's own reading of indicator 766 2.1, written from the published rules (DVCQG's 766
 * formula description; TrangThaiHoSo codes 1–10) and deliberately sharing no code with the
 * gateway's classification, so that reconciling the gateway against the simulator can disagree.
 * Only the working-day calendar (official days off, which is data) is taken from the gateway.
 *
 * Portal dates are `yyyyMMddHHmmss` wall-clock time in Vietnam (UTC+7, no daylight saving).
 */
import type { WorkingCalendar } from '../rules/calendar.ts';

const HOUR = 3_600_000;
const VN_OFFSET = 7 * HOUR;
const DAY = 24 * HOUR;

/** A `yyyyMMddHHmmss` Vietnam time as epoch milliseconds, or null when absent or malformed. */
export function vnTime(value: unknown): number | null {
  if (typeof value !== 'string' || !/^\d{14}$/.test(value)) return null;
  const n = (a: number, b: number) => Number(value.slice(a, b));
  const [y, mo, d, h, mi, s] = [n(0, 4), n(4, 6), n(6, 8), n(8, 10), n(10, 12), n(12, 14)];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(utc);
  // Date.UTC rolls 31/02 over to March: such a value is not a date.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  return utc - VN_OFFSET;
}

/** The Vietnam calendar day (YYYY-MM-DD) of an instant. */
export function vnDay(ms: number): string {
  return new Date(ms + VN_OFFSET).toISOString().slice(0, 10);
}

/** The instant of a Vietnam wall-clock day and time of day (ms since that day's midnight). */
function vnInstant(day: string, msOfDay: number): number {
  return Date.parse(`${day}T00:00:00.000Z`) - VN_OFFSET + msOfDay;
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + DAY).toISOString().slice(0, 10);
}

export interface SimProgressItem {
  TrangThai?: unknown;
  ThoiDiemXuLy?: unknown;
}

export interface SimRecord {
  MaHoSo?: unknown;
  DonViXuLy?: unknown;
  TrangThaiHoSo?: unknown;
  NgayTiepNhan?: unknown;
  NgayHenTra?: unknown;
  NgayKetThucXuLy?: unknown;
  NgayTra?: unknown;
  NgayTuChoi?: unknown;
  DanhSachHoSoBoSung?: unknown;
}

/** What 766 2.1 says of one dossier in one period: counted at all, and on time. */
export interface Verdict766 {
  counted: boolean;
  onTime: boolean;
}

interface Step {
  status: number;
  at: number;
}

function stepsOf(progress: readonly SimProgressItem[]): Step[] {
  const out: Step[] = [];
  for (const p of progress) {
    const at = vnTime(p.ThoiDiemXuLy);
    const status = Number(p.TrangThai);
    if (at !== null && Number.isInteger(status)) out.push({ status, at });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** End of processing: status 9 first, then 10, then 8/3/7 (the last such step); without a history, the record's dates. */
function endOf(record: SimRecord, status: number, steps: readonly Step[]): number | null {
  if (![3, 7, 8, 9, 10].includes(status)) return null;
  for (const wanted of [[9], [10], [8, 3, 7]]) {
    const last = steps.filter((s) => wanted.includes(s.status)).at(-1);
    if (last) return last.at;
  }
  if (status === 3) return vnTime(record.NgayTuChoi) ?? vnTime(record.NgayKetThucXuLy);
  return vnTime(record.NgayKetThucXuLy) ?? vnTime(record.NgayTra) ?? vnTime(record.NgayTuChoi);
}

interface Supplement {
  from: number;
  to: number | null;
  newDue: number | null;
}

/** Supplement waits: the request list when it has dated requests, else the runs of status 5 in the history. */
function supplementsOf(record: SimRecord, steps: readonly Step[]): { waits: Supplement[]; requests: number } {
  const list = Array.isArray(record.DanhSachHoSoBoSung) ? (record.DanhSachHoSoBoSung as Record<string, unknown>[]) : [];
  let runs = 0;
  const fromRuns: Supplement[] = [];
  let open: number | null = null;
  for (const s of steps) {
    if (s.status === 5 && open === null) {
      open = s.at;
      runs += 1;
    } else if (s.status !== 5 && open !== null) {
      fromRuns.push({ from: open, to: s.at, newDue: null });
      open = null;
    }
  }
  if (open !== null) fromRuns.push({ from: open, to: null, newDue: null });
  const dated: Supplement[] = [];
  for (const q of list) {
    const from = vnTime(q?.['NgayBoSung']);
    if (from !== null) dated.push({ from, to: vnTime(q['NgayTiepNhanBoSung']), newDue: vnTime(q['NgayHenTraMoi']) });
  }
  dated.sort((a, b) => a.from - b.from);
  return { waits: dated.length > 0 ? dated : fromRuns, requests: Math.max(list.length, runs) };
}

/** Working days d with from < d ≤ to. */
function workingDaysAfter(from: string, to: string, calendar: WorkingCalendar): number {
  let n = 0;
  for (let d = nextDay(from); d <= to; d = nextDay(d)) if (calendar.isWorkingDay(d)) n += 1;
  return n;
}

function addWorking(day: string, n: number, calendar: WorkingCalendar): string {
  let d = day;
  for (let left = n; left > 0; ) {
    d = nextDay(d);
    if (calendar.isWorkingDay(d)) left -= 1;
  }
  return d;
}

/**
 * Indicator 766 2.1 for one dossier held by the portal, for a period starting at `periodStart`
 * and judged at `asOf` (the period's last instant, or now for a period not over):
 *
 * - counted: received (status 2 or later, a NgayTiepNhan no later than asOf; status 1 never;
 *   status 3 only when the history shows it was worked on, 4/5/6) and either received in the
 *   period or not finished before it began;
 * - on time: at most one supplement request, and a finished dossier's end no later than the
 *   appointment (NgayHenTra), an unfinished one's judgement day (asOf, or the day the supplement
 *   it still waits for was requested) no later than the appointment's day. The appointment moves
 *   by the working days of each supplement wait that is over (after the request day up to the
 *   resubmission day, for requests made by the running due day), unless a request re-issued it
 *   (NgayHenTraMoi, the last one counts).
 */
export function verdict766(record: SimRecord, progress: readonly SimProgressItem[], periodStart: number, asOf: number, calendar: WorkingCalendar): Verdict766 {
  const no: Verdict766 = { counted: false, onTime: false };
  const status = Number(record.TrangThaiHoSo);
  const steps = stepsOf(progress);
  if (status === 1) return no;
  if (status === 3 && !steps.some((s) => s.status === 4 || s.status === 5 || s.status === 6)) return no;
  const received = vnTime(record.NgayTiepNhan);
  if (received === null || received > asOf) return no;
  const end = endOf(record, status, steps);
  if (received < periodStart && end !== null && end < periodStart) return no;

  const { waits, requests } = supplementsOf(record, steps);
  if (requests > 1) return { counted: true, onTime: false };
  const finished = end !== null && end <= asOf;
  const waiting = waits.find((w) => w.from <= asOf && (w.to === null || w.to > asOf));
  const judged = finished ? end : (waiting?.from ?? asOf);

  let due: number | null;
  const reissued = waits.filter((w) => w.newDue !== null).at(-1)?.newDue ?? null;
  if (reissued !== null) due = reissued;
  else {
    const appointment = vnTime(record.NgayHenTra);
    if (appointment === null) due = null;
    else {
      let dueDay = vnDay(appointment);
      const baseDay = dueDay;
      for (const w of waits) {
        if (w.to === null || w.to > judged) continue;
        const fromDay = vnDay(w.from);
        if (fromDay > dueDay) break;
        dueDay = addWorking(dueDay, workingDaysAfter(fromDay, vnDay(w.to), calendar), calendar);
      }
      due = dueDay === baseDay ? appointment : vnInstant(dueDay, (appointment + VN_OFFSET) % DAY);
    }
  }
  if (due === null) return { counted: true, onTime: false };
  return { counted: true, onTime: finished ? judged <= due : vnDay(judged) <= vnDay(due) };
}
