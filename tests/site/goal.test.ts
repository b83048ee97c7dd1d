import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import {
  GOAL_RULES,
  projectGoal,
  splitWhole,
  worksheetRows,
  worksheetWorkbook,
} from "../../src/components/goal.ts";

// A group of 80 students on the next-generation levels, lowest first: 30 % meet or exceed.
const LEVELS = [
  { level: "NM", n: 20, success: false },
  { level: "PM", n: 36, success: false },
  { level: "M", n: 18, success: true },
  { level: "E", n: 6, success: true },
];
const NAMES = { NM: "Not meeting", PM: "Partially meeting", M: "Meeting", E: "Exceeding" };

describe("splitWhole(total, weights, fallback)", () => {
  it("gives whole parts in proportion that add up to the total", () => {
    expect(splitWhole(10, [1, 1, 1], 0)).toEqual([3, 3, 4]);
    expect(splitWhole(7, [20, 36], 1)).toEqual([2, 5]);
    expect(splitWhole(0, [5, 5], 0)).toEqual([0, 0]);
  });

  it("puts everything on the fallback when no part has weight", () => {
    expect(splitWhole(4, [0, 0, 0], 2)).toEqual([0, 0, 4]);
  });
});

describe("GOAL_RULES", () => {
  it("halves or cuts by a third the gap to 100", () => {
    expect(GOAL_RULES.halve.goal(30)).toBe(65);
    expect(GOAL_RULES.halve.goal(91.6)).toBeCloseTo(95.8, 10);
    expect(GOAL_RULES.third.goal(40)).toBe(60);
  });
});

describe("projectGoal({ levels, baseYear, goalYear, goal, students })", () => {
  it("plans enough students each year to reach the path, never one short", () => {
    // Osprey Point's ELA baseline: 52 of 257 (20.2 %) meeting or exceeding; halving the gap gives
    // 60.1 %, which 154 students (59.9 %) miss and 155 (60.3 %) reach.
    const osprey = projectGoal({
      levels: [
        { level: "NM", n: 94, success: false },
        { level: "PM", n: 111, success: false },
        { level: "M", n: 49, success: true },
        { level: "E", n: 3, success: true },
      ],
      baseYear: 2024,
      goalYear: 2027,
      goal: 60.1,
    });
    const last = osprey.rows.at(-1)!;
    expect(last.counts.M! + last.counts.E!).toBe(155);
    expect(last.pct).toBe(60.3);
    for (const row of osprey.rows) expect(row.pct!).toBeGreaterThanOrEqual(row.target);
  });

  const projection = projectGoal({ levels: LEVELS, baseYear: 2022, goalYear: 2025, goal: 60 });

  it("keeps the baseline's own counts in its first row", () => {
    expect(projection.baseline).toBe(30);
    expect(projection.rows[0]).toEqual({
      year: 2022,
      students: 80,
      counts: { NM: 20, PM: 36, M: 18, E: 6 },
      target: 30,
      pct: 30,
    });
  });

  it("moves the percent in equal steps to the goal, with whole counts that add up", () => {
    // 30 → 60 over three years: 40, 50, 60 % of 80 students = 32, 40, 48 at or above.
    expect(projection.rows.map((row) => row.target)).toEqual([30, 40, 50, 60]);
    expect(projection.rows.map((row) => row.counts.M! + row.counts.E!)).toEqual([24, 32, 40, 48]);
    // Those above split 3:1 as at the baseline; those below 20:36.
    expect(projection.rows[3]!.counts).toEqual({ NM: 11, PM: 21, M: 36, E: 12 });
    for (const row of projection.rows) {
      expect(Object.values(row.counts).reduce((a, b) => a + b, 0)).toBe(row.students);
    }
  });

  it("uses each year's expected number of students where the team gives one", () => {
    const grown = projectGoal({
      levels: LEVELS,
      baseYear: 2022,
      goalYear: 2024,
      goal: 50,
      students: { 2023: 90, 2024: 101 },
    });
    // 40 % of 90 = 36; 50 % of 101 = 50.5, so 51 students reach it.
    expect(grown.rows.map((row) => [row.students, row.counts.M! + row.counts.E!])).toEqual([
      [80, 24],
      [90, 36],
      [101, 51],
    ]);
    expect(grown.rows[2]!.pct).toBe(50.5);
  });

  it("refuses a worksheet it cannot compute, saying why", () => {
    const none = LEVELS.map((d) => ({ ...d, n: 0 }));
    expect(() => projectGoal({ levels: none, baseYear: 2022, goalYear: 2024, goal: 50 })).toThrow(
      /at least one student/,
    );
    expect(() => projectGoal({ levels: LEVELS, baseYear: 2022, goalYear: 2022, goal: 50 })).toThrow(
      /after the baseline year/,
    );
    expect(() =>
      projectGoal({ levels: LEVELS, baseYear: 2022, goalYear: 2024, goal: 120 }),
    ).toThrow(/0 to 100/);
  });
});

describe("worksheetWorkbook(ExcelJS, { title, notes, rows })", () => {
  it("writes an .xlsx that ExcelJS reads back with the same numbers", async () => {
    const projection = projectGoal({ levels: LEVELS, baseYear: 2022, goalYear: 2025, goal: 60 });
    const rows = worksheetRows(projection, LEVELS, NAMES);
    const blob = await worksheetWorkbook(ExcelJS, {
      title: "Goal worksheet: Example School, all students",
      notes: ["Goal: 60 % meeting or exceeding by 2025"],
      rows,
    });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await blob.arrayBuffer()) as ExcelJS.Buffer);
    const sheet = book.getWorksheet("Goal worksheet")!;
    expect(sheet.getCell("A1").value).toBe("Goal worksheet: Example School, all students");
    expect((sheet.getRow(4).values as unknown[]).slice(1)).toEqual([
      "year",
      "kind",
      "students",
      "Not meeting",
      "Partially meeting",
      "Meeting",
      "Exceeding",
      "goal_path_pct",
      "pct_at_or_above",
    ]);
    expect((sheet.getRow(8).values as unknown[]).slice(1)).toEqual([
      2025,
      "projected",
      80,
      11,
      21,
      36,
      12,
      60,
      60,
    ]);
  });
});
