/**
 * Why a target's deliveries did not all go through, for the run summary: the cause of the most
 * recent failure (login refused, connection refused at which URL, no answer in time…), the
 * portal's last answer (cleaned by src/privacy.ts), and when it will be tried next.
 */
import { sql } from 'drizzle-orm';
import type { TargetConfig } from '../../schemas/config.ts';
import type { Ledger } from '../ledger/db.ts';
import type { TargetSummary } from '../outbox/index.ts';
import { VN_OFFSET_MS } from '../dossier/time.ts';
import { cleanMessage } from '../privacy.ts';

/** An instant as people in Vietnam read it: `dd/MM/yyyy HH:mm` local time (UTC+7). */
export function localTime(iso: string): string {
  const d = new Date(Date.parse(iso) + VN_OFFSET_MS).toISOString();
  return `${d.slice(8, 10)}/${d.slice(5, 7)}/${d.slice(0, 4)} ${d.slice(11, 16)}`;
}

export interface TargetFailure {
  /** The latest failure, in words (what `deliveries list` shows as last error), with the URL when the portal could not be reached. */
  cause: string;
  /** What the portal last answered to it (error code and message), when it answered. */
  lastAnswer?: string;
  /** Deliveries pending, dead, and when the next pending one is due (ISO instant). */
  pending: number;
  dead: number;
  nextAttemptAt?: string;
  /** What to do next, for people. */
  next: string;
}

export type TargetRunSummary = TargetSummary & { failure?: TargetFailure };

const NETWORK = /connection failed|no answer within|ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ECONNRESET/;

/** The URL a failure concerns: the login URL for a refused login, else the service's. */
function urlOf(target: TargetConfig, message: string): string {
  const base = target.baseUrl.replace(/\/+$/, '');
  if (target.style === 'session') return `${base}${/login|auth/i.test(message) ? target.loginPath : target.servicePath}`;
  return `${base}${target.insertPath}`;
}

function answerText(answer: unknown): string | undefined {
  const a = typeof answer === 'string' ? (JSON.parse(answer) as unknown) : answer;
  if (!a || typeof a !== 'object') return undefined;
  const r = a as Record<string, unknown>;
  const parts: string[] = [];
  if (r['error_code'] !== undefined && r['error_code'] !== null && r['error_code'] !== '') parts.push(`error_code ${String(r['error_code'])}`);
  if (typeof r['message'] === 'string' && r['message']) parts.push(r['message']);
  if (!parts.length && typeof r['status'] === 'number') parts.push(`HTTP ${r['status']}`);
  return parts.length ? cleanMessage(parts.join(': '), [], 300) : undefined;
}

/**
 * The failure of a target after a run, or undefined when nothing is pending or dead.
 *
 * @example
 * const f = await targetFailure(ledger, target); // { cause: 'login refused: Sai mật khẩu', dead: 3, next: '…' }
 */
export async function targetFailure(ledger: Ledger, target: TargetConfig): Promise<TargetFailure | undefined> {
  const [counts] = await ledger.rows<{ pending: number; dead: number; next_at: unknown }>(sql`
    select count(*) filter (where status = 'pending')::int as pending, count(*) filter (where status = 'dead')::int as dead,
      min(next_attempt_at) filter (where status = 'pending') as next_at
    from deliveries where target_id = ${target.id} and status in ('pending', 'dead')`);
  const pending = Number(counts?.pending ?? 0);
  const dead = Number(counts?.dead ?? 0);
  if (pending === 0 && dead === 0) return undefined;
  const [last] = await ledger.rows<{ last_error: string; last_answer: unknown }>(sql`
    select last_error, last_answer from deliveries where target_id = ${target.id} and status in ('pending', 'dead') and last_error is not null
    order by updated_at desc limit 1`);
  const message = last ? cleanMessage(String(last.last_error), [], 500) : '';
  const cause = !last
    ? 'not attempted yet: the run ended first (its deadline, sync.deadlineMs)'
    : NETWORK.test(message)
      ? `${message} — the portal could not be reached at ${urlOf(target, message)}`
      : message;
  const nextAt = counts?.next_at === null || counts?.next_at === undefined ? undefined : new Date(String(counts.next_at)).toISOString();
  const steps: string[] = [];
  if (pending) steps.push(`${pending} pending: tried again by the next sync${nextAt ? `, due from ${localTime(nextAt)}` : ''}`);
  if (dead) steps.push(`${dead} dead: not tried again by itself — fix the cause, then \`lienthong deliveries retry --target ${target.id}\``);
  const answer = last ? answerText(last.last_answer) : undefined;
  return { cause, ...(answer ? { lastAnswer: answer } : {}), pending, dead, ...(nextAt ? { nextAttemptAt: nextAt } : {}), next: steps.join('; ') };
}
