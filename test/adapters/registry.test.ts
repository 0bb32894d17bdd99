import { readdir } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { adapters } from '../../adapters/index.ts';

const ROOT = fileURLToPath(new URL('../../adapters/', import.meta.url));

it('registers exactly the adapter folders, each under its folder name', async () => {
  const folders = (await readdir(ROOT, { withFileTypes: true })).filter((d) => d.isDirectory() && existsSync(join(ROOT, d.name, 'index.ts'))).map((d) => d.name);
  expect(Object.keys(adapters).sort()).toStrictEqual(folders.sort());
  for (const [id, adapter] of Object.entries(adapters)) expect(adapter.id).toBe(id);
});

it('gives every adapter folder a README, fixtures and golden output', async () => {
  for (const id of Object.keys(adapters)) {
    for (const part of ['README.md', 'fixtures', 'golden']) expect(existsSync(join(ROOT, id, part)), `${id}/${part}`).toBe(true);
  }
});
