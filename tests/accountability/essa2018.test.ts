import { describe, expect, it } from "vitest";
import {
  achievementPoints,
  annualPercentage,
  combineSpans,
  cumulativePercentage,
  groupPercentage,
  growthPoints,
  sciencePoints,
} from "../../loaders/accountability/essa2018.ts";
import { mergeSettings } from "../../loaders/settings.ts";

const NO_TARGETS = "not computable without the state's 2018+ targets";

describe("achievementPoints(result)", () => {
  const points = (actual: number, prior: number | null, target: number | null = 500) => {
    const scored = achievementPoints({ actual, target, prior });
    return scored.computable ? scored.points : scored.reason;
  };

  it("gives 4 over target + 0.5 and 3 within ±0.5", () => {
    expect(points(500.6, null)).toBe(4);
    expect(points(500.5, null)).toBe(3);
    expect(points(500, null)).toBe(3);
    expect(points(499.5, null)).toBe(3);
  });

  it("reads a gap of exactly 0.5 as 0.5, without floating point noise", () => {
    // 500.6 − 500.1 is 0.5000000000000568 in floating point.
    expect(points(500.6, null, 500.1)).toBe(3);
  });

  it("gives 2, 1 or 0 below the band by the change from last year", () => {
    expect(points(499.4, 498.8)).toBe(2);
    expect(points(499.4, 498.9)).toBe(1);
    expect(points(499.4, 499.9)).toBe(1);
    expect(points(499.4, 500)).toBe(0);
  });

  it("gives the percentile criteria's points", () => {
    const at90th = achievementPoints({
      actual: 490,
      target: 500,
      prior: null,
      percentilePoints: 4,
    });
    expect(at90th).toMatchObject({ points: 4, criterion: "at the statewide 90th percentile" });
    const at80th = achievementPoints({
      actual: 490,
      target: 500,
      prior: null,
      percentilePoints: 3,
    });
    expect(at80th).toMatchObject({ points: 3 });
  });

  it("follows the settings for no change and decline", () => {
    const settings = mergeSettings({
      essa: { noChangePoints: 2, declinedPoints: 1, noChangeBandScaledScore: 0 },
    }).essa;
    const scored = (prior: number) =>
      achievementPoints({ actual: 499, target: 500, prior }, settings);
    expect(scored(499)).toMatchObject({ points: 2, criterion: "no change" });
    expect(scored(499.1)).toMatchObject({ points: 1, criterion: "declined", change: -0.1 });
  });

  it("computes nothing without the state's targets, or last year's result below target", () => {
    expect(points(520, 510, null)).toBe(NO_TARGETS);
    expect(points(495, null)).toBe(
      "not computable without last year's result: the group is below target",
    );
  });

  it("returns its inputs", () => {
    expect(achievementPoints({ actual: 497.2, target: 500, prior: 496 })).toEqual({
      computable: true,
      points: 2,
      criterion: "improved, below target",
      actual: 497.2,
      target: 500,
      prior: 496,
      gap: -2.8,
      change: 1.2,
      band: 0.5,
    });
  });
});

describe("sciencePoints(result)", () => {
  it("uses ±1.25 CPI, and gives 4 at 97.5 or above whatever the target", () => {
    const score = (actual: number, prior: number | null) => {
      const scored = sciencePoints({ actual, target: 99, prior });
      return scored.computable ? scored.points : null;
    };
    expect(score(97.5, null)).toBe(4);
    expect(score(97.4, null)).toBeNull();
    expect(score(97.4, 96)).toBe(2);
    expect(score(97.4, 97)).toBe(1);
    expect(sciencePoints({ actual: 80, target: 79, prior: null })).toMatchObject({
      points: 3,
      band: 1.25,
    });
    expect(sciencePoints({ actual: 80, target: null, prior: null })).toMatchObject({
      reason: NO_TARGETS,
    });
  });
});

describe("growthPoints(meanSgp)", () => {
  it("cuts at 60, 50 and 40, and at the setting's 30 for 1 point", () => {
    const sgps = [99, 60, 59.9, 50, 49.9, 40, 39.9, 30, 29.9, 1];
    expect(sgps.map((sgp) => growthPoints(sgp).points)).toEqual([4, 4, 3, 3, 2, 2, 1, 1, 0, 0]);
  });

  it("follows the 1-point setting", () => {
    const settings = mergeSettings({ essa: { growthOnePointFrom: 35 } }).essa;
    expect(growthPoints(34.9, settings)).toEqual({ points: 0, meanSgp: 34.9, from: 1 });
    expect(growthPoints(35, settings)).toEqual({ points: 1, meanSgp: 35, from: 35 });
  });

  it("refuses a value that is not a growth percentile", () => {
    expect(() => growthPoints(0)).toThrow(RangeError);
  });
});

describe("groupPercentage(weightSet, categories)", () => {
  it("weighs points, not ratios: 9.4 / 9.6 = 98%", () => {
    const percentage = groupPercentage("nonHighSchoolAllStudents", [
      { category: "achievement", earned: 12, possible: 12 },
      { category: "growth", earned: 7, possible: 8 },
      { category: "englishLearnerProgress", earned: 4, possible: 4 },
      { category: "chronicAbsenteeism", earned: 4, possible: 4 },
    ]);
    expect(percentage).toEqual({
      computable: true,
      weightedEarned: 9.4,
      weightedPossible: 9.6,
      exact: (100 * 9.4) / 9.6,
      percent: 98,
    });
  });

  it("differs from a weighted mean of category percentages", () => {
    // (2 × .6 + 8 × .2) / (4 × .6 + 8 × .2) = 2.8 / 4 = 70%; the mean of ratios would be 62.5%.
    const percentage = groupPercentage("nonHighSchoolAllStudents", [
      { category: "achievement", earned: 2, possible: 4 },
      { category: "growth", earned: 8, possible: 8 },
    ]);
    expect(percentage).toMatchObject({ exact: 70, percent: 70 });
  });

  it("uses the lowest performing students' weights", () => {
    const percentage = groupPercentage("lowestPerforming", [
      { category: "achievement", earned: 6, possible: 12 },
      { category: "growth", earned: 4, possible: 8 },
      { category: "chronicAbsenteeism", earned: 4, possible: 4 },
    ]);
    // (405 + 90 + 40) / (810 + 180 + 40) = 535 / 1030 = 51.9%
    expect(percentage).toMatchObject({ weightedEarned: 5.35, weightedPossible: 10.3, percent: 52 });
  });

  it("refuses a category its weights do not have, and needs points possible", () => {
    expect(() =>
      groupPercentage("lowestPerforming", [
        { category: "englishLearnerProgress", earned: 1, possible: 4 },
      ]),
    ).toThrow("essa: no englishLearnerProgress in lowestPerforming");
    expect(groupPercentage("highSchoolAllStudents", [])).toMatchObject({ computable: false });
  });
});

describe("annualPercentage(allStudents, lowestPerforming)", () => {
  it("averages the two groups", () => {
    expect(annualPercentage(60, 47)).toEqual({ computable: true, exact: 53.5, percent: 54 });
  });

  it("needs both", () => {
    expect(annualPercentage(60, null)).toEqual({
      computable: false,
      reason: "not computable without the lowest performing students' percentage",
    });
  });
});

describe("combineSpans(spans)", () => {
  it("weighs the spans: 54% × 0.70 + 36% × 0.30 = 48.6, printed 49%", () => {
    const combined = combineSpans([
      { annual: 54, weight: 0.7 },
      { annual: 36, weight: 0.3 },
    ]);
    expect(combined).toEqual({ computable: true, exact: 48.6, percent: 49 });
  });

  it("refuses weights that do not add to 1", () => {
    expect(() => combineSpans([{ annual: 54, weight: 0.7 }])).toThrow(
      "essa: span weights must add to 1, not 0.7",
    );
  });
});

describe("cumulativePercentage(prior, current)", () => {
  it("weighs this year 60% and meets targets at a printed 75%", () => {
    expect(cumulativePercentage(70, 78.75)).toEqual({
      computable: true,
      exact: 75.25,
      percent: 75,
      prior: 70,
      current: 78.75,
      meetingTargets: true,
    });
    expect(cumulativePercentage(74, 74.8)).toMatchObject({
      exact: 74.48,
      percent: 74,
      meetingTargets: false,
    });
  });

  it("needs last year's annual percentage", () => {
    expect(cumulativePercentage(null, 80)).toEqual({
      computable: false,
      reason: "not computable without last year's annual percentage",
    });
  });
});
