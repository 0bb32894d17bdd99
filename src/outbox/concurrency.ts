/**
 * Adaptive concurrency of a target's senders (issue #13 goal 2): enough calls in flight to fill the
 * rate budget, fewer when the portal slows down or pushes back.
 *
 * By Little's law a sender makes one call every `cycle` ms (the call's latency plus the ledger's
 * work around it, the rate limiter's waits left out), so the budget needs
 * `ratePerSecond × cycle / 1000` senders; the pool keeps that plus a margin (the rate limiter, the
 * hard cap, absorbs the surplus as waits). On top, an AIMD ceiling: a 429 or a busy answer (503),
 * or a latency risen well above the lowest seen, cuts the ceiling by half (at most once per
 * latency period, however many calls saw it), and every good answer raises it by 1/limit (one
 * sender per round of calls). `targets[].concurrency` is the starting and the smallest number of
 * senders, `targets[].maxConcurrency` (default 64) the largest.
 *
 * The controller is pure: observations carry their time, so tests drive it without a clock.
 */
import { GatewayError } from '../errors.ts';
import type { DeliveryClient } from './deliver.ts';

export interface ConcurrencyOptions {
  ratePerSecond: number;
  /** Senders at the start, and never fewer (`targets[].concurrency`). */
  min: number;
  /** Never more senders (`targets[].maxConcurrency`, at most 64). */
  max: number;
  /** Share of senders over what the budget needs (default 0.25), plus one. */
  margin?: number;
}

/** Latency this many times the lowest seen (and {@link SLOW_EXTRA_MS} over it) means the portal is struggling. */
export const SLOW_FACTOR = 2;
export const SLOW_EXTRA_MS = 50;
/** Cycle samples before the budget's need is trusted. */
const WARM_UP = 3;

export class AdaptiveConcurrency {
  readonly min: number;
  readonly max: number;
  private readonly rate: number;
  private readonly margin: number;
  private current: number;
  private ceiling: number;
  private cycleMs: number | null = null;
  private cycleSamples = 0;
  private latencyMs: number | null = null;
  private lowestMs: number | null = null;
  private lastCutAt = -Infinity;
  private cuts = 0;

  constructor(o: ConcurrencyOptions) {
    this.min = Math.max(1, Math.floor(o.min));
    this.max = Math.max(this.min, Math.min(64, Math.floor(o.max)));
    this.rate = o.ratePerSecond;
    this.margin = o.margin ?? 0.25;
    this.current = this.min;
    this.ceiling = this.max;
  }

  /** Senders wanted now. */
  limit(): number {
    return this.current;
  }

  /** What the budget needs by the cycles seen (null before enough of them). */
  need(): number | null {
    if (this.cycleMs === null || this.cycleSamples < WARM_UP) return null;
    return Math.ceil(((this.rate * this.cycleMs) / 1000) * (1 + this.margin)) + 1;
  }

  snapshot(): { limit: number; ceiling: number; need: number | null; cycleMs: number | null; latencyMs: number | null; cuts: number } {
    return { limit: this.current, ceiling: Math.floor(this.ceiling), need: this.need(), cycleMs: this.cycleMs, latencyMs: this.latencyMs, cuts: this.cuts };
  }

  /** One sender's time per call over a delivery, the rate limiter's waits left out. */
  observeCycle(msPerCall: number): void {
    if (!(msPerCall >= 0) || !Number.isFinite(msPerCall)) return;
    this.cycleMs = this.cycleMs === null ? msPerCall : this.cycleMs * 0.8 + msPerCall * 0.2;
    this.cycleSamples++;
    this.update();
  }

  /** One call's answer: its latency, and whether the portal pushed back (429 / busy). */
  observeCall(at: number, latencyMs: number, busy: boolean): void {
    if (busy) {
      this.cut(at, 0.5);
      return;
    }
    if (!(latencyMs >= 0) || !Number.isFinite(latencyMs)) return;
    this.latencyMs = this.latencyMs === null ? latencyMs : this.latencyMs * 0.8 + latencyMs * 0.2;
    // The lowest latency seen drifts up slowly, so a portal that is lastingly slower becomes the norm.
    this.lowestMs = this.lowestMs === null ? latencyMs : Math.min(this.lowestMs * 1.001, latencyMs);
    if (this.latencyMs > this.lowestMs * SLOW_FACTOR && this.latencyMs > this.lowestMs + SLOW_EXTRA_MS) {
      this.cut(at, 0.75);
      return;
    }
    this.ceiling = Math.min(this.max, this.ceiling + 1 / Math.max(1, this.current));
    this.update();
  }

  private cut(at: number, factor: number): void {
    // One cut per latency period: the calls in flight when the portal pushed back all say so.
    const period = Math.max(100, this.latencyMs ?? 0);
    if (at - this.lastCutAt < period) return;
    this.lastCutAt = at;
    this.cuts++;
    this.ceiling = Math.max(this.min, Math.floor(Math.min(this.ceiling, this.current) * factor));
    this.update();
  }

  private update(): void {
    const need = this.need() ?? this.current;
    // (The epsilon: ten additions of 1/10 make 0.999… in floating point.)
    this.current = Math.max(this.min, Math.min(this.max, Math.floor(this.ceiling + 1e-9), need));
  }
}

/** The portal pushed back: 429, or 503 (busy). A network error or a 500 is an outage, the breaker's. */
export function isPushBack(error: unknown): boolean {
  return error instanceof GatewayError && (error.status === 429 || error.status === 503);
}

/** One sender's counts over its current delivery (calls made, failures, time waited on the rate limiter). */
export interface SenderMeter {
  calls: number;
  failures: number;
  waitedMs: number;
}

/** The client with every call's latency and push-back told to the controller and counted in `meter`. */
export function meteredClient<C extends DeliveryClient>(client: C, control: AdaptiveConcurrency, meter: SenderMeter, now: () => number = performance.now.bind(performance)): C {
  const timed = async <T>(fn: () => Promise<T>): Promise<T> => {
    const t0 = now();
    meter.calls++;
    try {
      const result = await fn();
      control.observeCall(now(), now() - t0, false);
      return result;
    } catch (error) {
      meter.failures++;
      // A call the breaker refused was not made: it says nothing of the portal.
      if (error instanceof GatewayError || isPushBack(error)) control.observeCall(now(), now() - t0, isPushBack(error));
      throw error;
    }
  };
  return {
    ...client,
    pushDossier: (record, isUpdating) => timed(() => client.pushDossier(record, isUpdating)),
    pushProgress: (items) => timed(() => client.pushProgress(items)),
    lookup: (code) => timed(() => client.lookup(code)),
  } as C;
}

/** What a sender of {@link runPool} asks its pool. */
export interface SenderHandle {
  /** False when the pool has more senders than wanted (this one is then out) or another failed: stop between claims. */
  keepGoing(): boolean;
  /** Senders running now. */
  active(): number;
  /** Starts senders up to the controller's limit (after each delivery). */
  topUp(): void;
}

/**
 * Runs senders, `control.limit()` of them: more are started as the limit rises, one stops at its
 * next claim when it falls. A sender that returns by itself (nothing due, deadline, breaker) ends
 * the growing: the others finish what they hold. Resolves when every sender has returned; rejects
 * at the first sender's error (the others stop at their next claim).
 */
export function runPool(control: AdaptiveConcurrency, sender: (pool: SenderHandle) => Promise<void>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let active = 0;
    let running = 0;
    let ended = false;
    let failed = false;
    const start = (): void => {
      active++;
      running++;
      let out = false;
      const handle: SenderHandle = {
        keepGoing: () => {
          if (!out && (failed || active > control.limit())) {
            out = true;
            active--;
          }
          return !out;
        },
        active: () => active,
        topUp,
      };
      sender(handle).then(
        () => {
          if (!out) {
            out = true;
            active--;
            ended = true;
          }
          if (--running === 0 && !failed) resolve();
        },
        (error: unknown) => {
          running--;
          if (!out) active--;
          out = true;
          if (!failed) {
            failed = true;
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        },
      );
    };
    function topUp(): void {
      while (!ended && !failed && active < control.limit()) start();
    }
    topUp();
  });
}
