import { describe, expect, it } from 'vitest';
import { sourcePathOf } from './source-path.ts';

describe('sourcePathOf', () => {
  it('maps a compiled file under dist/ back to the sources', () => {
    expect(sourcePathOf('/opt/lienthong/dist/src/sdk/index.ts')).toBe('/opt/lienthong/src/sdk/index.ts');
    expect(sourcePathOf('/opt/lienthong/dist/adapters/')).toBe('/opt/lienthong/adapters/');
  });
  it('keeps a source path and a checkout that sits under a folder named dist', () => {
    expect(sourcePathOf('/home/a/src/sdk/index.ts')).toBe('/home/a/src/sdk/index.ts');
    expect(sourcePathOf('/srv/dist/lienthong/src/sdk/index.ts')).toBe('/srv/dist/lienthong/src/sdk/index.ts');
    expect(sourcePathOf('/srv/dist/src/lienthong/dist/src/sdk/index.ts')).toBe('/srv/dist/src/lienthong/src/sdk/index.ts');
  });
  it('reads a file: URL', () => {
    expect(sourcePathOf(new URL('file:///p/dist/src/sdk/conformance/suite.ts'))).toBe('/p/src/sdk/conformance/suite.ts');
  });
});
