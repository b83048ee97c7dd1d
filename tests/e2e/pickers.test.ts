import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PLANTED } from "../../loaders/sample/generate.ts";
import { openSite, type PageVisit, type SiteBrowser } from "./browser.ts";

// What a team does in a session: open a school's page from a link, switch schools and years,
// and print. Each step must leave the page telling the truth about what it shows.
const { schoolCode, schoolName } = PLANTED.smallGroup;

describe("step 1 of the sample site, used as a team uses it", () => {
  const site = inject("sites").sample;
  let browser: SiteBrowser;
  let visit: PageVisit;

  beforeAll(async () => {
    browser = await openSite(site.dir);
    visit = await browser.visit(`step1.html?school=${schoolCode}&year=2024&subject=ELA`, {
      timeout: 90_000,
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  const note = () => visit.page.locator(".suppressed.note").innerText();

  it("names the withheld group of the school the link opens", async () => {
    expect(await visit.page.locator(".context").first().innerText()).toContain(schoolName);
    expect(await note()).toContain("Not shown: English learners. This group has fewer than 10");
    expect(
      await visit.page.locator("figure.chart").first().getByText("withheld: fewer than 10").count(),
    ).toBe(1);
  });

  it("drops that note when another school is picked, and puts the school in the address", async () => {
    await visit.page
      .locator("select")
      .nth(1)
      .selectOption({ label: "Osprey Point School (09700020)" });
    await expect.poll(() => visit.page.url()).toContain("school=09700020");
    const withheld = visit.page.locator(".suppressed.note", { hasText: "English learners" });
    await expect.poll(() => withheld.count()).toBe(0);
    expect(await visit.page.locator(".context").first().innerText()).toContain("Osprey Point");
  });

  it("keeps every table row when printed", async () => {
    await visit.page.emulateMedia({ media: "print" });
    const table = visit.page.locator("form[class$='-table']").first();
    expect(await table.isVisible()).toBe(true);
    expect(await visit.page.locator("select").first().isVisible()).toBe(false);
    await visit.page.emulateMedia({ media: "screen" });
  });

  it("logs no errors along the way", () => {
    expect(visit.consoleErrors).toEqual([]);
    expect(visit.pageErrors).toEqual([]);
  });
});
