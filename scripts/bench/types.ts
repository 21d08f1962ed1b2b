/** One line of `npm run bench`: a measured figure, and the budget it is held to when there is one. */
export interface BenchRow {
  /** What was measured, e.g. "synth all stacks: wall time (median of 5)". */
  figure: string;
  /** The measured value with its unit, e.g. "1.08 s". */
  value: string;
  /** The budget, e.g. "< 2 s", when the issue sets one. */
  budget?: string;
  /** Whether the value is within the budget (undefined when there is no budget). */
  ok?: boolean;
}

/** Each area's benchmark module (scripts/bench/<area>.ts) default-exports one of these. */
export type BenchSection = () => Promise<{ title: string; rows: BenchRow[] }>;
