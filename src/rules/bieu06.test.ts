import { describe, expect, it } from 'vitest';
import type { Dossier } from '../../schemas/dossier.ts';
import { checkCarryOver, createBieu06Accumulator, type Bieu06Result } from './bieu06.ts';
import { createCalendar } from './calendar.ts';
import { periodOf } from './periods.ts';
import { makeDossier, UNIT_A, UNIT_B, vn, type DossierSpec } from './test-dossier.ts';

const calendar = createCalendar();
const october = periodOf({ month: '2026-10', calendar: 'admin' }); // 15/09 → 14/10
const d = (spec: DossierSpec): Dossier => makeDossier(spec);

/** Unit A: one dossier per situation of the form; the expected column of each is in its comment. */
const unitA: Dossier[] = [
  d({ code: 'A1', status: 9, received: '2026-09-01 09:00', due: '2026-09-10 17:00', finished: '2026-09-09 10:00' }), // ended before the period: not counted
  d({ code: 'A2', status: 9, received: '2026-09-10 09:00', due: '2026-09-18 17:00', finished: '2026-09-16 10:00' }), // carried over, early
  d({ code: 'A3', status: 4, received: '2026-09-11 09:00', due: '2026-10-30 17:00' }), // carried over, in progress within
  d({ code: 'A4', status: 4, received: '2026-09-14 16:00', due: '2026-10-01 17:00' }), // carried over, in progress overdue
  d({ code: 'A5', status: 10, channel: 'online', received: '2026-09-15 08:00', due: '2026-09-18 17:00', progress: [[2, '2026-09-15 08:00'], [4, '2026-09-16 08:00'], [9, '2026-09-18 11:00'], [10, '2026-09-25 09:00']] }), // new online, on time
  d({ code: 'A6', status: 9, received: '2026-09-21 09:00', due: '2026-09-30 17:00', finished: '2026-10-02 10:00' }), // new offline, late
  d({ code: 'A7', status: 2, channel: 'online', received: '2026-10-14 16:00', due: '2026-10-19 17:00' }), // new online, within
  d({ code: 'A8', status: 4, received: '2026-10-15 08:00', due: '2026-10-20 17:00' }), // after the period: not counted
  d({ code: 'A9', status: 1, received: null }), // submitted online only: not received
  d({ code: 'A10', status: 3, received: '2026-10-01 09:00', refused: '2026-10-01 09:30' }), // refused at the counter
  d({ code: 'A11', status: 9, channel: 'postal', received: '2026-10-01 09:00', finished: '2026-10-05 10:00', procedure: '9.999999' }), // new offline, resolved but no due date
  d({ code: 'A12', status: 8, received: '2026-10-05 09:00', due: '2026-10-20 17:00', finished: '2026-10-06 10:00' }), // new offline, stopped = resolved early
  d({ code: 'A13', status: 9, received: '2026-09-25 09:00', due: '2026-10-10 17:00', finished: '2026-10-20 10:00' }), // new offline, finished after the period → in progress overdue
  d({ code: 'A14', status: 5, received: '2026-10-02 09:00', due: '2026-10-09 17:00', supplements: [{ requested: '2026-10-07 10:00', resubmitted: null }] }), // new offline, judged at the request: within
];
const unitB: Dossier[] = [
  d({ code: 'B1', unit: UNIT_B, status: 9, channel: 'online', received: '2026-10-01 09:00', due: '2026-10-06 17:00', finished: '2026-10-01 15:00', digitised: true, eResult: true, fee: 50_000, paidOnline: '1' }),
  d({
    code: 'B2',
    unit: UNIT_B,
    status: 4,
    received: '2026-10-02 09:00',
    due: '2026-10-12 17:00',
    fee: 20_000,
    supplements: [
      { requested: '2026-10-05 10:00', resubmitted: '2026-10-06 10:00' },
      { requested: '2026-10-07 10:00', resubmitted: '2026-10-09 10:00' },
    ],
  }), // paused 3 working days → due 15/10: within; but 2 supplement requests → late for 766
];

describe('Biểu 06 in progress without a due date', () => {
  it('counts a dossier in progress that cannot be judged in the in-progress total (tổng nhận = đã giải quyết + đang giải quyết)', () => {
    // No NgayHenTra and a procedure outside any catalogue: in progress, neither within nor overdue.
    const unknown = d({ code: 'U1', status: 4, received: '2026-10-01 09:00', procedure: '9.999999' });
    const within = d({ code: 'U2', status: 4, received: '2026-10-01 09:00', due: '2026-10-30 17:00' });
    const acc = createBieu06Accumulator({ ...october, groupBy: 'unit', calendar });
    acc.add(unknown);
    acc.add(within);
    const [row] = acc.result().rows;
    expect(row).toMatchObject({ received: { total: 2 }, resolved: { total: 0 }, inProgress: { total: 2, withinDeadline: 1, overdue: 0 } });
  });
});

function run(dossiers: Dossier[], extra: Partial<Parameters<typeof createBieu06Accumulator>[0]> = {}): Bieu06Result {
  const acc = createBieu06Accumulator({ ...october, groupBy: 'unit', calendar, ...extra });
  for (const x of dossiers) acc.add(x);
  return acc.result();
}

describe('Biểu 06 on a hand-built set (admin month 10/2026)', () => {
  const result = run([...unitA, ...unitB, unitB[0] as Dossier]);
  const [rowA, rowB] = result.rows;

  it('fills the columns of unit A', () => {
    expect(rowA).toMatchObject({
      unitCode: UNIT_A.code,
      unitName: UNIT_A.name,
      received: { total: 10, carriedOver: 3, new: 7, online: 2, offline: 5 },
      resolved: { total: 5, early: 2, onTime: 1, late: 1 },
      inProgress: { total: 5, withinDeadline: 3, overdue: 2 },
    });
  });

  it('computes the rates of unit A', () => {
    // 766 on time: A2, A3, A5, A7, A12, A14 = 6 of 10.
    expect(rowA?.rates).toEqual({ resolvedOnTime: 60, late: 30, online: 28.57, digitisation: 0, eResult: 0, onlinePayment: null, onTime766: 60, score766: 12 });
  });

  it('counts unit B, where two supplement requests make an in-time dossier late for 766', () => {
    expect(rowB).toMatchObject({
      received: { total: 2, carriedOver: 0, new: 2, online: 1, offline: 1 },
      resolved: { total: 1, early: 1, onTime: 0, late: 0 },
      inProgress: { total: 1, withinDeadline: 1, overdue: 0 },
      rates: { resolvedOnTime: 100, late: 0, online: 50, digitisation: 50, eResult: 50, onlinePayment: 50, onTime766: 50, score766: 10 },
    });
  });

  it('sums the totals and recomputes their rates', () => {
    expect(result.totals).toEqual({
      received: { total: 12, carriedOver: 3, new: 9, online: 3, offline: 6 },
      resolved: { total: 6, early: 3, onTime: 1, late: 1 },
      inProgress: { total: 6, withinDeadline: 4, overdue: 2 },
      rates: { resolvedOnTime: 66.67, late: 25, online: 33.33, digitisation: 8.33, eResult: 8.33, onlinePayment: 50, onTime766: 58.33, score766: 11.67 },
    });
    expect(result.period).toEqual({ from: '2026-09-15', to: '2026-10-14' });
  });

  it('warns with the dossier codes involved', () => {
    const byCode = Object.fromEntries(result.warnings.map((w) => [w.code, w]));
    expect(byCode['duplicate_dossier']?.dossierCodes).toEqual(['B1']);
    expect(byCode['no_due_date']?.dossierCodes).toEqual(['A11']);
    expect(byCode['identity_resolved']).toMatchObject({ key: UNIT_A.code, dossierCodes: ['A11'] });
    expect(byCode['identity_received']).toBeUndefined();
  });
});

describe('identity checks', () => {
  it('flags a dossier whose end precedes its receipt: received in the period, resolved before it', () => {
    const bad = d({ code: 'BAD', status: 9, received: '2026-10-01 09:00', due: '2026-10-06 17:00', finished: '2026-09-01 10:00' });
    const result = run([bad, unitA[1] as Dossier]);
    const codes = result.warnings.map((w) => w.code).sort();
    expect(codes).toEqual(['end_before_receipt', 'identity_received']);
    expect(result.warnings.find((w) => w.code === 'identity_received')?.dossierCodes).toEqual(['BAD']);
    expect(result.rows[0]?.received.total).toBe(2);
  });

  it('keeps đang giải quyết of one period equal to tồn kỳ trước of the next', () => {
    const all = [...unitA, ...unitB];
    const november = run(all, periodOf({ month: '2026-11', calendar: 'admin' }));
    const oct = run(all);
    expect(november.rows[0]?.received.carriedOver).toBe(5);
    expect(checkCarryOver(oct, november)).toEqual([]);
    const missing = run(all.filter((x) => x.code !== 'A3'), periodOf({ month: '2026-11', calendar: 'admin' }));
    expect(checkCarryOver(oct, missing)).toMatchObject([{ code: 'carry_over_mismatch', key: UNIT_A.code }]);
    expect(() => checkCarryOver(oct, run(all, periodOf({ month: '2026-12', calendar: 'admin' })))).toThrow(/not consecutive/);
  });

  it('holds received = resolved + in progress on 300 generated consistent dossiers', () => {
    let seed = 42;
    const rnd = (n: number) => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31), seed % n);
    const dossiers: Dossier[] = [];
    for (let i = 0; i < 300; i += 1) {
      const received = `2026-${String(8 + rnd(3)).padStart(2, '0')}-${String(1 + rnd(28)).padStart(2, '0')} 09:00`;
      const finishedDay = 1 + rnd(60);
      const [y, m, day] = received.slice(0, 10).split('-').map(Number) as [number, number, number];
      const finished = new Date(Date.UTC(y, m - 1, day + finishedDay)).toISOString().slice(0, 10);
      const open = rnd(3) === 0;
      dossiers.push(d({ code: `G${i}`, unit: rnd(2) ? UNIT_A : UNIT_B, status: open ? 4 : 9, received, due: `${finished} 17:00`, finished: open ? null : `${finished} 10:00` }));
    }
    const result = run(dossiers);
    for (const r of result.rows) expect(r.received.total).toBe(r.resolved.total + r.inProgress.total);
    expect(result.warnings).toEqual([]);
    expect(result.totals.received.total).toBeGreaterThan(0);
  });
});

describe('options', () => {
  it('groups by field within a unit', () => {
    const a = d({ code: 'F1', status: 4, received: '2026-10-01 09:00', due: '2026-10-30 17:00', field: { code: 'HT', name: 'Hộ tịch' } });
    const b = d({ code: 'F2', status: 4, received: '2026-10-01 09:00', due: '2026-10-30 17:00', field: { code: 'CT', name: 'Chứng thực' } });
    const result = run([a, b], { groupBy: 'field' });
    expect(result.rows.map((r) => [r.fieldCode, r.fieldName, r.unitCode, r.received.total])).toEqual([
      ['CT', 'Chứng thực', UNIT_A.code, 1],
      ['HT', 'Hộ tịch', UNIT_A.code, 1],
    ]);
  });

  it('judges the current period at "now" and refuses a judgement instant outside the period', () => {
    const now = vn('2026-10-05 12:00');
    const result = run(unitA, { asOf: now });
    // A6 (due 30/9, finished 2/10) is resolved; A7 (received 14/10) does not exist yet.
    expect(result.rows[0]?.received.new).toBe(6);
    expect(() => run(unitA, { asOf: vn('2026-11-01 00:00') })).toThrow(/outside the period/);
  });

  it('uses the original appointment the ledger kept', () => {
    const rescheduled = d({ code: 'R1', status: 9, received: '2026-10-01 09:00', due: '2026-10-12 17:00', finished: '2026-10-09 10:00' });
    const result = run([rescheduled], { originalDueAt: () => vn('2026-10-06 17:00') });
    expect(result.rows[0]?.resolved).toEqual({ total: 1, early: 0, onTime: 0, late: 1 });
  });
});

describe('periods (rules.md §10.2)', () => {
  it.each([
    [{ month: '2026-10', calendar: 'admin' as const }, '2026-09-15', '2026-10-14'],
    [{ month: '2026-01', calendar: 'admin' as const }, '2025-12-15', '2026-01-14'],
    [{ month: '2026-02', calendar: 'calendar' as const }, '2026-02-01', '2026-02-28'],
    [{ quarter: '2026-Q1', calendar: 'admin' as const }, '2025-12-15', '2026-03-14'],
    [{ quarter: '2026-Q3', calendar: 'calendar' as const }, '2026-07-01', '2026-09-30'],
    [{ year: 2026, months: 6 as const, calendar: 'admin' as const }, '2025-12-15', '2026-06-14'],
    [{ year: 2026, months: 9 as const, calendar: 'admin' as const }, '2025-12-15', '2026-09-14'],
    [{ year: 2026, calendar: 'admin' as const }, '2025-12-15', '2026-12-14'],
    [{ year: 2028, months: 6 as const, calendar: 'calendar' as const }, '2028-01-01', '2028-06-30'],
  ])('%j → %s … %s', (spec, from, to) => {
    expect(periodOf(spec)).toEqual({ from, to });
  });

  it('rejects malformed periods', () => {
    expect(() => periodOf({ month: '2026-13', calendar: 'admin' })).toThrow(RangeError);
    expect(() => periodOf({ quarter: '2026-Q5', calendar: 'calendar' })).toThrow(RangeError);
  });
});
