/**
 * `soap-xml`: SOAP 1.1/1.2 services listing dossiers (namespaces, paging, Vietnamese element
 * names), parsed safely (validated first, no DTD or entities, leading zeros kept), mapped by
 * declaration.
 */
import { defineAdapter } from '../../src/sdk/index.ts';
import { compiledOf } from '../../src/sdk/index.ts';
import { SoapXmlOptionsSchema, type SoapXmlCursor, type SoapXmlOptions } from './config.ts';
import { toDossier } from './mappers/to-dossier.ts';
import { createSoapClient, pullSoap } from './pull.ts';

export const soapXmlAdapter = defineAdapter<SoapXmlOptions, SoapXmlCursor>({
  id: 'soap-xml',
  version: '1.0.0',
  configSchema: SoapXmlOptionsSchema,
  secretFields: ['password'],
  async check(options) {
    const http = createSoapClient(options);
    try {
      await pullSoap(http, { ...options, paging: { type: 'none' } }, null, { pageSize: 1 }).next();
    } finally {
      await http.close();
    }
  },
  async *pull(options, cursor, ctx) {
    const http = createSoapClient(options);
    try {
      yield* pullSoap(http, options, cursor, ctx);
    } finally {
      await http.close();
    }
  },
  map(raw, ctx) {
    // Without the source's options (a bare sample), records are read in the portal's format.
    return toDossier(raw, ctx.options ?? { mapping: 'portal' });
  },
  mappedPaths: (options) => (!options || options.mapping === 'portal' ? [] : compiledOf(options.mapping).sourcePaths),
});

export default soapXmlAdapter;
