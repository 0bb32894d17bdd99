import { describe, expect, it } from 'vitest';
import { createCalendar } from '../rules/calendar.ts';
import { makeDossier } from '../rules/test-dossier.ts';
import { compareWithPortal } from './portal-check.ts';

const ctx = { from: '2026-10-01', to: '2026-10-31', calendar: createCalendar(), asOf: '2026-10-31T16:59:59.999Z' };
// Finished 6/10 10:00 in Vietnam; the look-up answer written by hand in the portal's format.
const dossier = makeDossier({ code: '000.00.01.H44-261005-0001', status: 9, received: '2026-10-05 09:00', due: '2026-10-09 17:00', finished: '2026-10-06 10:00' });
const answer = { TrangThaiHoSo: '9', NgayTiepNhan: '20261005090000', NgayHenTra: '20261009170000', NgayKetThucXuLy: '20261006100000', NgayTra: '', DonViXuLy: 'Sở Tư pháp' };

describe('reconcile: an empty portal field', () => {
  it('an answer equal field by field is no difference (the baseline of the cases below)', () => {
    expect(compareWithPortal(dossier, answer, ctx, '000.00.01.H44').difference).toBeNull();
  });

  it.each(['NgayKetThucXuLy', 'TrangThaiHoSo', 'DonViXuLy', 'NgayHenTra'] as const)('is not equal to a value the ledger holds (%s "")', (field) => {
    const view = compareWithPortal(dossier, { ...answer, [field]: '' }, ctx, '000.00.01.H44');
    expect(view.difference).not.toBeNull();
    expect(view.difference?.detail['fields']).toEqual([{ field, ledger: answer[field], portal: '' }]);
  });

  it('a null field is not equal either', () => {
    const view = compareWithPortal(dossier, { ...answer, NgayKetThucXuLy: null }, ctx, '000.00.01.H44');
    expect(view.difference?.detail['fields']).toEqual([{ field: 'NgayKetThucXuLy', ledger: '20261006100000', portal: '' }]);
  });
});
