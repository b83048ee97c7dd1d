import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Warehouse } from "../../warehouse/db.ts";
import { InputError, InputErrors } from "../errors.ts";
import { isUtf8File } from "../input.ts";
import { decodeText, detectDelimiter } from "../text.ts";
import { chooseYear } from "../years.ts";
import type { Prefix } from "./student-sql.ts";
import { StudentSql, isItemColumn, itemKey, sqlString } from "./student-sql.ts";
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
 * the student counts for that subject's items (and has points) when the attempt is F or P, as the
 * state counts students in its item analysis (checked against the 2023 ELA workbook,
 * tests/ingest/student-scores.test.ts). A year's and grade's form is the item columns that some
 * counted student of that year and grade has a value in (private_student_forms); a student's
 * points are those of the form's items, null where the cell is blank or NA, or holds a condition
 * code. Points are whole numbers from 0 to 255.
 *
 * Statewide files have 500,000 students: DuckDB reads the file once, into a temporary table of
 * decoded rows (each subject's points as one list) that records per row how many cells fail;
 * the checks and the forms are read from that table, and the load writes private_students from it.
 */

export const studentItemScores: FileFormat = {
  id: "student-item-scores",
  description:
    "student-level MCAS file (CSV with adminyear, grade and eitem1/mitem1/sitem1... columns): " +
    "DESE's full layout with testschoolcode and flags, or a de-identified file named by its school",
  // After the item files: the computed item results need their item map.
  order: 30,

  async detect(file) {
    if (!/\.(csv|txt)$/i.test(file.name)) return false;
    const columns = readHeader(file.firstLine());
    return columns.includes("adminyear") && columns.includes("grade") && columns.some(isItemColumn);
  },

  async parse(file, context): Promise<ParsedFile> {
    const { warehouse, log } = context;
    const fail = (problem: string, location = {}) => {
      throw new InputErrors(file.name, [new InputError(file.name, problem, location)]);
    };

    // DuckDB reads UTF-8 only (other encodings need an extension it would download).
    const temp = mkdtempSync(join(tmpdir(), "pim-students-"));
    let path = file.path;
    if (!isUtf8File(file.path)) {
      path = join(temp, "utf8.csv");
      writeFileSync(path, decodeText(file.bytes).text);
      log.info(`${file.name}: not UTF-8; read as Windows-1252 through a UTF-8 copy`);
    }
    const rows = new StudentRows(warehouse, path);
    const cleanUp = async () => {
      await rows.drop();
      rmSync(temp, { recursive: true, force: true });
    };

    try {
      const columns = await rows.open();
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
      const done = log.time();
      await rows.read(sql);
      const stats = await rows.stats(sql);
      done(`${file.name}: read ${stats.records} rows, ${stats.badCells} cells refused`);
      if (stats.badCells > 0) {
        throw new InputErrors(file.name, await rows.problems(sql, file.name, stats.badCells));
      }
      if (stats.records === 0) fail("the file has a header but no students");
      warnings.push(...(await rows.unknownCodes(file.name)));
      const codes = await rows.conditionCodes();
      if (codes) log.info(`${file.name}: essay condition codes, counted as 0 points: ${codes}`);
      log.info(
        `${file.name}: ${stats.records} students (${layout === "full" ? "DESE's full layout" : "no school column"}), ` +
          `years ${stats.years.join(", ")}`,
      );

      const parsed = emptyRows();
      parsed.private_student_forms = stats.forms.map(({ year, grade, prefix, positions }) => ({
        year,
        grade,
        subject: subjectOf(sql, prefix),
        items: positions.map((position) => itemKey(sql.items[prefix][position - 1]!)),
        source_file: file.name,
      }));
      return {
        rows: parsed,
        records: stats.records,
        years: stats.years,
        yearOrigin: stats.yearsFromColumn ? "column" : (chosen?.origin ?? "column"),
        warnings,
        queries: { private_students: rows.studentsQuery(sql, stats.forms, file.name) },
        cleanUp,
      };
    } catch (error) {
      await cleanUp();
      throw error;
    }
  },
};

/** The header's column names, lower case. */
function readHeader(line: string): string[] {
  return line.split(detectDelimiter(line)).map((name) =>
    name
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .trim()
      .toLowerCase(),
  );
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

function subjectOf(sql: StudentSql, prefix: Prefix): string {
  return sql.subjects.find((subject) => subject.prefix === prefix)!.subject;
}

/** The items of a year's and grade's form: 1-based positions in the subject's item columns. */
interface Form {
  year: number;
  grade: string;
  prefix: Prefix;
  positions: number[];
}

interface Stats {
  records: number;
  years: number[];
  yearsFromColumn: boolean;
  badCells: number;
  forms: Form[];
}

const PROBLEM_LIMIT = 20;

/**
 * The decoded rows of one file, in a temporary table whose row id is the file's line minus 2:
 * DuckDB's CSV reader returns rows in file order, and an insertion that preserves order (the
 * default, preserve_insertion_order) keeps it.
 */
class StudentRows {
  private static next = 0;
  readonly table: string;

  constructor(
    private readonly warehouse: Warehouse,
    private readonly path: string,
  ) {
    this.table = `student_file_${process.pid}_${StudentRows.next++}`;
  }

  private read_csv(): string {
    return `read_csv(${sqlString(this.path)}, all_varchar = true, header = true)`;
  }

  /** Reads the header with DuckDB; returns the file's columns by lower-case name. */
  async open(): Promise<Map<string, string>> {
    const described = await this.warehouse.all<{ column_name: string }>(
      `DESCRIBE SELECT * FROM ${this.read_csv()}`,
    );
    const columns = new Map<string, string>();
    for (const { column_name } of described) {
      const key = column_name.trim().toLowerCase();
      if (!columns.has(key)) columns.set(key, column_name);
    }
    return columns;
  }

  /** The one pass over the file. */
  async read(sql: StudentSql): Promise<void> {
    await this.warehouse.withSettings({ preserve_insertion_order: true }, () =>
      this.warehouse.run(
        `CREATE OR REPLACE TEMP TABLE ${this.table} AS
         SELECT ${sql.decoded().join(",\n")} FROM ${this.read_csv()}`,
      ),
    );
  }

  /** Students, years, cells that fail, and the forms: the item columns counted students have. */
  async stats(sql: StudentSql): Promise<Stats> {
    const present = sql.subjects.flatMap(({ prefix }) =>
      sql.items[prefix].map(
        (_, i) => `count(${prefix}_points[${i + 1}])::INTEGER AS ${prefix}_${i + 1}`,
      ),
    );
    const rows = await this.warehouse.all<Record<string, number | string | boolean | null>>(
      `SELECT year, grade, count(*)::INTEGER AS n, sum(bad)::INTEGER AS bad,
              bool_and(year_given) AS year_given ${present.map((p) => `, ${p}`).join("")}
       FROM temp.${this.table} GROUP BY ALL ORDER BY ALL`,
    );
    const forms: Form[] = [];
    for (const row of rows) {
      if (row.year === null || row.grade === null) continue;
      for (const { prefix } of sql.subjects) {
        const positions = sql.items[prefix]
          .map((_, i) => i + 1)
          .filter((position) => Number(row[`${prefix}_${position}`]) > 0);
        if (positions.length > 0) {
          forms.push({ year: Number(row.year), grade: String(row.grade), prefix, positions });
        }
      }
    }
    const years = new Set(rows.filter((row) => row.year !== null).map((row) => Number(row.year)));
    return {
      records: rows.reduce((sum, row) => sum + Number(row.n), 0),
      years: [...years].sort(),
      yearsFromColumn: rows.every((row) => row.year_given === true),
      badCells: rows.reduce((sum, row) => sum + Number(row.bad ?? 0), 0),
      forms,
    };
  }

  /**
   * The first cells that fail their check, in file order, as one error line each. Only a refused
   * file gets here: the file is read again, with each row's line, for the cells of its first bad
   * rows.
   */
  async problems(sql: StudentSql, file: string, badCells: number): Promise<InputError[]> {
    const lines = await this.warehouse.all<{ line: number }>(
      `SELECT (rowid + 2)::INTEGER AS line FROM temp.${this.table}
       WHERE bad > 0 ORDER BY line LIMIT ${PROBLEM_LIMIT}`,
    );
    const rows = await this.warehouse.all<{
      line: number;
      bad: { check: number; value: string | null }[];
    }>(
      sql.problemsQuery(
        `(SELECT (row_number() OVER () + 1)::INTEGER AS line, * FROM ${this.read_csv()})`,
        lines.map((row) => row.line),
      ),
    );
    const errors: InputError[] = [];
    for (const { line, bad } of rows) {
      for (const { check, value } of bad) {
        if (errors.length >= PROBLEM_LIMIT) break;
        const { column, expected, expectedOf } = sql.checks[check]!;
        const found = value ?? "";
        errors.push(
          new InputError(file, `expected ${expectedOf?.(found) ?? expected}`, {
            row: line,
            column,
            value: found,
          }),
        );
      }
    }
    if (badCells > errors.length) {
      errors.push(new InputError(file, `and ${badCells - errors.length} more cells like these`));
    }
    return errors;
  }

  /** Race and gender codes that name no group: warned, since such students get none. */
  async unknownCodes(file: string): Promise<string[]> {
    const warnings: string[] = [];
    for (const column of ["race", "gender"]) {
      const found = await this.warehouse.all<{ code: string; n: number }>(
        `SELECT unknown_${column} AS code, count(*)::INTEGER AS n FROM temp.${this.table}
         WHERE unknown_${column} IS NOT NULL GROUP BY ALL ORDER BY code`,
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
  async conditionCodes(): Promise<string> {
    const found = await this.warehouse.all<{ code: string; n: number }>(
      `SELECT code, count(*)::INTEGER AS n
       FROM (SELECT unnest(codes) AS code FROM temp.${this.table} WHERE codes IS NOT NULL)
       GROUP BY ALL ORDER BY code`,
    );
    return found.map(({ code, n }) => `${code} (${n})`).join(", ");
  }

  /**
   * The file's private_students rows: a row per student and subject registered, with the points
   * of the form's items of the student's year and grade.
   */
  studentsQuery(sql: StudentSql, forms: Form[], file: string): string {
    const line = "(rowid + 2)::INTEGER";
    return sql.subjects
      .map(({ prefix, subject }) => {
        const all = sql.items[prefix].length;
        const cases = forms
          .filter((form) => form.prefix === prefix)
          .map(({ year, grade, positions }) => {
            const points =
              positions.length === all
                ? `${prefix}_points`
                : `list_select(${prefix}_points, [${positions.join(", ")}])`;
            return `WHEN year = ${year} AND grade = ${sqlString(grade)} THEN ${points}`;
          });
        const points = cases.length > 0 ? `CASE ${cases.join(" ")} END` : "NULL::UTINYINT[]";
        return `
        SELECT year, org_code, grade, '${subject}' AS subject,
               ${sqlString(`${file}#`)} || ${line} AS student_key,
               ${prefix}_attempt AS attempt, ${prefix}_raw AS raw_score,
               ${prefix}_scaled AS scaled_score, ${prefix}_level AS performance_level,
               ${prefix}_sgp AS sgp, groups, ${points} AS points,
               ${sqlString(file)} AS source_file, ${line} AS source_row
        FROM temp.${this.table} WHERE ${prefix}_attempt IS NOT NULL`;
      })
      .join(" UNION ALL ");
  }

  async drop(): Promise<void> {
    await this.warehouse.run(`DROP TABLE IF EXISTS temp.${this.table}`);
  }
}
