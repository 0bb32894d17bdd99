/**
 * Golden canonical output: what an adapter's fixtures map to, reviewed by a person and compared
 * with `toStrictEqual`. A new golden file is written `"reviewed": false` and fails until a person
 * has read it and set `"reviewed": true`; `UPDATE_GOLDEN=1` rewrites it (keeping the flag false).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { MappedRecord } from './checks.ts';

export interface GoldenRecord {
  key: string | null;
  location: string;
  ok: boolean;
  dossier?: unknown;
  issues?: { path: string; message: string }[];
}

export interface GoldenFile {
  /** Set to true by the person who checked every record below. */
  reviewed: boolean;
  records: GoldenRecord[];
}

/** The golden form of mapped records (issue codes left out: messages and paths are what people read). */
export function goldenOf(mapped: readonly MappedRecord[]): GoldenRecord[] {
  return mapped.map(({ record, outcome }) => ({
    key: record.key,
    location: record.location,
    ok: outcome.ok,
    ...(outcome.ok ? { dossier: JSON.parse(JSON.stringify(outcome.value)) as unknown } : { issues: outcome.issues.map((i) => ({ path: i.path, message: i.message })) }),
  }));
}

/** Reads a golden file; null when it does not exist. */
export function readGolden(path: string): GoldenFile | null {
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as GoldenFile;
}

/** Writes a golden file (pretty, one trailing newline) with `reviewed` as given. */
export function writeGolden(path: string, records: GoldenRecord[], reviewed = false): void {
  writeFileSync(path, `${JSON.stringify({ reviewed, records } satisfies GoldenFile, null, 2)}\n`);
}
