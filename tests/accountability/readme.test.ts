import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderRulesTable } from "../../loaders/accountability/rules.ts";

// The README lists every accountability rule with its status; it must say what the code does.
const README = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** A Markdown table's cells, row by row, trimmed: Prettier pads the README's columns. */
function cells(table: string): string[][] {
  return table
    .trim()
    .split("\n")
    .filter((line) => line.startsWith("|") && !/^\|[\s:|-]+\|$/.test(line))
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim()),
    );
}

describe("the README's table of accountability rules", () => {
  it("is the registry's table, rule for rule", () => {
    const start = README.indexOf("<!-- rules:start -->");
    const end = README.indexOf("<!-- rules:end -->");
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const inReadme = cells(README.slice(start, end));
    expect(inReadme.length).toBeGreaterThan(30);
    expect(inReadme).toEqual(cells(renderRulesTable()));
  });
});
