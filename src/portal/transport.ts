/**
 * One HTTP exchange with a portal target: send, time, hash, read the whole body, let the caller
 * judge the answer, report the exchange, then return a value or throw a GatewayError.
 * Raw `Response` objects stay in this file.
 *
 * The global `fetch` is used with an undici `Agent` as dispatcher (keep-alive, one pool per
 * target) because msw intercepts exactly that; `undici.fetch` would bypass it in tests.
 */
import { createHash } from 'node:crypto';
import { Agent } from 'undici';
import type { TargetConfig } from '../../schemas/config.ts';
import type { GatewayError } from '../errors.ts';
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
  close(): Promise<void>;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Shortens a body for an error message (an HTML error page can be large). */
export function snippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** Creates the pooled transport of one target. */
export function createTransport(target: TargetConfig, opts: PortalClientOptions): Transport {
  const agent = new Agent({
    connections: target.concurrency,
    keepAliveTimeout: 10_000,
    // Backstops to the per-call AbortSignal timeout, in case a body stalls after the headers.
    headersTimeout: target.timeoutMs,
    bodyTimeout: target.timeoutMs,
  });
  const doFetch = opts.fetch ?? fetch;

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
      let answer: HttpAnswer | undefined;
      let failure: GatewayError | undefined;
      try {
        const res = await doFetch(spec.url, {
          method: spec.method,
          headers: spec.headers,
          ...(spec.body === undefined ? {} : { body: spec.body }),
          dispatcher: agent as unknown as NonNullable<RequestInit['dispatcher']>,
          // Covers connecting, the headers and reading the whole body.
          signal: AbortSignal.timeout(target.timeoutMs),
        } as RequestInit);
        answer = { status: res.status, headers: res.headers, text: await res.text() };
      } catch (err) {
        failure = transportError(err, `${target.id} ${spec.service}`, target.timeoutMs);
      }
      const verdict: Verdict<T> = answer
        ? judge(answer)
        : { outcome: outcomeOf(failure as GatewayError), errorCode: null, message: (failure as GatewayError).message, error: failure as GatewayError };
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
        },
        verdict.error !== undefined,
      );
      if (verdict.error) throw verdict.error;
      return { value: verdict.value, httpStatus: httpStatus ?? 0, requestHash, durationMs };
    },
    close: () => agent.close(),
  };
}
