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
 * Step 1: each group's achievement in an organisation, with its gap in % meeting or exceeding to
 * all students of the same organisation and to the state (the same group, and all students).
 * A gap is negative when the group is behind. Groups under the minimum size keep their row with
 * every figure emptied; a gap needs both of its groups to be publishable.
 */
export function achievementQuery(settings: Settings): string {
  const small = (n: string) => suppressedWhen(n, settings);
  const keep = (figure: string) => unlessSuppressed(figure, "a.n_students", settings);
  const gap = (other: string, otherN: string) =>
    `CASE WHEN ${small("a.n_students")} OR ${small(otherN)} THEN NULL
          ELSE round(a.pct_meeting_or_above - ${other}, 1) END`;
  const reason = suppressionReason(settings).replaceAll("'", "''");
  return `
    SELECT a.year, a.org_code, a.org_name, a.org_type, a.district_code, a.district_name,
           a.grade, a.subject, a.student_group,
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
           CASE WHEN a.student_group = 'all' THEN NULL
                ELSE ${gap("s.pct_meeting_or_above", "s.n_students")} END::DOUBLE AS gap_to_all,
           CASE WHEN a.org_type = 'state' THEN NULL
                ELSE ${gap("sg.pct_meeting_or_above", "sg.n_students")} END::DOUBLE
             AS gap_to_state_group,
           CASE WHEN a.org_type = 'state' THEN NULL
                ELSE ${gap("sa.pct_meeting_or_above", "sa.n_students")} END::DOUBLE
             AS gap_to_state_all
    FROM achievement a
    LEFT JOIN achievement s
      ON s.year = a.year AND s.org_code = a.org_code AND s.grade = a.grade
     AND s.subject = a.subject AND s.student_group = 'all'
    LEFT JOIN achievement sg
      ON sg.org_code = '${STATE_CODE}' AND sg.year = a.year AND sg.grade = a.grade
     AND sg.subject = a.subject AND sg.student_group = a.student_group
    LEFT JOIN achievement sa
      ON sa.org_code = '${STATE_CODE}' AND sa.year = a.year AND sa.grade = a.grade
     AND sa.subject = a.subject AND sa.student_group = 'all'
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
