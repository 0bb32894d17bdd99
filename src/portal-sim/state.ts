/**
 * In-memory state of the simulated portal: sessions, stored dossiers and progress, call counters,
 * the current faults and their seeded RNG. Everything here is synchronous and in-process.
 */
import { randomUUID } from 'node:crypto';
import { contentHash } from '../dossier/index.ts';
import { createRng } from './rng.ts';
import { DEFAULT_OAUTH_CLIENT_ID, DEFAULT_OAUTH_CLIENT_SECRET, type SimDialect } from './dialects.ts';
import type { PortalSimControl, PortalSimOptions, SimDossier, SimFaults, SimOutcome, SimService, SimStats } from './types.ts';

/** A stored dossier plus the hashes used to drop progress items sent twice. */
export interface StoredDossier extends SimDossier {
  progressKeys: Set<string>;
}

export type SessionStatus = 'valid' | 'expired' | 'unknown';

export const DEFAULT_USERNAME = 'lienthong';
export const DEFAULT_PASSWORD = 'secret';

export class SimState {
  readonly username: string;
  readonly password: string;
  readonly unitCode: string | undefined;
  faults: SimFaults;
  readonly dialects: ReadonlySet<SimDialect>;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly tokenTtlSeconds: number;
  readonly busyEvery: number;
  /** Pushes seen (the `busy-200` dialect answers every busyEvery-th one "-1"). */
  pushCalls = 0;
  private readonly tokens = new Map<string, { expiresAt: number; expired: boolean }>();
  private readonly preload: NonNullable<PortalSimOptions['preload']>;
  /** Aborted when the server closes, so hanging and delayed answers stop waiting. */
  readonly closing = new AbortController();
  readonly dossierMap = new Map<string, StoredDossier>();
  private rng: () => number;
  private readonly sessions = new Map<string, { expired: boolean }>();
  private calls: SimStats['calls'] = {};
  private total = 0;
  private progressCount = 0;

  constructor(opts: PortalSimOptions = {}) {
    this.username = opts.username ?? DEFAULT_USERNAME;
    this.password = opts.password ?? DEFAULT_PASSWORD;
    this.unitCode = opts.unitCode;
    this.faults = { ...opts.faults };
    this.rng = createRng(opts.seed ?? 1);
    this.dialects = new Set(opts.dialect ?? []);
    this.clientId = opts.clientId ?? DEFAULT_OAUTH_CLIENT_ID;
    this.clientSecret = opts.clientSecret ?? DEFAULT_OAUTH_CLIENT_SECRET;
    this.tokenTtlSeconds = opts.tokenTtlSeconds ?? 60;
    this.busyEvery = opts.busyEvery ?? 3;
    this.preload = opts.preload ?? [];
    this.loadPreload();
  }

  has(d: SimDialect): boolean {
    return this.dialects.has(d);
  }

  private loadPreload(): void {
    for (const r of this.preload) {
      this.dossierMap.set(r.MaHoSo, {
        code: r.MaHoSo,
        unitCode: this.unitCode ?? 'preloaded',
        record: structuredClone(r),
        pushes: 0,
        isUpdatingSeen: [],
        progress: [],
        progressKeys: new Set(),
      });
    }
  }

  issueToken(): string {
    const token = randomUUID();
    this.tokens.set(token, { expiresAt: Date.now() + this.tokenTtlSeconds * 1000, expired: false });
    return token;
  }

  /** Marks the bearer token of `header` expired (pExpireSession with the `oauth2` dialect). */
  expireToken(header: string | undefined): void {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    const t = m ? this.tokens.get(m[1] as string) : undefined;
    if (t) t.expired = true;
  }

  /** Status of `Authorization: Bearer …` (the `oauth2` dialect). */
  tokenStatus(header: string | undefined): SessionStatus {
    const m = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    const t = m ? this.tokens.get(m[1] as string) : undefined;
    if (!t) return 'unknown';
    return t.expired || Date.now() >= t.expiresAt ? 'expired' : 'valid';
  }

  /** True with probability `p` (0 or absent never draws, so fault-free runs keep the RNG still). */
  draw(p: number | undefined): boolean {
    return p !== undefined && p > 0 && this.rng() < p;
  }

  count(service: SimService, outcome: SimOutcome): void {
    this.total += 1;
    const perService = (this.calls[service] ??= {});
    perService[outcome] = (perService[outcome] ?? 0) + 1;
  }

  issueSession(): string {
    const token = randomUUID();
    this.sessions.set(token, { expired: false });
    return token;
  }

  sessionStatus(token: unknown): SessionStatus {
    if (typeof token !== 'string') return 'unknown';
    const s = this.sessions.get(token);
    if (!s) return 'unknown';
    return s.expired ? 'expired' : 'valid';
  }

  expireSession(token: string): void {
    const s = this.sessions.get(token);
    if (s) s.expired = true;
  }

  /** Adds a progress item unless an identical one is already stored; returns whether it was new. */
  addProgress(d: StoredDossier, item: SimDossier['progress'][number]): boolean {
    const key = contentHash(item);
    if (d.progressKeys.has(key)) return false;
    d.progressKeys.add(key);
    d.progress.push(item);
    this.progressCount += 1;
    return true;
  }

  /** The control surface shared by the app factory and the started server. */
  control(): PortalSimControl {
    return {
      setFaults: (f) => {
        this.faults = { ...f };
      },
      stats: () => ({
        total: this.total,
        calls: structuredClone(this.calls),
        dossiers: this.dossierMap.size,
        progressItems: this.progressCount,
      }),
      dossier: (code) => publicView(this.dossierMap.get(code)),
      dossiers: () => iterate(this.dossierMap.values()),
      reset: () => {
        this.dossierMap.clear();
        this.sessions.clear();
        this.tokens.clear();
        this.pushCalls = 0;
        this.loadPreload();
        this.calls = {};
        this.total = 0;
        this.progressCount = 0;
      },
      expireSessions: () => {
        for (const s of this.sessions.values()) s.expired = true;
        for (const t of this.tokens.values()) t.expired = true;
      },
      forget: (code) => this.dossierMap.delete(code),
      patch: (code, fields) => {
        const d = this.dossierMap.get(code);
        if (d) d.record = { ...d.record, ...fields };
        return d !== undefined;
      },
    };
  }
}

function publicView(d: StoredDossier | undefined): SimDossier | undefined {
  if (!d) return undefined;
  // Copies, so a test holding a view does not see later pushes change it under its feet.
  return {
    code: d.code,
    unitCode: d.unitCode,
    record: structuredClone(d.record),
    pushes: d.pushes,
    isUpdatingSeen: [...d.isUpdatingSeen],
    progress: structuredClone(d.progress),
  };
}

function* iterate(values: Iterable<StoredDossier>): IterableIterator<SimDossier> {
  for (const d of [...values]) {
    const view = publicView(d);
    if (view) yield view;
  }
}
