/**
 * The embedded database (PGlite, PostgreSQL compiled to WebAssembly) on its own worker thread.
 * PGlite runs synchronously on the thread that calls it; on the main thread every query would stop
 * the mapping, hashing and serialising of the next page. On a thread of its own the two overlap, so
 * an import uses both cores. The client below has the part of PGlite's interface that drizzle uses
 * (`query`, `exec`, `transaction`), plus `dumpDataDir` and `close`.
 */
import { Worker } from 'node:worker_threads';

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: Record<string, unknown> & { message: string };
}

interface QueryOptions {
  rowMode?: 'array' | 'object';
  parsers?: Record<number, unknown>;
}

/** What a transaction callback gets: queries inside the transaction. */
export interface ThreadTransaction {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<{ rows: T[] }>;
  exec(sql: string): Promise<unknown>;
  rollback(): Promise<void>;
}

/** Rebuilds the database's error with its fields (SQLSTATE `code`, `detail`, …). */
function errorFrom(e: NonNullable<Reply['error']>): Error {
  const err = new Error(e.message);
  for (const [k, v] of Object.entries(e)) if (k !== 'message' && k !== 'stack') (err as unknown as Record<string, unknown>)[k] = v;
  return err;
}

const JSON_OIDS = new Set([114, 3802]);

/**
 * json and jsonb values cross from the thread as text and are parsed here, as PGlite itself would:
 * parsing text is much cheaper than cloning a deep object between threads.
 */
function parseJsonFields(result: { rows: unknown[]; fields?: { name: string; dataTypeID: number }[] }, rowMode: 'array' | 'object'): void {
  const fields = result.fields ?? [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as { name: string; dataTypeID: number };
    if (!JSON_OIDS.has(f.dataTypeID)) continue;
    for (const row of result.rows) {
      if (rowMode === 'array') {
        const r = row as unknown[];
        if (typeof r[i] === 'string') r[i] = JSON.parse(r[i] as string);
      } else {
        const r = row as Record<string, unknown>;
        if (typeof r[f.name] === 'string') r[f.name] = JSON.parse(r[f.name] as string);
      }
    }
  }
}

/** Where the database is shared with other local processes (see pglite-share.mjs). */
export interface ShareOptions {
  listen: { path: string } | { host: string; port: number };
  password: string;
}
export type ShareResult = { address: { path?: string; host?: string; port?: number } } | { shareError: string };

export class PgliteThread {
  readonly #worker: Worker;
  /** Set when created with `share`: the address other processes connect to, or why sharing failed. */
  shared: ShareResult | undefined;
  readonly #pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  #nextId = 1;
  #closed = false;

  private constructor(worker: Worker) {
    this.#worker = worker;
  }

  /** Starts the thread and opens the database (`undefined` = in memory). */
  static async create(dataDir: string | undefined, options: { loadDataDir?: Blob; share?: ShareOptions } = {}): Promise<PgliteThread> {
    const loadDataDir = options.loadDataDir ? new Uint8Array(await options.loadDataDir.arrayBuffer()) : undefined;
    const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { dataDir, loadDataDir, share: options.share } });
    const thread = new PgliteThread(worker);
    await new Promise<void>((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      worker.once('error', onError);
      worker.once('message', (m: Reply) => {
        worker.off('error', onError);
        if (m.ok && m.value) thread.shared = m.value as ShareResult;
        if (m.ok) resolve();
        else reject(errorFrom(m.error ?? { message: 'the database thread failed to start' }));
      });
    }).catch(async (e: unknown) => {
      await worker.terminate();
      throw e;
    });
    worker.on('message', (m: Reply) => thread.#settle(m));
    worker.on('error', (e) => thread.#failAll(e));
    worker.on('exit', (code) => thread.#failAll(new Error(`the database thread stopped (exit code ${code})`)));
    // Idle, the thread does not keep the process alive; a request in flight does.
    worker.unref();
    return thread;
  }

  #settle(m: Reply): void {
    const p = this.#pending.get(m.id);
    if (!p) return;
    this.#pending.delete(m.id);
    if (this.#pending.size === 0) this.#worker.unref();
    if (m.ok) p.resolve(m.value);
    else p.reject(errorFrom(m.error ?? { message: 'database error' }));
  }

  #failAll(e: Error): void {
    this.#closed = true;
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }

  #call<T>(msg: Record<string, unknown>): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('the database is closed'));
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      if (this.#pending.size === 1) this.#worker.ref();
      this.#worker.postMessage({ id, ...msg });
    });
  }

  async #query<T>(tx: number | null, sql: string, params: unknown[] = [], options: QueryOptions = {}): Promise<{ rows: T[] }> {
    // drizzle's parsers keep dates as the database's text; the thread applies the same for those types.
    const identityOids = Object.keys(options.parsers ?? {}).map(Number);
    const rowMode = options.rowMode ?? 'object';
    const result = await this.#call<{ rows: T[]; fields?: { name: string; dataTypeID: number }[] }>({ op: 'query', tx, sql, params, rowMode, identityOids });
    parseJsonFields(result, rowMode);
    return result;
  }

  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<{ rows: T[] }> {
    return this.#query<T>(null, sql, params, options);
  }

  exec(sql: string): Promise<unknown> {
    return this.#call({ op: 'exec', tx: null, sql });
  }

  /** Runs `fn` in one transaction on the thread: committed when it resolves, rolled back when it throws. */
  async transaction<T>(fn: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const tx = await this.#call<number>({ op: 'begin' });
    const client: ThreadTransaction = {
      query: (sql, params, options) => this.#query(tx, sql, params, options),
      exec: (sql) => this.#call({ op: 'exec', tx, sql }),
      rollback: () => Promise.reject(new Error('rollback')),
    };
    let value: T;
    try {
      value = await fn(client);
    } catch (e) {
      await this.#call({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw e;
    }
    await this.#call({ op: 'end', tx, commit: true });
    return value;
  }

  /** The data directory as a tarball (tests reuse a migrated template). */
  async dumpDataDir(compression?: 'none' | 'gzip' | 'auto'): Promise<Blob> {
    const bytes = await this.#call<Uint8Array>({ op: 'dump', compression });
    return new Blob([bytes]);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#call({ op: 'close' });
    } finally {
      this.#closed = true;
      await this.#worker.terminate();
    }
  }
}
