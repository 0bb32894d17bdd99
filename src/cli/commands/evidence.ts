/**
 * `lienthong evidence public-key|rotate-key|checkpoint|export|verify`: the gateway's signing key,
 * signed checkpoints and per-dossier evidence bundles (src/evidence). `verify` needs no database.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { ConfigError } from '../../errors.ts';
import { loadConfig, DEFAULT_CONFIG_PATH } from '../../config.ts';
import {
  allPublicKeys,
  exportBundle,
  keyFilePath,
  loadOrCreateSigningKey,
  publicKeyPem,
  rotateSigningKey,
  signHeads,
  spkiToPem,
  verifyBundle,
} from '../../evidence/index.ts';
import { parse } from '../args.ts';
import { withLedger } from '../context.ts';
import { readTrustedKeys } from './ledger.ts';

export const help = `lienthong evidence public-key [--config FILE] [--all]
lienthong evidence rotate-key [--config FILE]
lienthong evidence checkpoint [--config FILE] [--json]
lienthong evidence export <MaHoSo> [--config FILE] [--target ID] --out FILE
lienthong evidence verify FILE [--public-key FILE] [--json]
  public-key: prints the gateway's Ed25519 public key (PEM) for the province to publish; --all adds
    every retired key (publish them all: old checkpoints stay verifiable after a rotation).
  rotate-key: retires the signing key (kept beside it as <keyFile>.<id>.retired.pem) and creates a new one.
  checkpoint: signs every chain head not yet signed (sync does it at the end of each run, serve daily).
  export: one JSON file with the dossier's stored versions, every request sent and every answer, the
    chain links to a signed checkpoint and the public keys. It holds citizen data: for the portal's
    operator, not for publication.
  verify: checks a bundle offline (no database). Without --public-key the bundle's own keys are used
    (said so in the output); with it, only the published keys are trusted.
  Exit codes (verify): 0 verified · 2 refused, naming what does not verify · 1 error.
  Examples: npx lienthong evidence export 000.20.48.H48-261001-0001 --out ho-so.evidence.json
            npx lienthong evidence verify ho-so.evidence.json --public-key lienthong-keys.pem`;

const OPTIONS = { target: { type: 'string' }, out: { type: 'string' }, 'public-key': { type: 'string' }, all: { type: 'boolean', default: false } } as const;

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, OPTIONS);
  const [sub, arg] = positionals;
  if (values.help || !sub || !['public-key', 'rotate-key', 'checkpoint', 'export', 'verify'].includes(sub)) {
    console.log(help);
    return values.help ? 0 : 1;
  }
  if (sub === 'verify') {
    if (!arg) throw new ConfigError('evidence verify: give the bundle file (lienthong evidence verify FILE)');
    const text = await readFile(arg, 'utf8').catch((e: Error) => {
      throw new ConfigError(`${arg}: cannot be read (${e.message})`);
    });
    let bundle: unknown;
    try {
      bundle = JSON.parse(text);
    } catch {
      throw new ConfigError(`${arg}: not JSON`);
    }
    const v = verifyBundle(bundle, await readTrustedKeys(values['public-key']));
    if (values.json) console.log(JSON.stringify(v, null, 2));
    else if (v.ok) {
      console.log(`✓ ${arg}: ${v.receipts} exchange(s) verified to ${v.checkpoints} signed checkpoint(s), key(s) ${v.keys.join(', ')}`);
      if (v.keyNotPinned) console.log('  Checked against the keys inside the bundle: give --public-key with the published key to prove who signed.');
      if (v.unchained > 0) console.log(`  ${v.unchained} older receipt(s) of the dossier are unchained (written before the evidence chain existed): not covered by this proof.`);
    } else {
      console.log(`✗ ${arg}: refused\n${v.problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    return v.ok ? 0 : 2;
  }
  if (sub === 'public-key' || sub === 'rotate-key') {
    const config = await loadConfig(values.config ?? DEFAULT_CONFIG_PATH);
    const file = keyFilePath(config);
    if (sub === 'rotate-key') {
      const { retired, current } = await rotateSigningKey(file);
      console.log(`${retired ? `Retired key ${retired.keyId}; ` : ''}new signing key ${current.keyId} at ${file}. Publish every key: lienthong evidence public-key --all`);
      return 0;
    }
    const key = await loadOrCreateSigningKey(file);
    console.log(values.all ? (await allPublicKeys(file)).map(spkiToPem).join('').trimEnd() : publicKeyPem(key).trimEnd());
    return 0;
  }
  return withLedger(values.config, async (ledger, config) => {
    const key = await loadOrCreateSigningKey(keyFilePath(config));
    if (sub === 'checkpoint') {
      const made = await signHeads(ledger, key, { reason: 'manual' });
      if (values.json) console.log(JSON.stringify({ checkpoints: made }, null, 2));
      else console.log(made.length ? made.map((c) => `Signed ${c.target} at seq ${c.seq} (key ${c.keyId})`).join('\n') : 'Every chain head is signed already.');
      return 0;
    }
    if (!arg) throw new ConfigError('evidence export: give the dossier code (lienthong evidence export <MaHoSo> --out FILE)');
    if (!values.out) throw new ConfigError('evidence export: --out FILE is required (the bundle holds citizen data; it is never printed)');
    if (values.target !== undefined && !config.targets.some((t) => t.id === values.target)) {
      throw new ConfigError(`--target: no target "${values.target}" in the configuration (targets: ${config.targets.map((t) => t.id).join(', ') || 'none'})`);
    }
    const bundle = await exportBundle(ledger, arg, { key, ...(values.target === undefined ? {} : { target: values.target }) });
    const unchained = bundle.targets.reduce((a, t) => a + (t.unchained ?? 0), 0);
    if (bundle.targets.length === 0) {
      console.error(`No exchange with a portal is recorded for dossier ${arg}${values.target ? ` and target ${values.target}` : ''}: nothing to export.`);
      return 2;
    }
    await writeFile(values.out, JSON.stringify(bundle, null, 2) + '\n', { mode: 0o600 });
    const n = bundle.targets.reduce((a, t) => a + t.segments.reduce((b, s) => b + s.entries.filter((e) => 'receipt' in e).length, 0), 0);
    console.log(`Wrote ${values.out}: ${n} exchange(s) of ${arg} with ${bundle.targets.map((t) => t.target).join(', ')}${unchained ? `, and ${unchained} older unchained receipt(s) (before the evidence chain: counted, not provable)` : ''}. It holds citizen data: send it to the portal's operator only.`);
    return 0;
  });
}
