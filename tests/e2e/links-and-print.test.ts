import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openSite, type PageVisit, type SiteBrowser } from "./browser.ts";

// What a team meets outside the happy path of the real site: a shared link that names a school,
// test or group the files do not hold, a school ahead of the state on every standard, and a page
// sent to the printer.

const RISING_TIDE = "04830305";

describe("links, standing and print on the real site", () => {
  const site = inject("sites").real;
  let browser: SiteBrowser;

  beforeAll(async () => {
    browser = await openSite(site.dir);
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** Visits a page, checks that it rendered cleanly, and hands it to `look`. */
  async function onPage(path: string, look: (visit: PageVisit) => Promise<void>): Promise<void> {
    const visit = await browser.visit(path, { timeout: 90_000 });
    try {
      expect.soft(visit.pageErrors, path).toEqual([]);
      expect.soft(visit.errorCells, path).toEqual([]);
      await look(visit);
    } finally {
      await visit.close();
    }
  }

  const notes = (visit: PageVisit) =>
    visit.page.$$eval(".address-note, #wanted-missing", (nodes) =>
      nodes.map((node) => node.textContent?.replace(/\s+/g, " ").trim() ?? ""),
    );
  const context = async (visit: PageVisit) =>
    (await visit.page.locator(".context").first().innerText()).replace(/\s+/g, " ");

  it("opens step 1 on a school of the district a link names, and says so", async () => {
    await onPage("step1.html?school=00350000", async (visit) => {
      expect(await notes(visit)).toEqual([
        "00350000 is the district Boston: step 1 is by school, so this page shows its school " +
          "Adams Elementary School; pick another below.",
      ]);
      expect(await context(visit)).toContain("Adams Elementary School, Boston");
    });
  });

  it("reads grade 5 as 05, and says when a link's test is not loaded", async () => {
    await onPage(`step3.html?school=${RISING_TIDE}&year=2023&subject=MATH&grade=5`, async (v) => {
      expect(await notes(v)).toEqual([]);
      expect(await context(v)).toContain("2023 · Math · Grade 5");
    });
    await onPage(`step3.html?school=${RISING_TIDE}&year=2019&subject=MATH&grade=05`, async (v) => {
      expect(await notes(v)).toEqual([
        'No test "2019 MATH 05" is loaded for this school; showing 2023 · ELA · Grade 5.',
      ]);
    });
  });

  it("says when a link's student group has no item results, and shows all students", async () => {
    await onPage(`step2.html?school=${RISING_TIDE}&group=high_needs`, async (visit) => {
      expect(await notes(visit)).toEqual([
        'No item results for the group "High needs" in this test (groups come from a ' +
          "student-level file in the state's full layout); showing all students.",
      ]);
      // With no test in the link, step 2 opens on the newest ELA or math test, not civics.
      expect(await context(visit)).toContain("2023 · ELA · Grade 5");
    });
  });

  it("never calls a standard where the school is ahead a weakness", async () => {
    // Rising Tide's 2023 grade 5 ELA: at or above the state on every one of its 15 standards.
    await onPage(
      `step3.html?school=${RISING_TIDE}&year=2023&subject=ELA&grade=05`,
      async (visit) => {
        const description = await visit.page.locator("figure.chart p.description").first();
        expect(await description.innerText()).toContain(
          "All 15 standards, weakest first (none of them behind the state)",
        );
        const bars = await visit.page.$$eval("figure.chart svg g.mark-rect path", (p) =>
          p.map((path) => path.getAttribute("fill")),
        );
        expect(bars.length).toBeGreaterThanOrEqual(15);
        expect(new Set(bars.filter((fill) => fill !== null && fill !== "none"))).toEqual(
          new Set(["#4393c3"]),
        );
        const main = await visit.page.locator("main").innerText();
        expect(main).not.toContain("behind on its items together");
        expect(main).toContain("the standards listed are where it is least ahead");
      },
    );
  });

  it("draws every row of every table when the page is printed", async () => {
    await onPage(`step3.html?school=${RISING_TIDE}&year=2023&subject=ELA&grade=all`, async (v) => {
      const rowsShown = () =>
        v.page.$$eval('form[class$="-table"] tbody', (bodies) =>
          bodies.map((b) => (b as HTMLTableSectionElement).rows.length),
        );
      const label = await v.page.locator("a.download").first().innerText();
      const standards = Number(/\((\d+) rows\)/.exec(label)?.[1]);
      expect(standards).toBeGreaterThan(30);
      // On screen, the standards table and 3-C draw their first rows only.
      const before = await rowsShown();
      expect(before[0]).toBeLessThan(standards);
      await v.page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
      const after = await rowsShown();
      expect(after[0]).toBe(standards);
      expect(after.at(-1)).toBe(standards);
    });
  });
});
