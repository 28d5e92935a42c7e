/**
 * How fast a distinct count grows, in bounded memory, to project it over Dynatrace's 30-day window.
 *
 * The sample is read along one axis: time (the points' timestamps, or their arrival times) or line
 * order. Points sharing one position form a group (one export, one scrape). A checkpoint records the
 * count *before* the first point of a new group, at geometrically spaced positions (at most
 * {@link MAX_CHECKPOINTS}, thinned by halves), so the count after any early group is known roughly.
 * The projection takes the growth in the second half of the sample only: a stable set of series is
 * discovered in the first export and adds nothing later, whereas a volatile dimension keeps adding
 * tuples at its rate, which is extrapolated over the rest of the window.
 *
 * @module
 */

/** Checkpoints kept per counter (then every other one is dropped). */
export const MAX_CHECKPOINTS = 32;
/** A checkpoint is taken when the position moved by at least 1/SPACING of the span so far. */
const SPACING = 16;
/** Growth smaller than this many standard errors of a sketch is noise, not growth. */
const NOISE_SIGMAS = 3;

/** What can be counted: a distinct counter. */
export interface Countable {
  count(): number;
  readonly error: number;
}

/** The growth of one counter along the sample's axis. */
export class Growth {
  private firstX = 0;
  private lastX = 0;
  private lastCheckpointX = 0;
  /** Distinct positions seen (groups). */
  groups = 0;
  private readonly xs = new Float64Array(MAX_CHECKPOINTS);
  private readonly counts = new Float64Array(MAX_CHECKPOINTS);
  private n = 0;

  /** Call before adding the point at position `x` (a running maximum: never smaller than the last). */
  observe(x: number, counter: Countable): void {
    if (this.groups === 0) {
      this.firstX = this.lastX = this.lastCheckpointX = x;
      this.groups = 1;
      return;
    }
    if (x <= this.lastX) return;
    this.groups++;
    if (this.n === 0 || x - this.lastCheckpointX >= (x - this.firstX) / SPACING) {
      if (this.n === MAX_CHECKPOINTS) this.thin();
      this.xs[this.n] = x;
      this.counts[this.n] = counter.count();
      this.n++;
      this.lastCheckpointX = x;
    }
    this.lastX = x;
  }

  /** The span of the sample along its axis, one group's gap included (0 for a single group). */
  span(): number {
    if (this.groups < 2) return 0;
    return ((this.lastX - this.firstX) * this.groups) / (this.groups - 1);
  }

  /**
   * The growth per unit of the axis over the second half of the sample, or `undefined` when the
   * sample has a single group (no growth can be told from it).
   */
  rate(counter: Countable): number | undefined {
    if (this.groups < 2 || this.n === 0) return undefined;
    const span = this.span();
    const gap = span / this.groups;
    const mid = this.firstX + span / 2;
    let i = 0;
    while (i < this.n - 1 && this.xs[i]! < mid) i++;
    const end = counter.count();
    let grown = end - this.counts[i]!;
    if (grown < NOISE_SIGMAS * counter.error * end) grown = 0;
    const duration = this.lastX + gap - this.xs[i]!;
    return duration > 0 ? grown / duration : 0;
  }

  private thin(): void {
    // keep the newest and every other one before it
    let w = 0;
    for (let r = this.n % 2 === 0 ? 1 : 0; r < this.n; r += 2) {
      this.xs[w] = this.xs[r]!;
      this.counts[w] = this.counts[r]!;
      w++;
    }
    this.n = w;
  }
}
