/**
 * The Node HTTP server of `lienthong serve`, with every bound of `server.*` applied: a client
 * must send its headers within `headersTimeoutMs` and its whole request within `requestTimeoutMs`
 * (else 408 and the connection is closed: a slowloris holds nothing for long), and at most
 * `maxConnections` sockets are open at once (more are dropped on connect). Bodies are bounded in
 * the app itself (`body-limit.ts`); request line + headers by Node's 16 KiB `maxHeaderSize` (431).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Config } from '../../schemas/config.ts';
import { ConfigError } from '../errors.ts';

export type ServerLimits = Pick<Config['server'], 'headersTimeoutMs' | 'requestTimeoutMs' | 'maxConnections'>;

/** Node checks the timeouts of open connections on this period; it bounds how late a cut comes. */
export function checkingIntervalMs(limits: ServerLimits): number {
  return Math.max(50, Math.min(1_000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 4)));
}

/** How long a connection answered before its body was read stays half-open (see {@link lingerIfIncomplete}). */
export const LINGER_MS = 2_000;

/**
 * A "lingering close" for a connection whose answer (413) went out before the client finished
 * sending: closing at once would make the kernel answer the client's next bytes with a reset,
 * which can destroy the answer still unread in the client's buffer. Instead the server sends its
 * FIN after the answer, stops reading (the client's sends block on TCP flow control: no memory is
 * spent on them), and destroys the socket after {@link LINGER_MS} — by then the client has read
 * the answer and stopped.
 */
function lingerIfIncomplete(req: IncomingMessage): void {
  const socket = req.socket as Socket & { lienthongRequest?: IncomingMessage; lienthongLingering?: boolean };
  socket.lienthongRequest = req;
  if (socket.lienthongLingering !== undefined) return;
  socket.lienthongLingering = false;
  const destroySoon = socket.destroySoon.bind(socket);
  // Node and @hono/node-server end such a connection with destroySoon(): linger instead.
  socket.destroySoon = () => {
    if (socket.lienthongRequest?.complete !== false) return destroySoon();
    if (socket.lienthongLingering || socket.destroyed) return;
    socket.lienthongLingering = true;
    socket.end();
    socket.pause();
    // Not unref()ed: a server closing waits for this socket, at most LINGER_MS.
    setTimeout(() => socket.destroy(), LINGER_MS);
  };
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
  const listener = getRequestListener(fetch, { hostname: options.hostname });
  const server = createServer(
    { headersTimeout: headersTimeoutMs, requestTimeout: requestTimeoutMs, connectionsCheckingInterval: checkingIntervalMs(options.limits) },
    (req, res) => {
      // Answered before its body was read (413): close gently, or the client may lose the answer.
      lingerIfIncomplete(req);
      void listener(req, res);
    },
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
