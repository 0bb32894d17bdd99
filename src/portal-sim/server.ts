/**
 * Starts the portal simulator on loopback with @hono/node-server.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { buildPortalSimApp } from './app.ts';
import { SimState } from './state.ts';
import type { PortalSim, StartPortalSimOptions } from './types.ts';

/**
 * Starts the simulator and resolves once it listens.
 *
 * @example
 * const sim = await startPortalSim({ port: 0, faults: { p503: 0.1 }, seed: 7 });
 * // session style: POST `${sim.url}/auth`, then `${sim.url}/service`
 * // bare-array style: POST `${sim.url}/DongBoHoSoMC?MaDinhDanhDV=…&isUpdating=False`
 * await sim.close();
 */
export async function startPortalSim(opts: StartPortalSimOptions = {}): Promise<PortalSim> {
  const state = new SimState(opts);
  const app = buildPortalSimApp(state, opts);
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve(
      // Keep the process's global Request/Response untouched: clients run in the same process.
      { fetch: app.fetch, port: opts.port ?? 0, hostname: host, overrideGlobalObjects: false },
      () => resolve(s as Server),
    ) as Server;
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const control = state.control();
  let closed: Promise<void> | undefined;

  return {
    ...control,
    url: `http://${urlHost}:${port}`,
    port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        state.closing.abort();
        server.close(() => resolve());
        // Keep-alive and hanging connections would otherwise hold close() open.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
