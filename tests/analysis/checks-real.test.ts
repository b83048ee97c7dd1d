import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  checkItemDifferences,
  checkLevelSums,
  checkPublishedPercents,
} from "../../loaders/analysis/checks.ts";
import type { LevelSumCheck, PercentCheck } from "../../loaders/analysis/checks.ts";
import type { AchievementRow } from "../../loaders/ingest/formats/types.ts";
import { percentHalfUp } from "../../loaders/rounding.ts";
import type { Warehouse } from "../../loaders/warehouse/db.ts";
import { realFile } from "../helpers/real.ts";
import { achievement, item, warehouseWith } from "../helpers/rows.ts";
import { loadedWarehouse } from "../helpers/warehouse.ts";

const PROFILES_2022 = [
  "all_students",
  "black",
  "el",
  "high_needs",
  "hispanic",
  "low_income",
  "swd",
  "white",
].map((group) => `ma_mcas_2022_gr3-8_schools_${group}.csv`);
const LEGACY_SCHOOLS = "ma_mcas_2015_legacy_schools_cpi_apniw.xlsx";
const LEGACY_DISTRICTS = "ma_mcas_2015_legacy_districts_cpi_apniw.xlsx";
const LEGACY = [LEGACY_SCHOOLS, LEGACY_DISTRICTS];

/** Level rows of one made-up achievement row: [level, n, pct, withheld?]. */
type LevelFixture = [level: string, n: number | null, pct: number | null, withheld?: boolean];

async function warehouseOf(
  rows: { row: AchievementRow; levels?: LevelFixture[] }[],
): Promise<Warehouse> {
  const warehouse = await warehouseWith({ achievement: rows.map((entry) => entry.row) });
  for (const { row, levels = [] } of rows) {
    for (const [level, n, pct, withheld = false] of levels) {
      await warehouse.run(
        `INSERT INTO achievement_levels (year, org_code, grade, subject, student_group, level,
                                         n, pct, source_file, withheld)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          ...[row.year, row.org_code, row.grade, row.subject, row.student_group, level, n, pct],
          row.source_file,
          withheld,
        ],
      );
    }
  }
  return warehouse;
}

/** The check's row for one organisation, subject, group and level, which must exist once. */
function percentRow(
  rows: PercentCheck[],
  key: { org: string; subject: string; group: string; level: string | null },
) {
  const found = rows.filter(
    (row) =>
      row.org_code === key.org &&
      row.subject === key.subject &&
      row.student_group === key.group &&
      row.level === key.level,
  );
  expect(found, JSON.stringify(key)).toHaveLength(1);
  return found[0]!;
}

describe("checkPublishedPercents on made-up rows", () => {
  let warehouse: Warehouse | undefined;
  afterEach(() => warehouse?.close());

  const school = (org_code: string, overrides: Partial<AchievementRow>) =>
    achievement({ org_code, org_name: org_code, ...overrides });

  it("recomputes half up from the counts, and lists the rows that differ first", async () => {
    warehouse = await warehouseOf([
      // 30 of 60 = 50%.
      { row: school("00000001", { n_students: 60, n_meeting_or_above: 30 }) },
      // 31 of 60 = 51.67%, published as 51: off by one in the last (whole) place.
      {
        row: school("00000002", {
          n_students: 60,
          n_meeting_or_above: 31,
          pct_meeting_or_above: 51,
        }),
      },
      // 1 of 8 = 12.5%: half up gives 13; a level published as 12 (half to even, or cut off)
      // differs. 29 of 200 = 14.5% exactly, though 100 * 29 / 200 is 14.4999... in floating point.
      {
        row: school("00000003", {
          n_students: 8,
          n_meeting_or_above: 1,
          pct_meeting_or_above: 13,
        }),
        levels: [
          ["E", 1, 12],
          ["M", 3, 38],
        ],
      },
      {
        row: school("00000004", {
          n_students: 200,
          n_meeting_or_above: 29,
          pct_meeting_or_above: 15,
        }),
      },
    ]);
    const { rows, summary } = await checkPublishedPercents(warehouse);
    expect(summary).toEqual({ rows: 6, checked: 6, matching: 4, differing: 2, notChecked: 0 });
    const brief = rows.map((row) => [
      row.org_code,
      row.level,
      row.count,
      row.n_students,
      row.published_pct,
      row.recomputed_pct,
      row.status,
    ]);
    expect(brief).toEqual([
      ["00000002", null, 31, 60, 51, 52, "differs"],
      ["00000003", "E", 1, 8, 12, 13, "differs"],
      ["00000001", null, 30, 60, 50, 50, "matches"],
      ["00000003", null, 1, 8, 13, 13, "matches"],
      ["00000003", "M", 3, 8, 38, 38, "matches"],
      ["00000004", null, 29, 200, 15, 15, "matches"],
    ]);
    expect(rows.map((row) => row.reason)).toEqual([null, null, null, null, null, null]);
  });

  it("does not check a row without counts, and says why", async () => {
    warehouse = await warehouseOf([
      // A legacy-style row: percents published, no counts.
      {
        row: school("00000005", {
          n_students: 40,
          n_meeting_or_above: null,
          pct_meeting_or_above: 55,
        }),
        levels: [["A", null, 20]],
      },
      {
        row: school("00000006", {
          n_students: null,
          n_meeting_or_above: 12,
          pct_meeting_or_above: 30,
        }),
      },
      {
        row: school("00000007", {
          n_students: 40,
          n_meeting_or_above: null,
          pct_meeting_or_above: null,
          withheld: ["M+E %"],
        }),
        levels: [["NM", null, null, true]],
      },
    ]);
    const { rows, summary } = await checkPublishedPercents(warehouse);
    expect(summary).toEqual({ rows: 5, checked: 0, matching: 0, differing: 0, notChecked: 5 });
    expect(rows.map((row) => [row.org_code, row.level, row.recomputed_pct, row.reason])).toEqual([
      ["00000005", null, null, "no count of students meeting or exceeding"],
      ["00000005", "A", null, "no count of students at this level"],
      ["00000006", null, null, "no count of students"],
      ["00000007", null, null, "no published percent (withheld: M+E %)"],
      ["00000007", "NM", null, "no published percent (withheld by the state)"],
    ]);
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(["not checked"]));
  });

  it("works to the published precision, and only on the files asked for", async () => {
    warehouse = await warehouseOf([
      // 1 of 8 = 12.5 and 1 of 3 = 33.33: to one decimal, 12.5 matches and 33.4 differs.
      {
        row: school("00000008", {
          n_students: 8,
          n_meeting_or_above: 1,
          pct_meeting_or_above: 12.5,
          source_file: "tenths.csv",
        }),
      },
      {
        row: school("00000009", {
          n_students: 3,
          n_meeting_or_above: 1,
          pct_meeting_or_above: 33.4,
          source_file: "tenths.csv",
        }),
      },
      { row: school("00000010", { source_file: "other.csv" }) },
    ]);
    const { rows, summary } = await checkPublishedPercents(warehouse, {
      sourceFiles: ["tenths.csv"],
      decimals: 1,
    });
    expect(summary).toMatchObject({ rows: 2, matching: 1, differing: 1 });
    expect(rows.map((row) => [row.org_code, row.recomputed_pct, row.status])).toEqual([
      ["00000009", 33.3, "differs"],
      ["00000008", 12.5, "matches"],
    ]);
    // Whole percents: 12.5 has a decimal the file is said not to publish, so it differs from 13.
    const whole = await checkPublishedPercents(warehouse, { sourceFiles: ["tenths.csv"] });
    expect(whole.rows.map((row) => [row.org_code, row.recomputed_pct, row.status])).toEqual([
      ["00000008", 13, "differs"],
      ["00000009", 33, "differs"],
    ]);
    await expect(checkPublishedPercents(warehouse, { decimals: 0.5 })).rejects.toThrow(
      "decimals must be a whole number from 0 to 4: 0.5",
    );
  });
});

describe("checkLevelSums on made-up rows", () => {
  let warehouse: Warehouse | undefined;
  afterEach(() => warehouse?.close());

  const legacy = (org_code: string, n_students: number | null) =>
    achievement({ org_code, org_name: org_code, n_students, year: 2015 });
  const levels = (a: number | null, p: number | null, ni: number | null, w: number | null) =>
    [
      ["A", null, a],
      ["P", null, p],
      ["NI", null, ni],
      ["W", null, w],
    ] as LevelFixture[];

  it("accepts 99 to 102 where whole counts give the percents, and lists the rest", async () => {
    warehouse = await warehouseOf([
      { row: legacy("00000001", 50), levels: levels(10, 30, 50, 10) },
      // 1, 3, 3 and 1 of 8: 12.5, 37.5, 37.5, 12.5, each an exact half, rounded up: 102.
      { row: legacy("00000002", 8), levels: levels(13, 38, 38, 13) },
      // 98 is one short of anything half-up rounding can give.
      { row: legacy("00000003", 50), levels: levels(10, 30, 50, 8) },
      // 101 is a possible sum, but 41% of 10 students is no whole count (4 is 40%, 5 is 50%).
      { row: legacy("00000004", 10), levels: levels(10, 20, 30, 41) },
      // No count of students: only the sum can be checked.
      { row: legacy("00000005", null), levels: levels(25, 25, 25, 24) },
      // A withheld level: the sum would mean nothing.
      {
        row: legacy("00000006", 50),
        levels: [...levels(10, 30, 50, null).slice(0, 3), ["W", null, null, true]],
      },
    ]);
    const { rows, summary } = await checkLevelSums(warehouse);
    expect(summary).toEqual({ rows: 6, checked: 5, matching: 3, differing: 2, notChecked: 1 });
    const brief = (row: LevelSumCheck) => [
      row.org_code,
      row.n_students,
      row.percents,
      row.level_sum,
      row.sum_within_rounding,
      row.counts_possible,
      row.status,
      row.reason,
    ];
    expect(rows.map(brief)).toEqual([
      // Nor do its counts exist: 5, 15, 25 and 4 students are the only ones, 49 of 50.
      ["00000003", 50, [10, 30, 50, 8], 98, false, false, "differs", "sum outside 99 to 102"],
      [
        "00000004",
        10,
        [10, 20, 30, 41],
        101,
        true,
        false,
        "differs",
        "no whole counts of 10 students round to these percents",
      ],
      [
        "00000006",
        50,
        [10, 30, 50, null],
        null,
        null,
        null,
        "not checked",
        "3 of 4 level percents published (withheld by the state)",
      ],
      ["00000001", 50, [10, 30, 50, 10], 100, true, true, "matches", null],
      ["00000002", 8, [13, 38, 38, 13], 102, true, true, "matches", null],
      [
        "00000005",
        null,
        [25, 25, 25, 24],
        99,
        true,
        null,
        "matches",
        "sum checked; no count of students to check the percents against",
      ],
    ]);
    expect(rows[0]!.levels).toEqual(["A", "P", "NI", "W"]);
  });

  it("checks percents with decimals in units of the last decimal", async () => {
    // 1, 1, 1 and 0 of 3 students: 33.3 three times and 0, a sum of 99.9, the lowest possible.
    warehouse = await warehouseOf([
      { row: legacy("00000008", 3), levels: levels(33.3, 33.3, 33.3, 0) },
    ]);
    const tenths = await checkLevelSums(warehouse, { decimals: 1 });
    expect(tenths.rows).toMatchObject([
      { level_sum: 99.9, sum_within_rounding: true, counts_possible: true, status: "matches" },
    ]);
    const whole = await checkLevelSums(warehouse);
    expect(whole.rows).toMatchObject([
      {
        sum_within_rounding: null,
        status: "differs",
        reason: "a level percent has more than the 0 decimal(s) checked",
      },
    ]);
  });

  it("lists an achievement row without level rows as not checked", async () => {
    warehouse = await warehouseOf([{ row: legacy("00000007", 30) }]);
    const { rows } = await checkLevelSums(warehouse);
    expect(rows).toMatchObject([
      {
        org_code: "00000007",
        levels: [],
        status: "not checked",
        reason: "0 of 4 level percents published",
      },
    ]);
  });
});

/**
 * A warehouse file of its own in the system's temporary folder, to be removed after the tests.
 * Made in beforeAll, not when the suite is collected: a filtered run (-t) skips the suite's hooks
 * and would leave the folder behind.
 */
function temporaryWarehouseFile(): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "pim-checks-"));
  return {
    file: join(dir, "warehouse.duckdb"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

describe("checkPublishedPercents on the 2022 grade 3-8 profile exports", () => {
  let temporary: { file: string; remove: () => void } | undefined;
  let warehouse: Warehouse;
  let rows: PercentCheck[];

  beforeAll(async () => {
    temporary = temporaryWarehouseFile();
    const loaded = await loadedWarehouse(PROFILES_2022.map(realFile), {}, temporary.file);
    warehouse = loaded.warehouse;
    expect(loaded.report.refused).toEqual([]);
    rows = (await checkPublishedPercents(warehouse, { sourceFiles: PROFILES_2022 })).rows;
  }, 120_000);

  afterAll(() => {
    warehouse?.close();
    temporary?.remove();
  });

  it("checks every M+E and level percent, and finds none that differs", () => {
    // 25,024 records in the eight files (3929 + 1717 + 1811 + 3891 + 2860 + 3719 + 3593 + 3504),
    // each with an M+E percent and four level percents, all with their counts.
    expect(rows.filter((row) => row.level === null)).toHaveLength(25_024);
    expect(rows.filter((row) => row.status !== "matches")).toEqual([]);
    expect(rows).toHaveLength(125_120);
  });

  it("uses the files' own precision: every published percent is a whole number", async () => {
    expect(
      await warehouse.one(
        `SELECT count(*)::INTEGER AS percents,
                count(*) FILTER (WHERE pct <> round(pct))::INTEGER AS with_decimals
         FROM (SELECT pct_meeting_or_above AS pct, source_file FROM achievement
               UNION ALL SELECT pct, source_file FROM achievement_levels)
         WHERE source_file LIKE 'ma_mcas_2022_gr3-8_%'`,
      ),
    ).toEqual({ percents: 125_120, with_decimals: 0 });
  });

  it("recomputes Abington Middle's ELA as worked by hand from the all-students file", () => {
    // ma_mcas_2022_gr3-8_schools_all_students.csv line 5: Abington Middle School, 10405, ELA:
    // M+E 291 (49%), E 38 (6%), M 253 (42%), PM 238 (40%), NM 71 (12%) of 600 students.
    // 291 / 600 = 48.5% exactly, a half, rounded up to 49; 38 / 600 = 6.33 -> 6;
    // 253 / 600 = 42.17 -> 42; 238 / 600 = 39.67 -> 40; 71 / 600 = 11.83 -> 12.
    expect((291 * 100) / 600).toBe(48.5);
    const expected = [
      [null, 291, 49],
      ["E", 38, 6],
      ["M", 253, 42],
      ["PM", 238, 40],
      ["NM", 71, 12],
    ] as const;
    for (const [level, count, pct] of expected) {
      expect(percentRow(rows, { org: "00010405", subject: "ELA", group: "all", level })).toEqual({
        year: 2022,
        org_code: "00010405",
        grade: "03-08",
        subject: "ELA",
        student_group: "all",
        level,
        count,
        n_students: 600,
        published_pct: pct,
        recomputed_pct: pct,
        status: "matches",
        reason: null,
        source_file: "ma_mcas_2022_gr3-8_schools_all_students.csv",
      });
    }
  });

  it("rounds the exact halves of a level and of a subgroup up, as the state does", () => {
    // all_students.csv line 176: Auburn Middle, 170305, ELA, NM 77 (13%) of 616: 12.5 -> 13.
    expect((77 * 100) / 616).toBe(12.5);
    expect(
      percentRow(rows, { org: "00170305", subject: "ELA", group: "all", level: "NM" }),
    ).toMatchObject({
      student_group: "all",
      count: 77,
      n_students: 616,
      published_pct: 13,
      recomputed_pct: 13,
      status: "matches",
    });
    // hispanic.csv line 873: Excel Academy Charter School, 04100205, ELA, M+E 221 (43%) of 520.
    expect((221 * 100) / 520).toBe(42.5);
    expect(
      percentRow(rows, { org: "04100205", subject: "ELA", group: "hispanic", level: null }),
    ).toMatchObject({
      count: 221,
      n_students: 520,
      published_pct: 43,
      recomputed_pct: 43,
      status: "matches",
      source_file: "ma_mcas_2022_gr3-8_schools_hispanic.csv",
    });
  });

  it("agrees with percentHalfUp on every row", () => {
    const disagreeing = rows.filter(
      (row) => row.recomputed_pct !== percentHalfUp(row.count!, row.n_students!),
    );
    expect(disagreeing).toEqual([]);
  });
});

describe("the 2015 legacy workbooks: both years and checkLevelSums", () => {
  let temporary: { file: string; remove: () => void } | undefined;
  let warehouse: Warehouse;
  let rows: LevelSumCheck[];

  beforeAll(async () => {
    // Schools first, so that the district the districts workbook leaves unnamed is known.
    temporary = temporaryWarehouseFile();
    const loaded = await loadedWarehouse(LEGACY.map(realFile), {}, temporary.file);
    warehouse = loaded.warehouse;
    expect(loaded.report.refused).toEqual([]);
    rows = (await checkLevelSums(warehouse, { sourceFiles: LEGACY })).rows;
  }, 120_000);

  afterAll(() => {
    warehouse?.close();
    temporary?.remove();
  });

  /** CPI and the A/P/NI/W percents of one organisation and grade, both subjects and years. */
  const figures = (org: string, grade: string) =>
    warehouse.all(
      `SELECT a.year, a.subject, a.n_students, a.cpi,
              list(l.pct ORDER BY list_position(['A', 'P', 'NI', 'W'], l.level)) AS a_p_ni_w
       FROM achievement a JOIN achievement_levels l USING (year, org_code, grade, subject)
       WHERE a.org_code = ? AND a.grade = ? AND a.subject IN ('ELA', 'MATH')
       GROUP BY ALL ORDER BY a.year DESC, a.subject`,
      [org, grade],
    );

  it("loads CPI and level percents for 2015 and 2014: Boston, grade 10", async () => {
    // Districts workbook line 110, 00350000 Boston, grade_15 10: etotal_perf, ecpi and
    // eadv/epro/eni/ewf_per are 3480, 93.1, 30/52/13/5 (_15) and 3645, 90.3, 22/54/18/6 (_14);
    // mtotal_perf, mcpi and madv/mpro/mni/mwf_per are 3475, 83.4, 42/25/18/15 and 3653, 82.9,
    // 40/24/24/12.
    expect(await figures("00350000", "10")).toEqual([
      { year: 2015, subject: "ELA", n_students: 3480, cpi: 93.1, a_p_ni_w: [30, 52, 13, 5] },
      { year: 2015, subject: "MATH", n_students: 3475, cpi: 83.4, a_p_ni_w: [42, 25, 18, 15] },
      { year: 2014, subject: "ELA", n_students: 3645, cpi: 90.3, a_p_ni_w: [22, 54, 18, 6] },
      { year: 2014, subject: "MATH", n_students: 3653, cpi: 82.9, a_p_ni_w: [40, 24, 24, 12] },
    ]);
  });

  it("loads CPI and level percents for 2015 and 2014: Rising Tide, grade 5", async () => {
    // Schools workbook line 3952, 04830305, grade_15 05: ELA 89 students, CPI 94.1,
    // 19/65/15/1 (_15) and 86, 89.8, 16/62/17/5 (_14); math 89, 84, 30/34/29/7 and 86, 84.3,
    // 24/42/24/9.
    expect(await figures("04830305", "05")).toEqual([
      { year: 2015, subject: "ELA", n_students: 89, cpi: 94.1, a_p_ni_w: [19, 65, 15, 1] },
      { year: 2015, subject: "MATH", n_students: 89, cpi: 84, a_p_ni_w: [30, 34, 29, 7] },
      { year: 2014, subject: "ELA", n_students: 86, cpi: 89.8, a_p_ni_w: [16, 62, 17, 5] },
      { year: 2014, subject: "MATH", n_students: 86, cpi: 84.3, a_p_ni_w: [24, 42, 24, 9] },
    ]);
  });

  it("loads 2014 alone where 2015 is blank: Boston, grade 5", async () => {
    // Districts workbook line 108: every _15 cell is " " (Boston took PARCC in 2015); _14: ELA
    // 3388, CPI 71.6, 8/33/37/22; math 3405, CPI 68, 18/23/29/30.
    expect(await figures("00350000", "05")).toEqual([
      { year: 2014, subject: "ELA", n_students: 3388, cpi: 71.6, a_p_ni_w: [8, 33, 37, 22] },
      { year: 2014, subject: "MATH", n_students: 3405, cpi: 68, a_p_ni_w: [18, 23, 29, 30] },
    ]);
  });

  it("finds no row whose level percents rounding cannot explain", () => {
    // 22,118 + 9,095 achievement rows; 793 of them publish no level percent at all.
    expect(rows.filter((row) => row.status === "differs")).toEqual([]);
    expect(rows).toHaveLength(31_213);
    const counted = (status: string, reason: string | null) =>
      rows.filter((row) => row.status === status && row.reason === reason).length;
    expect(counted("matches", null)).toBe(30_420);
    expect(counted("not checked", "0 of 4 level percents published")).toBe(793);
  });

  it("finds sums of 99 to 102, and each year's number of each", () => {
    const tally: Record<string, number> = {};
    for (const row of rows) {
      const key = `${row.year} ${row.level_sum}`;
      tally[key] = (tally[key] ?? 0) + 1;
    }
    expect(tally).toEqual({
      "2014 99": 2701,
      "2014 100": 11_244,
      "2014 101": 2933,
      "2014 102": 15,
      "2014 null": 369,
      "2015 99": 2138,
      "2015 100": 9042,
      "2015 101": 2335,
      "2015 102": 12,
      "2015 null": 424,
    });
  });

  it("explains the 27 rows that sum to 102 by four exact halves of 40, 80 or 200 students", () => {
    // These are the rows a rule of 100 ± 1 would list. Each has whole counts that are exact
    // halves; e.g. district 02510000's 2014 grade 8 math: 17, 67, 61 and 55 of 200 students are
    // 8.5, 33.5, 30.5 and 27.5%, published 9, 34, 31, 28 (half to even would give 100).
    const at102 = rows
      .filter((row) => row.level_sum === 102)
      .map((row) =>
        [row.year, row.org_code, row.grade, row.subject, row.n_students, row.percents.join("/")]
          .concat(row.status)
          .join(" "),
      );
    expect(at102).toEqual([
      "2014 00460015 05 ELA 40 38/43/13/8 matches",
      "2014 00490035 05 ELA 40 33/33/28/8 matches",
      "2014 00490035 05 MATH 40 33/33/23/13 matches",
      "2014 00490050 05 MATH 40 33/23/18/28 matches",
      "2014 01370025 05 MATH 40 3/3/28/68 matches",
      "2014 01370025 06 MATH 40 3/18/28/53 matches",
      "2014 01490015 04 MATH 80 3/23/48/28 matches",
      "2014 01630085 04 MATH 40 8/53/23/18 matches",
      "2014 01990035 05 ELA 40 23/63/13/3 matches",
      "2014 02510000 08 MATH 200 9/34/31/28 matches",
      "2014 02810325 08 ELA 200 5/41/30/26 matches",
      "2014 03350015 05 ELA 40 43/48/8/3 matches",
      "2014 03480045 04 ELA 40 3/23/48/28 matches",
      "2014 06740000 05 ELA 40 8/63/18/13 matches",
      "2014 07250020 03 ELA 80 18/63/18/3 matches",
      "2015 00490045 04 MATH 40 13/23/48/18 matches",
      "2015 01110000 05 MATH 80 28/38/28/8 matches",
      "2015 02040505 10 SCI 200 53/37/10/2 matches",
      "2015 02040505 all SCI 200 53/37/10/2 matches",
      "2015 02810095 03 ELA 40 8/58/33/3 matches",
      "2015 02810190 05 SCI 40 13/33/43/13 matches",
      "2015 02810190 all SCI 40 13/33/43/13 matches",
      "2015 02910000 08 ELA 200 36/57/7/2 matches",
      "2015 03480045 05 MATH 40 3/23/23/53 matches",
      "2015 03480090 06 MATH 40 38/48/13/3 matches",
      "2015 07100000 05 MATH 200 27/39/28/8 matches",
      "2015 07750315 all SCI 200 22/60/16/4 matches",
    ]);
  });

  it("checks Granby's grade 5 math of 2015 against its 80 students", () => {
    // Districts workbook line 357: 01110000 Granby, grade_15 05, mtotal_perf_15 80,
    // madv/mpro/mni/mwf_per_15 28, 38, 28, 8: 22, 30, 22 and 6 students, each an exact half.
    expect(
      rows.find(
        (row) =>
          row.org_code === "01110000" &&
          row.year === 2015 &&
          row.grade === "05" &&
          row.subject === "MATH",
      ),
    ).toEqual({
      year: 2015,
      org_code: "01110000",
      grade: "05",
      subject: "MATH",
      student_group: "all",
      n_students: 80,
      levels: ["A", "P", "NI", "W"],
      percents: [28, 38, 28, 8],
      level_sum: 102,
      sum_within_rounding: true,
      counts_possible: true,
      status: "matches",
      reason: null,
      source_file: LEGACY_DISTRICTS,
    });
  });

  it("leaves unchecked only rows with no level percent: small groups, two state rows", () => {
    const unchecked = rows.filter((row) => row.status === "not checked");
    expect(unchecked.filter((row) => row.n_students! >= 10)).toEqual([
      expect.objectContaining({ year: 2015, org_code: "00000000", grade: "all", subject: "ELA" }),
      expect.objectContaining({ year: 2015, org_code: "00000000", grade: "all", subject: "MATH" }),
    ]);
    expect(new Set(unchecked.map((row) => row.percents.join("/")))).toEqual(new Set(["///"]));
  });
});

describe("check (c): each published item difference against its two percents", () => {
  it("allows the rounding of the three numbers, and no more", async () => {
    const warehouse = await warehouseWith({
      item_results: [
        // Whole numbers: 72 - 60 is 12; a published 13 can come from 71.6 and 60.4 (11.2 ... 12.8
        // rounds to 13 only from 12.5), so one point off is rounding; two is not.
        item({ item: "1", pct_possible_org: 72, pct_possible_state: 60, diff_published: 12 }),
        item({ item: "2", pct_possible_org: 72, pct_possible_state: 60, diff_published: 13 }),
        item({ item: "3", pct_possible_org: 72, pct_possible_state: 60, diff_published: 14 }),
        // Six decimals, as the 2023 item-analysis template writes them.
        item({
          item: "4",
          pct_possible_org: 70.786517,
          pct_possible_state: 61.1,
          diff_published: 9.686518,
        }),
        item({
          item: "5",
          pct_possible_org: 70.786517,
          pct_possible_state: 61.1,
          diff_published: 9.6866,
        }),
        item({ item: "6", pct_possible_org: 72, pct_possible_state: null, diff_published: 3 }),
        // Not published by the state: no row.
        item({ item: "7", diff_published: null }),
        item({ item: "8", basis: "students", diff_published: 1 }),
      ],
    });
    try {
      const { rows, summary } = await checkItemDifferences(warehouse);
      const byItem = Object.fromEntries(rows.map((row) => [row.item, row]));
      expect(Object.keys(byItem).sort()).toEqual(["1", "2", "3", "4", "5", "6"]);
      expect(byItem["1"]).toMatchObject({ status: "matches", recomputed_diff: 12, decimals: 0 });
      expect(byItem["2"]).toMatchObject({ status: "matches", reason: null });
      expect(byItem["3"]).toMatchObject({
        status: "differs",
        reason: "off by 2, more than the rounding of the three numbers explains",
      });
      expect(byItem["4"]).toMatchObject({ status: "matches", decimals: 6 });
      expect(byItem["4"]!.recomputed_diff).toBeCloseTo(9.686517, 6);
      expect(byItem["5"]).toMatchObject({ status: "differs", decimals: 6 });
      expect(byItem["6"]).toMatchObject({
        status: "not checked",
        reason: "no state percent beside the difference",
      });
      expect(summary).toEqual({ rows: 6, checked: 5, matching: 3, differing: 2, notChecked: 1 });
      // The differing rows come first, so that a reader sees them.
      expect(rows.slice(0, 2).map((row) => row.item)).toEqual(["3", "5"]);
    } finally {
      warehouse.close();
    }
  });
});
