import { roundHalfUp } from "../rounding.ts";
import { DEFAULT_SETTINGS, type EssaSettings } from "../settings-defaults.ts";
import { difference, notComputable, type NotComputable } from "./result.ts";

/**
 * The 2018+ accountability system (../shared/domain.md section 4.2). Each indicator earns 0 to 4
 * points against a target; a group's percentage is its weighted points over its weighted possible
 * points; a school's annual percentage averages all students and the lowest performing students,
 * and the cumulative one weighs the current year 60%. The state sets the targets and no input
 * file holds them: they are an input here, and without them nothing is computed.
 */

const NO_TARGETS = "not computable without the state's 2018+ targets";

/** Average scaled score points either side of a target that earn 3 points. */
export const ACHIEVEMENT_BAND = 0.5;
/** Science is still a CPI, with its own band and a ceiling that earns 4 points at any target. */
export const SCIENCE_BAND = 1.25;
export const SCIENCE_FOUR_POINTS_CPI = 97.5;

export interface IndicatorPoints {
  readonly computable: true;
  readonly points: number;
  /** Which criterion gave the points, for the page. */
  readonly criterion: string;
  readonly actual: number;
  readonly target: number;
  readonly prior: number | null;
  /** actual − target; actual − prior when the points depended on it. */
  readonly gap: number;
  readonly change: number | null;
  readonly band: number;
}

export interface TargetedResult {
  actual: number;
  /** The state's target for the group; null when not supplied. */
  target: number | null;
  /** Last year's result, needed only for a group more than the band below target. */
  prior: number | null;
}

/**
 * Points for achievement: the group's average scaled score against its target. `percentilePoints`
 * are what the state's percentile criteria give, when the caller knows them: 4 at the statewide
 * 90th percentile, 3 at the group's 90th or all students' 80th.
 */
export function achievementPoints(
  result: TargetedResult & { percentilePoints?: 3 | 4 },
  settings: EssaSettings = DEFAULT_SETTINGS.essa,
): IndicatorPoints | NotComputable {
  const byPercentile = result.percentilePoints;
  return pointsAgainstTarget(result, ACHIEVEMENT_BAND, settings.noChangeBandScaledScore, settings, {
    four: byPercentile === 4 ? "at the statewide 90th percentile" : null,
    three: byPercentile === 3 ? "at the percentile that earns 3 points" : null,
  });
}

/** Points for science: the CPI against its target, ±1.25, and 4 points at 97.5 or above. */
export function sciencePoints(
  result: TargetedResult,
  settings: EssaSettings = DEFAULT_SETTINGS.essa,
): IndicatorPoints | NotComputable {
  const ceiling = result.actual >= SCIENCE_FOUR_POINTS_CPI;
  return pointsAgainstTarget(result, SCIENCE_BAND, settings.noChangeBandCpi, settings, {
    four: ceiling ? `CPI of ${SCIENCE_FOUR_POINTS_CPI} or more` : null,
    three: null,
  });
}

function pointsAgainstTarget(
  result: TargetedResult,
  band: number,
  noChangeBand: number,
  settings: EssaSettings,
  alternatives: { four: string | null; three: string | null },
): IndicatorPoints | NotComputable {
  const { actual, target, prior } = result;
  if (target === null) return notComputable(NO_TARGETS);
  const gap = difference(actual, target);
  const scored = (points: number, criterion: string, change: number | null): IndicatorPoints => ({
    computable: true,
    points,
    criterion,
    actual,
    target,
    prior,
    gap,
    change,
    band,
  });
  if (gap > band) return scored(4, `more than ${band} above target`, null);
  if (alternatives.four) return scored(4, alternatives.four, null);
  if (gap >= -band) return scored(3, `within ${band} of target`, null);
  if (alternatives.three) return scored(3, alternatives.three, null);
  if (prior === null) {
    return notComputable("not computable without last year's result: the group is below target");
  }
  const change = difference(actual, prior);
  if (change > noChangeBand) return scored(2, "improved, below target", change);
  if (change >= -noChangeBand) return scored(settings.noChangePoints, "no change", change);
  return scored(settings.declinedPoints, "declined", change);
}

export interface GrowthPoints {
  readonly points: number;
  readonly meanSgp: number;
  /** The lowest mean SGP of the points earned. */
  readonly from: number;
}

/** Points for growth from the mean SGP: 60 and up 4, 50 3, 40 2; the 1-point cut is a setting. */
export function growthPoints(
  meanSgp: number,
  settings: EssaSettings = DEFAULT_SETTINGS.essa,
): GrowthPoints {
  if (!(meanSgp >= 1 && meanSgp <= 99)) {
    throw new RangeError(`essa: ${meanSgp} is not a mean growth percentile from 1 to 99`);
  }
  const cuts: readonly (readonly [number, number])[] = [
    [4, 60],
    [3, 50],
    [2, 40],
    [1, settings.growthOnePointFrom],
  ];
  const [points, from] = cuts.find(([, cut]) => meanSgp >= cut) ?? [0, 1];
  return { points, meanSgp, from };
}

export type EssaCategory =
  | "achievement"
  | "growth"
  | "highSchoolCompletion"
  | "englishLearnerProgress"
  | "chronicAbsenteeism"
  | "additionalIndicators";

export type WeightSet = "nonHighSchoolAllStudents" | "lowestPerforming" | "highSchoolAllStudents";

/**
 * Category weights, in percent, from 2019 reports. The lowest performing students' 67.5 / 22.5 /
 * 10 are achievement, growth and chronic absenteeism: 60 and 20 sharing the 10 of English learner
 * progress, which that group does not have, in their own 3 to 1 ratio. The weights of a high
 * school's lowest performing students are not in domain.md, so there are none here.
 */
export const ESSA_WEIGHTS: Readonly<Record<WeightSet, Partial<Record<EssaCategory, number>>>> = {
  nonHighSchoolAllStudents: {
    achievement: 60,
    growth: 20,
    englishLearnerProgress: 10,
    chronicAbsenteeism: 10,
  },
  lowestPerforming: { achievement: 67.5, growth: 22.5, chronicAbsenteeism: 10 },
  highSchoolAllStudents: {
    achievement: 40,
    growth: 20,
    highSchoolCompletion: 20,
    englishLearnerProgress: 10,
    additionalIndicators: 10,
  },
};

export interface CategoryPoints {
  category: EssaCategory;
  /** Points earned and possible over the category's indicators: 12 of 12 for three at 4. */
  earned: number;
  possible: number;
}

export interface Percentage {
  readonly computable: true;
  readonly exact: number;
  /** Whole percent, half up, as the reports print it. */
  readonly percent: number;
}

export interface GroupPercentage extends Percentage {
  readonly weightedEarned: number;
  readonly weightedPossible: number;
}

/**
 * A group's percentage of possible points: Σ(earned × weight) / Σ(possible × weight) over the
 * categories it has. It is not a weighted mean of each category's percentage, and a category the
 * group lacks (no English learners) drops out of both sums.
 */
export function groupPercentage(
  weightSet: WeightSet,
  categories: readonly CategoryPoints[],
): GroupPercentage | NotComputable {
  let earned = 0;
  let possible = 0;
  for (const { category, earned: e, possible: p } of categories) {
    const weight = ESSA_WEIGHTS[weightSet][category];
    if (weight === undefined) throw new RangeError(`essa: no ${category} in ${weightSet}`);
    if (!(e >= 0 && e <= p)) throw new RangeError(`essa: ${category} earned ${e} of ${p}`);
    earned += e * weight;
    possible += p * weight;
  }
  if (possible === 0) return notComputable("not computable: the group has no points possible");
  return {
    computable: true,
    // The weights are percents; as fractions they give the reports' 9.4 of 9.6.
    weightedEarned: difference(earned / 100, 0),
    weightedPossible: difference(possible / 100, 0),
    exact: (100 * earned) / possible,
    percent: roundHalfUp((100 * earned) / possible),
  };
}

function percentage(exact: number): Percentage {
  return { computable: true, exact, percent: roundHalfUp(exact) };
}

/** A grade span's annual percentage: the mean of all students' and lowest performing students'. */
export function annualPercentage(
  allStudents: number | null,
  lowestPerforming: number | null,
): Percentage | NotComputable {
  if (allStudents === null) return notComputable("not computable without all students' percentage");
  if (lowestPerforming === null) {
    return notComputable("not computable without the lowest performing students' percentage");
  }
  return percentage((allStudents + lowestPerforming) / 2);
}

/**
 * A district's or multi-span school's annual percentage: each span's, weighted by the weights the
 * state gives the spans (54% × 0.70 + 36% × 0.30 = 48.6, printed 49%). The weights must add to 1.
 */
export function combineSpans(spans: readonly { annual: number; weight: number }[]): Percentage {
  const total = spans.reduce((sum, span) => sum + span.weight, 0);
  if (spans.length === 0 || Math.abs(total - 1) > 1e-9) {
    throw new RangeError(`essa: span weights must add to 1, not ${total}`);
  }
  // Settled to remove float noise: 54 × 0.7 + 36 × 0.3 is 48.599999999999994.
  return percentage(
    difference(
      spans.reduce((sum, span) => sum + span.annual * span.weight, 0),
      0,
    ),
  );
}

/** The cumulative percentage a school needs to be meeting its targets. */
export const MEETING_TARGETS = 75;

export interface Cumulative extends Percentage {
  readonly prior: number;
  readonly current: number;
  /** Read on the whole percent the reports print, like the page. */
  readonly meetingTargets: boolean;
}

/** Cumulative = 0.4 × last year's annual percentage + 0.6 × this year's; 75% meets targets. */
export function cumulativePercentage(
  prior: number | null,
  current: number,
): Cumulative | NotComputable {
  if (prior === null) {
    return notComputable("not computable without last year's annual percentage");
  }
  const cumulative = percentage(difference(0.4 * prior + 0.6 * current, 0));
  return { ...cumulative, prior, current, meetingTargets: cumulative.percent >= MEETING_TARGETS };
}
