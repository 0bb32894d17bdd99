/**
 * The default period of `lienthong reconcile`: the calendar month before the one it is in Vietnam
 * (UTC+7, VN_OFFSET_MS of src/dossier/time.ts), whatever the host's zone.
 */
import { describe, expect, it } from 'vitest';
import { previousMonth } from './reconcile.ts';

describe('reconcile default period', () => {
  it('turns with the Vietnam calendar: 31/10 23:30 is still October there, 01/11 00:30 is November', () => {
    expect(previousMonth(new Date('2026-10-31T16:30:00.000Z'))).toEqual({ from: '2026-09-01', to: '2026-09-30' });
    expect(previousMonth(new Date('2026-10-31T17:30:00.000Z'))).toEqual({ from: '2026-10-01', to: '2026-10-31' });
  });

  it('reaches back across the new year', () => {
    expect(previousMonth(new Date('2026-12-31T17:00:00.000Z'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(previousMonth(new Date('2027-01-15T03:00:00.000Z'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });
});
