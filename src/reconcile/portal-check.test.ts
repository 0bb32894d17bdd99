import { describe, expect, it } from 'vitest';
import { lookupSummary } from './portal-check.ts';

describe('lookupSummary', () => {
  it('keeps only the compared fields of the first records, cleaned and cut', () => {
    const huge = 'x'.repeat(1_000_000);
    const answer = { MaHoSo: 'A-1', TrangThaiHoSo: '4', session: 'SESS-abcdef-123', ChuHoSo: 'Nguyễn Văn An', GhiChu: huge, DonViXuLy: huge };
    const kept = lookupSummary(answer) as Record<string, string>[];
    expect(kept).toHaveLength(1);
    expect(Object.keys(kept[0]!).sort()).toEqual(['DonViXuLy', 'MaHoSo', 'TrangThaiHoSo']);
    expect(kept[0]!['DonViXuLy']).toBe(`${'x'.repeat(200)}… [cut: 1.000.000 characters in all]`);
    expect(JSON.stringify(kept)).not.toMatch(/SESS-abcdef|Nguyễn/);
  });

  it('says how many records it left out, and keeps null as null', () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ MaHoSo: `A-${i}` }));
    expect(lookupSummary(many)).toEqual({ records: [{ MaHoSo: 'A-0' }, { MaHoSo: 'A-1' }, { MaHoSo: 'A-2' }], more: 2 });
    expect(lookupSummary(null)).toBeNull();
  });
});
