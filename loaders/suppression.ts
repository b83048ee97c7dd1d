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

/** Rounds of complementary suppression: a group withheld in one family can expose another. */
const COMPLEMENT_ROUNDS = 4;

/**
 * Complementary suppression (domain.md section 6) of the results computed from student rows:
 * the groups to withhold, besides those under the minimum, so that no withheld group can be
 * recovered from the published ones by subtraction. A cell is one school's year, test and group,
 * of `n` students (`sizes`: a query of year, org_code, test, student_group, n). Cells add up to a
 * whole in two ways:
 * - groups within one test (GROUP_FAMILIES): the parent group's cell and its members' cells;
 * - grades within a grade span: the published grades 3 to 8 count of a group (the achievement
 *   rows' n, which step 1 shows) and the group's cells of the tests of grades 3 to 8. All
 *   students are left out of these: their counts from two sources differ by a few students who
 *   are nobody's group.
 * In each whole whose parent is shown, the students hidden are those of its hidden members and
 * those of the parent in no member. The smallest member still shown is hidden too when they are
 * more than none but fewer than the minimum, or when they are one member's alone (the parent
 * minus the others would give that member, even a large one hidden to protect another whole);
 * then they are at least the minimum, and never one cell. With no member left to hide, the parent
 * is hidden (a grade span's count is the state's own, and stays). A cell hidden this way can expose
 * another whole, so the rule runs COMPLEMENT_ROUNDS times. Members that add up to more than their
 * parent are not a partition of it, and give nothing away.
 */
export function complementSql(sizes: string, settings: Settings): string {
  const min = Number(settings.minGroupSize);
  const families = GROUP_FAMILIES.flatMap(({ family, parent, members }) =>
    members.map((member) => `('${family}', '${parent}', '${member}')`),
  ).join(", ");
  const cell = "year, org_code, test, student_group";
  const rounds: string[] = [];
  for (let round = 1; round <= COMPLEMENT_ROUNDS; round++) {
    const before = `hidden_${round - 1}`;
    rounds.push(`
    wholes_${round} AS (
      SELECT l.whole,
             sum(l.n) FILTER (WHERE NOT l.is_parent) AS n_members,
             coalesce(sum(l.n) FILTER (WHERE NOT l.is_parent AND h.test IS NOT NULL), 0)
               AS n_hidden_members,
             count(*) FILTER (WHERE NOT l.is_parent AND h.test IS NOT NULL) AS k_hidden_members,
             any_value(l.n) FILTER (WHERE l.is_parent) AS n_parent,
             bool_or(l.is_parent AND h.test IS NOT NULL) AS parent_hidden
      FROM links l LEFT JOIN ${before} h USING (${cell})
      GROUP BY l.whole
    ),
    exposed_${round} AS (
      -- The smallest member still shown; with none left, the parent, when it is one of these
      -- cells (the grades 3 to 8 count is the state's, shown whatever this does) and not all
      -- students (a group that is everyone gives nobody away).
      SELECT ${cell} FROM (
        SELECT l.*, row_number() OVER (
                 PARTITION BY l.whole ORDER BY l.is_parent, l.n, l.test, l.student_group) AS pick
        FROM links l
        JOIN wholes_${round} w USING (whole)
        LEFT JOIN ${before} h USING (${cell})
        WHERE h.test IS NULL
          AND (NOT l.is_parent OR (l.test NOT LIKE '%-03-08' AND l.student_group <> 'all'))
          AND NOT coalesce(w.parent_hidden, false)
          AND w.n_parent IS NOT NULL AND w.n_members <= w.n_parent
          AND w.n_hidden_members + w.n_parent - w.n_members > 0
          AND (w.n_hidden_members + w.n_parent - w.n_members < ${min}
               OR (w.k_hidden_members = 1 AND w.n_parent = w.n_members))
      ) WHERE pick = 1
    ),
    hidden_${round} AS (SELECT * FROM ${before} UNION SELECT * FROM exposed_${round})`);
  }
  return `
    WITH sizes AS (${sizes}),
    families(family, parent, member) AS (VALUES ${families}),
    grade_tests AS (
      SELECT *, split_part(test, '-', 1) AS subject, split_part(test, '-', 2) AS grade
      FROM sizes WHERE student_group <> 'all'
    ),
    links AS (
      SELECT concat_ws('|', f.family, s.year, s.org_code, s.test) AS whole,
             s.year, s.org_code, s.test, s.student_group, s.n, s.student_group = f.parent AS is_parent
      FROM sizes s
      JOIN (SELECT family, parent, member FROM families
            UNION SELECT DISTINCT family, parent, parent FROM families) f
        ON s.student_group = f.member
      UNION ALL
      SELECT concat_ws('|', 'grades', g.year, g.org_code, g.subject, g.student_group), g.year,
             g.org_code, g.test, g.student_group, g.n, false
      FROM grade_tests g WHERE g.grade BETWEEN '03' AND '08'
      UNION ALL
      SELECT DISTINCT concat_ws('|', 'grades', a.year, a.org_code, a.subject, a.student_group),
             a.year, a.org_code, a.subject || '-03-08', a.student_group, a.n_students, true
      FROM achievement a
      WHERE a.grade = '03-08' AND a.student_group <> 'all' AND a.n_students >= ${min}
        AND EXISTS (SELECT 1 FROM grade_tests g
                    WHERE g.year = a.year AND g.org_code = a.org_code AND g.subject = a.subject
                      AND g.student_group = a.student_group)
    ),
    hidden_0 AS (SELECT ${cell} FROM sizes WHERE n < ${min}),
    ${rounds.join(",")}
    SELECT ${cell} FROM hidden_${COMPLEMENT_ROUNDS}
    EXCEPT SELECT ${cell} FROM hidden_0`;
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
