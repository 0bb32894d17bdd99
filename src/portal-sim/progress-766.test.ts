import { describe, expect, it } from 'vitest';
import { createCalendar } from '../rules/calendar.ts';
import { verdict766, vnDay, vnTime, type SimProgressItem, type SimRecord } from './progress-766.ts';

// October 2026 in Vietnam: from 1/10 00:00 (+07:00) to 31/10 23:59:59.999.
const START = Date.parse('2026-10-01T00:00:00+07:00');
const AS_OF = Date.parse('2026-10-31T23:59:59.999+07:00');
const calendar = createCalendar();

const step = (TrangThai: string, ThoiDiemXuLy: string): SimProgressItem => ({ TrangThai, ThoiDiemXuLy });
const judge = (record: SimRecord, progress: SimProgressItem[] = [], asOf = AS_OF) => verdict766(record, progress, START, asOf, calendar);
const base = (patch: SimRecord = {}): SimRecord => ({ TrangThaiHoSo: '9', NgayTiepNhan: '20261005080000', NgayHenTra: '20261015170000', ...patch });

describe('portal simulator: its own 766 2.1 reading', () => {
  it('reads portal dates as Vietnam wall-clock time and refuses impossible ones', () => {
    expect(vnTime('20261015170000')).toBe(Date.parse('2026-10-15T10:00:00.000Z'));
    expect(vnTime('20260231080000')).toBeNull();
    expect(vnTime('2026-10-15')).toBeNull();
    expect(vnDay(Date.parse('2026-10-15T17:30:00.000Z'))).toBe('2026-10-16');
  });

  it('finishing exactly at the appointment is on time; one second later is late', () => {
    expect(judge(base(), [step('9', '20261015170000')])).toEqual({ counted: true, onTime: true });
    expect(judge(base(), [step('9', '20261015170001')])).toEqual({ counted: true, onTime: false });
    // Without a history, NgayKetThucXuLy is the end.
    expect(judge(base({ NgayKetThucXuLy: '20261015170000' }))).toEqual({ counted: true, onTime: true });
  });

  it('status 9 wins over a later hand-over (10)', () => {
    expect(judge(base({ TrangThaiHoSo: '10' }), [step('9', '20261015120000'), step('10', '20261016090000')])).toEqual({ counted: true, onTime: true });
  });

  it('an unfinished dossier is judged by day: the appointment day itself is still within time', () => {
    const open = base({ TrangThaiHoSo: '4' });
    expect(judge(open, [], Date.parse('2026-10-15T23:00:00+07:00'))).toEqual({ counted: true, onTime: true });
    expect(judge(open, [], Date.parse('2026-10-16T00:00:00+07:00'))).toEqual({ counted: true, onTime: false });
  });

  it('a dossier waiting for a supplement is judged on the day it was asked for', () => {
    const waiting = base({ TrangThaiHoSo: '5' });
    expect(judge(waiting, [step('4', '20261005090000'), step('5', '20261014100000')])).toEqual({ counted: true, onTime: true });
    expect(judge(waiting, [step('4', '20261005090000'), step('5', '20261016100000')])).toEqual({ counted: true, onTime: false });
  });

  it('a supplement wait that is over moves the appointment by its working days', () => {
    // Asked Monday 12/10, resubmitted Wednesday 14/10: two working days (13, 14), so Thursday 15/10 becomes Monday 19/10.
    const supplement = { NgayBoSung: '20261012090000', NgayTiepNhanBoSung: '20261014090000' };
    const rec = base({ DanhSachHoSoBoSung: [supplement] });
    expect(judge(rec, [step('9', '20261019160000')])).toEqual({ counted: true, onTime: true });
    expect(judge(rec, [step('9', '20261020080000')])).toEqual({ counted: true, onTime: false });
    // A re-issued appointment replaces the moving.
    const reissued = base({ DanhSachHoSoBoSung: [{ ...supplement, NgayHenTraMoi: '20261016170000' }] });
    expect(judge(reissued, [step('9', '20261019160000')])).toEqual({ counted: true, onTime: false });
  });

  it('more than one supplement request is late whatever the dates', () => {
    const twice = base({ DanhSachHoSoBoSung: [{ NgayBoSung: '20261006090000', NgayTiepNhanBoSung: '20261006100000' }, { NgayBoSung: '20261007090000', NgayTiepNhanBoSung: '20261007100000' }] });
    expect(judge(twice, [step('9', '20261008090000')])).toEqual({ counted: true, onTime: false });
  });

  it('counts only received dossiers in scope for the period', () => {
    expect(judge(base({ TrangThaiHoSo: '1' })).counted).toBe(false);
    // Refused at the counter (no work step) is never received; refused after review is an end.
    expect(judge(base({ TrangThaiHoSo: '3', NgayTuChoi: '20261006090000' })).counted).toBe(false);
    expect(judge(base({ TrangThaiHoSo: '3', NgayTuChoi: '20261006090000' }), [step('4', '20261005090000'), step('3', '20261006090000')])).toEqual({ counted: true, onTime: true });
    expect(judge(base({ NgayTiepNhan: '20261101080000' })).counted).toBe(false);
    expect(judge(base({ NgayTiepNhan: null })).counted).toBe(false);
    // Received in September: counted in October only if not finished before 1/10.
    expect(judge(base({ NgayTiepNhan: '20260920080000', NgayHenTra: '20261002170000' }), [step('9', '20260930235959')]).counted).toBe(false);
    expect(judge(base({ NgayTiepNhan: '20260920080000', NgayHenTra: '20261002170000' }), [step('9', '20261001000000')])).toEqual({ counted: true, onTime: true });
  });

  it('a dossier without an appointment is counted, not on time', () => {
    expect(judge(base({ NgayHenTra: null }), [step('9', '20261006090000')])).toEqual({ counted: true, onTime: false });
  });
});
