import { readFile } from "node:fs/promises";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Warehouse } from "../../loaders/warehouse/db.ts";
import { findCharts, openSite, type PageVisit, type SiteBrowser } from "./browser.ts";

// Step 1 for many schools of the real files, and the goal worksheet as a team uses it: a value
// changed in the page changes the projection, and the .xlsx download holds what the page shows.

describe("step 1 of the real site for a sample of 20 schools", () => {
  const site = inject("sites").real;
  let browser: SiteBrowser;
  let schools: { org_code: string; latest: number }[] = [];

  beforeAll(async () => {
    // Every 2022 school and every school of the legacy files only, in code order; then 10 of
    // each, spread evenly over the list, so that the sample reaches across the state.
    const warehouse = await Warehouse.open(site.database, { readOnly: true });
    try {
      const all = await warehouse.all<{ org_code: string; latest: number }>(
        `SELECT org_code, max(year)::INTEGER AS latest FROM achievement
         WHERE org_type = 'school' GROUP BY org_code ORDER BY org_code`,
      );
      const spread = <T>(rows: T[], k: number) =>
        Array.from({ length: k }, (_, i) => rows[Math.floor((i * rows.length) / k)]!);
      schools = [
        ...spread(
          all.filter((s) => s.latest === 2022),
          10,
        ),
        ...spread(
          all.filter((s) => s.latest <= 2016),
          10,
        ),
      ];
    } finally {
      warehouse.close();
    }
    browser = await openSite(site.dir);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("draws every school's evidence with titled, described charts and no error", async () => {
    expect(schools).toHaveLength(20);
    expect(new Set(schools.map((s) => s.org_code)).size).toBe(20);
    for (const school of schools) {
      const visit = await browser.visit(`step1.html?school=${school.org_code}`, {
        timeout: 90_000,
      });
      try {
        const where = `step 1 of ${school.org_code}`;
        expect.soft(visit.pageErrors, where).toEqual([]);
        expect.soft(visit.consoleErrors, where).toEqual([]);
        expect.soft(visit.errorCells, where).toEqual([]);
        const context = await visit.page.locator(".context").first().innerText();
        expect.soft(context, where).toContain(`spring ${school.latest}`);
        const charts = await findCharts(visit.page);
        expect.soft(charts.length, `charts of ${where}`).toBeGreaterThanOrEqual(1);
        for (const chart of charts) {
          expect.soft(chart.title, where).not.toBe("");
          expect.soft(chart.description, where).not.toBe("");
        }
        // Every figure, chart or the reason for no chart, is titled and described.
        const figures = await visit.page.$$eval("figure.chart", (nodes) =>
          nodes.map((node) => ({
            title: node.querySelector("h3")?.textContent?.trim() ?? "",
            description: node.querySelector("p.description")?.textContent?.trim() ?? "",
          })),
        );
        expect.soft(figures.length, where).toBeGreaterThanOrEqual(3);
        for (const figure of figures) {
          expect.soft(figure.title, where).not.toBe("");
          expect.soft(figure.description, where).not.toBe("");
        }
        // The worksheet, or the reason there is none (every group too small to publish).
        const worksheet = visit.page.locator("#goal-projection, #goal-unavailable");
        expect.soft(await worksheet.count(), where).toBe(1);
        expect
          .soft(await visit.page.locator("#accountability-verdict").innerText(), where)
          .not.toBe("");
      } finally {
        await visit.close();
      }
    }
  }, 600_000);
});

describe("accountability on the real site", () => {
  const site = inject("sites").real;
  let browser: SiteBrowser;

  beforeAll(async () => {
    browser = await openSite(site.dir);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("judges a 2015 CPI by the PPI once the team types the 2011 baseline", async () => {
    // Rising Tide, grade 5 ELA: CPI 94.1 in 2015 and 89.8 in 2014, as the legacy workbook
    // publishes them. With a 2011 baseline of 85: goal 92.5, 2015 target 85 + 4 x 7.5 / 6 = 90.0,
    // and 94.1 is 4.1 above it: Above Target, 100 points.
    const visit = await browser.visit("step1.html?school=04830305&year=2015&subject=ELA&grade=05", {
      timeout: 90_000,
    });
    try {
      const verdict = visit.page.locator("#accountability-verdict");
      expect(await verdict.innerText()).toBe(
        "Not computable without the 2011 baseline CPI: type it above.",
      );
      await visit.page.locator("#accountability-input input").fill("85");
      await expect
        .poll(() => verdict.innerText())
        .toBe("Above Target: 100 PPI points for this indicator.");
      const cells = await visit.page.$$eval("td", (nodes) => nodes.map((n) => n.textContent));
      expect(cells).toEqual(expect.arrayContaining(["94.1", "89.8", "92.5", "90.0", "4.1"]));
      // A CPI out of range is refused in words, not as a page error.
      await visit.page.locator("#accountability-input input").fill("150");
      await expect.poll(() => verdict.innerText()).toMatch(/^The value typed cannot be used: /);
      expect(await visit.page.locator(".observablehq--error").count()).toBe(0);
      expect(visit.pageErrors).toEqual([]);
    } finally {
      await visit.close();
    }
  });

  it("estimates legacy baseline counts that add up to the students tested", async () => {
    // Washington Elementary, Lynn, 2015 ELA: 163 students, 30 % P+A; the four level percents,
    // each rounded on its own, would give 164 students and 29.9 %.
    const visit = await browser.visit(
      "step1.html?school=01630005&year=2015&subject=ELA&grade=all",
      {
        timeout: 90_000,
      },
    );
    try {
      const baseline = await visit.page.$$eval(
        "#goal-projection tbody tr:first-child td",
        (cells) => cells.map((cell) => cell.textContent!.trim()),
      );
      expect(baseline[1]).toBe("163");
      expect(
        baseline
          .slice(2, 6)
          .map(Number)
          .reduce((a, b) => a + b, 0),
      ).toBe(163);
      expect(baseline[7]).toBe("30.1");
    } finally {
      await visit.close();
    }
  });
});

describe("the goal worksheet of the sample site", () => {
  const site = inject("sites").sample;
  let browser: SiteBrowser;
  let visit: PageVisit;

  beforeAll(async () => {
    browser = await openSite(site.dir);
    visit = await browser.visit("step1.html?school=09700010&year=2024&subject=MATH&grade=03-08", {
      timeout: 90_000,
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** The worksheet's rows as the page shows them: year, students, the levels, the two percents. */
  const projection = () =>
    visit.page.$$eval("#goal-projection tbody tr", (rows) =>
      rows.map((row) => [...row.querySelectorAll("td")].map((cell) => cell.textContent!.trim())),
    );

  it("starts from the group's published counts and halves the gap by default", async () => {
    const rows = await projection();
    // 207 students, 30 % meeting or exceeding in 2024: halving the gap gives 65 % by 2027.
    expect(rows[0]![0]).toBe("2024 (baseline)");
    expect(rows[0]![1]).toBe("207");
    expect(rows.map((row) => row[0]!.slice(0, 4))).toEqual(["2024", "2025", "2026", "2027"]);
    const goal = await visit.page.locator("#goal-value input").inputValue();
    const [students, , , meeting, exceeding] = rows[0]!.slice(1, 6).map(Number);
    const baseline = (100 * (meeting! + exceeding!)) / students!;
    expect(Number(goal)).toBeCloseTo(Math.round((baseline + (100 - baseline) / 2) * 10) / 10, 5);
  });

  it("recomputes the projection when the team types another goal", async () => {
    const goal = visit.page.locator("#goal-value input");
    await goal.fill("50");
    await goal.dispatchEvent("input");
    await expect.poll(async () => (await projection()).at(-1)![6]).toBe("50.0");
    const last = (await projection()).at(-1)!;
    // 50 % of 207 students is 103.5: 104 meeting or exceeding reach it.
    const levels = last.slice(2, 6).map(Number);
    expect(levels.reduce((a, b) => a + b, 0)).toBe(207);
    expect(levels[2]! + levels[3]!).toBe(104);
    expect(last[7]).toBe("50.2");
  });

  it("plans each year enough students to reach its path, never one short", async () => {
    for (const row of await projection()) {
      expect(Number(row[7]), row[0]).toBeGreaterThanOrEqual(Number(row[6]));
    }
  });

  it("keeps the team's goal year and students when a baseline count changes", async () => {
    const goalYear = visit.page.getByLabel("Goal year", { exact: true });
    await goalYear.fill("2026");
    await goalYear.dispatchEvent("input");
    const students = visit.page.getByLabel("Students tested each year");
    await students.fill("250");
    await students.dispatchEvent("input");
    await expect.poll(async () => (await projection()).at(-1)![1]).toBe("250");
    const meeting = visit.page.getByLabel("Meeting, 2024", { exact: true });
    await meeting.fill(String(Number(await meeting.inputValue()) + 5));
    await meeting.dispatchEvent("input");
    await expect.poll(async () => (await projection())[0]![1]).toBe("212");
    expect(await goalYear.inputValue()).toBe("2026");
    expect(await students.inputValue()).toBe("250");
    const rows = await projection();
    expect(rows.at(-1)!.slice(0, 2)).toEqual(["2026", "250"]);
    // Back to the published baseline and the defaults, for the download below.
    await meeting.fill(String(Number(await meeting.inputValue()) - 5));
    await meeting.dispatchEvent("input");
    // The boxes below the counts are drawn anew when a count changes: wait for them.
    await expect.poll(async () => (await projection())[0]![1]).toBe("207");
    await goalYear.fill("2027");
    await goalYear.dispatchEvent("input");
    await students.fill("207");
    await students.dispatchEvent("input");
    await expect
      .poll(async () => (await projection()).at(-1)!.slice(0, 2))
      .toEqual(["2027", "207"]);
  });

  it("judges the group by the rules the team picks, AYP included", async () => {
    const rulesPicker = visit.page.getByLabel("Rules");
    const verdict = visit.page.locator("#accountability-verdict");
    const input = visit.page.locator("#accountability-input");
    await rulesPicker.selectOption({ label: "Progress and Performance Index" });
    await expect.poll(() => input.count()).toBe(1);
    await rulesPicker.selectOption({ label: "NCLB Adequate Yearly Progress" });
    await expect.poll(() => verdict.innerText()).toMatch(/^AYP determinations were made for 2003/);
    // The PPI's box for a baseline goes with it: AYP asks for nothing.
    expect(await input.count()).toBe(0);
    await rulesPicker.selectOption({ index: 0 });
    await expect.poll(() => verdict.innerText()).not.toMatch(/^AYP/);
  });

  it("downloads the worksheet as an .xlsx holding the numbers on the page", async () => {
    const shown = await projection();
    const [download] = await Promise.all([
      visit.page.waitForEvent("download"),
      visit.page.getByRole("button", { name: "Download .xlsx" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("worksheet_2A_09700010_MATH_03-08_2024_all.xlsx");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await readFile(await download.path())) as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet("Goal worksheet")!;
    expect(String(sheet.getCell("A1").value)).toMatch(/^Goal worksheet: .+, All students, Math/);
    const lastRow = sheet.getRow(sheet.rowCount).values as unknown[];
    expect(lastRow[1]).toBe(2027);
    expect(lastRow.slice(3, 8)).toEqual([...shown.at(-1)!.slice(1, 6).map(Number)]);
  });

  it("logs no errors along the way", () => {
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
  });
});
