import { expect, it } from 'vitest';
import { portalDateWallClock, isValidPortalDate } from './portal.ts';
it('reads yyyyMMddHHmmss dates by hand and refuses impossible ones (leap years, months, hours, digits)', () => {
  expect(new Date(portalDateWallClock('20240229235958')).toISOString()).toBe('2024-02-29T23:59:58.000Z');
  expect(isValidPortalDate('20230229000000')).toBe(false);
  expect(isValidPortalDate('20000229000000')).toBe(true);
  expect(isValidPortalDate('19000229000000')).toBe(false);
  expect(isValidPortalDate('20241301000000')).toBe(false);
  expect(isValidPortalDate('2024010100000a')).toBe(false);
  expect(isValidPortalDate('20240101240000')).toBe(false);
  expect(new Date(portalDateWallClock('19991231090807')).toISOString()).toBe('1999-12-31T09:08:07.000Z');
});
