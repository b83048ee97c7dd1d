import type { Settings } from "../settings.ts";
import { complementSql, unlessWithheld, withheldReasonSql, withheldWhen } from "../suppression.ts";

/**
 * Item results placed on the page of the school they describe. A district that has one school
 * (a charter district, such as Rising Tide Charter Public, 04830000) reports the same students as
 * that school, so its rows are shown on the school's page and say so.
 */
export function pagedItemsSql(prefer: "published" | "students" = "published"): string {
  // When a school and its one-school district both report an item, a published row beats one
  // computed from student rows (unless the caller prefers those: the rest of a school is computed
  // from exact student counts), and then the school's own row is kept.
  return `
    SELECT * EXCLUDE (page_precedence) FROM (
      SELECT i.*,
             coalesce(only_school.org_code, i.org_code) AS page_org_code,
             CASE WHEN only_school.org_code IS NOT NULL THEN 'district with one school'
                  ELSE i.org_type END AS reported_for,
             o.org_name AS reported_org_name,
             row_number() OVER (
               PARTITION BY i.year, coalesce(only_school.org_code, i.org_code), i.test,
                            i.student_group, i.item
               ORDER BY i.basis <> '${prefer}', only_school.org_code IS NOT NULL,
                        i.source_file) AS page_precedence
      FROM ${prefer === "published" ? "item_results_resolved" : "item_results"} i
      LEFT JOIN organizations o ON o.org_code = i.org_code
      LEFT JOIN (
        SELECT district_code, any_value(org_code) AS org_code
        FROM organizations
        WHERE org_type = 'school' AND district_school_count = 1
        GROUP BY district_code
      ) only_school ON i.org_type = 'district' AND only_school.district_code = i.org_code
    ) WHERE page_precedence = 1`;
}

/** The students counted for each school's test and group in its student-level file. */
const STUDENT_FILE_SIZES = `
  SELECT year, org_code, test, student_group, max(n_tested) AS n
  FROM item_results WHERE basis = 'students'
  GROUP BY ALL`;

/**
 * The students behind an organisation's item results: the item file's own count where it has
 * one; else the students counted for the same test in the school's student-level file; else the
 * tested students of the same school, grade, subject and year in the achievement rows; null when
 * none of these exists. `complement` is true for a group of the student-level file withheld by
 * complementary suppression (complementSql), though large enough itself.
 */
export function itemsWithNSql(
  settings: Settings,
  prefer: "published" | "students" = "published",
): string {
  return `
    SELECT p.*, coalesce(p.n_tested, s.n, a.n_students) AS n_true,
           c.student_group IS NOT NULL AS complement
    FROM (${pagedItemsSql(prefer)}) p
    LEFT JOIN (${STUDENT_FILE_SIZES}) s
      ON s.year = p.year AND s.org_code = p.page_org_code AND s.test = p.test
     AND s.student_group = p.student_group
    LEFT JOIN (${complementSql(STUDENT_FILE_SIZES, settings)}) c
      ON c.year = p.year AND c.org_code = p.page_org_code AND c.test = p.test
     AND c.student_group = p.student_group
    LEFT JOIN achievement a
      ON a.year = p.year AND a.org_code = p.page_org_code AND a.grade = p.grade
     AND a.subject = p.subject AND a.student_group = p.student_group`;
}

/** The flag rule: published difference (else the recomputed one) at or below -itemFlagPoints. */
export function flaggedSql(settings: Settings): string {
  return `(coalesce(diff_published, pct_possible_org - pct_possible_state)
           <= -${Number(settings.itemFlagPoints)})`;
}

/** The second flag rule: the school's percent below itemFlagRatio times the state's. */
export function flaggedRatioSql(settings: Settings): string {
  return `(pct_possible_org < ${Number(settings.itemFlagRatio)} * pct_possible_state)`;
}

/**
 * The z score of the school's difference from the state for its n students, with the standard
 * error from the state's proportion, taken as fixed (domain.md section 5): a 14-point gap is
 * uncertain among 25 students (z = -1.44) and clear among 100 (z = -2.9). Null without an n.
 */
export function itemZSql(org: string, state: string, n: string): string {
  const p = `(${state} / 100.0)`;
  return `CASE WHEN ${n} > 0 AND ${p} > 0 AND ${p} < 1
               THEN (${org} - ${state}) / (100 * sqrt(${p} * (1 - ${p}) / ${n})) END`;
}

/** Step 2: every item of an organisation's tests, school (or district) next to the state. */
export function itemsQuery(settings: Settings): string {
  const keep = (figure: string) => unlessWithheld(figure, "n_true", "complement", settings);
  return `
    SELECT year, page_org_code AS org_code, org_code AS reported_org_code, reported_for,
           reported_org_name, grade, subject, test, source_test, basis, student_group, item,
           item_role, essay,
           item_type, reporting_category, array_to_string(standards, ' ') AS standards,
           description, max_points::DOUBLE AS max_points,
           ${withheldWhen("n_true", "complement", settings)} AS suppressed,
           ${withheldReasonSql("n_true", "complement", settings)} AS withheld_reason,
           ${keep("n_true")}::INTEGER AS n_students,
           ${keep("pct_possible_org")}::DOUBLE AS pct_org,
           ${keep("pct_possible_state")}::DOUBLE AS pct_state,
           ${keep("diff_published")}::DOUBLE AS diff_published,
           ${keep("round(pct_possible_org - pct_possible_state, 1)")}::DOUBLE AS diff,
           ${keep(flaggedSql(settings))} AS flagged,
           ${keep(flaggedRatioSql(settings))} AS flagged_ratio,
           ${keep(`round(${itemZSql("pct_possible_org", "pct_possible_state", "n_true")}, 2)`)}::DOUBLE
             AS z,
           source_file, source_row
    FROM (${itemsWithNSql(settings)})
    ORDER BY org_code, year, subject, grade, test, try_cast(item AS INTEGER) NULLS LAST, item`;
}
