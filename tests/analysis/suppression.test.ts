import { afterEach, describe, expect, it } from "vitest";
import { achievementQuery, levelsQuery } from "../../loaders/analysis/achievement.ts";
import { itemsQuery } from "../../loaders/analysis/items.ts";
import { rollupQuery } from "../../loaders/analysis/rollup.ts";
import { DEFAULT_SETTINGS, mergeSettings } from "../../loaders/settings.ts";
import type { Warehouse } from "../../loaders/warehouse/db.ts";
import { achievement, item, warehouseWith } from "../helpers/rows.ts";

let warehouse: Warehouse | undefined;
afterEach(() => warehouse?.close());

const GROUPS = [
  achievement({ student_group: "all", n_students: 60, pct_meeting_or_above: 50 }),
  achievement({ student_group: "el", n_students: 9, pct_meeting_or_above: 22 }),
  achievement({ student_group: "swd", n_students: 10, pct_meeting_or_above: 10 }),
];

describe("suppression of small groups", () => {
  it("empties every figure of a group under 10 students, and keeps a group of exactly 10", async () => {
    warehouse = await warehouseWith({ achievement: GROUPS });
    const rows = await warehouse.all(
      `SELECT student_group, suppressed, n_students, pct_meeting_or_above, avg_scaled_score, sgp,
              gap_to_all
       FROM (${achievementQuery(DEFAULT_SETTINGS)}) ORDER BY group_order`,
    );
    expect(rows).toEqual([
      {
        student_group: "all",
        suppressed: false,
        n_students: 60,
        pct_meeting_or_above: 50,
        avg_scaled_score: 500,
        sgp: 50,
        gap_to_all: null,
      },
      {
        student_group: "el",
        suppressed: true,
        n_students: null,
        pct_meeting_or_above: null,
        avg_scaled_score: null,
        sgp: null,
        gap_to_all: null,
      },
      {
        student_group: "swd",
        suppressed: false,
        n_students: 10,
        pct_meeting_or_above: 10,
        avg_scaled_score: 500,
        sgp: 50,
        gap_to_all: -40,
      },
    ]);
  });

  it("follows the minimum group size setting", async () => {
    warehouse = await warehouseWith({ achievement: GROUPS });
    const strict = mergeSettings({ minGroupSize: 20 });
    const rows = await warehouse.all<{ student_group: string; suppressed: boolean }>(
      `SELECT student_group, suppressed FROM (${achievementQuery(strict)}) ORDER BY group_order`,
    );
    expect(rows.map((row) => row.suppressed)).toEqual([false, true, true]);
  });

  it("empties the level counts and percents of a small group", async () => {
    warehouse = await warehouseWith({ achievement: GROUPS });
    await warehouse.run(
      `INSERT INTO achievement_levels (year, org_code, grade, subject, student_group, level, n, pct, source_file)
       VALUES (2024, '09990005', '05', 'MATH', 'el', 'NM', 5, 56, 'x'),
                                             (2024, '09990005', '05', 'MATH', 'all', 'NM', 5, 8, 'x')`,
    );
    const rows = await warehouse.all(
      `SELECT student_group, n, pct FROM (${levelsQuery(DEFAULT_SETTINGS)}) ORDER BY student_group`,
    );
    expect(rows).toEqual([
      { student_group: "all", n: 5, pct: 8 },
      { student_group: "el", n: null, pct: null },
    ]);
  });

  it("empties item results and rollups of a test taken by fewer than 10 students", async () => {
    warehouse = await warehouseWith({
      achievement: [achievement({ n_students: 8 })],
      item_results: [item({ pct_possible_org: 30, pct_possible_state: 60, diff_published: -30 })],
    });
    const items = await warehouse.all(
      `SELECT suppressed, n_students, pct_org, pct_state, diff_published, flagged
       FROM (${itemsQuery(DEFAULT_SETTINGS)})`,
    );
    expect(items).toEqual([
      {
        suppressed: true,
        n_students: null,
        pct_org: null,
        pct_state: null,
        diff_published: null,
        flagged: null,
      },
    ]);
    const rollups = await warehouse.all(
      `SELECT DISTINCT suppressed, pct_org, diff FROM (${rollupQuery(DEFAULT_SETTINGS)})`,
    );
    expect(rollups).toEqual([{ suppressed: true, pct_org: null, diff: null }]);
  });
});
