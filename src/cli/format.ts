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
  }
  lines.push(
    s.exitCode === 0
      ? 'All pulled records valid and all due deliveries delivered.'
      : 'Needs attention: see `lienthong quarantine list` and dead or pending deliveries above.',
  );
  return lines.join('\n');
}
