import { readFile, readdir } from "node:fs/promises";
import { extname, join, relative } from "node:path";
import { describe, expect, inject, it } from "vitest";

// The builds themselves run once for all build tests, with every connection refused and
// recorded: see tests/e2e/sites.ts.

// An address on another host: a scheme and "//", or "//" alone (protocol-relative), then a host
// name rather than a slash, space, quote or parenthesis; captured as far as the next of those.
const HOST = String.raw`(?<url>(?:https?:)?//[^/\s"'\`)][^\s"'\`)]*)`;

/**
 * Places where a browser fetches the address written there: HTML attributes that load what they
 * name, module imports (static, dynamic, re-exports), worker script imports, and CSS url() and
 * @import. An address anywhere else is only text: SVG and XML namespaces (xmlns, createElementNS,
 * "http://www.w3.org/2000/svg"), a Vega-Lite $schema (read for its version, never fetched),
 * links in comments, and duckdb-wasm's jsDelivr constant (used only by getJsDelivrBundles, which
 * Framework never calls: it hands DuckDB its own bundles).
 */
const FETCHING_POSITIONS = [
  new RegExp(
    String.raw`\b(?:src|href|srcset|poster|action|formaction)\s*=\s*["']?\s*${HOST}`,
    "gi",
  ),
  new RegExp(String.raw`(?<!@)\b(?:import|from)\s*\(?\s*["'\`]${HOST}`, "g"),
  new RegExp(String.raw`\bimportScripts\s*\(\s*["'\`]${HOST}`, "g"),
  new RegExp(String.raw`\burl\(\s*["']?${HOST}`, "gi"),
  new RegExp(String.raw`@import\s+["']${HOST}`, "gi"),
];

/**
 * Finds, in the text of an .html, .js or .css file, each reference to another host in a place
 * where the browser would fetch it. The href of a link (<a href>) is allowed: the browser goes
 * there only when a reader follows it, as with a page's link to the state's published data.
 */
function findExternalReferences(text: string): string[] {
  const found: string[] = [];
  for (const pattern of FETCHING_POSITIONS) {
    for (const match of text.matchAll(pattern)) {
      if (isInsideAnchorTag(text, match.index)) continue;
      found.push(match[0]);
    }
  }
  return found;
}

function isInsideAnchorTag(text: string, index: number): boolean {
  const tagStart = text.lastIndexOf("<", index);
  if (tagStart < 0 || text.lastIndexOf(">", index) > tagStart) return false;
  return /^<a\s/i.test(text.slice(tagStart, tagStart + 3));
}

describe("findExternalReferences", () => {
  it("finds stylesheets, scripts, imports, CSS urls and worker scripts on other hosts", () => {
    const found = [
      `<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>`,
      `<script src='//cdn.example.org/x.js'></script>`,
      `<img srcset="https://img.example.org/a.png 2x">`,
      `import{a}from"https://cdn.jsdelivr.net/npm/d3/+esm";`,
      `import("http://x.org/m.js")`,
      `importScripts("https://x.org/w.js")`,
      `@import "https://fonts.googleapis.com/css2";`,
      `.a{background:url( 'https://x.org/i.png')}`,
    ].map((text) => findExternalReferences(text));
    expect(found.map((references) => references.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  });

  it("allows namespaces, links a reader follows, local files and text that is only text", () => {
    const text = [
      `<svg xmlns="http://www.w3.org/2000/svg"><use href="#a"/></svg>`,
      `<a class="source" href="https://profiles.doe.mass.edu/">DESE</a>`,
      `<script src="./_npm/d3.js"></script>`,
      `document.createElementNS("http://www.w3.org/2000/svg","g");`,
      `const e="https://cdn.jsdelivr.net/npm/";`,
      `({$schema:"https://vega.github.io/schema/vega-lite/v6.json"});`,
      `.b{background:url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'%3E")}`,
    ].join("\n");
    expect(findExternalReferences(text)).toEqual([]);
  });
});

describe.each(["sample", "real"] as const)("pim build of the %s files, network blocked", (name) => {
  const site = inject("sites")[name];

  it("succeeds", () => {
    expect(site.code, site.output.slice(-4000)).toBe(0);
  });

  it("tries to reach no host but this machine", () => {
    expect(site.networkAttempts).toEqual([]);
  });

  it("writes a site that fetches nothing from another host", async () => {
    const files = await listFiles(site.dir, [".html", ".js", ".css"]);
    expect(files.some((file) => file.endsWith(".html"))).toBe(true);

    const references: string[] = [];
    for (const file of files) {
      const text = await readFile(file, "utf8");
      for (const found of findExternalReferences(text)) {
        references.push(`${relative(site.dir, file)}: ${found}`);
      }
    }
    expect(references).toEqual([]);
  });
});

async function listFiles(dir: string, extensions: string[]): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && extensions.includes(extname(entry.name)))
    .map((entry) => join(entry.parentPath, entry.name));
}
