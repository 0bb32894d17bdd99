import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GatewayError } from './errors.ts';
import { createLogger } from './logger.ts';
import { capText, cleanMessage, isPersonalKey, isSecretKey, maskPersonalData, maskText, maskValue, publicMessage } from './privacy.ts';

describe('masking values', () => {
  it('keeps the last three digits of a citizen ID number and the domain of an e-mail', () => {
    expect(maskValue('079123456789')).toBe('*********789');
    expect(maskValue('0912.345.678')).toBe('****.***.678');
    expect(maskValue(912345678)).toBe('******678');
    expect(maskValue('an.nguyen@example.vn')).toBe('a***@example.vn');
    expect(maskValue('12')).toBe('***');
  });
});

describe('masking free text: one table for every place that shows text', () => {
  // [what is written, what a viewer sees]
  const cases: [string, string][] = [
    ['CCCD 079123456789, ĐT 0968337861, mail an@x.vn', 'CCCD *********789, ĐT *******861, mail a***@x.vn'],
    ['079 188 001 234', '*** *** *** 234'],
    ['CCCD079188001235', 'CCCD*********235'],
    ['SĐT0912345678', 'SĐT*******678'],
    ['0912.345.678', '****.***.678'],
    ['+84 912 345 679', '*** *** *** 679'],
    ['+84912345678', '*********678'],
    ['079-188-001-237', '***-***-***-237'],
    ['gọi 09123456789 nhé', 'gọi ********789 nhé'],
    ['ngày 15 079188001234', 'ngày 15 *********234'],
    ['Số 0912 345 678 và 079188001234', 'Số **** *** 678 và *********234'],
    ['0912345678.', '*******678.'],
    ['an.nguyen@example.vn, b@c.d', 'a***@example.vn, b@c.d'],
    // Beside a code or a word, separated by a space: still a phone or an ID number.
    ['Mã: 000.00.12.H48-240115-0001 0912345678', 'Mã: 000.00.12.H48-240115-0001 *******678'],
    ['P.301 0912345678', 'P.301 *******678'],
    ['Q1 079188001234', 'Q1 *********234'],
    ['SĐT 0912345678 12B Lê Lợi', 'SĐT *******678 12B Lê Lợi'],
    ['CCCD 079188001234 3A', 'CCCD *********234 3A'],
    ['ĐT: 0912345678/0987654321', 'ĐT: *******678/*******321'],
    ['CMND 272 345 678', 'CMND *** *** 678'],
    ['(+84) 912 345 679', '(+84) *** *** 679'],
    ['số 079\u00a0188\u00a0001\u00a0234', 'số ***\u00a0***\u00a0***\u00a0234'],
    ['SốCCCD079188001234', 'SốCCCD*********234'],
    // A personal tax code is the CCCD number now: masked; a sum of money is not.
    ['MST 079188001234', 'MST *********234'],
    ['Lệ phí 1500000000 đồng', 'Lệ phí 1500000000 đồng'],
    // Left alone: dossier codes, portal dates, dates and times, amounts, words with digits.
    ['NgayTiepNhan 20261001083152 hồ sơ 000.31.48.H48-261001-0001', 'NgayTiepNhan 20261001083152 hồ sơ 000.31.48.H48-261001-0001'],
    ['H12.22-240101-0001', 'H12.22-240101-0001'],
    ['2026-10-01 08:30', '2026-10-01 08:30'],
    ['01-10-2026 08 giờ', '01-10-2026 08 giờ'],
    ['lệ phí 150.000.000 đồng', 'lệ phí 150.000.000 đồng'],
    ['mã ab0912345678', 'mã ab0912345678'],
    ['x@y', 'x@y'],
  ];
  it.each(cases)('%s', (input, shown) => {
    expect(maskText(input)).toBe(shown);
  });

  it('is linear in the length of the text: megabytes of hostile text are masked at once', { timeout: 20_000 }, () => {
    // Each of these took minutes to hours with the old backtracking patterns (0.7 s for 16,000 characters).
    const word = 'a'.repeat(2_000_000);
    expect(maskText(word)).toBe(word);
    const digits = '1'.repeat(2_000_000);
    expect(maskText(digits)).toBe(digits);
    const spaced = '1 '.repeat(500_000);
    expect(maskText(spaced)).toBe(spaced);
    const ats = '@'.repeat(200_000) + 'a'.repeat(200_000);
    expect(maskText(ats)).toBe(ats);
  });
});

describe('masking objects', () => {
  it('masks personal keys in canonical, portal and vendor spellings, also JSON numbers, and redacts secrets entirely', () => {
    const out = maskPersonalData({
      applicant: { idNumber: '038282121399', phone: '0968337861' },
      raw: { SoGiayToChuHoSo: '038282121399', DinhDanhCHS: [{ SoDinhDanh: '038282121399' }], so_cmnd: 79188001234, dien_thoai: 912345678, LePhi: 150000000 },
      password: 'hunter2',
      session: 'abc',
      apiKeyName: 'van-hanh',
    });
    expect(out).toEqual({
      applicant: { idNumber: '*********399', phone: '*******861' },
      raw: { SoGiayToChuHoSo: '*********399', DinhDanhCHS: [{ SoDinhDanh: '*********399' }], so_cmnd: '********234', dien_thoai: '******678', LePhi: 150000000 },
      password: '[redacted]',
      session: '[redacted]',
      apiKeyName: 'van-hanh',
    });
  });

  it('tells personal and secret keys from the names of things', () => {
    expect(['SoDienThoai', 'so_cccd', 'CMND', 'Email', 'mobile'].map(isPersonalKey)).toEqual([true, true, true, true, true]);
    expect(['MaHoSo', 'TenTTHC', 'LePhi', 'MaDinhDanh', 'LoaiDinhDanh'].map(isPersonalKey)).toEqual([false, false, false, false, false]);
    expect(['password', 'MatKhau', 'access_token', 'x-lienthong-signature', 'Cookie'].map(isSecretKey)).toEqual([true, true, true, true, true]);
    expect(['apiKeyName', 'tokenUrl', 'passwordEnv', 'MaHoSo'].map(isSecretKey)).toEqual([false, false, false, false]);
  });

  it('survives a hostile depth and cycles', () => {
    let deep: unknown = 'đáy';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => maskPersonalData(deep)).not.toThrow();
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    expect(maskPersonalData(cyclic)).toEqual({ a: 1, self: '[circular]' });
  });
});

describe('peer answers and messages', () => {
  it('removes credentials and session tokens that a portal echoes in its error page', () => {
    const page = '<html>Lỗi: {"username":"lienthong","password":"S3cret!pw","session":"abc123def"} Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.sig token=xyz123&a=1 <matKhau>pw9</matKhau></html>';
    const out = cleanMessage(page, ['S3cret!pw']);
    expect(out).toBe('<html>Lỗi: {"username":"lienthong","password":"[redacted]","session":"[redacted]"} Authorization: [redacted] token=[redacted]&a=1 <matKhau>[redacted]</matKhau></html>');
    // SOAP, HTML-escaped echoes, script and log styles.
    expect(cleanMessage('<ns1:password>p1x</ns1:password><tns:matKhau type="s">p2x</tns:matKhau>')).toBe('<ns1:password>[redacted]</ns1:password><tns:matKhau type="s">[redacted]</tns:matKhau>');
    expect(cleanMessage('{&quot;username&quot;:&quot;u&quot;,&quot;password&quot;:&quot;p3x&quot;}')).toBe('{&quot;username&quot;:&quot;u&quot;,&quot;password&quot;:"[redacted]"}');
    expect(cleanMessage("{'pwd': 'p4x'} password: p5x bearer abcdefgh1234")).toBe('{\'pwd\': "[redacted]"} password: [redacted] bearer [redacted]');
    expect(cleanMessage('Basic information about the dossier; Authorization header Basic dXNlcjpwYXNz')).toBe('Basic information about the dossier; Authorization header Basic [redacted]');
    expect(cleanMessage('lỗi: p&lt;6&amp;x', ['p<6&x'])).toBe('lỗi: [redacted]');
    // A known secret is removed wherever it stands, also URL-encoded.
    expect(cleanMessage(`tried u=${encodeURIComponent('S3cret!pw')} and S3cret!pw`, ['S3cret!pw'])).toBe('tried u=[redacted] and [redacted]');
  });

  it('cuts long messages with a note of the original size', () => {
    expect(capText('x'.repeat(10_000), 100)).toBe(`${'x'.repeat(100)}… [cut: 10.000 characters in all]`);
    expect(cleanMessage('y'.repeat(419_000), [], 50)).toBe(`${'y'.repeat(50)}… [cut: 419.000 characters in all]`);
    expect(capText('ngắn')).toBe('ngắn');
    // Never half a surrogate pair.
    expect(capText('a😀b', 2)).toBe('a… [cut: 4 characters in all]');
  });

  it('never shows an SQL statement or its parameters', () => {
    const dbError = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code: '22021' });
    const failed = new Error('Failed query: insert into dossiers (code, applicant) values ($1, $2)\nparams: H48-1,Nguyễn Văn An', { cause: dbError });
    expect(publicMessage(failed)).toBe('database error 22021: a value has a form the database refuses');
    expect(publicMessage(new Error('Failed query: select * from dossiers\nparams: Trần Thị Bình'))).toBe('database error (the statement and its values are not shown)');
    // The database's own words may quote the value: never shown.
    const quoting = Object.assign(new Error('invalid input syntax for type integer: "Nguyễn Văn An"'), { code: '22P02' });
    expect(publicMessage(quoting)).toBe('database error 22P02: a value has a form the database refuses');
    const check = Object.assign(new Error('new row for relation "dossiers" violates check constraint "dossiers_code_check"'), { code: '23514' });
    expect(publicMessage(new Error('Failed query: insert …', { cause: check }))).toBe('database error 23514: a value breaks a rule of the ledger (constraint dossiers_code_check)');
    expect(publicMessage(new GatewayError('upstream_http', 'portal answered 503'))).toBe('portal answered 503');
  });
});

describe('logger', () => {
  const capture = () => {
    const lines: string[] = [];
    const destination = new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) });
    return { lines, log: createLogger({ destination }) };
  };

  it('writes JSON lines without secrets, session tokens or citizen ID numbers', () => {
    const { lines, log } = capture();
    log.child({ requestId: 'r1' }).info({ session: 'SESSION-TOKEN-XYZ', target: { password: 'pw-123' }, record: { SoGiayToChuHoSo: '038282121399' } }, 'pushed dossier of 038282121399');
    const line = JSON.parse(lines.join(''));
    expect(line).toMatchObject({ level: 'info', requestId: 'r1', session: '[redacted]', target: { password: '[redacted]' } });
    expect(lines.join('')).not.toMatch(/SESSION-TOKEN-XYZ|pw-123|038282121399/);
  });

  it('logs an error with its type, real message and code', () => {
    const { lines, log } = capture();
    log.error({ err: new GatewayError('upstream_network', 'portal dvcqg: connection failed (ECONNRESET)') }, 'delivery failed');
    expect(JSON.parse(lines.join('')).err).toEqual({ type: 'GatewayError', message: 'portal dvcqg: connection failed (ECONNRESET)', code: 'upstream_network' });
  });
});
