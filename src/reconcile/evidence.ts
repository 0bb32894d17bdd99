/**
 * `reconcile --evidence DIR`: a bundle for every dossier the reconciliation found missing on the
 * portal or stale there — what was sent, when, and what the portal answered — ready to attach to
 * a letter to the portal's operator. Each difference gets `detail.evidence` (the file, relative to
 * the report when there is one) so the HTML report links it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import type { Ledger } from '../ledger/db.ts';
import type { ReconcileReport } from './types.ts';
import { exportBundle } from '../evidence/bundle.ts';
import { keyFilePath, loadOrCreateSigningKey } from '../evidence/keys.ts';

export const EVIDENCE_REASONS = ['missing_on_portal', 'portal_stale'] as const;

export const bundleFileName = (code: string, target: string) => `${code.replace(/[^A-Za-z0-9._-]/g, '_')}.${target}.evidence.json`;

export async function writeReconcileEvidence(
  ledger: Ledger,
  config: Config,
  report: ReconcileReport,
  dir: string,
  options: { reportFile?: string | undefined } = {},
): Promise<{ written: string[]; withoutExchange: string[] }> {
  const key = await loadOrCreateSigningKey(keyFilePath(config));
  await mkdir(dir, { recursive: true });
  const target = report.scope.target;
  const written: string[] = [];
  const withoutExchange: string[] = [];
  for (const d of report.differences) {
    if (!(EVIDENCE_REASONS as readonly string[]).includes(d.reason)) continue;
    const bundle = await exportBundle(ledger, d.code, { target, key });
    if (bundle.targets.length === 0) {
      withoutExchange.push(d.code);
      continue;
    }
    const file = join(dir, bundleFileName(d.code, target));
    await writeFile(file, JSON.stringify(bundle, null, 2) + '\n', { mode: 0o600 });
    written.push(file);
    d.detail['evidence'] = options.reportFile ? relative(dirname(resolve(options.reportFile)), resolve(file)) : file;
  }
  return { written, withoutExchange };
}
