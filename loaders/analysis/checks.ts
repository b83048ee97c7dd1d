import type { Settings } from "../settings.ts";
import { suppressedWhen, unlessSuppressed } from "../suppression.ts";
import type { Warehouse } from "../warehouse/db.ts";

/**
 * Consistency checks of the published figures against each other, on the warehouse as loaded:
 * (a) each published percent against the counts it was computed from, (b) each row's level
 * percents against 100, and (c) each item's published school-minus-state difference against the
 * two percents it was computed from. Every row in scope comes back with its status, so a row that disagrees is
 * listed rather than hidden, and a row that cannot be checked says why.
 */

export type CheckStatus = "matches" | "differs" | "not checked";

export interface CheckScope {
  /** Only rows loaded from these files (base names, as in `sources.file`); all rows if absent. */
  sourceFiles?: readonly string[];
  /**
   * Decimals the files publish percents with. Every percent of the real profile exports and
   * legacy workbooks is a whole number (the legacy layout sheets call them "rounded"), so 0.
   */
  decimals?: number;
}

export interface CheckSummary {
  rows: number;
  checked: number;
  matching: number;
  differing: number;
  notChecked: number;
}

export interface CheckResult<T> {
  rows: T[];
  summary: CheckSummary;
}

/** One published percent: M+E of an achievement row (level null), or one level's percent. */
export interface PercentCheck {
  year: number;
  org_code: string;
  grade: string;
  subject: string;
  student_group: string;
  level: string | null;
  count: number | null;
  n_students: number | null;
  published_pct: number | null;
  recomputed_pct: number | null;
  status: CheckStatus;
  reason: string | null;
  source_file: string;
}

/** The level percents of one achievement row and whether they can sum to 100 by rounding. */
export interface LevelSumCheck {
  year: number;
  org_code: string;
  grade: string;
  subject: string;
  student_group: string;
  n_students: number | null;
  levels: string[];
  percents: (number | null)[];
  level_sum: number | null;
  /** The sum lies in the range rounding alone can give (99 to 102 for whole percents). */
  sum_within_rounding: boolean | null;
  /** Whole counts of n_students exist that round to these percents; null without n_students. */
  counts_possible: boolean | null;
  status: CheckStatus;
  reason: string | null;
  source_file: string;
}

/** One item's published difference (school or district minus state) against its two percents. */
export interface ItemDifferenceCheck {
  year: number;
  org_code: string;
  grade: string;
  subject: string;
  test: string;
  item: string;
  n_students: number | null;
  pct_org: number | null;
  pct_state: number | null;
  published_diff: number | null;
  recomputed_diff: number | null;
  /** Decimals of the least rounded of the three published numbers. */
  decimals: number | null;
  status: CheckStatus;
  reason: string | null;
  source_file: string;
}

const KEYS = "year, org_code, grade, subject, student_group";

/** Levels in reading order: next generation, then legacy. */
const LEVEL_ORDER = ["E", "M", "PM", "NM", "A", "P", "NI", "W"];

/** A level count's partition of the students: four levels, next generation or legacy. */
const LEVELS_PER_ROW = 4;

function decimalsOf(scope: CheckScope): number {
  const decimals = scope.decimals ?? 0;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 4) {
    throw new RangeError(`decimals must be a whole number from 0 to 4: ${decimals}`);
  }
  return decimals;
}

/** The WHERE condition limiting rows to the scope's files, bound as $files. */
function scopeCondition(sourceFile: string, scope: CheckScope): string {
  return scope.sourceFiles === undefined
    ? "true"
    : `list_contains(from_json($files, '["VARCHAR"]'), ${sourceFile})`;
}

function scopeParams(scope: CheckScope): Record<string, string> {
  return scope.sourceFiles === undefined ? {} : { files: JSON.stringify(scope.sourceFiles) };
}

/**
 * (a) Every published percent that has counts beside it, recomputed from them as the state
 * rounds: half up, on the exact counts, to `decimals` places. The arithmetic stays on integers
 * (as percentHalfUp in ../rounding.ts does), because in floating point 100 * 29 / 200 is
 * 14.4999... and would round down. M+E is checked against n_students, and each level's count
 * against the n_students of its own achievement row (same keys, same file).
 */
export function percentCheckQuery(scope: CheckScope = {}): string {
  const scale = 10 ** decimalsOf(scope);
  return `
    WITH published AS (
      SELECT ${KEYS}, NULL::VARCHAR AS level, n_meeting_or_above AS count, n_students,
             pct_meeting_or_above AS published_pct,
             CASE WHEN len(withheld) > 0
                  THEN ' (withheld: ' || array_to_string(withheld, ', ') || ')' ELSE '' END
               AS withheld_note,
             source_file
      FROM achievement a
      WHERE ${scopeCondition("a.source_file", scope)}
      UNION ALL
      SELECT l.year, l.org_code, l.grade, l.subject, l.student_group, l.level, l.n,
             a.n_students, l.pct,
             CASE WHEN l.withheld THEN ' (withheld by the state)' ELSE '' END, l.source_file
      FROM achievement_levels l
      -- A level without its achievement row is kept: it has no n_students and says so.
      LEFT JOIN achievement a USING (${KEYS}, source_file)
      WHERE ${scopeCondition("l.source_file", scope)}
    ),
    recomputed AS (
      SELECT *,
             CASE WHEN count IS NOT NULL AND n_students > 0
                  -- floor((2 * 100 * scale * count + n) / (2 * n)): 100 * count / n, half up.
                  THEN (200 * ${scale} * count::BIGINT + n_students) // (2 * n_students::BIGINT)
             END AS recomputed_scaled
      FROM published
    )
    SELECT ${KEYS}, level, count, n_students, published_pct,
           (recomputed_scaled / ${scale})::DOUBLE AS recomputed_pct,
           CASE WHEN published_pct IS NULL OR recomputed_scaled IS NULL THEN 'not checked'
                -- Equal to the last published decimal; a percent with more decimals differs.
                WHEN abs(published_pct * ${scale} - recomputed_scaled) < 1e-6 THEN 'matches'
                ELSE 'differs' END AS status,
           CASE WHEN published_pct IS NULL THEN 'no published percent' || withheld_note
                WHEN n_students IS NULL THEN 'no count of students'
                WHEN n_students = 0 THEN 'no students tested'
                WHEN count IS NULL AND level IS NULL
                  THEN 'no count of students meeting or exceeding'
                WHEN count IS NULL THEN 'no count of students at this level'
           END AS reason,
           source_file
    FROM recomputed
    ORDER BY CASE status WHEN 'differs' THEN 0 WHEN 'not checked' THEN 1 ELSE 2 END,
             ${KEYS}, source_file, list_position(${sqlList(LEVEL_ORDER)}, level) NULLS FIRST`;
}

/**
 * (b) The level percents of each achievement row (A, P, NI, W of the legacy workbooks; E, M, PM,
 * NM of the next generation) summed, and whether rounding alone explains any distance from 100.
 *
 * The rule, for percents rounded half up to whole numbers (d decimals: the same in units of the
 * last place). A level's exact share x rounds to r = floor(x + 0.5), so x - 0.5 < r <= x + 0.5;
 * the four exact shares sum to 100, so the four rounded ones sum to more than 98 and at most 102:
 * 99 to 102. The bounds are reached: 102 when all four shares are exact halves (Granby's grade 5
 * math of 2015: 22, 30, 22 and 6 of 80 students), 99 when the roundings down outweigh those up
 * (1, 1, 1 and 0 of 3: 33 + 33 + 33 + 0). A sum of 98, which a symmetric "100 ± 2" would allow,
 * cannot come from half-up rounding.
 *
 * Where the row gives n_students the check is tighter still: there must be whole counts of those
 * students, one per level and summing to n_students, that round to the published percents. A
 * percent p of n students comes from a count c with (2p - 1) n <= 200 c < (2p + 1) n; such counts
 * exist exactly when each level's range is not empty and n lies between the sums of the ranges'
 * lower and upper ends. This assumes the level percents are over n_students, as the 2022 profile
 * exports show with their counts; a row that fails it is listed, not dropped.
 */
export function levelSumCheckQuery(scope: CheckScope = {}): string {
  const scale = 10 ** decimalsOf(scope);
  const hundred = 100 * scale;
  // Counts c of n students whose percent rounds to `scaled` (in units of the last decimal):
  // (2 scaled - 1) n <= 2 hundred c < (2 scaled + 1) n, as integer ceilings.
  const denominator = 2 * hundred;
  const lowest = `(greatest((2 * scaled - 1) * n_students, 0) + ${denominator - 1})
                    // ${denominator}`;
  const highest = `((2 * scaled + 1) * n_students + ${denominator - 1}) // ${denominator} - 1`;
  const levelOrder = `list_position(${sqlList(LEVEL_ORDER)}, level)`;
  return `
    WITH levels AS (
      SELECT ${KEYS}, l.level, l.pct, l.withheld, source_file,
             a.n_students::BIGINT AS n_students,
             -- Whole in units of the published decimal, or null if the percent has more decimals.
             CASE WHEN abs(l.pct * ${scale} - round(l.pct * ${scale})) < 1e-6
                  THEN round(l.pct * ${scale})::BIGINT END AS scaled
      -- Both ways, so that an achievement row without level rows, and level rows without their
      -- achievement row, are listed as not checked rather than left out.
      FROM achievement a
      FULL JOIN achievement_levels l USING (${KEYS}, source_file)
      WHERE ${scopeCondition("source_file", scope)}
    ),
    bounded AS (
      SELECT *,
             CASE WHEN n_students > 0 AND scaled IS NOT NULL THEN ${lowest} END AS lowest,
             CASE WHEN n_students > 0 AND scaled IS NOT NULL THEN ${highest} END AS highest
      FROM levels
    ),
    per_row AS (
      SELECT ${KEYS}, source_file, any_value(n_students)::INTEGER AS n_students,
             coalesce(list(level ORDER BY ${levelOrder}) FILTER (WHERE level IS NOT NULL), [])
               AS levels,
             coalesce(list(pct ORDER BY ${levelOrder}) FILTER (WHERE level IS NOT NULL), [])
               AS percents,
             count(level) AS n_levels, count(pct) AS n_published, bool_or(withheld) AS any_withheld,
             count(scaled) AS n_whole, sum(scaled) AS scaled_sum,
             bool_and(lowest <= highest) AS each_possible,
             sum(lowest) AS lowest_sum, sum(highest) AS highest_sum
      FROM bounded
      GROUP BY ALL
    ),
    judged AS (
      SELECT *,
             n_published = ${LEVELS_PER_ROW} AND n_levels = ${LEVELS_PER_ROW} AS complete,
             scaled_sum BETWEEN ${hundred - 1} AND ${hundred + 2} AS sum_within_rounding,
             CASE WHEN n_students > 0
                  THEN each_possible AND n_students BETWEEN lowest_sum AND highest_sum
             END AS counts_possible
      FROM per_row
    )
    SELECT ${KEYS}, n_students, levels, percents,
           -- Summed on the scaled integers: in floating point 33.3 + 33.3 + 33.3 is 99.8999...
           CASE WHEN complete AND n_whole = n_levels THEN scaled_sum / ${scale}
                WHEN complete THEN list_sum(percents) END::DOUBLE AS level_sum,
           CASE WHEN complete AND n_whole = n_levels THEN sum_within_rounding END
             AS sum_within_rounding,
           CASE WHEN complete AND n_whole = n_levels THEN counts_possible END AS counts_possible,
           CASE WHEN NOT complete THEN 'not checked'
                WHEN n_whole < n_levels THEN 'differs'
                WHEN sum_within_rounding AND coalesce(counts_possible, true) THEN 'matches'
                ELSE 'differs' END AS status,
           CASE WHEN NOT complete
                  THEN n_published || ' of ${LEVELS_PER_ROW} level percents published'
                       || CASE WHEN any_withheld THEN ' (withheld by the state)' ELSE '' END
                WHEN n_whole < n_levels
                  THEN 'a level percent has more than the ${decimalsOf(scope)} decimal(s) checked'
                WHEN NOT sum_within_rounding
                  THEN 'sum outside ${(hundred - 1) / scale} to ${(hundred + 2) / scale}'
                WHEN NOT counts_possible
                  THEN 'no whole counts of ' || n_students || ' students round to these percents'
                WHEN n_students IS NULL OR n_students = 0
                  THEN 'sum checked; no count of students to check the percents against'
           END AS reason,
           source_file
    FROM judged
    ORDER BY CASE status WHEN 'differs' THEN 0 WHEN 'not checked' THEN 1 ELSE 2 END,
             ${KEYS}, source_file`;
}

/** Decimals a published number was written with (0 to 6), read off the number itself. */
function decimalsSql(value: string): string {
  return `coalesce(list_min([d FOR d IN range(0, 7)
                            IF abs(${value} * 10 ** d - round(${value} * 10 ** d)) < 1e-4]), 6)`;
}

/**
 * (c) Every published item difference against the school's and the state's percents beside it.
 * The state computes the difference from unrounded percents and rounds all three: each percent is
 * within half a unit of the last published decimal of its true value, and so is the difference,
 * so the published difference lies within 1.5 units of the difference of the published percents
 * (1 point when all three are whole, as in the state's item workbooks, where it is always within
 * a whole number). Farther than that, the row differs and is listed. The unit is that of the
 * number published with the most decimals: the 2023 item-analysis template writes percents such as
 * 70.786517.
 */
export function itemDifferenceCheckQuery(scope: CheckScope = {}): string {
  return `
    WITH published AS (
      SELECT year, org_code, grade, subject, test, item, n_tested AS n_students,
             pct_possible_org AS pct_org, pct_possible_state AS pct_state,
             diff_published AS published_diff, source_file,
             pct_possible_org - pct_possible_state AS exact_diff
      FROM item_results i
      WHERE basis = 'published' AND student_group = 'all' AND diff_published IS NOT NULL
        AND ${scopeCondition("i.source_file", scope)}
    ),
    measured AS (
      SELECT *,
             greatest(${decimalsSql("pct_org")}, ${decimalsSql("pct_state")},
                      ${decimalsSql("published_diff")})::INTEGER AS decimals
      FROM published
    )
    SELECT year, org_code, grade, subject, test, item, n_students, pct_org, pct_state,
           published_diff, round(exact_diff, decimals)::DOUBLE AS recomputed_diff,
           CASE WHEN exact_diff IS NULL THEN NULL ELSE decimals END::INTEGER AS decimals,
           CASE WHEN exact_diff IS NULL THEN 'not checked'
                WHEN abs(published_diff - exact_diff) <= 1.5 * 10 ** -decimals + 1e-9
                  THEN 'matches'
                ELSE 'differs' END AS status,
           CASE WHEN exact_diff IS NULL
                  THEN 'no ' || CASE WHEN pct_org IS NULL THEN 'school' ELSE 'state' END
                       || ' percent beside the difference'
                WHEN abs(published_diff - exact_diff) > 1.5 * 10 ** -decimals + 1e-9
                  THEN 'off by ' || printf('%.' || decimals || 'f', abs(published_diff - exact_diff))
                       || ', more than the rounding of the three numbers explains'
           END AS reason,
           source_file
    FROM measured
    ORDER BY CASE status WHEN 'differs' THEN 0 WHEN 'not checked' THEN 1 ELSE 2 END,
             year, org_code, test, try_cast(item AS INTEGER) NULLS LAST, item, source_file`;
}

/** Runs check (c) on the warehouse. */
export async function checkItemDifferences(
  warehouse: Warehouse,
  scope: CheckScope = {},
): Promise<CheckResult<ItemDifferenceCheck>> {
  const rows = await warehouse.all<ItemDifferenceCheck>(
    itemDifferenceCheckQuery(scope),
    scopeParams(scope),
  );
  return { rows, summary: summarize(rows) };
}

/** Runs check (a) on the warehouse. */
export async function checkPublishedPercents(
  warehouse: Warehouse,
  scope: CheckScope = {},
): Promise<CheckResult<PercentCheck>> {
  const rows = await warehouse.all<PercentCheck>(percentCheckQuery(scope), scopeParams(scope));
  return { rows, summary: summarize(rows) };
}

/** Runs check (b) on the warehouse. */
export async function checkLevelSums(
  warehouse: Warehouse,
  scope: CheckScope = {},
): Promise<CheckResult<LevelSumCheck>> {
  const rows = await warehouse.all<LevelSumCheck>(levelSumCheckQuery(scope), scopeParams(scope));
  return { rows, summary: summarize(rows) };
}

/** Counts of the rows by status; `checked` is every row not marked 'not checked'. */
export function summarize(rows: readonly { status: CheckStatus }[]): CheckSummary {
  const count = (status: CheckStatus) => rows.filter((row) => row.status === status).length;
  const matching = count("matches");
  const differing = count("differs");
  return {
    rows: rows.length,
    checked: matching + differing,
    matching,
    differing,
    notChecked: count("not checked"),
  };
}

function sqlList(values: readonly string[]): string {
  return `[${values.map((value) => `'${value.replaceAll("'", "''")}'`).join(", ")}]`;
}

/**
 * The rows of the checks a reader should see, for the home page: every percent that differs
 * from its counts, every item difference that differs from its two percents, and every row whose level percents differ or sum to anything but 99 to 101
 * (a sum of 102 is possible, but only when all four percents are exact halves rounded up, and a
 * reader comparing with the file should be told so). A group under the minimum size keeps its row
 * with its numbers emptied, as everywhere else.
 */
export function listedChecksQuery(settings: Settings): string {
  const small = suppressedWhen("n_students", settings);
  const keep = (figure: string) => unlessSuppressed(figure, "n_students", settings);
  return `
    SELECT 'percent from counts' AS check_name, ${KEYS}, level, ${small} AS suppressed,
           ${keep("n_students")}::INTEGER AS n_students,
           ${keep("published_pct")}::DOUBLE AS published,
           ${keep("recomputed_pct")}::DOUBLE AS expected, status, reason, source_file
    FROM (${percentCheckQuery()})
    WHERE status = 'differs'
    UNION ALL
    SELECT 'level percents sum', ${KEYS}, NULL, ${small}, ${keep("n_students")}::INTEGER,
           ${keep("level_sum")}::DOUBLE, 100,
           status,
           CASE WHEN status = 'matches' AND level_sum > 101
                THEN 'sums to ' || level_sum::INTEGER
                     || ': possible only when every level percent is an exact half rounded up, '
                     || 'and whole counts of the students give these percents'
                ELSE reason END,
           source_file
    FROM (${levelSumCheckQuery()})
    WHERE status = 'differs' OR level_sum NOT BETWEEN 99 AND 101
    UNION ALL
    -- The item's number goes in the level column: the one column that says which part of the row.
    SELECT 'item difference', year, org_code, grade, subject, 'all', 'item ' || item,
           ${small}, ${keep("n_students")}::INTEGER, ${keep("published_diff")}::DOUBLE,
           ${keep("recomputed_diff")}::DOUBLE, status, reason, source_file
    FROM (${itemDifferenceCheckQuery()})
    WHERE status = 'differs'
    ORDER BY check_name, status, year, org_code, grade, subject, student_group`;
}

/** The checks' counts by status, counted in the warehouse (the real files give 300,000 rows). */
export async function summarizeChecks(
  warehouse: Warehouse,
): Promise<{ percents: CheckSummary; levelSums: CheckSummary; items: CheckSummary }> {
  const count = async (query: string): Promise<CheckSummary> => {
    const byStatus = await warehouse.all<{ status: CheckStatus; n: number }>(
      `SELECT status, count(*)::INTEGER AS n FROM (${query}) GROUP BY status`,
    );
    const of = (status: CheckStatus) => byStatus.find((row) => row.status === status)?.n ?? 0;
    return {
      rows: of("matches") + of("differs") + of("not checked"),
      checked: of("matches") + of("differs"),
      matching: of("matches"),
      differing: of("differs"),
      notChecked: of("not checked"),
    };
  };
  return {
    percents: await count(percentCheckQuery()),
    levelSums: await count(levelSumCheckQuery()),
    items: await count(itemDifferenceCheckQuery()),
  };
}
