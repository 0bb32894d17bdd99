/**
 * Fault injection for the simulated portal. Faults are drawn per call from the seeded RNG in a
 * fixed order (reset, hang, 503, 429), before the call touches the store; the lost
 * acknowledgement is drawn after a call has been stored, so the client sees a failure for a call
 * whose effect already happened and must retry it safely.
 */
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { SimAnswer } from './handlers.ts';
import type { SimState } from './state.ts';
import type { SimService } from './types.ts';

export type SimEnv = { Bindings: Partial<HttpBindings> };
type Ctx = Context<SimEnv>;

/** Waits `ms`, or less when the simulator is closing. */
export function pause(state: SimState, ms: number): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  const signal = state.closing.signal;
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}

/**
 * Destroys the TCP connection under the request. Without a socket (in-process `app.request()`),
 * answers 502 instead so that the call still fails as a transport error would.
 */
export function resetConnection(c: Ctx): Response {
  const socket = c.env?.incoming?.socket;
  if (socket) {
    socket.destroy();
    // Nothing will be written: the socket is gone. The response only satisfies the router.
    return new Response(null, { status: 502 });
  }
  return c.text('Bad Gateway (simulated connection reset)', 502);
}

/** Latency and the faults that strike before a call is processed; null = go on. */
export async function faultBefore(state: SimState, c: Ctx, service: SimService): Promise<Response | null> {
  const f = state.faults;
  if (f.latencyMs) await pause(state, f.latencyMs);
  if (state.draw(f.pReset)) {
    state.count(service, 'fault_reset');
    return resetConnection(c);
  }
  if (state.draw(f.pHang)) {
    state.count(service, 'fault_hang');
    await pause(state, f.hangMs ?? 30_000);
    return c.text('Gateway Timeout (simulated hang)', 504);
  }
  if (state.draw(f.p503)) {
    state.count(service, 'fault_503');
    return c.text('Service Unavailable (simulated)', 503);
  }
  if (state.draw(f.p429)) {
    state.count(service, 'fault_429');
    return c.text('Too Many Requests (simulated)', 429, { 'Retry-After': String(f.retryAfterSeconds ?? 1) });
  }
  return null;
}

/**
 * The lost acknowledgement: the call was stored, but the client gets a 502 or a reset.
 * The caller counts the call (as `fault_lost_ack` when this returns a response).
 */
export function faultAfter(state: SimState, c: Ctx, answer: SimAnswer): Response | null {
  if (!answer.stored || !state.draw(state.faults.pLostAck)) return null;
  // Half of the lost acks look like a proxy error, half like a dropped connection.
  return state.draw(0.5) ? resetConnection(c) : c.text('Bad Gateway (simulated lost acknowledgement)', 502);
}

/** Expires the caller's session on demand (pExpireSession), before the session is checked. */
export function faultSession(state: SimState, token: unknown): void {
  if (typeof token === 'string' && state.draw(state.faults.pExpireSession)) state.expireSession(token);
}
