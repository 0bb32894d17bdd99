import { describe, expect, it } from 'vitest';
import { maskCitizenData, maskPersonalData, maskText } from './privacy.ts';
import { makeDossier } from './rules/test-dossier.ts';

// The old 9-digit identity card (CMND) and phones written with the country code +84: each form a
// person could write, with what a viewer may see (the last three digits only).
describe('9-digit CMND numbers and +84 phones are masked everywhere a viewer looks', () => {
  it.each([
    ['CMND 272345678', 'CMND ******678'],
    ['CMND: 272345678', 'CMND: ******678'],
    ['CMND272345678', 'CMND******678'],
    ['CMT 272345678', 'CMT ******678'],
    ['số CMND 272345678 cấp năm 2010', 'số CMND ******678 cấp năm 2010'],
    ['gọi +84912345678', 'gọi *********678'],
    ['SĐT: +84912345678', 'SĐT: *********678'],
    ['+84-912-345-679', '***-***-***-679'],
    ['tel +84.912.345.679', 'tel ***.***.***.679'],
    ['(+84)912345678', '(+84)******678'],
  ])('%s', (written, shown) => {
    expect(maskText(written)).toBe(shown);
  });

  it('masks them in personal fields and in free-text fields of a raw record', () => {
    expect(maskPersonalData({ SoCMND: '272345678', SoDienThoai: '+84912345678', ThongTinKhac: 'CMND 272345678, ĐT +84912345678' })).toEqual({
      SoCMND: '******678',
      SoDienThoai: '*********678',
      ThongTinKhac: 'CMND ******678, ĐT *********678',
    });
  });

  it("masks them in a viewer's copy of a dossier", () => {
    const d = makeDossier({ code: 'X', status: 4 });
    const seen = maskCitizenData({ ...d, summary: 'Người nộp CMND 272345678, SĐT +84912345678', applicant: { ...d.applicant, idNumber: '272345678', phone: '+84912345678' } });
    expect(seen.applicant.idNumber).toBe('******678');
    expect(seen.applicant.phone).toBe('*********678');
    expect(seen.summary).toBe('Người nộp CMND ******678, SĐT *********678');
    expect(JSON.stringify(seen)).not.toMatch(/272345678|912345678/);
  });
});
