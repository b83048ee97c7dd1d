// d3-random ships no type declarations and @types/d3-random is not installed: these cover the
// part the sample generator uses.
declare module "d3-random" {
  export type RandomSource = () => number;

  export interface RandomNormal {
    (mu?: number, sigma?: number): () => number;
    source(source: RandomSource): RandomNormal;
  }

  /** A linear congruential generator: the same seed gives the same sequence in [0, 1). */
  export function randomLcg(seed?: number): RandomSource;
  export const randomNormal: RandomNormal;
}
