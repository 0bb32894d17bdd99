/**
 * Tables for people (cli-table3); machines get JSON with --json.
 */
import Table from 'cli-table3';
import type { RunSummary } from '../pipeline/sync.ts';

export function table(head: string[], rows: (string | number | null)[][]): string {
  const t = new Table({ head, style: { head: [], border: [] } });
  for (const r of rows) t.push(r.map((c) => (c === null ? '' : String(c))));
  return t.toString();
}

export function formatRunSummary(s: RunSummary): string {
  const lines = [`Run ${s.runId}  ${s.startedAt} → ${s.finishedAt}`];
  if (s.sources.length) {
    lines.push(
      table(
        ['source', 'pulled', 'new', 'changed', 'unchanged', 'quarantined', 'error'],
        s.sources.map((x) => [x.id, x.pulled, x.new, x.changed, x.unchanged, x.quarantined, x.error ?? '']),
      ),
    );
  }
  if (s.targets.length) {
    lines.push(table(['target', 'delivered', 'failed attempts', 'pending', 'dead'], s.targets.map((x) => [x.id, x.delivered, x.failedAttempts, x.pending, x.dead])));
    for (const x of s.targets) {
      // Wire profile warnings (src/dossier/wire-policy.ts); the details are in `lienthong dossier show`.
      if (x.truncated) lines.push(`${x.id}: ${x.truncated} deliveries with a text cut to the portal's limit (truncated; the ledger keeps the full text)`);
      if (x.codePrefix) lines.push(`${x.id}: ${x.codePrefix} deliveries whose MaHoSo does not start with a unit code of the province (codePrefix)`);
      if (x.lookups) lines.push(`${x.id}: ${x.lookups} dossiers looked up before their first push (firstPush "lookup"), ${x.foundOnPortal ?? 0} already on the portal: sent as updates`);
    }
  }
  lines.push(...runAttention(s));
  return lines.join('\n');
}

/**
 * Why a run needs attention, pointing at what actually failed: each failed target with its cause,
 * the portal's last answer and when it is tried next; sources that failed or quarantined records;
 * earlier runs found interrupted.
 */
function runAttention(s: RunSummary): string[] {
  const out: string[] = [];
  for (const r of s.interrupted ?? []) out.push(`Earlier run ${r.runId.slice(0, 8)} did not finish (${r.reason}): marked interrupted.`);
  for (const x of s.sources) if (x.reread) out.push(`source ${x.id}: read again from the beginning (${x.reread === 'options' ? 'its options changed since its files were read' : '--reread'}).`);
  if (s.exitCode === 0) return [...out, 'All pulled records valid and all due deliveries delivered.'];
  const next: string[] = [];
  for (const t of s.targets) {
    const f = t.failure;
    if (!f) continue;
    out.push(`target ${t.id}: ${f.cause}`);
    if (f.lastAnswer) out.push(`  last portal answer: ${f.lastAnswer}`);
    out.push(`  ${f.next}`);
    next.push(f.dead ? `\`lienthong deliveries list --target ${t.id} --status dead\`` : `\`lienthong deliveries list --target ${t.id}\``);
  }
  for (const x of s.sources) {
    if (x.error) {
      out.push(`source ${x.id} failed: ${x.error}`);
      next.push(`\`lienthong source test ${x.id}\``);
    } else if (x.quarantined) next.push(`\`lienthong quarantine list --source ${x.id}\` (${x.quarantined} quarantined)`);
  }
  out.push(next.length ? `Needs attention: see ${next.join(', ')}.` : 'Needs attention: deliveries are pending (see `lienthong deliveries list`).');
  return out;
}
