/**
 * The dashboard's current reporting month follows the Vietnam calendar (VN_OFFSET_MS of
 * src/dossier/time.ts), whatever the host's zone.
 */
import { describe, expect, it } from 'vitest';
import { currentReportMonth } from './unit-report.ts';

describe('currentReportMonth', () => {
  it('moves to the next admin report at 00:00 on the 15th in Vietnam (17:00 UTC on the 14th)', () => {
    expect(currentReportMonth(new Date('2026-11-14T16:59:00.000Z'), 'admin')).toBe('2026-11');
    expect(currentReportMonth(new Date('2026-11-14T17:00:00.000Z'), 'admin')).toBe('2026-12');
    expect(currentReportMonth(new Date('2026-12-14T17:00:00.000Z'), 'admin')).toBe('2027-01');
  });

  it('turns the calendar month at Vietnam midnight', () => {
    expect(currentReportMonth(new Date('2026-10-31T16:59:00.000Z'), 'calendar')).toBe('2026-10');
    expect(currentReportMonth(new Date('2026-10-31T17:00:00.000Z'), 'calendar')).toBe('2026-11');
  });
});
