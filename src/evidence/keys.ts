/**
 * The gateway's Ed25519 signing key: created on first use (PKCS#8 PEM, mode 0600) under the data
 * folder or at `evidence.keyFile`. A rotation keeps the old key's public half beside it (and every
 * checkpoint keeps the public key that signed it), so old checkpoints and bundles still verify.
 */
import { generateKeyPairSync, createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { mkdir, readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Config } from '../../schemas/config.ts';
import { ConfigError } from '../errors.ts';
import { resolveDatabaseUrl } from '../ledger/db.ts';
import { checkpointText, keyIdOf, spkiToPem, type CheckpointFields } from './canonical.ts';

export interface SigningKey {
  keyId: string;
  /** SPKI DER, base64. */
  publicKey: string;
  privateKey: KeyObject;
  file: string;
}

/** The data folder: beside the embedded database (`pglite:.lienthong/db` → `.lienthong`), else `.lienthong`. */
export function dataFolder(config: Pick<Config, 'database'>, env: Record<string, string | undefined> = process.env): string {
  const url = resolveDatabaseUrl(config.database, env);
  if (url.startsWith('pglite:') && url !== 'pglite:memory' && url !== 'pglite:') return dirname(url.slice('pglite:'.length));
  return '.lienthong';
}

/** Where the signing key lives: `evidence.keyFile`, else `<data folder>/evidence/signing-key.pem`. */
export function keyFilePath(config: Pick<Config, 'database'> & { evidence?: { keyFile?: string | undefined } | undefined }, env: Record<string, string | undefined> = process.env): string {
  return config.evidence?.keyFile ?? join(dataFolder(config, env), 'evidence', 'signing-key.pem');
}

function fromPrivate(privateKey: KeyObject, file: string): SigningKey {
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new ConfigError(`evidence key ${file}: not an Ed25519 private key (found ${privateKey.asymmetricKeyType ?? 'unknown'})`);
  const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).toString('base64');
  return { keyId: keyIdOf(publicKey), publicKey, privateKey, file };
}

/** Reads the key at `file`; null when there is none. */
export async function readSigningKey(file: string): Promise<SigningKey | null> {
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`evidence key ${file}: cannot be read (${(e as Error).message})`);
  }
  try {
    return fromPrivate(createPrivateKey({ key: pem, format: 'pem' }), file);
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(`evidence key ${file}: not a PEM private key`);
  }
}

/** The key at `file`, created (with its folder) when there is none yet. */
export async function loadOrCreateSigningKey(file: string): Promise<SigningKey> {
  const existing = await readSigningKey(file);
  if (existing) return existing;
  const { privateKey } = generateKeyPairSync('ed25519');
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(file, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    // Another process created it at the same moment: use that one.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return (await readSigningKey(file))!;
  }
  return fromPrivate(privateKey, file);
}

const retiredName = (file: string, keyId: string) => join(dirname(file), `${basename(file)}.${keyId}.retired.pem`);

/**
 * Retires the current key (its private half renamed `<file>.<keyId>.retired.pem`, kept for the
 * record) and creates a new one. Old checkpoints keep verifying: each carries the public key that
 * signed it, and `evidence public-key --all` lists every key, retired ones included.
 */
export async function rotateSigningKey(file: string): Promise<{ retired: SigningKey | null; current: SigningKey }> {
  const old = await readSigningKey(file);
  if (old) await rename(file, retiredName(file, old.keyId));
  return { retired: old, current: await loadOrCreateSigningKey(file) };
}

/** The public keys (SPKI base64) of the current key and every retired one, current first. */
export async function allPublicKeys(file: string): Promise<string[]> {
  const out: string[] = [];
  const current = await readSigningKey(file);
  if (current) out.push(current.publicKey);
  const prefix = `${basename(file)}.`;
  const names = await readdir(dirname(file)).catch(() => [] as string[]);
  for (const name of names.sort()) {
    if (!name.startsWith(prefix) || !name.endsWith('.retired.pem')) continue;
    const k = await readSigningKey(join(dirname(file), name));
    if (k && !out.includes(k.publicKey)) out.push(k.publicKey);
  }
  return out;
}

export function publicKeyPem(key: Pick<SigningKey, 'publicKey'>): string {
  return spkiToPem(key.publicKey);
}

/** Signs a checkpoint (base64 signature). */
export function signCheckpoint(key: SigningKey, c: Omit<CheckpointFields, 'keyId'>): { keyId: string; signature: string } {
  const fields = { ...c, keyId: key.keyId };
  return { keyId: key.keyId, signature: sign(null, Buffer.from(checkpointText(fields), 'utf8'), key.privateKey).toString('base64') };
}
