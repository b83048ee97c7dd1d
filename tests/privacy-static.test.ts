import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// Student rows live in the warehouse's private tables. The site is built from what src/ (pages
// and data loaders) and loaders/analysis (the queries they publish) read; none of it may name a
// private table, so that no change can publish student rows by reading them directly.
const ROOT = resolve(import.meta.dirname, "..");
const PUBLISHING = ["src", "loaders/analysis", "loaders/publish.ts"];

function files(path: string): string[] {
  const absolute = join(ROOT, path);
  try {
    return readdirSync(absolute, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !entry.parentPath.includes(".observablehq"))
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [absolute];
  }
}

describe("the code that builds the site", () => {
  it("never names a private table", () => {
    const readers = PUBLISHING.flatMap(files)
      .filter((file) => /\bprivate_\w+/.test(readFileSync(file, "utf8")))
      .map((file) => relative(ROOT, file));
    expect(readers).toEqual([]);
  });
});
