/**
 * A circuit breaker per target (issue #13 goal 2, `targets[].breaker`, on by default). After `failures`
 * consecutive retryable failures (network, timeout, 5xx, 429) it opens: no call is made for a
 * cool-down (`coolDownSeconds`, doubled at every re-open up to 5 minutes); then it is half-open and
 * lets ONE probe delivery through; its first answer closes it again, a failure re-opens it.
 *
 * While it is open nothing is attempted, so no delivery's attempts are burned by an outage:
 * - `admit()` is the drain's gate: it waits out the cool-down (or says the run's deadline comes
 *   first) and hands each delivery a signal that aborts when the breaker opens; a delivery aborted
 *   that way is left pending by deliverOne, exactly as at the run's deadline.
 * - `withBreaker()` wraps the DeliveryClient: every answer is counted, and a call that arrives
 *   while the circuit is open is refused without calling, as p-retry's AbortError around a
 *   retryable {@link CircuitOpenError} (p-retry then stops without counting a failed attempt).
 * The clock and the sleep are injectable (tests); the breaker itself touches no database.
 */
import { setTimeout as sleepTimer } from 'node:timers/promises';
import { AbortError } from 'p-retry';
import { GatewayError, isRetryable } from '../errors.ts';
import type { DeliveryClient } from './deliver.ts';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** What the run summary and /metrics show of a target's breaker. */
export interface BreakerSnapshot {
  state: BreakerState;
  /** Times it opened in this run (re-opens after a failed probe included). */
  opens: number;
  /** When it last opened (ISO 8601), null when it never did. */
  lastOpenedAt: string | null;
}

export interface BreakerOptions {
  /** Consecutive retryable failures that open the circuit (default 5). */
  failures?: number;
  /** First cool-down, seconds (default 30); doubled at each re-open, at most `maxCoolDownSeconds`. */
  coolDownSeconds?: number;
  /** Longest cool-down, seconds (default 300, or `coolDownSeconds` when longer). */
  maxCoolDownSeconds?: number;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** The circuit of a target is open: the call was not made. Retryable: the delivery stays pending. */
export class CircuitOpenError extends GatewayError {
  constructor(target: string, retryInMs: number) {
    super('circuit_open', `target "${target}": circuit open after repeated failures, not called (next probe in ${Math.ceil(retryInMs / 1000)} s)`, { retryable: true });
  }
}

/** A delivery let through by {@link CircuitBreaker.admit}. */
export interface BreakerPermit {
  /** Aborts when the breaker opens: the delivery stops and stays pending. */
  signal: AbortSignal;
  /** This delivery is the half-open probe (claim one delivery only). */
  probe: boolean;
  /** False once the breaker opened since the permit was given: deliver nothing more under it. */
  usable(): boolean;
  /** The delivery (or claim) is over. */
  release(): void;
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> => sleepTimer(ms, undefined, { signal }).then(
  () => undefined,
  () => undefined,
);

export class CircuitBreaker {
  readonly failures: number;
  readonly baseCoolDownMs: number;
  readonly maxCoolDownMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private current: BreakerState = 'closed';
  private consecutive = 0;
  private coolDownMs: number;
  private openUntil = 0;
  private opens = 0;
  private lastOpenedAt: number | null = null;
  /** Aborted at every opening; a new one for the probe and for what follows it. */
  private epoch = new AbortController();
  private probeTaken = false;
  private callsInFlight = 0;
  /** The portal's address it was made for (breakerFor: another address, another breaker). */
  baseUrl: string | undefined;

  constructor(readonly target: string, o: BreakerOptions = {}) {
    this.failures = Math.max(1, Math.floor(o.failures ?? 5));
    this.baseCoolDownMs = Math.max(1, (o.coolDownSeconds ?? 30) * 1000);
    this.maxCoolDownMs = Math.max(this.baseCoolDownMs, (o.maxCoolDownSeconds ?? 300) * 1000);
    this.coolDownMs = this.baseCoolDownMs;
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? defaultSleep;
  }

  /** The state now (an open circuit whose cool-down is over reads half-open). */
  state(): BreakerState {
    if (this.current === 'open' && this.now() >= this.openUntil) return 'half-open';
    return this.current;
  }

  /** Milliseconds until a call may be made (0: now). */
  retryInMs(): number {
    return this.current === 'open' ? Math.max(0, this.openUntil - this.now()) : 0;
  }

  snapshot(): BreakerSnapshot {
    return { state: this.state(), opens: this.opens, lastOpenedAt: this.lastOpenedAt === null ? null : new Date(this.lastOpenedAt).toISOString() };
  }

  /** May a call go now? Closed: yes. Half-open: one at a time (the probe's). Open: no. */
  allowCall(): boolean {
    this.enterHalfOpenIfDue();
    if (this.current === 'closed') return true;
    return this.current === 'half-open' && this.callsInFlight === 0;
  }

  /** The portal answered (accepted, "exists", or refused the record: it is up). */
  onSuccess(): void {
    this.consecutive = 0;
    if (this.current === 'half-open') {
      this.current = 'closed';
      this.coolDownMs = this.baseCoolDownMs;
      this.probeTaken = false;
    }
  }

  /** A retryable failure: network, timeout, 5xx, 429. */
  onFailure(): void {
    if (this.current === 'open') return; // a call from before the opening: already counted as an outage
    if (this.current === 'half-open') {
      this.coolDownMs = Math.min(this.maxCoolDownMs, this.coolDownMs * 2);
      this.open();
      return;
    }
    this.consecutive++;
    if (this.consecutive >= this.failures) this.open();
  }

  /**
   * The drain's gate: waits while the circuit is open (or a probe is out), then lets one delivery
   * through. Null when the run ends first (`signal` aborted, or the cool-down ends after `deadline`).
   */
  async admit(signal: AbortSignal, deadline: number): Promise<BreakerPermit | null> {
    for (;;) {
      if (signal.aborted) return null;
      this.enterHalfOpenIfDue();
      if (this.current === 'closed') return this.permit(false);
      if (this.current === 'half-open' && !this.probeTaken) {
        this.probeTaken = true;
        return this.permit(true);
      }
      const wait = this.current === 'open' ? this.retryInMs() : 50;
      if (this.now() + wait > deadline) return null;
      await this.sleep(Math.max(10, Math.min(wait, 250)), signal);
    }
  }

  /** Wraps a call: refused while open, its answer counted. */
  async call<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.allowCall()) throw new AbortError(new CircuitOpenError(this.target, this.retryInMs()));
    // A call from before the last half-open (a hanging one) neither blocks nor judges the probe.
    const mine = this.epoch;
    this.callsInFlight++;
    try {
      const result = await fn();
      if (mine === this.epoch) this.onSuccess();
      return result;
    } catch (error) {
      if (mine === this.epoch) {
        if (isRetryable(error)) this.onFailure();
        else this.onSuccess();
      }
      throw error;
    } finally {
      if (mine === this.epoch) this.callsInFlight--;
    }
  }

  /** A new drain of the target starts (the previous one is over): a probe it left out is no longer out. */
  newDrain(): void {
    this.probeTaken = false;
  }

  private permit(probe: boolean): BreakerPermit {
    const epoch = this.epoch;
    let released = false;
    return {
      signal: epoch.signal,
      probe,
      usable: () => !epoch.signal.aborted,
      release: () => {
        if (released) return;
        released = true;
        // A probe that made no call (nothing due, a held record) leaves the probe to the next delivery.
        if (probe && this.current === 'half-open') this.probeTaken = false;
      },
    };
  }

  private open(): void {
    this.current = 'open';
    this.consecutive = 0;
    this.opens++;
    this.lastOpenedAt = this.now();
    this.openUntil = this.now() + this.coolDownMs;
    this.probeTaken = false;
    this.epoch.abort(new CircuitOpenError(this.target, this.coolDownMs));
  }

  private enterHalfOpenIfDue(): void {
    if (this.current === 'open' && this.now() >= this.openUntil) {
      this.current = 'half-open';
      this.epoch = new AbortController();
      this.probeTaken = false;
      this.callsInFlight = 0;
    }
  }
}

/** The DeliveryClient with every call going through the breaker. */
export function withBreaker<C extends DeliveryClient>(client: C, breaker: CircuitBreaker): C {
  return {
    ...client,
    pushDossier: (record, isUpdating) => breaker.call(() => client.pushDossier(record, isUpdating)),
    pushProgress: (items) => breaker.call(() => client.pushProgress(items)),
    lookup: (code) => breaker.call(() => client.lookup(code)),
  } as C;
}

/** Breakers alive in this process, by target: /metrics reads them. Bounded by the configured targets. */
const live = new Map<string, CircuitBreaker>();

/**
 * The breaker of a target as configured (`targets[].breaker`: on by default, `false` when switched
 * off — then null). One per target and process: the drains that follow each other in `serve` and
 * `worker` (10-second slices) keep its state, so an outage is not re-discovered by 5 failed calls
 * every drain; its counts are since the process started. A changed configuration (settings or the
 * portal's address) starts a new one.
 */
export function breakerFor(target: { id: string; baseUrl?: string; breaker?: { failures: number; coolDownSeconds: number } | false | undefined }, o: Pick<BreakerOptions, 'now' | 'sleep'> = {}): CircuitBreaker | null {
  if (!target.breaker) return null;
  const known = live.get(target.id);
  if (known && known.failures === target.breaker.failures && known.baseCoolDownMs === Math.max(1, target.breaker.coolDownSeconds * 1000) && known.baseUrl === target.baseUrl && !o.now) {
    known.newDrain();
    return known;
  }
  const b = new CircuitBreaker(target.id, { ...o, failures: target.breaker.failures, coolDownSeconds: target.breaker.coolDownSeconds });
  b.baseUrl = target.baseUrl;
  if (live.size >= 256 && !live.has(target.id)) live.delete(live.keys().next().value as string);
  live.set(target.id, b);
  return b;
}

/** The state of the breakers drained in this process (target → snapshot). */
export function liveBreakers(): Map<string, BreakerSnapshot> {
  return new Map([...live].map(([id, b]) => [id, b.snapshot()]));
}
