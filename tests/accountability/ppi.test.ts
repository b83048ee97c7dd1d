import { describe, expect, it } from "vitest";
import {
  annualPpi,
  cumulativePpi,
  extraCredit,
  isPpiEligible,
  ppiLevel,
  ppiTarget,
  ratePpiIndicator,
} from "../../loaders/accountability/ppi.ts";
import { mergeSettings } from "../../loaders/settings.ts";

const targetsOf = (baseline: number, years: number[]) =>
  years.map((year) => {
    const target = ppiTarget(baseline, year);
    return target.computable ? target.target : null;
  });

describe("ppiTarget(baseline, year)", () => {
  it("halves the 2011 gap by 2017: b = 91.6", () => {
    expect(ppiTarget(91.6, 2012)).toEqual({
      computable: true,
      baseline: 91.6,
      goal2017: 95.8,
      year: 2012,
      target: 92.3,
    });
    expect(targetsOf(91.6, [2012, 2013, 2014, 2017])).toEqual([92.3, 93.0, 93.7, 95.8]);
  });

  it("rounds half up: high needs b = 82.6 gives 84.05 → 84.1 and 86.95 → 87.0", () => {
    expect(ppiTarget(82.6, 2017)).toMatchObject({ goal2017: 91.3, target: 91.3 });
    expect(targetsOf(82.6, [2012, 2013, 2014])).toEqual([84.1, 85.5, 87.0]);
  });

  it("keeps 100 at 100", () => {
    expect(ppiTarget(100, 2014)).toMatchObject({ goal2017: 100, target: 100 });
  });

  it("computes nothing without the 2011 baseline", () => {
    expect(ppiTarget(null, 2013)).toEqual({
      computable: false,
      reason: "not computable without the 2011 baseline CPI",
    });
  });

  it("has no targets outside 2012-2017", () => {
    expect(() => ppiTarget(80, 2011)).toThrow("ppi: targets run from 2012 to 2017, not 2011");
    expect(() => ppiTarget(80, 2018)).toThrow(RangeError);
  });
});

describe("ratePpiIndicator(result)", () => {
  const rating = (actual: number, prior: number | null, band?: number) => {
    const settings =
      band === undefined ? undefined : mergeSettings({ ppi: { onTargetBand: band } }).ppi;
    const rated = ratePpiIndicator({ actual, target: 90, prior }, settings);
    return rated.computable ? [rated.rating, rated.points] : rated.reason;
  };

  it("rates against a target of 90 with the default ±1.25 band", () => {
    expect(rating(91.3, null)).toEqual(["Above Target", 100]);
    expect(rating(91.25, null)).toEqual(["On Target", 75]);
    expect(rating(89.0, null)).toEqual(["On Target", 75]);
    expect(rating(88.75, null)).toEqual(["On Target", 75]);
    expect(rating(88.7, 86.0)).toEqual(["Improved Below", 50]);
    expect(rating(88.7, 88.9)).toEqual(["No Change", 25]);
    expect(rating(88.7, 89.95)).toEqual(["No Change", 25]);
    expect(rating(88.7, 90.0)).toEqual(["Declined", 0]);
  });

  it("needs last year's CPI below target", () => {
    expect(rating(88.7, null)).toBe(
      "not computable without last year's CPI: the group is below target",
    );
  });

  it("follows the on-target band setting", () => {
    expect(rating(88.75, 88.75, 1)).toEqual(["No Change", 25]);
    expect(rating(91.1, null, 1)).toEqual(["Above Target", 100]);
  });

  it("returns its inputs", () => {
    expect(ratePpiIndicator({ actual: 88.7, target: 90, prior: 86 })).toEqual({
      computable: true,
      rating: "Improved Below",
      points: 50,
      actual: 88.7,
      target: 90,
      prior: 86,
      gap: -1.3,
      change: 2.7,
      onTargetBand: 1.25,
      noChangeBand: 1.25,
    });
  });
});

describe("extraCredit(measure, prior, actual)", () => {
  const points = mergeSettings({ ppi: { extraCredit: "points" } }).ppi;

  it("needs 10% of last year's share by default", () => {
    expect(extraCredit("warning", 20, 18)).toEqual({
      prior: 20,
      actual: 18,
      needed: 18,
      earned: true,
      change: "relative",
    });
    expect(extraCredit("warning", 20, 18.1).earned).toBe(false);
    expect(extraCredit("advanced", 10, 11).earned).toBe(true);
    expect(extraCredit("advanced", 10, 10.9).earned).toBe(false);
  });

  it("needs 10 percentage points under the points setting", () => {
    expect(extraCredit("warning", 20, 11, points)).toMatchObject({ needed: 10, earned: false });
    expect(extraCredit("warning", 20, 10, points).earned).toBe(true);
    expect(extraCredit("advanced", 10, 20, points).earned).toBe(true);
    expect(extraCredit("warning", 8, 0, points).earned).toBe(false);
  });

  it("needs the share to move: 0% stays 0%, 0% Advanced to 1% is a rise", () => {
    expect(extraCredit("warning", 0, 0).earned).toBe(false);
    expect(extraCredit("advanced", 0, 0).earned).toBe(false);
    expect(extraCredit("advanced", 0, 1).earned).toBe(true);
  });
});

describe("annualPpi(indicatorPoints, extraCredits)", () => {
  it("passes 100 with extra credit: (5 × 100 + 125) / 5 = 125", () => {
    expect(annualPpi([100, 100, 100, 100, 100], 5)).toEqual({
      computable: true,
      indicatorPoints: 500,
      extraCreditPoints: 125,
      indicators: 5,
      exact: 125,
      ppi: 125,
    });
  });

  it("divides by the indicators only, and prints whole points", () => {
    expect(annualPpi([25, 25, 0, 0, 0], 0)).toMatchObject({ exact: 10, ppi: 10 });
    expect(annualPpi([75, 50, 100], 1)).toMatchObject({ exact: 250 / 3, ppi: 83 });
  });

  it("computes nothing without an indicator and refuses points no rating gives", () => {
    expect(annualPpi([], 2)).toEqual({
      computable: false,
      reason: "not computable: no rated indicators",
    });
    expect(() => annualPpi([60], 0)).toThrow(RangeError);
  });
});

describe("cumulativePpi(annualOldestFirst)", () => {
  it("weighs four years 1, 2, 3, 4 over 10", () => {
    expect(cumulativePpi([10, 125, 80, 90])).toEqual({
      computable: true,
      annual: [10, 125, 80, 90],
      weights: [1, 2, 3, 4],
      exact: 86,
      ppi: 86,
    });
  });

  it("uses the last four of more years, and rising weights over fewer", () => {
    expect(cumulativePpi([0, 10, 125, 80, 90])).toMatchObject({ exact: 86 });
    expect(cumulativePpi([70, 80])).toMatchObject({ weights: [1, 2], ppi: 77 });
    expect(cumulativePpi([64])).toMatchObject({ exact: 64 });
    expect(cumulativePpi([])).toMatchObject({ computable: false });
  });
});

describe("isPpiEligible(group, testedEla, testedMath)", () => {
  it("needs 20 for all students and 30 for a subgroup, in both subjects", () => {
    expect(isPpiEligible("allStudents", 20, 20)).toBe(true);
    expect(isPpiEligible("allStudents", 19, 40)).toBe(false);
    expect(isPpiEligible("subgroup", 30, 30)).toBe(true);
    expect(isPpiEligible("subgroup", 45, 29)).toBe(false);
  });
});

describe("ppiLevel(input)", () => {
  const level = (allStudentsPpi: number | null, highNeedsPpi: number | null, part = 99) => {
    const decided = ppiLevel({ allStudentsPpi, highNeedsPpi, lowestParticipation: part });
    return decided.computable ? decided.level : decided.reason;
  };

  it("gives Level 1 when both groups reach 75, Level 2 when either does not", () => {
    expect(level(80, 75)).toBe(1);
    expect(level(80, 74)).toBe(2);
    expect(level(74, 90)).toBe(2);
  });

  it("compares the printed whole number: 74.5 prints as 75", () => {
    expect(level(80, 74.5)).toBe(1);
    expect(level(80, 74.49)).toBe(2);
  });

  it("caps participation of 90-94% at Level 2 and puts under 90% at Level 3", () => {
    expect(level(90, 90, 95)).toBe(1);
    expect(level(90, 90, 94)).toBe(2);
    expect(level(90, 90, 90)).toBe(2);
    expect(level(90, 90, 89)).toBe(3);
    expect(level(null, null, 89)).toBe(3);
  });

  it("gives the reasons and the compared values", () => {
    expect(ppiLevel({ allStudentsPpi: 70.4, highNeedsPpi: 80, lowestParticipation: 93 })).toEqual({
      computable: true,
      level: 2,
      reasons: ["all students' cumulative PPI 70, under 75", "participation of 93%, under 95%"],
      allStudents: { ppi: 70, met: false },
      highNeeds: { ppi: 80, met: true },
      participation: 93,
    });
  });

  it("takes Level 3 reasons found from statewide data", () => {
    const input = { allStudentsPpi: 90, highNeedsPpi: 90, lowestParticipation: 100 };
    expect(ppiLevel({ ...input, level3Reasons: ["lowest 20% of schools"] })).toMatchObject({
      level: 3,
      reasons: ["lowest 20% of schools"],
    });
  });

  it("decides nothing without a high needs PPI", () => {
    expect(level(90, null)).toBe("not computable without the high needs cumulative PPI");
  });
});
