import { percentHalfUp, roundHalfUp } from "../rounding.ts";
import { notComputable, type NotComputable } from "./result.ts";

/**
 * The legacy MCAS Composite Performance Index (../shared/domain.md section 2): each student earns
 * 100, 75, 50, 25 or 0 points by how close they came to Proficient, and a group's CPI is the mean
 * of its students' points, from 0 to 100.
 */

/** Students in each of the five CPI bands; an MCAS-Alt student counts in their level's band. */
export interface CpiBands {
  proficientOrAdvanced: number;
  needsImprovementHigh: number;
  needsImprovementLow: number;
  warningHigh: number;
  warningLow: number;
}

export type CpiBand = keyof CpiBands;

export const CPI_POINTS: Readonly<Record<CpiBand, number>> = {
  proficientOrAdvanced: 100,
  needsImprovementHigh: 75,
  needsImprovementLow: 50,
  warningHigh: 25,
  warningLow: 0,
};

/** The MCAS-Alt level that earns the points of each band. */
export const MCAS_ALT_BANDS: Readonly<Record<string, CpiBand>> = {
  Progressing: "proficientOrAdvanced",
  Emerging: "needsImprovementHigh",
  Awareness: "needsImprovementLow",
  "Portfolio Incomplete": "warningHigh",
  "Portfolio Not Submitted": "warningLow",
};

/** The lowest scaled score of each band, highest band first; the legacy scale ends at 280. */
const BAND_FLOORS: readonly (readonly [CpiBand, number])[] = [
  ["proficientOrAdvanced", 240],
  ["needsImprovementHigh", 230],
  ["needsImprovementLow", 220],
  ["warningHigh", 210],
  ["warningLow", 200],
];

export interface Cpi {
  readonly computable: true;
  readonly students: number;
  readonly points: number;
  /** The exact mean, 70.3125, for checks and for sums across groups. */
  readonly exact: number;
  /** As the state publishes it: one decimal, rounded half up (70.3). */
  readonly cpi: number;
}

/** CPI = Σ(points × students) / students. No students, no CPI. */
export function cpiFromBands(bands: CpiBands): Cpi | NotComputable {
  for (const [band, count] of Object.entries(bands)) {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`cpi: ${band} must be a whole number of students, not ${count}`);
    }
  }
  const students = Object.values(bands).reduce((sum, count) => sum + count, 0);
  if (students === 0) return notComputable("not computable: the group has no students");

  // In quarters of 100 points every student's points are whole, so the half-up rounding runs on
  // integers: 25 × quarters / students = 100 × quarters / (4 × students).
  const quarters =
    4 * bands.proficientOrAdvanced +
    3 * bands.needsImprovementHigh +
    2 * bands.needsImprovementLow +
    bands.warningHigh;
  return {
    computable: true,
    students,
    points: 25 * quarters,
    exact: (25 * quarters) / students,
    cpi: percentHalfUp(quarters, 4 * students, 1),
  };
}

/** Students at each of the four legacy levels: Advanced, Proficient, NI, Warning/Failing. */
export type LevelCounts = Readonly<Record<"A" | "P" | "NI" | "W", number>>;

/** How many NI and W/F students scored in the upper half of their level (230-238, 210-218). */
export interface UpperHalves {
  needsImprovementHigh: number;
  warningHigh: number;
}

/** Four level counts give no CPI: the CPI lies somewhere between these two. */
export interface CpiNeedsSplits extends NotComputable {
  readonly lowest: number;
  readonly highest: number;
}

/**
 * The CPI from the four published levels. NI and W/F students earn 75 or 50 and 25 or 0 points
 * by their scaled score, which the levels alone do not tell: without `upper`, the result says so
 * and gives the range the CPI must lie in, never a guess inside it. A group with nobody at NI or
 * W/F needs no split.
 */
export function cpiFromLevels(
  levels: LevelCounts,
  upper?: UpperHalves,
): Cpi | CpiNeedsSplits | NotComputable {
  const split = (niHigh: number, wHigh: number): CpiBands => ({
    proficientOrAdvanced: levels.A + levels.P,
    needsImprovementHigh: niHigh,
    needsImprovementLow: levels.NI - niHigh,
    warningHigh: wHigh,
    warningLow: levels.W - wHigh,
  });
  if (upper) {
    if (upper.needsImprovementHigh > levels.NI || upper.warningHigh > levels.W) {
      throw new RangeError(
        `cpi: more students in an upper half (${upper.needsImprovementHigh} NI, ` +
          `${upper.warningHigh} W/F) than at its level (${levels.NI} NI, ${levels.W} W/F)`,
      );
    }
    return cpiFromBands(split(upper.needsImprovementHigh, upper.warningHigh));
  }
  if (levels.NI === 0 && levels.W === 0) return cpiFromBands(split(0, 0));

  const lowest = cpiFromBands(split(0, 0));
  const highest = cpiFromBands(split(levels.NI, levels.W));
  if (!lowest.computable || !highest.computable) return lowest;
  return {
    ...notComputable(
      "not computable without the split of Needs Improvement (230-238 / 220-228) and " +
        "Warning/Failing (210-218 / 200-208) by scaled score",
    ),
    lowest: lowest.cpi,
    highest: highest.cpi,
  };
}

/** The five CPI bands of students on the legacy scale, from their scaled scores (200-280). */
export function splitByScaledScore(scores: readonly number[]): CpiBands {
  const bands: CpiBands = {
    proficientOrAdvanced: 0,
    needsImprovementHigh: 0,
    needsImprovementLow: 0,
    warningHigh: 0,
    warningLow: 0,
  };
  for (const score of scores) {
    // A next-generation score (440-560) or a blank read as 0 must not land in a band.
    if (!Number.isFinite(score) || score < 200 || score > 280) {
      throw new RangeError(`cpi: ${score} is not a legacy MCAS scaled score (200-280)`);
    }
    const [band] = BAND_FLOORS.find(([, floor]) => score >= floor)!;
    bands[band] += 1;
  }
  return bands;
}

/** The 2004 rating of a CPI, highest first, with the lowest CPI of each. */
export const CPI_RATINGS_2004 = [
  ["Very High", 90],
  ["High", 80],
  ["Moderate", 70],
  ["Low", 60],
  ["Very Low", 40],
  ["Critically Low", 0],
] as const;

export type CpiRating = (typeof CPI_RATINGS_2004)[number][0];

/** The 2004 rating band of a CPI, read on the one-decimal CPI the state publishes. */
export function cpiRating(cpi: number): CpiRating {
  const published = roundHalfUp(cpi, 1);
  if (!(published >= 0 && published <= 100)) {
    throw new RangeError(`cpi: ${cpi} is not a CPI from 0 to 100`);
  }
  return CPI_RATINGS_2004.find(([, floor]) => published >= floor)![0];
}
