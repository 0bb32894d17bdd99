#!/usr/bin/env node
// Runs a TypeScript script (benchmarks) with the same loader as the CLI: node src/cli/run-ts.mjs FILE [ARGS]
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

register();
const [file, ...rest] = process.argv.slice(2);
if (!file) {
  console.error('usage: run-ts.mjs FILE [ARGS]');
  process.exit(1);
}
process.argv = [process.argv[0], file, ...rest];
await import(pathToFileURL(resolve(file)).href);
