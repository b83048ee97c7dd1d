/**
 * Standard codes that the sample's items are aligned to: the 2017 Massachusetts mathematics
 * framework by grade and reporting category, and the PK-12 ELA anchor standards the state's item
 * analysis prints for grades 3 to 8.
 */

// Clusters per category, written compactly: "3.OA A.1-4 B.5-6" is 3.OA.A.1 to 3.OA.A.4, 3.OA.B.5...
const MATH: Record<number, Record<string, readonly string[]>> = {
  3: {
    OA: ["3.OA A.1-4 B.5-6 C.7 D.8-9"],
    NT: ["3.NBT A.1-3"],
    NF: ["3.NF A.1-3"],
    MD: ["3.MD A.1-2 B.3-4 C.5-7 D.8"],
    GE: ["3.G A.1-2"],
  },
  4: {
    OA: ["4.OA A.1-3 B.4 C.5"],
    NT: ["4.NBT A.1-3 B.4-6"],
    NF: ["4.NF A.1-2 B.3-4 C.5-7"],
    MD: ["4.MD A.1-3 B.4 C.5-7"],
    GE: ["4.G A.1-3"],
  },
  5: {
    OA: ["5.OA A.1-2 B.3"],
    NT: ["5.NBT A.1-4 B.5-7"],
    NF: ["5.NF A.1-2 B.3-7"],
    MD: ["5.MD A.1 B.2 C.3-5"],
    GE: ["5.G A.1-2 B.3-4"],
  },
  6: {
    RP: ["6.RP A.1-3"],
    NS: ["6.NS A.1 B.2-4 C.5-8"],
    EE: ["6.EE A.1-4 B.5-8 C.9"],
    GE: ["6.G A.1-4"],
    SP: ["6.SP A.1-3 B.4-5"],
  },
  7: {
    RP: ["7.RP A.1-3"],
    NS: ["7.NS A.1-3"],
    EE: ["7.EE A.1-2 B.3-4"],
    GE: ["7.G A.1-3 B.4-6"],
    SP: ["7.SP A.1-2 B.3-4 C.5-8"],
  },
  8: {
    NSEE: ["8.NS A.1-2", "8.EE A.1-4 B.5-6 C.7-8"],
    FN: ["8.F A.1-3 B.4-5"],
    GE: ["8.G A.1-5 B.6-8 C.9"],
    SP: ["8.SP A.1-4"],
  },
};

/** The standards a math item of this grade and reporting category can be aligned to. */
export function mathStandards(grade: number, category: string): string[] {
  const clusters = MATH[grade]?.[category];
  if (!clusters) throw new Error(`no math standards for grade ${grade} category ${category}`);
  return clusters.flatMap(expandClusters);
}

function expandClusters(spec: string): string[] {
  const [domain, ...clusters] = spec.split(" ");
  return clusters.flatMap((cluster) => {
    const match = /^([A-D])\.(\d+)(?:-(\d+))?$/.exec(cluster);
    if (!match) throw new Error(`bad cluster: ${cluster}`);
    const first = Number(match[2]);
    const last = Number(match[3] ?? match[2]);
    return Array.from({ length: last - first + 1 }, (_, i) => `${domain}.${match[1]}.${first + i}`);
  });
}

/** Reading anchor standards with how often items address them (key ideas more than the rest). */
export const READING_STANDARDS: readonly (readonly [string, number])[] = [
  ["R.PK-12.1", 3],
  ["R.PK-12.2", 3],
  ["R.PK-12.3", 3],
  ["R.PK-12.4", 3],
  ["R.PK-12.5", 2],
  ["R.PK-12.6", 2],
  ["R.PK-12.7", 1],
  ["R.PK-12.8", 1],
  ["R.PK-12.9", 1],
];

export const LANGUAGE_STANDARDS: readonly (readonly [string, number])[] = [
  ["L.PK-12.1", 2],
  ["L.PK-12.2", 2],
  ["L.PK-12.3", 1],
  ["L.PK-12.4", 3],
  ["L.PK-12.5", 2],
  ["L.PK-12.6", 1],
];

/** The writing standards of an essay's idea-development trait, by the kind of essay. */
export const ESSAY_WRITING_STANDARDS = {
  argument: "W.PK-12.1 W.PK-12.4",
  explanatory: "W.PK-12.2 W.PK-12.4",
} as const;

/** The conventions trait is scored against the same three language standards on every essay. */
export const ESSAY_LANGUAGE_STANDARDS = "L.PK-12.1 L.PK-12.2 L.PK-12.3";
