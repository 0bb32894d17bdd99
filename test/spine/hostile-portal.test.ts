/**
 * A hostile or careless portal: one that echoes our request (credentials, session token) in its
 * error page, and one that answers without end. Nothing it says may leak a secret to a viewer,
 * and nothing it sends may grow the process or the ledger without bound.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { runSync } from '../../src/pipeline/sync.ts';
import { MAX_PORTAL_ANSWER_BYTES } from '../../src/portal/transport.ts';
import { SIM_PASSWORD, startSpine, type Spine } from '../support/spine.ts';

const SESSION = 'SESS-7f3a9c21-token-e4b8';

let spine: Spine | undefined;
let server: Server | undefined;
afterEach(async () => {
  await spine?.close();
  spine = undefined;
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A portal whose login works and whose service answers with `answer`. */
async function startPortal(answer: (body: string, res: ServerResponse) => void): Promise<string> {
  server = createServer((req, res) => {
    void readBody(req).then((body) => {
      if (req.url === '/auth') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 0, message: 'OK', session: SESSION }));
        return;
      }
      answer(body, res);
    });
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
}

const stored = async (s: Spine) => ({
  errors: (await s.ledger.rows<{ e: string | null; a: string | null }>(sql`select last_error as e, last_answer::text as a from deliveries`)).map((r) => `${r.e} ${r.a}`),
  receipts: (await s.ledger.rows<{ m: string | null }>(sql`select message as m from receipts`)).map((r) => r.m ?? ''),
});

describe('a portal that echoes the request in its error page', () => {
  it('stores and shows its answer with the password and the session token redacted', async () => {
    const url = await startPortal((body, res) => {
      // What real gateways do: the whole request, and a debug dump of the login, in the error page.
      res.writeHead(500, { 'content-type': 'text/html' }).end(`<html><body><h1>Lỗi hệ thống</h1><pre>${body}</pre><pre>login {"username":"lienthong","password":"${SIM_PASSWORD}"} Cookie: JSESSIONID=${SESSION}</pre></body></html>`);
    });
    spine = await startSpine({ count: 2, target: { baseUrl: url, retry: { maxAttempts: 2, minDelayMs: 10, maxDelayMs: 20 } } });
    const summary = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(summary.targets[0]).toMatchObject({ delivered: 0, dead: 2 });
    const { errors, receipts } = await stored(spine);
    expect(errors).toHaveLength(2);
    expect(receipts.length).toBeGreaterThanOrEqual(4);
    for (const text of [...errors, ...receipts]) {
      expect(text).not.toContain(SIM_PASSWORD);
      expect(text).not.toContain(SESSION);
    }
    // The portal's words are still there for the operator.
    expect(errors[0]).toContain('Lỗi hệ thống');
    expect(errors[0]).toContain('[redacted]');
  });
});

describe('a portal that answers without end', () => {
  it('stops reading at the cap, stores a short message and carries on', async () => {
    const chunk = Buffer.alloc(1 << 20, 'x');
    let sent = 0;
    const url = await startPortal((_body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      // Far more than the cap, chunked (no content-length): only reading can stop it.
      const write = () => {
        while (sent < 4 * MAX_PORTAL_ANSWER_BYTES) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', write);
        }
        res.end();
      };
      res.on('close', () => (sent = Infinity));
      write();
    });
    spine = await startSpine({ count: 1, target: { baseUrl: url, timeoutMs: 20_000, retry: { maxAttempts: 1, minDelayMs: 10, maxDelayMs: 20 } } });
    const summary = await runSync(spine.ledger, spine.config, { env: spine.env });
    expect(summary.targets[0]).toMatchObject({ delivered: 0 });
    const { errors, receipts } = await stored(spine);
    expect(errors[0]).toContain(`larger than ${MAX_PORTAL_ANSWER_BYTES} bytes`);
    for (const text of [...errors, ...receipts]) expect(text.length).toBeLessThan(5000);
  });

  it('cuts a long answer it did read to a few KB, with the original size', async () => {
    const url = await startPortal((_body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: '-1', message: `Dữ liệu không hợp lệ: ${'ư'.repeat(1_000_000)}` }));
    });
    spine = await startSpine({ count: 1, target: { baseUrl: url, retry: { maxAttempts: 1, minDelayMs: 10, maxDelayMs: 20 } } });
    await runSync(spine.ledger, spine.config, { env: spine.env });
    const { errors, receipts } = await stored(spine);
    for (const text of [...errors, ...receipts.filter((m) => m.includes('Dữ liệu'))]) {
      expect(text.length).toBeLessThan(10_000);
      expect(text).toContain('characters in all]');
    }
    expect(receipts.some((m) => m.includes('1.000.022 characters in all]'))).toBe(true);
  });
});

describe('a page the database refuses', () => {
  it('names the database error in the run summary and the API, never the statement or its parameters', async () => {
    spine = await startSpine({ count: 3 });
    // A real refusal by the database (as a NUL or a full disk would cause), on every page of this run.
    await spine.ledger.rows(sql`alter table dossiers add constraint lt_test_short_code check (length(code) < 10) not valid`);
    const summary = await runSync(spine.ledger, spine.config, { env: spine.env, push: false });
    const error = summary.sources[0]?.error ?? '';
    expect(error).toMatch(/^database error 23514: .*lt_test_short_code/);
    const stored = JSON.stringify(await spine.ledger.rows(sql`select summary from runs`));
    for (const text of [error, stored]) {
      expect(text).not.toMatch(/insert into|Failed query|params:/i);
      for (const r of spine.records) expect(text).not.toContain(r.ChuHoSo);
    }
  });
});
