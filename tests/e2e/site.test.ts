import { mkdir, readdir, rm } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { findCharts, openSite, type PageVisit } from "./browser.ts";

const PROJECT_DIR = fileURLToPath(new URL("../../", import.meta.url));
// Screenshots of every page, for a person to look at after a run (gitignored).
const SCREENSHOTS = join(PROJECT_DIR, "reports", "screenshots");

// Folders Framework writes its own files to (libraries, data files, modules), never pages; an
// HTML file there is data that a page links to.
const FRAMEWORK_FOLDERS = /^_(?:observablehq|npm|node|jsr|file|import|duckdb)\//;

/** What one page did in the browser, kept after the page is closed. */
interface PageReport extends Omit<PageVisit, "page" | "screenshot" | "close"> {
  file: string;
  charts: Awaited<ReturnType<typeof findCharts>>;
}

describe.each(["sample", "real"] as const)("the %s site in a browser", (name) => {
  const site = inject("sites")[name];
  const pages: PageReport[] = [];

  beforeAll(async () => {
    if (site.code !== 0) throw new Error(`the ${name} build failed:\n${site.output.slice(-4000)}`);
    const screenshots = join(SCREENSHOTS, name);
    await rm(screenshots, { recursive: true, force: true });
    const browser = await openSite(site.dir);
    try {
      for (const file of await listPages(site.dir)) {
        const { page, screenshot, close, ...records } = await browser.visit(file, {
          timeout: 90_000,
        });
        try {
          const png = join(screenshots, file.replace(/\.html$/, ".png"));
          await mkdir(dirname(png), { recursive: true });
          await screenshot(png);
          pages.push({ file, ...records, charts: await findCharts(page) });
        } finally {
          await close();
        }
      }
    } finally {
      await browser.close();
    }
  });

  it("has a home page and at least one other page", () => {
    const files = pages.map((page) => page.file);
    expect(files).toContain("index.html");
    expect(files.length).toBeGreaterThan(1);
  });

  it("opens every page without console errors or page errors", () => {
    for (const page of pages) {
      expect.soft(page.consoleErrors, `console errors on ${page.file}`).toEqual([]);
      expect.soft(page.pageErrors, `page errors on ${page.file}`).toEqual([]);
    }
  });

  it("loads everything from this machine and nothing from any other host", () => {
    for (const page of pages) {
      expect.soft(page.externalRequests, `requests off loopback from ${page.file}`).toEqual([]);
      expect.soft(page.failedRequests, `failed requests of ${page.file}`).toEqual([]);
      expect.soft(page.badResponses, `error responses to ${page.file}`).toEqual([]);
    }
  });

  it("renders every cell without an error", () => {
    for (const page of pages) {
      expect.soft(page.errorCells, `cells showing an error on ${page.file}`).toEqual([]);
      expect.soft(page.pendingCells, `cells still loading on ${page.file}`).toBe(0);
    }
  });

  it("shows at least one chart on every page but the home page", () => {
    for (const page of pages.filter((page) => page.file !== "index.html")) {
      expect.soft(page.charts.length, `charts on ${page.file}`).toBeGreaterThan(0);
    }
  });

  it("gives every chart a figure with a title and a description", () => {
    for (const page of pages) {
      page.charts.forEach((chart, i) => {
        const where = `chart ${i + 1} on ${page.file} (${chart.title || "untitled"})`;
        expect.soft(chart.inChartFigure, `${where} is inside <figure class="chart">`).toBe(true);
        expect.soft(chart.title, `${where} has an <h3> or <figcaption>`).not.toBe("");
        expect.soft(chart.description, `${where} has a <p class="description">`).not.toBe("");
      });
    }
  });
});

/** Every page of a built site, as paths relative to it ("index.html", "step1.html"). */
async function listPages(siteDir: string): Promise<string[]> {
  const entries = await readdir(siteDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".html"))
    .map((entry) => relative(siteDir, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .filter((file) => !FRAMEWORK_FOLDERS.test(file))
    .sort();
}
