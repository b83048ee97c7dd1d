import { afterEach, describe, expect, it } from "vitest";
import { itemsQuery } from "../../loaders/analysis/items.ts";
import { domainSql, rollupQuery } from "../../loaders/analysis/rollup.ts";
import { Warehouse as WarehouseClass } from "../../loaders/warehouse/db.ts";
import { DEFAULT_SETTINGS } from "../../loaders/settings.ts";
import type { Warehouse } from "../../loaders/warehouse/db.ts";
import { achievement, item, warehouseWith } from "../helpers/rows.ts";

let warehouse: Warehouse | undefined;
afterEach(() => warehouse?.close());

// A hand-worked test: three fractions items of 1, 2 and 4 points, and an essay with two traits.
//   school: 80% of 1 + 50% of 2 + 25% of 4 = 0.8 + 1.0 + 1.0 = 2.8 of 7 points = 40.0%
//           (the mean of the item percents would be (80 + 50 + 25) / 3 = 51.7%: wrong)
//   state:  90% of 1 + 60% of 2 + 50% of 4 = 0.9 + 1.2 + 2.0 = 4.1 of 7 points = 58.6%
// Flags: item 3 is 25 points below (published); items 1 and 2 are not (published 0), but all three
// are below 0.9 x the state (80 < 81, 50 < 54, 25 < 45), so all three count as flagged.
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
      n_flagged: 3,
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
        n_flagged: 2,
      },
      {
        key: "S2",
        n_items: 2,
        points_possible: 6,
        points_earned: 2,
        pct_org: 33.3,
        pct_state: 53.3,
        diff: -20,
        n_flagged: 2,
      },
    ]);
  });
});

describe("domainSql(standard)", () => {
  it("names the part of a standard shared across grades", async () => {
    const db = await WarehouseClass.open(":memory:");
    try {
      const codes = ["5.NF.B.3", "HS.PHY.2.10", "AI.F-IF.A.2", "8.T3.3", "R.PK-12.5", "L.PK-12.2"];
      const values = codes.map((code) => `('${code}')`).join(", ");
      const rows = await db.all<{ code: string; domain: string }>(
        `SELECT code, ${domainSql("code")} AS domain FROM (VALUES ${values}) t(code)`,
      );
      expect(Object.fromEntries(rows.map((row) => [row.code, row.domain]))).toEqual({
        "5.NF.B.3": "NF",
        "HS.PHY.2.10": "PHY",
        "AI.F-IF.A.2": "F-IF",
        "8.T3.3": "T3",
        "R.PK-12.5": "R",
        "L.PK-12.2": "L",
      });
    } finally {
      db.close();
    }
  });
});

describe("the item flags and their certainty", () => {
  it("gives the z of domain.md's worked example: uncertain among 25, clear among 100", async () => {
    // School 48 %, state 62 %: SE = 100 sqrt(0.62 x 0.38 / n) = 9.71 for 25 students, 4.85 for 100.
    warehouse = await warehouseWith({
      achievement: [achievement({})],
      item_results: [
        item({ item: "1", pct_possible_org: 48, pct_possible_state: 62, n_tested: 25 }),
        item({ item: "2", pct_possible_org: 48, pct_possible_state: 62, n_tested: 100 }),
        item({ item: "3", pct_possible_org: 54, pct_possible_state: 62, n_tested: 100 }),
        item({ item: "4", pct_possible_org: 57, pct_possible_state: 62, n_tested: 100 }),
      ].map((row) => ({
        ...row,
        diff_published: row.pct_possible_org! - row.pct_possible_state!,
      })),
    });
    const rows = await warehouse.all(
      `SELECT item, z, flagged, flagged_ratio FROM (${itemsQuery(DEFAULT_SETTINGS)}) ORDER BY item`,
    );
    expect(rows).toEqual([
      { item: "1", z: -1.44, flagged: true, flagged_ratio: true },
      { item: "2", z: -2.88, flagged: true, flagged_ratio: true },
      // 54 < 0.9 x 62 = 55.8, though only 8 points below; 57 is neither.
      { item: "3", z: -1.65, flagged: false, flagged_ratio: true },
      { item: "4", z: -1.03, flagged: false, flagged_ratio: false },
    ]);
  });
});

describe("complementary suppression of groups computed from student rows", () => {
  // One school's test: 60 students, every family of groups with a member or a rest to hide.
  const sizes: Record<string, number> = {
    all: 60,
    // Gender: 52 and 8; the 8 are withheld, and 60 - 52 would give them away.
    female: 52,
    male: 8,
    // Race: 40 + 14 + 4 + 2 = 60; the 6 under the minimum are too few to hide among.
    white: 40,
    hispanic: 14,
    black: 4,
    asian: 2,
    // A flag group whose rest (60 - 55 = 5) is under the minimum; another whose rest is not.
    high_needs: 55,
    low_income: 30,
    // English learners: 12 EL and 9 former of 21 ever EL; the 9 are withheld.
    ever_el: 21,
    el: 12,
    former_el: 9,
  };

  it("withholds the smallest group that would give a withheld one away, and no other", async () => {
    warehouse = await warehouseWith({
      achievement: [achievement({})],
      item_results: Object.entries(sizes).map(([group, n]) =>
        item({ basis: "students", source_file: "students.csv", student_group: group, n_tested: n }),
      ),
    });
    const rows = await warehouse.all<{ student_group: string; withheld_reason: string | null }>(
      `SELECT student_group, withheld_reason, n_students, pct_org FROM (${itemsQuery(DEFAULT_SETTINGS)})
       ORDER BY student_group`,
    );
    const reasons = Object.fromEntries(rows.map((row) => [row.student_group, row.withheld_reason]));
    expect(reasons).toEqual({
      all: null,
      female: "complement",
      male: "small",
      white: null,
      hispanic: "complement",
      black: "small",
      asian: "small",
      high_needs: "complement",
      low_income: null,
      ever_el: null,
      el: "complement",
      former_el: "small",
    });
    for (const row of rows) {
      const withheld = row.withheld_reason !== null;
      expect(row, row.student_group).toMatchObject(
        withheld ? { n_students: null, pct_org: null } : { n_students: sizes[row.student_group] },
      );
    }
  });
});

describe("complementary suppression across grades and across families", () => {
  /** Item rows of one ELA test per entry: [grade, group, students]. */
  const cells = (list: [string, string, number][]) =>
    list.map(([grade, group, n]) =>
      item({
        basis: "students",
        source_file: "students.csv",
        subject: "ELA",
        grade,
        test: `ELA-${grade}`,
        student_group: group,
        n_tested: n,
      }),
    );
  const reasons = async () => {
    const rows = await warehouse!.all<{ test: string; student_group: string; reason: string }>(
      `SELECT DISTINCT test, student_group, withheld_reason AS reason
       FROM (${itemsQuery(DEFAULT_SETTINGS)}) WHERE student_group <> 'all' ORDER BY ALL`,
    );
    return Object.fromEntries(rows.map((row) => [`${row.test} ${row.student_group}`, row.reason]));
  };
  const span = (group: string, n: number) =>
    achievement({ subject: "ELA", grade: "03-08", student_group: group, n_students: n });

  it("withholds a second grade where the grades 3 to 8 count would give one away", async () => {
    // Step 1 shows 29 English learners in grades 3 to 8; grade 3 has 9: 29 - 10 - 10 would say.
    warehouse = await warehouseWith({
      achievement: [span("el", 29)],
      item_results: cells([
        ["03", "all", 60],
        ["03", "el", 9],
        ["04", "all", 60],
        ["04", "el", 10],
        ["05", "all", 60],
        ["05", "el", 10],
      ]),
    });
    expect(await reasons()).toEqual({
      "ELA-03 el": "small",
      "ELA-04 el": "complement",
      "ELA-05 el": null,
    });
  });

  it("hides the parent when a hidden member is the whole of it, and no other member is left", async () => {
    // Grade 4's 12 English learners are hidden to protect grade 3's 9; every ever-EL student of
    // grade 4 is one of them, so the ever-EL figure would be theirs.
    warehouse = await warehouseWith({
      achievement: [span("el", 21)],
      item_results: cells([
        ["03", "all", 60],
        ["03", "el", 9],
        ["04", "all", 60],
        ["04", "el", 12],
        ["04", "ever_el", 12],
      ]),
    });
    expect(await reasons()).toEqual({
      "ELA-03 el": "small",
      "ELA-04 el": "complement",
      "ELA-04 ever_el": "complement",
    });
  });

  it("follows a group withheld in one family into the next, until none gives another away", async () => {
    // Grade 6: 5 Asian and 4 multi-race students are hidden, so Black (11) is too; the grades 3
    // to 8 count of Black students (37) minus grades 7 and 8 would then give grade 6's 11 back,
    // so grade 7 is hidden as well.
    warehouse = await warehouseWith({
      achievement: [span("black", 37)],
      item_results: cells([
        ["06", "all", 50],
        ["06", "white", 30],
        ["06", "black", 11],
        ["06", "asian", 5],
        ["06", "multi_race", 4],
        ["07", "all", 40],
        ["07", "black", 13],
        ["08", "all", 40],
        ["08", "black", 13],
      ]),
    });
    expect(await reasons()).toEqual({
      "ELA-06 asian": "small",
      "ELA-06 black": "complement",
      "ELA-06 multi_race": "small",
      "ELA-06 white": null,
      "ELA-07 black": "complement",
      "ELA-08 black": null,
    });
  });
});

describe("a student group against the rest of the school", () => {
  it("compares the group with all students but the group, from their counts and points", async () => {
    // 40 students in all earn 60 % of a 2-point item, 10 of them (the group) 30 %: the other 30
    // earn (40 x 1.2 - 10 x 0.6) / 30 = 1.4 points of 2, 70 %; the group is 40 points behind.
    const computed = { basis: "students" as const, source_file: "students.csv" };
    warehouse = await warehouseWith({
      achievement: [achievement({})],
      item_results: [
        item({ ...computed, max_points: 2, pct_possible_org: 60, n_tested: 40 }),
        item({
          ...computed,
          max_points: 2,
          pct_possible_org: 30,
          n_tested: 10,
          student_group: "swd",
        }),
        item({
          ...computed,
          max_points: 2,
          pct_possible_org: 35,
          n_tested: 35,
          student_group: "white",
        }),
      ],
    });
    const rows = await warehouse.all(
      `SELECT student_group, withheld_reason, n_students, pct_org, pct_rest, diff_to_rest
       FROM (${rollupQuery(DEFAULT_SETTINGS)})
       WHERE level = 'reporting_category' ORDER BY student_group`,
    );
    const shown = { withheld_reason: null };
    expect(rows).toEqual([
      {
        student_group: "all",
        ...shown,
        n_students: 40,
        pct_org: 60,
        pct_rest: null,
        diff_to_rest: null,
      },
      {
        student_group: "swd",
        ...shown,
        n_students: 10,
        pct_org: 30,
        pct_rest: 70,
        diff_to_rest: -40,
      },
      // The other 5 students are under the minimum of 10, and all students' figures minus the
      // group's would give them away: the group is withheld too, with its rest.
      {
        student_group: "white",
        withheld_reason: "complement",
        n_students: null,
        pct_org: null,
        pct_rest: null,
        diff_to_rest: null,
      },
    ]);
  });
});
