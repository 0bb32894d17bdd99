/**
 * Group commit of the outbox (issue #13): the state changes of deliveries (acknowledgements, failed
 * attempts, the final outcome) and the receipts of the exchanges behind them are queued by the
 * senders of a drain and written many at a time — one statement, so one round trip and one
 * transaction, for every delivery in the batch — while the senders go on calling the portal.
 *
 * What stays true (the crash cases of a kill -9):
 * - Writes land in the order they were queued: a batch is taken only once the one before it has
 *   landed, and the writes of one delivery inside a batch are merged in order. So the ledger always
 *   holds a prefix of each delivery's history: an acknowledgement is recorded before (or with) the
 *   completion that depends on it, never after; after a crash a dossier is sent again only if its
 *   acknowledgement had not landed.
 * - A receipt is written by the same statement as the state it proves; a delivery is never
 *   reported delivered before that statement committed.
 * - The completion keeps its guard (`case when version > …`): a newer version stored meanwhile
 *   stays pending, whenever the batch lands.
 * - The lease stays with the delivery until its completion lands (the completion clears it), so no
 *   other sender or worker claims it in between; the queue is bounded (`maxQueued`), so a slow
 *   database slows the senders instead of letting writes pile up past the lease.
 * - A failed batch is written again delivery by delivery, so one bad row fails only its delivery:
 *   that delivery's later writes are refused (nothing of it is recorded past what landed) and the
 *   error is kept for `close()`.
 * Receipts within a statement are inserted in queue order; the receipts_chain trigger links each
 * target's chain under its head row lock, so every chain stays linear.
 *
 * Not wired into drainTarget/deliverOne yet (issue #13 goal 1 is open): the module and its tests come first.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Ledger } from '../ledger/db.ts';
import { insertReceipts, type ReceiptRow } from './receipts.ts';

/** A change of one delivery row; absent fields are left as they are. */
export interface DeliveryPatch {
  id: number;
  portalHas?: true;
  dossierAckedVersion?: number;
  progressAcked?: { count: number; hash: string | null };
  attempts?: number;
  /** last_error and last_answer (the answer as JSON text, or null). */
  error?: { message: string | null; answer: string | null };
  /**
   * The end of the claim: `delivered` or `dead` (both guarded: `pending` when a newer version than
   * `version` was stored meanwhile), or `release` (pending, due again after `retryInSecs`). The lease is cleared.
   */
  final?: { kind: 'delivered' | 'dead' | 'release'; version: number; retryInSecs?: number };
}

/** One statement writing the receipts (in order) and the patches (at most one per delivery); returns each patched row's status. */
export function patchStatement(receipts: ReceiptRow[], patches: DeliveryPatch[]): SQL {
  const rows = patches.map((p) => ({
    id: p.id,
    portal_has: p.portalHas ?? null,
    dossier_acked_version: p.dossierAckedVersion ?? null,
    set_progress: p.progressAcked !== undefined,
    progress_acked: p.progressAcked?.count ?? null,
    progress_acked_hash: p.progressAcked?.hash ?? null,
    attempts: p.attempts ?? null,
    set_error: p.error !== undefined,
    last_error: p.error?.message ?? null,
    last_answer: p.error?.answer ?? null,
    final: p.final?.kind ?? null,
    final_version: p.final?.version ?? null,
    retry_secs: p.final?.retryInSecs ?? null,
  }));
  const update = sql`deliveries_written as (
    update deliveries q set
      portal_has = coalesce(x.portal_has, q.portal_has),
      dossier_acked_version = coalesce(x.dossier_acked_version, q.dossier_acked_version),
      progress_acked = case when x.set_progress then x.progress_acked else q.progress_acked end,
      progress_acked_hash = case when x.set_progress then x.progress_acked_hash else q.progress_acked_hash end,
      attempts = coalesce(x.attempts, q.attempts),
      last_error = case when x.set_error then x.last_error else q.last_error end,
      last_answer = case when x.set_error then x.last_answer::jsonb else q.last_answer end,
      status = case when x.final in ('delivered', 'dead') then (case when q.version > x.final_version then 'pending' else x.final end) else q.status end,
      delivered_version = case when x.final = 'delivered' then x.final_version else q.delivered_version end,
      delivered_at = case when x.final = 'delivered' then now() else q.delivered_at end,
      next_attempt_at = case when x.final = 'delivered' then now()
                             when x.final = 'release' then now() + make_interval(secs => x.retry_secs)
                             else q.next_attempt_at end,
      lease_owner = case when x.final is null then q.lease_owner end,
      lease_until = case when x.final is null then q.lease_until end,
      updated_at = now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
      id bigint, portal_has boolean, dossier_acked_version int, set_progress boolean, progress_acked int,
      progress_acked_hash text, attempts int, set_error boolean, last_error text, last_answer text,
      final text, final_version int, retry_secs float8)
    where q.id = x.id
    returning q.id, q.status)
    select id, status from deliveries_written`;
  return receipts.length ? sql`${insertReceipts(receipts)}, ${update}` : sql`with ${update}`;
}

/** Writes the receipts and patches now, in one statement; returns the status of each patched delivery. */
export async function writePatches(ledger: Ledger, receipts: ReceiptRow[], patches: DeliveryPatch[]): Promise<Map<number, string>> {
  const rows = await ledger.rows<{ id: number | string; status: string }>(patchStatement(receipts, patches));
  return new Map(rows.map((r) => [Number(r.id), r.status]));
}

/** Folds the patches of one delivery, in order: later fields win. */
export function mergePatches(patches: DeliveryPatch[]): DeliveryPatch {
  return Object.assign({}, ...patches) as DeliveryPatch;
}

export interface CommitBatchOptions {
  /** At most this many queued writes in one statement (default 128). */
  maxItems?: number;
  /** Wait this long after the first queued write before writing, to gather more (default 0: at the next turn of the event loop). */
  delayMs?: number;
  /** `room()` waits while more writes than this are queued (default 512). */
  maxQueued?: number;
}

interface Entry {
  patch: DeliveryPatch;
  receipts: ReceiptRow[];
  resolve(status: string | null): void;
  reject(error: unknown): void;
}

/** Open batchers by ledger: reads of the outbox's counts wait for what is queued (see `settleQueued`). */
const open = new Map<Ledger, Set<CommitBatch>>();

/** Waits until the writes queued on this ledger so far have landed (or failed: their errors go to their batcher's `close()`). */
export async function settleQueued(ledger: Ledger): Promise<void> {
  const batchers = open.get(ledger);
  if (batchers) await Promise.all([...batchers].map((b) => b.settle()));
}

export class CommitBatch {
  private readonly maxItems: number;
  private readonly delayMs: number;
  private readonly maxQueued: number;
  private queue: Entry[] = [];
  private running: Promise<void> | null = null;
  private timer: { cancel(): void } | null = null;
  private idle: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  /** Deliveries whose write failed: their later writes are refused. */
  private readonly failed = new Map<number, unknown>();
  private firstError: unknown = undefined;
  private closed = false;
  /** Statements sent, for the benchmark and tests. */
  statements = 0;

  constructor(
    private readonly ledger: Ledger,
    options: CommitBatchOptions = {},
  ) {
    this.maxItems = Math.max(1, options.maxItems ?? 128);
    this.delayMs = Math.max(0, options.delayMs ?? 0);
    this.maxQueued = Math.max(this.maxItems, options.maxQueued ?? 512);
    let set = open.get(ledger);
    if (!set) open.set(ledger, (set = new Set()));
    set.add(this);
  }

  /** Queues a patch with the receipts it proves; resolves with the delivery's status once written (null when there was no final). */
  write(patch: DeliveryPatch, receipts: ReceiptRow[] = []): Promise<string | null> {
    if (this.closed) return Promise.reject(new Error('commit batch closed'));
    const failure = this.failed.get(patch.id);
    if (failure !== undefined) return Promise.reject(failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ patch, receipts, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when the queue has room (back-pressure for the senders). */
  room(): Promise<void> {
    if (this.queue.length < this.maxQueued) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }

  /** The error of a delivery's failed write, if any. */
  failure(id: number): unknown {
    return this.failed.get(id);
  }

  /** Writes everything queued now and waits for it (errors are kept for `close()`). */
  settle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.idle.push(resolve));
    this.start();
    return done;
  }

  /** Writes what is queued, then refuses new writes; throws the first failed write's error. */
  async close(): Promise<void> {
    await this.settle();
    this.closed = true;
    open.get(this.ledger)?.delete(this);
    if (open.get(this.ledger)?.size === 0) open.delete(this.ledger);
    if (this.firstError !== undefined) throw this.firstError;
  }

  private schedule(): void {
    if (this.running) return;
    if (this.queue.length >= this.maxItems) return this.start();
    if (this.timer) return;
    if (this.delayMs > 0) {
      const t = setTimeout(() => this.start(), this.delayMs);
      this.timer = { cancel: () => clearTimeout(t) };
    } else {
      const t = setImmediate(() => this.start());
      this.timer = { cancel: () => clearImmediate(t) };
    }
  }

  private start(): void {
    this.timer?.cancel();
    this.timer = null;
    if (this.running) return;
    this.running = this.run().finally(() => {
      this.running = null;
      if (this.queue.length) this.schedule();
      else for (const fn of this.idle.splice(0)) fn();
    });
  }

  private async run(): Promise<void> {
    while (this.queue.length) {
      const batch = this.take();
      for (const fn of this.roomWaiters.splice(0)) fn();
      if (batch.length) await this.writeBatch(batch);
    }
  }

  /** The next batch: up to maxItems writes, cut before a write following a final of the same delivery. */
  private take(): Entry[] {
    const batch: Entry[] = [];
    const finished = new Set<number>();
    while (this.queue.length && batch.length < this.maxItems) {
      const e = this.queue[0]!;
      const failure = this.failed.get(e.patch.id);
      if (failure !== undefined) {
        this.queue.shift();
        e.reject(failure);
        continue;
      }
      if (finished.has(e.patch.id)) break;
      this.queue.shift();
      batch.push(e);
      if (e.patch.final) finished.add(e.patch.id);
    }
    return batch;
  }

  private async writeBatch(entries: Entry[]): Promise<void> {
    const byId = new Map<number, Entry[]>();
    for (const e of entries) {
      const list = byId.get(e.patch.id);
      if (list) list.push(e);
      else byId.set(e.patch.id, [e]);
    }
    try {
      await this.send(entries, byId);
    } catch (error) {
      if (byId.size === 1) return this.fail(entries, error);
      // One bad row fails the whole statement: each delivery is written on its own, so only its own writes fail.
      for (const group of byId.values()) {
        try {
          await this.send(group, new Map([[group[0]!.patch.id, group]]));
        } catch (e) {
          this.fail(group, e);
        }
      }
    }
  }

  private async send(entries: Entry[], byId: Map<number, Entry[]>): Promise<void> {
    const receipts = entries.flatMap((e) => e.receipts);
    const patches = [...byId.values()].map((list) => mergePatches(list.map((e) => e.patch)));
    this.statements++;
    const status = await writePatches(this.ledger, receipts, patches);
    for (const e of entries) e.resolve(e.patch.final ? (status.get(e.patch.id) ?? null) : null);
  }

  private fail(entries: Entry[], error: unknown): void {
    this.firstError ??= error;
    for (const e of entries) {
      this.failed.set(e.patch.id, error);
      e.reject(error);
    }
  }
}
