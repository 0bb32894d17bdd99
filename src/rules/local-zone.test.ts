import { describe, expect, it } from 'vitest';
import { createCalendar } from './calendar.ts';
import { classifyDossier } from './classify.ts';
import { makeDossier, vn } from './test-dossier.ts';

describe('the suite runs away from UTC and from Vietnam (vitest.config.ts pins TZ)', () => {
  it('has a local zone that is neither UTC nor UTC+7', () => {
    // January and July: neither standard nor daylight time may be 0 or −420 minutes.
    for (const at of ['2026-01-15T12:00:00Z', '2026-07-15T12:00:00Z']) expect([0, -420]).not.toContain(new Date(at).getTimezoneOffset());
  });

  it('judges by Vietnam calendar days whatever the host zone: 23:30 in Vietnam on the due day is that day', () => {
    // 23:30 on 9/3 in Vietnam is 16:30Z, still 9/3 in UTC but 08:30 on 9/3 in Los Angeles; 00:30 on 10/3 is 9/3 in both.
    const c = classifyDossier(makeDossier({ code: 'X', status: 9, due: '2026-03-09 17:00', finished: '2026-03-10 00:30' }), { calendar: createCalendar(), asOf: vn('2026-03-31 23:59') });
    expect(c.outcome).toBe('late');
    expect(c.judgedAt).toBe('2026-03-09T17:30:00.000Z');
  });
});
