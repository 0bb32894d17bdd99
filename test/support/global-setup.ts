/**
 * Creates one migrated PGlite data dir per test run and hands its dump to every test file,
 * because creating and migrating a PGlite database costs seconds (style.md).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { openLedger } from '../../src/ledger/db.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
  }
}

let dir: string | undefined;

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  dir = await mkdtemp(join(tmpdir(), 'lienthong-tpl-'));
  const ledger = await openLedger('pglite:memory');
  const client = (ledger.db as unknown as { $client: { dumpDataDir(c?: string): Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('none');
  await ledger.close();
  const file = join(dir, 'template.tar');
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteTemplate', file);
  return async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  };
}
