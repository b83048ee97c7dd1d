import type { Settings } from "../settings.ts";
import { domainSql, rollupQuery } from "./rollup.ts";

/**
 * Step 3: for each school, year, subject and grade, its standards ranked from the weakest: the
 * points-weighted difference from the state on the items that measure the standard, most negative
 * first (more flagged items first on a tie). Each standard carries its evidence: the size and
 * certainty of the gap (z from the state's proportion and the school's n, domain.md section 5),
 * its flagged items, and whether it persists: the same standard in the same grade in the school's
 * other years (a standard is the same skill across years, an item number is not; ELA's anchor
 * standards are shared by every grade, hence the grade), and the standard's domain in the
 * school's other grades of the same year. Built on the published rollups, so it
 * holds nothing the rollups withhold.
 */
export function skillsQuery(settings: Settings): string {
  const weak = `-${Number(settings.itemFlagPoints)}`;
  return `
    WITH rolled AS (${rollupQuery(settings)}),
    standards AS (
      SELECT *, ${domainSql("key")} AS domain FROM rolled
      WHERE level = 'standard' AND student_group = 'all' AND diff IS NOT NULL
    ),
    categories AS (
      SELECT DISTINCT s.org_code, s.year, s.test, s.key AS standard, i.reporting_category
      FROM standards s
      JOIN item_results_resolved i
        ON i.year = s.year AND i.test = s.test AND list_contains(i.standards, s.key)
      WHERE i.reporting_category IS NOT NULL
    ),
    ranked AS (
      SELECT *, row_number() OVER (
               PARTITION BY org_code, year, subject, grade
               ORDER BY diff, n_flagged DESC NULLS LAST, key)::INTEGER AS rank,
             count(*) OVER (PARTITION BY org_code, year, subject, grade)::INTEGER AS n_standards
      FROM standards
    ),
    other_years AS (
      SELECT r.org_code, r.year, r.test, r.key,
             string_agg(o.year || ': ' || CASE WHEN o.diff > 0 THEN '+' ELSE '' END || o.diff,
                        ', ' ORDER BY o.year) AS other_years,
             count(*) FILTER (WHERE o.diff <= ${weak})::INTEGER AS other_years_weak,
             count(*)::INTEGER AS other_years_n
      FROM ranked r
      JOIN standards o
        ON o.org_code = r.org_code AND o.subject = r.subject AND o.grade = r.grade
       AND o.key = r.key AND o.year <> r.year
      GROUP BY ALL
    ),
    domains AS (
      SELECT * FROM rolled WHERE level = 'domain' AND student_group = 'all' AND diff IS NOT NULL
    ),
    other_grades AS (
      SELECT r.org_code, r.year, r.test, r.key,
             string_agg('grade ' || ltrim(d.grade, '0') || ': '
                          || CASE WHEN d.diff > 0 THEN '+' ELSE '' END || d.diff,
                        ', ' ORDER BY d.grade) AS domain_other_grades,
             count(*) FILTER (WHERE d.diff <= ${weak})::INTEGER AS domain_other_grades_weak
      FROM ranked r
      JOIN domains d
        ON d.org_code = r.org_code AND d.year = r.year AND d.subject = r.subject
       AND d.key = r.domain AND d.grade <> r.grade
      GROUP BY ALL
    )
    SELECT r.year, r.org_code, r.grade, r.subject, r.test, r.rank, r.n_standards,
           r.key AS standard, r.domain,
           -- '; ' apart: a category may be written out in words, spaces and all.
           (SELECT string_agg(DISTINCT c.reporting_category, '; ' ORDER BY c.reporting_category)
            FROM categories c
            WHERE c.org_code = r.org_code AND c.year = r.year AND c.test = r.test
              AND c.standard = r.key) AS reporting_category,
           r.suppressed, r.n_students, r.n_items, r.points_possible, r.pct_org, r.pct_state,
           r.diff, r.z, r.n_flagged,
           y.other_years, coalesce(y.other_years_weak, 0) AS other_years_weak,
           coalesce(y.other_years_n, 0) AS other_years_n,
           g.domain_other_grades, coalesce(g.domain_other_grades_weak, 0) AS domain_other_grades_weak
    FROM ranked r
    LEFT JOIN other_years y USING (org_code, year, test, key)
    LEFT JOIN other_grades g USING (org_code, year, test, key)
    ORDER BY r.org_code, r.year, r.subject, r.grade, r.rank`;
}
