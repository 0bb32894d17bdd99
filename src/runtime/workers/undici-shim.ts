/**
 * `undici` on Workers (wrangler.toml `[alias]`): Node's HTTP client does not run in workerd, and
 * there the global `fetch` ignores the `dispatcher` option the HTTP helpers pass. This stand-in
 * keeps their `new Agent(…)` / `agent.close()` calls working; connection limits and timeouts are
 * the platform's (plus the helpers' own AbortSignal timeouts).
 */
export class Agent {
  constructor(_options?: unknown) {}
  async close(): Promise<void> {}
  async destroy(): Promise<void> {}
}
