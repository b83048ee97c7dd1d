/**
 * What the accountability rules share. A rule that lacks an input returns a typed result naming
 * it, never an invented number, so that a page can say what the team would have to supply.
 */
export interface NotComputable {
  readonly computable: false;
  /** A phrase for the page: "not computable without the 2011 baseline CPI". */
  readonly reason: string;
}

export function notComputable(reason: string): NotComputable {
  return { computable: false, reason };
}

/**
 * a − b without binary noise. Published figures have one or two decimals, and 500.6 − 500.1 is
 * 0.5000000000000568 in floating point: outside a ±0.5 band that it lies exactly on.
 */
export function difference(a: number, b: number): number {
  return Math.round((a - b) * 1e6) / 1e6;
}
