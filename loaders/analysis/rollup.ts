import type { Settings } from "../settings.ts";
import { suppressedWhen, unlessSuppressed } from "../suppression.ts";
import { flaggedSql, itemsWithNSql } from "./items.ts";

/**
 * Points-weighted rollups of item results by reporting category and by standard: the points the
 * organisation earned over the points possible on the items that measure it, never a mean of item
 * percents (a 4-point item weighs four times a 1-point one). An item with several standards counts
 * toward each. A whole essay is counted through its trait rows only, which split its points.
 */
export function rollupQuery(settings: Settings): string {
  const keep = (figure: string) => unlessSuppressed(figure, "n_true", settings);
  const scored = `
    SELECT *, ${flaggedSql(settings)} AS is_flagged
    FROM (${itemsWithNSql()})
    WHERE item_role <> 'essay'
      AND pct_possible_org IS NOT NULL AND pct_possible_state IS NOT NULL
      AND max_points IS NOT NULL`;
  const rollup = (level: string, keyExpr: string, from: string) => `
    SELECT year, page_org_code AS org_code, grade, subject, test, student_group, '${level}' AS level,
           ${keyExpr} AS key, any_value(n_true) AS n_true,
           count(*)::INTEGER AS n_items,
           sum(max_points)::DOUBLE AS points_possible,
           sum(pct_possible_org / 100 * max_points)::DOUBLE AS earned,
           (100 * sum(pct_possible_org / 100 * max_points) / sum(max_points))::DOUBLE AS pct_org,
           (100 * sum(pct_possible_state / 100 * max_points) / sum(max_points))::DOUBLE AS pct_state,
           count(*) FILTER (WHERE is_flagged)::INTEGER AS flagged_items
    FROM ${from}
    GROUP BY ALL`;
  return `
    WITH scored AS (${scored}),
    by_standard AS (SELECT * EXCLUDE (standards), unnest(standards) AS standard FROM scored)
    SELECT year, org_code, grade, subject, test, student_group, level, key, n_items,
           points_possible,
           ${suppressedWhen("n_true", settings)} AS suppressed,
           ${keep("n_true")}::INTEGER AS n_students,
           ${keep("round(earned, 2)")}::DOUBLE AS points_earned,
           ${keep("round(pct_org, 1)")}::DOUBLE AS pct_org,
           ${keep("round(pct_state, 1)")}::DOUBLE AS pct_state,
           ${keep("round(pct_org - pct_state, 1)")}::DOUBLE AS diff,
           ${keep("flagged_items")}::INTEGER AS n_flagged
    FROM (
      ${rollup("reporting_category", "coalesce(reporting_category, '(none)')", "scored")}
      UNION ALL
      ${rollup("standard", "standard", "by_standard")}
    )
    ORDER BY org_code, year, subject, grade, student_group, level, diff NULLS LAST, key`;
}
