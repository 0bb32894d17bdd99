/**
 * For end-to-end adapter tests: a fake local system served by msw (loopback traffic — the portal
 * simulator — passes through), and a spine that is closed after each test.
 */
import { http, passthrough, type RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startSpine, type Spine, type SpineOptions } from './spine.ts';

export function useFakeSource(...handlers: RequestHandler[]): { startSpine(opts?: SpineOptions): Promise<Spine> } {
  const server = setupServer(...handlers, http.all(/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/.*/, () => passthrough()));
  let open: Spine | undefined;
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
  return {
    async startSpine(opts) {
      open = await startSpine(opts);
      return open;
    },
  };
}
