import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ExcelJS from "exceljs";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { IngestReport } from "../../loaders/ingest/ingest.ts";
import type { Warehouse } from "../../loaders/warehouse/db.ts";
import { loadedWarehouse } from "../helpers/warehouse.ts";

// The bad-input corpus of item workbooks. Workbooks are binary, so each quirk is written here
// with exceljs from rows in the layout of the state's Edwin export, rather than kept as a file.
const dir = mkdtempSync(join(tmpdir(), "pim-corpus-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let warehouse: Warehouse | undefined;
afterEach(() => warehouse?.close());

const HEADER = [
  "ITEM",
  "TYPE",
  "REPORTING CATEGORY",
  "STANDARD",
  "ITEM DESC",
  "ITEM DESC",
  "POSSIBLE POINTS",
  "TOWN ELEMENTARY",
  "STATE",
  "SCHOOL-STATE DIFFERENCE",
];
const ITEMS: (string | number | null)[][] = [
  [1, "SR", "NF", "5.NF.B.4", "Multiply a fraction.", null, 1, 0.5, 0.6, -10],
  [2, "CR", "NF", "5.NF.B.6", "Solve a word problem.", null, 4, 0.4, 0.45, -5],
];

async function workbook(
  name: string,
  sheets: Record<string, (string | number | null)[][]>,
  edit?: (book: ExcelJS.Workbook) => void,
): Promise<string> {
  const book = new ExcelJS.Workbook();
  for (const [sheetName, rows] of Object.entries(sheets))
    book.addWorksheet(sheetName).addRows(rows);
  edit?.(book);
  const path = join(dir, name);
  await book.xlsx.writeFile(path);
  return path;
}

async function load(path: string): Promise<IngestReport> {
  const loaded = await loadedWarehouse([path], { org: "09990005" });
  warehouse = loaded.warehouse;
  return loaded.report;
}

describe("the item workbook corpus", () => {
  it("loads a well-formed sheet under --org", async () => {
    const report = await load(await workbook("good_2024.xlsx", { MG5: [HEADER, ...ITEMS] }));
    expect(report.refused).toEqual([]);
    expect(
      await warehouse!.all("SELECT item, pct_possible_org FROM item_results ORDER BY item"),
    ).toEqual([
      { item: "1", pct_possible_org: 50 },
      { item: "2", pct_possible_org: 40 },
    ]);
  });

  it("refuses a workbook whose only sheet is empty", async () => {
    const report = await load(await workbook("empty-sheet_2024.xlsx", { Sheet1: [] }));
    expect(report.refused[0]!.errors[0]).toMatch(
      /^empty-sheet_2024.xlsx: matches no known state file format/,
    );
  });

  it("reads only the real rows of a sheet that claims a million", async () => {
    const path = await workbook("million-rows_2024.xlsx", { MG5: [HEADER, ...ITEMS] }, (book) => {
      // A style carried down the column: the row exists, empty, a million rows down.
      book.getWorksheet("MG5")!.getRow(1_000_000).getCell(1).style = { font: { bold: true } };
    });
    const report = await load(path);
    expect(report.refused).toEqual([]);
    expect(report.loaded[0]!.tables.item_results).toBe(2);
  });

  it("refuses a percent of possible points above 1, naming the cell", async () => {
    const bad = [...ITEMS[0]!];
    bad[7] = 1.4;
    const report = await load(await workbook("fraction-over-1_2024.xlsx", { MG5: [HEADER, bad] }));
    expect(report.refused[0]!.errors).toEqual([
      'fraction-over-1_2024.xlsx, sheet MG5, row 2, column "TOWN ELEMENTARY": found "1.4"; ' +
        "expected a fraction of possible points from 0 to 1",
    ]);
  });

  it("refuses an item listed twice", async () => {
    const report = await load(
      await workbook("duplicated-item_2024.xlsx", { MG5: [HEADER, ITEMS[0]!, ITEMS[0]!] }),
    );
    expect(report.refused[0]!.errors).toEqual([
      'duplicated-item_2024.xlsx, sheet MG5, row 3, column "ITEM": found "1"; repeats item 1 of row 2',
    ]);
  });

  it("refuses a sheet whose name does not say the test", async () => {
    const report = await load(
      await workbook("sheet-name_2024.xlsx", { Results: [HEADER, ...ITEMS] }),
    );
    expect(report.refused[0]!.errors).toEqual([
      "sheet-name_2024.xlsx, sheet Results; cannot tell the test from the sheet name: expected a " +
        "subject letter, G and a grade (EG5 = grade 5 ELA, MG8 = grade 8 math, SG9Physics)",
    ]);
  });

  it("refuses text after the blank row that ends the items", async () => {
    const report = await load(
      await workbook("text-after-items_2024.xlsx", {
        MG5: [HEADER, ...ITEMS, [], ["Prepared by the data team"]],
      }),
    );
    expect(report.refused[0]!.errors).toEqual([
      'text-after-items_2024.xlsx, sheet MG5, row 5: found "Prepared by the data team"; expected ' +
        "only the legend after the blank row that ends the items",
    ]);
  });

  it("loads a sheet ending with the legend, and a second sheet that is not item analysis", async () => {
    const report = await load(
      await workbook("legend_2024.xlsx", {
        MG5: [HEADER, ...ITEMS, [], [], ["View the Item by Item Results - Legend"]],
        Notes: [["These are our notes"]],
      }),
    );
    expect(report.refused).toEqual([]);
    expect(report.warnings).toEqual([
      'legend_2024.xlsx: sheet MG5: "TOWN ELEMENTARY" taken to be 09990005 as --org says; ' +
        "no loaded file names it",
      "legend_2024.xlsx: sheet Notes is not an item analysis sheet; ignored",
    ]);
  });
});
