import type { CellValue } from "exceljs";
import { roundHalfUp } from "../rounding.ts";
import { cellText } from "./cells.ts";
import { markerOf, parseDecimal } from "./text.ts";
import type { AchievementRow, TableRows } from "./formats/types.ts";

/**
 * What the two legacy MCAS formats share: the A/P/NI/W levels, how the legacy files publish each
 * figure and how it is read (markers, published precision, float noise), the achievement rows one
 * organisation's results become, and the checks whose findings become one warning per file.
 */

export const LEGACY_LEVELS = ["A", "P", "NI", "W"] as const;
export type LegacyLevel = (typeof LEGACY_LEVELS)[number];

/** How the legacy files publish each figure. */
export type Measure = "count" | "percent" | "cpi" | "sgp";

/**
 * Published precision: the layout sheets call the percents "rounded" (whole numbers in every
 * real file) and the CPI and SGP have one decimal (84.3, 52.5).
 */
const DECIMALS: Record<Measure, number> = { count: 0, percent: 0, cpi: 1, sgp: 1 };
const RANGES: Record<Measure, [number, number, string]> = {
  count: [0, Infinity, "a whole number of students"],
  percent: [0, 100, "a percent from 0 to 100"],
  cpi: [0, 100, "a CPI from 0 to 100"],
  sgp: [1, 99, "a growth percentile from 1 to 99"],
};

/**
 * Below this a difference from the published precision is float noise (79.0999999 for 79.1, as
 * Excel or a float conversion writes it), far under the 0.1 the files publish.
 */
const NOISE = 0.001;

export type Figure =
  | { ok: true; value: number | null; withheld?: true; excess?: true }
  | { ok: false; expected: string };

/**
 * A published figure from a workbook cell or a CSV field. Blank and " " cells are missing (null),
 * "*" is withheld (null, flagged), never 0. A number is rounded half up to the precision the file
 * publishes, which removes float noise; a number with more real decimals than that (79.06 as a
 * CPI) is rounded too and flagged `excess`, for the warning that lists them. A count must be whole.
 */
export function readFigure(value: CellValue | string, measure: Measure): Figure {
  const [min, max, expected] = RANGES[measure];
  let number: number;
  if (value && typeof value === "object" && "result" in value) {
    return readFigure(value.result as CellValue, measure);
  }
  if (typeof value === "number") {
    number = value;
  } else {
    const text = typeof value === "string" ? value : cellText(value);
    const marker = markerOf(text);
    if (marker === "missing") return { ok: true, value: null };
    if (marker === "suppressed") return { ok: true, value: null, withheld: true };
    const parsed = parseDecimal(text);
    if (!parsed.ok || parsed.value === null)
      return { ok: false, expected: `${expected} (blank if missing)` };
    number = parsed.value;
  }
  const rounded = roundHalfUp(number, DECIMALS[measure]);
  const excess = Math.abs(number - rounded) >= NOISE;
  if (!Number.isFinite(number) || (measure === "count" && excess)) return { ok: false, expected };
  if (rounded < min || rounded > max) return { ok: false, expected };
  return excess ? { ok: true, value: rounded, excess: true } : { ok: true, value: rounded };
}

/**
 * Each level percent is an exact share rounded half up to a whole number, so it lies in
 * (share - 0.5, share + 0.5]. The four shares sum to 100, so the four percents sum to more than 98
 * and at most 102: a whole sum from 99 to 102. (102 needs all four to be exact halves: 27 rows of
 * the 2015 workbooks, of 40, 80 or 200 students, sum to 102; none falls outside. See
 * loaders/analysis/checks.ts.)
 */
export const LEVEL_SUM_RANGE = [99, 102] as const;

/** The identity and names of the organisation a row is about. */
export type LegacyOrg = Pick<
  AchievementRow,
  "org_code" | "org_name" | "org_type" | "district_code" | "district_name"
>;

/** One organisation's results in one year, grade and subject, as the legacy files give them. */
export interface LegacyResult {
  year: number;
  grade: string;
  subject: string;
  n_students: number | null;
  n_meeting_or_above: number | null;
  pct_meeting_or_above: number | null;
  cpi: number | null;
  sgp: number | null;
  n_included_sgp: number | null;
  participation_rate: number | null;
  levels: Record<LegacyLevel, { n: number | null; pct: number | null; withheld: boolean }>;
  /** Columns whose cells the file marks as suppressed. */
  withheld: string[];
}

/**
 * What a subject and year of a row holds: `results` (students tested, a published result, or a
 * withheld cell), `none` (every cell blank: a subject not tested, such as science in grade 3, or
 * PARCC taken instead of MCAS in 2015), or `participation only` (a participation rate or an SGP
 * count of 0, with no students tested). Only the first makes a row: the last says nothing of
 * achievement, and a row with no count cannot be held to the minimum group size.
 */
export function contentOf(result: LegacyResult): "results" | "none" | "participation only" {
  const levels = LEGACY_LEVELS.flatMap((level) => [
    result.levels[level].n,
    result.levels[level].pct,
  ]);
  const results = [result.n_students, result.pct_meeting_or_above, result.cpi, result.sgp];
  if (result.withheld.length > 0 || [...results, ...levels].some((v) => v !== null)) {
    return "results";
  }
  const other = [result.participation_rate, result.n_included_sgp, result.n_meeting_or_above];
  return other.some((v) => v !== null) ? "participation only" : "none";
}

/** Adds one achievement row and its four level rows (A, P, NI, W) for all students. */
export function addLegacyRows(
  rows: TableRows,
  org: LegacyOrg,
  result: LegacyResult,
  sourceFile: string,
): void {
  const key = { year: result.year, grade: result.grade, subject: result.subject };
  rows.achievement.push({
    ...key,
    ...org,
    student_group: "all",
    n_students: result.n_students,
    n_meeting_or_above: result.n_meeting_or_above,
    pct_meeting_or_above: result.pct_meeting_or_above,
    avg_scaled_score: null,
    sgp: result.sgp,
    n_included_sgp: result.n_included_sgp,
    participation_rate: result.participation_rate,
    achievement_percentile: null,
    source_file: sourceFile,
    cpi: result.cpi,
    withheld: result.withheld,
  });
  for (const level of LEGACY_LEVELS) {
    rows.achievement_levels.push({
      ...key,
      org_code: org.org_code,
      student_group: "all",
      level,
      ...result.levels[level],
      source_file: sourceFile,
    });
  }
}

/** Findings of a legacy file that do not stop its load, each reported as one warning. */
export class LegacyChecks {
  private readonly sums: string[] = [];
  private readonly excess: string[] = [];

  constructor(readonly file: string) {}

  /** Subjects and years of rows that hold only a participation rate or an SGP count. */
  participationOnly = 0;

  /**
   * Whether a result makes a row, counting those that hold participation only, and noting a row
   * whose level percents cannot sum to 100.
   */
  admit(org: string, result: LegacyResult): boolean {
    const content = contentOf(result);
    if (content === "participation only") this.participationOnly += 1;
    if (content !== "results") return false;
    this.checkLevelSum(org, result);
    return true;
  }

  /** Notes a row whose four level percents cannot sum to 100 by rounding alone. */
  private checkLevelSum(org: string, result: LegacyResult): void {
    const percents = LEGACY_LEVELS.map((level) => result.levels[level].pct);
    if (percents.some((pct) => pct === null)) return;
    const sum = (percents as number[]).reduce((total, pct) => total + pct, 0);
    if (sum < LEVEL_SUM_RANGE[0] || sum > LEVEL_SUM_RANGE[1]) {
      this.sums.push(`${org}/${result.grade}/${result.subject}/${result.year} (${sum})`);
    }
  }

  /** Notes a cell whose value had more decimals than the file publishes. */
  noteExcess(place: string, value: CellValue | string): void {
    this.excess.push(`${place} (${cellText(value as CellValue)})`);
  }

  /** The log line about subjects and years left out for holding participation only. */
  logLine(): string | undefined {
    if (this.participationOnly === 0) return undefined;
    return (
      `${this.file}: ${this.participationOnly} subject-year(s) of a row hold only a ` +
      "participation rate or an SGP count, with no students tested: not loaded"
    );
  }

  warnings(): string[] {
    const warnings: string[] = [];
    if (this.sums.length > 0) {
      warnings.push(
        `${this.file}: ${this.sums.length} row(s) whose A/P/NI/W percents do not sum to 100 ` +
          `(${LEVEL_SUM_RANGE[0]} to ${LEVEL_SUM_RANGE[1]} allowed for rounding), loaded as ` +
          `published: ${listSome(this.sums)}`,
      );
    }
    if (this.excess.length > 0) {
      warnings.push(
        `${this.file}: ${this.excess.length} cell(s) hold more decimals than the file publishes ` +
          `(whole percents; CPI and SGP to 0.1) and were rounded half up: ${listSome(this.excess)}`,
      );
    }
    return warnings;
  }
}

function listSome(items: string[], limit = 20): string {
  const shown = items.slice(0, limit).join(", ");
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown;
}
