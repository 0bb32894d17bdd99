/** The shared conformance suite over fixtures/; fails until golden/sample.json is reviewed. */
import { fileURLToPath } from 'node:url';
import { describeConformance } from '../../src/sdk/conformance/suite.ts';
import { adapter } from './index.ts';

describeConformance({
  adapter,
  options: { path: fileURLToPath(new URL('./fixtures', import.meta.url)) },
  golden: fileURLToPath(new URL('./golden/sample.json', import.meta.url)),
  expectRecords: 3,
  pageSize: 1,
  http: false,
});
