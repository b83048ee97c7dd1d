import { describe, expect, it } from "vitest";
import { chooseRules, eraOfYear } from "../../loaders/accountability/era.ts";

describe("eraOfYear(year)", () => {
  it("places each year in its system", () => {
    const years = [2002, 2003, 2011, 2012, 2016, 2017, 2018, 2024];
    expect(years.map((year) => eraOfYear(year)?.id ?? null)).toEqual([
      null,
      "ayp",
      "ayp",
      "ppi",
      "ppi",
      "transition2017",
      "essa2018",
      "essa2018",
    ]);
  });
});

describe("chooseRules(year, requested)", () => {
  it("applies a year's own rules without a note", () => {
    expect(chooseRules(2009)).toEqual({
      year: 2009,
      rules: "ayp",
      era: "ayp",
      chosen: false,
      note: "",
    });
    expect(chooseRules(2024, "essa2018")).toMatchObject({ rules: "essa2018", chosen: false });
  });

  it("applies none in 2017 unless asked, and says why", () => {
    expect(chooseRules(2017)).toMatchObject({ rules: null, era: "transition2017", chosen: false });
    expect(chooseRules(2017).note).toContain("grade 10's legacy CPI");
    expect(chooseRules(2017, "ppi")).toMatchObject({ rules: "ppi", chosen: true });
  });

  it("reads a legacy year under the current system when asked, and names what is missing", () => {
    expect(chooseRules(2009, "essa2018")).toEqual({
      year: 2009,
      rules: "essa2018",
      era: "ayp",
      chosen: true,
      note:
        "2009 results read under the 2018+ system rules, as asked, not the rules of the time. " +
        "They need the average scaled score, which 2009 results lack.",
    });
  });

  it("reads a year under rules of the same measure without a warning about it", () => {
    expect(chooseRules(2010, "ppi").note).toBe(
      "2010 results read under the Progress and Performance Index rules, as asked, not the rules " +
        "of the time.",
    );
  });

  it("has nothing to apply before 2003", () => {
    expect(chooseRules(2001)).toMatchObject({
      rules: null,
      note: "No AYP determinations in 2001.",
    });
  });
});
