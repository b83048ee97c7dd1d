import type { CellValue, Row, Worksheet } from "exceljs";
import { cellLink, cellNumber, cellText } from "../cells.ts";
import { ProblemList } from "../errors.ts";
import type { KnownOrg } from "../orgs.ts";
import { districtCodeOf } from "../text.ts";
import { courseOf, testId } from "../tests.ts";
import { chooseYear, gradeCode } from "../years.ts";
import { detectWorkbook } from "./detect.ts";
import type { FileFormat, ItemRow, ParseContext, ParsedFile } from "./types.ts";
import { emptyRows } from "./types.ts";

/**
 * The Edwin item analysis workbook (2022MCASItemAnalysis.xlsx and its 2023 ELA sibling): one sheet
 * per test, named by subject letter and grade (EG5 = grade 5 ELA, MG10, SG9Physics), each item with
 * its type, reporting category, standards, points, and the organisation's and state's fraction of
 * possible points. The organisation appears only as the header of its value column.
 */

type Column =
  "item" | "type" | "category" | "standard" | "description" | "points" | "state" | "diff";

const HEADERS: Record<Column, (header: string) => boolean> = {
  // One real sheet (MG8 of 2022) reads "TEM": the I was lost in the export.
  item: (h) => h === "ITEM" || h === "TEM",
  type: (h) => h === "TYPE",
  category: (h) => h === "REPORTING CATEGORY",
  standard: (h) => h === "STANDARD" || h === "STANDARDS",
  description: (h) => h === "ITEM DESC" || h === "ITEM DESCRIPTION",
  points: (h) => h === "POSSIBLE POINTS",
  state: (h) => h === "STATE",
  diff: (h) => /STATE DIFFERENCE$/.test(h),
};

const SUBJECT_LETTERS: Record<string, string> = { E: "ELA", M: "MATH", S: "SCI" };

interface SheetLayout {
  columns: Record<Column, number>;
  orgColumn: number;
  orgHeader: string;
  diffHeader: string;
}

function headerOf(sheet: Worksheet, column: number): string {
  return cellText(sheet.getRow(1).getCell(column).value).trim().replace(/\s+/g, " ").toUpperCase();
}

/** Finds the columns of an item analysis sheet, or undefined if the sheet is something else. */
function readLayout(sheet: Worksheet): SheetLayout | undefined {
  const found: Partial<Record<Column, number>> = {};
  const width = Math.max(sheet.columnCount, sheet.getRow(1).cellCount);
  for (let column = 1; column <= width; column++) {
    const header = headerOf(sheet, column);
    for (const [name, matches] of Object.entries(HEADERS) as [Column, (h: string) => boolean][]) {
      // The description header is merged over two cells: keep the first.
      if (found[name] === undefined && matches(header)) found[name] = column;
    }
  }
  const required: Column[] = ["item", "type", "category", "standard", "points", "state"];
  if (required.some((column) => found[column] === undefined)) return undefined;

  // The organisation's column sits between POSSIBLE POINTS and STATE and has no known header.
  let orgColumn = -1;
  for (let column = found.points! + 1; column < found.state!; column++) {
    if (headerOf(sheet, column) !== "") orgColumn = column;
  }
  if (orgColumn < 0) return undefined;
  return {
    columns: found as Record<Column, number>,
    orgColumn,
    orgHeader: cellText(sheet.getRow(1).getCell(orgColumn).value).trim(),
    diffHeader: found.diff === undefined ? "" : headerOf(sheet, found.diff),
  };
}

/** The grade the item library links of a sheet point to, when they all agree on one. */
function linkedGrade(sheet: Worksheet, itemColumn: number): number | undefined {
  const grades = new Set<number>();
  sheet.eachRow((row, number) => {
    if (number === 1) return;
    const link = cellLink(row.getCell(itemColumn).value);
    const match = link && /grades=Grade(?:%20|\s|\+)(\d+)/i.exec(link);
    if (match) grades.add(Number(match[1]));
  });
  return grades.size === 1 ? [...grades][0] : undefined;
}

const ESSAY_TRAIT = /^([A-Z]{2})(\d+)\.([A-Z]+)(\d*)$/i;

export const itemAnalysisWorkbook: FileFormat = {
  id: "item-analysis-workbook",
  description:
    "Edwin item analysis workbook (.xlsx), one sheet per test (EG5, MG8...) with ITEM, TYPE, " +
    "REPORTING CATEGORY, STANDARD, ITEM DESC, POSSIBLE POINTS, <organisation>, STATE columns",
  order: 20,

  detect: detectWorkbook(readLayout),

  async parse(file, context): Promise<ParsedFile> {
    const problems = new ProblemList(file.name);
    const warnings: string[] = [];
    const workbook = await file.workbook();

    const chosen = chooseYear(file.name, context.year);
    if (!chosen) {
      problems.add(
        "the workbook does not say its year and its name holds none: pass --year <yyyy> " +
          "or put the year in the file name",
      );
      problems.throwIfAny();
    }
    const { year, origin } = chosen!;
    if (chosen!.warning) warnings.push(chosen!.warning);
    context.log.info(`${file.name}: year ${year}, from the ${origin}`);

    const rows = emptyRows();
    const signatures = new Map<string, string>();

    for (const sheet of workbook.worksheets) {
      const layout = readLayout(sheet);
      if (!layout) {
        warnings.push(`${file.name}: sheet ${sheet.name} is not an item analysis sheet; ignored`);
        continue;
      }
      const nameMatch = /^([EMS])G(\d{1,2})(.*)$/i.exec(sheet.name.trim());
      if (!nameMatch) {
        problems.add(
          "cannot tell the test from the sheet name: expected a subject letter, G and a grade " +
            "(EG5 = grade 5 ELA, MG8 = grade 8 math, SG9Physics)",
          { sheet: sheet.name },
        );
        continue;
      }
      const subject = SUBJECT_LETTERS[nameMatch[1]!.toUpperCase()]!;
      const grade = Number(nameMatch[2]);
      // "SG9Physics": a high school course, named by its course rather than its grade.
      const course = courseOf(nameMatch[3] ?? "");

      const org = resolveOrg(
        layout,
        context,
        (problem) => problems.add(problem, { sheet: sheet.name, row: 1, value: layout.orgHeader }),
        (warning) => warnings.push(`${file.name}: sheet ${sheet.name}: ${warning}`),
      );
      const sheetRows = readItems(sheet, layout, problems);
      if (!org) continue;

      // A sheet that repeats another is a slip in the export (2022: EG5 = EG8, rows reordered).
      const signature = JSON.stringify(
        sheetRows
          .map((r) => [r.item, r.pct_possible_org, r.pct_possible_state, r.max_points])
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
      );
      const twin = signatures.get(signature);
      const linked = linkedGrade(sheet, layout.columns.item);
      if (twin !== undefined) {
        if (linked !== undefined && linked !== grade) {
          warnings.push(
            `${file.name}: sheet ${sheet.name} repeats sheet ${twin} item for item and its item ` +
              `links point to grade ${linked} items; skipped, so grade ${grade} shows no items`,
          );
          continue;
        }
        warnings.push(`${file.name}: sheet ${sheet.name} repeats sheet ${twin} item for item`);
      } else {
        signatures.set(signature, sheet.name);
        if (linked !== undefined && linked !== grade) {
          warnings.push(
            `${file.name}: sheet ${sheet.name} is named grade ${grade} but its item links point ` +
              `to grade ${linked} items`,
          );
        }
      }

      for (const row of sheetRows) {
        rows.item_results.push({
          ...row,
          year,
          org_code: org.code,
          org_type: org.type,
          grade: course ? "HS" : gradeCode(grade),
          subject,
          test: testId(subject, gradeCode(grade), course),
          source_test: sheet.name.trim(),
          source_file: file.name,
        });
      }
    }
    problems.throwIfAny();
    if (rows.item_results.length === 0) {
      problems.add("no item analysis sheet with items was found in the workbook");
      problems.throwIfAny();
    }
    return { rows, records: rows.item_results.length, years: [year], yearOrigin: origin, warnings };
  },
};

function resolveOrg(
  layout: SheetLayout,
  context: ParseContext,
  report: (problem: string) => void,
  warn: (warning: string) => void,
): { code: string; type: "school" | "district" } | undefined {
  // The difference column's header ("DISTRICT-STATE DIFFERENCE") and a "(DISTRICT)" suffix on
  // the organisation's name say which kind of organisation the sheet is about.
  const namesDistrict =
    /^DISTRICT/.test(layout.diffHeader) || /\(DISTRICT\)\s*$/i.test(layout.orgHeader);
  const namesSchool = !namesDistrict && /^SCHOOL/.test(layout.diffHeader);
  const hint = namesDistrict ? "district" : namesSchool ? "school" : undefined;
  const resolution = context.orgs.resolve(layout.orgHeader, hint);
  if (resolution.ok && resolution.org.org_type !== "state") {
    return { code: resolution.org.org_code, type: resolution.org.org_type };
  }

  const how =
    "name it with --org <8-digit code> (a district's code is the first four digits of its " +
    "schools' codes followed by 0000)";
  if (context.org) {
    // --org names what the header does not: it must at least be the kind the header says.
    const isDistrictCode = context.org === districtCodeOf(context.org);
    if (namesDistrict && !isDistrictCode) {
      report(
        `the header names a district, but --org ${context.org} is a school's code; its ` +
          `district's code would be ${districtCodeOf(context.org)}`,
      );
      return undefined;
    }
    if (namesSchool && isDistrictCode) {
      report(`the header names a school, but --org ${context.org} is a district's code`);
      return undefined;
    }
    const known: KnownOrg | undefined = context.orgs.get(context.org);
    warn(
      `"${layout.orgHeader}" taken to be ${context.org} ` +
        (known?.org_name
          ? `(${known.org_name}), as --org says`
          : "as --org says; no loaded file names it"),
    );
    return { code: context.org, type: isDistrictCode ? "district" : "school" };
  }
  if (!resolution.ok && resolution.reason === "ambiguous") {
    const codes = resolution.candidates.map((org) => `${org.org_code} ${org.org_name}`).join("; ");
    report(`the organisation in the header matches several: ${codes}; ${how}`);
  } else if (context.orgs.size === 0) {
    report(
      "cannot tell which organisation this is, because no school or district is known yet: " +
        `load the state's profile files for that year first (same run or earlier), or ${how}`,
    );
  } else {
    report(`no known school or district has the name in this header; ${how}`);
  }
  return undefined;
}

type SheetItem = Omit<
  ItemRow,
  "year" | "org_code" | "org_type" | "grade" | "subject" | "test" | "source_test"
>;

function readItems(sheet: Worksheet, layout: SheetLayout, problems: ProblemList): SheetItem[] {
  const { columns } = layout;
  const items: SheetItem[] = [];
  const seen = new Map<string, number>();
  let ended = false;

  // Only the rows that hold values: a sheet whose dimension claims a million rows (formatting
  // carried down a column) costs no more than its real rows.
  const rows: Row[] = [];
  sheet.eachRow((row, number) => {
    if (number > 1) rows.push(row);
  });
  let previous = 1;
  for (const row of rows) {
    const number = row.number;
    const cell = (column: number): CellValue | undefined => row.getCell(column).value;
    const item = cellText(cell(columns.item)).trim();
    const typeText = cellText(cell(columns.type)).trim();
    const pointsCell = cell(columns.points);
    // A blank row (skipped rows, or a row of empty cells) after items ends them.
    if (number > previous + 1 && items.length > 0) ended = true;
    previous = number;
    const isEmpty = item === "" && typeText === "" && pointsCell == null;
    if (isEmpty) {
      ended = items.length > 0;
      continue;
    }
    // After the items come blank rows and the legend link; nothing else is expected.
    if (ended || /^view the/i.test(item)) {
      if (!/^view the/i.test(item)) {
        problems.add("expected only the legend after the blank row that ends the items", {
          sheet: sheet.name,
          row: number,
          value: item,
        });
      }
      break;
    }

    const where = (column: Column) => ({
      sheet: sheet.name,
      row: number,
      column: headerOf(sheet, columns[column]) || column,
      value: cellText(cell(columns[column])),
    });
    if (item === "") problems.add("expected an item number or essay trait id", where("item"));
    const earlier = seen.get(item);
    if (earlier !== undefined)
      problems.add(`repeats item ${item} of row ${earlier}`, where("item"));
    seen.set(item, number);

    const points = cellNumber(pointsCell);
    if (points === undefined || points === null || points <= 0) {
      problems.add("expected the item's possible points, a positive number", where("points"));
    }
    const fraction = (column: number, label: Column | "org") => {
      const value = cellNumber(cell(column));
      if (value === null) return null;
      if (value === undefined || value < 0 || value > 1) {
        problems.add(
          "expected a fraction of possible points from 0 to 1",
          label === "org"
            ? {
                sheet: sheet.name,
                row: number,
                column: layout.orgHeader,
                value: cellText(cell(column)),
              }
            : where(label),
        );
        return null;
      }
      // Stored as 0 to 100; rounding drops binary noise such as 0.58 * 100 = 57.99999999999999.
      return Math.round(value * 100 * 1e6) / 1e6;
    };
    const pctOrg = fraction(layout.orgColumn, "org");
    const pctState = fraction(columns.state, "state");
    let diff: number | null = null;
    if (columns.diff !== undefined) {
      const value = cellNumber(cell(columns.diff));
      if (value === undefined || (value !== null && Math.abs(value) > 100)) {
        problems.add("expected a difference in points from -100 to 100", where("diff"));
      } else diff = value;
    }

    const category = cellText(cell(columns.category)).trim();
    const standards = cellText(cell(columns.standard))
      .split(/\s+/)
      .filter((code) => code !== "" && code !== "-");
    const trait = ESSAY_TRAIT.exec(item);
    const isWholeEssay =
      !trait && typeText.toUpperCase() === "ES" && (category === "-" || category === "");
    items.push({
      student_group: "all",
      item,
      item_role: trait ? "essay_trait" : isWholeEssay ? "essay" : "item",
      essay: trait ? trait[2]! : isWholeEssay ? item : null,
      item_type: typeText || null,
      reporting_category: category === "" || category === "-" ? null : category,
      standards,
      description: cellText(cell(columns.description)).trim() || null,
      max_points: typeof points === "number" ? points : null,
      n_tested: null,
      pct_possible_org: pctOrg,
      pct_possible_state: pctState,
      diff_published: diff,
      source_file: "",
      source_row: number,
      withheld: [],
      basis: "published",
    });
  }
  return items;
}
