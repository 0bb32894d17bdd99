/**
 * `opencps`: the OpenCPS one-stop system's own REST API (`/o/rest/v2`, opencps-api.md).
 * Overlapping date windows + a scan of open statuses (no modified-since filter, 10,000-row search
 * window), detail and processing history per dossier, per-source status and code tables.
 */
import { defineAdapter } from '../../src/sdk/index.ts';
import { createOpencpsClient, listQuery } from './client.ts';
import { OpencpsOptionsSchema, type OpencpsCursor, type OpencpsOptions } from './config.ts';
import { toDossier } from './mappers/to-dossier.ts';
import { pullOpencps } from './pull.ts';

const READ = ['dossierId', 'referenceUid', 'dossierNo', 'dossierCounter', 'serviceCode', 'serviceName', 'domainCode', 'domainName', 'dossierName', 'govAgencyCode', 'govAgencyName',
  'applicantName', 'applicantIdType', 'applicantIdNo', 'contactEmail', 'contactTelNo', 'briefNote', 'dossierNote', 'dossierStatus', 'dossierSubStatus', 'online', 'viaPostal',
  'fromViaPostal', 'submitDate', 'receiveDate', 'dueDate', 'releaseDate', 'finishDate'];
/** The raw paths the mapping reads (for `adapter check`'s "raw fields left unmapped"). */
const OPENCPS_MAPPED_PATHS = [
  ...READ.flatMap((f) => [f, `list.${f}`, `detail.${f}`]),
  ...['author', 'content', 'createDate', 'notificationType', 'payload.jobPosName', 'payload.stepName', 'payload.stepCode', 'payload.files[].dossierFileId', 'payload.files[].fileName'].map((f) => `logs[].${f}`),
  ...['actionUser', 'actionName', 'actionNote', 'stepCode', 'createDate', 'dueDate'].map((f) => `sequences[].actions[].${f}`),
];

export const opencpsAdapter = defineAdapter<OpencpsOptions, OpencpsCursor>({
  id: 'opencps',
  version: '1.0.0',
  configSchema: OpencpsOptionsSchema,
  secretFields: ['password'],
  async check(options) {
    const client = createOpencpsClient(options);
    try {
      await client.list({ kind: 'open', statuses: options.openStatuses }, 0, 1);
    } finally {
      await client.close();
    }
  },
  async *pull(options, cursor, ctx) {
    const client = createOpencpsClient(options);
    try {
      yield* pullOpencps(client, options, cursor, ctx);
    } finally {
      await client.close();
    }
  },
  // Without the source's options (a bare sample), no code table applies.
  map: (raw, ctx) => toDossier(raw, ctx.options ?? {}),
  mappedPaths: () => OPENCPS_MAPPED_PATHS,
});

export { listQuery, toDossier };
export default opencpsAdapter;
