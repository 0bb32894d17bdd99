/**
 * `rest-json`: a local system's REST/JSON API, declared not coded: auth (Basic, bearer, API key,
 * login-then-session), paging (page/size, offset, cursor, next link), a modified-since parameter,
 * the records path and the field mapping (the SDK's declarative mapping, or `"portal"`); OAuth2
 * client credentials, and an optional acknowledge call per stored record (`acknowledge`).
 */
import { acknowledgeRecords } from './acknowledge.ts';
import { defineAdapter } from '../../src/sdk/index.ts';
import { createRestClient } from './client.ts';
import { REST_SECRET_FIELDS, RestJsonOptionsSchema, type RestJsonCursor, type RestJsonOptions } from './config.ts';
import { compiledOf, toDossier } from './mappers/to-dossier.ts';
import { pullRestJson } from './pull.ts';

export const restJsonAdapter = defineAdapter<RestJsonOptions, RestJsonCursor>({
  id: 'rest-json',
  version: '1.0.0',
  configSchema: RestJsonOptionsSchema,
  secretFields: REST_SECRET_FIELDS,
  async check(options) {
    const client = createRestClient(options);
    try {
      await client.call({ method: options.method, url: options.path, headers: { accept: 'application/json' }, ...(options.body === undefined ? {} : { body: options.body.replace(/\{\w+\}/g, '') }) });
    } finally {
      await client.close();
    }
  },
  async *pull(options, cursor, ctx) {
    const client = createRestClient(options);
    try {
      yield* pullRestJson(client, options, cursor, ctx);
    } finally {
      await client.close();
    }
  },
  async acknowledge(options, records, ctx) {
    if (!options.acknowledge || !records.length) return { acknowledged: 0, failed: [] };
    const client = createRestClient(options);
    try {
      return await acknowledgeRecords(client, options.acknowledge, records, ctx);
    } finally {
      await client.close();
    }
  },
  map(raw, ctx) {
    // Without the source's options (a bare sample), records are read in the portal's format.
    return toDossier(raw, ctx.options ?? { mapping: 'portal' });
  },
  mappedPaths: (options) => (!options || options.mapping === 'portal' ? [] : compiledOf(options.mapping).sourcePaths),
});

export default restJsonAdapter;
