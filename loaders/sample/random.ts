import { randomLcg, randomNormal } from "d3-random";

/**
 * The sample's only source of randomness. Each part of the sample draws from its own fork, named
 * by a label, so that changing how one part is drawn does not shift the numbers of the others.
 */
export interface Random {
  /** A number from 0 (included) to 1 (excluded). */
  uniform(): number;
  normal(mean: number, sd: number): number;
  /** A whole number from min to max, both included. */
  int(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[];
  fork(label: string): Random;
}

export function createRandom(seed: number): Random {
  const source = randomLcg(seed);
  const standardNormal = randomNormal.source(source)(0, 1);
  const int = (min: number, max: number) => min + Math.floor(source() * (max - min + 1));
  return {
    uniform: source,
    normal: (mean, sd) => mean + sd * standardNormal(),
    int,
    chance: (probability) => source() < probability,
    pick(items) {
      const item = items[int(0, items.length - 1)];
      if (item === undefined) throw new RangeError("pick: no items");
      return item;
    },
    shuffle(items) {
      // Sort by random keys drawn in item order: a uniform shuffle that needs no index juggling.
      return items
        .map((item) => ({ item, key: source() }))
        .sort((a, b) => a.key - b.key)
        .map(({ item }) => item);
    },
    fork: (label) => createRandom(hashSeed(seed, label)),
  };
}

/** FNV-1a over the seed and the label: a well-mixed 32-bit seed for a fork. */
function hashSeed(seed: number, label: string): number {
  let hash = 0x811c9dc5;
  for (const char of `${seed}:${label}`) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193);
  }
  // randomLcg reads a seed below 1 as a fraction of 2^32, and whole seeds of 1 and up as they are.
  return (hash >>> 0) + 1;
}
