/** fillFromCatalog: national code, name and field on the wire from the catalogue (what OpenCPS does from LayThuTuc). */
import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '../../src/catalog/entry.ts';
import { unitOf } from '../../src/catalog/entry.ts';
import { catalogLookup, fillFromCatalog, nationalCodeOf } from '../../src/catalog/fill.ts';

const entry = (over: Partial<CatalogEntry> = {}): CatalogEntry => ({
  code: '2.000908',
  name: 'Chứng thực bản sao từ bản chính',
  fieldCode: 'G09-TP04',
  fieldName: 'Chứng thực',
  timeLimit: { value: 0, unit: 'working_days' },
  cutoff: '15:00',
  pausesForPayment: false,
  returnsDocument: true,
  validFrom: null,
  validTo: null,
  basis: null,
  ...over,
});

describe('fillFromCatalog', () => {
  it('overwrites a local code, an outdated name and a local field with the national ones, listing each change', () => {
    const wire = { MaHoSo: 'H56-1', MaTTHC: '2.000908.000.00.00.H56', TenTTHC: 'Chung thuc ban sao', MaLinhVuc: 'CT', TenLinhVuc: 'Chứng thực', GhiChu: 'x' };
    const out = fillFromCatalog(wire, entry());
    expect(out.wire).toEqual({ MaHoSo: 'H56-1', MaTTHC: '2.000908', TenTTHC: 'Chứng thực bản sao từ bản chính', MaLinhVuc: 'G09-TP04', TenLinhVuc: 'Chứng thực', GhiChu: 'x' });
    expect(out.changes).toEqual([
      { path: 'MaTTHC', from: '2.000908.000.00.00.H56', to: '2.000908' },
      { path: 'TenTTHC', from: 'Chung thuc ban sao', to: 'Chứng thực bản sao từ bản chính' },
      { path: 'MaLinhVuc', from: 'CT', to: 'G09-TP04' },
    ]);
    expect(wire.MaTTHC).toBe('2.000908.000.00.00.H56'); // the input is not changed
  });

  it('keeps the sent field when the catalogue has none, and a decomposed name equal to the catalogue is no change', () => {
    const wire = { MaTTHC: '2.000908', TenTTHC: 'Chứng thực bản sao từ bản chính'.normalize('NFD'), MaLinhVuc: 'CT', TenLinhVuc: 'CT' };
    const out = fillFromCatalog(wire, entry({ fieldCode: null, fieldName: null }));
    expect(out.changes).toEqual([]);
    expect(out.wire.MaLinhVuc).toBe('CT');
  });

  it('without an entry the record is returned as it is', () => {
    expect(fillFromCatalog({ MaTTHC: '9.999999', TenTTHC: 'x' }, null)).toEqual({ wire: { MaTTHC: '9.999999', TenTTHC: 'x' }, changes: [] });
  });

  it('looks a local-format code up by its national head, and the version valid on the date', () => {
    const lookup = catalogLookup([entry({ name: 'cũ', validTo: '2025-12-31' }), entry({ name: 'mới', validFrom: '2026-01-01' })]);
    expect(lookup.find('2.000908.000.00.00.H56', '2026-03-02')?.name).toBe('mới');
    expect(lookup.find('2.000908', '2025-06-01')?.name).toBe('cũ');
    expect(lookup.find('1.000001.000.00.00.H56')).toBeNull();
    expect(nationalCodeOf('2.000477.000.00.00.H56')).toBe('2.000477');
    expect(nationalCodeOf('HT-01')).toBeNull();
  });

  it('reads LayThuTuc time units as written on portals', () => {
    expect(['Ngày làm việc', 'ngày', 'Giờ làm việc', 'Tháng', 'Tuần', ''].map(unitOf)).toEqual(['working_days', 'calendar_days', 'working_hours', 'months', null, null]);
  });
});
