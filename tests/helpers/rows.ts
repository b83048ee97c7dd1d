import type { AchievementRow, ItemRow } from "../../loaders/ingest/formats/types.ts";
import { Warehouse } from "../../loaders/warehouse/db.ts";

/** An item_results row with plain defaults; tests name only what matters to them. */
export function item(overrides: Partial<ItemRow>): ItemRow {
  return {
    year: 2024,
    org_code: "09990005",
    org_type: "school",
    grade: "05",
    subject: "MATH",
    test: "MATH-05",
    student_group: "all",
    item: "1",
    item_role: "item",
    essay: null,
    item_type: "SR",
    reporting_category: "NF",
    standards: ["5.NF.B.4"],
    description: null,
    max_points: 1,
    n_tested: null,
    pct_possible_org: 50,
    pct_possible_state: 50,
    diff_published: 0,
    source_file: "fixture.xlsx",
    source_row: 2,
    withheld: [],
    source_test: "MG5",
    basis: "published",
    ...overrides,
  };
}

export function achievement(overrides: Partial<AchievementRow>): AchievementRow {
  return {
    year: 2024,
    org_code: "09990005",
    org_name: "Town Elementary",
    org_type: "school",
    district_code: "09990000",
    district_name: "Town",
    grade: "05",
    subject: "MATH",
    student_group: "all",
    n_students: 60,
    n_meeting_or_above: 30,
    pct_meeting_or_above: 50,
    avg_scaled_score: 500,
    sgp: 50,
    n_included_sgp: 55,
    participation_rate: 99,
    achievement_percentile: 50,
    source_file: "fixture.csv",
    cpi: null,
    withheld: [],
    ...overrides,
  };
}

/** An in-memory warehouse holding exactly the given rows. */
export async function warehouseWith(rows: {
  achievement?: AchievementRow[];
  item_results?: ItemRow[];
}): Promise<Warehouse> {
  const warehouse = await Warehouse.open(":memory:");
  for (const [table, list] of Object.entries(rows)) {
    for (const row of list as unknown as Record<string, unknown>[]) {
      const columns = Object.keys(row);
      const values = columns.map((c) => {
        const value = row[c];
        return Array.isArray(value) ? JSON.stringify(value) : (value as string | number | null);
      });
      const slots = columns.map((c) =>
        Array.isArray(row[c]) ? `from_json(?, '["VARCHAR"]')` : "?",
      );
      await warehouse.run(
        `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${slots.join(", ")})`,
        values as never,
      );
    }
  }
  return warehouse;
}
