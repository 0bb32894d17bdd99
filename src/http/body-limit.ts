/**
 * One body limit for every route of the app (API, dashboard, webhook intake): registered before
 * any route, so no handler parses more than `server.bodyLimitBytes`. A declared `Content-Length`
 * over the limit is refused at once; a chunked body is counted as it streams and refused as soon
 * as it passes the limit (at most the limit is ever held). The answer is 413; the connection is
 * then closed gently (`lingerIfIncomplete` in node-server.ts): closing at once would reset it and
 * lose the answer while the client still sends.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { GatewayError } from '../errors.ts';
import { renderError } from './errors.ts';
import type { AppEnv } from './types.ts';

/**
 * @example
 * app.use(requestBodyLimit(config.server.bodyLimitBytes)); // 413 `payload_too_large` beyond it
 */
export function requestBodyLimit(maxBytes: number): MiddlewareHandler<AppEnv> {
  return bodyLimit({
    maxSize: maxBytes,
    onError: (c) =>
      renderError(
        new GatewayError('payload_too_large', `the body is larger than ${maxBytes} bytes (server.bodyLimitBytes); send less at once (a webhook: fewer records per push)`, { status: 413 }),
        c as Context<AppEnv>,
      ),
  });
}
