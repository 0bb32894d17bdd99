/**
 * Unknown configuration keys are refused with their path and a did-you-mean (issue 9 §4): a typo
 * must never silently fall back to a default.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getAdapter } from '../adapters/index.ts';
import { parseConfig } from './config.ts';
import { demoConfig } from './demo/run-demo.ts';
import { ConfigError } from './errors.ts';
import { parseSourceOptions } from './pipeline/ingest.ts';

const target = { id: 'national', style: 'session', baseUrl: 'http://127.0.0.1:1', unitCode: '000.00.00.H48', username: 'u', passwordEnv: 'PW' };
const source = { id: 'local', adapter: 'dvcqg-file', options: { path: 'exports' } };

function problemsOf(input: unknown): string[] {
  try {
    parseConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).problems;
  }
  throw new Error('the configuration was accepted');
}

describe('unknown configuration keys', () => {
  it('refuses a typo in a target with its path and the key it resembles', () => {
    expect(problemsOf({ targets: [{ ...target, ratePerSecnd: 5 }] })).toEqual(['targets[0].ratePerSecnd: unknown key; did you mean "ratePerSecond"?']);
  });

  it('refuses an unknown key at the top level, in a source, and in nested objects', () => {
    const problems = problemsOf({
      answers: {},
      sources: [{ ...source, pagesize: 10 }],
      targets: [{ ...target, retry: { maxAttempts: 3, maxDelay: 10 }, reporting: { baseUrl: 'http://x.test', rootDepartmentId: 'r', pageSise: 5 } }],
      server: { port: 1, replayWindow: 10 },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'answers: unknown key',
        'sources[0].pagesize: unknown key; did you mean "pageSize"?',
        'targets[0].retry.maxDelay: unknown key; did you mean "maxDelayMs"?',
        'targets[0].reporting.pageSise: unknown key; did you mean "pageSize"?',
        'server.replayWindow: unknown key; did you mean "replayWindowSeconds"?',
      ]),
    );
    expect(problems).toHaveLength(5);
  });

  it("refuses unknown keys in an adapter's options, when the file is loaded and when the source is pulled", () => {
    expect(problemsOf({ sources: [{ ...source, options: { path: 'exports', pathh: 'x' } }] })).toEqual(['sources[0].options.pathh: unknown key; did you mean "path"?']);
    const rest = { id: 'rest', adapter: 'rest-json', options: { baseUrl: 'http://x.test', path: 'hoso', paging: { type: 'page', sise: 10 }, modifiedSince: { param: 'since', overlapMinute: 5 } } };
    expect(problemsOf({ sources: [rest] }).sort()).toEqual([
      'sources[0].options.modifiedSince.overlapMinute: unknown key; did you mean "overlapMinutes"?',
      'sources[0].options.paging.sise: unknown key; did you mean "size"?',
    ]);
    const adapter = getAdapter('webhook')!;
    expect(() => parseSourceOptions({ id: 'hook', adapter: 'webhook', options: { mapping: 'portal', maxRecord: 5 }, units: [], pageSize: 500 }, adapter, {})).toThrow(
      /options\.maxRecord: unknown key; did you mean "maxRecords"\?/,
    );
  });

  it('still loads every configuration the repository ships: the demo, the README examples', () => {
    const demo = demoConfig('/tmp/lienthong-demo', 'http://127.0.0.1:1');
    // The demo writes its parsed configuration out; read back, it loads again.
    expect(() => parseConfig(JSON.parse(JSON.stringify(demo)))).not.toThrow();
    const readmes = ['../README.md', ...['csv-xlsx', 'dvcqg-file', 'opencps', 'rest-json', 'soap-xml', 'sql', 'webhook'].map((a) => `../adapters/${a}/README.md`)];
    let checked = 0;
    for (const file of readmes) {
      const text = readFileSync(new URL(file, import.meta.url), 'utf8');
      for (const [, block] of text.matchAll(/```json\n([\s\S]*?)```/g)) {
        let value: unknown;
        try {
          value = JSON.parse(block as string);
        } catch {
          continue; // an excerpt with "…", not a whole configuration
        }
        if (!value || typeof value !== 'object') continue;
        const v = value as Record<string, unknown>;
        const isConfig = 'database' in v || (Array.isArray(v['sources']) && v['sources'].some((x) => x && typeof x === 'object' && 'adapter' in x)) || (Array.isArray(v['targets']) && v['targets'].some((x) => x && typeof x === 'object' && 'baseUrl' in x));
        const config = 'adapter' in v ? { sources: [v] } : isConfig ? v : null;
        if (!config) continue;
        expect(() => parseConfig(config, file)).not.toThrow();
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3);
  });
});
