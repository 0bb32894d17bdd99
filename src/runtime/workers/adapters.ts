/**
 * The adapter registry of the Worker, in place of `adapters/index.ts` (build.mjs swaps it in, so
 * it has the same exports): the adapters that reach their local system over HTTP, and the
 * webhook one for pushes. File-based ones (`dvcqg-file`, `csv-xlsx`) read folders a Worker does
 * not have; they stay on Node, which keeps `node:fs` and exceljs out of the Worker bundle.
 */
import { opencpsAdapter } from '../../../adapters/opencps/index.ts';
import { restJsonAdapter } from '../../../adapters/rest-json/index.ts';
import { soapXmlAdapter } from '../../../adapters/soap-xml/index.ts';
import { webhookAdapter } from '../../../adapters/webhook/index.ts';
import type { AdapterDefinition } from '../../sdk/index.ts';

export const adapters: Record<string, AdapterDefinition<never, never>> = {
  [opencpsAdapter.id]: opencpsAdapter as unknown as AdapterDefinition<never, never>,
  [restJsonAdapter.id]: restJsonAdapter as unknown as AdapterDefinition<never, never>,
  [soapXmlAdapter.id]: soapXmlAdapter as unknown as AdapterDefinition<never, never>,
  [webhookAdapter.id]: webhookAdapter as unknown as AdapterDefinition<never, never>,
};

/** Adapters whose `pull` calls the local system over HTTP (the scheduled sync runs them). */
export const PULLED_OVER_HTTP: ReadonlySet<string> = new Set([opencpsAdapter.id, restJsonAdapter.id, soapXmlAdapter.id]);

/** @example getAdapter('opencps')?.id // 'opencps' ; getAdapter('dvcqg-file') // undefined */
export function getAdapter(id: string): AdapterDefinition<unknown, unknown> | undefined {
  return adapters[id] as AdapterDefinition<unknown, unknown> | undefined;
}
