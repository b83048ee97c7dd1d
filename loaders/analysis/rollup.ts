import type { Settings } from "../settings.ts";
import { suppressedWhen, unlessWithheld, withheldReasonSql, withheldWhen } from "../suppression.ts";
import { flaggedRatioSql, flaggedSql, itemsWithNSql, itemZSql } from "./items.ts";

/**
 * The domain of a standard, as SQL: the part that names what the standard is about, the same
 * through the grades. Grade and course standards put it second (5.NF.B.3, HS.PHY.2.10,
 * AI.F-IF.A.2, 8.T3.3); the ELA anchor standards first (R.PK-12.5, L.PK-12.2).
 */
export function domainSql(standard: string): string {
  return `CASE WHEN split_part(${standard}, '.', 2) IN ('PK-12', 'K-12', '')
               THEN split_part(${standard}, '.', 1)
               ELSE split_part(${standard}, '.', 2) END`;
}

/**
 * Points-weighted rollups of item results by reporting category, by standard and by standard
 * domain: the points the organisation earned over the points possible on the items that measure
 * it, never a mean of item percents (a 4-point item weighs four times a 1-point one). An item with
 * several standards counts toward each, and toward a domain once. A whole essay is counted through
 * its trait rows only, which split its points. For a student group computed from student rows, the
 * gap to the rest of the school: all students but the group, from the two rows' counts and points.
 */
export function rollupQuery(settings: Settings): string {
  const small = (n: string) => suppressedWhen(n, settings);
  const keep = (figure: string) => unlessWithheld(figure, "r.n_true", "r.complement", settings);
  const scored = (prefer: "published" | "students") => `
    -- Flagged by either rule, as the item tables and worksheet 3-A mark an item.
    SELECT *, coalesce(${flaggedSql(settings)} OR ${flaggedRatioSql(settings)}, false) AS is_flagged
    FROM (${itemsWithNSql(settings, prefer)})
    WHERE item_role <> 'essay'
      AND pct_possible_org IS NOT NULL AND pct_possible_state IS NOT NULL
      AND max_points IS NOT NULL`;
  const rollup = (level: string, keyExpr: string, from: string) => `
    SELECT year, page_org_code AS org_code, grade, subject, test, student_group, '${level}' AS level,
           ${keyExpr} AS key, any_value(n_true) AS n_true, bool_or(complement) AS complement,
           bool_or(basis = 'students') AS computed,
           count(*)::INTEGER AS n_items,
           sum(max_points)::DOUBLE AS points_possible,
           sum(pct_possible_org / 100 * max_points)::DOUBLE AS earned,
           (100 * sum(pct_possible_org / 100 * max_points) / sum(max_points))::DOUBLE AS pct_org,
           (100 * sum(pct_possible_state / 100 * max_points) / sum(max_points))::DOUBLE AS pct_state,
           count(*) FILTER (WHERE is_flagged)::INTEGER AS flagged_items
    FROM ${from}
    GROUP BY ALL`;
  // The rest of the school: n_all - n_group students, who earned n_all x earned_all - n_group x
  // earned_group points. Withheld when the rest is too small, since its figure and the group's
  // would give away the other.
  const restN = "(a.n_true - r.n_true)";
  const restPct = `100 * (a.n_true * a.earned - r.n_true * r.earned) / (${restN} * r.points_possible)`;
  const hasRest = `r.student_group <> 'all' AND r.computed AND ${restN} > 0
                   AND NOT ${small(restN)}`;
  return `
    WITH scored AS (${scored("published")}),
    by_standard AS (SELECT * EXCLUDE (standards), unnest(standards) AS standard FROM scored),
    by_domain AS (
      SELECT * EXCLUDE (standards),
             unnest(list_distinct(list_transform(standards, s -> ${domainSql("s")}))) AS domain
      FROM scored
    ),
    rolled AS (
      ${rollup("reporting_category", "coalesce(reporting_category, '(none)')", "scored")}
      UNION ALL
      ${rollup("standard", "standard", "by_standard")}
      UNION ALL
      ${rollup("domain", "domain", "by_domain")}
    ),
    -- All students as computed from the student rows, for the rest of the school: the published
    -- percents are rounded, and the rest's figure would carry that error times n_all / n_rest.
    students_scored AS (
      SELECT * FROM (${scored("students")}) WHERE basis = 'students' AND student_group = 'all'
    ),
    students_all AS (
      ${rollup("reporting_category", "coalesce(reporting_category, '(none)')", "students_scored")}
      UNION ALL
      ${rollup("standard", "standard", "(SELECT * EXCLUDE (standards), unnest(standards) AS standard FROM students_scored)")}
      UNION ALL
      ${rollup("domain", "domain", `(SELECT * EXCLUDE (standards), unnest(list_distinct(list_transform(standards, s -> ${domainSql("s")}))) AS domain FROM students_scored)`)}
    )
    SELECT r.year, r.org_code, r.grade, r.subject, r.test, r.student_group, r.level, r.key,
           r.n_items, r.points_possible,
           ${withheldWhen("r.n_true", "r.complement", settings)} AS suppressed,
           ${withheldReasonSql("r.n_true", "r.complement", settings)} AS withheld_reason,
           ${keep("r.n_true")}::INTEGER AS n_students,
           ${keep("round(r.earned, 2)")}::DOUBLE AS points_earned,
           ${keep("round(r.pct_org, 1)")}::DOUBLE AS pct_org,
           ${keep("round(r.pct_state, 1)")}::DOUBLE AS pct_state,
           ${keep("round(r.pct_org - r.pct_state, 1)")}::DOUBLE AS diff,
           ${keep(`round(${itemZSql("r.pct_org", "r.pct_state", "r.n_true")}, 2)`)}::DOUBLE AS z,
           ${keep("r.flagged_items")}::INTEGER AS n_flagged,
           ${keep(`CASE WHEN ${hasRest} THEN round(${restPct}, 1) END`)}::DOUBLE AS pct_rest,
           ${keep(`CASE WHEN ${hasRest} THEN round(r.pct_org - (${restPct}), 1) END`)}::DOUBLE
             AS diff_to_rest
    FROM rolled r
    LEFT JOIN students_all a
      ON a.year = r.year AND a.org_code = r.org_code AND a.test = r.test AND a.level = r.level
     AND a.key = r.key AND a.student_group = 'all'
    ORDER BY r.org_code, r.year, r.subject, r.grade, r.student_group, r.level, diff NULLS LAST,
             r.key`;
}
