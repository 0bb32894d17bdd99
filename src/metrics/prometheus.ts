/**
 * `/metrics` in the Prometheus text format, computed from the ledger at scrape time, so every
 * process (serve, workers) contributes and any one of them can be scraped: dossiers pulled,
 * delivered, quarantined and dead per source and target, outbox depth, delivery latency (from the
 * receipts), seconds since the last successful run, and missed scheduled runs.
 */
import { sql } from 'drizzle-orm';
import type { Config } from '../../schemas/config.ts';
import type { Ledger } from '../ledger/db.ts';
import { evidenceStatus } from '../evidence/status.ts';
import { liveBreakers } from '../outbox/breaker.ts';

/** `lienthong_target_breaker_state` values. */
export const BREAKER_STATE_VALUE = { closed: 0, open: 1, 'half-open': 2 } as const;

/** Histogram buckets of delivery latency, seconds. */
export const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;

type Labels = Record<string, string>;

const escape = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const fmtLabels = (l: Labels) => {
  const parts = Object.entries(l).map(([k, v]) => `${k}="${escape(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

class Exposition {
  private lines: string[] = [];
  header(name: string, type: 'gauge' | 'counter' | 'histogram', help: string): void {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  }
  metric(name: string, type: 'gauge' | 'counter', help: string, samples: [Labels, number][]): void {
    this.header(name, type, help);
    for (const [labels, value] of samples) this.lines.push(`${name}${fmtLabels(labels)} ${Number.isFinite(value) ? value : 'NaN'}`);
  }
  raw(line: string): void {
    this.lines.push(line);
  }
  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}

/**
 * @example
 * app.get('/metrics', async (c) => c.text(await renderMetrics(ledger, config)));
 */
export async function renderMetrics(ledger: Ledger, config: Config, now = Date.now()): Promise<string> {
  const out = new Exposition();
  const sources = config.sources.map((s) => s.id);
  const targets = config.targets.map((t) => t.id);

  const pulled = new Map((await ledger.rows<{ source_id: string; n: number }>(sql`select source_id, count(*)::int as n from dossiers group by source_id`)).map((r) => [r.source_id, r.n]));
  const quarantined = new Map(
    (await ledger.rows<{ source_id: string; n: number }>(sql`select source_id, count(*)::int as n from quarantine where resolved_at is null group by source_id`)).map((r) => [r.source_id, r.n]),
  );
  const ids = [...new Set([...sources, ...pulled.keys(), ...quarantined.keys()])].sort();
  out.metric('lienthong_dossiers_pulled', 'gauge', 'Dossiers in the ledger, per source.', ids.map((s) => [{ source: s }, pulled.get(s) ?? 0]));
  out.metric('lienthong_dossiers_quarantined', 'gauge', 'Records in quarantine (open), per source.', ids.map((s) => [{ source: s }, quarantined.get(s) ?? 0]));

  const byStatus = await ledger.rows<{ source_id: string; target_id: string; status: string; n: number }>(sql`
    select d.source_id, q.target_id, q.status, count(*)::int as n from deliveries q join dossiers d on d.id = q.dossier_id
    group by d.source_id, q.target_id, q.status order by 1, 2, 3`);
  const pairs = new Map<string, Labels>();
  for (const s of ids) for (const t of targets) pairs.set(`${s}\u0000${t}`, { source: s, target: t });
  for (const r of byStatus) pairs.set(`${r.source_id}\u0000${r.target_id}`, { source: r.source_id, target: r.target_id });
  const count = (l: Labels, status: string) => byStatus.filter((r) => r.source_id === l['source'] && r.target_id === l['target'] && r.status === status).reduce((a, r) => a + r.n, 0);
  out.metric('lienthong_dossiers_delivered', 'gauge', 'Dossiers whose latest version the target acknowledged, per source and target.', [...pairs.values()].map((l) => [l, count(l, 'delivered')]));
  out.metric('lienthong_dossiers_dead', 'gauge', 'Dead-lettered deliveries, per source and target.', [...pairs.values()].map((l) => [l, count(l, 'dead')]));

  const depth = new Map((await ledger.rows<{ target_id: string; n: number }>(sql`select target_id, count(*)::int as n from deliveries where status = 'pending' group by target_id`)).map((r) => [r.target_id, r.n]));
  const allTargets = [...new Set([...targets, ...depth.keys()])].sort();
  out.metric('lienthong_outbox_depth', 'gauge', 'Deliveries waiting to be sent, per target.', allTargets.map((t) => [{ target: t }, depth.get(t) ?? 0]));

  await latencyHistogram(ledger, out);
  await breakerStates(ledger, config, out);

  const lastOk = await ledger.rows<{ source_id: string; finished_at: string }>(sql`
    select s->>'id' as source_id, max(r.finished_at) as finished_at
    from runs r cross join lateral jsonb_array_elements(r.summary->'sources') s
    where r.kind = 'sync' and r.finished_at is not null and not (s ? 'error') group by 1`);
  const okAt = new Map(lastOk.map((r) => [r.source_id, new Date(r.finished_at).getTime()]));
  out.metric(
    'lienthong_seconds_since_last_successful_run',
    'gauge',
    'Seconds since the last run in which the source was pulled without error (NaN: never).',
    ids.map((s) => [{ source: s }, okAt.has(s) ? Math.max(0, Math.round((now - okAt.get(s)!) / 1000)) : NaN]),
  );
  const missed = await ledger.rows<{ source_id: string; reason: string; n: number }>(sql`
    select summary->'sources'->0->>'id' as source_id, coalesce(summary->>'reason', 'unknown') as reason, count(*)::int as n
    from runs where status = 'missed' group by 1, 2 order by 1, 2`);
  out.metric('lienthong_scheduler_missed_runs_total', 'counter', 'Scheduled runs that did not happen, per source and reason.', missed.map((r) => [{ source: r.source_id, reason: r.reason }, r.n]));
  // Evidence (src/evidence): the last `ledger verify`, status only.
  const ev = await evidenceStatus(ledger);
  out.metric('lienthong_evidence_chain_verified', 'gauge', '1 when the last ledger verify found the target\'s receipt chain and checkpoints intact, 0 when not.', ev.targets.map((t) => [{ target: t.target }, t.ok ? 1 : 0]));
  out.metric('lienthong_evidence_unsigned_receipts', 'gauge', 'Receipts after the last signed checkpoint at the last ledger verify, per target.', ev.targets.map((t) => [{ target: t.target }, t.unsignedTail]));
  out.metric('lienthong_evidence_seconds_since_verify', 'gauge', 'Seconds since the last ledger verify (NaN: never).', [[{}, ev.verifiedAt ? Math.max(0, Math.round((now - Date.parse(ev.verifiedAt)) / 1000)) : NaN]]);
  return out.toString();
}

/**
 * Circuit breakers (`targets[].breaker`): the state of a breaker alive in this process, else the
 * one the latest run that drained the target recorded in its summary (0 when it has none).
 */
async function breakerStates(ledger: Ledger, config: Config, out: Exposition): Promise<void> {
  const withBreaker = config.targets.filter((t) => t.breaker).map((t) => t.id);
  if (!withBreaker.length) return;
  const live = liveBreakers();
  const recorded = await ledger.rows<{ target_id: string; state: string }>(sql`
    select distinct on (t->>'id') t->>'id' as target_id, t->'breaker'->>'state' as state
    from runs r cross join lateral jsonb_array_elements(r.summary->'targets') t
    where r.kind = 'sync' and r.finished_at is not null and t ? 'breaker'
    order by t->>'id', r.finished_at desc`);
  const stored = new Map(recorded.map((r) => [r.target_id, r.state]));
  const value = (id: string): number => {
    const state = live.get(id)?.state ?? stored.get(id);
    return state && state in BREAKER_STATE_VALUE ? BREAKER_STATE_VALUE[state as keyof typeof BREAKER_STATE_VALUE] : 0;
  };
  out.metric('lienthong_target_breaker_state', 'gauge', 'Circuit breaker of the target: 0 closed, 1 open (no call made), 2 half-open (one probe).', withBreaker.map((t) => [{ target: t }, value(t)]));
}

async function latencyHistogram(ledger: Ledger, out: Exposition): Promise<void> {
  const cols = LATENCY_BUCKETS.map((b, i) => sql`count(*) filter (where duration_ms <= ${b * 1000})::int as ${sql.identifier(`b${i}`)}`);
  const rows = await ledger.rows<Record<string, number | string>>(sql`
    select target_id, service, ${sql.join(cols, sql`, `)}, count(*)::int as n, coalesce(sum(duration_ms), 0)::float8 / 1000 as sum
    from receipts group by target_id, service order by 1, 2`);
  out.header('lienthong_delivery_latency_seconds', 'histogram', 'Duration of each call to a target (from the receipts), per target and service.');
  for (const r of rows) {
    const labels = { target: String(r['target_id']), service: String(r['service']) };
    LATENCY_BUCKETS.forEach((b, i) => out.raw(`lienthong_delivery_latency_seconds_bucket${fmtLabels({ ...labels, le: String(b) })} ${Number(r[`b${i}`])}`));
    out.raw(`lienthong_delivery_latency_seconds_bucket${fmtLabels({ ...labels, le: '+Inf' })} ${Number(r['n'])}`);
    out.raw(`lienthong_delivery_latency_seconds_sum${fmtLabels(labels)} ${Number(r['sum'])}`);
    out.raw(`lienthong_delivery_latency_seconds_count${fmtLabels(labels)} ${Number(r['n'])}`);
  }
}
