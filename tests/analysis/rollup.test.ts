import { afterEach, describe, expect, it } from "vitest";
import { rollupQuery } from "../../loaders/analysis/rollup.ts";
import { DEFAULT_SETTINGS } from "../../loaders/settings.ts";
import type { Warehouse } from "../../loaders/warehouse/db.ts";
import { achievement, item, warehouseWith } from "../helpers/rows.ts";

let warehouse: Warehouse | undefined;
afterEach(() => warehouse?.close());

// A hand-worked test: three fractions items of 1, 2 and 4 points, and an essay with two traits.
//   school: 80% of 1 + 50% of 2 + 25% of 4 = 0.8 + 1.0 + 1.0 = 2.8 of 7 points = 40.0%
//           (the mean of the item percents would be (80 + 50 + 25) / 3 = 51.7%: wrong)
//   state:  90% of 1 + 60% of 2 + 50% of 4 = 0.9 + 1.2 + 2.0 = 4.1 of 7 points = 58.6%
const ITEMS = [
  item({
    item: "1",
    max_points: 1,
    pct_possible_org: 80,
    pct_possible_state: 90,
    standards: ["S1"],
  }),
  item({
    item: "2",
    max_points: 2,
    pct_possible_org: 50,
    pct_possible_state: 60,
    standards: ["S1", "S2"],
  }),
  item({
    item: "3",
    max_points: 4,
    pct_possible_org: 25,
    pct_possible_state: 50,
    standards: ["S2"],
    diff_published: -25,
  }),
  item({
    item: "9",
    item_role: "essay",
    essay: "9",
    max_points: 8,
    reporting_category: null,
    standards: [],
    pct_possible_org: 10,
    pct_possible_state: 90,
  }),
  item({
    item: "LA9.CONV1",
    item_role: "essay_trait",
    essay: "9",
    max_points: 3,
    reporting_category: "LA",
    standards: ["L1"],
    pct_possible_org: 60,
    pct_possible_state: 60,
  }),
  item({
    item: "WR9.IDEA1",
    item_role: "essay_trait",
    essay: "9",
    max_points: 5,
    reporting_category: "WR",
    standards: ["W1"],
    pct_possible_org: 40,
    pct_possible_state: 50,
  }),
];

async function rollups(level: string) {
  warehouse = await warehouseWith({ achievement: [achievement({})], item_results: ITEMS });
  return warehouse.all<{ key: string } & Record<string, unknown>>(
    `SELECT key, n_items, points_possible, points_earned, pct_org, pct_state, diff, n_flagged
     FROM (${rollupQuery(DEFAULT_SETTINGS)}) WHERE level = ? ORDER BY key`,
    [level],
  );
}

describe("rollupQuery", () => {
  it("weights items by their points, not by a mean of item percents", async () => {
    const categories = await rollups("reporting_category");
    expect(categories.find((row) => row.key === "NF")).toEqual({
      key: "NF",
      n_items: 3,
      points_possible: 7,
      points_earned: 2.8,
      pct_org: 40,
      pct_state: 58.6,
      diff: -18.6,
      n_flagged: 1,
    });
  });

  it("counts an essay through its traits only, never twice", async () => {
    const categories = await rollups("reporting_category");
    expect(categories.map((row) => row.key)).toEqual(["LA", "NF", "WR"]);
    expect(categories.find((row) => row.key === "WR")).toMatchObject({
      points_possible: 5,
      pct_org: 40,
    });
  });

  it("counts an item with several standards toward each", async () => {
    const standards = await rollups("standard");
    expect(standards.filter((row) => row.key.startsWith("S"))).toEqual([
      // S1: items 1 and 2, 0.8 + 1.0 = 1.8 of 3 points; S2: items 2 and 3, 1.0 + 1.0 = 2.0 of 6.
      {
        key: "S1",
        n_items: 2,
        points_possible: 3,
        points_earned: 1.8,
        pct_org: 60,
        pct_state: 70,
        diff: -10,
        n_flagged: 0,
      },
      {
        key: "S2",
        n_items: 2,
        points_possible: 6,
        points_earned: 2,
        pct_org: 33.3,
        pct_state: 53.3,
        diff: -20,
        n_flagged: 1,
      },
    ]);
  });
});
