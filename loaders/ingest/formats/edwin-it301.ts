import type { Worksheet } from "exceljs";
import { cellNumber, cellText } from "../cells.ts";
import { ProblemList } from "../errors.ts";
import { studentGroupOf } from "../groups.ts";
import { districtCodeOf, normalizeName } from "../text.ts";
import { courseOf, testId } from "../tests.ts";
import { gradeCode } from "../years.ts";
import { percentOfCell, statedYear } from "./statewide-items.ts";
import { detectWorkbook } from "./detect.ts";
import type { FileFormat, ItemRow, ParseContext, ParsedFile } from "./types.ts";
import { emptyRows } from "./types.ts";

/**
 * Edwin's IT301 report "MCAS District and School Test Item Analysis Summary", exported to .xlsx
 * as laid out on screen: banner rows naming the test, the student group and the organisation,
 * merged cells (each label and value repeated across its merge), spacer columns, then one row per
 * item with its type, reporting category, standard, description, standard of practice, possible
 * points, and the organisation's and the state's fraction of possible points, and a footer (a
 * Total row, notes and links). The standard of practice has no column in the warehouse and is
 * not kept: it is a second classification, not part of the item's description.
 */

type Column =
  | "item"
  | "type"
  | "category"
  | "standard"
  | "description"
  | "points"
  | "school"
  | "district"
  | "state"
  | "diff";

const HEADERS: Record<Column, (header: string) => boolean> = {
  item: (h) => h === "item no" || h === "item number",
  type: (h) => h === "item type",
  category: (h) => h === "reporting category",
  standard: (h) => h === "standard" || h === "standards",
  description: (h) => h === "item description",
  points: (h) => h === "possible points",
  school: (h) => h === "school",
  district: (h) => h === "district",
  state: (h) => h === "state",
  diff: (h) => /^(school|district) state diff$/.test(h),
};

interface Layout {
  headerRow: number;
  columns: Partial<Record<Column, number>>;
  banner: string[];
}

/** The header row (the one with "Item No.") and, above it, the banner's lines. */
function readLayout(sheet: Worksheet): Layout | undefined {
  for (let headerRow = 1; headerRow <= Math.min(40, sheet.rowCount); headerRow++) {
    const columns: Partial<Record<Column, number>> = {};
    sheet.getRow(headerRow).eachCell((cell, column) => {
      const header = normalizeName(cellText(cell.value));
      for (const [name, matches] of Object.entries(HEADERS) as [Column, typeof HEADERS.item][]) {
        // Merged headers repeat over their cells: the first is the one the values sit under.
        if (columns[name] === undefined && matches(header)) columns[name] = column;
      }
    });
    const hasOrg = columns.school !== undefined || columns.district !== undefined;
    if (columns.item === undefined || columns.points === undefined || !hasOrg) continue;
    if (columns.state === undefined) continue;

    const banner: string[] = [];
    for (let row = 1; row < headerRow; row++) {
      sheet.getRow(row).eachCell((cell) => {
        for (const line of cellText(cell.value).split(/\r?\n/)) {
          const text = line.trim().replace(/\s+/g, " ");
          if (text !== "" && !banner.includes(text)) banner.push(text);
        }
      });
    }
    return { headerRow, columns, banner };
  }
  return undefined;
}

interface Banner {
  year?: number;
  test?: string;
  district?: { name: string; code?: string };
  school?: { name: string; code?: string };
  group?: string;
  tested?: number;
}

/** What the banner says: "Spring 2022 MCAS HS Introductory Physics", "District: X (04830000)". */
function readBanner(lines: string[]): Banner {
  const banner: Banner = {};
  for (const line of lines) {
    const test = /^(?:spring|summer|fall|winter)?\s*((?:19|20)\d\d) MCAS (.+)$/i.exec(line);
    const org = /^(district|school): (.+?)(?: \((\d{8})\))?$/i.exec(line);
    const tested = /^([^:]+): ([\d,]+)\b/.exec(line);
    if (test && banner.test === undefined) {
      banner.year = Number(test[1]);
      banner.test = test[2]!;
    } else if (org) {
      const named = { name: org[2]!, ...(org[3] ? { code: org[3] } : {}) };
      // "School: All Schools" is a district's report.
      if (org[1]!.toLowerCase() === "district") banner.district = named;
      else if (!/^all schools$/i.test(named.name)) banner.school = named;
    } else if (tested && studentGroupOf(tested[1]!)) {
      banner.group = studentGroupOf(tested[1]!);
      banner.tested = Number(tested[2]!.replaceAll(",", ""));
    } else if (!banner.group && studentGroupOf(line)) {
      banner.group = studentGroupOf(line);
    }
  }
  return banner;
}

/** The test the banner names: "HS Introductory Physics HS (09,10)", "Grade 05 Mathematics". */
function testOf(text: string): { subject: string; grade: string; course?: string } | undefined {
  const words = normalizeName(text.replaceAll("/", "")).split(" ");
  const course = words.map(courseOf).find((found) => found !== undefined);
  if (course) return { subject: "SCI", grade: "HS", course };
  const grade = /\b(?:grade|gr)\.? ?0?(\d{1,2})\b/i.exec(text);
  const lower = ` ${words.join(" ")} `;
  const subject = / (english language arts|ela) /.test(lower)
    ? "ELA"
    : / (mathematics|math) /.test(lower)
      ? "MATH"
      : / science /.test(lower)
        ? "SCI"
        : undefined;
  if (!grade || !subject) return undefined;
  return { subject, grade: gradeCode(Number(grade[1])) };
}

export const edwinIt301: FileFormat = {
  id: "edwin-it301",
  description:
    "Edwin IT301 MCAS District and School Test Item Analysis Summary (.xlsx): a banner naming " +
    "the test and organisation, then Item No., Item Type, ..., Possible Points, District, **State",
  order: 20,

  detect: detectWorkbook(readLayout),

  async parse(file, context): Promise<ParsedFile> {
    const problems = new ProblemList(file.name);
    const warnings: string[] = [];
    const workbook = await file.workbook();
    const rows = emptyRows();
    const years = new Set<number>();
    let yearOrigin: ParsedFile["yearOrigin"] = "column";
    let records = 0;

    for (const sheet of workbook.worksheets) {
      const layout = readLayout(sheet);
      if (!layout) {
        warnings.push(`${file.name}: sheet ${sheet.name.trim()} is not an IT301 report; ignored`);
        continue;
      }
      const banner = readBanner(layout.banner);
      const report = (problem: string) => problems.add(problem, { sheet: sheet.name.trim() });

      const chosen = statedYear(banner.year, "report banner", file.name, context.year);
      if (!chosen) {
        report(
          "the banner names no year and the file name holds none: pass --year <yyyy> or put " +
            "the year in the file name",
        );
      } else {
        if (chosen.warning) warnings.push(chosen.warning);
        context.log.info(`${file.name}: year ${chosen.year}, from ${chosen.from}`);
        years.add(chosen.year);
        yearOrigin = chosen.origin;
      }
      const test = banner.test === undefined ? undefined : testOf(banner.test);
      if (!test) {
        report(
          `the banner does not say which test this is (found ${JSON.stringify(banner.test ?? "")}; ` +
            'expected a line such as "Spring 2022 MCAS Grade 05 Mathematics")',
        );
      }

      const orgs: { column: number; org: { code: string; type: "school" | "district" } }[] = [];
      for (const type of ["school", "district"] as const) {
        const column = layout.columns[type];
        if (column === undefined) continue;
        const org = resolveOrg(type, banner[type], context, report, (warning) =>
          warnings.push(`${file.name}: sheet ${sheet.name.trim()}: ${warning}`),
        );
        if (org) orgs.push({ column, org });
      }
      const items = readItems(sheet, layout, problems);
      records += items.length;
      if (!chosen || !test || orgs.length === 0) continue;
      // The banner's count ("All Students: 68") is the count of the report's one organisation.
      const tested = orgs.length === 1 ? (banner.tested ?? null) : null;

      // "District-State Diff." belongs to the district's column only.
      const diff = layout.columns.diff;
      const diffHeader =
        diff === undefined
          ? ""
          : normalizeName(cellText(sheet.getRow(layout.headerRow).getCell(diff).value));
      for (const { column, org } of orgs) {
        const ownDiff = diffHeader.startsWith(org.type);
        for (const item of items) {
          const value = item.values.get(column)!;
          rows.item_results.push({
            ...item.row,
            year: chosen.year,
            org_code: org.code,
            org_type: org.type,
            grade: test.grade,
            subject: test.subject,
            test: testId(test.subject, test.grade, test.course),
            student_group: banner.group ?? "all",
            n_tested: tested,
            pct_possible_org: value.ok ? value.value : null,
            diff_published: ownDiff ? item.diff : null,
            source_file: file.name,
            withheld: [...item.row.withheld, ...(value.ok && value.withheld ? [org.type] : [])],
            source_test: banner.test!,
          });
        }
      }
    }
    problems.throwIfAny();
    if (rows.item_results.length === 0) {
      problems.add("no IT301 report with items was found in the workbook");
      problems.throwIfAny();
    }
    return { rows, records, years: [...years].sort(), yearOrigin, warnings };
  },
};

/**
 * The organisation of a value column: the code the banner gives, else its name looked up among
 * the known schools and districts, else --org, which must be of the kind the column is.
 */
function resolveOrg(
  type: "school" | "district",
  named: { name: string; code?: string } | undefined,
  context: ParseContext,
  report: (problem: string) => void,
  warn: (warning: string) => void,
): { code: string; type: "school" | "district" } | undefined {
  if (named?.code) {
    if (context.org && context.org !== named.code) {
      warn(`--org ${context.org} not used: the banner names ${type} ${named.code}`);
    }
    return { code: named.code, type };
  }
  if (named) {
    const resolution = context.orgs.resolve(named.name, type);
    if (resolution.ok && resolution.org.org_type === type) {
      return { code: resolution.org.org_code, type };
    }
  }

  const how = `name it with --org <8-digit code of the ${type}>`;
  if (context.org) {
    const isDistrictCode = context.org === districtCodeOf(context.org);
    if (isDistrictCode !== (type === "district")) {
      report(
        `the report's ${type} is not named in a way pim can resolve, and --org ${context.org} is ` +
          `a ${isDistrictCode ? "district" : "school"}'s code`,
      );
      return undefined;
    }
    const known = context.orgs.get(context.org);
    warn(
      `"${named?.name ?? type}" taken to be ${context.org} ` +
        (known?.org_name
          ? `(${known.org_name}), as --org says`
          : "as --org says; no loaded file names it"),
    );
    return { code: context.org, type };
  }
  if (!named) {
    report(`the banner does not name the ${type} whose column the report has; ${how}`);
  } else if (context.orgs.size === 0) {
    report(
      `cannot tell which ${type} "${named.name}" is, because no school or district is known ` +
        `yet: load the state's profile files for that year first (same run or earlier), or ${how}`,
    );
  } else {
    report(`no known ${type} is named "${named.name}"; ${how}`);
  }
  return undefined;
}

interface ReportItem {
  row: Omit<
    ItemRow,
    | "year"
    | "org_code"
    | "org_type"
    | "grade"
    | "subject"
    | "test"
    | "student_group"
    | "n_tested"
    | "pct_possible_org"
    | "diff_published"
    | "source_test"
  >;
  values: Map<number, ReturnType<typeof percentOfCell>>;
  diff: number | null;
}

function readItems(sheet: Worksheet, layout: Layout, problems: ProblemList): ReportItem[] {
  const { columns, headerRow } = layout;
  const items: ReportItem[] = [];
  const seen = new Map<string, number>();
  const header = (column: number) => cellText(sheet.getRow(headerRow).getCell(column).value).trim();
  let ended = false;

  for (let number = headerRow + 1; number <= sheet.rowCount; number++) {
    const row = sheet.getRow(number);
    const cell = (column: number | undefined) =>
      column === undefined ? undefined : row.getCell(column).value;
    const text = (column: number | undefined) => cellText(cell(column)).trim();
    const item = text(columns.item);
    const points = cellNumber(cell(columns.points));

    // The items end at the Total row or a blank row; notes and links may follow.
    if (ended || /^total/i.test(item) || (item === "" && points === null)) {
      ended = ended || items.length > 0 || /^total/i.test(item);
      if (ended && /^\d+$/.test(item) && typeof points === "number") {
        problems.add("expected only the total, notes and links after the items", {
          sheet: sheet.name.trim(),
          row: number,
          column: header(columns.item!),
          value: item,
        });
      }
      continue;
    }

    const where = (column: Column) => ({
      sheet: sheet.name.trim(),
      row: number,
      column: header(columns[column]!),
      value: text(columns[column]),
    });
    if (item === "") problems.add("expected an item number", where("item"));
    const earlier = seen.get(item);
    if (earlier !== undefined)
      problems.add(`repeats item ${item} of row ${earlier}`, where("item"));
    seen.set(item, number);
    if (typeof points !== "number" || points <= 0) {
      problems.add("expected the item's possible points, a positive number", where("points"));
    }

    const values = new Map<number, ReturnType<typeof percentOfCell>>();
    const withheld: string[] = [];
    for (const name of ["school", "district", "state"] as const) {
      const column = columns[name];
      if (column === undefined) continue;
      const value = percentOfCell(cell(column), 1);
      if (!value.ok) problems.add(`expected ${value.expected}`, where(name));
      if (name === "state" && value.ok && value.withheld) withheld.push("state");
      values.set(column, value);
    }
    let diff: number | null = null;
    if (columns.diff !== undefined) {
      const value = cellNumber(cell(columns.diff));
      if (value === undefined || (value !== null && Math.abs(value) > 100)) {
        problems.add("expected a difference in points from -100 to 100", where("diff"));
      } else diff = value;
    }
    const state = values.get(columns.state!)!;
    const category = text(columns.category);
    items.push({
      row: {
        item,
        item_role: "item",
        essay: null,
        item_type: text(columns.type) || null,
        reporting_category: category === "" || category === "-" ? null : category,
        standards: text(columns.standard)
          .split(/[\s,;]+/)
          .filter((code) => code !== "" && code !== "-"),
        description: text(columns.description) || null,
        max_points: typeof points === "number" ? points : null,
        pct_possible_state: state.ok ? state.value : null,
        source_file: "",
        source_row: number,
        withheld,
        basis: "published",
      },
      values,
      diff,
    });
  }
  return items;
}
