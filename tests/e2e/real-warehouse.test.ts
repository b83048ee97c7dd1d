import { readFileSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Warehouse } from "../../loaders/warehouse/db.ts";
import { REAL_DIR } from "../helpers/real.ts";

// The real site's build ingests the whole folder of real files in one run, as
// `pim ingest ../shared/data/real` does; these tests read the warehouse it left beside the site.
const site = inject("sites").real;
let warehouse: Warehouse;

beforeAll(async () => {
  warehouse = await Warehouse.open(site.database, { readOnly: true });
});
afterAll(() => warehouse?.close());

/** Files of the folder that are not state exports pim reads; all others are data files. */
const NOT_READ = [
  "ma_math_standards_alignment_g6.csv",
  "ma_mcas_2015_legacy_districts_long_globe.csv",
  "ma_mcas_official_2022_student_file_layout.json",
  "ma_mcas_school_vs_state_achievement_growth_summary.csv",
];

describe("one run over the folder of real files", () => {
  it("loads every data file and refuses none", async () => {
    expect(site.code, site.output.slice(-3000)).toBe(0);
    const loaded = await warehouse.all<{ file: string }>("SELECT file FROM sources ORDER BY file");
    const expected = readdirSync(REAL_DIR)
      .filter((file) => !file.endsWith(".md") && !NOT_READ.includes(file))
      .sort();
    expect(loaded.map((row) => row.file)).toEqual(expected);
    expect(expected).toHaveLength(21);
  });

  it("skips and lists the files that are not state exports", () => {
    const build = JSON.parse(readFileSync(`${site.dir}.build.json`, "utf8")) as {
      skipped: { file: string }[];
    };
    expect(build.skipped.map((skipped) => skipped.file)).toEqual(NOT_READ);
  });

  it("computes Rising Tide's 2023 math items from its students as the template publishes them", async () => {
    // The template (no organisation named in it) is attributed to 04830305 by these same student
    // rows; each item's percent computed from them must equal the template's within its rounding.
    const pairs = await warehouse.all<{
      test: string;
      item: string;
      published: number;
      computed: number;
    }>(
      `SELECT p.test, p.item, p.pct_possible_org AS published, s.pct_possible_org AS computed
       FROM item_results p
       JOIN item_results s USING (year, org_code, test, student_group, item)
       WHERE p.year = 2023 AND p.org_code = '04830305' AND p.subject = 'MATH'
         AND p.student_group = 'all' AND p.basis = 'published' AND s.basis = 'students'
       ORDER BY p.test, p.item`,
    );
    const mismatches = pairs.filter((pair) => Math.abs(pair.published - pair.computed) > 0.5);
    expect(pairs.length).toBeGreaterThanOrEqual(200);
    expect(mismatches).toEqual([]);
  });
});
