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

/**
 * Families of student groups whose members, with what is left of their parent, make up the
 * parent: publishing the parent and every member but one gives that one away by subtraction. A
 * flag group alone is a family too: all students minus the group is the rest of the school.
 */
const GROUP_FAMILIES: readonly { family: string; parent: string; members: readonly string[] }[] = [
  ...["high_needs", "low_income", "el", "former_el", "ever_el", "swd"].map((group) => ({
    family: group,
    parent: "all",
    members: [group],
  })),
  { family: "gender", parent: "all", members: ["female", "male"] },
  {
    family: "race",
    parent: "all",
    members: [
      "asian",
      "black",
      "hispanic",
      "multi_race",
      "native_american",
      "pacific_islander",
      "white",
    ],
  },
  { family: "english_learners", parent: "ever_el", members: ["el", "former_el"] },
];

/**
 * Complementary suppression (domain.md section 6) of the results computed from student rows:
 * the groups to withhold, besides those under the minimum, so that no withheld group can be
 * recovered from the published ones. Per school, year and test, within each family: the students
 * hidden are the members under the minimum and the parent's students in no member; when some are
 * hidden but fewer than the minimum, the smallest member that could be published is withheld too,
 * which makes the hidden students at least the minimum. `sizes` is a query of (year, org_code,
 * test, student_group, n). One pass: a group withheld in one family is not fed into another.
 */
export function complementSql(sizes: string, settings: Settings): string {
  const min = Number(settings.minGroupSize);
  const families = GROUP_FAMILIES.flatMap(({ family, parent, members }) =>
    members.map((member) => `('${family}', '${parent}', '${member}')`),
  ).join(", ");
  return `
    WITH sizes AS (${sizes}),
    families(family, parent, member) AS (VALUES ${families}),
    members AS (
      SELECT f.family, f.parent, s.year, s.org_code, s.test, f.member, s.n
      FROM sizes s JOIN families f ON f.member = s.student_group
    ),
    hidden AS (
      SELECT m.family, m.year, m.org_code, m.test,
             coalesce(sum(m.n) FILTER (WHERE m.n < ${min}), 0) + any_value(p.n) - sum(m.n)
               AS n_hidden
      FROM members m
      JOIN sizes p ON p.year = m.year AND p.org_code = m.org_code AND p.test = m.test
                  AND p.student_group = m.parent
      GROUP BY ALL
      -- Members that add up to more than their parent are not a partition of it.
      HAVING sum(m.n) <= any_value(p.n)
    )
    SELECT DISTINCT year, org_code, test, student_group FROM (
      SELECT m.year, m.org_code, m.test, m.member AS student_group,
             row_number() OVER (PARTITION BY m.family, m.year, m.org_code, m.test
                                ORDER BY m.n, m.member) AS smallest
      FROM members m JOIN hidden h USING (family, year, org_code, test)
      WHERE h.n_hidden > 0 AND h.n_hidden < ${min} AND m.n >= ${min}
    ) WHERE smallest = 1`;
}

/** SQL condition: a group is withheld, under the minimum or by complementary suppression. */
export function withheldWhen(nExpr: string, complementExpr: string, settings: Settings): string {
  return `(${suppressedWhen(nExpr, settings)} OR coalesce(${complementExpr}, false))`;
}

/** SQL for a figure emptied when its group is withheld for either reason. */
export function unlessWithheld(
  figure: string,
  nExpr: string,
  complementExpr: string,
  settings: Settings,
): string {
  return `CASE WHEN ${withheldWhen(nExpr, complementExpr, settings)} THEN NULL ELSE ${figure} END`;
}

/** Why a group's figures are withheld, as SQL: 'small', 'complement', or null. */
export function withheldReasonSql(
  nExpr: string,
  complementExpr: string,
  settings: Settings,
): string {
  return `CASE WHEN ${suppressedWhen(nExpr, settings)} THEN 'small'
               WHEN coalesce(${complementExpr}, false) THEN 'complement' END`;
}
