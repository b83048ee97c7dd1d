import { describe, expect, it } from "vitest";
import {
  aypMinimumN,
  aypStatuses,
  decideAyp,
  fittedTarget,
  safeHarborCeiling,
  stateTarget,
  targetStep,
  type AypGroupResult,
  type AypPolicy,
  type AypYear,
} from "../../loaders/accountability/ayp.ts";
import { DEFAULT_SETTINGS, mergeSettings } from "../../loaders/settings.ts";

/** A 2009 ELA subgroup that meets nothing but participation and the additional indicator. */
function group(overrides: Partial<AypGroupResult>): AypGroupResult {
  return {
    year: 2009,
    subject: "ELA",
    kind: "subgroup",
    students: 60,
    participation: 98,
    cpi: 70,
    baselineCpi: null,
    nonProficientPct: null,
    priorNonProficientPct: null,
    additionalIndicatorMet: true,
    ...overrides,
  };
}

describe("stateTarget(year, subject)", () => {
  it("gives the confirmed targets and marks the recalled ones", () => {
    expect(stateTarget(2008, "ELA")).toEqual({ target: 85.4, status: "confirmed" });
    expect(stateTarget(2010, "MATH")).toEqual({ target: 84.3, status: "confirmed" });
    expect(stateTarget(2011, "MATH")).toEqual({ target: 92.2, status: "confirmed" });
    expect(stateTarget(2005, "MATH")).toEqual({ target: 68.7, status: "unconfirmed" });
    expect(stateTarget(2007, "ELA")).toEqual({ target: 85.4, status: "unconfirmed" });
  });

  it("has none outside 2002-2011", () => {
    expect(() => stateTarget(2012, "ELA")).toThrow("ayp: no state target for 2012");
  });

  it("matches start + k × (100 − start) / 6 in every year, each step held two years", () => {
    for (let year = 2002; year <= 2011; year++) {
      expect(fittedTarget(70.7, targetStep(year)), `ELA ${year}`).toBe(
        stateTarget(year, "ELA").target,
      );
      expect(fittedTarget(53.0, targetStep(year)), `math ${year}`).toBe(
        stateTarget(year, "MATH").target,
      );
    }
    expect([2003, 2004, 2007, 2008, 2011].map(targetStep)).toEqual([1, 1, 3, 3, 5]);
    expect(fittedTarget(53.0, 6)).toBe(100);
  });
});

describe("safeHarborCeiling(prior)", () => {
  it("needs 10% fewer non-proficient students than last year", () => {
    expect(safeHarborCeiling(40)).toBe(36);
    expect(safeHarborCeiling(33.3)).toBe(29.97);
    expect(safeHarborCeiling(0)).toBe(0);
  });
});

describe("aypMinimumN(kind, year)", () => {
  it("uses the 2003 glossary's 20 in 2003 and the settings after", () => {
    expect(aypMinimumN("subgroup", 2003)).toEqual({ minimumN: 20, status: "confirmed" });
    expect(aypMinimumN("subgroup", 2004)).toEqual({ minimumN: 40, status: "unconfirmed" });
    expect(aypMinimumN("aggregate", 2011)).toEqual({ minimumN: 20, status: "unconfirmed" });
    const settings = mergeSettings({ ayp: { subgroupMinN: 30 } }).ayp;
    expect(aypMinimumN("subgroup", 2009, settings).minimumN).toBe(30);
  });
});

describe("decideAyp(group)", () => {
  it("makes AYP on the state target, with every test's inputs", () => {
    const decision = decideAyp(group({ cpi: 90.2 }));
    expect(decision).toEqual({
      computable: true,
      madeAyp: true,
      label: "Yes",
      metBy: "state target",
      participation: { actual: 98, required: 95, met: true },
      stateTarget: { target: 90.2, status: "confirmed", actual: 90.2, met: true },
      improvement: null,
      safeHarbor: null,
      additionalIndicator: { met: true },
    });
  });

  it("accepts participation of exactly 95 and fails 94.9 whatever the CPI", () => {
    expect(decideAyp(group({ cpi: 100, participation: 95 }))).toMatchObject({ label: "Yes" });
    expect(decideAyp(group({ cpi: 100, participation: 94.9 }))).toMatchObject({
      madeAyp: false,
      label: "No",
      metBy: "state target",
      participation: { met: false },
    });
  });

  it("marks safe harbor Yes/SH: 40% non-proficient last year, 36.0% this year", () => {
    const harbor = { nonProficientPct: 36.0, priorNonProficientPct: 40, baselineCpi: 75 };
    expect(decideAyp(group(harbor))).toMatchObject({
      madeAyp: true,
      label: "Yes/SH",
      metBy: "safe harbor",
      safeHarbor: { prior: 40, ceiling: 36, actual: 36, met: true },
    });
    expect(decideAyp(group({ ...harbor, nonProficientPct: 36.1 }))).toMatchObject({
      madeAyp: false,
      label: "No",
      metBy: null,
    });
  });

  it("meets the improvement target, or falls within the error band for Yes/EB", () => {
    // 2009 is step 4, three steps left to 2014: 70 + (100 − 70) / 3 = 80.0.
    const improving = { baselineCpi: 70, nonProficientPct: 50, priorNonProficientPct: 52 };
    expect(decideAyp(group({ ...improving, cpi: 80 }))).toMatchObject({
      label: "Yes",
      metBy: "improvement target",
      improvement: { baseline: 70, target: 80, errorBand: 2.5, met: true, withinErrorBand: false },
    });
    expect(decideAyp(group({ ...improving, cpi: 77.5 }))).toMatchObject({
      label: "Yes/EB",
      metBy: "improvement target within error band",
      improvement: { target: 80, actual: 77.5, met: false, withinErrorBand: true },
    });
    expect(decideAyp(group({ ...improving, cpi: 77.4 }))).toMatchObject({
      label: "No",
      improvement: { withinErrorBand: false },
    });
  });

  it("sets a 2011 improvement target two steps from 2014", () => {
    const decision = decideAyp(group({ year: 2011, baselineCpi: 80, cpi: 90 }));
    expect(decision).toMatchObject({ label: "Yes", improvement: { target: 90, met: true } });
  });

  it("takes the error band from the settings and the policy from the caller", () => {
    const input = group({
      baselineCpi: 70,
      cpi: 78,
      nonProficientPct: 50,
      priorNonProficientPct: 50,
    });
    const narrow = mergeSettings({ ayp: { errorBand: 1 } }).ayp;
    expect(decideAyp(input, narrow)).toMatchObject({ label: "No" });
    const lenient: AypPolicy = {
      improvementTarget: (_, baseline) => baseline + 5,
      errorBand: () => 0,
    };
    expect(decideAyp(input, DEFAULT_SETTINGS.ayp, lenient)).toMatchObject({
      label: "Yes",
      improvement: { target: 75 },
    });
  });

  it("names what is missing when the decision hangs on it", () => {
    expect(decideAyp(group({}))).toEqual({
      computable: false,
      reason:
        "not computable without the group's baseline CPI, " +
        "both years' percent non-proficient (for safe harbor)",
    });
    expect(decideAyp(group({ cpi: 95, additionalIndicatorMet: null }))).toEqual({
      computable: false,
      reason: "not computable without the additional indicator",
    });
  });

  it("fails a group on a missed additional indicator, whatever else is unknown", () => {
    expect(decideAyp(group({ additionalIndicatorMet: false }))).toMatchObject({
      madeAyp: false,
      label: "No",
    });
  });

  it("gives no determination to a group under the minimum", () => {
    expect(decideAyp(group({ students: 39 }))).toEqual({
      computable: false,
      reason: "no determination: 39 students, fewer than the 40 a subgroup needs",
      students: 39,
      minimumN: 40,
    });
    expect(decideAyp(group({ kind: "aggregate", students: 19 }))).toMatchObject({
      reason: "no determination: 19 students, fewer than the 20 an aggregate needs",
    });
    expect(decideAyp(group({ year: 2003, students: 20, cpi: 80 }))).toMatchObject({
      label: "Yes",
    });
  });

  it("refuses a year without AYP", () => {
    expect(() => decideAyp(group({ year: 2012 }))).toThrow(RangeError);
  });
});

/** Years from 2003, each "Y" (made), "N" (missed by the aggregate), "S" (missed by subgroups
 * only) or "-" (no determination). */
function history(codes: string): AypYear[] {
  return [...codes].map((code, index) => ({
    year: 2003 + index,
    aggregate: code === "-" ? null : code !== "N",
    subgroups: code === "-" ? null : code === "Y",
  }));
}

describe("aypStatuses(history)", () => {
  it("starts a status on a second miss, moves it on each miss, holds it on one made year", () => {
    expect(aypStatuses(history("YNNNYNNN")).map((status) => status.label)).toEqual([
      "No Status",
      "No Status",
      "Improvement Year 1",
      "Improvement Year 2",
      "Improvement Year 2",
      "Corrective Action",
      "Restructuring Year 1",
      "Restructuring Year 2",
    ]);
  });

  it("marks labels past Restructuring Year 1 unconfirmed", () => {
    const statuses = aypStatuses(history("NNNNNN"));
    expect(statuses.map((status) => [status.level, status.labelConfirmed])).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [3, true],
      [4, true],
      [5, false],
    ]);
  });

  it("ends a status after two years in a row making AYP, or the setting's number", () => {
    expect(aypStatuses(history("NNYY")).map((status) => status.label)).toEqual([
      "No Status",
      "Improvement Year 1",
      "Improvement Year 1",
      "No Status",
    ]);
    const three = mergeSettings({ ayp: { statusExitYears: 3 } }).ayp;
    expect(aypStatuses(history("NNYY"), three).at(-1)?.label).toBe("Improvement Year 1");
  });

  it("does not count a single miss, nor a run broken by a made year", () => {
    expect(aypStatuses(history("NYNY")).every((status) => status.level === 0)).toBe(true);
  });

  it("adds '– Subgroups' while only subgroups caused the status", () => {
    expect(aypStatuses(history("SSN")).map((status) => status.label)).toEqual([
      "No Status",
      "Improvement Year 1 – Subgroups",
      "Improvement Year 2",
    ]);
  });

  it("lets a year without a determination neither break nor extend a run", () => {
    expect(aypStatuses(history("N-N")).map((status) => status.level)).toEqual([0, 0, 1]);
  });

  it("refuses a history with a year left out", () => {
    const gap = [...history("N"), { year: 2005, aggregate: false, subgroups: false }];
    expect(() => aypStatuses(gap)).toThrow("ayp: years must follow one another, not 2003, 2005");
  });
});
