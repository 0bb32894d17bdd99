/**
 * The Worker's bindings (`wrangler.toml`). Configuration comes as JSON in a variable: a Worker has
 * no files. Secrets named by the configuration (`passwordEnv`, `webhookSecretEnv`) are Worker
 * secrets (`wrangler secret put NAME`) and arrive as string bindings too.
 */

/** What Hyperdrive gives a Worker: a connection string to its pooled PostgreSQL. */
export interface HyperdriveBinding {
  connectionString: string;
}

/** The part of a Cloudflare Queue producer the Worker uses. */
export interface QueueProducer<T> {
  sendBatch(messages: Iterable<{ body: T }>): Promise<void>;
}

export interface QueueMessage<T> {
  readonly id: string;
  readonly body: T;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

export interface MessageBatch<T> {
  readonly queue: string;
  readonly messages: readonly QueueMessage<T>[];
}

export interface ExecutionContextLike {
  waitUntil(promise: Promise<unknown>): void;
}

export interface ScheduledControllerLike {
  readonly cron: string;
  readonly scheduledTime: number;
}

/** One unit of fanned-out work: pull one source (then the Node workers deliver the outbox). */
export interface SyncMessage {
  sourceId: string;
  /** The scheduled run this pull belongs to. */
  runId: string;
}

export interface WorkerEnv {
  HYPERDRIVE: HyperdriveBinding;
  /** `lienthong.config.json` as JSON text. */
  LIENTHONG_CONFIG: string;
  /** Present when the Queue is bound: `scheduled` fans out one message per source. */
  SYNC_QUEUE?: QueueProducer<SyncMessage>;
  LOG_LEVEL?: string;
  [name: string]: unknown;
}

/** The string bindings (variables and secrets), as the rest of the code reads `process.env`. */
export function stringBindings(env: WorkerEnv): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) if (typeof v === 'string') out[k] = v;
  return out;
}
