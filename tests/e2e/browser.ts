import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { serveSite } from "../../loaders/build/serve.ts";

const CHROMIUM = "/usr/bin/chromium";

// Flags that keep Chromium from reaching the internet on its own (updates, sync, field trials)
// and from needing what a container lacks (a sandbox, a GPU).
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** What happened while one page of the site loaded and rendered. */
export interface PageVisit {
  /** The address visited. */
  url: string;
  /** Text of console messages of type "error" (failed loads included). */
  consoleErrors: string[];
  /** Text of console warnings, for reading beside a failure; they fail nothing by themselves. */
  consoleWarnings: string[];
  /** Uncaught exceptions and unhandled rejections in the page. */
  pageErrors: string[];
  /** Requests (and WebSockets) to hosts other than loopback; each was refused. */
  externalRequests: string[];
  /** Loopback requests that failed without an answer, as "url: reason". */
  failedRequests: string[];
  /** Loopback answers with a status of 400 or more, as "status url". */
  badResponses: string[];
  /** Text of the cells that show an error (`.observablehq--error`). */
  errorCells: string[];
  /** Cells still waiting for their value when the wait ended; 0 once the page has rendered. */
  pendingCells: number;
  /** The live page, to query the DOM (`page.$$eval`, `page.locator`, `page.evaluate`). */
  page: Page;
  /** Saves a PNG of the whole page, not just the viewport. */
  screenshot(file: string): Promise<void>;
  /** Closes the page; openSite's close closes any still open. */
  close(): Promise<void>;
}

export interface VisitOptions {
  /** How long to wait for the page to load and render, in milliseconds (default 60 s). */
  timeout?: number;
}

/** A built site served on loopback, with a headless Chromium that can reach nothing else. */
export interface SiteBrowser {
  /** The site's address, with a trailing slash. */
  url: string;
  /**
   * Opens the page at `path` (relative to the site, such as "step1.html" or "") and waits until it
   * has rendered: network idle, no cell still loading, and the DOM still for a moment. Visits run
   * one at a time, so that every request is credited to the page that made it.
   */
  visit(path: string, options?: VisitOptions): Promise<PageVisit>;
  /** Closes the browser, stops the server and removes the browser's profile folder. */
  close(): Promise<void>;
}

/** Serves the built site in `dir` on 127.0.0.1 and starts Chromium to look at it. */
export async function openSite(dir: string): Promise<SiteBrowser> {
  const server = await serveSite(dir, 0);
  const profile = await mkdtemp(join(tmpdir(), "pim-chromium-"));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      serviceWorkers: "block",
      timezoneId: "UTC",
      locale: "en-US",
    });
  } catch (error) {
    await server.close();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }

  const network = await watchNetwork(context);
  let queue: Promise<unknown> = Promise.resolve();

  return {
    url: server.url,
    visit(path, options) {
      const visit = queue.then(() =>
        visitPage(context, network, new URL(path, server.url).href, options),
      );
      queue = visit.catch(() => undefined);
      return visit;
    },
    async close() {
      await context.close();
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

interface NetworkLog {
  externalRequests: string[];
  failedRequests: string[];
  badResponses: string[];
}

/**
 * Refuses and records every request that would leave the machine, and records loopback requests
 * that fail. Watching the whole context, rather than one page, also catches the requests of the
 * page's workers (DuckDB-WASM fetches from its worker).
 */
async function watchNetwork(context: BrowserContext): Promise<NetworkLog> {
  const log: NetworkLog = { externalRequests: [], failedRequests: [], badResponses: [] };
  const refused = new WeakSet<object>();

  await context.route("**/*", async (route) => {
    const request = route.request();
    if (isLocal(request.url())) return route.continue();
    refused.add(request);
    log.externalRequests.push(`${request.method()} ${request.url()}`);
    await route.abort("blockedbyclient");
  });
  context.on("requestfailed", (request) => {
    if (refused.has(request)) return;
    log.failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? "failed"}`);
  });
  context.on("response", (response) => {
    if (response.status() >= 400) log.badResponses.push(`${response.status()} ${response.url()}`);
  });
  context.on("page", (page) => {
    page.on("websocket", (socket) => {
      if (!isLocal(socket.url())) log.externalRequests.push(`WebSocket ${socket.url()}`);
    });
  });
  return log;
}

function isLocal(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
  return LOOPBACK_HOSTS.has(hostname);
}

async function visitPage(
  context: BrowserContext,
  network: NetworkLog,
  url: string,
  { timeout = 60_000 }: VisitOptions = {},
): Promise<PageVisit> {
  const deadline = Date.now() + timeout;
  const remaining = () => Math.max(1, deadline - Date.now());
  const marks = {
    external: network.externalRequests.length,
    failed: network.failedRequests.length,
    bad: network.badResponses.length,
  };

  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const consoleWarnings: string[] = [];
  const pageErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
    if (message.type() === "warning") consoleWarnings.push(message.text());
  });
  page.on("pageerror", (error) => pageErrors.push(`${error.name}: ${error.message}`));

  try {
    await page.goto(url, { waitUntil: "load", timeout: remaining() });
    await page.waitForLoadState("networkidle", { timeout: remaining() });
  } catch (error) {
    await page.close();
    throw error;
  }
  await waitForCells(page, remaining());
  await waitForStillDom(page, remaining());

  // Framework shows a pending cell as an <observablehq-loading> placeholder until it has a value.
  const pendingCells = await page.locator("observablehq-loading, .observablehq--loading").count();
  const errorCells = await page.locator(".observablehq--error").allInnerTexts();

  return {
    url,
    consoleErrors,
    consoleWarnings,
    pageErrors,
    externalRequests: network.externalRequests.slice(marks.external),
    failedRequests: network.failedRequests.slice(marks.failed),
    badResponses: network.badResponses.slice(marks.bad),
    errorCells,
    pendingCells,
    page,
    async screenshot(file) {
      await page.screenshot({ path: file, fullPage: true });
    },
    close: () => page.close(),
  };
}

/** Waits until no cell is loading; a cell that never settles is reported, not thrown. */
async function waitForCells(page: Page, timeout: number): Promise<void> {
  await page
    .waitForFunction(
      () => !document.querySelector("observablehq-loading, .observablehq--loading"),
      undefined,
      { timeout, polling: 100 },
    )
    .catch(() => undefined);
}

/**
 * Waits until the DOM has stopped changing for half a second: charts can draw after their cell
 * settles (Vega renders asynchronously, and `width` redraws Plot once the layout is known).
 */
async function waitForStillDom(page: Page, timeout: number): Promise<void> {
  const end = Date.now() + Math.min(timeout, 10_000);
  let last = "";
  let stillSince = Date.now();
  while (Date.now() < end) {
    const signature = await page.evaluate(
      () => `${document.body.innerHTML.length}:${document.querySelectorAll("*").length}`,
    );
    if (signature !== last) [last, stillSince] = [signature, Date.now()];
    else if (Date.now() - stillSince >= 500) return;
    await page.waitForTimeout(100);
  }
}

/** A chart as the reader meets it: the figure around it, its title and its description. */
export interface Chart {
  inChartFigure: boolean;
  title: string;
  description: string;
}

/**
 * The charts in the page's main content: each top-level SVG inside a figure or drawn by Vega
 * (Plot's legends and swatches are SVGs of the same figure), with the title and description of
 * the `<figure class="chart">` around it, our convention for every chart.
 */
export function findCharts(page: Page): Promise<Chart[]> {
  return page.evaluate(() => {
    const main = document.querySelector("main") ?? document.body;
    const svgs = [...main.querySelectorAll("figure svg, .vega-embed svg")];
    return svgs
      .filter((svg) => !svg.parentElement?.closest("svg"))
      .map((svg) => {
        const figure = svg.closest("figure.chart");
        const text = (selector: string) =>
          figure?.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim() ?? "";
        return {
          inChartFigure: figure !== null,
          title: text(":scope > h3, :scope > figcaption") || text("h3, figcaption"),
          description: text("p.description"),
        };
      });
  });
}
