import ExcelJS from "exceljs";
import type { OrgDefinition } from "./district.ts";
import type { Form } from "./forms.ts";
import type { ItemResult } from "./item-results.ts";
import { stampZipEntries } from "./zip.ts";

/** One test's form and a school's results on it: one sheet of the workbook. */
export interface SheetResults {
  form: Form;
  results: ItemResult[];
}

/** Workbooks carry this date as created and modified, and on each zip entry. */
export const WORKBOOK_DATE = new Date(Date.UTC(2026, 2, 1));

const FONT = { name: "Arial", size: 9 };
const LINK_FONT = { ...FONT, underline: true, color: { argb: "FF264DA7" } };
const PERCENT = "0%";
// The pages the real sheets link standards and the legend to.
const STANDARD_URL = "http://www.doe.mass.edu/frameworks/search/Map.aspx";
const LEGEND_URL = "https://profiles.doe.mass.edu/mcas/item_key.aspx";

/**
 * The item analysis workbook of one school and year, in the layout of the state's Edwin export
 * (2022MCASItemAnalysis.xlsx): one sheet per test, math sheets first, highest grade first; row 1
 * ITEM, TYPE, REPORTING CATEGORY, STANDARD, ITEM DESC (merged over E and F), POSSIBLE POINTS, the
 * school's name, STATE, SCHOOL-STATE DIFFERENCE; fractions of possible points with two decimals.
 * As in the real workbook, ELA sheets end with two blank rows and a legend link and math sheets
 * end with their last item; standards and the legend are hyperlinks, item numbers are numbers.
 * `temHeaderSheet` names the sheet whose first header keeps the state's "TEM" slip.
 */
export async function writeItemWorkbook(
  school: OrgDefinition,
  year: number,
  sheets: readonly SheetResults[],
  temHeaderSheet?: string,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  // exceljs would name "Unknown" as the author; the sample names the tool that made it.
  workbook.creator = "pim sample";
  workbook.lastModifiedBy = "pim sample";
  workbook.created = WORKBOOK_DATE;
  workbook.modified = WORKBOOK_DATE;

  const subjectOrder = { MATH: 0, ELA: 1 };
  const ordered = [...sheets].sort(
    (a, b) =>
      subjectOrder[a.form.subject] - subjectOrder[b.form.subject] || b.form.grade - a.form.grade,
  );
  for (const { form, results } of ordered) {
    const name = `${form.subject === "MATH" ? "M" : "E"}G${form.grade}`;
    const sheet = workbook.addWorksheet(name, {
      properties: {
        defaultColWidth: 12.63,
        defaultRowHeight: 15.75,
        outlineProperties: { summaryBelow: false, summaryRight: false },
      },
    });

    // The header; the state's 2022 MG8 sheet lost the I of ITEM, and one sample sheet keeps that.
    const header = [
      name === temHeaderSheet ? "TEM" : "ITEM",
      "TYPE",
      "REPORTING CATEGORY",
      "STANDARD",
      "ITEM DESC",
      "ITEM DESC",
      "POSSIBLE POINTS",
      school.name.toUpperCase(),
      "STATE",
      "SCHOOL-STATE DIFFERENCE",
    ];
    const headerRow = sheet.addRow(header);
    headerRow.font = { ...FONT, bold: true };
    headerRow.alignment = { horizontal: "center", wrapText: true };
    sheet.mergeCells("E1:F1");

    for (const { item, orgPct, statePct } of orderRows(form, results, name === temHeaderSheet)) {
      const row = sheet.addRow([
        item.id,
        item.type,
        item.category,
        item.standard === "-"
          ? "-"
          : { text: item.standard, hyperlink: standardLink(item.standard) },
        item.description,
        null,
        item.points,
        orgPct / 100,
        statePct / 100,
        orgPct - statePct,
      ]);
      row.font = FONT;
      if (item.standard !== "-") row.getCell(4).font = LINK_FONT;
      row.getCell(8).numFmt = PERCENT;
      row.getCell(9).numFmt = PERCENT;
    }

    if (form.subject === "ELA") {
      const legend = sheet.getCell(sheet.rowCount + 3, 1);
      legend.value = {
        text: "View the Item by Item Results - Legend",
        hyperlink: `${LEGEND_URL}?subjectcode=ELA&mcasyear=${year}`,
      };
      legend.font = LINK_FONT;
    }
  }

  const zipped = Buffer.from(await workbook.xlsx.writeBuffer());
  return stampZipEntries(zipped, WORKBOOK_DATE);
}

/**
 * Rows in the orders the real sheets use: ELA by item number with the essay traits last (EG5 to
 * EG8); math by reporting category then item (MG5 to MG7), or by type first (MG8, whose order the
 * sheet with the TEM header keeps).
 */
function orderRows(form: Form, results: readonly ItemResult[], byTypeFirst: boolean): ItemResult[] {
  if (form.subject === "ELA") {
    const numbered = results.filter((result) => result.item.role !== "trait");
    numbered.sort((a, b) => Number(a.item.id) - Number(b.item.id));
    return [...numbered, ...results.filter((result) => result.item.role === "trait")];
  }
  return [...results].sort(
    (a, b) =>
      (byTypeFirst ? a.item.type.localeCompare(b.item.type) : 0) ||
      a.item.category.localeCompare(b.item.category) ||
      Number(a.item.id) - Number(b.item.id),
  );
}

/** The framework search page for the standards of an item, as the real sheets link them. */
function standardLink(standard: string): string {
  return `${STANDARD_URL}?ST_CIS_CODE=${standard.replaceAll(" ", "")}`;
}
