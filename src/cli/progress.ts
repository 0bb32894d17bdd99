/**
 * Live progress of a sync on the terminal (stderr), only when it is a terminal and the user did
 * not ask for --quiet or --json: one line per source (pulled so far) and per target (delivered).
 */
import cliProgress from 'cli-progress';
import type { TargetSummary } from '../outbox/index.ts';
import type { SourceSummary } from '../pipeline/ingest.ts';

export interface SyncProgress {
  onSource(s: SourceSummary): void;
  onTarget(t: TargetSummary): void;
  stop(): void;
}

const NONE: SyncProgress = { onSource: () => {}, onTarget: () => {}, stop: () => {} };

export function createSyncProgress(opts: { quiet: boolean; json: boolean; stream?: NodeJS.WriteStream }): SyncProgress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet || opts.json || !stream.isTTY) return NONE;
  const multi = new cliProgress.MultiBar(
    { stream, format: '{kind} {id} | {text}', hideCursor: true, clearOnComplete: false, fps: 5, noTTYOutput: false },
    cliProgress.Presets.shades_grey,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  const line = (key: string, kind: string, id: string, text: string) => {
    let bar = bars.get(key);
    if (!bar) bars.set(key, (bar = multi.create(1, 0, { kind, id, text })));
    bar.update(0, { kind, id, text });
  };
  return {
    onSource: (s) => line(`s:${s.id}`, 'source', s.id, `pulled ${s.pulled} · new ${s.new} · changed ${s.changed} · unchanged ${s.unchanged} · quarantined ${s.quarantined}`),
    onTarget: (t) => line(`t:${t.id}`, 'target', t.id, `delivered ${t.delivered} · failed attempts ${t.failedAttempts}`),
    stop: () => multi.stop(),
  };
}
