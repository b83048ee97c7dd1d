import type { CellValue, Worksheet } from "exceljs";
import { cellNumber, cellText } from "../cells.ts";
import { ProblemList } from "../errors.ts";
import type { Parsed } from "../text.ts";
import { STATE_CODE, markerOf, normalizeName, parseCount, parseOrgCode } from "../text.ts";
import { courseOf, testId } from "../tests.ts";
import { chooseYear, yearFromFileName } from "../years.ts";
import { detectWorkbook } from "./detect.ts";
import type { FileFormat, ItemRow, ParsedFile } from "./types.ts";
import { emptyRows } from "./types.ts";

/**
 * DESE's statewide "Next Generation MCAS Test Item Analysis" reports (2022_Physics_NextGenMCASItem
 * .xlsx and its district sibling): a title row, then one row per school or district, with its
 * subject code, number tested and one column per item holding its percent of possible points
 * (0 to 100). The district report ends with a State row (code 00000000); the school report has
 * none. Standards, categories and points are not in the report.
 */

/**
 * DESE's numeric subject codes. Only 36 is known, from the 2022 physics reports, whose file names
 * say physics; the title does not name the subject.
 */
const SUBJECT_CODES: Readonly<Record<string, { subject: string; course: string }>> = {
  "36": { subject: "SCI", course: "physics" },
};

/**
 * A percent of possible points in a workbook cell, on the scale its format declares (100 for
 * percents, 1 for fractions), returned on 0 to 100. Blank and suppressed cells are null, never 0.
 */
export function percentOfCell(value: CellValue | undefined, scale: 1 | 100): Parsed<number | null> {
  const marker = markerOf(cellText(value));
  if (marker === "missing") return { ok: true, value: null };
  if (marker === "suppressed") return { ok: true, value: null, withheld: true };
  const number = cellNumber(value);
  if (typeof number !== "number" || number < 0 || number > scale) {
    return {
      ok: false,
      expected:
        scale === 1
          ? "a fraction of possible points from 0 to 1"
          : "a percent of possible points from 0 to 100",
    };
  }
  // Rounding drops binary noise such as 0.58 * 100 = 57.99999999999999.
  return { ok: true, value: Math.round(number * (100 / scale) * 1e6) / 1e6 };
}

/**
 * The year a file states in its content (a title, a banner, a column), else the one chooseYear
 * takes from --year or the file name. What the file states wins; --year disagreeing is a warning.
 */
export function statedYear(
  stated: number | undefined,
  where: "title row" | "report banner",
  name: string,
  option: number | undefined,
): { year: number; origin: ParsedFile["yearOrigin"]; from: string; warning?: string } | undefined {
  if (stated !== undefined) {
    const warning =
      option !== undefined && option !== stated
        ? `${name}: --year ${option} not used: the ${where} says ${stated}`
        : undefined;
    return {
      year: stated,
      origin: where,
      from: `the ${where}`,
      ...(warning ? { warning } : {}),
    };
  }
  const chosen = chooseYear(name, option);
  if (!chosen) return undefined;
  return {
    year: chosen.year,
    origin: chosen.origin,
    from: chosen.origin === "--year" ? "--year" : "the file name",
    ...(chosen.warning ? { warning: chosen.warning } : {}),
  };
}

interface ReportLayout {
  headerRow: number;
  orgType: "school" | "district";
  name: number;
  code: number;
  subject: number;
  tested: number;
  items: { column: number; item: string }[];
  ignored: string[];
}

const KNOWN_OTHER_HEADERS = new Set(["part rate"]);

function textOf(sheet: Worksheet, row: number, column: number): string {
  return cellText(sheet.getRow(row).getCell(column).value).trim().replace(/\s+/g, " ");
}

/** Finds the header of a statewide item report in its first rows (the title row may be absent). */
function readLayout(sheet: Worksheet): ReportLayout | undefined {
  for (let headerRow = 1; headerRow <= Math.min(3, sheet.rowCount); headerRow++) {
    const width = Math.max(sheet.columnCount, sheet.getRow(headerRow).cellCount);
    const found: Partial<Omit<ReportLayout, "items" | "ignored" | "headerRow">> = {};
    const items: ReportLayout["items"] = [];
    const ignored: string[] = [];
    for (let column = 1; column <= width; column++) {
      const header = textOf(sheet, headerRow, column);
      const key = normalizeName(header);
      const org = /^(school|district) (name|code)$/.exec(key);
      if (org) {
        found.orgType = org[1] as "school" | "district";
        found[org[2] as "name" | "code"] = column;
      } else if (key === "subject") found.subject = column;
      else if (key === "tested") found.tested = column;
      else if (/^\d+$/.test(header)) items.push({ column, item: String(Number(header)) });
      else if (header !== "" && !KNOWN_OTHER_HEADERS.has(key)) ignored.push(header);
    }
    const { orgType, name, code, subject, tested } = found;
    if (orgType && name && code && subject && tested && items.length > 0) {
      return { headerRow, orgType, name, code, subject, tested, items, ignored };
    }
  }
  return undefined;
}

/** The test of a subject code, else of a course the file name names; undefined if neither. */
function testOfCode(
  code: string,
  fileName: string,
): { subject: string; course: string; fromName: boolean } | undefined {
  const known = SUBJECT_CODES[code];
  if (known) return { ...known, fromName: false };
  const course = normalizeName(fileName)
    .split(" ")
    .map(courseOf)
    .find((found) => found !== undefined);
  return course ? { subject: "SCI", course, fromName: true } : undefined;
}

interface OrgLine {
  row: number;
  code: string;
  subjectCode: string;
  tested: number | null;
  values: Map<string, Parsed<number | null>>;
}

export const statewideItemReport: FileFormat = {
  id: "statewide-item-report",
  description:
    "DESE statewide Next Generation MCAS Test Item Analysis (.xlsx): one row per school or " +
    "district (School Code, Subject, Tested) and one column per item of percent of possible points",
  order: 20,

  detect: detectWorkbook(readLayout),

  async parse(file, context): Promise<ParsedFile> {
    const problems = new ProblemList(file.name);
    const warnings: string[] = [];
    const workbook = await file.workbook();
    const rows = emptyRows();
    const years = new Set<number>();
    let yearOrigin: ParsedFile["yearOrigin"] = "file name";
    let records = 0;

    for (const sheet of workbook.worksheets) {
      const layout = readLayout(sheet);
      if (!layout) {
        warnings.push(`${file.name}: sheet ${sheet.name.trim()} is not an item report; ignored`);
        continue;
      }
      if (layout.ignored.length > 0) {
        const names = layout.ignored.map((name) => `"${name}"`).join(", ");
        warnings.push(`${file.name}: sheet ${sheet.name.trim()}: ignored column(s) ${names}`);
      }

      // The title row ("2022 Next Generation MCAS Test Item Analysis") is the only place the
      // report states its year; a report saved without it falls back on the file name.
      let title = "";
      for (let row = 1; row < layout.headerRow; row++) {
        sheet.getRow(row).eachCell((cell) => (title += ` ${cellText(cell.value)}`));
      }
      const chosen = statedYear(yearFromFileName(title), "title row", file.name, context.year);
      if (!chosen) {
        problems.add(
          "the report has no title row with its year and the file name holds none: pass " +
            "--year <yyyy> or put the year in the file name",
          { sheet: sheet.name.trim() },
        );
        continue;
      }
      if (chosen.warning) warnings.push(chosen.warning);
      context.log.info(
        `${file.name}: sheet ${sheet.name.trim()}: year ${chosen.year}, from ${chosen.from}`,
      );
      years.add(chosen.year);
      yearOrigin = chosen.origin;

      const lines = readLines(sheet, layout, problems);
      records += lines.length;
      const states = new Map<string, OrgLine>();
      const seen = new Map<string, number>();
      for (const line of lines) {
        if (line.code === STATE_CODE) states.set(line.subjectCode, line);
        const key = `${line.code} ${line.subjectCode}`;
        const earlier = seen.get(key);
        if (earlier !== undefined) {
          problems.add(`repeats the organisation and subject of row ${earlier}`, {
            sheet: sheet.name.trim(),
            row: line.row,
            value: line.code,
          });
        }
        seen.set(key, line.row);
      }

      const unnamed = new Set<string>();
      for (const line of lines) {
        if (line.code === STATE_CODE) continue;
        const test = testOfCode(line.subjectCode, file.name);
        if (!test) {
          problems.add(
            `subject code ${line.subjectCode} is not one pim knows (36 is high school ` +
              "introductory physics), and the file name names no high school science course",
            { sheet: sheet.name.trim(), row: line.row, column: "Subject", value: line.subjectCode },
          );
          continue;
        }
        if (test.fromName) unnamed.add(line.subjectCode);
        const state = states.get(line.subjectCode);
        for (const { item } of layout.items) {
          const own = line.values.get(item)!;
          const stateValue = state?.values.get(item);
          const withheld = [
            ...(own.ok && own.withheld ? [item] : []),
            ...(stateValue?.ok && stateValue.withheld ? [`State ${item}`] : []),
          ];
          rows.item_results.push({
            year: chosen.year,
            org_code: line.code,
            org_type: layout.orgType,
            grade: "HS",
            subject: test.subject,
            test: testId(test.subject, "HS", test.course),
            student_group: "all",
            item,
            item_role: "item",
            essay: null,
            item_type: null,
            reporting_category: null,
            standards: [],
            description: null,
            max_points: null,
            n_tested: line.tested,
            pct_possible_org: own.ok ? own.value : null,
            pct_possible_state: stateValue?.ok ? stateValue.value : null,
            diff_published: null,
            source_file: file.name,
            source_row: line.row,
            withheld,
            source_test: line.subjectCode,
            basis: "published",
          } satisfies ItemRow);
        }
      }
      for (const code of unnamed) {
        warnings.push(
          `${file.name}: sheet ${sheet.name.trim()}: subject code ${code} is not one pim knows; ` +
            "the test was taken from the course in the file name",
        );
      }
    }
    problems.throwIfAny();
    if (rows.item_results.length === 0) {
      problems.add("no school or district rows with items were found in the report");
      problems.throwIfAny();
    }
    return { rows, records, years: [...years].sort(), yearOrigin, warnings };
  },
};

/** The organisation rows of a report, every cell checked; problems are collected, not thrown. */
function readLines(sheet: Worksheet, layout: ReportLayout, problems: ProblemList): OrgLine[] {
  const lines: OrgLine[] = [];
  for (let number = layout.headerRow + 1; number <= sheet.rowCount; number++) {
    const row = sheet.getRow(number);
    if (!row.hasValues) continue;
    const cell = (column: number) => row.getCell(column).value;
    const where = (column: number) => ({
      sheet: sheet.name.trim(),
      row: number,
      column: textOf(sheet, layout.headerRow, column),
      value: cellText(cell(column)),
    });

    const code = parseOrgCode(cellText(cell(layout.code)));
    if (!code.ok) problems.add(`expected ${code.expected}`, where(layout.code));
    const subjectCode = cellText(cell(layout.subject)).trim();
    if (subjectCode === "") problems.add("expected the subject code", where(layout.subject));
    const tested = parseCount(cellText(cell(layout.tested)));
    if (!tested.ok) problems.add(`expected ${tested.expected}`, where(layout.tested));

    const values = new Map<string, Parsed<number | null>>();
    for (const { column, item } of layout.items) {
      const value = percentOfCell(cell(column), 100);
      if (!value.ok) problems.add(`expected ${value.expected}`, where(column));
      values.set(item, value);
    }
    if (!code.ok) continue;
    lines.push({
      row: number,
      code: code.value,
      subjectCode,
      tested: tested.ok ? tested.value : null,
      values,
    });
  }
  return lines;
}
