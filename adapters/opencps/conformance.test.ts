/**
 * The shared conformance suite over a fake OpenCPS site (msw). OpenCPS re-reads by design: a run
 * overlaps the previous one by a day and scans every open status (opencps-api.md §5), so resuming
 * may re-read rows and the final cursor starts a new run that reads the open dossiers again.
 */
import { fileURLToPath } from 'node:url';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import { describeConformance } from '../../src/sdk/conformance/suite.ts';
import { FAKE_BASE, FAKE_PASSWORD, FAKE_USER, FIXTURE_A, fakeDossiers, fakeOpencps } from './fake-opencps.ts';
import { opencpsAdapter } from './index.ts';

const server = setupServer();
const fake = fakeOpencps(fakeDossiers(9));
server.use(...fake.handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const options = {
  baseUrl: FAKE_BASE,
  groupId: '41201',
  username: FAKE_USER,
  passwordEnv: 'OPENCPS_PASSWORD',
  password: FAKE_PASSWORD,
  startDate: '2024-03-01',
  until: '2024-03-10',
  windowDays: 5,
  unitCodes: { SXD: '000.00.20.H99' },
  retry: { maxAttempts: 3, minDelayMs: 10, maxDelayMs: 50 },
};

describeConformance({
  adapter: opencpsAdapter,
  options,
  golden: fileURLToPath(new URL('./golden/conformance.json', import.meta.url)),
  expectRecords: 9,
  exactResume: false,
  endCursorEmpty: false,
  malformed: [
    { name: 'missing identifiers', raw: { list: { ...FIXTURE_A.data[0], dossierId: undefined, serviceCode: '' }, detail: null, logs: null }, paths: ['list.dossierId', 'list.serviceCode'] },
    {
      name: 'bad dates and an unmapped status',
      raw: { list: { ...FIXTURE_A.data[0], receiveDate: '31/02/2024 09:30:45', dueDate: 'mai', dossierStatus: 'pausing' }, detail: null, logs: [{ createDate: 'hôm qua', notificationType: 'PROCESS_TYPE', payload: {} }] },
      paths: ['list.dossierStatus', 'list.dueDate', 'list.receiveDate', 'logs[0].createDate'],
    },
    { name: 'not an OpenCPS record', raw: [1, 2], paths: ['list'] },
  ],
  secrets: [FAKE_PASSWORD],
  http: () => ({
    badCredentialOptions: { ...options, password: 'not-the-password' },
    fault: (status, headers, body) => void fake.state.faults.push({ status, ...(headers?.['retry-after'] ? { retryAfter: headers['retry-after'] } : {}), ...(body === undefined ? {} : { body }) }),
    calls: () => fake.state.calls.list.length,
  }),
});
