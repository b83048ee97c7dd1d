import type { Worksheet } from "exceljs";
import { cellNumber, cellText } from "../cells.ts";
import { ProblemList } from "../errors.ts";
import type { Parsed } from "../text.ts";
import { districtCodeOf, normalizeName } from "../text.ts";
import { testId } from "../tests.ts";
import { chooseYear, gradeCode } from "../years.ts";
import { percentOfCell } from "./statewide-items.ts";
import { detectWorkbook } from "./detect.ts";
import type { FileFormat, ItemRow, ParseContext, ParsedFile } from "./types.ts";
import { emptyRows } from "./types.ts";

/**
 * DESE's item analysis template (MCAS_2023_Math_Gr_3_8_10_Item_Analysis_Template_V2.xlsx), filled
 * in by a school from its early-release CSV: one sheet per grade ("Grade 5" .. "Grade 10"), a
 * banner cell above the header, then per item its number, reporting category (a full name),
 * standard, type, max points, and the school's, district's and state's average points and
 * percent possible (0 to 1, formulas whose cached results are read). The template names no
 * organisation: --org names the school, else the school is the one whose student rows, loaded
 * earlier in the run, give the template's School Average Points.
 */

type Column =
  | "item"
  | "category"
  | "standard"
  | "type"
  | "description"
  | "points"
  | "schoolAverage"
  | "schoolPct"
  | "districtPct"
  | "statePct"
  | "diff";

const HEADERS: Record<Column, (header: string) => boolean> = {
  item: (h) => h === "item number",
  category: (h) => h === "reporting category",
  standard: (h) => h.endsWith("curriculum framework") || h === "standard",
  type: (h) => h === "item type",
  description: (h) => h === "item description",
  points: (h) => h === "max points",
  schoolAverage: (h) => h === "school average points",
  schoolPct: (h) => h === "school percent possible",
  districtPct: (h) => h === "district percent possible",
  statePct: (h) => h === "state percent possible",
  diff: (h) => h === "school state diff",
};
const REQUIRED: Column[] = ["item", "category", "standard", "type", "points", "schoolPct"];

/** Reporting categories of 2023 (the template's own "Reporting Categories2023" sheet). */
const CATEGORIES: Readonly<Record<string, readonly string[]>> = {
  MATH: [
    "Operations and Algebraic Thinking",
    "Number and Operations in Base Ten",
    "Number and Operations-Fractions",
    "Measurement and Data",
    "Geometry",
    "Ratios and Proportional Relationships",
    "The Number System",
    "Expressions and Equations",
    "Statistics and Probability",
    "The Number System and Expressions and Equations",
    "Functions",
    "Number and Quantity",
    "Algebra and Functions",
  ],
  ELA: ["Reading", "Language", "Writing"],
  SCI: ["Earth and Space Science", "Life Science", "Physical Sciences", "Technology/Engineering"],
};
const NAME_SUBJECTS: Readonly<Record<string, string>> = {
  math: "MATH",
  mathematics: "MATH",
  ela: "ELA",
  science: "SCI",
  ste: "SCI",
};

/** Two averages are the same when they differ by less than the template's rounding. */
const SAME_AVERAGE = 0.005;
/** Items two sources must share before equal averages are taken to identify a school. */
const MIN_SHARED_ITEMS = 5;

interface Layout {
  headerRow: number;
  columns: Partial<Record<Column, number>>;
}

function readLayout(sheet: Worksheet): Layout | undefined {
  for (let headerRow = 1; headerRow <= Math.min(5, sheet.rowCount); headerRow++) {
    const columns: Partial<Record<Column, number>> = {};
    sheet.getRow(headerRow).eachCell((cell, column) => {
      const header = normalizeName(cellText(cell.value));
      for (const [name, matches] of Object.entries(HEADERS) as [Column, typeof HEADERS.item][]) {
        if (columns[name] === undefined && matches(header)) columns[name] = column;
      }
    });
    if (REQUIRED.every((column) => columns[column] !== undefined)) return { headerRow, columns };
  }
  return undefined;
}

interface TemplateItem {
  item: string;
  row: number;
  type: string | null;
  category: string | null;
  standards: string[];
  description: string | null;
  points: number | null;
  schoolAverage: number | null;
  school: Parsed<number | null>;
  district: Parsed<number | null> | undefined;
  state: Parsed<number | null>;
  diff: number | null;
}

interface TemplateSheet {
  name: string;
  grade: string;
  items: TemplateItem[];
}

export const itemAnalysisTemplate: FileFormat = {
  id: "item-analysis-template",
  description:
    "DESE item analysis template (.xlsx), one sheet per grade (Grade 5...) with Item Number, " +
    "Reporting Category, Max Points, School/District/State Average Points and Percent Possible",
  // After the student item files (order 30), whose rows identify the school when --org is absent.
  order: 40,

  detect: detectWorkbook(readLayout),

  async parse(file, context): Promise<ParsedFile> {
    const problems = new ProblemList(file.name);
    const warnings: string[] = [];
    const workbook = await file.workbook();

    const sheets: TemplateSheet[] = [];
    const ignored: string[] = [];
    for (const sheet of workbook.worksheets) {
      const layout = readLayout(sheet);
      if (!layout) {
        ignored.push(`"${sheet.name.trim()}"`);
        continue;
      }
      const grade = /^grade\s*(\d{1,2})$/i.exec(sheet.name.trim());
      if (!grade) {
        problems.add(
          'cannot tell the grade from the sheet name: expected "Grade 5" .. "Grade 10"',
          {
            sheet: sheet.name.trim(),
          },
        );
        continue;
      }
      sheets.push({
        name: sheet.name.trim(),
        grade: gradeCode(Number(grade[1])),
        items: readItems(sheet, layout, problems),
      });
    }
    if (ignored.length > 0) {
      warnings.push(`${file.name}: sheet(s) ${ignored.join(", ")} hold no items; ignored`);
    }

    const chosen = chooseYear(file.name, context.year);
    if (!chosen) {
      problems.add(
        "the template does not say its year and its name holds none: pass --year <yyyy> or put " +
          "the year in the file name",
      );
    }
    const subject = subjectOf(sheets, file.name);
    if (!subject) {
      problems.add(
        "cannot tell the subject: the reporting categories are not those of one subject and the " +
          'file name names none (put "math", "ela" or "science" in it)',
      );
    }
    problems.throwIfAny();
    const { year, origin } = chosen!;
    if (chosen!.warning) warnings.push(chosen!.warning);
    context.log.info(`${file.name}: year ${year}, from the ${origin}`);
    context.log.info(`${file.name}: subject ${subject!.subject}, from the ${subject!.from}`);

    const school = await schoolOf(file.name, context, year, subject!.subject, sheets, problems);
    problems.throwIfAny();
    if (school.warning) warnings.push(school.warning);
    context.log.info(`${file.name}: school ${school.code}, from ${school.from}`);

    const rows = emptyRows();
    for (const sheet of sheets) {
      const hasDistrict = sheet.items.some(
        (item) => item.district?.ok && item.district.value !== null,
      );
      for (const item of sheet.items) {
        const base: Omit<ItemRow, "org_code" | "org_type" | "pct_possible_org" | "diff_published"> =
          {
            year,
            grade: sheet.grade,
            subject: subject!.subject,
            test: testId(subject!.subject, sheet.grade),
            student_group: "all",
            item: item.item,
            item_role: "item",
            essay: null,
            item_type: item.type,
            reporting_category: item.category,
            standards: item.standards,
            description: item.description,
            max_points: item.points,
            n_tested: null,
            pct_possible_state: item.state.ok ? item.state.value : null,
            source_file: file.name,
            source_row: item.row,
            withheld: item.state.ok && item.state.withheld ? ["State Percent Possible"] : [],
            source_test: sheet.name.trim(),
            basis: "published",
          };
        const own = (value: Parsed<number | null>, label: string) => ({
          pct_possible_org: value.ok ? value.value : null,
          withheld: [...base.withheld, ...(value.ok && value.withheld ? [label] : [])],
        });
        rows.item_results.push({
          ...base,
          org_code: school.code,
          org_type: "school",
          diff_published: item.diff,
          ...own(item.school, "School Percent Possible"),
        });
        if (hasDistrict && item.district) {
          rows.item_results.push({
            ...base,
            org_code: districtCodeOf(school.code),
            org_type: "district",
            diff_published: null,
            ...own(item.district, "District Percent Possible"),
          });
        }
      }
    }
    if (rows.item_results.length === 0) {
      problems.add("no grade sheet with items was found in the template");
      problems.throwIfAny();
    }
    const records = sheets.reduce((sum, sheet) => sum + sheet.items.length, 0);
    return { rows, records, years: [year], yearOrigin: origin, warnings };
  },
};

function readItems(sheet: Worksheet, layout: Layout, problems: ProblemList): TemplateItem[] {
  const { columns, headerRow } = layout;
  const items: TemplateItem[] = [];
  const seen = new Map<string, number>();
  const header = (column: number) => cellText(sheet.getRow(headerRow).getCell(column).value).trim();

  for (let number = headerRow + 1; number <= sheet.rowCount; number++) {
    const row = sheet.getRow(number);
    const cell = (column: number | undefined) =>
      column === undefined ? undefined : row.getCell(column).value;
    const text = (column: number | undefined) => cellText(cell(column)).trim();
    const raw = text(columns.item);
    // The items end at the Total Points row (or a blank row); subtotals and links follow.
    if (/^total/i.test(raw) || (raw === "" && items.length > 0)) break;
    if (raw === "") continue;

    const where = (column: Column) => ({
      sheet: sheet.name.trim(),
      row: number,
      column: header(columns[column]!),
      value: text(columns[column]),
    });
    if (!/^\d+$/.test(raw)) problems.add("expected an item number", where("item"));
    const item = /^\d+$/.test(raw) ? String(Number(raw)) : raw;
    const earlier = seen.get(item);
    if (earlier !== undefined)
      problems.add(`repeats item ${item} of row ${earlier}`, where("item"));
    seen.set(item, number);

    const points = cellNumber(cell(columns.points));
    if (typeof points !== "number" || points <= 0) {
      problems.add("expected the item's possible points, a positive number", where("points"));
    }
    let schoolAverage: number | null = null;
    if (columns.schoolAverage !== undefined) {
      const value = cellNumber(cell(columns.schoolAverage));
      if (value === undefined || (value !== null && value < 0)) {
        problems.add("expected the school's average points, a number", where("schoolAverage"));
      } else schoolAverage = value;
    }
    const fraction = (column: Column) => {
      if (columns[column] === undefined) return undefined;
      const value = percentOfCell(cell(columns[column]), 1);
      if (!value.ok) problems.add(`expected ${value.expected}`, where(column));
      return value;
    };
    let diff: number | null = null;
    if (columns.diff !== undefined) {
      const value = cellNumber(cell(columns.diff));
      if (value === undefined || (value !== null && Math.abs(value) > 100)) {
        problems.add("expected a difference in points from -100 to 100", where("diff"));
      } else diff = value;
    }
    const category = text(columns.category);
    const standard = text(columns.standard);
    items.push({
      item,
      row: number,
      type: text(columns.type) || null,
      category: category === "" || category === "-" ? null : category,
      standards: standard === "" || standard === "-" ? [] : [standard],
      description: text(columns.description) || null,
      points: typeof points === "number" ? points : null,
      schoolAverage,
      school: fraction("schoolPct")!,
      district: fraction("districtPct"),
      state: fraction("statePct")!,
      diff,
    });
  }
  return items;
}

/** The subject whose 2023 reporting categories the items use, else the one the file name says. */
function subjectOf(
  sheets: TemplateSheet[],
  fileName: string,
): { subject: string; from: string } | undefined {
  const used = new Set(
    sheets.flatMap((sheet) => sheet.items.map((item) => normalizeName(item.category ?? ""))),
  );
  used.delete("");
  for (const [subject, names] of Object.entries(CATEGORIES)) {
    const known = new Set(names.map(normalizeName));
    if (used.size > 0 && [...used].every((name) => known.has(name))) {
      return { subject, from: "reporting categories" };
    }
  }
  const named = normalizeName(fileName)
    .split(" ")
    .map((word) => NAME_SUBJECTS[word])
    .find((found) => found !== undefined);
  return named ? { subject: named, from: "file name" } : undefined;
}

/**
 * The school the template is about: --org, else the one school whose counting students' average
 * points (a blank item scores 0) equal the template's School Average Points on every item both
 * hold. Problems are added to `problems`; the returned code is only meaningful without them.
 */
async function schoolOf(
  fileName: string,
  context: ParseContext,
  year: number,
  subject: string,
  sheets: TemplateSheet[],
  problems: ProblemList,
): Promise<{ code: string; from: string; warning?: string }> {
  if (context.org) {
    if (context.org === districtCodeOf(context.org)) {
      problems.add(
        `--org ${context.org} is a district's code, but the template's School columns are a ` +
          "school's: pass the school's code (the District columns then give its district's rows)",
      );
    }
    return { code: context.org, from: "--org" };
  }

  const averages = await studentAverages(context, year, subject);
  const matches: { code: string; shared: number }[] = [];
  for (const [code, byItem] of averages) {
    let shared = 0;
    let same = true;
    for (const sheet of sheets) {
      for (const item of sheet.items) {
        const students = byItem.get(`${sheet.grade} ${item.item}`);
        if (students === undefined || item.schoolAverage === null) continue;
        shared += 1;
        if (Math.abs(students - item.schoolAverage) > SAME_AVERAGE) same = false;
      }
    }
    if (same && shared >= MIN_SHARED_ITEMS) matches.push({ code, shared });
  }

  const how =
    "pass --org <8-digit school code> (the District columns then give its district's rows)";
  if (matches.length === 1) {
    const { code, shared } = matches[0]!;
    const files = await context.warehouse.all<{ file: string }>(
      `SELECT DISTINCT source_file AS file FROM private_students
       WHERE year = ? AND subject = ? AND org_code = ? ORDER BY file`,
      [year, subject, code],
    );
    const name = context.orgs.get(code)?.org_name;
    return {
      code,
      from: "its student rows",
      warning:
        `${fileName}: organisation inferred as ${code}${name ? ` ${name}` : ""}: its student ` +
        `rows in ${files.map((row) => row.file).join(", ")} give the same average points on all ` +
        `${shared} items`,
    };
  }
  if (matches.length === 0) {
    problems.add(
      "the template names no organisation, and no school's student rows loaded so far give its " +
        `School Average Points: ${how}, or load the school's student item file in the same run`,
    );
  } else {
    const codes = matches
      .map((match) => match.code)
      .sort()
      .join(", ");
    problems.add(
      "the template names no organisation, and the student rows of several schools give its " +
        `School Average Points (${codes}): ${how}`,
    );
  }
  return { code: "", from: "" };
}

/**
 * Each school's average points per item ("<grade> <item>") over its counting students (attempt
 * F or P), from the student rows in the warehouse. A counting student's blank item scores 0; an
 * item no counting student has a score for is not on that grade's form and is left out.
 */
async function studentAverages(
  context: ParseContext,
  year: number,
  subject: string,
): Promise<Map<string, Map<string, number>>> {
  const rows = await context.warehouse.all<{
    org_code: string;
    grade: string;
    item: string;
    average: number;
  }>(
    `WITH counting AS (
       SELECT source_file, year, org_code, grade, subject, points FROM private_students
       WHERE year = ? AND subject = ? AND upper(attempt) IN ('F', 'P')
     ),
     sizes AS (SELECT org_code, grade, count(*) AS n FROM counting GROUP BY org_code, grade),
     cells AS (
       SELECT c.org_code, c.grade, unnest(f.items) AS item, unnest(c.points) AS points
       FROM counting c JOIN private_student_forms f USING (source_file, year, grade, subject)
     )
     SELECT i.org_code, i.grade, i.item,
            (sum(coalesce(i.points, 0)) / any_value(s.n))::DOUBLE AS average
     FROM cells i
     JOIN sizes s USING (org_code, grade)
     GROUP BY i.org_code, i.grade, i.item
     HAVING count(i.points) > 0`,
    [year, subject],
  );
  const averages = new Map<string, Map<string, number>>();
  for (const row of rows) {
    // "mitem5" is item 5 of the math form; grades may be stored as 5 or 05.
    const item = row.item.replace(/^[a-z]*item/i, "");
    const key = `${/^\d+$/.test(row.grade) ? gradeCode(Number(row.grade)) : row.grade} ${
      /^\d+$/.test(item) ? String(Number(item)) : item
    }`;
    const byItem = averages.get(row.org_code) ?? new Map<string, number>();
    byItem.set(key, row.average);
    averages.set(row.org_code, byItem);
  }
  return averages;
}
