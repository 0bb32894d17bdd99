// Shares the embedded database of `lienthong serve` with other local lienthong processes (the CLI)
// over the PostgreSQL wire protocol, on the database thread (see pglite-worker.mjs). Plain JavaScript
// for the same reason as the worker.
//
// PGlite is one session. Everything that uses it goes through one gate, so nothing interleaves:
// - the serve process's own queries take the gate per query, and for a whole transaction;
// - a connected client takes it for one protocol cycle (up to Sync or a simple Query) and keeps it
//   while its session is inside a transaction (ReadyForQuery status T or E), so two transactions
//   never mix; a client that disconnects or stays silent for IDLE_MS inside a transaction is rolled
//   back and dropped.
// Clients authenticate with the random password written, readable by the user only, beside the
// database (cleartext over a Unix socket or 127.0.0.1, never the network); the wrong password is
// refused like PostgreSQL refuses it (28P01).
import { timingSafeEqual, createHash } from 'node:crypto';
import { chmod, rm } from 'node:fs/promises';
import { Buffer } from 'node:buffer';
import { createServer } from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';

/** Silence allowed to a client that holds the session (inside a transaction or a protocol cycle). */
const IDLE_MS = 60_000;
/** A startup packet or password longer than this is not a lienthong client. */
const MAX_STARTUP = 10_000;
/** One protocol message (a statement with its parameters): far above what the CLI sends. */
const MAX_MESSAGE = 64 * 1024 * 1024;
/** Time a connection has to authenticate before it is dropped. */
const AUTH_MS = 10_000;
/** Connections at once (the CLI opens at most 4 per command). */
const MAX_CONNECTIONS = 32;
/** Messages read ahead of the one being run; past it the socket stops reading until the queue drains. */
const MAX_QUEUED = 64;

const SSL_REQUEST = 80877103;
const GSS_REQUEST = 80877104;
const CANCEL_REQUEST = 80877102;
const PROTOCOL_3 = 196608;

/** A FIFO mutex: `await gate.acquire()` … `gate.release()`. */
export class Gate {
  #locked = false;
  #waiters = [];

  acquire() {
    if (!this.#locked) {
      this.#locked = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release() {
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }

  async run(fn) {
    await this.acquire();
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}

const message = (type, body) => {
  const out = Buffer.alloc(5 + body.length);
  out.write(type, 0, 'latin1');
  out.writeInt32BE(4 + body.length, 1);
  body.copy(out, 5);
  return out;
};
const int32 = (n) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const fatal = (code, text) =>
  message('E', Buffer.concat([Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${text}\0`, 'utf8'), Buffer.from([0])]));
const simpleQuery = (sql) => message('Q', Buffer.from(`${sql}\0`, 'utf8'));
const SYNC = message('S', Buffer.alloc(0));

/** The transaction status of the last ReadyForQuery in a backend answer: 'I', 'T', 'E', or null when none. */
export function readyStatus(bytes) {
  let status = null;
  let i = 0;
  while (i + 5 <= bytes.length) {
    const len = (bytes[i + 1] << 24) | (bytes[i + 2] << 16) | (bytes[i + 3] << 8) | bytes[i + 4];
    if (bytes[i] === 0x5a && len === 5 && i + 5 < bytes.length) status = String.fromCharCode(bytes[i + 5]);
    if (len < 4) break;
    i += 1 + len;
  }
  return status;
}

const digest = (s) => createHash('sha256').update(String(s), 'utf8').digest();

/**
 * Starts the server. `listen` is `{ path }` (Unix socket) or `{ host, port }`.
 * @returns {Promise<{ address: { path?: string, host?: string, port?: number }, close(): Promise<void> }>}
 */
export async function shareDatabase(db, gate, { listen, password }) {
  const expected = digest(password);
  const connections = new Set();

  const run = (bytes) => db.runExclusive(() => db.execProtocolRaw(bytes));

  const server = createServer((socket) => {
    if (connections.size >= MAX_CONNECTIONS) return socket.destroy();
    const conn = serveConnection(socket);
    connections.add(conn);
    socket.once('close', () => connections.delete(conn));
  });

  function serveConnection(socket) {
    let buffer = Buffer.alloc(0);
    let phase = 'startup';
    let startup = null;
    let holding = false;
    let closed = false;
    let idle = null;
    /** Messages waiting, handled one at a time in order. */
    const queue = [];
    let working = Promise.resolve();

    let waitingDrain = false;
    const authTimer = setTimeout(() => {
      if (phase !== 'ready') socket.destroy();
    }, AUTH_MS);
    authTimer.unref?.();
    const armIdle = () => {
      clearTimeout(idle);
      idle = holding ? setTimeout(() => socket.destroy(), IDLE_MS) : null;
    };
    const write = (bytes) => {
      // A client that does not read its answers stops being read (no unbounded buffering of results).
      if (!closed && bytes.length && !socket.write(bytes) && !waitingDrain) {
        waitingDrain = true;
        socket.pause();
        socket.once('drain', () => {
          waitingDrain = false;
          if (queue.length < MAX_QUEUED && !closed) socket.resume();
        });
      }
    };
    const refuse = (bytes) => {
      write(bytes);
      closed = true;
      socket.end();
      setTimeout(() => socket.destroy(), 1000).unref?.();
    };

    /** Gives the session back clean: no half cycle, no open transaction. */
    const cleanup = async () => {
      if (!holding) return;
      try {
        let status = readyStatus(await run(SYNC));
        if (status !== 'I') status = readyStatus(await run(simpleQuery('ROLLBACK')));
      } catch {
        // The database is closing: nothing more to give back.
      } finally {
        holding = false;
        gate.release();
      }
    };

    const handle = async (type, msg) => {
      if (closed) return;
      if (phase === 'auth') {
        if (type !== 'p') return refuse(fatal('28000', 'password authentication expected'));
        const given = msg.subarray(5, msg.length - 1).toString('utf8');
        if (!timingSafeEqual(digest(given), expected)) return refuse(fatal('28P01', 'password authentication failed for the lienthong serve database'));
        phase = 'ready';
        clearTimeout(authTimer);
        // PGlite answers the startup packet itself (AuthenticationOk, ParameterStatus…, ReadyForQuery).
        write(Buffer.from(await gate.run(() => run(startup))));
        return;
      }
      if (type === 'X') return socket.end();
      if (!holding) {
        await gate.acquire();
        holding = true;
        if (closed) return cleanup();
      }
      const out = await run(msg);
      write(Buffer.from(out));
      const status = readyStatus(out);
      if (status === 'I') {
        holding = false;
        gate.release();
      }
      armIdle();
    };

    const onStartup = (len) => {
      const code = buffer.readInt32BE(4);
      const packet = buffer.subarray(0, len);
      buffer = buffer.subarray(len);
      if (code === SSL_REQUEST || code === GSS_REQUEST) return write(Buffer.from('N'));
      if (code === CANCEL_REQUEST) return socket.end();
      if (code !== PROTOCOL_3) {
        write(fatal('0A000', 'unsupported frontend protocol'));
        return socket.end();
      }
      startup = Buffer.from(packet);
      phase = 'auth';
      write(message('R', int32(3)));
    };

    // Chunks are joined once enough bytes for the next message have arrived (not on every chunk:
    // that would copy a large message over and over).
    let pending = [];
    let pendingBytes = 0;
    let need = 0;
    socket.on('data', (data) => {
      pending.push(data);
      pendingBytes += data.length;
      if (buffer.length + pendingBytes < need) return;
      buffer = Buffer.concat(buffer.length ? [buffer, ...pending] : pending);
      pending = [];
      pendingBytes = 0;
      need = 0;
      while (!closed) {
        if (phase === 'startup') {
          if (buffer.length < 8) break;
          const len = buffer.readInt32BE(0);
          if (len < 8 || len > MAX_STARTUP) return socket.destroy();
          if (buffer.length < len) {
            need = len;
            break;
          }
          onStartup(len);
          continue;
        }
        if (buffer.length < 5) break;
        const len = buffer.readInt32BE(1);
        if (len < 4 || len > MAX_MESSAGE || (phase === 'auth' && len > MAX_STARTUP)) return socket.destroy();
        if (buffer.length < 1 + len) {
          need = 1 + len;
          break;
        }
        const msg = Buffer.from(buffer.subarray(0, 1 + len));
        const type = String.fromCharCode(msg[0]);
        buffer = buffer.subarray(1 + len);
        queue.push([type, msg]);
        if (queue.length >= MAX_QUEUED) socket.pause();
        working = working.then(async () => {
          const next = queue.shift();
          if (next) await handle(next[0], next[1]).catch(() => socket.destroy());
          if (queue.length < MAX_QUEUED / 2 && socket.isPaused() && !closed && !waitingDrain) socket.resume();
        });
      }
    });
    const done = new Promise((resolve) => {
      socket.once('close', () => {
        closed = true;
        clearTimeout(idle);
        clearTimeout(authTimer);
        queue.length = 0;
        working = working.then(cleanup).then(resolve, resolve);
      });
    });
    socket.on('error', () => undefined);
    return { socket, done };
  }

  if (listen.path) await rm(listen.path, { force: true });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    if (listen.path) server.listen(listen.path, resolve);
    else server.listen(listen.port ?? 0, listen.host ?? '127.0.0.1', resolve);
  });
  let address;
  if (listen.path) {
    await chmod(listen.path, 0o600);
    address = { path: listen.path };
  } else {
    const a = server.address();
    address = { host: a.address, port: a.port };
  }
  // The server never keeps the thread (and so the process) alive by itself.
  server.unref();

  return {
    address,
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve());
        for (const c of connections) c.socket.destroy();
      });
      await Promise.all([...connections].map((c) => c.done));
      if (listen.path) await rm(listen.path, { force: true });
    },
  };
}
