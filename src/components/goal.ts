import type ExcelJSModule from "exceljs";

// ".js": the browser asks Framework for the transpiled module; tsc maps it to worksheet.ts.
import { workbookOf } from "./worksheet.js";

// The goal worksheet of step 1 (PIM worksheet 2-A): from a group's baseline counts per
// achievement level, the counts per level and the percent at or above the bar (% M+E, % P+A)
// projected for each year up to the goal. Plain functions, so that the page recomputes the
// worksheet in the browser when a value is edited, and tests check the arithmetic directly.

/**
 * Rules a team can set its goal by; `goal(baseline, years)` gives the percent to reach. The state
 * set its goals on CPI (2012–2017) and on scaled scores (2018 on); the worksheet applies the same
 * principles to the percent at or above the bar, and the page says so.
 */
export interface Level {
  level: string;
  n: number;
  /** At or above the bar the state counts as success (M, E; P, A). */
  success: boolean;
}

export interface ProjectedYear {
  year: number;
  students: number;
  counts: Record<string, number>;
  /** The percent the straight path to the goal asks for this year. */
  target: number;
  /** The percent at or above the bar of the projected counts. */
  pct: number | null;
}

export interface Projection {
  baseline: number;
  rows: ProjectedYear[];
}

export type WorksheetRow = Record<string, string | number | null>;

export const GOAL_RULES = {
  halve: {
    label: "Halve the gap to 100 % (the 2012–2017 goal, applied to this percent)",
    goal: (baseline: number) => baseline + (100 - baseline) / 2,
  },
  third: {
    label: "Cut the gap to 100 % by a third (the state's ESSA plan goal, unconfirmed)",
    goal: (baseline: number) => baseline + (100 - baseline) / 3,
  },
  typed: { label: "A goal the team types in", goal: (baseline: number) => baseline },
} as const;

/** Half-up rounding, as the state rounds: 12.5 → 13 (a nudge absorbs binary error). */
export function roundHalfUp(value: number, digits = 0): number {
  const scale = 10 ** digits;
  return (
    (Math.sign(value) * Math.round(Math.abs(value) * scale * (1 + 4 * Number.EPSILON))) / scale
  );
}

/**
 * Splits `total` whole students over `weights` in proportion, by largest remainders, so that the
 * parts are whole and add up to `total`. With no weight at all, everything goes to `fallback`.
 */
export function splitWhole(total: number, weights: number[], fallback: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map((_, i) => (i === fallback ? total : 0));
  const exact = weights.map((w) => (total * w) / sum);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => ({ i, remainder: x - Math.floor(x) }))
    .sort((a, b) => b.remainder - a.remainder || b.i - a.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i]! += 1;
    left -= 1;
  }
  return parts;
}

/**
 * Projects a group's counts per level from its baseline year to the goal year. The percent at or
 * above the bar moves in equal steps from the baseline to the goal; each year's students at or
 * above it are split over those levels, and the others over the levels below, as at the baseline.
 *
 * levels: the scheme's levels, lowest first, each { level, n, success }.
 * students: each year's expected number of students tested (default: the baseline's).
 */
export function projectGoal({
  levels,
  baseYear,
  goalYear,
  goal,
  students = {},
}: {
  levels: Level[];
  baseYear: number;
  goalYear: number;
  goal: number;
  students?: Record<number, number>;
}): Projection {
  const baseN = levels.reduce((sum, d) => sum + d.n, 0);
  if (!(baseN > 0)) throw new Error("The baseline needs at least one student.");
  if (!(goalYear > baseYear)) throw new Error("The goal year must come after the baseline year.");
  if (!(goal >= 0 && goal <= 100)) throw new Error("The goal must be a percent from 0 to 100.");
  const above = levels.filter((d) => d.success);
  const below = levels.filter((d) => !d.success);
  const baseline = (100 * above.reduce((sum, d) => sum + d.n, 0)) / baseN;

  const rows: ProjectedYear[] = [];
  for (let year = baseYear; year <= goalYear; year++) {
    const n = year === baseYear ? baseN : (students[year] ?? baseN);
    const step = (year - baseYear) / (goalYear - baseYear);
    const target = baseline + step * (goal - baseline);
    // The fewest whole students that reach the path's percent: rounding to the nearest would
    // plan a year short of its own goal (154 of 257 is 59.9 %, under a goal of 60.1 %). The
    // allowance absorbs binary error, so that exactly 40 % of 80 stays 32.
    const atOrAbove =
      year === baseYear
        ? above.reduce((sum, d) => sum + d.n, 0)
        : Math.min(n, Math.ceil((n * target) / 100 - 1e-9));
    const upper = splitWhole(
      atOrAbove,
      above.map((d) => d.n),
      0,
    );
    const lower = splitWhole(
      n - atOrAbove,
      below.map((d) => d.n),
      below.length - 1,
    );
    const counts: Record<string, number> = {};
    above.forEach((d, i) => (counts[d.level] = upper[i]!));
    below.forEach((d, i) => (counts[d.level] = lower[i]!));
    rows.push({
      year,
      students: n,
      counts,
      target: roundHalfUp(target, 1),
      pct: n > 0 ? roundHalfUp((100 * atOrAbove) / n, 1) : null,
    });
  }
  return { baseline: roundHalfUp(baseline, 1), rows };
}

/** The worksheet as flat rows for CSV and Excel: a column per level, lowest first. */
export function worksheetRows(
  projection: Projection,
  levels: Level[],
  names: Record<string, string>,
): WorksheetRow[] {
  return projection.rows.map((row, index) => ({
    year: row.year,
    kind: index === 0 ? "baseline" : "projected",
    students: row.students,
    ...Object.fromEntries(
      levels.map((d) => [names[d.level] ?? d.level, row.counts[d.level] ?? null]),
    ),
    goal_path_pct: row.target,
    pct_at_or_above: row.pct,
  }));
}

/** The goal worksheet as an .xlsx file (a Blob) of one sheet, "Goal worksheet". */
export async function worksheetWorkbook(
  ExcelJS: typeof ExcelJSModule,
  { title, notes, rows }: { title: string; notes: string[]; rows: WorksheetRow[] },
): Promise<Blob> {
  return workbookOf(ExcelJS, [{ id: "Goal worksheet", title, notes, rows }]);
}
