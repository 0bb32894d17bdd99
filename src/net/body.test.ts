import { describe, expect, it } from 'vitest';
import { readBodyWithin, readBytesWithin } from './body.ts';

const tooLarge = () => new Error('too large');

/** A body sent in chunks, without Content-Length; counts the chunks the reader pulled. */
function streamed(chunks: string[]) {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      const next = chunks[pulled++];
      if (next === undefined) c.close();
      else c.enqueue(new TextEncoder().encode(next));
    },
  });
  return { res: new Response(body), pulled: () => pulled };
}

describe('readBytesWithin', () => {
  it('reads a body up to the bound exactly', async () => {
    expect(await readBodyWithin(streamed(['Hồ sơ', ' 1']).res, Buffer.byteLength('Hồ sơ 1'), tooLarge)).toBe('Hồ sơ 1');
    expect((await readBytesWithin(new Response(null), 0, tooLarge)).length).toBe(0);
  });

  it('refuses a declared Content-Length over the bound before reading', async () => {
    const res = new Response('x'.repeat(10), { headers: { 'content-length': '10' } });
    await expect(readBytesWithin(res, 9, tooLarge)).rejects.toThrow('too large');
  });

  it('stops reading a streamed body at the chunk that passes the bound', async () => {
    const s = streamed(['12345', '67890', 'abcde', 'fghij']);
    await expect(readBytesWithin(s.res, 8, tooLarge)).rejects.toThrow('too large');
    expect(s.pulled()).toBeLessThan(4);
  });
});
