import { describe, expect, it } from 'vitest';
import { generateDossiers } from './demo/generate.ts';
import { toDossier } from '../adapters/dvcqg-file/mappers/to-dossier.ts';
import { maskCitizenData, maskText, maskValue } from './privacy.ts';

describe('maskCitizenData', () => {
  const [raw] = [...generateDossiers({ count: 1, seed: 5 })];
  const mapped = toDossier({ ...raw, SoGiayToChuHoSo: '079188001234', SoDienThoai: '0912345678', Email: 'an.nguyen@example.vn', GhiChu: 'gọi 0987654321' });
  if (!mapped.ok) throw new Error('fixture does not map');
  const d = mapped.value;

  it('masks the citizen ID number, phone and e-mail and keeps the rest', () => {
    const m = maskCitizenData(d);
    expect(m.applicant.idNumber).toBe('*********234');
    expect(m.applicant.phone).toBe('*******678');
    expect(m.applicant.email).toBe('a***@example.vn');
    expect(m.note).toBe('gọi *******321');
    expect(m.code).toBe(d.code);
    expect(m.applicant.name).toBe(d.applicant.name);
    expect(JSON.stringify(m)).not.toContain('079188001234');
  });

  it('does not change the dossier it was given', () => {
    maskCitizenData(d);
    expect(d.applicant.idNumber).toBe('079188001234');
  });
});

describe('maskText', () => {
  it('masks ID numbers, phones and addresses in free text but not dossier codes or portal dates', () => {
    expect(maskText('CCCD 079188001234, +84912345678, an@x.vn')).toBe('CCCD *********234, *********678, a***@x.vn');
    expect(maskText('000.20.48.H48-261001-0001 lúc 20261002180827')).toBe('000.20.48.H48-261001-0001 lúc 20261002180827');
  });

  it('hides short values entirely', () => {
    expect(maskValue('12')).toBe('***');
  });
});
