/**
 * Webhook signatures: HMAC-SHA256 over the bytes `<timestamp>.` followed by the body exactly as
 * received (not its decoded text: a byte that is not UTF-8 must not be signable as U+FFFD), with
 * the source's secret, sent as `X-Lienthong-Timestamp: <unix seconds>` and
 * `X-Lienthong-Signature: sha256=<hex>`. A timestamp outside the replay window is refused; inside
 * it, the same signature twice is a replay (see `./signatures.ts`). Web Crypto only (any runtime);
 * the comparison is constant-time (`subtle.verify`).
 */
import { GatewayError } from '../errors.ts';

export const TIMESTAMP_HEADER = 'x-lienthong-timestamp';
export const SIGNATURE_HEADER = 'x-lienthong-signature';

const encoder = new TextEncoder();

async function hmacKey(secret: string): ReturnType<typeof crypto.subtle.importKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/**
 * The signature header value a sender computes.
 *
 * @example
 * const ts = Math.floor(Date.now() / 1000);
 * const signature = await signPayload('s3cret', ts, body); // 'sha256=…'
 * fetch(url, { method: 'POST', body, headers: { 'x-lienthong-timestamp': String(ts), 'x-lienthong-signature': signature } });
 */
export async function signPayload(secret: string, timestamp: number, body: string | Uint8Array): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), signedBytes(String(timestamp), body));
  return `sha256=${[...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function hexBytes(hex: string): Uint8Array | null {
  if (!/^([0-9a-f]{2})+$/i.test(hex)) return null;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** `<timestamp>.` then the body's bytes (a string body is sent as UTF-8). */
function signedBytes(timestamp: string, body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  const head = encoder.encode(`${timestamp}.`);
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const out = new Uint8Array(head.length + bytes.length);
  out.set(head);
  out.set(bytes, head.length);
  return out;
}

const unauthorized = (code: string, message: string) => new GatewayError(code, message, { status: 401 });

/**
 * Throws a 401 `GatewayError` unless the push is signed with `secret` and recent enough.
 *
 * @example
 * const bytes = new Uint8Array(await req.arrayBuffer());
 * await verifySignature({ secret, timestamp: req.header('x-lienthong-timestamp'), signature: req.header('x-lienthong-signature'), body: bytes, nowMs: Date.now(), windowSeconds: 300 });
 */
export async function verifySignature(input: { secret: string; timestamp: string | undefined; signature: string | undefined; body: Uint8Array; nowMs: number; windowSeconds: number }): Promise<{ timestamp: number; signature: string }> {
  if (!input.timestamp || !/^\d{1,12}$/.test(input.timestamp)) throw unauthorized('invalid_signature', `missing or malformed ${TIMESTAMP_HEADER} (Unix seconds)`);
  const ts = Number(input.timestamp);
  if (Math.abs(input.nowMs / 1000 - ts) > input.windowSeconds) {
    throw unauthorized('stale_timestamp', `${TIMESTAMP_HEADER} is more than ${input.windowSeconds} s away from the server's clock`);
  }
  const hex = /^sha256=([0-9a-fA-F]{64})$/.exec(input.signature ?? '')?.[1];
  const mac = hex ? hexBytes(hex) : null;
  if (!mac) throw unauthorized('invalid_signature', `missing or malformed ${SIGNATURE_HEADER} (sha256=<hex>)`);
  const ok = await crypto.subtle.verify('HMAC', await hmacKey(input.secret), mac as Uint8Array<ArrayBuffer>, signedBytes(input.timestamp, input.body));
  if (!ok) throw unauthorized('invalid_signature', 'the signature does not match the body and timestamp');
  return { timestamp: ts, signature: (hex as string).toLowerCase() };
}
