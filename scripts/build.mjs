#!/usr/bin/env node
/**
 * `npm run build` (also run by `prepare`, so `npm install` / `npm ci` build): compiles the runtime
 * sources (src/, adapters/, schemas/) to dist/ with tsc (tsconfig.build.json), then copies what
 * the compiled code reads beside itself at run time and tsc does not emit:
 *   - plain-JavaScript modules (`*.mjs`: the PGlite worker thread, the `lienthong` launcher),
 *   - SQL migrations and their journal (src/ledger/migrations/, found through `import.meta.url`),
 *   - JSON data under src/ (bundled calendars, sample catalogues).
 * Last it records what `lienthong <command> --help` prints (dist/src/cli/help.json), so the compiled
 * CLI prints a help text without loading the command's modules.
 * Options: --out DIR (default dist; a test builds to a temporary folder inside the project).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { out: { type: 'string', default: 'dist' } } });
const out = resolve(root, values.out);
if (out === root || !out.startsWith(root + sep)) {
  console.error(`build: --out must be a folder inside ${root} (the compiled code finds node_modules from there), got ${out}`);
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], { cwd: root, stdio: 'inherit' });
if (compiled.status !== 0) {
  console.error('build: tsc failed (see above); nothing usable in', relative(root, out) || '.');
  process.exit(compiled.status ?? 1);
}

/** Files tsc does not emit but the compiled code needs, by folder (test fixtures stay out). */
const ASSETS = [
  { dir: 'src', keep: (f) => /\.(mjs|sql|json)$/.test(f) },
  { dir: 'adapters', keep: (f) => f.endsWith('.mjs') },
  { dir: 'schemas', keep: (f) => f.endsWith('.mjs') },
];
const SKIP_DIRS = new Set(['fixtures', 'golden', 'node_modules']);
let copied = 0;
function copyAssets(dir, keep) {
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) copyAssets(rel, keep);
    } else if (keep(entry.name)) {
      cpSync(join(root, rel), join(out, rel));
      copied++;
    }
  }
}
for (const { dir, keep } of ASSETS) copyAssets(dir, keep);
chmodSync(join(out, 'src/cli/bin.mjs'), 0o755);

// `<command> --help` recorded from the compiled command modules (src/cli/main.ts answers from it
// without loading them): what each printed on stdout and stderr, and its exit code.
const { main, COMMANDS } = await import(pathToFileURL(join(out, 'src/cli/main.js')).href);
const help = {};
const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
for (const name of Object.keys(COMMANDS)) {
  help[name] = {};
  for (const flag of ['--help', '-h']) {
    const captured = { stdout: '', stderr: '' };
    for (const stream of ['stdout', 'stderr']) process[stream].write = (chunk) => ((captured[stream] += String(chunk)), true);
    let code;
    try {
      code = await main([name, flag]);
    } finally {
      process.stdout.write = writes.stdout;
      process.stderr.write = writes.stderr;
    }
    if (code !== 0) {
      console.error(`build: \`lienthong ${name} ${flag}\` failed (exit ${code}) from ${relative(root, out)}/:\n${captured.stderr}`);
      process.exit(1);
    }
    help[name][flag] = { ...captured, code };
  }
}
writeFileSync(join(out, 'src/cli/help.json'), `${JSON.stringify(help, null, 1)}\n`);
console.log(`build: ${relative(root, out)}/ ready (${copied} assets, ${Object.keys(help).length} command helps); run it with node ${relative(root, out)}/src/cli/bin.mjs --help`);
process.exit(0); // a command module may leave a handle open (timers, pools)
