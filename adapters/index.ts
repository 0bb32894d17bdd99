/**
 * The adapter registry: one line per adapter folder (a test checks it against the folders). Each
 * line takes the adapter as `defineAdapter` typed it: no cast (lint refuses one here).
 */
import { lookupAdapter, type AnyAdapter } from '../src/sdk/index.ts';
import { csvXlsxAdapter } from './csv-xlsx/index.ts';
import { dvcqgFileAdapter } from './dvcqg-file/index.ts';
import { opencpsAdapter } from './opencps/index.ts';
import { restJsonAdapter } from './rest-json/index.ts';
import { soapXmlAdapter } from './soap-xml/index.ts';
import { webhookAdapter } from './webhook/index.ts';
import { sqlAdapter } from './sql/index.ts';

export const adapters: Readonly<Record<string, AnyAdapter>> = {
  [csvXlsxAdapter.id]: csvXlsxAdapter,
  [dvcqgFileAdapter.id]: dvcqgFileAdapter,
  [opencpsAdapter.id]: opencpsAdapter,
  [restJsonAdapter.id]: restJsonAdapter,
  [soapXmlAdapter.id]: soapXmlAdapter,
  [webhookAdapter.id]: webhookAdapter,
  [sqlAdapter.id]: sqlAdapter,
};

/** @example getAdapter('sql')?.id // 'sql' ; getAdapter('toString') // undefined */
export function getAdapter(id: string): AnyAdapter | undefined {
  return lookupAdapter(adapters, id);
}
