import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers of src/ (docs/architecture.md): a part may import its own layer and the layers below,
 * never above. `schemas/` and the top-level files of src/ (errors, privacy, logger) are below all.
 */
const LAYERS = [
  ['text', 'net'],
  ['sdk', 'dossier', 'rules', 'units'],
  ['ledger'],
  ['portal', 'evidence', 'catalog'],
  ['outbox'],
  ['pipeline', 'reports'],
  ['reconcile', 'intake'],
  ['http', 'dashboard', 'metrics', 'scheduler', 'runtime', 'demo', 'portal-sim'],
  ['cli'],
];
/** Parts that may import the adapters' registry (the pipeline and what drives it). */
const ADAPTER_USERS = new Set(['pipeline', 'reconcile', 'intake', 'http', 'dashboard', 'runtime', 'demo', 'cli']);
/**
 * Parts that hold no SQL: they call typed query functions of src/ledger (or services above it).
 * More parts join as their queries move into src/ledger (issue 11, item 3).
 */
const SQL_FREE = new Set(['http', 'metrics', 'scheduler', 'intake', 'catalog', 'runtime', 'evidence', 'reports', 'reconcile']);
/** Same-layer imports the design forbids too. */
const EXTRA = { scheduler: ['http', 'dashboard'], intake: ['reconcile'], evidence: ['portal', 'catalog'], portal: ['evidence', 'catalog'] };

const alt = (names) => names.join('|');
const layerRules = LAYERS.flatMap((parts, level) =>
  parts.map((part) => {
    const above = [...LAYERS.slice(level + 1).flat(), ...(EXTRA[part] ?? [])];
    const patterns = [];
    if (above.length) {
      patterns.push({ regex: `^(\\.\\./)+(${alt(above)})/`, message: `src/${part} may not import a part of a higher layer (docs/architecture.md): move the shared piece down, or the caller up.` });
    }
    if (!ADAPTER_USERS.has(part)) patterns.push({ regex: '^(\\.\\./)+adapters/', message: `src/${part} may not import adapters (only the pipeline and what drives it do).` });
    const paths = SQL_FREE.has(part) ? [{ name: 'drizzle-orm', message: `src/${part} holds no SQL: add a typed query function to src/ledger and call it.` }] : [];
    return { files: [`src/${part}/**/*.ts`], ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': ['error', { patterns, paths }] } };
  }),
);

/** An adapter folder is self-contained: it imports schemas/, the SDK (src/sdk) and its own files, never another adapter or src/ internals. */
const adapterRules = [
  ['adapters/*/*.ts', '^\\.\\./(?!\\.\\./)'],
  ['adapters/*/*/*.ts', '^\\.\\./\\.\\./(?!\\.\\./)'],
  ['adapters/*/*/*/*.ts', '^\\.\\./\\.\\./\\.\\./(?!\\.\\./)'],
].map(([files, sibling]) => ({
  files: [files],
  ignores: ['**/*.test.ts', '**/fake-*.ts', '**/fixtures/**'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { regex: '^(\\.\\./)+src/(?!sdk/)', message: 'an adapter imports the SDK (src/sdk/index.ts), not src/ internals: add what it needs to the SDK.' },
          { regex: sibling, message: 'an adapter does not import another adapter or the registry: move the shared piece into src/sdk.' },
        ],
      },
    ],
    'no-restricted-syntax': [
      'error',
      { selector: "TSAsExpression > MemberExpression.expression[property.name='options']", message: '`map` and every capability receive the options typed from configSchema (defineAdapter): no cast.' },
    ],
  },
}));

/** The registries take each adapter as defineAdapter typed it (`AnyAdapter`): a cast would hide a wrong shape. */
const registryRules = {
  files: ['adapters/index.ts', 'src/runtime/workers/adapters.ts'],
  rules: {
    'no-restricted-syntax': [
      'error',
      { selector: 'TSAsExpression', message: 'a registry line is `[fooAdapter.id]: fooAdapter`, never a cast (src/sdk/adapter.ts AnyAdapter).' },
      { selector: 'TSTypeAssertion', message: 'a registry line is `[fooAdapter.id]: fooAdapter`, never a cast (src/sdk/adapter.ts AnyAdapter).' },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', '.lienthong/**', 'coverage/**', '.wrangler/**', 'test-artifacts/**', 'dist/**', '.stryker-tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'error',
    },
  },
  ...layerRules,
  ...adapterRules,
  registryRules,
  {
    files: ['src/cli/**', 'bench/**', 'src/logger.ts', '**/*.test.ts', 'test/**', '**/*.mjs'],
    rules: { 'no-console': 'off' },
  },
);
