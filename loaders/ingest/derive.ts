import type { Log } from "../log.ts";
import type { Warehouse } from "../warehouse/db.ts";
import { sqlString } from "./formats/student-sql.ts";

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

/** A year's test, as item_results names it (MATH-05). */
export interface TestOfYear {
  year: number;
  test: string;
}

/**
 * The item map: one row per year, test and item of the published item files. `item_key` is what
 * a student file calls the item: '5' for item 5, 'IDEA1' for the trait WR12.IDEA1.
 */
const MAP = (scope: string) => `
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
    WHERE basis = 'published' AND ${scope}
    GROUP BY year, test, item
  )`;

/**
 * Per file, school, grade, subject and student group (all students, then one row per group a
 * student belongs to): the students counted, and the points of each item of the form, summed
 * position by position over the students' lists of points. The positions are read out of the
 * lists before the rows are repeated for each group.
 */
function groupTotals(positions: number, scope: string): string {
  const each = Array.from({ length: positions }, (_, i) => i + 1);
  return `
    SELECT source_file, year, org_code, grade, subject, test, student_group,
           count(*)::INTEGER AS n, [${each.map((i) => `coalesce(sum(p${i}), 0)`).join(", ")}] AS points
    FROM (
      SELECT source_file, year, org_code, grade, subject, subject || '-' || grade AS test,
             ${each.map((i) => `points[${i}]::DOUBLE AS p${i}`).join(", ")},
             unnest(list_prepend('all', groups)) AS student_group
      FROM private_students
      WHERE upper(attempt) IN ('F', 'P') AND ${scope}
    )
    GROUP BY ALL`;
}

/**
 * Recomputes the item_results rows of basis 'students' of the given tests (all tests when none
 * are given) from the student rows, in one transaction. A map loaded after the student file, in
 * the same run or a later one, is used. Tests with students but no item map get a warning and no
 * rows.
 */
export async function deriveStudentItemResults(
  warehouse: Warehouse,
  log: Log,
  tests?: readonly TestOfYear[],
): Promise<Derived> {
  if (tests?.length === 0) return { rows: 0, warnings: [] };
  const done = log.time();
  const warnings: string[] = [];
  // Which tests: a condition on the year and the test of the rows of a table.
  const inScope = (test: string) =>
    tests === undefined
      ? "true"
      : `(year, ${test}) IN (${tests.map((t) => `(${t.year}, ${sqlString(t.test)})`).join(", ")})`;
  const studentTest = "subject || '-' || grade";

  const rows = await warehouse.transaction(async () => {
    await warehouse.run(`DELETE FROM item_results WHERE basis = 'students' AND ${inScope("test")}`);

    const unmapped = await warehouse.all<{ year: number; test: string; n: number }>(
      `SELECT year, ${studentTest} AS test, count(*)::INTEGER AS n
       FROM private_students s
       WHERE upper(attempt) IN ('F', 'P') AND ${inScope(studentTest)}
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

    const longest = await warehouse.one<{ n: number | null }>(
      `SELECT max(len(items))::INTEGER AS n FROM private_student_forms
       WHERE ${inScope(studentTest)}`,
    );
    const positions = longest?.n;
    if (!positions) return 0;

    const insert = () =>
      warehouse.run(`
      INSERT INTO item_results
        (year, org_code, org_type, grade, subject, test, student_group, item, item_role, essay,
         item_type, reporting_category, standards, description, max_points, n_tested,
         pct_possible_org, pct_possible_state, diff_published, source_file, source_row, withheld,
         source_test, basis)
      WITH map AS (${MAP(inScope("test"))}),
      totals AS (${groupTotals(positions, inScope(studentTest))}),
      -- Items and traits as the student file has them; a whole essay from its traits' points.
      cells AS (
        SELECT t.source_file, t.year, t.org_code, t.grade, t.subject, t.test, t.student_group,
               t.n, unnest(f.items) AS item_key, unnest(t.points) AS points
        FROM totals t JOIN private_student_forms f USING (source_file, year, grade, subject)
      ),
      item_points AS (
        SELECT c.*, m.item AS map_item, m.essay
        FROM cells c JOIN map m
          ON m.year = c.year AND m.test = c.test AND m.item_key = c.item_key
         AND m.item_role IN ('item', 'essay_trait')
      ),
      essay_points AS (
        SELECT source_file, year, org_code, grade, subject, test, student_group, n, essay,
               sum(points) AS points
        FROM item_points WHERE essay IS NOT NULL
        GROUP BY ALL
      ),
      all_points AS (
        SELECT source_file, year, org_code, grade, subject, test, student_group, n,
               map_item AS item, points
        FROM item_points
        UNION ALL
        SELECT e.source_file, e.year, e.org_code, e.grade, e.subject, e.test, e.student_group,
               e.n, m.item, e.points
        FROM essay_points e JOIN map m
          ON m.year = e.year AND m.test = e.test AND m.item_role = 'essay' AND m.essay = e.essay
      )
      SELECT a.year, a.org_code,
             CASE WHEN a.org_code LIKE '____0000' THEN 'district' ELSE 'school' END, a.grade,
             a.subject, a.test, a.student_group, a.item, m.item_role, m.essay, m.item_type,
             m.reporting_category, m.standards, m.description, m.max_points, a.n,
             100 * a.points / (a.n * m.max_points), m.pct_possible_state, NULL, a.source_file, 1,
             []::VARCHAR[], m.source_test, 'students'
      FROM all_points a
      JOIN map m ON m.year = a.year AND m.test = a.test AND m.item = a.item
      WHERE m.max_points > 0`);
    await warehouse.withSettings({ preserve_insertion_order: false }, insert);

    const count = await warehouse.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM item_results
       WHERE basis = 'students' AND ${inScope("test")}`,
    );
    return count?.n ?? 0;
  });
  if (rows > 0 || warnings.length > 0) {
    done(`item results from student rows: ${rows} rows, ${warnings.length} tests without a map`);
  }
  return { rows, warnings };
}

/**
 * The tests whose item results from student rows the given files can change: the tests of their
 * student rows and of their item maps (published item rows), as the warehouse holds them now.
 */
export async function testsOfFiles(
  warehouse: Warehouse,
  files: readonly string[],
): Promise<TestOfYear[]> {
  if (files.length === 0) return [];
  const list = files.map(sqlString).join(", ");
  return warehouse.all<TestOfYear>(
    `SELECT DISTINCT year, test FROM item_results
     WHERE basis = 'published' AND source_file IN (${list})
     UNION
     SELECT DISTINCT year, subject || '-' || grade FROM private_students
     WHERE source_file IN (${list})
     ORDER BY ALL`,
  );
}

/**
 * Recomputes score_spread for the given student files: per year, school, grade (and grades 3 to
 * 8 together, as the profile files report them), subject and student group, the number of counted
 * students with a scaled score, their mean and their standard deviation. Rows of files no longer
 * in the warehouse go too.
 */
export async function deriveScoreSpread(
  warehouse: Warehouse,
  log: Log,
  files: readonly string[],
): Promise<number> {
  const done = log.time();
  const list = files.length > 0 ? files.map(sqlString).join(", ") : "NULL";
  const rows = await warehouse.transaction(async () => {
    await warehouse.run(
      `DELETE FROM score_spread
       WHERE source_file IN (${list})
          OR source_file NOT IN (SELECT DISTINCT source_file FROM private_students)`,
    );
    await warehouse.run(`
      INSERT INTO score_spread
      SELECT year, org_code, grade, subject, student_group, count(*)::INTEGER,
             avg(scaled_score), stddev_samp(scaled_score), source_file
      FROM (
        SELECT year, org_code, grade_of AS grade, subject, source_file, scaled_score,
               unnest(list_prepend('all', groups)) AS student_group
        FROM private_students,
             unnest(CASE WHEN grade BETWEEN '03' AND '08' THEN [grade, '03-08']
                         ELSE [grade] END) AS g(grade_of)
        WHERE source_file IN (${list}) AND upper(attempt) IN ('F', 'P')
          AND scaled_score IS NOT NULL
      )
      GROUP BY ALL`);
    const count = await warehouse.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM score_spread WHERE source_file IN (${list})`,
    );
    return count?.n ?? 0;
  });
  if (rows > 0) done(`score spread from student rows: ${rows} rows`);
  return rows;
}
