/**
 * A token bucket: at most `ratePerSecond` calls a second on average, bursts up to `burst`.
 * Shared by every concurrent sender of one target, so the target's budget is never exceeded.
 */
export class RateLimiter {
  private tokens: number;
  private last = Date.now();
  private readonly burst: number;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly ratePerSecond: number, burst?: number) {
    this.burst = Math.max(1, burst ?? Math.ceil(ratePerSecond / 10));
    this.tokens = this.burst;
  }

  /** Resolves when one call may be made. Callers are served in order. */
  take(): Promise<void> {
    const turn = this.chain.then(() => this.waitForToken());
    this.chain = turn.catch(() => {});
    return turn;
  }

  private async waitForToken(): Promise<void> {
    for (;;) {
      const now = Date.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000)));
    }
  }
}
