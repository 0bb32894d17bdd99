/**
 * A fake upstream on a loopback port (token servers, local systems, portals) for tests: each
 * request's body is read whole before the handler sees it. A handler that throws answers 500
 * (the test's client sees it; the server never hangs).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  base: string;
  close(): Promise<void>;
}

export type LocalHandler = (req: IncomingMessage, body: string, res: ServerResponse) => unknown;

/** Writes `v` as a JSON answer. */
export const sendJson = (res: ServerResponse, status: number, v: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));

const bodyOf = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let s = '';
    req.on('data', (c: Buffer) => (s += c.toString('utf8')));
    req.on('end', () => resolve(s));
    req.on('error', reject);
  });

/**
 * @example
 * const server = await startLocalServer((req, body, res) => sendJson(res, 200, { access_token: 'tok-1', expires_in: 3600 }));
 * await server.close();
 */
export async function startLocalServer(handle: LocalHandler): Promise<LocalServer> {
  const server = createServer((req, res) => {
    void bodyOf(req)
      .then((body) => handle(req, body, res))
      .catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`test server: ${(e as Error).message}`);
      });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
