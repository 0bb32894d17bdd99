import { readdir, readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { adapters, getAdapter } from '../../adapters/index.ts';
import * as workers from '../../src/runtime/workers/adapters.ts';

const ROOT = fileURLToPath(new URL('../../adapters/', import.meta.url));

/** Adapter folders: the ones with an `index.ts`; `_template` is the scaffold's source, not an adapter. */
async function adapterFolders(): Promise<string[]> {
  const dirs = await readdir(ROOT, { withFileTypes: true });
  return dirs.filter((d) => d.isDirectory() && !d.name.startsWith('_') && existsSync(join(ROOT, d.name, 'index.ts'))).map((d) => d.name).sort();
}

/** The source files an adapter runs (not its tests, fakes or fixture generators), recursively. */
async function runtimeFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, d.name);
    if (d.isDirectory()) {
      if (d.name !== 'fixtures' && d.name !== 'golden') out.push(...(await runtimeFiles(path)));
    } else if (d.name.endsWith('.ts') && !d.name.endsWith('.test.ts') && !d.name.startsWith('fake-')) out.push(path);
  }
  return out;
}

it('registers exactly the adapter folders, each under its folder name', async () => {
  const folders = await adapterFolders();
  expect(Object.keys(adapters).sort()).toStrictEqual(folders);
  for (const [id, adapter] of Object.entries(adapters)) expect(adapter.id).toBe(id);
});

it('gives every adapter folder a README, fixtures and golden output', async () => {
  for (const id of Object.keys(adapters)) {
    for (const part of ['README.md', 'fixtures', 'golden']) expect(existsSync(join(ROOT, id, part)), `${id}/${part}`).toBe(true);
  }
});

it('looks adapters up by their own id only, never an Object property', () => {
  expect(getAdapter('sql')?.id).toBe('sql');
  for (const id of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
    expect(getAdapter(id), id).toBeUndefined();
    expect(workers.getAdapter(id), `workers ${id}`).toBeUndefined();
  }
});

it('puts every adapter folder either in the Workers registry or in the Node-only list with its reason', async () => {
  const folders = await adapterFolders();
  const inWorkers = Object.keys(workers.adapters);
  const nodeOnly = Object.keys(workers.NODE_ONLY);
  for (const id of folders) expect(inWorkers.includes(id) !== nodeOnly.includes(id), `${id}: in exactly one of the Workers registry and NODE_ONLY`).toBe(true);
  expect([...inWorkers, ...nodeOnly].sort()).toStrictEqual(folders);
  for (const [id, reason] of Object.entries(workers.NODE_ONLY)) expect(reason.trim().length, `NODE_ONLY['${id}'] says why`).toBeGreaterThan(10);
  for (const [id, adapter] of Object.entries(workers.adapters)) expect(adapter, id).toBe(adapters[id]);
  for (const id of workers.PULLED_OVER_HTTP) expect(inWorkers, `PULLED_OVER_HTTP ${id}`).toContain(id);
});

it('keeps Node-only modules out of the adapters the Worker runs', async () => {
  // What a Worker has no use for (a folder, a TCP database): the reasons of NODE_ONLY.
  const nodeOnlyImport = /from '(node:fs(?:\/promises)?|node:net|node:child_process|exceljs|postgres|mysql2(?:\/promise)?)'/;
  for (const id of Object.keys(workers.adapters)) {
    for (const file of await runtimeFiles(join(ROOT, id))) {
      const hit = nodeOnlyImport.exec(await readFile(file, 'utf8'));
      expect(hit?.[1], `${file.slice(ROOT.length)} imports a Node-only module: put ${id} in NODE_ONLY or drop the import`).toBeUndefined();
    }
  }
});
