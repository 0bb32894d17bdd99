/**
 * Builds the Worker (wrangler.toml `[build]`), then wrangler bundles the result for workerd.
 *
 * Why a build step: the webhook intake reaches the adapter registry (`adapters/index.ts`), which
 * also holds the file-based adapters (`node:fs`, exceljs). A Worker has no files, so here the
 * registry is replaced by the HTTP-only one (`src/runtime/workers/adapters.ts`), and the build
 * fails if any Node-only module (files, PGlite, the CLI, the Node ledger) is still in the graph.
 */
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// wrangler always ships esbuild: use its copy rather than depend on another one.
const esbuild = createRequire(createRequire(join(root, 'package.json')).resolve('wrangler/package.json'))('esbuild');

const REGISTRY = join(root, 'adapters/index.ts');
const WORKER_REGISTRY = join(root, 'src/runtime/workers/adapters.ts');
/** Modules that must never reach the Worker bundle. */
export const FORBIDDEN = [
  /^adapters\/(dvcqg-file|csv-xlsx)\//,
  /^adapters\/index\.ts$/,
  /^src\/cli\//,
  /^src\/ledger\/db\.ts$/,
  /^src\/config\.ts$/,
  /^src\/logger\.ts$/,
  /^(@electric-sql\/pglite|exceljs|pino)(\/|$)/,
  /^(node:)?fs(\/promises)?$/,
];

const swapRegistry = {
  name: 'lienthong-worker-registry',
  setup(build) {
    build.onResolve({ filter: /adapters\/index\.ts$/ }, (args) => {
      const target = resolve(args.resolveDir, args.path);
      return target === REGISTRY ? { path: WORKER_REGISTRY } : undefined;
    });
  },
};

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

/** Builds into `outfile` (inside the repository, so that wrangler finds node_modules); returns the bundle's inputs (paths relative to the repository). */
export async function buildWorker(outfile = join(root, '.wrangler/build/worker.js')) {
  const result = await esbuild.build({
    entryPoints: [join(root, 'src/runtime/workers/index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    // Packages and Node built-ins are left to wrangler's bundler (workerd conditions, nodejs_compat,
    // and the `undici` alias of wrangler.toml); this step only assembles our own modules.
    packages: 'external',
    external: [...nodeBuiltins, 'cloudflare:*'],
    plugins: [swapRegistry],
    metafile: true,
    logLevel: 'warning',
    sourcemap: true,
  });
  const rel = (p) => relative(root, resolve(root, p)).replaceAll('\\', '/');
  const inputs = Object.keys(result.metafile.inputs).map(rel);
  const forbidden = (p) => FORBIDDEN.some((re) => re.test(p));
  // Name the importer too: the fix is usually there (a Node-only helper exported by a shared door).
  const bad = [
    ...inputs.filter(forbidden),
    ...Object.entries(result.metafile.inputs).flatMap(([file, i]) => i.imports.filter((x) => forbidden(x.path)).map((x) => `${x.path} (imported by ${rel(file)})`)),
  ];
  if (bad.length) throw new Error(`Node-only modules in the Worker bundle:\n  ${[...new Set(bad)].join('\n  ')}`);
  return inputs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const inputs = await buildWorker(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`worker built: ${inputs.length} modules, no Node-only module`);
}
