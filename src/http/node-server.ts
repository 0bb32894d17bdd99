/**
 * The Node HTTP server of `lienthong serve`, with every bound of `server.*` applied: a client
 * must send its headers within `headersTimeoutMs` and its whole request within `requestTimeoutMs`
 * (else 408 and the connection is closed: a slowloris holds nothing for long), and at most
 * `maxConnections` sockets are open at once (more are dropped on connect). Bodies are bounded in
 * the app itself (`body-limit.ts`); request line + headers by Node's 16 KiB `maxHeaderSize` (431).
 */
import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Config } from '../../schemas/config.ts';
import { ConfigError } from '../errors.ts';

export type ServerLimits = Pick<Config['server'], 'headersTimeoutMs' | 'requestTimeoutMs' | 'maxConnections'>;

/** Node checks the timeouts of open connections on this period; it bounds how late a cut comes. */
export function checkingIntervalMs(limits: ServerLimits): number {
  return Math.max(50, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
}

/**
 * Starts listening; resolves once the port is bound.
 *
 * @example
 * const server = await listenNode(app.fetch, { port: 8080, hostname: '127.0.0.1', limits: config.server });
 * // later: server.close()
 */
export async function listenNode(
  fetch: (request: Request) => Response | Promise<Response>,
  options: { port: number; hostname: string; limits: ServerLimits },
): Promise<Server> {
  const { headersTimeoutMs, requestTimeoutMs, maxConnections } = options.limits;
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(`server.headersTimeoutMs (${headersTimeoutMs}) must not exceed server.requestTimeoutMs (${requestTimeoutMs})`);
  }
  const server = createServer(
    { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: checkingIntervalMs(options.limits) },
    getRequestListener(fetch, { hostname: options.hostname }),
  );
  server.maxConnections = maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.hostname, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}
