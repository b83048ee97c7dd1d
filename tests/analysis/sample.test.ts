import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { achievementQuery } from "../../loaders/analysis/achievement.ts";
import { rollupQuery } from "../../loaders/analysis/rollup.ts";
import { skillsQuery } from "../../loaders/analysis/skills.ts";
import { PLANTED } from "../../loaders/sample/generate.ts";
import { DEFAULT_SETTINGS } from "../../loaders/settings.ts";
import type { Warehouse } from "../../loaders/warehouse/db.ts";
import { loadedWarehouse } from "../helpers/warehouse.ts";

// The reports must find what the sample generator planted: these run the same queries the
// site's data loaders publish, on the committed sample.
const SAMPLE = resolve(import.meta.dirname, "../../data/sample");

let warehouse: Warehouse;

beforeAll(async () => {
  const loaded = await loadedWarehouse([SAMPLE]);
  warehouse = loaded.warehouse;
  expect(loaded.report.refused).toEqual([]);
}, 120_000);

afterAll(() => warehouse?.close());

describe("the reports on the embedded sample", () => {
  it("rank the planted weak math category first for its school, in both years and grades", async () => {
    const { schoolCode, category, grades, years } = PLANTED.weakCategory;
    const weakest = await warehouse.all<{ year: number; grade: string; key: string }>(
      `SELECT year, grade, arg_min(key, diff) AS key
       FROM (${rollupQuery(DEFAULT_SETTINGS)})
       WHERE org_code = ? AND subject = 'MATH' AND level = 'reporting_category'
         AND student_group = 'all'
       GROUP BY year, grade ORDER BY year, grade`,
      [schoolCode],
    );
    for (const year of years) {
      for (const grade of grades) {
        const row = weakest.find((r) => r.year === year && r.grade === `0${grade}`);
        expect(row?.key, `${year} grade ${grade}`).toBe(category);
      }
    }
  });

  it("rank a standard of the planted weak domain first in step 3, with its evidence", async () => {
    const { schoolCode, category, grades, years } = PLANTED.weakCategory;
    const first = await warehouse.all<{
      year: number;
      grade: string;
      standard: string;
      domain: string;
      n_flagged: number;
      z: number;
      other_years_weak: number;
    }>(
      `SELECT year, grade, standard, domain, n_flagged, z, other_years_weak
       FROM (${skillsQuery(DEFAULT_SETTINGS)})
       WHERE org_code = ? AND subject = 'MATH' AND rank = 1 ORDER BY year, grade`,
      [schoolCode],
    );
    for (const year of years) {
      for (const grade of grades) {
        const row = first.find((r) => r.year === year && r.grade === `0${grade}`);
        expect(row?.domain, `${year} grade ${grade}: ${row?.standard}`).toBe(category);
        expect(row?.standard).toMatch(new RegExp(`^${grade}\\.${category}\\.`));
        // The planted weakness is large and among some 70 students: a clear gap, with flagged
        // items, and weak in the other year too.
        expect(row!.z).toBeLessThan(-DEFAULT_SETTINGS.significanceZ);
        expect(row!.n_flagged).toBeGreaterThan(0);
        expect(row!.other_years_weak).toBe(1);
      }
    }
  });

  it("find no other school and category as far below the state", async () => {
    const { schoolCode, category } = PLANTED.weakCategory;
    const worst = await warehouse.all<{ year: number; org_code: string; key: string }>(
      `SELECT year, arg_min(org_code, diff) AS org_code, arg_min(key, diff) AS key
       FROM (${rollupQuery(DEFAULT_SETTINGS)})
       WHERE subject = 'MATH' AND level = 'reporting_category' AND student_group = 'all'
       GROUP BY year ORDER BY year`,
    );
    expect(worst.map(({ org_code, key }) => ({ org_code, key }))).toEqual(
      PLANTED.weakCategory.years.map(() => ({ org_code: schoolCode, key: category })),
    );
  });

  it("show the planted subgroup gap as the district's largest for its group", async () => {
    const { schoolCode, subject, years, minGap } = PLANTED.swdGap;
    const gaps = await warehouse.all<{ year: number; org_code: string; gap: number }>(
      `SELECT year, arg_min(org_code, gap_to_all) AS org_code, min(gap_to_all) AS gap
       FROM (${achievementQuery(DEFAULT_SETTINGS)})
       WHERE student_group = 'swd' AND subject = ? AND grade = '03-08'
       GROUP BY year ORDER BY year`,
      [subject],
    );
    expect(gaps.map((g) => g.year)).toEqual([...years]);
    for (const gap of gaps) {
      expect(gap.org_code).toBe(schoolCode);
      expect(gap.gap).toBeLessThanOrEqual(-minGap);
    }
  });

  it("suppress the planted group of fewer than 10 students, keeping its row", async () => {
    const { schoolCode, group, years } = PLANTED.smallGroup;
    const rows = await warehouse.all(
      `SELECT year, subject, suppressed, n_students, pct_meeting_or_above, gap_to_all
       FROM (${achievementQuery(DEFAULT_SETTINGS)})
       WHERE org_code = ? AND student_group = ? AND grade = '03-08' ORDER BY year, subject`,
      [schoolCode, group],
    );
    expect(rows).toEqual(
      years.flatMap((year) =>
        ["ELA", "MATH"].map((subject) => ({
          year,
          subject,
          suppressed: true,
          n_students: null,
          pct_meeting_or_above: null,
          gap_to_all: null,
        })),
      ),
    );
  });
});
