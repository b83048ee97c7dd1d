import { join, resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ingestPaths } from "../../loaders/ingest/ingest.ts";
import type { IngestReport } from "../../loaders/ingest/ingest.ts";
import { OrgDirectory } from "../../loaders/ingest/orgs.ts";
import { createMemoryLog } from "../../loaders/log.ts";
import type { Warehouse } from "../../loaders/warehouse/db.ts";
import { loadedWarehouse } from "../helpers/warehouse.ts";

// The bad-input corpus of profile exports: small hand-made files, one quirk each, and exactly
// what pim must make of each one. tests/corpus/profile/README.md says how they were written.
const CORPUS = resolve(import.meta.dirname, "../corpus/profile");

let warehouse: Warehouse | undefined;
afterEach(() => warehouse?.close());

async function load(file: string): Promise<IngestReport> {
  const loaded = await loadedWarehouse([join(CORPUS, file)]);
  warehouse = loaded.warehouse;
  return loaded.report;
}

const refusals: [string, string][] = [
  [
    "truncated_2022_gr3-8_el.csv",
    "truncated_2022_gr3-8_el.csv, row 3; expected 22 fields as in the header, found 12",
  ],
  [
    "header-only_2022_gr3-8_el.csv",
    "header-only_2022_gr3-8_el.csv; the file holds no data rows below its header: " +
      "an interrupted export?",
  ],
  [
    "duplicated-rows_2022_gr3-8_el.csv",
    'duplicated-rows_2022_gr3-8_el.csv, row 3, column "School Code": found "09990005"; ' +
      "repeats row 2: the same year, organisation, grade, subject and group",
  ],
  [
    "column-renamed_2022_gr3-8_el.csv",
    'column-renamed_2022_gr3-8_el.csv, row 1; the header lacks the column(s) "Avg. Scaled Score" ' +
      'that a profile export has, and has "Average SS" instead',
  ],
  [
    // M+E % is half of the header signature: the file is detected as no format, yet named.
    "signature-renamed_2022_gr3-8_el.csv",
    "signature-renamed_2022_gr3-8_el.csv: looks like a profile-export file, but the header " +
      'lacks the column(s) "M+E %" that a profile export has, and has "ME %" instead',
  ],
  [
    "percent-140_2022_gr3-8_el.csv",
    'percent-140_2022_gr3-8_el.csv, row 2, column "M+E %": found "140"; ' +
      "expected a percent from 0 to 100",
  ],
  [
    "code-with-letters_2022_gr3-8_el.csv",
    'code-with-letters_2022_gr3-8_el.csv, row 2, column "School Code": found "0999OO05"; ' +
      "expected an organisation code of up to 8 digits",
  ],
  [
    "mixed-delimiters_2022_gr3-8_el.csv",
    "mixed-delimiters_2022_gr3-8_el.csv, row 3; expected 22 fields as in the header, found 1",
  ],
  [
    "unknown-group_2022_gr3-8_el.csv",
    'unknown-group_2022_gr3-8_el.csv, row 2, column "student_group": found "martians"; ' +
      "expected a known student group (see the README's list)",
  ],
  [
    "grade-13_2022_gr3-8_el.csv",
    'grade-13_2022_gr3-8_el.csv, row 2, column "grade": found "13"; ' +
      "expected a grade from 3 to 12 or ALL",
  ],
  [
    "no-year_gr3-8_el.csv",
    "no-year_gr3-8_el.csv; the file has no Year column and its name holds no year: pass --year",
  ],
];

describe("the profile export corpus", () => {
  it.each(refusals)("refuses %s with one exact line", async (file, error) => {
    const report = await load(file);
    expect(report.refused.map((r) => r.errors)).toEqual([[error]]);
    expect(await warehouse!.one("SELECT count(*)::INTEGER AS n FROM achievement")).toEqual({
      n: 0,
    });
  });

  it("loads the good file: two subjects, four levels each", async () => {
    const report = await load("good_2022_gr3-8_el.csv");
    expect(report.loaded[0]!.tables).toMatchObject({ achievement: 2, achievement_levels: 8 });
    expect(
      await warehouse!.one(
        `SELECT n_students, pct_meeting_or_above, sgp FROM achievement WHERE subject = 'ELA'`,
      ),
    ).toEqual({ n_students: 50, pct_meeting_or_above: 50, sgp: 50.5 });
  });

  it("loads a school whose district is not named, and every file after it", async () => {
    // "Lone School" has no "District - " prefix: its district 09980000 is known by code only.
    const loaded = await loadedWarehouse([join(CORPUS, "district-unnamed_2022_gr3-8_el.csv")]);
    warehouse = loaded.warehouse;
    const later = await ingestPaths(warehouse, [join(CORPUS, "good_2022_gr3-8_el.csv")], {
      log: createMemoryLog(),
    });
    expect(later.refused).toEqual([]);
    expect(later.loaded.map((file) => file.tables.achievement)).toEqual([2]);
    const orgs = await OrgDirectory.load(warehouse);
    expect(orgs.resolve("LONE SCHOOL")).toEqual({
      ok: true,
      org: {
        org_code: "09980005",
        org_name: "Lone School",
        org_type: "school",
        district_code: "09980000",
        district_name: null,
        district_school_count: 1,
      },
    });
    expect(orgs.get("09980000")).toMatchObject({ org_name: null, org_type: "district" });
  });

  it("reads LF line ends as it reads CRLF", async () => {
    const report = await load("lf-line-ends_2022_gr3-8_el.csv");
    expect(report.loaded[0]!.tables).toMatchObject({ achievement: 2, achievement_levels: 8 });
  });

  it("decodes a Windows-1252 file, its en dash and curly apostrophe too", async () => {
    // The name's bytes are "Pe\xf1a \x96 O\x92Brien": 0x96 and 0x92 are Windows-1252's en dash
    // and right single quote, not the Latin-1 control codes U+0096 and U+0092.
    await load("windows-1252_2022_gr3-8_el.csv");
    expect(await warehouse!.one("SELECT org_name, district_name FROM achievement")).toEqual({
      org_name: "Escuela Peña \u2013 O\u2019Brien",
      district_name: "Town",
    });
  });

  it("keeps suppressed cells apart from values, never as 0", async () => {
    await load("suppressed-cells_2022_gr3-8_el.csv");
    expect(
      await warehouse!.all(
        `SELECT subject, sgp, n_included_sgp, withheld FROM achievement ORDER BY subject`,
      ),
    ).toEqual([
      { subject: "ELA", sgp: null, n_included_sgp: null, withheld: ["SGP", "Included In SGP"] },
      { subject: "MATH", sgp: null, n_included_sgp: 50, withheld: ["SGP"] },
    ]);
  });

  it("reads NA, -- and a single space as missing", async () => {
    await load("na-cells_2022_gr3-8_el.csv");
    expect(
      await warehouse!.one(
        `SELECT sgp, participation_rate, achievement_percentile, withheld FROM achievement`,
      ),
    ).toEqual({ sgp: null, participation_rate: null, achievement_percentile: null, withheld: [] });
  });

  it("recognises the state row by code 0", async () => {
    await load("state-row-code-0_2022_gr3-8_el.csv");
    expect(await warehouse!.one("SELECT org_code, org_type, org_name FROM achievement")).toEqual({
      org_code: "00000000",
      org_type: "state",
      org_name: "State",
    });
  });

  it("loads a percent that disagrees with its count, and lists the row", async () => {
    const report = await load("percent-disagrees_2022_gr3-8_el.csv");
    expect(report.loaded).toHaveLength(1);
    expect(report.warnings).toEqual([
      "percent-disagrees_2022_gr3-8_el.csv, row 3: a percent that is not its count over the " +
        'students included, rounded half up: "M+E %" 45 (22 of 50 is 44)',
    ]);
  });

  it("loads level counts that do not add up to the students, and lists the row", async () => {
    const report = await load("count-over-students_2022_gr3-8_el.csv");
    expect(report.warnings).toEqual([
      "count-over-students_2022_gr3-8_el.csv, row 2: a percent that is not its count over the " +
        'students included, rounded half up: "M+E %" 50 (25 of 60 is 42), "E %" 10 (5 of 60 is ' +
        '8), "M %" 40 (20 of 60 is 33), "PM %" 30 (15 of 60 is 25), "NM %" 20 (10 of 60 is 17)',
      "count-over-students_2022_gr3-8_el.csv: 1 row(s) whose level counts do not add up to the " +
        "students included: rows 2",
    ]);
  });
});
