import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { maskPersonalData, maskText, maskValue } from './redact.ts';

describe('masking', () => {
  it('keeps the last three digits of a citizen ID number and the domain of an e-mail', () => {
    expect(maskValue('079123456789')).toBe('*********789');
    expect(maskValue('an.nguyen@example.vn')).toBe('a***@example.vn');
  });

  it('masks ID numbers and phones in free text but leaves portal dates and dossier codes alone', () => {
    expect(maskText('CCCD 079123456789, ĐT 0968337861, mail an@x.vn')).toBe('CCCD *********789, ĐT *******861, mail a***@x.vn');
    expect(maskText('NgayTiepNhan 20261001083152 hồ sơ 000.31.48.H48-261001-0001')).toBe('NgayTiepNhan 20261001083152 hồ sơ 000.31.48.H48-261001-0001');
  });

  it('masks personal keys in both spellings and redacts secrets entirely', () => {
    const out = maskPersonalData({ applicant: { idNumber: '038282121399', phone: '0968337861' }, raw: { SoGiayToChuHoSo: '038282121399', DinhDanhCHS: [{ SoDinhDanh: '038282121399' }] }, password: 'hunter2', session: 'abc' });
    expect(out).toEqual({ applicant: { idNumber: '*********399', phone: '*******861' }, raw: { SoGiayToChuHoSo: '*********399', DinhDanhCHS: [{ SoDinhDanh: '*********399' }] }, password: '[redacted]', session: '[redacted]' });
  });
});

describe('logger', () => {
  it('writes JSON lines without secrets, session tokens or citizen ID numbers', () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    const log = createLogger({ destination }).child({ requestId: 'r1' });
    log.info({ session: 'SESSION-TOKEN-XYZ', target: { password: 'pw-123' }, record: { SoGiayToChuHoSo: '038282121399' } }, 'pushed dossier of 038282121399');
    const line = JSON.parse(lines.join(''));
    expect(line).toMatchObject({ level: 'info', requestId: 'r1', session: '[redacted]', target: { password: '[redacted]' } });
    expect(lines.join('')).not.toMatch(/SESSION-TOKEN-XYZ|pw-123|038282121399/);
  });
});
