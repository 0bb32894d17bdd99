import { describe, expect, it } from 'vitest';
import { maskText } from '../privacy.ts';
import { snippet as sourceSnippet } from '../sdk/http.ts';
import { snippet as portalSnippet } from '../portal/transport.ts';
import { snippet } from './snippet.ts';

describe('snippet', () => {
  it('flattens whitespace and cuts at max characters with an ellipsis, Vietnamese kept whole', () => {
    expect(snippet('<html>\n\t Bảo trì   hệ thống\n</html>')).toBe('<html> Bảo trì hệ thống </html>');
    expect(snippet('Hồ sơ không hợp lệ', 5)).toBe('Hồ sơ…');
    expect(snippet('Hồ sơ', 5)).toBe('Hồ sơ');
  });

  it('masks before the cut when asked: a source masks citizen IDs, a portal leaves that to its transport', () => {
    const body = 'CCCD 079123456789 không hợp lệ';
    expect(snippet(body, 200, maskText)).toBe('CCCD *********789 không hợp lệ');
    expect(sourceSnippet(body)).toBe('CCCD *********789 không hợp lệ');
    expect(portalSnippet(body)).toBe(body);
  });
});
