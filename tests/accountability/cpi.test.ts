import { describe, expect, it } from "vitest";
import {
  cpiFromBands,
  cpiFromLevels,
  cpiRating,
  splitByScaledScore,
} from "../../loaders/accountability/cpi.ts";

// domain.md section 2: 80 students, 32 / 20 / 14 / 9 / 5 from P+A to W/F low
//   3200 + 1500 + 700 + 225 + 0 = 5625 points, 5625 / 80 = 70.3125, published 70.3
const WORKED = {
  proficientOrAdvanced: 32,
  needsImprovementHigh: 20,
  needsImprovementLow: 14,
  warningHigh: 9,
  warningLow: 5,
};

describe("cpiFromBands(bands)", () => {
  it("gives the worked example's CPI, exact and to one decimal", () => {
    expect(cpiFromBands(WORKED)).toEqual({
      computable: true,
      students: 80,
      points: 5625,
      exact: 70.3125,
      cpi: 70.3,
    });
  });

  it("gives 100 when every student is proficient and 0 when every one is W/F low", () => {
    const none = { ...WORKED, needsImprovementHigh: 0, needsImprovementLow: 0, warningHigh: 0 };
    expect(cpiFromBands({ ...none, warningLow: 0 })).toMatchObject({ cpi: 100 });
    expect(cpiFromBands({ ...none, proficientOrAdvanced: 0 })).toMatchObject({ cpi: 0 });
  });

  it("says a group of no students has no CPI", () => {
    const empty = { ...WORKED, proficientOrAdvanced: 0, needsImprovementHigh: 0 };
    expect(
      cpiFromBands({ ...empty, needsImprovementLow: 0, warningHigh: 0, warningLow: 0 }),
    ).toEqual({ computable: false, reason: "not computable: the group has no students" });
  });

  it("refuses a count that is not a whole number of students", () => {
    expect(() => cpiFromBands({ ...WORKED, warningLow: 2.5 })).toThrow(
      "cpi: warningLow must be a whole number of students, not 2.5",
    );
  });
});

describe("cpiFromLevels(levels, upper)", () => {
  const LEVELS = { A: 10, P: 22, NI: 34, W: 14 };

  it("gives the range, not a CPI, without the NI and W/F splits", () => {
    // Lowest: 32 × 100 + 34 × 50 = 4900 / 80 = 61.25; highest: + 34 × 25 + 14 × 25 = 6100 / 80
    // = 76.25. Both round half up.
    expect(cpiFromLevels(LEVELS)).toEqual({
      computable: false,
      reason:
        "not computable without the split of Needs Improvement (230-238 / 220-228) and " +
        "Warning/Failing (210-218 / 200-208) by scaled score",
      lowest: 61.3,
      highest: 76.3,
    });
  });

  it("gives the worked example's CPI with the splits", () => {
    const upper = { needsImprovementHigh: 20, warningHigh: 9 };
    expect(cpiFromLevels(LEVELS, upper)).toMatchObject({ computable: true, cpi: 70.3 });
  });

  it("needs no split when nobody is at NI or W/F", () => {
    expect(cpiFromLevels({ A: 5, P: 15, NI: 0, W: 0 })).toMatchObject({ cpi: 100, students: 20 });
  });

  it("refuses an upper half larger than its level", () => {
    expect(() => cpiFromLevels(LEVELS, { needsImprovementHigh: 35, warningHigh: 0 })).toThrow(
      RangeError,
    );
  });
});

describe("splitByScaledScore(scores)", () => {
  it("puts each score in its band, edges included", () => {
    expect(splitByScaledScore([280, 240, 238, 230, 228, 220, 218, 210, 208, 200, 262])).toEqual({
      proficientOrAdvanced: 3,
      needsImprovementHigh: 2,
      needsImprovementLow: 2,
      warningHigh: 2,
      warningLow: 2,
    });
  });

  it("refuses a score off the legacy scale", () => {
    expect(() => splitByScaledScore([512])).toThrow(
      "cpi: 512 is not a legacy MCAS scaled score (200-280)",
    );
    expect(() => splitByScaledScore([0])).toThrow(RangeError);
  });
});

describe("cpiRating(cpi)", () => {
  it("reads the 2004 bands at their edges", () => {
    const cpis = [100, 90, 89.9, 80, 79.9, 70, 69.9, 60, 59.9, 40, 39.9, 0];
    expect(cpis.map(cpiRating)).toEqual([
      "Very High",
      "Very High",
      "High",
      "High",
      "Moderate",
      "Moderate",
      "Low",
      "Low",
      "Very Low",
      "Very Low",
      "Critically Low",
      "Critically Low",
    ]);
  });

  it("rates the published one-decimal CPI: 89.95 is published as 90.0", () => {
    expect(cpiRating(89.95)).toBe("Very High");
    expect(cpiRating(89.94)).toBe("High");
  });
});
