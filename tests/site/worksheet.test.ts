import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import {
  certaintyOf,
  comparedWithState,
  flagText,
  itemsToStudy,
  measures,
  workbookOf,
  worksheet3A,
  worksheet3B,
  worksheet3C,
  type RankedStandard,
  type StudyItem,
} from "../../src/components/worksheet.ts";

const RULES = { flagPoints: 10, flagRatio: 0.9 };

function item(values: Partial<StudyItem> & Pick<StudyItem, "item" | "standards">): StudyItem {
  return {
    grade: "04",
    item_type: "SR",
    max_points: 1,
    reporting_category: "NF",
    pct_org: 50,
    pct_state: 60,
    diff: -10,
    diff_published: null,
    flagged: false,
    flagged_ratio: false,
    description: `Item ${values.item}`,
    ...values,
  };
}

function standard(values: Partial<RankedStandard> & Pick<RankedStandard, "rank" | "standard">) {
  return {
    grade: "04",
    domain: "NF",
    reporting_category: "NF",
    n_items: 2,
    points_possible: 3,
    pct_org: 40,
    pct_state: 60,
    diff: -20,
    z: -3,
    n_flagged: 1,
    other_years: null,
    domain_other_grades: null,
    ...values,
  } satisfies RankedStandard;
}

// Grade 4 math: 4.NF.B.3 is the weakest standard, with two flagged items (one of which also
// measures 4.NF.A.1) and one unflagged; 4.NF.A.1 has no item of its own flagged; 4.OA.A.3 has
// two unflagged items. Item 9 of grade 5 measures a standard of the same code and must not count.
const ITEMS = [
  item({ item: "3", standards: "4.NF.B.3", diff_published: -4 }),
  item({ item: "7", standards: "4.NF.B.3 4.NF.A.1", diff_published: -18, flagged: true }),
  item({ item: "12", standards: "4.NF.B.3", diff_published: -11, flagged: true }),
  item({ item: "15", standards: "4.OA.A.3", diff_published: -2 }),
  item({ item: "16", standards: "4.OA.A.3", diff_published: -6, flagged_ratio: true }),
  item({ item: "20", standards: "4.NF.A.1", diff_published: -3 }),
  item({ item: "9", standards: "4.NF.B.3", diff_published: -40, flagged: true, grade: "05" }),
];
const RANKED = [
  standard({ rank: 1, standard: "4.NF.B.3" }),
  standard({ rank: 2, standard: "4.NF.A.1", n_flagged: 1 }),
  standard({ rank: 3, standard: "4.OA.A.3", domain: "OA", z: null, n_flagged: 0 }),
];

describe("measures(item, standard)", () => {
  it("reads an item's standards as a list, never as a substring", () => {
    expect(measures(item({ item: "1", standards: "4.NF.B.3 4.NF.A.1" }), "4.NF.A.1")).toBe(true);
    expect(measures(item({ item: "1", standards: "4.NF.B.3" }), "4.NF.B")).toBe(false);
    expect(measures(item({ item: "1", standards: null }), "4.NF.B.3")).toBe(false);
  });
});

describe("itemsToStudy(ranked, items)", () => {
  const chosen = itemsToStudy(RANKED, ITEMS);
  const picked = chosen.map(({ standard, item }) => `${standard.standard}:${item.item}`);

  it("takes each standard's flagged items, worst first, in the standard's own grade", () => {
    expect(picked.slice(0, 2)).toEqual(["4.NF.B.3:7", "4.NF.B.3:12"]);
    expect(picked.some((d) => d.endsWith(":9"))).toBe(false);
  });

  it("lists an item measuring two ranked standards once, under the weaker", () => {
    expect(picked.filter((d) => d.endsWith(":7"))).toEqual(["4.NF.B.3:7"]);
  });

  it("gives a standard without a flagged item of its own its weakest item", () => {
    expect(picked).toContain("4.NF.A.1:20");
  });

  it("counts the ratio flag as a flag", () => {
    expect(picked.filter((d) => d.startsWith("4.OA"))).toEqual(["4.OA.A.3:16"]);
  });

  it("holds nothing else", () => {
    expect(picked).toEqual(["4.NF.B.3:7", "4.NF.B.3:12", "4.NF.A.1:20", "4.OA.A.3:16"]);
  });
});

describe("worksheets 3-A, 3-B and 3-C", () => {
  const chosen = itemsToStudy(RANKED, ITEMS);

  it("3-A gives each item's evidence and a blank team column", () => {
    const rows = worksheet3A(chosen, RULES);
    expect(rows[0]).toMatchObject({
      standard_rank: 1,
      standard: "4.NF.B.3",
      item: "7",
      school_minus_state: -18,
      flagged: "10+ points below the state",
      team_why_study_this_item: "",
    });
    expect(rows[3]!.flagged).toBe("below 0.9 x the state");
    expect(rows[2]!.flagged).toBe("");
  });

  it("3-B leaves every team column blank", () => {
    const rows = worksheet3B(chosen);
    const team = Object.keys(rows[0]!).filter((k) => k.startsWith("team_"));
    expect(team).toHaveLength(4);
    expect(rows.every((row) => team.every((k) => row[k] === ""))).toBe(true);
    expect(rows[0]!.description).toBe("Item 7");
  });

  it("3-A and 3-B give percents to one decimal, and say behind or ahead", () => {
    const precise = itemsToStudy(
      [standard({ rank: 1, standard: "8.F.A.1", diff: -5.4 })],
      [
        item({
          item: "36",
          standards: "8.F.A.1",
          pct_org: 32.954545,
          pct_state: 42.573782,
          diff: -9.619237186,
          flagged_ratio: true,
        }),
      ],
    );
    expect(worksheet3A(precise, RULES)[0]).toMatchObject({
      school_pct: 33,
      state_pct: 42.6,
      school_minus_state: -9.6,
      compared_with_state: "behind",
    });
    expect(worksheet3B(precise)[0]).toMatchObject({
      school_minus_state: -9.6,
      compared_with_state: "behind",
    });
  });

  it("3-C says which standards are behind the state and which are not", () => {
    const rows = worksheet3C(
      [
        standard({ rank: 1, standard: "R.PK-12.6", diff: -0.04 }),
        standard({ rank: 2, standard: "L.PK-12.4", diff: 10.2 }),
        standard({ rank: 3, standard: "W.PK-12.2", diff: -1.5 }),
      ],
      1.96,
    );
    expect(rows.map((d) => d.compared_with_state)).toEqual(["level", "ahead", "behind"]);
  });

  it("3-C ranks the standards with their certainty", () => {
    const rows = worksheet3C([...RANKED].reverse(), 1.96);
    expect(rows.map((d) => d.standard)).toEqual(["4.NF.B.3", "4.NF.A.1", "4.OA.A.3"]);
    expect(rows.map((d) => d.certainty)).toEqual(["clear", "clear", "significance not available"]);
    expect(rows[0]!.team_skill_or_knowledge_lacking).toBe("");
  });
});

describe("comparedWithState(diff)", () => {
  it("reads the difference as shown, to one decimal; none without a difference", () => {
    expect(comparedWithState(-0.05)).toBe("behind");
    expect(comparedWithState(-0.04)).toBe("level");
    expect(comparedWithState(0.06)).toBe("ahead");
    expect(comparedWithState(null)).toBe("");
  });
});

describe("certaintyOf(z, zLimit) and flagText(item, rules)", () => {
  it("calls a gap clear at the limit, uncertain below it, unavailable without a z", () => {
    expect(certaintyOf(-1.96, 1.96)).toBe("clear");
    expect(certaintyOf(-1.44, 1.96)).toBe("uncertain");
    expect(certaintyOf(null, 1.96)).toBe("significance not available");
  });

  it("names both rules when both hold", () => {
    expect(flagText({ flagged: true, flagged_ratio: true }, RULES)).toBe(
      "10+ points below the state; below 0.9 x the state",
    );
  });
});

describe("workbookOf(ExcelJS, sheets)", () => {
  it("writes one sheet per worksheet that Excel can name, team cells present and empty", async () => {
    const chosen = itemsToStudy(RANKED, ITEMS);
    const blob = await workbookOf(ExcelJS, [
      {
        id: "3-A Items to study",
        title: "Worksheet 3-A",
        notes: ["a", "b"],
        rows: worksheet3A(chosen, RULES),
      },
      {
        id: "3-B Questions: what/why?",
        title: "Worksheet 3-B",
        notes: [],
        rows: worksheet3B(chosen),
      },
    ]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await blob.arrayBuffer()) as ExcelJS.Buffer);
    expect(book.worksheets.map((d) => d.name)).toEqual([
      "3-A Items to study",
      "3-B Questions  what why ",
    ]);

    const sheet = book.getWorksheet("3-A Items to study")!;
    expect(sheet.getCell("A1").value).toBe("Worksheet 3-A");
    const header = (sheet.getRow(5).values as unknown[]).slice(1);
    expect(header[0]).toBe("standard_rank");
    expect(header.at(-1)).toBe("team_why_study_this_item");
    const first = (sheet.getRow(6).values as unknown[]).slice(1);
    expect(first.slice(0, 4)).toEqual([1, "4.NF.B.3", "04", "7"]);
    expect(sheet.getRow(6).getCell(header.length).text).toBe("");
    expect(sheet.rowCount).toBe(5 + chosen.length);
  });
});
