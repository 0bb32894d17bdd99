/**
 * `lienthong ledger verify [--target ID] [--public-key FILE]`: walks every receipt chain and its
 * signed checkpoints (src/evidence) and names the first receipt that does not verify.
 * Exit 0 verified (an unsigned tail is reported, not refused); 2 something does not verify; 1 error.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../errors.ts';
import { publicKeysFromPem, recordVerification, verifyLedger, type LedgerVerification } from '../../evidence/index.ts';
import { formatCount } from '../../reports/formats/vi-number.ts';
import { parse } from '../args.ts';
import { withLedger } from '../context.ts';

export const help = `lienthong ledger verify [--config FILE] [--target ID] [--public-key FILE] [--json]
  Walks the hash chain of every target's receipts and every signed checkpoint; names the first
  receipt that does not verify (deleted, reordered or changed) per target. Receipts after the last
  checkpoint (a run that stopped before signing) are reported as the unsigned tail, not as tampering.
  --public-key FILE: the published public key(s) (PEM); checkpoints signed by another key are refused.
  Exit codes: 0 verified · 2 something does not verify · 1 error.
  Example: npx lienthong ledger verify --target national`;

const OPTIONS = { target: { type: 'string' }, 'public-key': { type: 'string' } } as const;

export async function readTrustedKeys(file: string | undefined): Promise<string[] | undefined> {
  if (file === undefined) return undefined;
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new ConfigError(`--public-key ${file}: cannot be read (${e.message})`);
  });
  const keys = publicKeysFromPem(text);
  if (keys.length === 0) throw new ConfigError(`--public-key ${file}: no PEM public key in it`);
  return keys;
}

export function describeVerification(v: LedgerVerification): string {
  const lines: string[] = [];
  for (const t of v.targets) {
    if (t.ok) {
      const tail = t.unsignedTail > 0 ? `; ${formatCount(t.unsignedTail)} receipt(s) after the last checkpoint are not signed yet (unsigned tail, not tampering)` : '';
      lines.push(`✓ ${t.target}: ${formatCount(t.receipts)} receipt(s) verified, ${formatCount(t.checkpoints)} checkpoint(s), signed up to seq ${t.lastSignedSeq}${tail}`);
    } else {
      const p = t.problem!;
      lines.push(`✗ ${t.target}: receipt seq ${p.seq}${p.receiptId === null ? '' : ` (#${p.receiptId})`} does not verify [${p.place}]: ${p.detail}`);
    }
  }
  if (v.targets.length === 0) lines.push('No receipt chain yet: nothing to verify.');
  if (v.unchained > 0) lines.push(`${formatCount(v.unchained)} receipt(s) unchained: written before the evidence chain existed (migration 0007), not covered by it; not tampering.`);
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  if (values.help || positionals[0] !== 'verify') {
    console.log(help);
    return values.help ? 0 : 1;
  }
  const trusted = await readTrustedKeys(values['public-key']);
  return withLedger(values.config, async (ledger) => {
    const v = await verifyLedger(ledger, { ...(values.target === undefined ? {} : { target: values.target }), ...(trusted ? { trusted } : {}) });
    await recordVerification(ledger, v, randomUUID());
    console.log(values.json ? JSON.stringify(v, null, 2) : describeVerification(v));
    return v.ok ? 0 : 2;
  });
}
