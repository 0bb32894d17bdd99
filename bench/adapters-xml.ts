/**
 * XML adapters: records/second of parsing alone (validate + parse SOAP pages, find the records),
 * of mapping + validation alone (the `soap-xml` adapter's declared mapping into the canonical
 * dossier, validated by the portal's strict schema) and of both. Pages of 500 records.
 *   npm run bench -- adapters-xml --n 20000
 * `xmlCase(n)` is the hook a combined adapters benchmark calls.
 */
import { parseArgs } from 'node:util';
import { SOAP_OPTIONS, SOAP_RECORDS, soapPage } from '../adapters/soap-xml/fake-soap.ts';
import { soapXmlAdapter } from '../adapters/soap-xml/index.ts';
import { parseXmlSafely, soapBody } from '../adapters/soap-xml/raw.ts';
import { getPath } from '../src/sdk/mapping/index.ts';

export interface KindFigures {
  kind: string;
  records: number;
  /** Validate + parse the SOAP pages and find the records. */
  parseOnlyPerSecond: number;
  /** Mapping + validation alone (the parse time subtracted), as `bench/adapters.ts` reports every kind. */
  mapAndValidatePerSecond: number;
  /** Both together: what a pull costs in the gateway's process. */
  parseMapAndValidatePerSecond: number;
  invalid: number;
}

/** `n` SOAP records in pages of `pageSize`, each a distinct dossier. */
function pagesOf(n: number, pageSize: number): string[] {
  const pages: string[] = [];
  for (let start = 0; start < n; start += pageSize) {
    const recs: string[] = [];
    for (let i = start; i < Math.min(n, start + pageSize); i++) {
      recs.push((SOAP_RECORDS[i % SOAP_RECORDS.length] as string).replace(/-240311-\d{4}</, `-240311-${String(i).padStart(6, '0')}<`));
    }
    pages.push(soapPage(recs, n));
  }
  return pages;
}

/**
 * Times the XML case over `n` records.
 *
 * @example
 * const f = await xmlCase(20_000); // { kind: 'XML (soap-xml)', parseOnlyPerSecond: …, mapAndValidatePerSecond: … }
 */
export async function xmlCase(n: number, pageSize = 500): Promise<KindFigures> {
  const options = soapXmlAdapter.configSchema.parse(SOAP_OPTIONS);
  const pages = pagesOf(n, pageSize);
  const extract = (xml: string): unknown[] => {
    const found = getPath(soapBody(parseXmlSafely(xml, 'bench'), 'bench'), options.recordsPath);
    return Array.isArray(found) ? found : [found];
  };
  extract(pages[0] as string); // warm-up
  let t = performance.now();
  let parsed = 0;
  for (const page of pages) parsed += extract(page).length;
  const parseS = (performance.now() - t) / 1000;
  t = performance.now();
  let invalid = 0;
  for (const page of pages) {
    for (const raw of extract(page)) {
      const rec = raw as { QuaTrinhXuLy?: { Buoc?: unknown } };
      if (rec.QuaTrinhXuLy && !Array.isArray(rec.QuaTrinhXuLy.Buoc)) rec.QuaTrinhXuLy.Buoc = [rec.QuaTrinhXuLy.Buoc];
      if (!soapXmlAdapter.map(raw, { sourceId: 'bench', options }).ok) invalid++;
    }
  }
  const fullS = (performance.now() - t) / 1000;
  return {
    kind: 'XML (soap-xml)',
    records: parsed,
    parseOnlyPerSecond: Math.round(parsed / parseS),
    mapAndValidatePerSecond: Math.round(parsed / Math.max(0.001, fullS - parseS)),
    parseMapAndValidatePerSecond: Math.round(parsed / fullS),
    invalid,
  };
}

export async function run(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, options: { n: { type: 'string', default: '20000' } } });
  const f = await xmlCase(Number(values.n));
  console.log(`lienthong bench adapters-xml: ${f.records} SOAP records in pages of 500 (${f.invalid} invalid)`);
  console.log(`parse alone (validate + parse + find records)  ${f.parseOnlyPerSecond.toLocaleString('en')} records/s`);
  console.log(`map + validate alone (canonical dossier)       ${f.mapAndValidatePerSecond.toLocaleString('en')} records/s`);
  console.log(`parse + map + validate                         ${f.parseMapAndValidatePerSecond.toLocaleString('en')} records/s`);
  console.log(`peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
}
