/**
 * Cloudflare Workers runtime (`wrangler.toml` points here). Only re-exports: see worker.ts.
 */
export { default } from './worker.ts';
export { workerConfig } from './worker.ts';
