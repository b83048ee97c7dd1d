import type { CellValue, Row, Worksheet } from "exceljs";
import { cellText } from "../cells.ts";
import { ProblemList } from "../errors.ts";
import type { OrgDirectory } from "../orgs.ts";
import { STATE_CODE, districtCodeOf, parseOrgCode } from "../text.ts";
import { gradeCode } from "../years.ts";
import { detectWorkbook } from "./detect.ts";
import type { FileFormat, ParsedFile, TableRows } from "./types.ts";
import type { LegacyLevel, LegacyOrg, LegacyResult, Measure } from "../legacy.ts";
import { LegacyChecks, addLegacyRows, readFigure } from "../legacy.ts";
import { emptyRows } from "./types.ts";

/**
 * DESE's legacy MCAS results workbooks of 2015 (schools.xlsx and districts.xlsx as the Boston
 * Globe kept them): one row per organisation and grade, with each subject's Advanced, Proficient,
 * Needs Improvement and Warning/Failing percents, A+P percent, CPI, SGP and participation for two
 * years, told apart by column suffix (ecpi_15, ecpi_14), and a "file layout" sheet documenting
 * every column. What it shares with the 2017 compilation is in ../legacy.ts.
 */

/**
 * The name to give an organisation whose row leaves its name blank (district 04150000 in the
 * 2015 districts workbook): the name a file loaded before gave it, else its code.
 */
export function nameOfUnnamed(code: string, orgs: OrgDirectory): string {
  return orgs.get(code)?.org_name ?? code;
}

type Field = "n" | "pctMeeting" | "cpi" | LegacyLevel | "sgp" | "sgpN" | "participation";

const FIELD_MEASURES: Record<Field, Measure> = {
  n: "count",
  pctMeeting: "percent",
  cpi: "cpi",
  A: "percent",
  P: "percent",
  NI: "percent",
  W: "percent",
  sgp: "sgp",
  sgpN: "count",
  participation: "percent",
};

const SUBJECTS = [
  { letter: "e", subject: "ELA", sgp: "ELASGP", part: "ela" },
  { letter: "m", subject: "MATH", sgp: "MATSGP", part: "math" },
  // The layout has no science SGP: the state computed none.
  { letter: "s", subject: "SCI", sgp: null, part: "sci" },
] as const;

/** The column of each figure of a subject and year ("15"), spelled as the layout sheet does. */
function fieldColumns(s: (typeof SUBJECTS)[number], yy: string): Record<Field, string | null> {
  return {
    n: `${s.letter}total_perf_${yy}`,
    pctMeeting: `${s.letter}_AandP_${yy}`,
    cpi: `${s.letter}cpi_${yy}`,
    A: `${s.letter}adv_per_${yy}`,
    P: `${s.letter}pro_per_${yy}`,
    NI: `${s.letter}ni_per_${yy}`,
    W: `${s.letter}wf_per_${yy}`,
    sgp: s.sgp && `${s.sgp}${yy}`,
    sgpN: s.sgp && `${s.letter}sgp_incl_${yy}`,
    participation: `${s.part}_part_rate_${yy}`,
  };
}

const YEAR_COLUMN = /^[ems](?:total_perf|cpi|adv_per|pro_per|ni_per|wf_per|_aandp)_(\d\d)$/;

interface Block {
  year: number;
  subject: string;
  columns: Partial<Record<Field, number>>;
}

interface SheetLayout {
  kind: "school" | "district";
  headers: string[];
  code: number;
  grade: number;
  /** The year the grade column is named for (grade_15: 2015), the file's latest. */
  gradeYear: number;
  adminYear?: number;
  districtName?: number;
  schoolName?: number;
  orgType?: number;
  blocks: Block[];
  /** Columns the layout has for a subject and year of the file, and the file lacks. */
  missing: string[];
}

/** Finds the columns of a legacy results sheet, or undefined if the sheet is something else. */
function readLayout(sheet: Worksheet): SheetLayout | undefined {
  const headers: string[] = [];
  sheet.getRow(1).eachCell((cell, column) => {
    headers[column] = cellText(cell.value).trim();
  });
  const index = new Map<string, number>();
  headers.forEach((name, column) => {
    if (name && !index.has(name.toLowerCase())) index.set(name.toLowerCase(), column);
  });
  const gradeHeader = [...index.keys()].find((name) => /^grade_\d\d$/.test(name));
  const code = index.get("org_code");
  const suffixes = new Set(
    [...index.keys()].flatMap((name) => YEAR_COLUMN.exec(name)?.slice(1, 2) ?? []),
  );
  if (gradeHeader === undefined || code === undefined || suffixes.size === 0) return undefined;

  const blocks: Block[] = [];
  const missing: string[] = [];
  for (const yy of [...suffixes].sort().reverse()) {
    for (const subject of SUBJECTS) {
      const names = Object.entries(fieldColumns(subject, yy)) as [Field, string | null][];
      const columns: Partial<Record<Field, number>> = {};
      for (const [field, name] of names) {
        const at = name === null ? undefined : index.get(name.toLowerCase());
        if (at !== undefined) columns[field] = at;
      }
      if (Object.keys(columns).length === 0) continue;
      blocks.push({ year: 2000 + Number(yy), subject: subject.subject, columns });
      for (const [field, name] of names) {
        if (name !== null && columns[field] === undefined) missing.push(name);
      }
    }
  }
  const schoolName = index.get("school_name");
  return {
    kind: schoolName === undefined ? "district" : "school",
    headers,
    code,
    grade: index.get(gradeHeader)!,
    gradeYear: 2000 + Number(gradeHeader.slice(-2)),
    adminYear: index.get("admin_year") ?? index.get("adminyear"),
    districtName: index.get("district_name"),
    schoolName,
    orgType: index.get("orgtype description"),
    blocks,
    missing,
  };
}

/** What reading a workbook collects across its sheets. */
interface Reading {
  file: string;
  orgs: OrgDirectory;
  problems: ProblemList;
  checks: LegacyChecks;
  rows: TableRows;
  years: Set<number>;
  /** Organisation and grade of each row read, to the place it was read. */
  seen: Map<string, string>;
  /** Codes of organisations whose rows leave the name blank, to those rows. */
  unnamed: Map<string, number[]>;
  records: number;
}

export const legacyMcasWorkbook: FileFormat = {
  id: "legacy-mcas-workbook",
  description:
    "DESE legacy MCAS results workbook (.xlsx) by school or district and grade: org_code, " +
    "grade_15, and per subject and year eadv_per_15 ... ewf_per_15, e_AandP_15, ecpi_15",
  order: 15,

  detect: detectWorkbook(readLayout),

  async parse(file, context): Promise<ParsedFile> {
    const reading: Reading = {
      file: file.name,
      orgs: context.orgs,
      problems: new ProblemList(file.name),
      checks: new LegacyChecks(file.name),
      rows: emptyRows(),
      years: new Set(),
      seen: new Map(),
      unnamed: new Map(),
      records: 0,
    };
    const warnings: string[] = [];
    for (const sheet of (await file.workbook()).worksheets) {
      const layout = readLayout(sheet);
      if (layout) {
        warnings.push(...describeSheet(file.name, sheet.name, layout));
        const years = [...new Set(layout.blocks.map((block) => block.year))];
        const suffixes = years.map((year) => `_${String(year % 100).padStart(2, "0")}`);
        context.log.info(
          `${file.name}: sheet ${sheet.name}: ${layout.kind} rows, years ${years.join(" and ")} ` +
            `from the column suffixes (${suffixes.join(", ")}), grades from ` +
            `${layout.headers[layout.grade]}`,
        );
        sheet.eachRow((row, line) => {
          if (line > 1) readRow(reading, sheet.name, layout, row, line);
        });
      } else if (/layout/i.test(sheet.name)) {
        // The "file layout" sheet documents the columns and holds no results.
        context.log.info(`${file.name}: sheet ${sheet.name} documents the columns; not read`);
      } else {
        warnings.push(`${file.name}: sheet ${sheet.name} is not a legacy results sheet; ignored`);
      }
    }
    const { problems, years, records } = reading;
    const participationOnly = reading.checks.logLine();
    if (participationOnly) context.log.info(participationOnly);
    if (records === 0 && problems.errors.length === 0) {
      problems.add("the workbook holds no sheet of legacy results rows (org_code, grade_15, ...)");
    }
    problems.throwIfAny();

    for (const [code, lines] of reading.unnamed) {
      const name = nameOfUnnamed(code, context.orgs);
      warnings.push(
        `${file.name}: rows ${lines.join(", ")} give no name for ${code}; ` +
          (name === code
            ? "named by its code, as no file loaded before names it"
            : `named "${name}", as a file loaded before names it`),
      );
    }
    const found = [...years].sort();
    if (context.year !== undefined && !years.has(context.year)) {
      warnings.push(
        `${file.name}: --year ${context.year} not used: the file's columns hold ` +
          found.join(" and "),
      );
    }
    warnings.push(...reading.checks.warnings());
    return { rows: reading.rows, records, years: found, yearOrigin: "column", warnings };
  },
};

/** Warnings about a results sheet's columns: those not read, and those it lacks. */
function describeSheet(file: string, sheet: string, layout: SheetLayout): string[] {
  const used = new Set([
    layout.code,
    layout.grade,
    layout.adminYear,
    layout.districtName,
    layout.schoolName,
    layout.orgType,
    ...layout.blocks.flatMap((block) => Object.values(block.columns)),
  ]);
  const ignored = layout.headers.filter((name, column) => name && !used.has(column));
  const warnings: string[] = [];
  if (ignored.length > 0) {
    const names = ignored.map((name) => `"${name}"`).join(", ");
    warnings.push(`${file}: sheet ${sheet}: ignored column(s) ${names}`);
  }
  // A figure column can be left out without shifting the others (they are found by name): its
  // figure stays empty and the rest loads, rather than refusing the file over one summary.
  if (layout.missing.length > 0) {
    warnings.push(
      `${file}: sheet ${sheet} lacks the column(s) ${layout.missing.join(", ")} that the ` +
        "legacy layout has for its subjects and years; those figures are left empty",
    );
  }
  return warnings;
}

/** Reads one row of a results sheet: an organisation and grade, for each subject and year. */
function readRow(
  reading: Reading,
  sheet: string,
  layout: SheetLayout,
  row: Row,
  line: number,
): void {
  const { problems, checks } = reading;
  const cell = (column: number): CellValue => row.getCell(column).value;
  const text = (column: number | undefined) =>
    column === undefined ? "" : cellText(cell(column)).trim();
  if (layout.headers.every((_, column) => text(column) === "")) return;
  reading.records += 1;
  const at = (column: number) => ({
    sheet,
    row: line,
    column: layout.headers[column]!,
    value: cellText(cell(column)),
  });

  const code = parseOrgCode(text(layout.code));
  if (!code.ok) problems.add(`expected ${code.expected}`, at(layout.code));
  const grade = gradeOf(text(layout.grade));
  if (!grade)
    problems.add("expected a grade from 03 to 12, or AL for all grades", at(layout.grade));
  if (layout.adminYear !== undefined && text(layout.adminYear) !== String(layout.gradeYear)) {
    problems.add(
      `expected ${layout.gradeYear}, the year of the ${layout.headers[layout.grade]} column`,
      at(layout.adminYear),
    );
  }
  if (layout.orgType !== undefined && !/school/i.test(text(layout.orgType))) {
    problems.add(
      'expected "Public School" or "Charter School": the rows of a file with school names ' +
        "are schools",
      at(layout.orgType),
    );
  }
  if (!code.ok || !grade) return;
  const earlier = reading.seen.get(`${code.value}|${grade}`);
  if (earlier !== undefined) {
    problems.add(`repeats ${earlier}: the same organisation and grade`, at(layout.code));
    return;
  }
  reading.seen.set(`${code.value}|${grade}`, `sheet ${sheet} row ${line}`);

  const org = orgOf(layout, code.value, text(layout.districtName), text(layout.schoolName));
  if (!org.org_name) {
    org.org_name = nameOfUnnamed(code.value, reading.orgs);
    if (org.org_type === "district") org.district_name = org.org_name;
    reading.unnamed.set(code.value, [...(reading.unnamed.get(code.value) ?? []), line]);
  }

  for (const block of layout.blocks) {
    const withheld: string[] = [];
    const values: Partial<Record<Field, number | null>> = {};
    let bad = false;
    for (const [field, column] of Object.entries(block.columns) as [Field, number][]) {
      const figure = readFigure(cell(column), FIELD_MEASURES[field]);
      if (!figure.ok) {
        problems.add(`expected ${figure.expected}`, at(column));
        bad = true;
        continue;
      }
      if (figure.withheld) withheld.push(layout.headers[column]!);
      if (figure.excess) {
        checks.noteExcess(`row ${line} column "${layout.headers[column]}"`, cell(column));
      }
      values[field] = figure.value;
    }
    if (bad) continue;

    const level = (name: LegacyLevel) => {
      const column = block.columns[name];
      const header = column === undefined ? undefined : layout.headers[column];
      return { n: null, pct: values[name] ?? null, withheld: withheld.includes(header ?? "") };
    };
    const result: LegacyResult = {
      year: block.year,
      grade,
      subject: block.subject,
      n_students: values.n ?? null,
      n_meeting_or_above: null,
      pct_meeting_or_above: values.pctMeeting ?? null,
      cpi: values.cpi ?? null,
      sgp: values.sgp ?? null,
      n_included_sgp: values.sgpN ?? null,
      participation_rate: values.participation ?? null,
      levels: { A: level("A"), P: level("P"), NI: level("NI"), W: level("W") },
      withheld,
    };
    if (!checks.admit(code.value, result)) continue;
    reading.years.add(block.year);
    addLegacyRows(reading.rows, org, result, reading.file);
  }
}

/** '03' to '12' for one grade; AL ("all students from all grades", says the layout) is 'all'. */
function gradeOf(raw: string): string | undefined {
  if (/^all?$/i.test(raw)) return "all";
  const grade = /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
  return grade >= 3 && grade <= 12 ? gradeCode(grade) : undefined;
}

/** School rows carry their district's name; the district file's rows are districts or the state. */
function orgOf(layout: SheetLayout, code: string, district: string, school: string): LegacyOrg {
  if (code === STATE_CODE) {
    return {
      org_code: code,
      org_name: "State",
      org_type: "state",
      district_code: null,
      district_name: null,
    };
  }
  if (layout.kind === "district") {
    return {
      org_code: code,
      org_name: district,
      org_type: "district",
      district_code: code,
      district_name: district,
    };
  }
  return {
    org_code: code,
    org_name: school,
    org_type: "school",
    district_code: districtCodeOf(code),
    district_name: district || null,
  };
}
