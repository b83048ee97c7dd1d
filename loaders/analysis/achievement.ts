import { STUDENT_GROUPS } from "../ingest/groups.ts";
import { STATE_CODE } from "../ingest/text.ts";
import type { Settings } from "../settings.ts";
import { suppressedWhen, suppressionReason, unlessSuppressed } from "../suppression.ts";

/** SQL CASE giving each group code its label, from the one list in ingest/groups.ts. */
export function groupLabelSql(column: string): string {
  const cases = STUDENT_GROUPS.map(
    (group) => `WHEN '${group.code}' THEN '${group.label.replaceAll("'", "''")}'`,
  );
  return `CASE ${column} ${cases.join(" ")} ELSE ${column} END`;
}

/** Display order of groups: all students first, then the list order of ingest/groups.ts. */
export function groupOrderSql(column: string): string {
  const cases = STUDENT_GROUPS.map((group, index) => `WHEN '${group.code}' THEN ${index}`);
  return `CASE ${column} ${cases.join(" ")} ELSE 99 END`;
}

/**
 * The z score of a gap of `gap` percentage points for a group of `n` students, against a
 * reference percent `refPct` (domain.md section 5: SE = sqrt(p(1 - p) / n), the reference
 * proportion taken as fixed). Null where it cannot be computed: no n, or a reference of 0 or 100.
 */
export function gapZSql(gap: string, n: string, refPct: string): string {
  const p = `(${refPct} / 100.0)`;
  return `CASE WHEN ${n} > 0 AND ${p} > 0 AND ${p} < 1
               THEN ${gap} / (100 * sqrt(${p} * (1 - ${p}) / ${n})) END`;
}

/**
 * Step 1: each group's achievement in an organisation, with its gap in % meeting or exceeding to
 * all students of the same organisation and to the state (the same group, and all students), the
 * z score of each gap for the group's size, and its change over one year and since the first year
 * of the same achievement levels. A gap is negative when the group is behind. Groups under the
 * minimum size keep their row with every figure emptied; a gap needs both of its groups to be
 * publishable.
 */
export function achievementQuery(settings: Settings): string {
  const small = (n: string) => suppressedWhen(n, settings);
  const keep = (figure: string) => unlessSuppressed(figure, "a.n_students", settings);
  const gap = (other: string, otherN: string) =>
    `CASE WHEN ${small("a.n_students")} OR ${small(otherN)} THEN NULL
          ELSE round(a.pct_meeting_or_above - ${other}, 1) END`;
  // A change compares the group with itself in an earlier year of the same levels: % P+A of the
  // legacy test and % M+E of the next-generation one measure different things.
  const change = (earlier: string) =>
    `CASE WHEN ${small("a.n_students")} OR ${small(`${earlier}.n_students`)} THEN NULL
          ELSE round(a.pct_meeting_or_above - ${earlier}.pct_meeting_or_above, 1) END`;
  const reason = suppressionReason(settings).replaceAll("'", "''");
  return `
    WITH schemes AS (
      SELECT year, org_code, grade, subject, student_group,
             CASE WHEN bool_or(level IN ('A', 'P', 'NI', 'W')) THEN 'legacy' ELSE 'next' END
               AS scheme
      FROM achievement_levels GROUP BY ALL
    ),
    measured AS (
      SELECT a.*, coalesce(sc.scheme, CASE WHEN a.cpi IS NOT NULL THEN 'legacy' END) AS scheme
      FROM achievement a LEFT JOIN schemes sc
        USING (year, org_code, grade, subject, student_group)
    ),
    firsts AS (
      SELECT org_code, grade, subject, student_group, scheme, min(year) AS first_year
      FROM measured WHERE pct_meeting_or_above IS NOT NULL GROUP BY ALL
    )
    SELECT a.year, a.org_code, a.org_name, a.org_type, a.district_code, a.district_name,
           a.grade, a.subject, a.student_group, a.scheme,
           ${groupLabelSql("a.student_group")} AS group_label,
           ${groupOrderSql("a.student_group")}::INTEGER AS group_order,
           ${small("a.n_students")} AS suppressed,
           CASE WHEN ${small("a.n_students")} THEN '${reason}' END AS suppression_reason,
           ${keep("a.n_students")}::INTEGER AS n_students,
           ${keep("a.pct_meeting_or_above")}::DOUBLE AS pct_meeting_or_above,
           ${keep("a.avg_scaled_score")}::DOUBLE AS avg_scaled_score,
           -- The state computes no SGP for fewer than 20 students; the file leaves it blank then.
           ${keep("a.sgp")}::DOUBLE AS sgp,
           ${keep("a.participation_rate")}::DOUBLE AS participation_rate,
           -- The legacy files publish CPI; none gives the NI and W/F splits it is computed from.
           ${keep("a.cpi")}::DOUBLE AS cpi,
           CASE WHEN ${keep("a.cpi")} IS NOT NULL THEN 'published' END AS cpi_source,
           CASE WHEN a.student_group = 'all' THEN NULL
                ELSE ${gap("s.pct_meeting_or_above", "s.n_students")} END::DOUBLE AS gap_to_all,
           CASE WHEN a.org_type = 'state' THEN NULL
                ELSE ${gap("sg.pct_meeting_or_above", "sg.n_students")} END::DOUBLE
             AS gap_to_state_group,
           CASE WHEN a.org_type = 'state' THEN NULL
                ELSE ${gap("sa.pct_meeting_or_above", "sa.n_students")} END::DOUBLE
             AS gap_to_state_all,
           ${gapZSql("gap_to_all", "a.n_students", "s.pct_meeting_or_above")}::DOUBLE AS z_to_all,
           ${gapZSql("gap_to_state_group", "a.n_students", "sg.pct_meeting_or_above")}::DOUBLE
             AS z_to_state_group,
           -- The gap in standard deviations of the school's students, where student rows give
           -- the spread: (group mean - all students' mean) / all students' standard deviation.
           CASE WHEN a.student_group <> 'all' AND NOT ${small("a.n_students")}
                 AND NOT ${small("ssg.n")} AND ssa.sd_scaled_score > 0
                THEN round((ssg.mean_scaled_score - ssa.mean_scaled_score)
                           / ssa.sd_scaled_score, 2) END::DOUBLE AS effect_size,
           p.year AS previous_year,
           ${change("p")}::DOUBLE AS change_1y,
           CASE WHEN f.first_year < a.year - 1 THEN f.first_year END AS first_year,
           CASE WHEN f.first_year < a.year - 1 THEN ${change("f0")} END::DOUBLE AS change_since_first
    FROM measured a
    LEFT JOIN achievement s
      ON s.year = a.year AND s.org_code = a.org_code AND s.grade = a.grade
     AND s.subject = a.subject AND s.student_group = 'all'
    LEFT JOIN achievement sg
      ON sg.org_code = '${STATE_CODE}' AND sg.year = a.year AND sg.grade = a.grade
     AND sg.subject = a.subject AND sg.student_group = a.student_group
    LEFT JOIN achievement sa
      ON sa.org_code = '${STATE_CODE}' AND sa.year = a.year AND sa.grade = a.grade
     AND sa.subject = a.subject AND sa.student_group = 'all'
    LEFT JOIN score_spread ssg
      ON ssg.year = a.year AND ssg.org_code = a.org_code AND ssg.grade = a.grade
     AND ssg.subject = a.subject AND ssg.student_group = a.student_group
    LEFT JOIN score_spread ssa
      ON ssa.year = a.year AND ssa.org_code = a.org_code AND ssa.grade = a.grade
     AND ssa.subject = a.subject AND ssa.student_group = 'all'
    LEFT JOIN measured p
      ON p.year = a.year - 1 AND p.org_code = a.org_code AND p.grade = a.grade
     AND p.subject = a.subject AND p.student_group = a.student_group AND p.scheme = a.scheme
    LEFT JOIN firsts f
      ON f.org_code = a.org_code AND f.grade = a.grade AND f.subject = a.subject
     AND f.student_group = a.student_group AND f.scheme = a.scheme
    LEFT JOIN measured f0
      ON f0.year = f.first_year AND f0.org_code = a.org_code AND f0.grade = a.grade
     AND f0.subject = a.subject AND f0.student_group = a.student_group
    ORDER BY a.org_code, a.year, a.subject, a.grade, group_order`;
}

/** Step 1: the share of each group at each performance level, emptied for small groups. */
export function levelsQuery(settings: Settings): string {
  const keep = (figure: string) => unlessSuppressed(figure, "a.n_students", settings);
  return `
    SELECT l.year, l.org_code, l.grade, l.subject, l.student_group, l.level,
           ${suppressedWhen("a.n_students", settings)} AS suppressed,
           ${keep("a.n_students")}::INTEGER AS n_students,
           ${keep("l.n")}::INTEGER AS n,
           ${keep("l.pct")}::DOUBLE AS pct
    FROM achievement_levels l
    JOIN achievement a USING (year, org_code, grade, subject, student_group)
    ORDER BY l.org_code, l.year, l.subject, l.grade, l.student_group, l.level`;
}
