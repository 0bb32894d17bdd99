/**
 * An in-process API over a real spine (ledger + simulator), with one key per role.
 */
import { Writable } from 'node:stream';
import { createApp } from '../../src/http/app.ts';
import { createApiKey } from '../../src/http/api-keys.ts';
import type { AppDeps } from '../../src/http/types.ts';
import { createRecordMapping } from '../../src/intake/map.ts';
import { createLogger } from '../../src/logger.ts';
import { startSpine, type Spine, type SpineOptions } from '../support/spine.ts';

export interface ApiFixture {
  spine: Spine;
  app: ReturnType<typeof createApp>;
  keys: { admin: string; operator: string; viewer: string };
  /** Every log line written, parsed. */
  logs: Record<string, unknown>[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test answers are read field by field
  call(path: string, init?: RequestInit & { as?: 'admin' | 'operator' | 'viewer' }): Promise<{ status: number; body: any; headers: Headers }>;
}

export async function startApi(opts: SpineOptions & { deps?: Partial<AppDeps>; configure?: (spine: Spine) => void } = {}): Promise<ApiFixture> {
  const spine = await startSpine(opts);
  opts.configure?.(spine);
  const logs: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      cb();
    },
  });
  const logger = createLogger({ level: 'debug', destination });
  const app = createApp({ ledger: spine.ledger, config: spine.config, env: spine.env, logger, mapping: createRecordMapping(spine.env), ...opts.deps });
  const keys = {
    admin: (await createApiKey(spine.ledger, { name: 'admin', role: 'admin' })).key,
    operator: (await createApiKey(spine.ledger, { name: 'ops', role: 'operator' })).key,
    viewer: (await createApiKey(spine.ledger, { name: 'grafana', role: 'viewer' })).key,
  };
  return {
    spine,
    app,
    keys,
    logs,
    async call(path, init = {}) {
      const { as, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (as) headers.set('authorization', `Bearer ${keys[as]}`);
      if (rest.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
      const res = await app.request(path, { ...rest, headers });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        /* text answer (metrics) */
      }
      return { status: res.status, body, headers: res.headers };
    },
  };
}
