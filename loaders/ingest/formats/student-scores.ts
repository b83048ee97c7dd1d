import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Warehouse } from "../../warehouse/db.ts";
import { quoteIdentifier } from "../../warehouse/db.ts";
import { InputError, InputErrors } from "../errors.ts";
import { MISSING_MARKERS, SUPPRESSED_MARKERS, decodeText, detectDelimiter } from "../text.ts";
import { chooseYear } from "../years.ts";
import type { FileFormat, ParseContext, ParsedFile } from "./types.ts";
import { emptyRows } from "./types.ts";

/**
 * Student-level MCAS files: one row per student, with each item's points (eitem1.., mitem1..,
 * sitem1..), the essay trait scores (idea1, conv1, ...), each subject's attempt, raw and scaled
 * score, level and SGP. Two layouts:
 *
 * - DESE's full layout (ma_mcas_official_2022_student_file_layout.json, 267 columns): the school
 *   in `testschoolcode` (else `sprp_sch`) and the student's flags (highneeds, lowincome, EL,
 *   FormerEL, ever_EL, IEP, race, gender), mapped to group codes by FLAGS, RACES and GENDERS.
 * - The de-identified file (ma_mcas_2023_student_item_scores_deidentified_04830305.csv): the same
 *   item and score columns, no school and no flags. Its school is the 8-digit code in the file's
 *   name, or --org.
 *
 * What the real 2023 file holds: attempts are F (full), P (partial), N (registered, not tested)
 * and NA (not registered for the subject: grade 9 for ELA and math, grades 6, 7 for science).
 * Items a student did not see or answer are NA; a P student has points on the items taken and NA
 * on the rest. Essay traits carry condition codes instead of points: BL (blank, with the whole
 * essay NA), OT (off topic) and DC, whose whole essay is 0. Students with attempt N have NA items.
 *
 * Rules: a student has a row in private_students for each subject whose attempt is not missing;
 * the student counts for that subject's items (and gets rows in private_student_items) when the
 * attempt is F or P, as the state counts students in its item analysis (checked against the 2023
 * ELA workbook, tests/ingest/student-scores.test.ts). Item rows are kept for the items of the
 * student's form (columns that some counted student of the same year and grade has a value in);
 * their points are null where the cell is blank or NA, or holds a condition code.
 *
 * The file is read by DuckDB (statewide files have 500,000 students), validated and staged in SQL.
 */

const SUBJECTS = [
  { prefix: "e", subject: "ELA", traits: true },
  { prefix: "m", subject: "MATH", traits: false },
  { prefix: "s", subject: "SCI", traits: false },
] as const;
type Prefix = (typeof SUBJECTS)[number]["prefix"];

/** Flag columns of the full layout and the group each names. */
const FLAGS: Readonly<Record<string, string>> = {
  highneeds: "high_needs",
  lowincome: "low_income",
  el: "el",
  formerel: "former_el",
  ever_el: "ever_el",
  iep: "swd",
};
/** Flag values read as yes and as no (compared trimmed, without case); markers are no. */
export const FLAG_YES: readonly string[] = ["1", "y", "yes", "true", "t"];
export const FLAG_NO: readonly string[] = ["0", "n", "no", "false", "f"];
/** The full layout's race codes (single letters), and the state's labels of the groups. */
export const RACES: Readonly<Record<string, string>> = {
  a: "asian",
  asian: "asian",
  b: "black",
  black: "black",
  "african american/black": "black",
  h: "hispanic",
  hispanic: "hispanic",
  "hispanic/latino": "hispanic",
  m: "multi_race",
  "multi-race, non-hispanic/latino": "multi_race",
  "multi-race": "multi_race",
  n: "native_american",
  "native american": "native_american",
  p: "pacific_islander",
  "native hawaiian or pacific islander": "pacific_islander",
  w: "white",
  white: "white",
};
export const GENDERS: Readonly<Record<string, string>> = {
  f: "female",
  female: "female",
  m: "male",
  male: "male",
};
const ATTEMPTS = ["f", "p", "n"];

const ITEM_COLUMN = /^([ems])item(\d+)$/;
const TRAIT_COLUMN = /^(idea|conv)(\d+)$/;

export const studentItemScores: FileFormat = {
  id: "student-item-scores",
  description:
    "student-level MCAS file (CSV with adminyear, grade and eitem1/mitem1/sitem1... columns): " +
    "DESE's full layout with testschoolcode and flags, or a de-identified file named by its school",
  // After the item files: the computed item results need their item map.
  order: 30,

  async detect(file) {
    if (!/\.(csv|txt)$/i.test(file.name)) return false;
    const columns = readHeader(file.bytes);
    return (
      columns.includes("adminyear") &&
      columns.includes("grade") &&
      columns.some((name) => ITEM_COLUMN.test(name))
    );
  },

  async parse(file, context): Promise<ParsedFile> {
    const { warehouse, log } = context;
    const fail = (problem: string, location = {}) => {
      throw new InputErrors(file.name, [new InputError(file.name, problem, location)]);
    };

    // DuckDB reads UTF-8 only (other encodings need an extension it would download).
    const temp = mkdtempSync(join(tmpdir(), "pim-students-"));
    let path = file.path;
    if (!isUtf8(file.bytes)) {
      path = join(temp, "utf8.csv");
      writeFileSync(path, decodeText(file.bytes).text);
      log.info(`${file.name}: not UTF-8; read as Windows-1252 through a UTF-8 copy`);
    }
    const views = new Views(warehouse, path, join(temp, "students.parquet"));
    const cleanUp = async () => {
      await views.drop();
      rmSync(temp, { recursive: true, force: true });
    };

    try {
      const columns = await views.open();
      const layout = columns.has("testschoolcode") || columns.has("sprp_sch") ? "full" : "short";
      const warnings: string[] = [];

      // The year of rows whose adminyear is blank, and the school of a file without codes.
      const chosen = chooseYear(file.name, context.year);
      if (chosen?.warning) warnings.push(chosen.warning);
      let org: string | undefined;
      if (layout === "short") {
        org = orgOfFile(file.name, context, warnings);
        if (!org) {
          fail(
            "cannot tell which school these students belong to: the file has no " +
              "testschoolcode column and its name holds no 8-digit school code; pass " +
              "--org <8-digit code> or put the code in the file name",
          );
        }
        log.info(
          `${file.name}: students of ${org}, from the ${context.org ? "--org" : "file name"}`,
        );
      } else if (context.org) {
        log.info(`${file.name}: --org ignored; the file names each student's school`);
      }

      const sql = new StudentSql(columns, layout, org, chosen?.year, context.crosswalk);
      await views.copy(sql.used());
      await views.define(sql);
      const stats = await readStats(warehouse, views, sql);
      if (stats.badCells > 0) {
        throw new InputErrors(
          file.name,
          await readProblems(warehouse, views, sql, file.name, stats),
        );
      }
      if (stats.records === 0) fail("the file has a header but no students");
      warnings.push(...(await unknownCodes(warehouse, views, sql, file.name)));
      const codes = await conditionCodes(warehouse, views, sql);
      if (codes) log.info(`${file.name}: essay condition codes, counted as 0 points: ${codes}`);
      await views.defineForm(stats.form);
      log.info(
        `${file.name}: ${stats.records} students (${layout === "full" ? "DESE's full layout" : "no school column"}), ` +
          `years ${stats.years.join(", ")}`,
      );

      return {
        rows: emptyRows(),
        records: stats.records,
        years: stats.years,
        yearOrigin: stats.yearsFromColumn ? "column" : (chosen?.origin ?? "column"),
        warnings,
        stage: async (target) => {
          try {
            await stageStudents(target, views, sql, file.name);
          } finally {
            await cleanUp();
          }
        },
      };
    } catch (error) {
      await cleanUp();
      throw error;
    }
  },
};

/** The header's column names, lower case, from the first line of the file. */
function readHeader(bytes: Uint8Array): string[] {
  const head = new TextDecoder("utf-8").decode(bytes.subarray(0, 65536)).replace(/^\uFEFF/, "");
  const line = head.split(/\r?\n/, 1)[0] ?? "";
  return line.split(detectDelimiter(line)).map((name) =>
    name
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .trim()
      .toLowerCase(),
  );
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** The school of a file without a school column: --org, else the 8-digit code in its name. */
function orgOfFile(name: string, context: ParseContext, warnings: string[]): string | undefined {
  const fromName = /(?:^|\D)(\d{8})(?=\D|$)/.exec(name)?.[1];
  if (context.org) {
    if (fromName && fromName !== context.org) {
      warnings.push(`${name}: --org ${context.org} used, although the file name says ${fromName}`);
    }
    return context.crosswalk[context.org] ?? context.org;
  }
  return fromName === undefined ? undefined : (context.crosswalk[fromName] ?? fromName);
}

const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;
/**
 * Whether `expr` is one of `values`. Written with list_contains: DuckDB 1.5 takes seconds to plan
 * a few hundred `IN (...)` lists of seven strings, and no time for these.
 */
const isIn = (expr: string, values: readonly string[]) =>
  `list_contains([${values.map(sqlString).join(", ")}], ${expr})`;
const MARKERS = [...MISSING_MARKERS, ...SUPPRESSED_MARKERS];

// Cells of the Parquet copy are trimmed, and null where the file has a marker (see Views.copy).
const isMarker = (cell: string) => `(${cell} IS NULL)`;
const isNumber = (cell: string) => `(try_cast(${cell} AS DOUBLE) IS NOT NULL)`;
/** A number, or null for a marker or anything else (validation refuses anything else first). */
const numberOf = (cell: string) => `try_cast(${cell} AS DOUBLE)`;
const textOf = (cell: string) => cell;

interface Check {
  column: string;
  /** SQL that is true when the cell is acceptable. */
  ok: string;
  expected: string;
}

/** The SQL of one file: its columns, what each cell must hold, and what the rows become. */
class StudentSql {
  /** Per subject, the item and trait columns of the file, in file order. */
  readonly items: Record<Prefix, string[]> = { e: [], m: [], s: [] };
  readonly checks: Check[] = [];
  readonly subjects: (typeof SUBJECTS)[number][];

  constructor(
    readonly columns: ReadonlyMap<string, string>,
    readonly layout: "full" | "short",
    readonly org: string | undefined,
    readonly fallbackYear: number | undefined,
    readonly crosswalk: Readonly<Record<string, string>>,
  ) {
    for (const name of columns.keys()) {
      const item = ITEM_COLUMN.exec(name);
      if (item) this.items[item[1] as Prefix].push(name);
      else if (TRAIT_COLUMN.test(name)) this.items.e.push(name);
    }
    this.subjects = SUBJECTS.filter(
      ({ prefix }) => this.items[prefix].length > 0 && columns.has(`${prefix}attempt`),
    );

    const check = (column: string, ok: string, expected: string) => {
      if (columns.has(column)) this.checks.push({ column, ok, expected });
    };
    const c = quoteIdentifier;
    check(
      "adminyear",
      `(${isMarker(c("adminyear"))} OR regexp_full_match(adminyear, '(19|20)\\d\\d'))`,
      "a four-digit year (blank if missing)",
    );
    for (const { prefix } of this.subjects) {
      for (const column of this.items[prefix]) {
        const cell = c(column);
        if (TRAIT_COLUMN.test(column)) {
          check(
            column,
            `(${isMarker(cell)} OR try_cast(${cell} AS DOUBLE) >= 0 OR regexp_full_match(${cell}, '[A-Za-z]{2,3}'))`,
            "an essay trait score, a condition code such as BL or OT, or blank/NA",
          );
        } else {
          check(
            column,
            `(${isMarker(cell)} OR try_cast(${cell} AS DOUBLE) >= 0)`,
            "points, 0 or more (blank or NA if none)",
          );
        }
      }
      check(
        `${prefix}attempt`,
        `(${isMarker(c(`${prefix}attempt`))} OR ${isIn(`lower(${c(`${prefix}attempt`)})`, ATTEMPTS)})`,
        "F (full), P (partial), N (not tested), or NA where the student was not registered",
      );
      for (const score of ["rawsc", "scaleds", "sgp"]) {
        const cell = c(`${prefix}${score}`);
        check(
          `${prefix}${score}`,
          `(${isMarker(cell)} OR ${isNumber(cell)})`,
          "a number (blank or NA if none)",
        );
      }
    }
    // Grade and school matter only for students registered for some subject.
    const registered = this.registeredAny();
    check(
      "grade",
      `(NOT ${registered} OR try_cast(grade AS INTEGER) BETWEEN 1 AND 12)`,
      "the student's grade, a whole number from 1 to 12",
    );
    if (layout === "full") {
      const code = this.schoolCell();
      this.checks.push({
        column: columns.has("testschoolcode") ? "testschoolcode" : "sprp_sch",
        ok: `(NOT ${registered} OR regexp_full_match(${code}, '\\d{1,8}'))`,
        expected: "the school's code, up to 8 digits (or a code in sprp_sch)",
      });
      for (const flag of Object.keys(FLAGS)) {
        const cell = c(flag);
        check(
          flag,
          `(${isMarker(cell)} OR ${isIn(`lower(${cell})`, [...FLAG_YES, ...FLAG_NO])})`,
          `a flag: ${FLAG_YES.join("/")} for yes, ${FLAG_NO.join("/")} or blank for no`,
        );
      }
    }
    if (fallbackYear === undefined && columns.has("adminyear")) {
      this.checks.push({
        column: "adminyear",
        ok: `(NOT ${isMarker(c("adminyear"))})`,
        expected: "the year: the cell is blank, and neither --year nor the file name gives one",
      });
    }
  }

  /** The columns the SQL reads, by lower-case name. */
  used(): Map<string, string> {
    const scores = ["attempt", "rawsc", "scaleds", "perflev", "sgp"];
    const wanted = new Set([
      "adminyear",
      "grade",
      ...(this.layout === "full" ? ["testschoolcode", "sprp_sch", "race", "gender"] : []),
      ...(this.layout === "full" ? Object.keys(FLAGS) : []),
      ...this.subjects.flatMap(({ prefix }) => [
        ...this.items[prefix],
        ...scores.map((score) => `${prefix}${score}`),
      ]),
    ]);
    return new Map([...this.columns].filter(([key]) => wanted.has(key)));
  }

  /** Whether the file has the column of that lower-case name. */
  has(name: string): boolean {
    return this.columns.has(name);
  }

  private registeredAny(): string {
    const parts = this.subjects.map(
      ({ prefix }) => `NOT ${isMarker(quoteIdentifier(`${prefix}attempt`))}`,
    );
    return parts.length === 0 ? "false" : `(${parts.join(" OR ")})`;
  }

  private schoolCell(): string {
    const test = this.columns.has("testschoolcode") ? "testschoolcode" : undefined;
    const sprp = this.columns.has("sprp_sch") ? "sprp_sch" : undefined;
    const cells = [test, sprp].filter(Boolean).map((name) => textOf(quoteIdentifier(name!)));
    return cells.length === 1 ? cells[0]! : `coalesce(${cells.join(", ")})`;
  }

  /**
   * The view of students: every column of the file, and the decoded year, school, grade and
   * groups of each row, and per subject whether the student is registered and counted.
   */
  baseView(raw: string): string {
    const c = quoteIdentifier;
    const year = this.has("adminyear")
      ? `coalesce(try_cast(adminyear AS INTEGER), ${this.fallbackYear ?? "NULL"})`
      : `${this.fallbackYear ?? "NULL"}`;
    let org = this.org ? sqlString(this.org) : `lpad(${this.schoolCell()}, 8, '0')`;
    const moves = Object.entries(this.crosswalk);
    if (!this.org && moves.length > 0) {
      const cases = moves.map(([from, to]) => `WHEN ${sqlString(from)} THEN ${sqlString(to)}`);
      org = `(CASE ${org} ${cases.join(" ")} ELSE ${org} END)`;
    }
    const yes = (cell: string) => isIn(`lower(${cell})`, FLAG_YES);
    const groups: string[] = [];
    if (this.layout === "full") {
      for (const [flag, group] of Object.entries(FLAGS)) {
        if (this.has(flag)) groups.push(`CASE WHEN ${yes(c(flag))} THEN '${group}' END`);
      }
      if (this.has("race")) groups.push(lookup("race", RACES));
      if (this.has("gender")) groups.push(lookup("gender", GENDERS));
    }
    const groupList =
      groups.length === 0
        ? "[]::VARCHAR[]"
        : `list_filter([${groups.join(", ")}], g -> g IS NOT NULL)`;
    const perSubject = this.subjects.flatMap(({ prefix }) => {
      const attempt = c(`${prefix}attempt`);
      const score = (name: string) =>
        this.has(`${prefix}${name}`) ? numberOf(c(`${prefix}${name}`)) : "NULL::DOUBLE";
      return [
        `NOT ${isMarker(attempt)} AS pim_${prefix}_registered`,
        `coalesce(${isIn(`upper(${attempt})`, ["F", "P"])}, false) AS pim_${prefix}_counted`,
        `upper(${textOf(attempt)}) AS pim_${prefix}_attempt`,
        `${score("rawsc")} AS pim_${prefix}_raw`,
        `${score("scaleds")} AS pim_${prefix}_scaled`,
        `${this.has(`${prefix}perflev`) ? textOf(c(`${prefix}perflev`)) : "NULL::VARCHAR"} AS pim_${prefix}_level`,
        `${score("sgp")} AS pim_${prefix}_sgp`,
      ];
    });
    // Decoded columns are named pim_*, apart from the file's own.
    return `
      SELECT *, ${year} AS pim_year, ${org} AS pim_org,
             lpad(try_cast(grade AS INTEGER)::VARCHAR, 2, '0') AS pim_grade,
             ${groupList} AS pim_groups, ${perSubject.join(", ")}
      FROM ${raw}`;
  }
}

/** A group code looked up from a coded column (race, gender); unknown codes give no group. */
function lookup(column: string, codes: Readonly<Record<string, string>>): string {
  const cases = Object.entries(codes).map(
    ([code, group]) => `WHEN ${sqlString(code)} THEN '${group}'`,
  );
  return `CASE lower(${quoteIdentifier(column)}) ${cases.join(" ")} END`;
}

/** The temporary views of one file: the raw read, the decoded students, the items on the form. */
class Views {
  private static next = 0;
  readonly raw: string;
  readonly base: string;
  readonly form: string;

  constructor(
    private readonly warehouse: Warehouse,
    private readonly path: string,
    private readonly parquet: string,
  ) {
    const id = `student_file_${process.pid}_${Views.next++}`;
    this.raw = `temp.${id}_raw`;
    this.base = `temp.${id}_base`;
    this.form = `temp.${id}_form`;
  }

  /** Reads the header with DuckDB; returns the file's columns by lower-case name. */
  async open(): Promise<Map<string, string>> {
    const described = await this.warehouse.all<{ column_name: string }>(
      `DESCRIBE SELECT * FROM ${this.read()}`,
    );
    const columns = new Map<string, string>();
    for (const { column_name } of described) {
      const key = column_name.trim().toLowerCase();
      if (!columns.has(key)) columns.set(key, column_name);
    }
    return columns;
  }

  /**
   * Reads the file once into a Parquet copy of the columns pim uses, each renamed to its
   * lower-case name, trimmed, with markers (blank, NA, --, *) made null; `line` is the file's
   * line. Later passes scan the copy, which is much faster than parsing the CSV again. Columns
   * pim does not use (names, dates of birth) are not copied.
   */
  async copy(used: ReadonlyMap<string, string>): Promise<void> {
    const cells = [...used].map(([key, name]) => {
      const cell = quoteIdentifier(name);
      return `CASE WHEN ${isIn(`lower(trim(${cell}))`, MARKERS)} THEN NULL ELSE trim(${cell}) END AS ${quoteIdentifier(key)}`;
    });
    await this.warehouse.run(
      `COPY (SELECT (row_number() OVER () + 1)::INTEGER AS line, ${cells.join(", ")}
             FROM ${this.read()})
       TO ${sqlString(this.parquet)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    await this.warehouse.run(
      `CREATE OR REPLACE TEMP VIEW ${this.raw.slice(5)} AS
       SELECT * FROM read_parquet(${sqlString(this.parquet)})`,
    );
  }

  private read(): string {
    return `read_csv(${sqlString(this.path)}, all_varchar = true, header = true)`;
  }

  async define(sql: StudentSql): Promise<void> {
    await this.warehouse.run(
      `CREATE OR REPLACE TEMP VIEW ${this.base.slice(5)} AS ${sql.baseView(this.raw)}`,
    );
  }

  async defineForm(
    form: { year: number; grade: string; subject: Prefix; column: string }[],
  ): Promise<void> {
    await this.warehouse.run(
      `CREATE OR REPLACE TEMP TABLE ${this.form.slice(5)} (year INTEGER, grade VARCHAR, prefix VARCHAR, col VARCHAR)`,
    );
    const appender = await this.warehouse.connection.createAppender(
      this.form.slice(5),
      "main",
      "temp",
    );
    try {
      for (const row of form) {
        appender.appendInteger(row.year);
        appender.appendVarchar(row.grade);
        appender.appendVarchar(row.subject);
        appender.appendVarchar(row.column);
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }

  async drop(): Promise<void> {
    await this.warehouse.run(`DROP TABLE IF EXISTS ${this.form}`);
    await this.warehouse.run(`DROP VIEW IF EXISTS ${this.base}`);
    await this.warehouse.run(`DROP VIEW IF EXISTS ${this.raw}`);
  }
}

interface Stats {
  records: number;
  years: number[];
  yearsFromColumn: boolean;
  badCells: number;
  /** The items of each year's and grade's form: the columns some counted student has a value in. */
  form: { year: number; grade: string; subject: Prefix; column: string }[];
}

/** One pass over the file: students, years, cells that fail their check, and the forms. */
async function readStats(warehouse: Warehouse, views: Views, sql: StudentSql): Promise<Stats> {
  const bad = sql.checks.map(({ ok }) => `(NOT coalesce(${ok}, false))::INTEGER`);
  const present = sql.subjects.flatMap(({ prefix }) =>
    sql.items[prefix].map(
      (column, i) =>
        `count(CASE WHEN pim_${prefix}_counted AND NOT ${isMarker(quoteIdentifier(column))} THEN 1 END)::INTEGER AS ${prefix}_${i}`,
    ),
  );
  const rows = await warehouse.all<Record<string, number | string | boolean | null>>(
    `SELECT pim_year AS year, pim_grade AS grade, count(*)::INTEGER AS n,
            sum(${bad.length > 0 ? bad.join(" + ") : "0"})::INTEGER AS bad,
            bool_and(${sql.has("adminyear") ? `NOT ${isMarker("adminyear")}` : "false"}) AS year_in_column
            ${present.length > 0 ? `, ${present.join(", ")}` : ""}
     FROM ${views.base}
     GROUP BY ALL ORDER BY ALL`,
  );
  const form: Stats["form"] = [];
  for (const row of rows) {
    if (row.year === null || row.grade === null) continue;
    for (const { prefix } of sql.subjects) {
      sql.items[prefix].forEach((column, i) => {
        if (Number(row[`${prefix}_${i}`]) > 0) {
          form.push({ year: Number(row.year), grade: String(row.grade), subject: prefix, column });
        }
      });
    }
  }
  return {
    records: rows.reduce((sum, row) => sum + Number(row.n), 0),
    years: [
      ...new Set(
        rows
          .map((row) => row.year)
          .filter((y) => y !== null)
          .map(Number),
      ),
    ].sort(),
    yearsFromColumn: rows.every((row) => row.year_in_column === true),
    badCells: rows.reduce((sum, row) => sum + Number(row.bad ?? 0), 0),
    form,
  };
}

const PROBLEM_LIMIT = 20;

/** The first cells that fail their check, in file order, as one error line each. */
async function readProblems(
  warehouse: Warehouse,
  views: Views,
  sql: StudentSql,
  file: string,
  stats: Stats,
): Promise<InputError[]> {
  const cells = sql.checks.map(
    ({ column, ok }, i) =>
      `CASE WHEN NOT coalesce(${ok}, false) THEN {'check': ${i}, 'value': ${quoteIdentifier(column)}} END`,
  );
  const rows = await warehouse.all<{
    line: number;
    bad: { check: number; value: string | null }[];
  }>(
    `SELECT line, bad FROM (
       SELECT line, list_filter([${cells.join(", ")}], cell -> cell IS NOT NULL) AS bad FROM ${views.base}
     ) WHERE len(bad) > 0 ORDER BY line LIMIT ${PROBLEM_LIMIT}`,
  );
  const errors: InputError[] = [];
  for (const { line, bad } of rows) {
    for (const { check, value } of bad) {
      if (errors.length >= PROBLEM_LIMIT) break;
      const { column, expected } = sql.checks[check]!;
      errors.push(
        new InputError(file, `expected ${expected}`, { row: line, column, value: value ?? "" }),
      );
    }
  }
  if (stats.badCells > errors.length) {
    errors.push(
      new InputError(file, `and ${stats.badCells - errors.length} more cells like these`),
    );
  }
  return errors;
}

/** Race and gender codes the file uses that name no group: warned, since such students get none. */
async function unknownCodes(
  warehouse: Warehouse,
  views: Views,
  sql: StudentSql,
  file: string,
): Promise<string[]> {
  const warnings: string[] = [];
  for (const [column, codes] of [
    ["race", RACES],
    ["gender", GENDERS],
  ] as const) {
    if (sql.layout !== "full" || !sql.has(column)) continue;
    const cell = quoteIdentifier(column);
    const found = await warehouse.all<{ code: string; n: number }>(
      `SELECT ${cell} AS code, count(*)::INTEGER AS n FROM ${views.raw}
       WHERE NOT ${isMarker(cell)} AND NOT ${isIn(`lower(${cell})`, Object.keys(codes))}
       GROUP BY ALL ORDER BY code`,
    );
    if (found.length > 0) {
      const list = found.map(({ code, n }) => `"${code}" (${n})`).join(", ");
      warnings.push(
        `${file}: ${column} codes that name no student group, so those students count only in all students: ${list}`,
      );
    }
  }
  return warnings;
}

/** Essay condition codes (BL, OT, ...) and how often each occurs, for the log. */
async function conditionCodes(
  warehouse: Warehouse,
  views: Views,
  sql: StudentSql,
): Promise<string> {
  const traits = sql.items.e.filter((column) => TRAIT_COLUMN.test(column));
  if (traits.length === 0) return "";
  const found = await warehouse.all<{ code: string; n: number }>(
    `SELECT upper(v) AS code, count(*)::INTEGER AS n
     FROM (UNPIVOT (SELECT ${traits.map(quoteIdentifier).join(", ")} FROM ${views.raw})
           ON ${traits.map(quoteIdentifier).join(", ")} INTO NAME col VALUE v)
     WHERE NOT ${isMarker("v")} AND NOT ${isNumber("v")} GROUP BY ALL ORDER BY code`,
  );
  return found.map(({ code, n }) => `${code} (${n})`).join(", ");
}

/** Fills temp.stage_private_students and temp.stage_private_student_items in SQL. */
async function stageStudents(
  warehouse: Warehouse,
  views: Views,
  sql: StudentSql,
  file: string,
): Promise<void> {
  for (const { prefix, subject } of sql.subjects) {
    await warehouse.run(
      `INSERT INTO temp.stage_private_students
         (year, org_code, grade, subject, student_key, attempt, raw_score, scaled_score,
          performance_level, sgp, groups, source_file, source_row)
       SELECT pim_year, pim_org, pim_grade, '${subject}', $file || '#' || line, pim_${prefix}_attempt,
              pim_${prefix}_raw, pim_${prefix}_scaled, pim_${prefix}_level, pim_${prefix}_sgp,
              pim_groups, $file, line
       FROM ${views.base} WHERE pim_${prefix}_registered`,
      { file },
    );

    const columns = sql.items[prefix].map(quoteIdentifier).join(", ");
    // mitem5 is item 5; idea1 and conv1 are the traits IDEA1 and CONV1 of the map's WR12.IDEA1.
    await warehouse.run(
      `INSERT INTO temp.stage_private_student_items
         (year, org_code, grade, subject, student_key, item, points, source_file)
       SELECT u.pim_year, u.pim_org, u.pim_grade, '${subject}', $file || '#' || u.line,
              CASE WHEN u.col LIKE '_item%' THEN substr(u.col, 6) ELSE upper(u.col) END,
              ${numberOf("u.v")}, $file
       FROM (SELECT line, pim_year, pim_org, pim_grade, ${columns}
             FROM ${views.base} WHERE pim_${prefix}_counted)
            UNPIVOT INCLUDE NULLS (v FOR col IN (${columns})) u
       SEMI JOIN ${views.form} f
         ON f.year = u.pim_year AND f.grade = u.pim_grade AND f.prefix = '${prefix}' AND f.col = u.col`,
      { file },
    );
  }
}
