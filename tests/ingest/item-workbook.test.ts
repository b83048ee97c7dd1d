import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IngestReport } from "../../loaders/ingest/ingest.ts";
import type { Warehouse } from "../../loaders/warehouse/db.ts";
import { realFile } from "../helpers/real.ts";
import { loadedWarehouse } from "../helpers/warehouse.ts";

const WORKBOOK_2022 = "ma_mcas_2022_item_analysis_by_grade_subject.xlsx";
const WORKBOOK_2023 = "ma_mcas_2023_ela_item_results_gr5-10.xlsx";
// The profile file that names Rising Tide and Baystate Academy, so that headers resolve.
const PROFILE_2022 = "ma_mcas_2022_gr3-8_schools_all_students.csv";

let warehouse: Warehouse;
let report: IngestReport;
let lines: string[];

beforeAll(async () => {
  // Workbooks first on the command line: pim must still load the profile file before them.
  ({ warehouse, report, lines } = await loadedWarehouse(
    [WORKBOOK_2022, WORKBOOK_2023, PROFILE_2022].map(realFile),
  ));
}, 120_000);

afterAll(() => warehouse?.close());

describe("item analysis workbooks of the real files", () => {
  it("loads both workbooks and logs where each year came from", () => {
    expect(report.refused).toEqual([]);
    expect(report.loaded.map((f) => f.file)).toEqual([PROFILE_2022, WORKBOOK_2022, WORKBOOK_2023]);
    expect(lines).toContain(`${WORKBOOK_2022}: year 2022, from the file name`);
    expect(lines).toContain(`${WORKBOOK_2023}: year 2023, from the file name`);
  });

  it("resolves each sheet's organisation from its header", async () => {
    const orgs = await warehouse.all(
      `SELECT source_test AS test, any_value(org_code) AS org_code, any_value(org_type) AS org_type
       FROM item_results WHERE year = 2022 AND source_test IN ('MG5', 'EG8', 'SG11Bio', 'EG10')
       GROUP BY source_test ORDER BY source_test`,
    );
    expect(orgs).toEqual([
      { test: "EG10", org_code: "04830305", org_type: "school" },
      { test: "EG8", org_code: "04830000", org_type: "district" },
      { test: "MG5", org_code: "04830305", org_type: "school" },
      // The one sheet of another district: Baystate Academy Charter Public School (District).
      { test: "SG11Bio", org_code: "35020000", org_type: "district" },
    ]);
  });

  it("reads grade 5 math item by item as published", async () => {
    const count = await warehouse.one<{ n: number; points: number }>(
      `SELECT count(*)::INTEGER AS n, sum(max_points)::INTEGER AS points
       FROM item_results WHERE year = 2022 AND source_test = 'MG5'`,
    );
    expect(count).toEqual({ n: 40, points: 54 });
    expect(
      await warehouse.one(
        `SELECT grade, subject, test, item_type, reporting_category, standards, description, max_points,
                n_tested, pct_possible_org, pct_possible_state, diff_published, source_row
         FROM item_results WHERE year = 2022 AND source_test = 'MG5' AND item = '31'`,
      ),
    ).toEqual({
      grade: "05",
      subject: "MATH",
      test: "MATH-05",
      item_type: "SR",
      reporting_category: "GE",
      standards: ["5.G.B.3"],
      description: "Given a set of two-dimensional figures, identify which figures are rectangles.",
      max_points: 1,
      n_tested: null,
      pct_possible_org: 49,
      pct_possible_state: 61,
      diff_published: -12,
      source_row: 3,
    });
  });

  it("reads the sheet whose item header reads TEM", async () => {
    expect(
      await warehouse.one(
        `SELECT count(*)::INTEGER AS n FROM item_results WHERE year = 2022 AND source_test = 'MG8'`,
      ),
    ).toEqual({ n: 40 });
  });

  it("splits several standards in one cell", async () => {
    expect(
      await warehouse.one(
        `SELECT standards FROM item_results WHERE year = 2022 AND source_test = 'MG10' AND item = '13'`,
      ),
    ).toEqual({ standards: ["AI.F-IF.A.2", "MI.F-IF.A.2"] });
  });

  it("tells whole essays from their trait rows", async () => {
    const essay = await warehouse.all(
      `SELECT item, item_role, essay, reporting_category, max_points FROM item_results
       WHERE year = 2022 AND source_test = 'EG10' AND essay = '9' ORDER BY item`,
    );
    expect(essay).toEqual([
      { item: "9", item_role: "essay", essay: "9", reporting_category: null, max_points: 8 },
      {
        item: "LA9.CONV1",
        item_role: "essay_trait",
        essay: "9",
        reporting_category: "LA",
        max_points: 3,
      },
      {
        item: "WR9.IDEA1",
        item_role: "essay_trait",
        essay: "9",
        reporting_category: "WR",
        max_points: 5,
      },
    ]);
  });

  it("skips the 2022 EG5 sheet, a copy of EG8 whose links point to grade 8, and says so", async () => {
    expect(
      await warehouse.one(
        `SELECT count(*)::INTEGER AS n FROM item_results WHERE year = 2022 AND source_test = 'EG5'`,
      ),
    ).toEqual({ n: 0 });
    expect(report.warnings).toContainEqual(expect.stringMatching(/sheet EG5 repeats sheet EG8/));
  });

  it("never loads the legend row that follows the items", async () => {
    expect(
      await warehouse.one(
        `SELECT count(*)::INTEGER AS n FROM item_results WHERE item ILIKE 'view the%'`,
      ),
    ).toEqual({ n: 0 });
  });

  it("reads 2023 grade 5 ELA item 1 as 83 percent of possible points", async () => {
    expect(
      await warehouse.one(
        `SELECT org_code, pct_possible_org FROM item_results
         WHERE year = 2023 AND source_test = 'EG5' AND item = '1'`,
      ),
    ).toEqual({ org_code: "04830000", pct_possible_org: 83 });
  });
});

describe("a workbook whose organisation cannot be resolved", () => {
  it("is refused, naming the sheet, the header and the --org option", async () => {
    const { warehouse: empty, report: refused } = await loadedWarehouse([realFile(WORKBOOK_2023)]);
    try {
      expect(refused.loaded).toEqual([]);
      const errors = refused.refused[0]!.errors;
      expect(errors[0]).toBe(
        `${WORKBOOK_2023}, sheet EG10, row 1: found "RISING TIDE CHARTER PUBLIC (DISTRICT)"; ` +
          "cannot tell which organisation this is, because no school or district is known yet: " +
          "load the state's profile files for that year first (same run or earlier), or name it " +
          "with --org <8-digit code> (a district's code is the first four digits of its schools' " +
          "codes followed by 0000)",
      );
      expect(errors.length).toBe(5);
      expect(await empty.one("SELECT count(*)::INTEGER AS n FROM item_results")).toEqual({ n: 0 });
    } finally {
      empty.close();
    }
  });

  it("loads with --org", async () => {
    const { warehouse: named, report: loaded } = await loadedWarehouse([realFile(WORKBOOK_2023)], {
      org: "04830000",
    });
    try {
      expect(loaded.refused).toEqual([]);
      expect(await named.one(`SELECT DISTINCT org_code, org_type FROM item_results`)).toEqual({
        org_code: "04830000",
        org_type: "district",
      });
    } finally {
      named.close();
    }
  });
});

describe("--org for a workbook whose organisation is not known", () => {
  it("refuses a school's code for a sheet whose header names a district", async () => {
    const { warehouse: named, report: refused } = await loadedWarehouse([realFile(WORKBOOK_2023)], {
      org: "04830305",
    });
    try {
      expect(refused.refused[0]!.errors[0]).toBe(
        `${WORKBOOK_2023}, sheet EG10, row 1: found "RISING TIDE CHARTER PUBLIC (DISTRICT)"; the ` +
          "header names a district, but --org 04830305 is a school's code; its district's code " +
          "would be 04830000",
      );
    } finally {
      named.close();
    }
  });

  it("says which header it took to be the --org code", async () => {
    const { warehouse: named, report } = await loadedWarehouse([realFile(WORKBOOK_2023)], {
      org: "04830000",
    });
    try {
      expect(report.warnings[0]).toBe(
        `${WORKBOOK_2023}: sheet EG10: "RISING TIDE CHARTER PUBLIC (DISTRICT)" taken to be ` +
          "04830000 as --org says; no loaded file names it",
      );
    } finally {
      named.close();
    }
  });
});
