import { quoteIdentifier } from "../../warehouse/db.ts";
import { MISSING_MARKERS, SUPPRESSED_MARKERS } from "../text.ts";

/**
 * The SQL that reads a student-level file in one pass (see student-scores.ts): what each cell
 * must hold, and what each row becomes. Cells are read as text, untrimmed, with blank cells null.
 */

export const SUBJECTS = [
  { prefix: "e", subject: "ELA" },
  { prefix: "m", subject: "MATH" },
  { prefix: "s", subject: "SCI" },
] as const;
export type Prefix = (typeof SUBJECTS)[number]["prefix"];

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
/** Item points are whole numbers, stored as UTINYINT. */
export const MAX_POINTS = 255;

const ITEM_COLUMN = /^([ems])item(\d+)$/;
const TRAIT_COLUMN = /^(idea|conv)(\d+)$/;
export const isItemColumn = (name: string) => ITEM_COLUMN.test(name);
const isTraitColumn = (name: string) => TRAIT_COLUMN.test(name);
/** What the item map calls a column: mitem5 is item 5; idea1 is the trait IDEA1 of WR12.IDEA1. */
export const itemKey = (column: string) => ITEM_COLUMN.exec(column)?.[2] ?? column.toUpperCase();

export const sqlString = (text: string) => `'${text.replaceAll("'", "''")}'`;
/**
 * Whether `expr` is one of `values`. Written with list_contains: DuckDB 1.5 takes seconds to plan
 * a few hundred `IN (...)` lists of seven strings, and no time for these.
 */
export const isIn = (expr: string, values: readonly string[]) =>
  `list_contains([${values.map(sqlString).join(", ")}], ${expr})`;
const MARKERS = [...MISSING_MARKERS, ...SUPPRESSED_MARKERS];

/** A raw cell is a marker: blank (null), or NA, --, * and the like, trimmed and in any case. */
const isMarker = (cell: string) => `(${cell} IS NULL OR ${isIn(`lower(trim(${cell}))`, MARKERS)})`;
/** The trimmed text of a cell, null for a marker. */
const textOf = (cell: string) => `CASE WHEN ${isMarker(cell)} THEN NULL ELSE trim(${cell}) END`;
const numberOf = (cell: string) => `try_cast(${cell} AS DOUBLE)`;
/**
 * Whether a cell that is no number fails: every cell is cast first, so the marker test runs
 * only on the few cells that hold text (most points are digits, most others blank).
 */
const textFails = (cell: string, accepted: string) =>
  `CASE WHEN ${cell} IS NULL THEN false ELSE NOT (${isIn(`lower(trim(${cell}))`, MARKERS)}${accepted}) END`;
const isWholePoints = (value: string) =>
  `(${value} >= 0 AND ${value} <= ${MAX_POINTS} AND ${value} = trunc(${value}))`;

interface Check {
  column: string;
  /** SQL that is true when the cell fails. */
  fails: string;
  expected: string;
  /** What a failing value should have been, where that depends on the value. */
  expectedOf?: (value: string) => string;
}

/** Points are refused as "0 or more"; a positive number, as not whole or above MAX_POINTS. */
const expectedPoints = (expected: string) => (value: string) =>
  Number(value) >= 0 ? `whole points from 0 to ${MAX_POINTS}` : expected;

/** The SQL of one file: its columns, what each cell must hold, and what the rows become. */
export class StudentSql {
  /** Per subject, the item and trait columns of the file (lower case), in file order. */
  readonly items: Record<Prefix, string[]> = { e: [], m: [], s: [] };
  readonly checks: Check[] = [];
  readonly subjects: (typeof SUBJECTS)[number][];

  /** `columns`: the file's column names by their lower-case name. */
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
      else if (isTraitColumn(name)) this.items.e.push(name);
    }
    this.subjects = SUBJECTS.filter(
      ({ prefix }) => this.items[prefix].length > 0 && columns.has(`${prefix}attempt`),
    );
    this.addChecks();
  }

  /** Whether the file has the column of that lower-case name. */
  has(name: string): boolean {
    return this.columns.has(name);
  }

  /** The raw cell of a column, by its lower-case name. */
  cell(name: string): string {
    return quoteIdentifier(this.columns.get(name) ?? name);
  }

  private addChecks(): void {
    const check = (
      column: string,
      fails: string,
      expected: string,
      expectedOf?: Check["expectedOf"],
    ) => {
      if (this.has(column)) this.checks.push({ column, fails, expected, expectedOf });
    };
    const c = (name: string) => this.cell(name);
    check(
      "adminyear",
      `CASE WHEN ${isMarker(c("adminyear"))} THEN false ` +
        `ELSE NOT regexp_full_match(trim(${c("adminyear")}), '(19|20)\\d\\d') END`,
      "a four-digit year (blank if missing)",
    );
    for (const { prefix } of this.subjects) {
      for (const column of this.items[prefix]) {
        const cell = c(column);
        const value = numberOf(cell);
        const trait = isTraitColumn(column);
        const expected = trait
          ? "an essay trait score, a condition code such as BL or OT, or blank/NA"
          : "points, 0 or more (blank or NA if none)";
        check(
          column,
          `CASE WHEN ${value} IS NOT NULL THEN NOT ${isWholePoints(value)} ` +
            `ELSE ${textFails(cell, trait ? ` OR regexp_full_match(trim(${cell}), '[A-Za-z]{2,3}')` : "")} END`,
          expected,
          expectedPoints(expected),
        );
      }
      check(
        `${prefix}attempt`,
        textFails(
          c(`${prefix}attempt`),
          ` OR ${isIn(`lower(trim(${c(`${prefix}attempt`)}))`, ATTEMPTS)}`,
        ),
        "F (full), P (partial), N (not tested), or NA where the student was not registered",
      );
      for (const score of ["rawsc", "scaleds", "sgp"]) {
        const cell = c(`${prefix}${score}`);
        check(
          `${prefix}${score}`,
          `CASE WHEN ${numberOf(cell)} IS NOT NULL THEN false ELSE ${textFails(cell, "")} END`,
          "a number (blank or NA if none)",
        );
      }
    }
    // Grade and school matter only for students registered for some subject.
    const registered = this.registeredAny();
    check(
      "grade",
      `(${registered} AND NOT coalesce(try_cast(${c("grade")} AS INTEGER) BETWEEN 1 AND 12, false))`,
      "the student's grade, a whole number from 1 to 12",
    );
    if (this.layout === "full") {
      this.checks.push({
        column: this.has("testschoolcode") ? "testschoolcode" : "sprp_sch",
        fails: `(${registered} AND NOT coalesce(regexp_full_match(${this.schoolCell()}, '\\d{1,8}'), false))`,
        expected: "the school's code, up to 8 digits (or a code in sprp_sch)",
      });
      for (const flag of Object.keys(FLAGS)) {
        check(
          flag,
          textFails(c(flag), ` OR ${isIn(`lower(trim(${c(flag)}))`, [...FLAG_YES, ...FLAG_NO])}`),
          `a flag: ${FLAG_YES.join("/")} for yes, ${FLAG_NO.join("/")} or blank for no`,
        );
      }
    }
    if (this.fallbackYear === undefined && this.has("adminyear")) {
      this.checks.push({
        column: "adminyear",
        fails: isMarker(c("adminyear")),
        expected: "the year: the cell is blank, and neither --year nor the file name gives one",
      });
    }
  }

  private registeredAny(): string {
    const parts = this.subjects.map(
      ({ prefix }) => `NOT ${isMarker(this.cell(`${prefix}attempt`))}`,
    );
    return parts.length === 0 ? "false" : `(${parts.join(" OR ")})`;
  }

  private schoolCell(): string {
    const cells = ["testschoolcode", "sprp_sch"]
      .filter((name) => this.has(name))
      .map((name) => textOf(this.cell(name)));
    return cells.length === 1 ? cells[0]! : `coalesce(${cells.join(", ")})`;
  }

  /** A check's value as the error message shows it: the trimmed cell, empty for a marker. */
  valueOf(column: string): string {
    return textOf(this.cell(column));
  }

  /**
   * The decoded columns of a row: year, school, grade, groups; per subject the attempt, scores
   * and, for a counted student (attempt F or P), the points of every item column of the subject;
   * and `bad`, the number of cells that fail their check. Also, for the log and the warnings,
   * the essay condition codes of the row and race or gender codes that name no group.
   */
  decoded(): string[] {
    const c = (name: string) => this.cell(name);
    const year = this.has("adminyear")
      ? `coalesce(try_cast(${c("adminyear")} AS INTEGER), ${this.fallbackYear ?? "NULL"})`
      : `${this.fallbackYear ?? "NULL"}::INTEGER`;
    let org = this.org ? sqlString(this.org) : `lpad(${this.schoolCell()}, 8, '0')`;
    const moves = Object.entries(this.crosswalk);
    if (!this.org && moves.length > 0) {
      const cases = moves.map(([from, to]) => `WHEN ${sqlString(from)} THEN ${sqlString(to)}`);
      org = `(CASE ${org} ${cases.join(" ")} ELSE ${org} END)`;
    }
    const columns = [
      `${year} AS year`,
      `${org} AS org_code`,
      `lpad(try_cast(${c("grade")} AS INTEGER)::VARCHAR, 2, '0') AS grade`,
      `${this.groups()} AS groups`,
      `${this.has("adminyear") ? `NOT ${isMarker(c("adminyear"))}` : "false"} AS year_given`,
    ];
    for (const { prefix } of this.subjects) {
      const attempt = c(`${prefix}attempt`);
      const score = (name: string) =>
        this.has(`${prefix}${name}`) ? numberOf(c(`${prefix}${name}`)) : "NULL::DOUBLE";
      const counted = `coalesce(${isIn(`upper(trim(${attempt}))`, ["F", "P"])}, false)`;
      const points = this.items[prefix].map(
        (column) => `try_cast(${numberOf(c(column))} AS UTINYINT)`,
      );
      columns.push(
        `CASE WHEN ${isMarker(attempt)} THEN NULL ELSE upper(trim(${attempt})) END AS ${prefix}_attempt`,
        `${score("rawsc")} AS ${prefix}_raw`,
        `${score("scaleds")} AS ${prefix}_scaled`,
        `${this.has(`${prefix}perflev`) ? textOf(c(`${prefix}perflev`)) : "NULL::VARCHAR"} AS ${prefix}_level`,
        `${score("sgp")} AS ${prefix}_sgp`,
        `CASE WHEN ${counted} THEN [${points.join(", ")}] END AS ${prefix}_points`,
      );
    }
    const bad = this.checks.map(({ fails }) => `(${fails})::INTEGER`);
    columns.push(`${bad.length > 0 ? bad.join(" + ") : "0"} AS bad`);
    columns.push(`${this.conditionCodes()} AS codes`);
    for (const [column, codes] of [
      ["race", RACES],
      ["gender", GENDERS],
    ] as const) {
      columns.push(
        this.layout === "full" && this.has(column)
          ? `CASE WHEN NOT ${isMarker(c(column))} AND NOT ${isIn(`lower(trim(${c(column)}))`, Object.keys(codes))} THEN trim(${c(column)}) END AS unknown_${column}`
          : `NULL::VARCHAR AS unknown_${column}`,
      );
    }
    return columns;
  }

  /** The groups the row's flags, race and gender name, besides 'all'. */
  private groups(): string {
    const c = (name: string) => this.cell(name);
    const groups: string[] = [];
    if (this.layout === "full") {
      for (const [flag, group] of Object.entries(FLAGS)) {
        if (this.has(flag)) {
          groups.push(`CASE WHEN ${isIn(`lower(trim(${c(flag)}))`, FLAG_YES)} THEN '${group}' END`);
        }
      }
      for (const [column, codes] of [
        ["race", RACES],
        ["gender", GENDERS],
      ] as const) {
        if (!this.has(column)) continue;
        const cases = Object.entries(codes).map(
          ([code, group]) => `WHEN ${sqlString(code)} THEN '${group}'`,
        );
        groups.push(`CASE lower(trim(${c(column)})) ${cases.join(" ")} END`);
      }
    }
    return groups.length === 0
      ? "[]::VARCHAR[]"
      : `list_filter([${groups.join(", ")}], g -> g IS NOT NULL)`;
  }

  /** The essay condition codes of a row (BL, OT, ...), upper case; null when it has none. */
  private conditionCodes(): string {
    const codes = this.items.e
      .filter((column) => isTraitColumn(column) && this.subjects.some((s) => s.prefix === "e"))
      .map((column) => {
        const cell = this.cell(column);
        return `CASE WHEN ${numberOf(cell)} IS NULL AND NOT ${isMarker(cell)} THEN upper(trim(${cell})) END`;
      });
    if (codes.length === 0) return "NULL::VARCHAR[]";
    return `CASE WHEN coalesce(${codes.join(", ")}) IS NOT NULL THEN list_filter([${codes.join(", ")}], code -> code IS NOT NULL) END`;
  }

  /**
   * For the first bad rows (by line): each failing cell, as the check's index and the value.
   * `rows` reads the file with each row's line.
   */
  problemsQuery(rows: string, lines: number[]): string {
    const cells = this.checks.map(
      ({ column, fails }, i) =>
        `CASE WHEN ${fails} THEN {'check': ${i}, 'value': ${this.valueOf(column)}} END`,
    );
    return `
      SELECT line, list_filter([${cells.join(", ")}], cell -> cell IS NOT NULL) AS bad
      FROM ${rows} WHERE line IN (${lines.join(", ")}) ORDER BY line`;
  }
}
