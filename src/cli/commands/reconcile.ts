import { writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { ConfigError } from '../../errors.ts';
import { BUCKET_LABELS_VI } from '../../reconcile/buckets.ts';
import { diffReconciliations, listReconciliations, loadReconciliation, recordRepairs } from '../../reconcile/history.ts';
import { listRepairActions, repair, undoRepair } from '../../reconcile/repair.ts';
import { describeDetail, notComparedOf, toCsv, toHtml, toXlsx } from '../../reconcile/report-formats.ts';
import { reconcile } from '../../reconcile/run.ts';
import type { ReconcileReport } from '../../reconcile/types.ts';
import { parse } from '../args.ts';
import { withLedger } from '../context.ts';
import { table } from '../format.ts';
import { writeReconcileEvidence } from '../../reconcile/evidence.ts';
import { VN_OFFSET_MS } from '../../dossier/time.ts';
import { formatDateVi, formatInstantVi, formatWhen } from '../../reports/formats/vi-number.ts';

export const help = `lienthong reconcile --target ID [--source ID] [--from YYYY-MM-DD --to YYYY-MM-DD] [--unit CODE]
                    [--deep] [--max-lookups N] [--repair] [--format json|csv|xlsx|html] [--out FILE] [--evidence DIR]
lienthong reconcile history [--json] | show ID [--format …] | diff ID1 ID2 [--json]
lienthong reconcile repairs ID [--json] | undo ID [--json]
  Compares, per unit × Biểu 06 / 766 bucket, the source, the ledger, what the portal acknowledged
  and what the portal holds, and lists every differing dossier with its reason. --repair re-pulls
  what the ledger misses, marks deleted what the source (asked again) no longer lists, and
  re-queues what the portal misses or holds stale (run sync after it). A push-only source cannot
  be listed: it is reported as "could not compare" and nothing of it is ever marked deleted.
  Every repair action is recorded with the row as it was: \`repairs ID\` lists them, \`undo ID\`
  reverts those nothing changed since (a deletion lifted, a re-pulled version rolled back, a
  delivery not attempted since put back) and says why it left the others.
  Default period: the previous calendar month. Exit 0 = everything agrees; 2 = differences, or a source
  that could not be compared (the headline names it); 1 = failure.
  --evidence DIR: an evidence bundle (what was sent, when, what the portal answered) for every
  missing_on_portal / portal_stale dossier, linked from the HTML report; they hold citizen data.
  Example: npx lienthong reconcile --target national --from 2026-10-01 --to 2026-10-31 --format html --out doi-soat.html
  Example: npx lienthong reconcile undo 3f2a9c1e`;

/** The calendar month before the one `now` falls in, in Vietnam. */
export function previousMonth(now = new Date()): { from: string; to: string } {
  const local = new Date(now.getTime() + VN_OFFSET_MS);
  const first = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1));
  const last = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 0));
  return { from: first.toISOString().slice(0, 10), to: last.toISOString().slice(0, 10) };
}

async function emit(report: ReconcileReport, format: string, out: string | undefined): Promise<void> {
  if (format === 'xlsx') {
    if (!out) throw new ConfigError('--format xlsx needs --out FILE');
    await writeFile(out, await toXlsx(report));
    return;
  }
  const text = format === 'json' ? JSON.stringify(report, null, 2) : format === 'csv' ? toCsv(report) : format === 'html' ? toHtml(report) : summary(report);
  if (out) await writeFile(out, text);
  else console.log(text);
}

function summary(r: ReconcileReport): string {
  const rows = r.counts.filter((c) => c.differs);
  const lines = [`Reconciliation ${r.id}  ${r.scope.target}  ${formatDateVi(r.scope.from)} → ${formatDateVi(r.scope.to)}${r.scope.unit ? `  unit ${r.scope.unit}` : ''}  (${formatInstantVi(String(r.createdAt))}, Vietnam time)`];
  if (rows.length) lines.push(table(['unit', 'bucket', 'source', 'ledger', 'delivered', 'portal'], rows.map((c) => [c.unitCode, BUCKET_LABELS_VI[c.bucket], c.source, c.ledger, c.delivered, c.portal])));
  if (r.differences.length) lines.push(table(['MaHoSo', 'unit', 'reason', 'detail'], r.differences.map((d) => [d.code, d.unitCode, d.reason, describeDetail(d).slice(0, 120)])));
  for (const s of r.stats.sources) {
    lines.push(s.keys ? `source ${s.id}: ${s.keys.method}, ${s.keys.requests} requests, ${s.keys.rowsListed} rows listed, ${s.keys.ms} ms` : `source ${s.id}: could not compare`);
  }
  lines.push(`portal: ${r.stats.portal.lookups} look-ups${r.stats.portal.published ? ', published figures compared' : ''}`);
  for (const n of r.notes) lines.push(`note: ${n}`);
  const notCompared = notComparedOf(r);
  const agreed = r.differences.length === 0 && !r.counts.some((c) => c.differs);
  lines.push(
    agreed
      ? notCompared.length
        ? `Agrees where compared; NOT compared: ${notCompared.join('; ')}.`
        : 'Everything agrees.'
      : `${r.differences.length} differing dossier(s), ${rows.length} count row(s) differ.${notCompared.length ? ` Not compared: ${notCompared.join('; ')}.` : ''}`,
  );
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, {
    target: { type: 'string' },
    source: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    unit: { type: 'string' },
    deep: { type: 'boolean', default: false },
    repair: { type: 'boolean', default: false },
    'max-lookups': { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    evidence: { type: 'string' },
  });
  if (values.help) {
    console.log(help);
    return 0;
  }
  const format = values.format ?? (values.json ? 'json' : 'text');
  if (!['json', 'csv', 'xlsx', 'html', 'text'].includes(format)) throw new ConfigError(`--format must be json, csv, xlsx or html (got "${format}")`);
  const [sub, ...ids] = positionals;
  return withLedger(values.config, async (ledger, config) => {
    if (sub === 'history') {
      const entries = await listReconciliations(ledger);
      if (values.json) console.log(JSON.stringify(entries, null, 2));
      // People read local times (Vietnam) and dd/MM/yyyy; --json keeps ISO for programs.
      else console.log(table(['id', 'when', 'who', 'target', 'period', 'unit', 'differences', 'repaired'], entries.map((e) => [e.id, formatInstantVi(String(e.createdAt)), e.createdBy, e.scope.target, `${formatDateVi(e.scope.from)} → ${formatDateVi(e.scope.to)}`, e.scope.unit ?? '', e.differenceCount, e.repaired ? 'yes' : ''])));
      return 0;
    }
    if (sub === 'show') {
      if (!ids[0]) throw new ConfigError('reconcile show needs an id (see: lienthong reconcile history)');
      const report = await loadReconciliation(ledger, ids[0]);
      await emit(report, format, values.out);
      return report.exitCode;
    }
    if (sub === 'diff') {
      if (ids.length !== 2) throw new ConfigError('reconcile diff needs two ids');
      const d = await diffReconciliations(ledger, ids[0] as string, ids[1] as string);
      if (values.json || format === 'json') console.log(JSON.stringify(d, null, 2));
      else {
        const rows = [...d.appeared.map((x) => ['+', x.code, x.reason]), ...d.resolved.map((x) => ['−', x.code, x.reason]), ...d.changed.map((x) => ['~', x.code, `${x.before} → ${x.after}`])];
        console.log(rows.length ? table(['', 'MaHoSo', 'reason'], rows) : 'Same differences in both.');
        if (d.counts.length) console.log(table(['unit', 'bucket', 'side', 'before', 'after'], d.counts.map((c) => [c.unitCode, c.bucket, c.side, c.before, c.after])));
      }
      return d.appeared.length || d.changed.length ? 2 : 0;
    }
    if (sub === 'repairs') {
      if (!ids[0]) throw new ConfigError('reconcile repairs needs an id (see: lienthong reconcile history)');
      const actions = await listRepairActions(ledger, ids[0]);
      if (values.json) console.log(JSON.stringify(actions, null, 2));
      // Vietnam time for people, as `history`; --json keeps ISO.
      else console.log(table(['#', 'when', 'who', 'action', 'source', 'MaHoSo', 'undone'], actions.map((a) => [a.id, formatWhen(a.createdAt), a.createdBy, a.action, a.sourceId, a.code, a.undoneAt ? `${formatWhen(a.undoneAt)} ${a.undoneBy ?? ''}`.trim() : (a.undoNote ?? '')])));
      return 0;
    }
    if (sub === 'undo') {
      if (!ids[0]) throw new ConfigError('reconcile undo needs an id (see: lienthong reconcile history)');
      const done = await undoRepair(ledger, ids[0], { by: process.env['LIENTHONG_USER'] ?? userInfo().username });
      if (values.json) console.log(JSON.stringify(done, null, 2));
      else {
        console.log(`undo ${done.reconciliationId}: ${done.undone} action(s) reverted, ${done.skipped} left as they are`);
        if (done.notes.length) console.log(table(['#', 'action', 'MaHoSo', 'why not'], done.notes.map((n) => [n.id, n.action, n.code, n.note])));
      }
      return done.skipped ? 2 : 0;
    }
    if (sub !== undefined) throw new ConfigError(`unknown reconcile sub-command "${sub}" (history, show, diff, repairs, undo)`);
    const targetId = values.target ?? (config.targets.length === 1 ? config.targets[0]?.id : undefined);
    if (!targetId) throw new ConfigError('--target is required when several targets are configured');
    if ((values.from === undefined) !== (values.to === undefined)) throw new ConfigError('--from and --to go together');
    const period = values.from && values.to ? { from: values.from, to: values.to } : previousMonth();
    const maxLookups = values['max-lookups'] === undefined ? undefined : Number(values['max-lookups']);
    if (maxLookups !== undefined && !(Number.isInteger(maxLookups) && maxLookups >= 0)) throw new ConfigError('--max-lookups must be a whole number ≥ 0');
    let report: ReconcileReport;
    try {
      report = await reconcile(ledger, config, {
        targetId,
        ...period,
        ...(values.source ? { sourceIds: [values.source] } : {}),
        ...(values.unit ? { unit: values.unit } : {}),
        ...(maxLookups === undefined ? {} : { maxLookups }),
        deep: values.deep,
        env: process.env,
        createdBy: process.env['LIENTHONG_USER'] ?? userInfo().username,
      });
    } catch (e) {
      if (e instanceof RangeError) throw new ConfigError(e.message);
      throw e;
    }
    if (values.evidence) {
      // Evidence bundles of missing_on_portal / portal_stale dossiers (src/reconcile/evidence.ts), linked from the HTML.
      const ev = await writeReconcileEvidence(ledger, config, report, values.evidence, { reportFile: values.out });
      console.error(`evidence: ${ev.written.length} bundle(s) in ${values.evidence}${ev.withoutExchange.length ? `; no exchange recorded for ${ev.withoutExchange.join(', ')} (never sent)` : ''}. They hold citizen data: for the portal's operator only.`);
    }
    await emit(report, format, values.out);
    if (values.repair && report.differences.length) {
      const done = await repair(ledger, config, report, { createdBy: process.env['LIENTHONG_USER'] ?? userInfo().username });
      await recordRepairs(ledger, report.id, done);
      console.error(`repair: ${JSON.stringify(done)} — run \`lienthong sync\` to deliver, then reconcile again (review: \`lienthong reconcile repairs ${report.id.slice(0, 8)}\`, revert: \`lienthong reconcile undo ${report.id.slice(0, 8)}\`)`);
    }
    return report.exitCode;
  });
}
