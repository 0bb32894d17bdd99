/**
 * Every run ends with a final status, also when its process was killed: a running run holds a
 * lease its process renews; the next process marks `interrupted` a run still `running` whose
 * process is gone (same host: its pid is not alive, or is alive but another process now — the
 * run's recorded instance differs —, or its lease expired) or whose lease expired (another host).
 * A run stopped by SIGINT/SIGTERM is marked by its own process before it exits.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { sql } from 'drizzle-orm';
import type { Ledger } from '../ledger/db.ts';
import { storableJson } from '../ledger/storable.ts';

export interface InterruptedRun {
  runId: string;
  startedAt: string;
  host: string | null;
  pid: number | null;
  /** Why it is called interrupted, for people. */
  reason: string;
}

/** True when a process of this pid exists on this host (EPERM: it exists, owned by someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let bootId: string | null | undefined;

/**
 * Who a pid is, not only its number: the boot, the pid and the process's start time (clock ticks
 * after boot, /proc/<pid>/stat field 22). A pid the kernel gave again to another process has
 * another start time, so a run whose process died is not taken for alive because its pid was
 * reused (containers start every service with the same few pids). Null where /proc is not
 * readable (not Linux, or the process is gone): the pid and the lease decide alone.
 *
 * @example processInstance(process.pid) // '5f0c…:4242:1234567'
 */
export function processInstance(pid: number): string | null {
  try {
    if (bootId === undefined) bootId = readProc('/proc/sys/kernel/random/boot_id')?.trim().slice(0, 36) || null;
    const stat = readProc(`/proc/${pid}/stat`);
    if (!stat) return null;
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so fields count from the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const start = fields[19];
    return start && /^\d+$/.test(start) ? `${bootId ?? '-'}:${pid}:${start}` : null;
  } catch {
    return null;
  }
}

/** A small /proc file, or null (no /proc, no such process). */
function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').slice(0, 4096);
  } catch {
    return null;
  }
}

/** The summary a run starts with: the instance of its process, which the next process compares. */
export function runningSummaryJson(): string {
  return JSON.stringify({ instance: processInstance(process.pid) });
}

/** Renews a running run's lease every third of `leaseMs`; call the returned function to stop. */
export function keepRunLease(ledger: Ledger, runId: string, leaseMs: number): () => void {
  const timer = setInterval(() => {
    void ledger
      .rows(sql`update runs set lease_until = now() + make_interval(secs => ${leaseMs / 1000}) where id = ${runId}::uuid and finished_at is null`)
      .catch(() => undefined);
  }, Math.max(100, Math.floor(leaseMs / 3)));
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Marks `interrupted` every run left `running` by a process that is gone, and returns them.
 *
 * @example
 * const marked = await markInterruptedRuns(ledger); // [{ runId, pid: 4242, reason: 'process 4242 on … is gone' }]
 */
export async function markInterruptedRuns(
  ledger: Ledger,
  o: { host?: string; alive?: (pid: number) => boolean; instanceOf?: (pid: number) => string | null } = {},
): Promise<InterruptedRun[]> {
  const here = o.host ?? hostname();
  const alive = o.alive ?? pidAlive;
  const instanceOf = o.instanceOf ?? processInstance;
  // Leases are written and judged by the database's clock, never this host's: a host whose clock runs
  // ahead must not take a live run elsewhere for a dead one.
  const rows = await ledger.rows<{ id: string; started_at: unknown; host: string | null; pid: number | null; instance: string | null; expired: boolean }>(sql`
    select id::text as id, started_at, host, pid, summary->>'instance' as instance, coalesce(lease_until < now(), false) as expired
    from runs where status = 'running' and finished_at is null`);
  const out: InterruptedRun[] = [];
  for (const r of rows) {
    const pid = r.pid === null ? null : Number(r.pid);
    const expired = r.expired === true || String(r.expired) === 't' || String(r.expired) === 'true';
    let reason: string | null = null;
    const sameHost = r.host === here && pid !== null;
    // This process's own pid too: a container restarted gives its new process the pid of the old one.
    const now = sameHost && r.instance ? instanceOf(pid) : null;
    if (sameHost && pid !== process.pid && !alive(pid)) reason = `its process (pid ${pid} on ${here}) is gone`;
    else if (sameHost && r.instance && now !== null && now !== r.instance) reason = `its process (pid ${pid} on ${here}) is gone; that pid is another process now`;
    else if (expired && !(r.host === here && pid === process.pid)) reason = `its process (pid ${pid ?? '?'} on ${r.host ?? 'an unknown host'}) stopped renewing its lease`;
    if (!reason) continue;
    const startedAt = new Date(String(r.started_at)).toISOString();
    const run: InterruptedRun = { runId: r.id, startedAt, host: r.host, pid, reason };
    const marked = await markRunInterrupted(ledger, r.id, `the run did not finish: ${reason} (killed, or the machine stopped)`);
    if (marked) out.push(run);
  }
  return out;
}

/** Ends a running run as `interrupted` (exit code 1) with why; false when it had already ended. */
export async function markRunInterrupted(ledger: Ledger, runId: string, reason: string): Promise<boolean> {
  const patch = { interrupted: reason, finishedAt: new Date().toISOString() };
  const rows = await ledger.rows(sql`update runs set status = 'interrupted', exit_code = 1, finished_at = now(), lease_until = null,
      summary = coalesce(summary, '{}'::jsonb) || ${storableJson(patch)}::jsonb
    where id = ${runId}::uuid and finished_at is null returning id`);
  return rows.length > 0;
}
