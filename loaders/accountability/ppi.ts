import { roundHalfUp } from "../rounding.ts";
import { DEFAULT_SETTINGS, type PpiSettings } from "../settings-defaults.ts";
import { difference, notComputable, type NotComputable } from "./result.ts";

/**
 * The Progress and Performance Index, 2012-2017 (../shared/domain.md section 4.1). Each group is
 * to halve its proficiency gap (100 − CPI) between 2011 and 2017; each indicator earns 0 to 100
 * points against the group's own target, and the annual and cumulative PPI average them.
 */

export const PPI_BASELINE_YEAR = 2011;
export const PPI_GOAL_YEAR = 2017;

export interface PpiTarget {
  readonly computable: true;
  readonly baseline: number;
  /** b + (100 − b) / 2: half the 2011 gap closed. */
  readonly goal2017: number;
  readonly year: number;
  /** b + (year − 2011) × ((100 − b) / 2) / 6: an equal share of the goal each year. */
  readonly target: number;
}

/**
 * A group's CPI target for a year from 2012 to 2017, one decimal as the reports print it (84.05
 * prints as 84.1 on the reports that verified the formula, so they round half up). The 2011
 * baseline is the group's own and in no file of the state's targets: without it there is none.
 */
export function ppiTarget(baseline: number | null, year: number): PpiTarget | NotComputable {
  if (year <= PPI_BASELINE_YEAR || year > PPI_GOAL_YEAR) {
    throw new RangeError(`ppi: targets run from 2012 to 2017, not ${year}`);
  }
  if (baseline === null) return notComputable("not computable without the 2011 baseline CPI");
  if (!(baseline >= 0 && baseline <= 100)) {
    throw new RangeError(`ppi: ${baseline} is not a CPI from 0 to 100`);
  }
  const halfGap = (100 - baseline) / 2;
  return {
    computable: true,
    baseline,
    goal2017: roundHalfUp(baseline + halfGap, 1),
    year,
    target: roundHalfUp(baseline + ((year - PPI_BASELINE_YEAR) * halfGap) / 6, 1),
  };
}

export type PpiRating = "Above Target" | "On Target" | "Improved Below" | "No Change" | "Declined";

export const PPI_POINTS: Readonly<Record<PpiRating, number>> = {
  "Above Target": 100,
  "On Target": 75,
  "Improved Below": 50,
  "No Change": 25,
  Declined: 0,
};

export interface PpiIndicatorRating {
  readonly computable: true;
  readonly rating: PpiRating;
  readonly points: number;
  readonly actual: number;
  readonly target: number;
  readonly prior: number | null;
  /** actual − target, and actual − prior when the prior year was needed. */
  readonly gap: number;
  readonly change: number | null;
  readonly onTargetBand: number;
  readonly noChangeBand: number;
}

/**
 * The rating of a CPI indicator against its target. Within the on-target band either side of the
 * target is On Target and above it Above Target; below it the change from last year decides.
 * Both bands are unconfirmed settings: reports fit ±1.25 CPI for the first (section 4.1).
 */
export function ratePpiIndicator(
  result: { actual: number; target: number; prior: number | null },
  settings: PpiSettings = DEFAULT_SETTINGS.ppi,
): PpiIndicatorRating | NotComputable {
  const { actual, target, prior } = result;
  const gap = difference(actual, target);
  const rated = (rating: PpiRating, change: number | null): PpiIndicatorRating => ({
    computable: true,
    rating,
    points: PPI_POINTS[rating],
    actual,
    target,
    prior,
    gap,
    change,
    onTargetBand: settings.onTargetBand,
    noChangeBand: settings.noChangeBand,
  });
  if (gap > settings.onTargetBand) return rated("Above Target", null);
  if (gap >= -settings.onTargetBand) return rated("On Target", null);
  if (prior === null) {
    return notComputable("not computable without last year's CPI: the group is below target");
  }
  const change = difference(actual, prior);
  if (change > settings.noChangeBand) return rated("Improved Below", change);
  if (change >= -settings.noChangeBand) return rated("No Change", change);
  return rated("Declined", change);
}

/** The confirmed size of a change that earns extra credit: "10%". */
export const EXTRA_CREDIT_CHANGE = 10;
export const EXTRA_CREDIT_POINTS = 25;

export interface ExtraCredit {
  readonly prior: number;
  readonly actual: number;
  /** The share to reach: at most this for % Warning/Failing, at least this for % Advanced. */
  readonly needed: number;
  readonly earned: boolean;
  readonly change: PpiSettings["extraCredit"];
}

/**
 * Extra credit for % Warning/Failing down, or % Advanced up, by 10%: of last year's share when
 * the setting is "relative" (20% → 18%), or 10 percentage points when it is "points". The share
 * must move: a group at 0% Warning last year and this year has not reduced it.
 */
export function extraCredit(
  measure: "warning" | "advanced",
  prior: number,
  actual: number,
  settings: PpiSettings = DEFAULT_SETTINGS.ppi,
): ExtraCredit {
  const step =
    settings.extraCredit === "relative" ? (prior * EXTRA_CREDIT_CHANGE) / 100 : EXTRA_CREDIT_CHANGE;
  const needed = difference(measure === "warning" ? prior - step : prior + step, 0);
  const earned =
    measure === "warning" ? actual < prior && actual <= needed : actual > prior && actual >= needed;
  return { prior, actual, needed, earned, change: settings.extraCredit };
}

export interface AnnualPpi {
  readonly computable: true;
  readonly indicatorPoints: number;
  readonly extraCreditPoints: number;
  readonly indicators: number;
  readonly exact: number;
  /** Whole points, as the reports print it. */
  readonly ppi: number;
}

/**
 * Annual PPI = (indicator points + extra credit) / the number of indicators other than extra
 * credit; it can pass 100 (5 × 100 + 125 over 5 = 125).
 */
export function annualPpi(
  indicatorPoints: readonly number[],
  extraCredits: number,
): AnnualPpi | NotComputable {
  const allowed = Object.values(PPI_POINTS);
  for (const points of indicatorPoints) {
    if (!allowed.includes(points)) {
      throw new RangeError(`ppi: ${points} is not an indicator's points (100, 75, 50, 25 or 0)`);
    }
  }
  if (!Number.isInteger(extraCredits) || extraCredits < 0) {
    throw new RangeError(`ppi: ${extraCredits} is not a number of extra credits`);
  }
  if (indicatorPoints.length === 0) return notComputable("not computable: no rated indicators");
  const sum = indicatorPoints.reduce((total, points) => total + points, 0);
  const extraCreditPoints = extraCredits * EXTRA_CREDIT_POINTS;
  const exact = (sum + extraCreditPoints) / indicatorPoints.length;
  return {
    computable: true,
    indicatorPoints: sum,
    extraCreditPoints,
    indicators: indicatorPoints.length,
    exact,
    ppi: roundHalfUp(exact),
  };
}

export interface CumulativePpi {
  readonly computable: true;
  /** The annual PPIs used, oldest first, and the weight of each. */
  readonly annual: readonly number[];
  readonly weights: readonly number[];
  readonly exact: number;
  readonly ppi: number;
}

/**
 * Cumulative PPI = (y1 × 1 + y2 × 2 + y3 × 3 + y4 × 4) / 10 over the last four annual PPIs,
 * oldest first. With fewer years the same rising weights are used over those there are, (y1 +
 * 2 × y2) / 3 for two: derived from the four-year formula, not read in a source.
 */
export function cumulativePpi(annualOldestFirst: readonly number[]): CumulativePpi | NotComputable {
  const annual = annualOldestFirst.slice(-4);
  if (annual.length === 0) return notComputable("not computable without an annual PPI");
  const weights = annual.map((_, index) => index + 1);
  const weighted = annual.reduce((total, value, index) => total + value * weights[index]!, 0);
  const exact = weighted / weights.reduce((total, weight) => total + weight, 0);
  return { computable: true, annual, weights, exact, ppi: roundHalfUp(exact) };
}

/** Fewest students tested in both ELA and math for a PPI: 20 for a school, 30 for a subgroup. */
export const PPI_MIN_N = { allStudents: 20, subgroup: 30 } as const;

export function isPpiEligible(
  group: keyof typeof PPI_MIN_N,
  testedEla: number,
  testedMath: number,
): boolean {
  return Math.min(testedEla, testedMath) >= PPI_MIN_N[group];
}

/** The cumulative PPI a group needs for Level 1. */
export const LEVEL_1_PPI = 75;

export interface PpiLevelInput {
  /** Cumulative PPIs; null when the group had too few students or is unknown. */
  allStudentsPpi: number | null;
  highNeedsPpi: number | null;
  /** The lowest assessment participation of any group, in percent. */
  lowestParticipation: number;
  /**
   * Level 3 reasons found from statewide data (lowest 20% of schools or of subgroups, a 4-year
   * graduation rate under 67%), which these rules cannot see.
   */
  level3Reasons?: readonly string[];
}

export interface PpiLevel {
  readonly computable: true;
  readonly level: 1 | 2 | 3;
  readonly reasons: readonly string[];
  /** The published whole-number PPIs compared with 75, and the participation compared. */
  readonly allStudents: { ppi: number; met: boolean } | null;
  readonly highNeeds: { ppi: number; met: boolean } | null;
  readonly participation: number;
}

/**
 * Level 1 needs a cumulative PPI of 75 or more for all students and for high needs; otherwise
 * Level 2. Participation under 95% for any group caps a school at Level 2, under 90% makes it
 * Level 3. PPIs are compared as the reports print them, in whole points, so that a page never
 * shows a 75 beside a Level 2 for that reason.
 */
export function ppiLevel(input: PpiLevelInput): PpiLevel | NotComputable {
  const reasons = [...(input.level3Reasons ?? [])];
  const published = (ppi: number | null) =>
    ppi === null ? null : { ppi: roundHalfUp(ppi), met: roundHalfUp(ppi) >= LEVEL_1_PPI };
  const allStudents = published(input.allStudentsPpi);
  const highNeeds = published(input.highNeedsPpi);
  const decided = (level: 1 | 2 | 3): PpiLevel => ({
    computable: true,
    level,
    reasons,
    allStudents,
    highNeeds,
    participation: input.lowestParticipation,
  });

  if (input.lowestParticipation < 90) {
    reasons.push(`participation of ${input.lowestParticipation}%, under 90%`);
  }
  if (reasons.length > 0) return decided(3);
  if (!allStudents) return notComputable("not computable without the all students cumulative PPI");
  if (!highNeeds) {
    // Level 1 is defined on both groups; what a school without a high needs PPI gets is unknown.
    return notComputable("not computable without the high needs cumulative PPI");
  }
  if (!allStudents.met) reasons.push(`all students' cumulative PPI ${allStudents.ppi}, under 75`);
  if (!highNeeds.met) reasons.push(`high needs' cumulative PPI ${highNeeds.ppi}, under 75`);
  if (input.lowestParticipation < 95) {
    reasons.push(`participation of ${input.lowestParticipation}%, under 95%`);
  }
  return decided(reasons.length > 0 ? 2 : 1);
}
