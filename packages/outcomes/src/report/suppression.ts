/**
 * Small-cell suppression of the program report, after the CMS cell size suppression policy: no
 * count from 1 to k-1 is shown (zero is), and none can be derived from the others. Within a table
 * whose total is shown, suppressed cells are complemented: the next smallest counts are suppressed
 * too until the hidden cells add up to at least k (so no single small count can be recovered by
 * subtraction), or, when no count is left to hide, the total is suppressed.
 *
 * See: OUTCOME_SOURCES['cms-cell-suppression']
 */

/** A count suppressed for being small, or for protecting a small count (the two are not told apart). */
export interface SuppressedCell {
  readonly suppressed: true;
}

/** A count or sum in the report: a number, or {@link SuppressedCell}. */
export type Cell = number | SuppressedCell;

/** The one suppressed-cell value (cells are compared by `suppressed`, never by identity). */
export const SUPPRESSED: SuppressedCell = Object.freeze({ suppressed: true });

/**
 * `true` when a report cell is suppressed.
 *
 * @param cell - a cell of the program report (or anything else: only a suppressed cell is `true`)
 * @example
 * isSuppressed(report.totals.peopleServed) ? '<11' : report.totals.peopleServed;
 */
export function isSuppressed(cell: unknown): cell is SuppressedCell {
  return typeof cell === 'object' && cell !== null && (cell as { suppressed?: unknown }).suppressed === true;
}

/** Counts suppressed cells as the report is built, and applies the rule. */
export class Suppressor {
  /** Cells suppressed so far. */
  suppressedCells = 0;

  constructor(readonly minCellSize: number) {}

  /** A cell suppressed to protect another (counted like any suppressed cell). */
  hide(): SuppressedCell {
    this.suppressedCells += 1;
    return SUPPRESSED;
  }

  /** A count with no total shown beside it: suppressed when from 1 to k-1. */
  count(value: number): Cell {
    return value >= 1 && value < this.minCellSize ? this.hide() : value;
  }

  /**
   * A table of counts and its total, complemented (see the file comment).
   *
   * @param values - the counts
   * @returns the cells and the total cell
   */
  table(values: readonly number[]): { cells: Cell[]; total: Cell } {
    const k = this.minCellSize;
    const hidden = values.map((v) => v >= 1 && v < k);
    const total = values.reduce((a, b) => a + b, 0);
    let totalHidden = total >= 1 && total < k;
    for (;;) {
      const mass = values.reduce((sum, v, i) => sum + (hidden[i] ? v : 0), 0);
      if (totalHidden || mass === 0 || mass >= k) break;
      let next = -1;
      values.forEach((v, i) => {
        if (!hidden[i] && v > 0 && (next === -1 || v < (values[next] ?? 0))) next = i;
      });
      if (next === -1) {
        totalHidden = true;
        break;
      }
      hidden[next] = true;
    }
    return {
      cells: values.map((v, i) => (hidden[i] ? this.hide() : v)),
      total: totalHidden ? this.hide() : total,
    };
  }

  /** A value derived from counts (minutes of contacts, a mean over pairs, a rate): hidden when any of them is. */
  derived(value: number, ...from: readonly Cell[]): Cell {
    return from.some(isSuppressed) ? this.hide() : value;
  }
}
