/**
 * The adapter registry: one line per adapter folder (a test checks it against the folders).
 */
import type { AdapterDefinition } from '../src/sdk/index.ts';
import { csvXlsxAdapter } from './csv-xlsx/index.ts';
import { dvcqgFileAdapter } from './dvcqg-file/index.ts';
import { opencpsAdapter } from './opencps/index.ts';
import { restJsonAdapter } from './rest-json/index.ts';
import { soapXmlAdapter } from './soap-xml/index.ts';
import { webhookAdapter } from './webhook/index.ts';
import { sqlAdapter } from './sql/index.ts';

export const adapters: Record<string, AdapterDefinition<never, never>> = {
  [csvXlsxAdapter.id]: csvXlsxAdapter as unknown as AdapterDefinition<never, never>,
  [dvcqgFileAdapter.id]: dvcqgFileAdapter as unknown as AdapterDefinition<never, never>,
  [opencpsAdapter.id]: opencpsAdapter as unknown as AdapterDefinition<never, never>,
  [restJsonAdapter.id]: restJsonAdapter as unknown as AdapterDefinition<never, never>,
  [soapXmlAdapter.id]: soapXmlAdapter as unknown as AdapterDefinition<never, never>,
  [webhookAdapter.id]: webhookAdapter as unknown as AdapterDefinition<never, never>,
  [sqlAdapter.id]: sqlAdapter as unknown as AdapterDefinition<never, never>,
};

export function getAdapter(id: string): AdapterDefinition<unknown, unknown> | undefined {
  return adapters[id] as AdapterDefinition<unknown, unknown> | undefined;
}
