#!/usr/bin/env node
// Entry of the `lienthong` command. Installed as dist/src/cli/bin.mjs (`npm run build`, run on
// install) it runs the compiled CLI beside it. Run from src/cli/ (`npm run dev -- <command>`, the
// tests) it runs the TypeScript sources through tsx, a development dependency.
import { existsSync } from 'node:fs';

const compiled = new URL('./main.js', import.meta.url);
let main;
if (existsSync(compiled)) {
  ({ main } = await import(compiled.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('./main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
