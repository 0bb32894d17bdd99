/**
 * The adapter registry of the Worker, in place of `adapters/index.ts` (build.mjs swaps it in, so
 * it has the same exports): the adapters that reach their local system over HTTP, and the
 * webhook one for pushes. The others stay on Node, each for the reason in {@link NODE_ONLY}
 * (which keeps `node:fs`, exceljs and the database drivers out of the Worker bundle); a test
 * checks that every adapter folder is in exactly one of the two lists.
 */
import { opencpsAdapter } from '../../../adapters/opencps/index.ts';
import { restJsonAdapter } from '../../../adapters/rest-json/index.ts';
import { soapXmlAdapter } from '../../../adapters/soap-xml/index.ts';
import { webhookAdapter } from '../../../adapters/webhook/index.ts';
import { lookupAdapter, type AnyAdapter } from '../../sdk/index.ts';

export const adapters: Readonly<Record<string, AnyAdapter>> = {
  [opencpsAdapter.id]: opencpsAdapter,
  [restJsonAdapter.id]: restJsonAdapter,
  [soapXmlAdapter.id]: soapXmlAdapter,
  [webhookAdapter.id]: webhookAdapter,
};

/** Adapters that run on Node only, and why a Worker cannot run them. */
export const NODE_ONLY: Readonly<Record<string, string>> = {
  'csv-xlsx': 'reads export files from a folder (node:fs) and XLSX with exceljs',
  'dvcqg-file': 'reads export files from a folder (node:fs)',
  sql: "opens the local system's database over TCP (postgres, mysql2 drivers)",
};

/** Adapters whose `pull` calls the local system over HTTP (the scheduled sync runs them). */
export const PULLED_OVER_HTTP: ReadonlySet<string> = new Set([opencpsAdapter.id, restJsonAdapter.id, soapXmlAdapter.id]);

/** @example getAdapter('opencps')?.id // 'opencps' ; getAdapter('dvcqg-file') // undefined */
export function getAdapter(id: string): AnyAdapter | undefined {
  return lookupAdapter(adapters, id);
}
