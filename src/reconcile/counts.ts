/**
 * Counts per unit × bucket on the four sides, and the rule that decides whether a row differs.
 */
import { BIEU06_BUCKETS, BUCKETS, type Bucket } from './buckets.ts';
import type { CountRow } from './types.ts';

export type Side = 'source' | 'ledger' | 'delivered' | 'portal';

export class CountTable {
  private readonly cells = new Map<string, Record<Side, number>>();
  /** Sides known not to be countable per unit (`portal` for units not looked up…). */
  private readonly unknown = new Map<string, Set<Side>>();

  add(unit: string, buckets: readonly Bucket[], side: Side, delta = 1): void {
    for (const b of buckets) {
      const key = `${unit}\u0000${b}`;
      let cell = this.cells.get(key);
      if (!cell) this.cells.set(key, (cell = { source: 0, ledger: 0, delivered: 0, portal: 0 }));
      cell[side] += delta;
    }
  }

  /** Ensures the unit's rows exist (a unit every side agrees has nothing still gets rows). */
  touch(unit: string): void {
    this.add(unit, BUCKETS, 'ledger', 0);
  }

  markUnknown(unit: string, side: Side): void {
    let s = this.unknown.get(unit);
    if (!s) this.unknown.set(unit, (s = new Set()));
    s.add(side);
  }

  isUnknown(unit: string, side: Side): boolean {
    return this.unknown.get(unit)?.has(side) ?? false;
  }

  units(): string[] {
    return [...new Set([...this.cells.keys()].map((k) => k.split('\u0000')[0] as string))].sort();
  }

  /**
   * Rows in unit, bucket order. `portalFor(bucket)` says which buckets the portal side has at all.
   *
   * @example table.rows((b) => b.startsWith('766_'))
   */
  rows(portalKnown: (unit: string, bucket: Bucket) => boolean): CountRow[] {
    const out: CountRow[] = [];
    for (const unit of this.units()) {
      for (const bucket of BUCKETS) {
        const c = this.cells.get(`${unit}\u0000${bucket}`) ?? { source: 0, ledger: 0, delivered: 0, portal: 0 };
        const v = (side: Side): number | null => (this.isUnknown(unit, side) ? null : c[side]);
        const portal = portalKnown(unit, bucket) ? v('portal') : null;
        const row: CountRow = { unitCode: unit, bucket, source: v('source'), ledger: v('ledger'), delivered: v('delivered'), portal, differs: false };
        const is766 = !(BIEU06_BUCKETS as readonly string[]).includes(bucket);
        const compared = is766 ? [row.delivered, row.portal] : [row.source, row.ledger, row.delivered, row.portal];
        const known = compared.filter((x): x is number => x !== null);
        row.differs = known.length > 1 && known.some((x) => x !== known[0]);
        out.push(row);
      }
    }
    return out;
  }
}
