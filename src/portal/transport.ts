/**
 * One HTTP exchange with a portal target: send, time, hash, read the whole body, let the caller
 * judge the answer, report the exchange, then return a value or throw a GatewayError.
 * Raw `Response` objects stay in this file.
 *
 * The global `fetch` is used with an undici `Agent` as dispatcher (keep-alive, one pool per
 * target) because msw intercepts exactly that; `undici.fetch` would bypass it in tests.
 */
import { createHash } from 'node:crypto';
import iconv from 'iconv-lite';
import type { TargetConfig } from '../../schemas/config.ts';
import { UpstreamRejectedError, UpstreamSchemaError, type GatewayError } from '../errors.ts';
import { cleanMessage } from '../privacy.ts';
import { createPool, dispatcherOf, MAX_PORTAL_ANSWER_BYTES, readBytesWithin, snippet } from '../net/index.ts';
import { outcomeOf, transportError } from './classify.ts';
import type { PortalClientOptions, PortalExchange, PortalExchangeOutcome, PortalExchangeService } from './types.ts';

export interface CallSpec {
  service: PortalExchangeService;
  isUpdating?: boolean;
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** What to hash instead of `body` (the login body with the password masked). */
  hashedBody?: string;
}

/** The portal's answer as text; judged by the caller. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** The caller's judgement of an answer: a value, or an error to throw after reporting. */
export type Verdict<T> = {
  outcome: PortalExchangeOutcome;
  errorCode: string | null;
  message: string | null;
} & ({ value: T; error?: undefined } | { error: GatewayError });

export interface Exchanged<T> {
  value: T;
  httpStatus: number;
  requestHash: string;
  durationMs: number;
}

export interface Transport {
  exchange<T>(spec: CallSpec, judge: (answer: HttpAnswer) => Verdict<T>): Promise<Exchanged<T>>;
  /**
   * A value that must never appear in a stored or shown message. `permanent` (a password, a proxy's
   * static token or client secret) is kept for the transport's life; session and access tokens
   * rotate (the last four are kept).
   */
  addSecret(value: string, permanent?: boolean): void;
  close(): Promise<void>;
}

/** The most of a portal's answer that is read (src/net/limits.ts). */
export { MAX_PORTAL_ANSWER_BYTES };

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `text` with every occurrence of a secret replaced by `***` (the body kept as evidence of an exchange). */
export function withoutSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) if (s.length >= 3) out = out.split(s).join('***');
  return out;
}

const MASK = Buffer.from('***');

/** The answer's `bytes` (kept as evidence) with every form of each secret (as is, URL-, JSON-, HTML-escaped, base64) replaced by `***`. */
export function maskSecretBytes(bytes: Buffer, secrets: Iterable<string>): Buffer {
  let out = bytes;
  for (const s of secrets) {
    if (s.length < 3) continue;
    const html = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    for (const form of new Set([s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1), html, Buffer.from(s).toString('base64')])) {
      const needle = Buffer.from(form, 'utf8');
      if (out.indexOf(needle) < 0) continue;
      const parts: Buffer[] = [];
      let from = 0;
      for (let at = out.indexOf(needle); at >= 0; at = out.indexOf(needle, from)) {
        parts.push(out.subarray(from, at), MASK);
        from = at + needle.length;
      }
      parts.push(out.subarray(from));
      out = Buffer.concat(parts);
    }
  }
  return out;
}

/**
 * The credential a login's answer hands out (a session token, an access token): the client adds it
 * to the secrets only once the exchange returns, but the answer it came in is kept now.
 */
function handedOut(spec: CallSpec, verdict: Verdict<unknown>): string[] {
  if (spec.service !== 'login' || verdict.error) return [];
  const v = verdict.value as unknown;
  if (typeof v === 'string') return [v];
  const token = (v as { token?: unknown } | null)?.token;
  return typeof token === 'string' ? [token] : [];
}

/** Shortens a body for an error message (src/net/snippet.ts); the transport cleans messages afterwards, secrets first. */
export { snippet };

/** The charset a `Content-Type` names (`application/json; charset=windows-1258` → `windows-1258`), or undefined. */
export function charsetOf(contentType: string | null): string | undefined {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType ?? '');
  return m?.[1]?.toLowerCase();
}

/**
 * An answer's text: decoded with the charset its `Content-Type` names (windows-1258 in old Windows
 * stacks, whose tone marks come separate) and NFC-normalized; UTF-8 when none is named or the name
 * is unknown. A UTF-8 byte-order mark is dropped.
 */
export function decodeAnswer(bytes: Buffer, contentType: string | null): string {
  const charset = charsetOf(contentType);
  const text = charset !== undefined && charset !== 'utf-8' && charset !== 'utf8' && iconv.encodingExists(charset) ? iconv.decode(bytes, charset) : bytes.toString('utf8');
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).normalize('NFC');
}

/** Creates the pooled transport of one target. */
export function createTransport(target: TargetConfig, opts: PortalClientOptions): Transport {
  // As many connections as the adaptive pool may have senders (src/outbox/concurrency.ts).
  const agent = createPool(Math.max(target.concurrency, target.maxConcurrency ?? target.concurrency), target.timeoutMs);
  const doFetch = opts.fetch ?? fetch;
  const permanentSecrets = new Set<string>();
  const rotating: string[] = [];
  const secrets = { *[Symbol.iterator]() {
    yield* permanentSecrets;
    yield* rotating;
  } };
  const clean = (text: string | null): string | null => (text === null ? null : cleanMessage(text, [...secrets]));
  /** The error's texts as they may be stored and shown (portals echo requests, with credentials, in their error pages). */
  const cleanError = (e: GatewayError): GatewayError => {
    const message = clean(e.message) as string;
    if (message !== e.message) Object.defineProperty(e, 'message', { value: message });
    if (e instanceof UpstreamRejectedError) Object.defineProperty(e, 'portalMessage', { value: clean(e.portalMessage) });
    return e;
  };

  async function report(e: PortalExchange, failed: boolean): Promise<void> {
    try {
      await opts.onExchange?.(e);
    } catch (err) {
      // The portal's answer matters more than a failed report of it: keep the call's own error.
      if (!failed) throw err;
    }
  }

  return {
    async exchange<T>(spec: CallSpec, judge: (answer: HttpAnswer) => Verdict<T>): Promise<Exchanged<T>> {
      const requestHash = sha256Hex(spec.hashedBody ?? spec.body ?? '');
      const started = performance.now();
      const sentAt = new Date().toISOString();
      let answer: HttpAnswer | undefined;
      let answerBytes: Buffer | undefined;
      let failure: GatewayError | undefined;
      try {
        const res = await doFetch(spec.url, {
          method: spec.method,
          headers: spec.headers,
          ...(spec.body === undefined ? {} : { body: spec.body }),
          dispatcher: dispatcherOf(agent),
          // Covers connecting, the headers and reading the whole body.
          signal: AbortSignal.timeout(target.timeoutMs),
        } as RequestInit);
        const what = `${target.id} ${spec.service}`;
        const bytes = await readBytesWithin(res, MAX_PORTAL_ANSWER_BYTES, () => new UpstreamSchemaError(`${what}: the portal's answer is larger than ${MAX_PORTAL_ANSWER_BYTES} bytes; not read`, { status: res.status, retryable: true }));
        answerBytes = bytes;
        answer = { status: res.status, headers: res.headers, text: decodeAnswer(bytes, res.headers.get('content-type')) };
      } catch (err) {
        failure = transportError(err, `${target.id} ${spec.service}`, target.timeoutMs);
      }
      const judged: Verdict<T> = answer
        ? judge(answer)
        : { outcome: outcomeOf(failure as GatewayError), errorCode: null, message: (failure as GatewayError).message, error: failure as GatewayError };
      const verdict: Verdict<T> = { ...judged, message: clean(judged.message), errorCode: judged.errorCode === null ? null : (clean(judged.errorCode.slice(0, 64)) as string) };
      if (verdict.error) cleanError(verdict.error);
      const durationMs = Math.round(performance.now() - started);
      const httpStatus = answer?.status ?? null;
      await report(
        {
          target: target.id,
          service: spec.service,
          ...(spec.isUpdating === undefined ? {} : { isUpdating: spec.isUpdating }),
          requestHash,
          httpStatus,
          errorCode: verdict.errorCode,
          message: verdict.message,
          durationMs,
          outcome: verdict.outcome,
          requestBody: withoutSecrets(spec.hashedBody ?? spec.body ?? '', secrets),
          ...(answerBytes === undefined ? {} : { answerBody: maskSecretBytes(answerBytes, [...secrets, ...handedOut(spec, verdict)]) }),
          sentAt,
        },
        verdict.error !== undefined,
      );
      if (verdict.error) throw verdict.error;
      return { value: verdict.value, httpStatus: httpStatus ?? 0, requestHash, durationMs };
    },
    addSecret(value, permanent = false) {
      if (value.length < 3 || permanentSecrets.has(value) || rotating.includes(value)) return;
      if (permanent) {
        permanentSecrets.add(value);
        return;
      }
      // The last few session / access tokens: a long-running serve logs in again and again.
      rotating.push(value);
      if (rotating.length > 4) rotating.shift();
    },
    close: () => agent.close(),
  };
}
