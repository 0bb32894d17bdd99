/**
 * `/metrics` in the Prometheus text format, computed from the ledger at scrape time, so every
 * process (serve, workers) contributes and any one of them can be scraped: dossiers pulled,
 * delivered, quarantined and dead per source and target, outbox depth, delivery latency (from the
 * receipts), seconds since the last successful run, and missed scheduled runs.
 */
import type { Config } from '../../schemas/config.ts';
import type { Ledger } from '../ledger/db.ts';
import { countsBySource, deliveryStatusCounts, lastReceiptId, latencyCounts, outboxDepth, type LatencyRow } from '../ledger/metrics-read.ts';
import { lastRecordedBreakerStates, lastSuccessBySource, missedRunCounts } from '../ledger/runs-read.ts';
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

  const { dossiers: pulled, quarantined } = await countsBySource(ledger);
  const ids = [...new Set([...sources, ...pulled.keys(), ...quarantined.keys()])].sort();
  out.metric('lienthong_dossiers_pulled', 'gauge', 'Dossiers in the ledger, per source.', ids.map((s) => [{ source: s }, pulled.get(s) ?? 0]));
  out.metric('lienthong_dossiers_quarantined', 'gauge', 'Records in quarantine (open), per source.', ids.map((s) => [{ source: s }, quarantined.get(s) ?? 0]));

  const byStatus = await deliveryStatusCounts(ledger);
  const pairs = new Map<string, Labels>();
  for (const s of ids) for (const t of targets) pairs.set(`${s}\u0000${t}`, { source: s, target: t });
  for (const r of byStatus) pairs.set(`${r.sourceId}\u0000${r.targetId}`, { source: r.sourceId, target: r.targetId });
  const count = (l: Labels, status: string) => byStatus.filter((r) => r.sourceId === l['source'] && r.targetId === l['target'] && r.status === status).reduce((a, r) => a + r.count, 0);
  out.metric('lienthong_dossiers_delivered', 'gauge', 'Dossiers whose latest version the target acknowledged, per source and target.', [...pairs.values()].map((l) => [l, count(l, 'delivered')]));
  out.metric('lienthong_dossiers_dead', 'gauge', 'Dead-lettered deliveries, per source and target.', [...pairs.values()].map((l) => [l, count(l, 'dead')]));

  const depth = await outboxDepth(ledger);
  const allTargets = [...new Set([...targets, ...depth.keys()])].sort();
  out.metric('lienthong_outbox_depth', 'gauge', 'Deliveries waiting to be sent, per target.', allTargets.map((t) => [{ target: t }, depth.get(t) ?? 0]));

  await latencyHistogram(ledger, out);
  await breakerStates(ledger, config, out);

  const okAt = await lastSuccessBySource(ledger);
  out.metric(
    'lienthong_seconds_since_last_successful_run',
    'gauge',
    'Seconds since the last run in which the source was pulled without error (NaN: never).',
    ids.map((s) => [{ source: s }, okAt.has(s) ? Math.max(0, Math.round((now - okAt.get(s)!) / 1000)) : NaN]),
  );
  const missed = await missedRunCounts(ledger);
  out.metric('lienthong_scheduler_missed_runs_total', 'counter', 'Scheduled runs that did not happen, per source and reason.', missed.map((r) => [{ source: r.sourceId, reason: r.reason }, r.count]));
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
  const stored = await lastRecordedBreakerStates(ledger);
  const value = (id: string): number => {
    const state = live.get(id)?.state ?? stored.get(id);
    return state && state in BREAKER_STATE_VALUE ? BREAKER_STATE_VALUE[state as keyof typeof BREAKER_STATE_VALUE] : 0;
  };
  out.metric('lienthong_target_breaker_state', 'gauge', 'Circuit breaker of the target: 0 closed, 1 open (no call made), 2 half-open (one probe).', withBreaker.map((t) => [{ target: t }, value(t)]));
}

/**
 * The latency histogram is a set of counters, kept per ledger by this process and grown by the
 * receipts recorded since the last scrape, so a scrape reads what changed, not every receipt ever
 * written. Receipts up to the highest id seen at the previous scrape are folded into the counters
 * (by then every transaction that took such an id has long committed); the newer ones are counted
 * on top at each scrape until the next one folds them. The first scrape of a process reads every
 * receipt once. Counters never go down (receipts removed later stay counted), as Prometheus expects.
 */
interface LatencyState {
  folded: Map<string, LatencyRow>;
  /** Receipts up to this id are in `folded`. */
  foldedUpTo: number;
  /** The highest id seen at the last scrape: folded at the next. */
  seenUpTo: number;
}
const latencyStates = new WeakMap<Ledger, LatencyState>();
/** At a process's first scrape, the newest receipts (ids) not folded yet: a transaction may still hold one. */
const UNSETTLED_IDS = 10_000;

function addRows(into: Map<string, LatencyRow>, rows: readonly LatencyRow[]): void {
  for (const r of rows) {
    const key = `${r.targetId}\u0000${r.service}`;
    const had = into.get(key);
    into.set(key, had ? { ...had, atOrUnder: had.atOrUnder.map((n, i) => n + (r.atOrUnder[i] ?? 0)), count: had.count + r.count, sumSeconds: had.sumSeconds + r.sumSeconds } : { ...r, atOrUnder: [...r.atOrUnder] });
  }
}

async function latencyHistogram(ledger: Ledger, out: Exposition): Promise<void> {
  let state = latencyStates.get(ledger);
  if (!state) {
    // The first scrape folds all but the newest receipts at once (one scan), not twice.
    state = { folded: new Map(), foldedUpTo: 0, seenUpTo: Math.max(0, (await lastReceiptId(ledger)) - UNSETTLED_IDS) };
    latencyStates.set(ledger, state);
  }
  if (state.seenUpTo > state.foldedUpTo) {
    const settled = await latencyCounts(ledger, LATENCY_BUCKETS, { afterId: state.foldedUpTo, upToId: state.seenUpTo });
    addRows(state.folded, settled.rows);
    state.foldedUpTo = state.seenUpTo;
  }
  const recent = await latencyCounts(ledger, LATENCY_BUCKETS, { afterId: state.foldedUpTo });
  if (recent.maxId !== null) state.seenUpTo = Math.max(state.seenUpTo, recent.maxId);
  const shown = new Map([...state.folded].map(([k, r]) => [k, { ...r, atOrUnder: [...r.atOrUnder] }]));
  addRows(shown, recent.rows);
  out.header('lienthong_delivery_latency_seconds', 'histogram', 'Duration of each call to a target (from the receipts), per target and service.');
  for (const r of [...shown.values()].sort((a, b) => (a.targetId === b.targetId ? (a.service < b.service ? -1 : 1) : a.targetId < b.targetId ? -1 : 1))) {
    const labels = { target: r.targetId, service: r.service };
    LATENCY_BUCKETS.forEach((b, i) => out.raw(`lienthong_delivery_latency_seconds_bucket${fmtLabels({ ...labels, le: String(b) })} ${r.atOrUnder[i]}`));
    out.raw(`lienthong_delivery_latency_seconds_bucket${fmtLabels({ ...labels, le: '+Inf' })} ${r.count}`);
    out.raw(`lienthong_delivery_latency_seconds_sum${fmtLabels(labels)} ${r.sumSeconds}`);
    out.raw(`lienthong_delivery_latency_seconds_count${fmtLabels(labels)} ${r.count}`);
  }
}
