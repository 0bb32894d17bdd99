import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamSchemaError, type GatewayError } from '../../src/errors.ts';
import type { Page } from '../../src/sdk/index.ts';
import type { SoapXmlCursor, SoapXmlOptions } from './config.ts';
import { SOAP_OPTIONS, SOAP_PASSWORD, fakeSoap, soapFixture } from './fake-soap.ts';
import { soapXmlAdapter } from './index.ts';
import { parseXmlSafely } from './raw.ts';

const fake = fakeSoap();
const server = setupServer(fake.handler);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  fake.state.faults.length = 0;
  delete fake.state.next;
});
afterAll(() => server.close());

const options = (extra: Record<string, unknown> = {}): SoapXmlOptions => soapXmlAdapter.configSchema.parse({ ...SOAP_OPTIONS, ...extra });

async function pullAll(opts: SoapXmlOptions, cursor: SoapXmlCursor | null = null): Promise<Page<SoapXmlCursor>[]> {
  const pages: Page<SoapXmlCursor>[] = [];
  for await (const page of soapXmlAdapter.pull(opts, cursor, { pageSize: 100 })) pages.push(page);
  return pages;
}

async function failureOf(p: Promise<unknown>): Promise<GatewayError> {
  try {
    await p;
  } catch (e) {
    return e as GatewayError;
  }
  throw new Error('expected a failure');
}

describe('soap-xml', () => {
  it('sends a SOAP 1.1 envelope with SOAPAction and XML-escaped values, and keeps leading zeros', async () => {
    const pages = await pullAll(options({ body: '<LayDanhSachHoSo xmlns="http://motcua.example.gov.vn/"><trang>{page}</trang><soBanGhi>{size}</soBanGhi><matKhau>{password}</matKhau></LayDanhSachHoSo>' }));
    expect(fake.state.calls[0]).toContain('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><LayDanhSachHoSo');
    expect(fake.state.calls[0]).toContain('<matKhau>Soap-Pa55-&lt;&amp;&gt;-word</matKhau>');
    const raw = pages[0]!.records[0]!.raw as { NguoiNop: { SoGiayTo: string }; TrichYeu: string; QuaTrinhXuLy: { Buoc: unknown[] } };
    expect(raw.NguoiNop.SoGiayTo).toBe('0101234567');
    expect(raw.TrichYeu).toBe('Việc sửa chữa nhà ở riêng lẻ');
    expect(pages.flatMap((p) => p.records.map((r) => r.key))).toEqual(['000.00.20.H99-240311-0001', '000.00.20.H99-240311-0002', '000.00.20.H99-240311-0003']);
    const single = pages.flatMap((p) => p.records)[1]!.raw as { QuaTrinhXuLy: { Buoc: unknown[] } };
    expect(Array.isArray(single.QuaTrinhXuLy.Buoc)).toBe(true);
  });

  it('refuses a billion-laughs payload before parsing, quickly and without growing memory', async () => {
    fake.state.next = soapFixture('billion-laughs.xml');
    const before = process.memoryUsage().heapUsed;
    const t = Date.now();
    const err = await failureOf(pullAll(options()));
    expect(err).toBeInstanceOf(UpstreamSchemaError);
    expect(err.message).toMatch(/declares a document type or entities, which is refused/);
    expect(Date.now() - t).toBeLessThan(2000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 2 ** 20);
    expect(() => parseXmlSafely(soapFixture('billion-laughs.xml'), 'x')).toThrow(UpstreamSchemaError);
  });

  it('refuses an external entity (XXE) and never reads the file it names', async () => {
    fake.state.next = soapFixture('external-entity.xml');
    const err = await failureOf(pullAll(options()));
    expect(err.message).toMatch(/refused/);
    expect(err.message).not.toMatch(/root:/);
  });

  it('reports broken XML with its line and column, and a SOAP Fault with its reason', async () => {
    fake.state.next = '<?xml version="1.0"?>\n<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">\n<soap:Body><A><B></A></soap:Body></soap:Envelope>';
    const broken = await failureOf(pullAll(options()));
    expect(broken.message).toMatch(/not well-formed XML \(line 3, column \d+/);
    fake.state.next = soapFixture('fault.xml');
    const fault = await failureOf(pullAll(options()));
    expect(fault.message).toContain('SOAP Fault: Server was unable to process request. ---> Tham số trang không hợp lệ');
  });

  it('reads an empty page as the end, and speaks SOAP 1.2 with the action in the content type', async () => {
    fake.state.next = soapFixture('empty.xml');
    const pages = await pullAll(options());
    expect(pages.flatMap((p) => p.records)).toEqual([]);
    expect(pages.at(-1)?.cursor).toEqual({ watermark: null });
    fake.state.faults.push({ status: 401 });
    const err = await failureOf(pullAll(options({ soapVersion: '1.2' })));
    expect(err.message).not.toContain(SOAP_PASSWORD);
  });

  it('checks the service with one call', async () => {
    const before = fake.state.calls.length;
    await expect(soapXmlAdapter.check!(options())).resolves.toBeUndefined();
    expect(fake.state.calls.length - before).toBe(1);
  });

  it('refuses an answer larger than maxBytes while reading it', async () => {
    const err = await failureOf(pullAll(options({ maxBytes: 2048 })));
    expect(err).toBeInstanceOf(UpstreamSchemaError);
    expect(err.message).toMatch(/larger than 2048 bytes; ask for smaller pages/);
  });
});
