/**
 * A target's rate budget: at most `ratePerSecond` calls in ANY window of one second, never more.
 * Two gates, taken in order by every call of every concurrent sender of the target:
 * - a token bucket (the budget less the guard's share, bursts up to `burst`) spaces the calls out;
 * - a sliding window (the hard cap): a call is let through only when the call `floor(rate)` calls
 *   before it was at least one second (plus {@link WINDOW_GUARD_MS} for the network's jitter
 *   between here and the portal) ago. The bucket alone lets a window hold `rate + burst` calls.
 * The window lives in this process ({@link LocalWindow}) or, with several processes draining one
 * target on PostgreSQL, in the database ({@link SharedWindow}, src/outbox/shared-budget.ts), so
 * the workers together stay within the one budget. Callers are served in order.
 */
import { setTimeout as sleepTimer } from 'node:timers/promises';

/**
 * Added to the one-second window: calls leave here in order but reach the portal later, not all
 * equally late (connections opening, a busy event loop). The budget is spent at
 * `ratePerSecond × 1000 / (1000 + WINDOW_GUARD_MS)` (about 95 %), so that jitter up to this much
 * still leaves every second at the portal within the budget.
 */
export const WINDOW_GUARD_MS = 50;

/** The sliding window's slots: tries to take one now. 0 when taken, else the milliseconds until one frees. */
export interface WindowGate {
  tryTake(): Promise<number> | number;
}

/** The window in memory: the time of the last `size` calls, a ring. */
export class LocalWindow implements WindowGate {
  private readonly ring: number[];
  private pos = 0;

  constructor(
    readonly size: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.ring = new Array<number>(Math.max(1, size)).fill(-Infinity);
  }

  tryTake(): number {
    const t = this.now();
    const oldest = this.ring[this.pos]!;
    if (t - oldest < this.windowMs) return Math.max(1, Math.ceil(oldest + this.windowMs - t));
    this.ring[this.pos] = t;
    this.pos = (this.pos + 1) % this.ring.length;
    return 0;
  }
}

export interface RateLimiterOptions {
  /** Calls the bucket lets through at once after a quiet spell (default: a tenth of the rate, at least 1). */
  burst?: number;
  /** The sliding window to use instead of one in this process (several workers sharing one budget). */
  window?: WindowGate;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** The calls of the window: `floor(rate)`, at least one (a budget under 1 call/s is the bucket's). */
export function windowSize(ratePerSecond: number): number {
  return Math.max(1, Math.floor(ratePerSecond));
}

class Budget {
  tokens: number;
  last: number;
  chain: Promise<void> = Promise.resolve();
  readonly burst: number;
  /** Tokens a second: the budget less the guard's share. */
  readonly pace: number;
  readonly window: WindowGate;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;

  constructor(
    readonly ratePerSecond: number,
    o: RateLimiterOptions,
  ) {
    this.burst = Math.max(1, o.burst ?? Math.ceil(ratePerSecond / 10));
    this.pace = (ratePerSecond * 1000) / (1000 + WINDOW_GUARD_MS);
    this.tokens = this.burst;
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? ((ms) => sleepTimer(ms));
    this.last = this.now();
    this.window = o.window ?? new LocalWindow(windowSize(ratePerSecond), 1000 + WINDOW_GUARD_MS, this.now);
  }

  async acquire(): Promise<void> {
    for (;;) {
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.pace);
      this.last = now;
      if (this.tokens >= 1) break;
      await this.sleep(Math.ceil(((1 - this.tokens) / this.pace) * 1000));
    }
    for (;;) {
      const wait = await this.window.tryTake();
      if (wait <= 0) break;
      await this.sleep(wait);
    }
    this.tokens -= 1;
  }
}

export class RateLimiter {
  private readonly budget: Budget;
  private readonly onWait: ((ms: number) => void) | undefined;

  constructor(ratePerSecond: number, options: RateLimiterOptions = {}) {
    this.budget = new Budget(ratePerSecond, options);
    this.onWait = undefined;
  }

  get ratePerSecond(): number {
    return this.budget.ratePerSecond;
  }

  /** Resolves when one call may be made. Callers are served in order. */
  take(): Promise<void> {
    const b = this.budget;
    const started = b.now();
    const turn = b.chain.then(() => b.acquire());
    b.chain = turn.catch(() => {});
    if (!this.onWait) return turn;
    const onWait = this.onWait;
    return turn.then(() => onWait(b.now() - started));
  }

  /** The same budget and queue, each take's wait told to `onWait` (one sender's view: src/outbox/concurrency.ts). */
  metered(onWait: (ms: number) => void): RateLimiter {
    const view = Object.create(RateLimiter.prototype) as RateLimiter;
    Object.assign(view, { budget: this.budget, onWait });
    return view;
  }
}
