/**
 * Reading an answer's body within a size bound, for every HTTP call of the gateway: a peer can
 * never make the gateway hold more than the bound (src/net/limits.ts), whatever its
 * `Content-Length` says or omits.
 */

/** The body's bytes, at most `maxBytes`; `tooLarge` makes the error thrown (and the transfer is cancelled) once it passes. */
export async function readBytesWithin(res: Response, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    // Not awaited: cancelling may wait for the peer; the error must not.
    res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The body as UTF-8 text, at most `maxBytes` (see {@link readBytesWithin}). */
export async function readBodyWithin(res: Response, maxBytes: number, tooLarge: () => Error): Promise<string> {
  return (await readBytesWithin(res, maxBytes, tooLarge)).toString('utf8');
}
