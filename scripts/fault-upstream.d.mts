/** What the stand-in can do with one request (see `fault-upstream.mjs`). */
export type Fault =
  | 'ok'
  | '400-no-vr'
  | '429'
  | '503'
  | '413'
  | 'late-after-store'
  | 'late-no-store'
  | 'close-before-store'
  | 'close-after-store'
  | '202-no-vr-after-store'
  | '500-after-store';

/** How the stand-in judges, stores and fails. */
export interface FaultUpstreamOptions {
  /** The dice. */
  random: () => number;
  /** Weights by fault kind. */
  faults: Readonly<Partial<Record<Fault, number>>>;
  /** The invalid lines of a body (line number → error text), every one, not capped. */
  judge: (body: string) => ReadonlyMap<number, string>;
  /** The store key of a line; undefined: never stored. */
  keyOf: (line: string) => string | undefined;
  /** At most this many invalid lines listed. */
  listCap: number;
  /** How late a late answer comes, ms. */
  lateMs: number;
  /** Keep, per line text, the kinds of every exchange that carried it. */
  seen?: boolean;
}

/** A running stand-in. */
export interface FaultUpstream {
  url: string;
  /** Store key → times stored. */
  stored: Map<string, number>;
  /** Line text → the kinds of every exchange that carried it (with `seen`). */
  seen: Map<string, string[]> | undefined;
  /** Requests per fault kind. */
  faults: Record<string, number>;
  requests: number;
  close(): Promise<void>;
}

/** Starts the stand-in on a free port of 127.0.0.1. */
export declare function startFaultUpstream(options: FaultUpstreamOptions): Promise<FaultUpstream>;
