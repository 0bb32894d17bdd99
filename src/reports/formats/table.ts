/**
 * One model of a report table for people, rendered to CSV, XLSX and HTML alike: a title, lines of
 * context (unit, period, generation time), a multi-row header with merged cells, typed columns,
 * rows with highlighted cells, and notes.
 */
import type { ChartSpec } from './svg-chart.ts';
import { formatCount, formatDateVi, formatDecimal, formatPercent } from './vi-number.ts';

/** count: whole number; percent: percentage points (97.51); score: 2 decimals; date: YYYY-MM-DD. */
export type CellKind = 'text' | 'count' | 'percent' | 'score' | 'date';
export type CellValue = string | number | null;

export interface HeaderCell {
  label: string;
  colSpan?: number;
  rowSpan?: number;
}

export interface TableRow {
  cells: CellValue[];
  /** Column indexes to highlight (e.g. a late rate above the threshold). */
  highlight?: number[];
  total?: boolean;
}

export interface ReportTable {
  /** Sheet name in XLSX (≤ 31 characters). */
  sheet: string;
  title: string;
  meta: string[];
  header: HeaderCell[][];
  columns: Array<{ kind: CellKind; width?: number }>;
  rows: TableRow[];
  notes: string[];
  /** Explains the highlight, shown under the table when a cell is highlighted. */
  legend?: string;
  /** Charts drawn under the table in HTML (svg-chart.ts); CSV and XLSX leave them out. */
  charts?: ChartSpec[];
}

export interface PlacedHeader {
  label: string;
  row: number;
  col: number;
  rowSpan: number;
  colSpan: number;
}

/**
 * Positions of the header cells in the grid (columns taken by row spans from above are skipped).
 * @example placeHeader([[{ label: 'A', rowSpan: 2 }, { label: 'B', colSpan: 2 }], [{ label: 'b1' }, { label: 'b2' }]])[2] // { label: 'b1', row: 1, col: 1, … }
 */
export function placeHeader(header: HeaderCell[][]): PlacedHeader[] {
  const taken = new Set<string>();
  const out: PlacedHeader[] = [];
  header.forEach((cells, row) => {
    let col = 0;
    for (const c of cells) {
      while (taken.has(`${row}:${col}`)) col++;
      const rowSpan = c.rowSpan ?? 1;
      const colSpan = c.colSpan ?? 1;
      for (let r = row; r < row + rowSpan; r++) for (let k = col; k < col + colSpan; k++) taken.add(`${r}:${k}`);
      out.push({ label: c.label, row, col, rowSpan, colSpan });
      col += colSpan;
    }
  });
  return out;
}

/**
 * What each of `n` columns is called: the labels of every header cell above it, top to bottom,
 * joined with " › " (a cell spanning several rows or columns names each column it covers).
 * @example columnLabels([[{ label: 'A', rowSpan: 2 }, { label: 'B', colSpan: 2 }], [{ label: 'b1' }, { label: 'b2' }]], 3) // ['A', 'B › b1', 'B › b2']
 */
export function columnLabels(header: HeaderCell[][], n: number): string[] {
  const parts: string[][] = Array.from({ length: n }, () => []);
  for (const h of [...placeHeader(header)].sort((a, b) => a.row - b.row)) {
    for (let k = h.col; k < Math.min(n, h.col + h.colSpan); k++) {
      const label = h.label.replace(/\s+/g, ' ').trim();
      if (label && parts[k]?.at(-1) !== label) parts[k]?.push(label);
    }
  }
  return parts.map((p, i) => (p.length ? p.join(' › ') : `(${i + 1})`));
}

/** Text of a cell as people read it (Vietnamese formats). */
export function cellText(kind: CellKind, v: CellValue): string {
  if (v === null) return kind === 'text' ? '' : '—';
  if (typeof v === 'string') return kind === 'date' ? formatDateVi(v) : v;
  if (kind === 'count') return formatCount(v);
  if (kind === 'percent') return formatPercent(v);
  if (kind === 'score') return formatDecimal(v);
  return String(v);
}
