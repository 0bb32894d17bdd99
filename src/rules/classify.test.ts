import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCalendar } from './calendar.ts';
import { classifyDossier, type ClassifyOptions } from './classify.ts';
import { mergePauses } from './dossier-events.ts';
import { loadProcedureCatalog } from './procedures.ts';
import { ruleSetFor } from './rule-sets.ts';
import { makeDossier, vn, type DossierSpec } from './test-dossier.ts';

const calendar = createCalendar();
const asOf = vn('2026-03-31 23:59');
const classify = (spec: Partial<DossierSpec> & { status: DossierSpec['status'] }, extra: Partial<ClassifyOptions> = {}) =>
  classifyDossier(makeDossier({ code: 'X', ...spec }), { calendar, asOf, ...extra });

describe('what counts as received (rules.md §1, §7.2)', () => {
  it('does not count an online submission not yet accepted', () => {
    expect(classify({ status: 1 })).toMatchObject({ received: false, notReceivedReason: 'submitted' });
  });

  it('does not count a refusal at the counter, but counts a refusal after review as finished', () => {
    expect(classify({ status: 3, refused: '2026-03-02 10:00' })).toMatchObject({ received: false, notReceivedReason: 'refused_at_reception' });
    const afterReview = classify({ status: 3, due: '2026-03-09 17:00', progress: [[2, '2026-03-02 09:00'], [4, '2026-03-03 09:00'], [3, '2026-03-05 10:00']] });
    expect(afterReview).toMatchObject({ received: true, finished: true, end: { status: 3, at: vn('2026-03-05 10:00') }, outcome: 'early' });
  });

  it('reports a dossier without NgayTiepNhan and one received after the judgement instant', () => {
    expect(classify({ status: 4, received: null })).toMatchObject({ received: false, issues: ['no_receipt_time'] });
    expect(classify({ status: 4, received: '2026-04-01 08:00' })).toMatchObject({ received: false, notReceivedReason: 'received_after_as_of' });
  });
});

describe('end of processing (precedence 9 > 10 > 8/3/7)', () => {
  it('takes the status-9 time even when the hand-over (10) is later', () => {
    const c = classify({ status: 10, due: '2026-03-09 17:00', progress: [[4, '2026-03-02 10:00'], [9, '2026-03-09 16:00'], [10, '2026-03-12 09:00']] });
    expect(c.end).toEqual({ at: vn('2026-03-09 16:00'), status: 9, source: 'progress' });
    expect(c.outcome).toBe('on_time');
  });

  it('falls back to 10, then to 8, and takes the last finish of a reopened dossier', () => {
    expect(classify({ status: 10, progress: [[8, '2026-03-03 10:00'], [10, '2026-03-04 10:00']] }).end?.status).toBe(10);
    expect(classify({ status: 8, progress: [[4, '2026-03-03 10:00'], [8, '2026-03-04 10:00']] }).end?.status).toBe(8);
    const reopened = classify({ status: 9, progress: [[9, '2026-03-03 10:00'], [4, '2026-03-04 10:00'], [9, '2026-03-10 10:00']] });
    expect(reopened.end?.at).toBe(vn('2026-03-10 10:00'));
  });

  it('uses NgayKetThucXuLy, then NgayTra, when there is no history', () => {
    expect(classify({ status: 10, finished: '2026-03-05 10:00', returned: '2026-03-06 10:00' }).end).toEqual({ at: vn('2026-03-05 10:00'), status: 10, source: 'dates' });
    expect(classify({ status: 10, returned: '2026-03-06 10:00' }).end?.at).toBe(vn('2026-03-06 10:00'));
  });

  it('flags an end state without an end time and keeps the dossier in progress', () => {
    const c = classify({ status: 9, due: '2026-03-09 17:00' });
    expect(c).toMatchObject({ finished: false, inProgress: 'overdue', issues: ['end_time_missing'] });
  });

  it('treats a dossier finished after the judgement instant as in progress then', () => {
    const c = classifyDossier(makeDossier({ code: 'X', status: 9, due: '2026-03-09 17:00', finished: '2026-03-06 10:00' }), { calendar, asOf: vn('2026-03-05 23:59') });
    expect(c).toMatchObject({ finished: false, inProgress: 'within_deadline', end: { at: vn('2026-03-06 10:00') } });
  });
});

describe('trước hạn / đúng hạn / quá hạn by local dates (rules.md §9)', () => {
  const due = '2026-03-09 17:00';
  it.each([
    ['2026-03-06 16:00', 'early', false],
    ['2026-03-09 08:00', 'on_time', false],
    ['2026-03-10 08:00', 'late', true],
  ] as const)('finished %s against due 9/3 → %s', (finished, outcome, lateExact) => {
    expect(classify({ status: 9, due, finished })).toMatchObject({ outcome, lateExact, onTime766: !lateExact });
  });

  it('keeps the exact instants for audit: after 17:00 on the due date is on time by date, late by instant', () => {
    // NgayHenTra 17:00 local = 10:00Z; finishing 23:30 local is still 9/3 in Vietnam (16:30Z).
    expect(classify({ status: 9, due, finished: '2026-03-09 23:30' })).toMatchObject({ outcome: 'on_time', lateExact: true, onTime766: false });
  });

  it('finishing exactly at the due instant is on time, by date and by instant (766 2.1: end ≤ NgayHenTra)', () => {
    expect(classify({ status: 9, due, finished: due })).toMatchObject({ outcome: 'on_time', lateExact: false, onTime766: true });
    expect(classify({ status: 9, due, finished: '2026-03-09 17:01' })).toMatchObject({ outcome: 'on_time', lateExact: true, onTime766: false });
  });

  it('judges dossiers in progress at the judgement date', () => {
    expect(classify({ status: 4, due: '2026-03-31 17:00' }).inProgress).toBe('within_deadline');
    expect(classify({ status: 4, due: '2026-03-30 17:00' }).inProgress).toBe('overdue');
  });
});

describe('supplements (rules.md §3, 766 2.1)', () => {
  it('extends NgayHenTra by the paused working days when it was not re-issued', () => {
    const c = classify({ status: 9, due: '2026-03-09 17:00', finished: '2026-03-11 10:00', supplements: [{ requested: '2026-03-04 10:00', resubmitted: '2026-03-06 09:00' }] });
    expect(c).toMatchObject({ due: { dueDate: '2026-03-11', dueAt: vn('2026-03-11 17:00') }, pausedWorkingDays: 2, outcome: 'on_time', dueSource: 'dossier' });
  });

  it('uses a re-issued appointment as is', () => {
    const c = classify({
      status: 9,
      due: '2026-03-09 17:00',
      finished: '2026-03-12 10:00',
      supplements: [{ requested: '2026-03-04 10:00', resubmitted: '2026-03-06 09:00', newDue: '2026-03-13 17:00' }],
    });
    expect(c).toMatchObject({ dueSource: 'reissued', due: { dueDate: '2026-03-13' }, pausedWorkingDays: 0, outcome: 'early' });
  });

  it('judges a dossier waiting for a supplement at the request time', () => {
    const c = classify({ status: 5, due: '2026-03-09 17:00', supplements: [{ requested: '2026-03-06 10:00', resubmitted: null }] });
    expect(c).toMatchObject({ inProgress: 'within_deadline', judgedAt: vn('2026-03-06 10:00'), onTime766: true });
  });

  it('reads pauses from status-5 runs when the supplement list is empty', () => {
    const c = classify({ status: 9, due: '2026-03-09 17:00', progress: [[5, '2026-03-04 10:00'], [4, '2026-03-06 09:00'], [9, '2026-03-11 10:00']] });
    expect(c).toMatchObject({ pausedWorkingDays: 2, outcome: 'on_time', supplementRequests: 1 });
  });

  it('counts more than one supplement request as late for 766 only', () => {
    const c = classify({
      status: 9,
      due: '2026-03-20 17:00',
      finished: '2026-03-12 10:00',
      supplements: [
        { requested: '2026-03-03 10:00', resubmitted: '2026-03-04 10:00' },
        { requested: '2026-03-05 10:00', resubmitted: '2026-03-06 10:00' },
      ],
    });
    expect(c).toMatchObject({ supplementRequests: 2, outcome: 'early', onTime766: false });
  });
});

describe('due date sources', () => {
  const catalog = loadProcedureCatalog(readFileSync(new URL('./data/procedures.sample.json', import.meta.url), 'utf8'));

  it('keeps the original appointment for statistics when NgayHenTra was rescheduled (§4)', () => {
    const spec = { status: 9 as const, due: '2026-03-20 17:00', finished: '2026-03-12 10:00' };
    expect(classify(spec).outcome).toBe('early');
    expect(classify(spec, { originalDueAt: vn('2026-03-09 17:00') })).toMatchObject({ dueSource: 'original', outcome: 'late' });
  });

  it('computes the due date from the procedure limit when NgayHenTra is missing', () => {
    const c = classify({ status: 9, received: '2026-02-13 10:00', finished: '2026-02-25 10:00', procedure: '2.000488' }, { catalog });
    expect(c).toMatchObject({ dueSource: 'catalog', due: { dueDate: '2026-02-25' }, outcome: 'on_time', issues: [] });
  });

  it('stops the clock while the applicant pays (status 6) only for a procedure whose limit excludes it', () => {
    const procedure = { code: '1.000001', name: 'Đăng ký đất đai (mẫu)', timeLimit: { value: 5, unit: 'working_days' } };
    const pausing = loadProcedureCatalog({ version: 1, procedures: [{ ...procedure, pausesForPayment: true }] });
    const running = loadProcedureCatalog({ version: 1, procedures: [procedure] });
    // Due Mon 09/03 (5 working days from Mon 02/03); payment asked Wed 04/03, paid Mon 09/03 (3 working days
    // after the request day: 05, 06, 09); finished Wed 11/03.
    const spec = {
      status: 10 as const,
      received: '2026-03-02 08:00',
      due: null,
      procedure: '1.000001',
      progress: [[4, '2026-03-02 08:00'], [6, '2026-03-04 10:00'], [4, '2026-03-09 09:00'], [10, '2026-03-11 10:00']] as Array<[4 | 6 | 10, string]>,
    };
    expect(classify(spec, { catalog: running })).toMatchObject({ due: { dueDate: '2026-03-09' }, outcome: 'late', pausedWorkingDays: 0 });
    expect(classify(spec, { catalog: pausing })).toMatchObject({ due: { dueDate: '2026-03-12' }, outcome: 'early', pausedWorkingDays: 3 });
    // Still waiting to pay at the end of the period: judged when payment was asked, within the deadline.
    const waiting = { ...spec, status: 6 as const, progress: spec.progress.slice(0, 2) };
    expect(classify(waiting, { catalog: pausing, asOf: vn('2026-03-20 23:59') })).toMatchObject({ finished: false, judgedAt: vn('2026-03-04 10:00'), inProgress: 'within_deadline' });
    expect(classify(waiting, { catalog: running, asOf: vn('2026-03-20 23:59') })).toMatchObject({ finished: false, inProgress: 'overdue' });
  });

  it('reports a dossier it cannot judge', () => {
    const c = classify({ status: 9, finished: '2026-03-05 10:00', procedure: '9.999999' }, { catalog });
    expect(c).toMatchObject({ finished: true, due: null, outcome: null, onTime766: null, issues: ['no_due_date'] });
  });
});

describe('rule sets by receipt date (rules.md §0)', () => {
  it('switches on 1/7/2025, Vietnam time', () => {
    expect(ruleSetFor(vn('2025-06-30 23:59')).id).toBe('nd61_2018');
    expect(ruleSetFor(vn('2025-07-01 00:00')).id).toBe('nd118_2025');
    expect(classify({ status: 4, received: '2025-06-30 16:00' }).ruleSet).toBe('nd61_2018');
  });
});

describe('pauses', () => {
  it('merges overlapping pauses so that no day is paused twice, and keeps an open one open', () => {
    const p = (from: string, to: string | null) => ({ from: vn(from), to: to === null ? null : vn(to) });
    expect(mergePauses([p('2026-03-10 08:00', '2026-03-12 08:00'), p('2026-03-02 08:00', '2026-03-05 08:00'), p('2026-03-04 08:00', '2026-03-06 08:00')])).toStrictEqual([
      p('2026-03-02 08:00', '2026-03-06 08:00'),
      p('2026-03-10 08:00', '2026-03-12 08:00'),
    ]);
    expect(mergePauses([p('2026-03-02 08:00', null), p('2026-03-03 08:00', '2026-03-04 08:00')])).toStrictEqual([p('2026-03-02 08:00', null)]);
  });
});
