// The embedded database on its own thread (see pglite-thread.ts). Plain JavaScript on purpose: a
// worker thread does not inherit the TypeScript loader of the main thread.
//
// Messages in:  { id, op: 'query', sql, params, rowMode, identityOids, tx? } | { id, op: 'exec', sql, tx? }
//               | { id, op: 'begin' } | { id, op: 'end', tx, commit } | { id, op: 'dump', compression } | { id, op: 'close' }
// Messages out: { id, ok: true, value } | { id, ok: false, error: { message, name, ...fields } }
import { Blob } from 'node:buffer';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { Gate, shareDatabase } from './pglite-share.mjs';

const TEXT_OID = 25;
/** Bytes go out as a binary `text` parameter (their UTF-8 text); anything else as PGlite's default. */
const textParameter = (value) => (value instanceof Uint8Array ? value : value instanceof Date ? value.toISOString() : String(value));

const { dataDir, loadDataDir, share } = workerData;
const ROLLBACK = Symbol('rollback');
/** Open transactions: id → { tx, end(commit), outcome }. */
const txs = new Map();
let nextTx = 1;
const parsersCache = new Map();

/** json and jsonb come back as their text: the main thread parses it (cheaper than cloning objects). */
const JSON_OIDS = [114, 3802];

const identityParsers = (oids) => {
  const key = oids.join(',');
  let parsers = parsersCache.get(key);
  if (!parsers) {
    parsers = Object.fromEntries([...oids, ...JSON_OIDS].map((oid) => [oid, (value) => value]));
    parsersCache.set(key, parsers);
  }
  return parsers;
};

const errorOf = (e) => {
  const out = { message: String(e?.message ?? e), name: e?.name ?? 'Error' };
  // A database error's fields (SQLSTATE code, detail, …) travel with it; functions and objects do not.
  if (e && typeof e === 'object') for (const [k, v] of Object.entries(e)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  return out;
};

let db;
/** Set when the database is shared with other processes (pglite-share.mjs): every use goes through it. */
let gate = null;
let shared = null;
/** Transactions of this process that hold the gate. */
const gated = new Set();
try {
  db = await PGlite.create(dataDir, {
    serializers: { [TEXT_OID]: textParameter },
    ...(loadDataDir ? { loadDataDir: new Blob([loadDataDir]) } : {}),
  });
  let value = null;
  if (share) {
    gate = new Gate();
    try {
      shared = await shareDatabase(db, gate, share);
      value = { address: shared.address };
    } catch (e) {
      // The database still works for this process; only other processes cannot reach it.
      value = { shareError: String(e?.message ?? e) };
    }
  }
  parentPort.postMessage({ id: 0, ok: true, value });
} catch (e) {
  parentPort.postMessage({ id: 0, ok: false, error: errorOf(e) });
}

const on = (tx) => {
  if (tx === undefined || tx === null) return db;
  const open = txs.get(tx);
  if (!open) throw new Error(`transaction ${tx} is not open`);
  return open.tx;
};

async function handle(msg) {
  switch (msg.op) {
    case 'query':
      return on(msg.tx).query(msg.sql, msg.params, { rowMode: msg.rowMode, parsers: identityParsers(msg.identityOids ?? []) });
    case 'exec':
      return on(msg.tx).exec(msg.sql);
    case 'begin': {
      // The transaction stays open on this thread until 'end' says commit or roll back.
      const id = nextTx++;
      const open = { tx: null, end: null, outcome: null };
      const decided = new Promise((resolve) => (open.end = resolve));
      return new Promise((opened, failed) => {
        open.outcome = db
          .transaction(async (tx) => {
            open.tx = tx;
            txs.set(id, open);
            opened(id);
            if (!(await decided)) throw ROLLBACK;
          })
          .then(
            () => null,
            (e) => (e === ROLLBACK ? null : e),
          )
          .finally(() => txs.delete(id));
        // BEGIN itself failed: the transaction never opened.
        open.outcome.then((e) => e && open.tx === null && failed(e));
      });
    }
    case 'end': {
      const open = txs.get(msg.tx);
      if (!open) throw new Error(`transaction ${msg.tx} is not open`);
      open.end(Boolean(msg.commit));
      // Null when committed (or rolled back as asked); the error when the commit failed.
      const e = await open.outcome;
      if (e) throw e;
      return null;
    }
    case 'dump': {
      const blob = await db.dumpDataDir(msg.compression);
      return new Uint8Array(await blob.arrayBuffer());
    }
    case 'close':
      await db.close();
      return null;
    default:
      throw new Error(`unknown operation ${msg.op}`);
  }
}

/** Without sharing, PGlite's own locks suffice; shared, this process takes the gate like a client. */
async function guarded(msg) {
  if (!gate) return handle(msg);
  switch (msg.op) {
    case 'close':
      await shared?.close();
      return gate.run(() => handle(msg));
    case 'begin': {
      await gate.acquire();
      try {
        const id = await handle(msg);
        gated.add(id);
        return id;
      } catch (e) {
        gate.release();
        throw e;
      }
    }
    case 'end':
      try {
        return await handle(msg);
      } finally {
        if (gated.delete(msg.tx)) gate.release();
      }
    default:
      // Inside a transaction of this process: the transaction holds the gate.
      if (msg.tx !== undefined && msg.tx !== null) return handle(msg);
      return gate.run(() => handle(msg));
  }
}

parentPort.on('message', (msg) => {
  guarded(msg).then(
    (value) => {
      // Query results carry no functions; blobs are read above.
      parentPort.postMessage({ id: msg.id, ok: true, value });
      if (msg.op === 'close') parentPort.close();
    },
    (e) => parentPort.postMessage({ id: msg.id, ok: false, error: errorOf(e) }),
  );
});
