import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { realFile } from "../helpers/real.ts";
import { openSite, type PageVisit, type SiteBrowser } from "./browser.ts";

// The done-when of the walking skeleton: Rising Tide's step 2 page shows its 2022 grade 5 math
// items with the school-minus-state differences the state published. The expected values are read
// here from the workbook with exceljs directly, not through pim's own parser.
const RISING_TIDE = "04830305";

async function publishedDifferences(): Promise<Map<string, number>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(realFile("ma_mcas_2022_item_analysis_by_grade_subject.xlsx"));
  const sheet = workbook.getWorksheet("MG5")!;
  const differences = new Map<string, number>();
  sheet.eachRow((row, number) => {
    const item = row.getCell(1).value as { text?: unknown } | number | string | null;
    const difference = row.getCell(10).value;
    if (number === 1 || typeof difference !== "number") return;
    const label = typeof item === "object" && item !== null ? item.text : item;
    differences.set(`Item ${String(label)}`, difference);
  });
  return differences;
}

describe("Rising Tide's step 2 page, built from the real files", () => {
  const site = inject("sites").real;
  let browser: SiteBrowser;
  let visit: PageVisit;

  beforeAll(async () => {
    browser = await openSite(site.dir);
    visit = await browser.visit(
      `step2.html?school=${RISING_TIDE}&year=2022&subject=MATH&grade=05`,
      { timeout: 90_000 },
    );
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("opens on the school and test the link names", async () => {
    const context = await visit.page.locator(".context").first().innerText();
    expect(context).toContain("Rising Tide Charter Public School");
    expect(context).toContain("2022 · Math · Grade 5 (MG5)");
    expect(context).toContain("89 students tested");
  });

  it("shows every grade 5 math item with its published difference", async () => {
    const expected = await publishedDifferences();
    expect(expected.size).toBe(40);

    const labels = await visit.page
      .locator("figure.chart")
      .first()
      .locator('[aria-roledescription="bar"]')
      .evaluateAll((bars) => bars.map((bar) => bar.getAttribute("aria-label") ?? ""));
    const shown = new Map(
      labels.map((label) => {
        const match = /^(Item \d+): .*difference (-?\d+) points$/.exec(label);
        return [match?.[1] ?? label, Number(match?.[2])];
      }),
    );
    expect(Object.fromEntries(shown)).toEqual(Object.fromEntries(expected));
  });

  it("flags the items 10 or more points below the state in the table", async () => {
    const flagged = await visit.page.locator("table").first().innerText();
    // Item 34 is 17 points below the state (58 vs 75), the largest gap on this test.
    // Columns: item, school %, state %, difference, flag, points, category, standard(s), type.
    expect(flagged).toMatch(
      /34\s+58\s+75\s+-17\s+≥10 below, <0.9×\s+clear\s+1\s+GE\s+5\.G\.A\.1\s+SA/,
    );
  });
});
