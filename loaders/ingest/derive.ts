import type { Log } from "../log.ts";
import type { Warehouse } from "../warehouse/db.ts";
import { quoteIdentifier } from "../warehouse/db.ts";
import { STUDENT_GROUPS } from "./groups.ts";

/**
 * Item results computed from student rows (basis 'students'): for each year, school, grade,
 * subject, student group ('all' and each group a student's flags name) and item, the students
 * counted (attempt F or P) and their percent of possible points, 100 x points / (students x
 * possible points), a blank item counting 0. What an item is (type, standards, reporting category,
 * points, the state's percent) comes from the item map: the published item rows of the same year
 * and test, whatever organisation they describe, since every school takes the same form. An essay
 * trait column (idea1, conv1) is the map's trait of that name (WR12.IDEA1, LA12.CONV1); a whole
 * essay is the sum of its traits. The test of a student's row is testId(subject, grade).
 */

export interface Derived {
  rows: number;
  warnings: string[];
}

/**
 * The item map: one row per year, test and item of the published item files. `item_key` is what
 * a student file calls the item: '5' for item 5, 'IDEA1' for the trait WR12.IDEA1.
 */
const MAP = `
  SELECT *, CASE WHEN item_role = 'essay_trait'
                 THEN upper(regexp_extract(item, '\\.([A-Za-z]+[0-9]*)$', 1))
                 ELSE item END AS item_key
  FROM (
    SELECT year, test, item,
           arg_min(item_role, source_file) AS item_role, arg_min(essay, source_file) AS essay,
           arg_min(item_type, source_file) AS item_type,
           arg_min(reporting_category, source_file) AS reporting_category,
           arg_min(standards, source_file) AS standards,
           arg_min(description, source_file) AS description,
           arg_min(max_points, source_file) AS max_points,
           arg_min(pct_possible_state, source_file) AS pct_possible_state,
           arg_min(source_test, source_file) AS source_test
    FROM item_results
    WHERE basis = 'published'
    GROUP BY year, test, item
  )`;

/** The groups a student row can name, each a bit of the row's group mask. */
const GROUPS = STUDENT_GROUPS.map((group) => group.code).filter((code) => code !== "all");
const column = (prefix: string, group: string) => quoteIdentifier(`${prefix}${group}`);

/**
 * Per file, school, grade and subject: the students counted, and each item's points, for all
 * students and each group. Groups are counted with FILTER over a bit mask rather than by
 * unnesting each student's groups, which would repeat every item row once per group; the wide
 * rows are then unpivoted to one row per group.
 */
function studentTotals(): string {
  const mask = GROUPS.map(
    (group, bit) => `(CASE WHEN list_contains(groups, '${group}') THEN ${2 ** bit} ELSE 0 END)`,
  ).join(" + ");
  const inGroup = (bit: number) => `(mask & ${2 ** bit}) <> 0`;
  const keys = "source_file, year, org_code, grade, subject, test";
  const nColumns = [
    `count(*)::INTEGER AS ${column("n_", "all")}`,
    ...GROUPS.map(
      (group, bit) => `count(*) FILTER (WHERE ${inGroup(bit)})::INTEGER AS ${column("n_", group)}`,
    ),
  ];
  const pColumns = [
    `sum(coalesce(i.points, 0)) AS ${column("p_", "all")}`,
    ...GROUPS.map(
      (group, bit) =>
        `sum(coalesce(i.points, 0)) FILTER (WHERE ${inGroup(bit)}) AS ${column("p_", group)}`,
    ),
  ];
  const unpivoted = (prefix: string) =>
    ["all", ...GROUPS].map((group) => column(prefix, group)).join(", ");
  return `
  WITH counted AS (
    SELECT student_key, ${keys.replace("test", "subject || '-' || grade AS test")},
           ${mask} AS mask
    FROM private_students
    WHERE upper(attempt) IN ('F', 'P')
  ),
  students_wide AS (SELECT ${keys}, ${nColumns.join(", ")} FROM counted GROUP BY ALL),
  points_wide AS (
    SELECT ${keys
      .split(", ")
      .map((key) => `c.${key}`)
      .join(", ")}, i.item, ${pColumns.join(", ")}
    FROM private_student_items i
    JOIN counted c ON c.student_key = i.student_key AND c.subject = i.subject
    GROUP BY ALL
  ),
  by_group AS (
    SELECT ${keys}, substr(col, 3) AS student_group, n
    FROM students_wide UNPIVOT (n FOR col IN (${unpivoted("n_")}))
    WHERE n > 0
  ),
  points_by_group AS (
    SELECT ${keys}, item, substr(col, 3) AS student_group, points
    FROM points_wide UNPIVOT (points FOR col IN (${unpivoted("p_")}))
  )`;
}

/**
 * Recomputes every item_results row of basis 'students' from the student rows, in one
 * transaction: a map loaded after the student file, in the same run or a later one, is used.
 * Tests with students but no item map get a warning and no rows.
 */
export async function deriveStudentItemResults(warehouse: Warehouse, log: Log): Promise<Derived> {
  const done = log.time();
  const warnings: string[] = [];
  const rows = await warehouse.transaction(async () => {
    await warehouse.run("DELETE FROM item_results WHERE basis = 'students'");

    const unmapped = await warehouse.all<{ year: number; test: string; n: number }>(
      `SELECT year, subject || '-' || grade AS test, count(*)::INTEGER AS n
       FROM private_students s
       WHERE upper(attempt) IN ('F', 'P')
         AND NOT EXISTS (SELECT 1 FROM item_results i
                         WHERE i.basis = 'published' AND i.year = s.year
                           AND i.test = s.subject || '-' || s.grade)
       GROUP BY ALL ORDER BY ALL`,
    );
    for (const { year, test, n } of unmapped) {
      warnings.push(
        `no item map for ${year} ${test} (${n} students): load an item analysis file of that ` +
          "test to see its items computed from the student file",
      );
    }

    await warehouse.run(`
      INSERT INTO item_results
        (year, org_code, org_type, grade, subject, test, student_group, item, item_role, essay,
         item_type, reporting_category, standards, description, max_points, n_tested,
         pct_possible_org, pct_possible_state, diff_published, source_file, source_row, withheld,
         source_test, basis)
      ${studentTotals()},
      map AS (${MAP}),
      -- Items and traits as the student file has them; a whole essay from its traits' points.
      item_points AS (
        SELECT p.*, m.item AS map_item, m.essay
        FROM points_by_group p JOIN map m
          ON m.year = p.year AND m.test = p.test AND m.item_key = p.item
         AND m.item_role IN ('item', 'essay_trait')
      ),
      essay_points AS (
        SELECT source_file, year, org_code, grade, subject, test, student_group, essay,
               sum(points) AS points
        FROM item_points WHERE essay IS NOT NULL
        GROUP BY ALL
      ),
      all_points AS (
        SELECT source_file, year, org_code, grade, subject, test, student_group, map_item AS item,
               points
        FROM item_points
        UNION ALL
        SELECT e.source_file, e.year, e.org_code, e.grade, e.subject, e.test, e.student_group,
               m.item, e.points
        FROM essay_points e JOIN map m
          ON m.year = e.year AND m.test = e.test AND m.item_role = 'essay' AND m.essay = e.essay
      )
      SELECT a.year, a.org_code,
             CASE WHEN a.org_code LIKE '____0000' THEN 'district' ELSE 'school' END, a.grade, a.subject, a.test, a.student_group, a.item,
             m.item_role, m.essay, m.item_type, m.reporting_category, m.standards, m.description,
             m.max_points, g.n, 100 * a.points / (g.n * m.max_points), m.pct_possible_state,
             NULL, a.source_file, 1, []::VARCHAR[], m.source_test, 'students'
      FROM all_points a
      JOIN by_group g USING (source_file, year, org_code, grade, subject, test, student_group)
      JOIN map m ON m.year = a.year AND m.test = a.test AND m.item = a.item
      WHERE m.max_points > 0`);

    const count = await warehouse.one<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM item_results WHERE basis = 'students'",
    );
    return count?.n ?? 0;
  });
  if (rows > 0 || warnings.length > 0) {
    done(`item results from student rows: ${rows} rows, ${warnings.length} tests without a map`);
  }
  return { rows, warnings };
}
