import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { pagedItemsSql } from "../../loaders/analysis/items.ts";
import { Warehouse } from "../../loaders/warehouse/db.ts";
import { findCharts, openSite, type SiteBrowser } from "./browser.ts";

// Step 2 as a team opens it: for Rising Tide every test of the real item files (every grade and
// subject, both years where both exist), and for every school of the sample, steps 2 and 3.

const RISING_TIDE = "04830305";

interface TestOfSchool {
  year: number;
  subject: string;
  grade: string;
}

/** The tests a school has items for, as the step 2 page places them (a one-school district's
 * results on its school's page). */
async function testsOf(database: string, school: string): Promise<TestOfSchool[]> {
  const warehouse = await Warehouse.open(database, { readOnly: true });
  try {
    return await warehouse.all<TestOfSchool>(
      `SELECT DISTINCT year, subject, grade FROM (${pagedItemsSql()})
       WHERE page_org_code = ? AND student_group = 'all' ORDER BY ALL`,
      [school],
    );
  } finally {
    warehouse.close();
  }
}

describe("step 2 of the real site for Rising Tide", () => {
  const site = inject("sites").real;
  let browser: SiteBrowser;
  let tests: TestOfSchool[] = [];

  beforeAll(async () => {
    tests = await testsOf(site.database, RISING_TIDE);
    browser = await openSite(site.dir);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("holds every grade and subject of the item files, 2022 and 2023", () => {
    const key = (t: TestOfSchool) => `${t.year} ${t.subject} ${t.grade}`;
    const keys = tests.map(key);
    // The 2022 workbook (grades 5 to 8 and 10; its EG5 sheet is a copy of EG8 and is skipped),
    // the 2023 ELA and math workbooks (grades 5 to 8 and 10), and the 2023 civics file (grade 8).
    for (const grade of ["06", "07", "08", "10"]) {
      expect(keys).toContain(`2022 ELA ${grade}`);
      expect(keys).toContain(`2023 ELA ${grade}`);
    }
    for (const grade of ["05", "06", "07", "08", "10"]) {
      expect(keys).toContain(`2022 MATH ${grade}`);
      expect(keys).toContain(`2023 MATH ${grade}`);
    }
    expect(keys).toContain("2023 ELA 05");
    expect(keys).toContain("2023 CIVICS 08");
    expect(keys).not.toContain("2022 ELA 05");
  });

  it("renders each of them with titled, described charts and no error", async () => {
    expect(tests.length).toBeGreaterThanOrEqual(19);
    for (const test of tests) {
      const path =
        `step2.html?school=${RISING_TIDE}&year=${test.year}&subject=${test.subject}` +
        `&grade=${test.grade}`;
      const visit = await browser.visit(path, { timeout: 90_000 });
      try {
        const where = `${test.year} ${test.subject} ${test.grade}`;
        expect.soft(visit.pageErrors, where).toEqual([]);
        expect.soft(visit.consoleErrors, where).toEqual([]);
        expect.soft(visit.errorCells, where).toEqual([]);
        const context = await visit.page.locator(".context").first().innerText();
        expect.soft(context, where).toContain(`${test.year}`);
        // Four figures: items, categories, categories over the years, domains by grade. A file
        // without categories or standards (the statewide physics files) draws no chart there:
        // its figure says why instead.
        const figures = await visit.page.$$eval("figure.chart", (nodes) =>
          nodes.map((node) => ({
            title: node.querySelector("h3")?.textContent?.trim() ?? "",
            description: node.querySelector("p.description")?.textContent?.trim() ?? "",
            drawn: node.querySelector("svg") !== null,
            reason: node.querySelector("p.note")?.textContent?.trim() ?? "",
          })),
        );
        expect.soft(figures.length, where).toBe(4);
        for (const figure of figures) {
          expect.soft(figure.title, where).not.toBe("");
          expect.soft(figure.description, where).not.toBe("");
          expect.soft(figure.drawn || figure.reason !== "", `${where}: ${figure.title}`).toBe(true);
        }
        const charts = await findCharts(visit.page);
        expect.soft(charts.length, where).toBeGreaterThanOrEqual(1);
        for (const chart of charts) {
          expect.soft(chart.title, where).not.toBe("");
          expect.soft(chart.description, where).not.toBe("");
        }
      } finally {
        await visit.close();
      }
    }
  }, 600_000);

  it("compares 2022 and 2023 by reporting category, not by item number", async () => {
    const visit = await browser.visit(
      `step2.html?school=${RISING_TIDE}&year=2023&subject=MATH&grade=06`,
      { timeout: 90_000 },
    );
    try {
      const titles = (await findCharts(visit.page)).map((chart) => chart.title);
      expect(titles).toContain("By reporting category over the years: Math, Grade 6");
      const heading = visit.page.getByText("Standards over the years: Math, Grade 6");
      expect(await heading.count()).toBe(1);
    } finally {
      await visit.close();
    }
  });
});

describe("steps 2 and 3 of the sample site, for every school", () => {
  const site = inject("sites").sample;
  let browser: SiteBrowser;
  let schools: string[] = [];

  beforeAll(async () => {
    const warehouse = await Warehouse.open(site.database, { readOnly: true });
    try {
      schools = (
        await warehouse.all<{ org_code: string }>(
          `SELECT DISTINCT org_code FROM item_results WHERE org_type = 'school' ORDER BY 1`,
        )
      ).map((row) => row.org_code);
    } finally {
      warehouse.close();
    }
    browser = await openSite(site.dir);
  });

  afterAll(async () => {
    await browser?.close();
  });

  it("renders both pages for each school without an error", async () => {
    expect(schools).toHaveLength(6);
    for (const school of schools) {
      for (const page of ["step2", "step3"]) {
        const visit = await browser.visit(`${page}.html?school=${school}`, { timeout: 90_000 });
        try {
          const where = `${page} of ${school}`;
          expect.soft(visit.pageErrors, where).toEqual([]);
          expect.soft(visit.consoleErrors, where).toEqual([]);
          expect.soft(visit.errorCells, where).toEqual([]);
          expect.soft(visit.page.url(), where).toContain(`school=${school}`);
          for (const chart of await findCharts(visit.page)) {
            expect.soft(chart.title, where).not.toBe("");
            expect.soft(chart.description, where).not.toBe("");
          }
        } finally {
          await visit.close();
        }
      }
    }
  }, 600_000);

  it("shows a student group's gap to the rest of the school, from the student file", async () => {
    const visit = await browser.visit(
      "step2.html?school=09700010&year=2024&subject=MATH&grade=04&group=swd",
      { timeout: 90_000 },
    );
    try {
      expect(await visit.page.locator(".context").first().innerText()).toContain(
        "Students with disabilities only (computed from the student-level file); 13 students",
      );
      const headers = await visit.page.$$eval("th", (nodes) => nodes.map((n) => n.textContent));
      expect(headers).toEqual(expect.arrayContaining(["Rest of school %", "Diff. to rest"]));
    } finally {
      await visit.close();
    }
  });
});
