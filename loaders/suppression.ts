import type { Settings } from "./settings.ts";

/**
 * Small-group suppression (../shared/domain.md section 6): no figure is published for a group of
 * fewer than `minGroupSize` students. Its row stays, so that the page can say the group exists and
 * why its figures are withheld, but every figure and its exact count are emptied: even "3
 * students" tells a reader too much about a small group in one school.
 */

/** How each published data file is checked; tests read every built file against this. */
export interface PublishedTable {
  /** The column holding the group's number of students (null when suppressed or unknown). */
  nColumn: string;
  /** Columns holding figures computed from the group's students: null whenever suppressed. */
  figureColumns: readonly string[];
  /**
   * True when the file holds results the state itself published per organisation without a
   * count (the item workbooks): their n may be unknown, and they are shown with that caveat.
   */
  nMayBeUnknown?: boolean;
}

export const PUBLISHED_TABLES: Readonly<Record<string, PublishedTable>> = {
  achievement: {
    nColumn: "n_students",
    figureColumns: [
      "pct_meeting_or_above",
      "avg_scaled_score",
      "sgp",
      "participation_rate",
      "gap_to_all",
      "gap_to_state_group",
      "gap_to_state_all",
      "cpi",
      "z_to_all",
      "z_to_state_group",
      "change_1y",
      "change_since_first",
      "effect_size",
    ],
  },
  levels: { nColumn: "n_students", figureColumns: ["n", "pct"] },
  items: {
    nColumn: "n_students",
    figureColumns: [
      "pct_org",
      "pct_state",
      "diff_published",
      "diff",
      "flagged",
      "flagged_ratio",
      "z",
    ],
    nMayBeUnknown: true,
  },
  skills: {
    nColumn: "n_students",
    figureColumns: ["pct_org", "pct_state", "diff", "z", "n_flagged"],
    nMayBeUnknown: true,
  },
  checks: {
    nColumn: "n_students",
    figureColumns: ["published", "expected"],
    // A row whose figures are all missing (a level sum of withheld levels) may have no n.
    nMayBeUnknown: true,
  },
  rollups: {
    nColumn: "n_students",
    figureColumns: [
      "pct_org",
      "pct_state",
      "diff",
      "points_earned",
      "n_flagged",
      "z",
      "pct_rest",
      "diff_to_rest",
    ],
    nMayBeUnknown: true,
  },
};

/** SQL condition, true when a group of `nExpr` students must be suppressed. */
export function suppressedWhen(nExpr: string, settings: Settings): string {
  return `(${nExpr} IS NOT NULL AND ${nExpr} < ${Number(settings.minGroupSize)})`;
}

/** SQL for a figure that is emptied when the group is suppressed. */
export function unlessSuppressed(figure: string, nExpr: string, settings: Settings): string {
  return `CASE WHEN ${suppressedWhen(nExpr, settings)} THEN NULL ELSE ${figure} END`;
}

export function suppressionReason(settings: Settings): string {
  return (
    `fewer than ${settings.minGroupSize} students: figures for groups this small are not ` +
    "published, to protect students' privacy"
  );
}
