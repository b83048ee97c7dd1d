import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestPaths } from "../../loaders/ingest/ingest.ts";
import type { IngestOptions, IngestReport } from "../../loaders/ingest/ingest.ts";
import { createMemoryLog } from "../../loaders/log.ts";
import { Warehouse } from "../../loaders/warehouse/db.ts";
import { realFile } from "../helpers/real.ts";
import { loadedWarehouse } from "../helpers/warehouse.ts";

// The real files; expected values below were read from the files themselves (cell noted).
const PROFILE_2022 = "ma_mcas_2022_gr3-8_schools_all_students.csv";
const WORKBOOK_2022 = "ma_mcas_2022_item_analysis_by_grade_subject.xlsx";
const STATEWIDE_SCHOOLS = "ma_mcas_2022_physics_statewide_school_by_item.xlsx";
const STATEWIDE_DISTRICTS = "ma_mcas_2022_physics_statewide_district_by_item.xlsx";
const IT301 = "ma_mcas_2022_physics_it301_item_analysis_edwin_export.xlsx";
const TEMPLATE = "ma_mcas_2023_math_item_analysis_template_gr5-10.xlsx";
const CIVICS = "ma_mcas_2023_civics_item_analysis_school.csv";

const corpus = (name: string) => resolve(import.meta.dirname, "../corpus/items", name);

let warehouse: Warehouse;
let report: IngestReport;
let templateReport: IngestReport;
let lines: string[];

beforeAll(async () => {
  ({ warehouse, report, lines } = await loadedWarehouse(
    [STATEWIDE_SCHOOLS, STATEWIDE_DISTRICTS, IT301, CIVICS, WORKBOOK_2022, PROFILE_2022].map(
      realFile,
    ),
  ));
  // The template names no school: it is loaded in a run of its own, with --org.
  templateReport = await ingestPaths(warehouse, [realFile(TEMPLATE)], {
    log: createMemoryLog(),
    org: "04830305",
  });
}, 120_000);

afterAll(() => warehouse?.close());

/** Rows of item_results as the given SQL selects them from the rows of one file. */
function rowsOf(file: string, columns: string, where = "true"): Promise<unknown[]> {
  return warehouse.all(
    `SELECT ${columns} FROM item_results WHERE source_file = ? AND (${where}) ORDER BY ALL`,
    [file],
  );
}

/** A fresh warehouse with `paths` ingested; `prepare` runs on the warehouse first. */
async function ingestAlone(
  paths: string[],
  options: Partial<IngestOptions> = {},
  prepare?: (warehouse: Warehouse) => Promise<void>,
): Promise<{ warehouse: Warehouse; report: IngestReport; lines: string[] }> {
  const fresh = await Warehouse.open(":memory:");
  await prepare?.(fresh);
  const log = createMemoryLog();
  return {
    warehouse: fresh,
    report: await ingestPaths(fresh, paths, { log, ...options }),
    lines: log.lines,
  };
}

describe("the real files of the four item formats", () => {
  it("loads every file, each in its format", () => {
    expect(report.refused).toEqual([]);
    expect(templateReport.refused).toEqual([]);
    const formats = Object.fromEntries(
      [...report.loaded, ...templateReport.loaded].map((file) => [file.file, file.format]),
    );
    expect(formats).toMatchObject({
      [STATEWIDE_SCHOOLS]: "statewide-item-report",
      [STATEWIDE_DISTRICTS]: "statewide-item-report",
      [IT301]: "edwin-it301",
      [TEMPLATE]: "item-analysis-template",
      [CIVICS]: "civics-item-csv",
    });
  });
});

describe("statewideItemReport.parse", () => {
  it("reads one row per school and item of the school report, with no state figures", async () => {
    expect(
      await warehouse.one(
        `SELECT count(*)::INTEGER AS n, count(DISTINCT org_code)::INTEGER AS orgs,
                count(pct_possible_state)::INTEGER AS with_state, min(test) AS test,
                min(grade) AS grade, min(org_type) AS org_type
         FROM item_results WHERE source_file = ?`,
        [STATEWIDE_SCHOOLS],
      ),
    ).toEqual({
      n: 97 * 42,
      orgs: 97,
      with_state: 0,
      test: "SCI-PHYSICS",
      grade: "HS",
      org_type: "school",
    });
    // Row 74, Rising Tide Charter Public School: Tested "      68", item 1 (F) 87, item 3 (H) 49.
    expect(
      await rowsOf(
        STATEWIDE_SCHOOLS,
        "item, pct_possible_org, n_tested, source_row, source_test",
        "org_code = '04830305' AND item IN ('1', '3')",
      ),
    ).toEqual([
      { item: "1", pct_possible_org: 87, n_tested: 68, source_row: 74, source_test: "36" },
      { item: "3", pct_possible_org: 49, n_tested: 68, source_row: 74, source_test: "36" },
    ]);
  });

  it("takes the state's percents from the district report's State row and loads none for it", async () => {
    expect(
      await warehouse.one(
        `SELECT count(*)::INTEGER AS n, count(pct_possible_state)::INTEGER AS with_state,
                count(*) FILTER (WHERE org_code = '00000000')::INTEGER AS state_rows
         FROM item_results WHERE source_file = ?`,
        [STATEWIDE_DISTRICTS],
      ),
    ).toEqual({ n: 77 * 42, with_state: 77 * 42, state_rows: 0 });
    // Row 57 (Rising Tide, 04830000) item 3 (H) is 49; row 80 (State) item 3 is 66.
    // Row 14 (Boston, 00350000) has Tested "   1,857".
    expect(
      await rowsOf(
        STATEWIDE_DISTRICTS,
        "org_code, org_type, pct_possible_org, pct_possible_state, n_tested",
        "item = '3' AND org_code IN ('04830000', '00350000')",
      ),
    ).toEqual([
      {
        org_code: "00350000",
        org_type: "district",
        pct_possible_org: 53,
        pct_possible_state: 66,
        n_tested: 1857,
      },
      {
        org_code: "04830000",
        org_type: "district",
        pct_possible_org: 49,
        pct_possible_state: 66,
        n_tested: 68,
      },
    ]);
  });

  it("logs that the year came from the title row, and records where each file's came from", async () => {
    expect(lines).toContain(
      `${STATEWIDE_DISTRICTS}: sheet Next Generation MCAS Test Item: year 2022, from the title row`,
    );
    const origins = await warehouse.all(
      "SELECT file, year_origin FROM sources WHERE file IN (?, ?, ?) ORDER BY file",
      [STATEWIDE_DISTRICTS, STATEWIDE_SCHOOLS, IT301],
    );
    expect(origins).toEqual([
      { file: IT301, year_origin: "report banner" },
      { file: STATEWIDE_DISTRICTS, year_origin: "title row" },
      { file: STATEWIDE_SCHOOLS, year_origin: "title row" },
    ]);
  });

  it("agrees with the IT301 export and the Edwin workbook on every Rising Tide item", async () => {
    const agreement = await warehouse.all(
      `SELECT s.format, count(*)::INTEGER AS n,
              count(*) FILTER (WHERE i.pct_possible_org = r.pct_possible_org
                                 AND i.pct_possible_state = r.pct_possible_state)::INTEGER AS same
       FROM item_results i JOIN sources s ON s.file = i.source_file
       JOIN item_results r ON r.item = i.item AND r.org_code = i.org_code AND r.test = i.test
                          AND r.source_file = ?
       WHERE i.org_code = '04830000' AND i.test = 'SCI-PHYSICS' AND i.source_file <> ?
       GROUP BY s.format ORDER BY s.format`,
      [STATEWIDE_DISTRICTS, STATEWIDE_DISTRICTS],
    );
    expect(agreement).toEqual([
      { format: "edwin-it301", n: 42, same: 42 },
      { format: "item-analysis-workbook", n: 42, same: 42 },
    ]);
  });

  it("reads a report saved without its title row, taking the year from the file name", async () => {
    const name = "statewide_2022_physics_district_no_title.xlsx";
    const alone = await ingestAlone([corpus(name)]);
    try {
      expect(alone.report.refused).toEqual([]);
      expect(alone.lines).toContain(
        `${name}: sheet Next Generation MCAS Test Item: year 2022, from the file name`,
      );
      expect(
        await alone.warehouse.all(
          `SELECT year, org_code, item, pct_possible_org, pct_possible_state, n_tested, withheld
           FROM item_results ORDER BY org_code, item`,
        ),
      ).toEqual([
        row("01230000", "1", 80, 75, 25),
        row("01230000", "2", 45, 50, 25),
        // A blank cell stays null.
        row("01230000", "3", null, 60, 25),
        row("04560000", "1", 70, 75, 1204),
        // "*": withheld, and null.
        { ...row("04560000", "2", null, 50, 1204), withheld: ["2"] },
        row("04560000", "3", 66, 60, 1204),
      ]);
    } finally {
      alone.warehouse.close();
    }

    function row(code: string, item: string, org: number | null, state: number, n: number) {
      return {
        year: 2022,
        org_code: code,
        item,
        pct_possible_org: org,
        pct_possible_state: state,
        n_tested: n,
        withheld: [],
      };
    }
  });

  it("refuses a report with a percent above 100, naming the cell", async () => {
    const name = "statewide_2022_physics_school_pct140.xlsx";
    const alone = await ingestAlone([corpus(name)]);
    try {
      expect(alone.report.refused[0]!.errors).toEqual([
        `${name}, sheet Items, row 3, column "1": found "140"; ` +
          "expected a percent of possible points from 0 to 100",
      ]);
      expect(await alone.warehouse.one("SELECT count(*)::INTEGER AS n FROM item_results")).toEqual({
        n: 0,
      });
    } finally {
      alone.warehouse.close();
    }
  });
});

describe("edwinIt301.parse", () => {
  it("reads the 42 items of the district the banner names, with the banner's count", async () => {
    expect(
      await warehouse.one(
        `SELECT count(*)::INTEGER AS n, sum(max_points)::INTEGER AS points,
                min(org_code) AS org_code, min(org_type) AS org_type, min(n_tested) AS n_tested,
                min(test) AS test, min(student_group) AS student_group
         FROM item_results WHERE source_file = ?`,
        [IT301],
      ),
      // The Total* row (58) gives 60 possible points; the banner reads "All Students: 68".
    ).toEqual({
      n: 42,
      points: 60,
      org_code: "04830000",
      org_type: "district",
      n_tested: 68,
      test: "SCI-PHYSICS",
      student_group: "all",
    });
    expect(lines).toContain(`${IT301}: year 2022, from the report banner`);
  });

  it("reads item 3 as published, leaving the standard of practice out", async () => {
    // Row 18: D "3", F "SR", I "MF", K "HS.PHY.2.9", R 1, S 0.49, U 0.66, V -17.
    expect(
      await rowsOf(
        IT301,
        `grade, item_type, reporting_category, standards, description, max_points,
         pct_possible_org, pct_possible_state, diff_published, source_row, source_test`,
        "item = '3'",
      ),
    ).toEqual([
      {
        grade: "HS",
        item_type: "SR",
        reporting_category: "MF",
        standards: ["HS.PHY.2.9"],
        description:
          "Determine which change to a circuit would reduce the total current in the circuit by half.",
        max_points: 1,
        pct_possible_org: 49,
        pct_possible_state: 66,
        diff_published: -17,
        source_row: 18,
        source_test: "HS Introductory Physics HS (09,10)",
      },
    ]);
  });

  it("reads an export whose footer is missing", async () => {
    const name = "it301_2022_physics_no_footer.xlsx";
    const alone = await ingestAlone([corpus(name)]);
    try {
      expect(alone.report.refused).toEqual([]);
      expect(
        await alone.warehouse.all(
          `SELECT org_code, item, max_points, n_tested, pct_possible_org, pct_possible_state,
                  diff_published, withheld
           FROM item_results ORDER BY item`,
        ),
      ).toEqual([
        item("1", 1, 87, 86, 1, []),
        item("2", 4, 23, 34, -11, []),
        item("3", 1, null, 61, null, ["district"]),
      ]);
    } finally {
      alone.warehouse.close();
    }

    function item(
      number: string,
      points: number,
      org: number | null,
      state: number,
      diff: number | null,
      withheld: string[],
    ) {
      return {
        org_code: "01230000",
        item: number,
        max_points: points,
        n_tested: 25,
        pct_possible_org: org,
        pct_possible_state: state,
        diff_published: diff,
        withheld,
      };
    }
  });

  it("resolves a banner that names its district without the code", async () => {
    const alone = await ingestAlone([
      corpus("it301_2022_physics_name_only.xlsx"),
      realFile(PROFILE_2022),
    ]);
    try {
      expect(
        await alone.warehouse.one(
          "SELECT DISTINCT org_code, org_type FROM item_results WHERE source_file LIKE 'it301%'",
        ),
      ).toEqual({ org_code: "04830000", org_type: "district" });
    } finally {
      alone.warehouse.close();
    }
  });

  it("refuses such a banner when no organisation is known, and loads it with --org", async () => {
    const name = "it301_2022_physics_name_only.xlsx";
    const refused = await ingestAlone([corpus(name)]);
    const named = await ingestAlone([corpus(name)], { org: "04830000" });
    try {
      expect(refused.report.refused[0]!.errors).toEqual([
        `${name}, sheet IT301 MCAS District and School; cannot tell which district "Rising Tide ` +
          'Charter Public (District)" is, because no school or district is known yet: load the ' +
          "state's profile files for that year first (same run or earlier), or name it with " +
          "--org <8-digit code of the district>",
      ]);
      expect(named.report.warnings).toEqual([
        `${name}: sheet IT301 MCAS District and School: "Rising Tide Charter Public ` +
          '(District)" taken to be 04830000 as --org says; no loaded file names it',
      ]);
      expect(
        await named.warehouse.one(
          "SELECT count(*)::INTEGER AS n, min(org_code) AS org FROM item_results",
        ),
      ).toEqual({ n: 3, org: "04830000" });
    } finally {
      refused.warehouse.close();
      named.warehouse.close();
    }
  });
});

describe("itemAnalysisTemplate.parse", () => {
  it("reads every grade sheet for the --org school and its district", async () => {
    // Total Points: 54 on Grade 5 (H43) and 60 on Grade 10 (G45).
    expect(
      await warehouse.all(
        `SELECT test, source_test, org_code, org_type, count(*)::INTEGER AS n,
                sum(max_points)::INTEGER AS points
         FROM item_results WHERE source_file = ? AND test IN ('MATH-05', 'MATH-10')
         GROUP BY ALL ORDER BY ALL`,
        [TEMPLATE],
      ),
    ).toEqual([
      {
        test: "MATH-05",
        source_test: "Grade 5",
        org_code: "04830000",
        org_type: "district",
        n: 40,
        points: 54,
      },
      {
        test: "MATH-05",
        source_test: "Grade 5",
        org_code: "04830305",
        org_type: "school",
        n: 40,
        points: 54,
      },
      {
        test: "MATH-10",
        source_test: "Grade 10",
        org_code: "04830000",
        org_type: "district",
        n: 42,
        points: 60,
      },
      {
        test: "MATH-10",
        source_test: "Grade 10",
        org_code: "04830305",
        org_type: "school",
        n: 42,
        points: 60,
      },
    ]);
    expect(templateReport.loaded[0]!.rows).toBe(2 * (40 + 40 + 40 + 40 + 42));
  });

  it("reads the percent possible values, not the average points", async () => {
    // Grade 5 row 3: item "01", L3 =I3/H3 cached 0.7078651685, N3 0.6954548892, O3 1.241027933.
    // Grade 10 row 3 (no Release Status column): item 29, K3 cached 0.2166666667.
    expect(
      await rowsOf(
        TEMPLATE,
        `source_test, item, org_type, reporting_category, standards, max_points,
         pct_possible_org, pct_possible_state, diff_published`,
        "source_row = 3 AND source_test IN ('Grade 5', 'Grade 10')",
      ),
    ).toEqual([
      {
        source_test: "Grade 10",
        item: "29",
        org_type: "district",
        reporting_category: "Algebra and Functions",
        standards: ["F-LE.B.5"],
        max_points: 1,
        pct_possible_org: 21.666667,
        pct_possible_state: 36.874445,
        diff_published: null,
      },
      {
        source_test: "Grade 10",
        item: "29",
        org_type: "school",
        reporting_category: "Algebra and Functions",
        standards: ["F-LE.B.5"],
        max_points: 1,
        pct_possible_org: 21.666667,
        pct_possible_state: 36.874445,
        diff_published: -15.20777852,
      },
      {
        source_test: "Grade 5",
        item: "1",
        org_type: "district",
        reporting_category: "Number and Operations-Fractions",
        standards: ["5.NF.B.5"],
        max_points: 1,
        pct_possible_org: 70.786517,
        pct_possible_state: 69.545489,
        diff_published: null,
      },
      {
        source_test: "Grade 5",
        item: "1",
        org_type: "school",
        reporting_category: "Number and Operations-Fractions",
        standards: ["5.NF.B.5"],
        max_points: 1,
        pct_possible_org: 70.786517,
        pct_possible_state: 69.545489,
        diff_published: 1.241027933,
      },
    ]);
  });

  it("ignores the sheets that hold no items, with one warning", () => {
    expect(templateReport.warnings).toEqual([
      `${TEMPLATE}: sheet(s) "Reporting Categories2023", "File Layout Gr3-8", "File Layout Gr10" ` +
        "hold no items; ignored",
    ]);
  });

  const NAME = "template_2023_math_no_release_status.xlsx";

  it("reads a sheet without Release Status", async () => {
    const alone = await ingestAlone([corpus(NAME)], { org: "09990005" });
    try {
      expect(alone.report.refused).toEqual([]);
      expect(
        await alone.warehouse.all(
          `SELECT org_code, item, item_type, reporting_category, standards, description,
                  max_points, pct_possible_org, pct_possible_state, diff_published
           FROM item_results WHERE source_test = 'Grade 10' AND item = '23' ORDER BY org_code`,
        ),
      ).toEqual(
        ["09990000", "09990005"].map((code) => ({
          org_code: code,
          item: "23",
          item_type: "CR",
          reporting_category: "Algebra and Functions",
          standards: ["F-BF.A.2"],
          description: "Model a sequence.",
          max_points: 4,
          pct_possible_org: 62.5,
          pct_possible_state: 50,
          diff_published: code === "09990005" ? 12.5 : null,
        })),
      );
      expect(await alone.warehouse.one("SELECT count(*)::INTEGER AS n FROM item_results")).toEqual({
        n: 12,
      });
    } finally {
      alone.warehouse.close();
    }
  });

  it("refuses a template without --org when no student rows give its averages", async () => {
    const alone = await ingestAlone([corpus(NAME)]);
    try {
      expect(alone.report.refused[0]!.errors).toEqual([
        `${NAME}; the template names no organisation, and no school's student rows loaded so ` +
          "far give its School Average Points: pass --org <8-digit school code> (the District " +
          "columns then give its district's rows), or load the school's student item file in " +
          "the same run",
      ]);
    } finally {
      alone.warehouse.close();
    }
  });

  it("infers the school whose counting students give the template's averages", async () => {
    const alone = await ingestAlone([corpus(NAME)], {}, async (fresh) => {
      await addMatchingStudents(fresh, "09990005");
      // Another school of the same grades whose averages differ.
      await addStudents(fresh, "09980005", "05", ["F", "F"], { mitem1: [0, 0], mitem2: [0, 0] });
    });
    try {
      expect(alone.report.refused).toEqual([]);
      expect(alone.report.warnings).toContain(
        `${NAME}: organisation inferred as 09990005: its student rows in students_09990005.csv ` +
          "give the same average points on all 6 items",
      );
      expect(
        await alone.warehouse.all(
          `SELECT org_code, org_type, count(*)::INTEGER AS n FROM item_results
           WHERE basis = 'published' GROUP BY ALL ORDER BY ALL`,
        ),
      ).toEqual([
        { org_code: "09990000", org_type: "district", n: 6 },
        { org_code: "09990005", org_type: "school", n: 6 },
      ]);
    } finally {
      alone.warehouse.close();
    }
  });

  it("refuses to choose between two schools whose students give the same averages", async () => {
    const alone = await ingestAlone([corpus(NAME)], {}, async (fresh) => {
      await addMatchingStudents(fresh, "09990005");
      await addMatchingStudents(fresh, "09970005");
    });
    try {
      expect(alone.report.refused[0]!.errors).toEqual([
        `${NAME}; the template names no organisation, and the student rows of several schools ` +
          "give its School Average Points (09970005, 09990005): pass --org <8-digit school " +
          "code> (the District columns then give its district's rows)",
      ]);
    } finally {
      alone.warehouse.close();
    }
  });

  it("refuses a district's code as --org", async () => {
    const alone = await ingestAlone([corpus(NAME)], { org: "09990000" });
    try {
      expect(alone.report.refused[0]!.errors).toEqual([
        `${NAME}; --org 09990000 is a district's code, but the template's School columns are a ` +
          "school's: pass the school's code (the District columns then give its district's rows)",
      ]);
    } finally {
      alone.warehouse.close();
    }
  });
});

/**
 * Student rows whose averages over counting students equal the corpus template's School Average
 * Points: grade 5 items 1-3 (0.75, 1.25, 0.5) and grade 10 items 29, 23, 17 (0.25, 2.5, 1). The
 * fifth grade 5 student did not take the test (attempt N) and must not count; a blank item of a
 * counting student scores 0; item 41 is on no form.
 */
async function addMatchingStudents(warehouse: Warehouse, org: string): Promise<void> {
  await addStudents(warehouse, org, "05", ["F", "F", "P", "F", "N"], {
    mitem1: [1, 1, 1, 0, 1],
    mitem2: [2, 1, 2, 0, 2],
    mitem3: [1, 0, 1, null, 1],
    mitem41: [null, null, null, null, null],
  });
  await addStudents(warehouse, org, "10", ["F", "F", "F", "F"], {
    mitem29: [1, 0, 0, 0],
    mitem23: [4, 2, 4, 0],
    mitem17: [1, 1, 1, 1],
  });
}

async function addStudents(
  warehouse: Warehouse,
  org: string,
  grade: string,
  attempts: string[],
  points: Record<string, (number | null)[]>,
): Promise<void> {
  const file = `students_${org}.csv`;
  // The form is the columns given, in order: "mitem5" is item 5.
  const items = Object.keys(points).map((column) => column.replace(/^mitem/, ""));
  await warehouse.run(
    `INSERT INTO private_student_forms (year, grade, subject, items, source_file)
     VALUES (2023, ?, 'MATH', from_json(?, '["VARCHAR"]'), ?)`,
    [grade, JSON.stringify(items), file],
  );
  for (const [index, attempt] of attempts.entries()) {
    const scores = Object.values(points).map((column) => column[index] ?? null);
    await warehouse.run(
      `INSERT INTO private_students (year, org_code, grade, subject, student_key, attempt, groups,
                                     points, source_file, source_row)
       VALUES (2023, ?, ?, 'MATH', ?, ?, []::VARCHAR[], from_json(?, '["UTINYINT"]'), ?, ?)`,
      [org, grade, `${file}#${index + 2}`, attempt, JSON.stringify(scores), file, index + 2],
    );
  }
}

describe("civicsItemCsv.parse", () => {
  it("reads the 17 grade 8 civics items of the real file", async () => {
    expect(
      await warehouse.one(
        `SELECT count(*)::INTEGER AS n, min(year) AS year, min(test) AS test, min(grade) AS grade,
                min(org_code) AS org_code, min(subject) AS subject
         FROM item_results WHERE source_file = ?`,
        [CIVICS],
      ),
    ).toEqual({
      n: 17,
      year: 2023,
      test: "CIVICS-08",
      grade: "08",
      org_code: "04830305",
      subject: "CIVICS",
    });
    // Line 3: 23CV,04830305,...,08,02,87,61,6111,58,RR,8.T7.1,T7,1,Evaluate a map ...
    expect(
      await rowsOf(
        CIVICS,
        `item, n_tested, pct_possible_org, pct_possible_state, reporting_category, standards,
         max_points, description, source_row`,
        "item = '2'",
      ),
    ).toEqual([
      {
        item: "2",
        n_tested: 87,
        pct_possible_org: 61,
        pct_possible_state: 58,
        reporting_category: "RR",
        standards: ["8.T7.1"],
        max_points: 1,
        description:
          "Evaluate a map to draw a conclusion about freedom of the press in the United States.",
        source_row: 3,
      },
    ]);
  });

  it("joins the unquoted commas of a description back, with one warning for the file", async () => {
    // Line 2 has 16 fields: its description holds two commas.
    expect(await rowsOf(CIVICS, "description", "item = '1'")).toEqual([
      {
        description:
          "Determine whether actions are performed by the executive, legislative, or judicial " +
          "branches of government.",
      },
    ]);
    expect(report.warnings).toContain(
      `${CIVICS}: 1 row(s) had unquoted commas in the item description, the last column; their ` +
        "extra fields were joined back into the description",
    );
  });

  it("recovers a row of 17 fields", async () => {
    const alone = await ingestAlone([corpus("civics_2023_17_fields.csv")]);
    try {
      expect(alone.report.refused).toEqual([]);
      expect(
        await alone.warehouse.all(
          "SELECT item, max_points, pct_possible_org, description FROM item_results ORDER BY item",
        ),
      ).toEqual([
        {
          item: "1",
          max_points: 1,
          pct_possible_org: 55,
          description: "Describe the role of the legislative branch.",
        },
        {
          item: "2",
          max_points: 2,
          pct_possible_org: 35,
          description:
            "Explain how a bill, once passed by the House and the Senate, or both, becomes a law.",
        },
      ]);
    } finally {
      alone.warehouse.close();
    }
  });

  it("refuses a row of 12 fields", async () => {
    const name = "civics_2023_12_fields.csv";
    const alone = await ingestAlone([corpus(name)]);
    try {
      expect(alone.report.refused[0]!.errors).toEqual([
        `${name}, row 3; the row has 12 fields where the header has 14: a field is missing, so ` +
          "its values cannot be matched to the columns",
      ]);
    } finally {
      alone.warehouse.close();
    }
  });
});
