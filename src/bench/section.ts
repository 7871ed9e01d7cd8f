/**
 * A bench section: a named group of measurements. `npm run bench` (src/bench/main.ts) runs every
 * section module in turn and prints each measurement as `name  value unit`.
 */
export interface Measurement {
  name: string;
  value: number;
  unit: string;
  /** the target this measurement is compared with, e.g. '≤ 10 ms', shown beside it */
  target?: string;
}

export interface BenchSection {
  name: string;
  run(): Promise<Measurement[]>;
}

/** The p-th percentile (0–100) of `values` (nearest rank). NaN for an empty list. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}
