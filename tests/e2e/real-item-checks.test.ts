import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { checkItemDifferences, type ItemDifferenceCheck } from "../../loaders/analysis/checks.ts";
import { Warehouse } from "../../loaders/warehouse/db.ts";

// Check (c) on the real public files, in the warehouse the real site was built from (the item
// files name their school by name only, so they need the profile files loaded beside them).
// Every item file that publishes a school-minus-state difference, with its count of items.
const FILES: Record<string, number> = {
  // 2022 workbook: Rising Tide school and district sheets, 13 tests (EG5, a copy of EG8, skipped).
  "ma_mcas_2022_item_analysis_by_grade_subject.xlsx": 508,
  "ma_mcas_2022_physics_it301_item_analysis_edwin_export.xlsx": 42,
  "ma_mcas_2023_ela_item_results_gr5-10.xlsx": 174,
  // The template publishes a difference for the school only, not for the district columns.
  "ma_mcas_2023_math_item_analysis_template_gr5-10.xlsx": 202,
};

describe("published item differences of the real files against their two percents", () => {
  const site = inject("sites").real;
  let warehouse: Warehouse;
  let rows: ItemDifferenceCheck[];

  beforeAll(async () => {
    warehouse = await Warehouse.open(site.database, { readOnly: true });
    rows = (await checkItemDifferences(warehouse)).rows;
  });

  afterAll(() => {
    warehouse?.close();
  });

  it("checks every item of every file that publishes a difference, and no other", () => {
    const byFile = Object.fromEntries(
      Object.keys(FILES).map((file) => [file, rows.filter((r) => r.source_file === file).length]),
    );
    expect(byFile).toEqual(FILES);
    expect(rows).toHaveLength(Object.values(FILES).reduce((a, b) => a + b, 0));
  });

  it("finds every difference equal to its percents' after rounding: none is listed", () => {
    expect(rows.filter((row) => row.status !== "matches")).toEqual([]);
  });

  it("reads whole percents exactly, and the 2023 template's six decimals", () => {
    const whole = rows.filter((row) => row.decimals === 0);
    expect(whole.every((row) => row.published_diff === row.pct_org! - row.pct_state!)).toBe(true);
    const template = rows.filter(
      (row) => row.source_file === "ma_mcas_2023_math_item_analysis_template_gr5-10.xlsx",
    );
    expect(new Set(template.map((row) => row.decimals))).toEqual(new Set([6]));
    for (const row of template) {
      expect(Math.abs(row.published_diff! - (row.pct_org! - row.pct_state!))).toBeLessThan(1e-5);
    }
  });
});
