import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { pagedItemsSql } from "../../loaders/analysis/items.ts";
import { skillsQuery } from "../../loaders/analysis/skills.ts";
import { PLANTED } from "../../loaders/sample/generate.ts";
import { DEFAULT_SETTINGS } from "../../loaders/settings.ts";
import { Warehouse } from "../../loaders/warehouse/db.ts";
import { findCharts, openSite, type PageVisit, type SiteBrowser } from "./browser.ts";

// Step 3 as a team opens it: the ranked standards with their evidence, and worksheets 3-A to 3-C
// downloaded the way a data coach downloads them. The sample's planted weakness (fractions, NF,
// at Fernwood in grades 4 and 5) must come first; Rising Tide's real item files must all render.

const FERNWOOD = PLANTED.weakCategory.schoolCode;
const RISING_TIDE = "04830305";

interface RankedRow {
  year: number;
  subject: string;
  grade: string;
  standard: string;
  z: number | null;
}

/** The first-ranked standard of each of a school's tests, as the warehouse ranks them. */
async function firstStandards(database: string, school: string): Promise<RankedRow[]> {
  const warehouse = await Warehouse.open(database, { readOnly: true });
  try {
    return await warehouse.all<RankedRow>(
      `SELECT year, subject, grade, standard, z FROM (${skillsQuery(DEFAULT_SETTINGS)})
       WHERE org_code = ? AND rank = 1 ORDER BY year, subject, grade`,
      [school],
    );
  } finally {
    warehouse.close();
  }
}

async function expectRendered(visit: PageVisit, where: string): Promise<void> {
  expect.soft(visit.pageErrors, where).toEqual([]);
  expect.soft(visit.consoleErrors, where).toEqual([]);
  expect.soft(visit.errorCells, where).toEqual([]);
  const charts = await findCharts(visit.page);
  expect.soft(charts.length, where).toBeGreaterThanOrEqual(1);
  for (const chart of charts) {
    expect.soft(chart.title, where).not.toBe("");
    expect.soft(chart.description, where).not.toBe("");
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The row of a sheet whose first cell is `firstColumn`: the header of its table. */
function headerRowOf(sheet: ExcelJS.Worksheet, firstColumn: string): number {
  for (let row = 1; row <= sheet.rowCount; row += 1) {
    if (sheet.getRow(row).getCell(1).value === firstColumn) return row;
  }
  throw new Error(`no header row starting with ${firstColumn} in sheet ${sheet.name}`);
}

/** The heading of the first evidence card: "1. 4.NF.A.2 · NF: Number and ...". */
async function firstEvidence(visit: PageVisit): Promise<string> {
  return (await visit.page.locator(".card.evidence h3").first().innerText()).replace(/\s+/g, " ");
}

describe("step 3 of the sample site", () => {
  const site = inject("sites").sample;
  let browser: SiteBrowser;
  let visit: PageVisit;
  let planted: RankedRow;

  beforeAll(async () => {
    const first = await firstStandards(site.database, FERNWOOD);
    planted = first.find((d) => d.year === 2024 && d.subject === "MATH" && d.grade === "04")!;
    browser = await openSite(site.dir);
    visit = await browser.visit(`step3.html?school=${FERNWOOD}&year=2024&subject=MATH&grade=04`, {
      timeout: 90_000,
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("ranks a fractions standard, the planted weakness, first, with clear evidence", async () => {
    await expectRendered(visit, "Fernwood 2024 math grade 4");
    expect(planted.standard).toMatch(/^4\.NF\./);
    expect(await firstEvidence(visit)).toMatch(new RegExp(`^1\\. ${escape(planted.standard)}`));
    const card = await visit.page.locator(".card.evidence").first().innerText();
    expect(card).toMatch(/clear \(z = -\d\.\d for 70 students\)/);
    expect(card).toContain("points below the state");
  });

  it("downloads worksheets 3-A, 3-B and 3-C as one .xlsx, the team's columns blank", async () => {
    const [download] = await Promise.all([
      visit.page.waitForEvent("download"),
      visit.page.getByRole("button", { name: "Download the three worksheets (.xlsx)" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`worksheets_3ABC_${FERNWOOD}_MATH_04_2024.xlsx`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile(await download.path())) as unknown as ExcelJS.Buffer);
    expect(book.worksheets.map((d) => d.name)).toEqual([
      "3-A Items to study",
      "3-B Questions analysed",
      "3-C Skills lacking",
    ]);

    // Each sheet: a title, its notes, a blank line, then the header and the rows.
    const skills = book.getWorksheet("3-C Skills lacking")!;
    const headerRow = headerRowOf(skills, "rank");
    const header = (skills.getRow(headerRow).values as unknown[]).slice(1) as string[];
    const first = skills.getRow(headerRow + 1);
    expect(first.getCell(header.indexOf("standard") + 1).value).toBe(planted.standard);
    expect(first.getCell(header.indexOf("rank") + 1).value).toBe(1);
    const team = header.filter((name) => name.startsWith("team_"));
    expect(team.length).toBeGreaterThan(0);
    for (const name of team) expect(first.getCell(header.indexOf(name) + 1).text).toBe("");
    // 3-C holds every standard the page ranks.
    const ranked = await visit.page
      .locator("p.description", { hasText: "standards with a school and a state result" })
      .innerText();
    expect(skills.rowCount - headerRow).toBe(Number(ranked.match(/All (\d+) standards/)![1]));

    // 3-A lists, first, a flagged item of the first standard.
    const items = book.getWorksheet("3-A Items to study")!;
    const itemHeaderRow = headerRowOf(items, "standard_rank");
    const itemHeader = (items.getRow(itemHeaderRow).values as unknown[]).slice(1) as string[];
    const firstItem = items.getRow(itemHeaderRow + 1);
    expect(firstItem.getCell(itemHeader.indexOf("standard") + 1).value).toBe(planted.standard);
    expect(String(firstItem.getCell(itemHeader.indexOf("flagged") + 1).value)).toMatch(
      /points below the state|x the state/,
    );
  });

  it("offers each worksheet as CSV too", async () => {
    for (const id of ["3-A", "3-B", "3-C"]) {
      const link = visit.page.getByText(`Download ${id} as CSV`);
      expect(await link.count(), id).toBe(1);
    }
  });

  it("shows the standards of every grade together under all grades", async () => {
    const all = await browser.visit(
      `step3.html?school=${FERNWOOD}&year=2024&subject=MATH&grade=all`,
      { timeout: 90_000 },
    );
    try {
      await expectRendered(all, "Fernwood 2024 math, all grades");
      // The planted weakness runs through two grades: the first standards shown come from both.
      const headings = await all.page.locator(".card.evidence h3").allInnerTexts();
      expect(headings).toHaveLength(5);
      for (const grade of PLANTED.weakCategory.grades) {
        const ofGrade = headings.filter((h) => h.includes(`${grade}.NF.`));
        expect(ofGrade.length, `grade ${grade}: ${headings.join(" | ")}`).toBeGreaterThan(0);
        for (const heading of ofGrade) expect(heading).toContain(`Grade ${grade}`);
      }
    } finally {
      await all.close();
    }
  });

  it("shows student groups against the rest of the school, withheld under the minimum", async () => {
    const text = await visit.page.locator("main").innerText();
    expect(text).toContain("Students with disabilities");
    expect(text).toContain(`withheld: fewer than ${DEFAULT_SETTINGS.minGroupSize} students`);
  });
});

describe("step 3 of the real site for Rising Tide", () => {
  const site = inject("sites").real;
  let browser: SiteBrowser;
  let tests: RankedRow[] = [];
  // Tests with items but no standard to rank: items that name no standard, or no state result.
  let unranked: { year: number; subject: string; grade: string }[] = [];

  beforeAll(async () => {
    tests = await firstStandards(site.database, RISING_TIDE);
    const warehouse = await Warehouse.open(site.database, { readOnly: true });
    try {
      const withItems = await warehouse.all<{ year: number; subject: string; grade: string }>(
        `SELECT DISTINCT year, subject, grade FROM (${pagedItemsSql()})
         WHERE page_org_code = ? AND student_group = 'all' ORDER BY ALL`,
        [RISING_TIDE],
      );
      const ranked = new Set(tests.map((t) => `${t.year} ${t.subject} ${t.grade}`));
      unranked = withItems.filter((t) => !ranked.has(`${t.year} ${t.subject} ${t.grade}`));
    } finally {
      warehouse.close();
    }
    browser = await openSite(site.dir);
  });

  /** Opens step 3 on Rising Tide's test; `where` names the test in failure messages. */
  async function visitTest(test: { year: number; subject: string; grade: string }) {
    const where = `${test.year} ${test.subject} ${test.grade}`;
    const visit = await browser.visit(
      `step3.html?school=${RISING_TIDE}&year=${test.year}&subject=${test.subject}` +
        `&grade=${test.grade}`,
      { timeout: 90_000 },
    );
    return { where, visit };
  }

  it("says why when a test's items give no standard to rank", async () => {
    // The statewide physics files of 2022 give item results but no standards.
    expect(unranked.map((t) => `${t.year} ${t.subject} ${t.grade}`)).toEqual(["2022 SCI HS"]);
    for (const test of unranked) {
      const { where, visit } = await visitTest(test);
      try {
        expect.soft(visit.pageErrors, where).toEqual([]);
        expect.soft(visit.errorCells, where).toEqual([]);
        const reason = await visit.page.locator("figure.chart-empty .note").first().innerText();
        expect.soft(reason, where).not.toBe("");
        expect.soft(await visit.page.getByText("No standards to rank").count(), where).toBe(1);
      } finally {
        await visit.close();
      }
    }
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("ranks standards for every test of the item files, 2022 and 2023", () => {
    const keys = tests.map((t) => `${t.year} ${t.subject} ${t.grade}`);
    for (const grade of ["06", "07", "08", "10"]) {
      expect(keys).toContain(`2022 ELA ${grade}`);
      expect(keys).toContain(`2023 ELA ${grade}`);
    }
    for (const grade of ["05", "06", "07", "08", "10"]) {
      expect(keys).toContain(`2022 MATH ${grade}`);
      expect(keys).toContain(`2023 MATH ${grade}`);
    }
  });

  it("renders each, its first standard first, and says when significance is unavailable", async () => {
    let unavailable = 0;
    for (const test of tests) {
      const { where, visit } = await visitTest(test);
      try {
        await expectRendered(visit, where);
        expect
          .soft(await firstEvidence(visit), where)
          .toMatch(new RegExp(`^1\\. ${escape(test.standard)}`));
        const card = await visit.page.locator(".card.evidence").first().innerText();
        if (test.z === null) {
          unavailable += 1;
          expect.soft(card, where).toContain("significance not available");
        } else {
          expect.soft(card, where).toMatch(/\(z = -?\d+\.\d for \d+ students\)/);
        }
      } finally {
        await visit.close();
      }
    }
    // Some tests of the item files have no count of students anywhere in the loaded files.
    expect(unavailable).toBeGreaterThan(0);
  }, 600_000);
});
