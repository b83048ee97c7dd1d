import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IngestReport } from "../../loaders/ingest/ingest.ts";
import { ingestPaths } from "../../loaders/ingest/ingest.ts";
import { createMemoryLog } from "../../loaders/log.ts";
import { PLANTED } from "../../loaders/sample/generate.ts";
import type { Warehouse } from "../../loaders/warehouse/db.ts";
import { realFile } from "../helpers/real.ts";
import { loadedWarehouse } from "../helpers/warehouse.ts";

const STUDENTS = "ma_mcas_2023_student_item_scores_deidentified_04830305.csv";
const SCHOOL = "04830305";
const DISTRICT = "04830000";

/** The real student file's records by column name, in file order (line = index + 2). */
function readStudentFile(): Record<string, string>[] {
  return parse(readFileSync(realFile(STUDENTS)), { columns: true }) as Record<string, string>[];
}

describe("student-item-scores: the real 2023 file of Rising Tide", () => {
  let warehouse: Warehouse;
  let report: IngestReport;

  beforeAll(async () => {
    ({ warehouse, report } = await loadedWarehouse([
      realFile("ma_mcas_2022_gr3-8_schools_all_students.csv"),
      realFile("ma_mcas_2023_ela_item_results_gr5-10.xlsx"),
      realFile(STUDENTS),
    ]));
  }, 60_000);
  afterAll(() => warehouse?.close());

  it("loads every student and subject registered, and each counted student's items", async () => {
    expect(report.refused).toEqual([]);
    const loaded = report.loaded.find((file) => file.file === STUDENTS);
    expect(loaded?.format).toBe("student-item-scores");
    const records = readStudentFile();
    expect(records).toHaveLength(496);
    // A row per student and subject whose attempt is not NA: F, P or N.
    const registered = ["eattempt", "mattempt", "sattempt"].reduce(
      (sum, column) => sum + records.filter((record) => record[column] !== "NA").length,
      0,
    );
    expect(registered).toBe(1168);
    expect(loaded?.tables.private_students).toBe(registered);
    // Each counted student's points, one per item of the form of the student's grade.
    const items = await warehouse.one<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM private_student_items",
    );
    expect(items?.n).toBe(42138);
    const attempts = await warehouse.all<{ attempt: string; n: number }>(
      `SELECT attempt, count(*)::INTEGER AS n FROM private_students GROUP BY ALL ORDER BY ALL`,
    );
    expect(attempts).toEqual([
      { attempt: "F", n: 1093 },
      { attempt: "N", n: 72 },
      { attempt: "P", n: 3 },
    ]);
  });

  it("keeps the file's values: points, scores, levels, and the school from the file name", async () => {
    const records = readStudentFile();
    const first = records[0]!;
    const student = await warehouse.one<Record<string, unknown>>(
      `SELECT org_code, grade, attempt, raw_score, scaled_score, performance_level, groups
       FROM private_students WHERE student_key = ? AND subject = 'ELA'`,
      [`${STUDENTS}#2`],
    );
    expect(student).toEqual({
      org_code: SCHOOL,
      grade: first.grade,
      attempt: first.eattempt,
      raw_score: Number(first.erawsc),
      scaled_score: Number(first.escaleds),
      performance_level: first.eperflev,
      groups: [],
    });
    // Line 4's math item 8 and its second essay's idea trait, as the file has them.
    const third = records[2]!;
    const points = await warehouse.all<{ item: string; points: number | null }>(
      `SELECT item, points FROM private_student_items
       WHERE student_key = ? AND (subject, item) IN (('MATH', '8'), ('ELA', 'IDEA2'))
       ORDER BY subject, item`,
      [`${STUDENTS}#4`],
    );
    expect(points).toEqual([
      { item: "IDEA2", points: Number(third.idea2) },
      { item: "8", points: Number(third.mitem8) },
    ]);
  });

  it("computes every 2023 ELA item's percent as the state published it, within its rounding", async () => {
    const pairs = await warehouse.all<{
      test: string;
      item: string;
      computed: number;
      published: number;
      n: number;
    }>(
      `SELECT p.test, p.item, c.pct_possible_org AS computed, p.pct_possible_org AS published,
              c.n_tested AS n
       FROM item_results p
       LEFT JOIN item_results c
         ON c.basis = 'students' AND c.org_code = ? AND c.student_group = 'all'
        AND c.year = p.year AND c.test = p.test AND c.item = p.item
       WHERE p.basis = 'published' AND p.org_code = ? AND p.year = 2023 AND p.subject = 'ELA'
       ORDER BY p.test, p.source_row`,
      [SCHOOL, DISTRICT],
    );
    expect(new Set(pairs.map((pair) => pair.test))).toEqual(
      new Set(["ELA-05", "ELA-06", "ELA-07", "ELA-08", "ELA-10"]),
    );
    expect(pairs).toHaveLength(174);
    // The workbook gives fractions with two decimals: whole percents.
    const mismatches = pairs
      .filter((p) => p.computed === null || Math.abs(p.computed - p.published) > 0.5 + 1e-9)
      .map((p) => `${p.test} item ${p.item}: computed ${p.computed}, published ${p.published}`);
    expect(mismatches, mismatches.join("\n")).toEqual([]);
    const first = pairs.find((pair) => pair.test === "ELA-05" && pair.item === "1")!;
    expect([Math.round(first.computed), first.published, first.n]).toEqual([83, 83, 89]);
  });

  it("gives no computed rows, and a warning, for a test with no item map", async () => {
    const math = await warehouse.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM item_results WHERE subject = 'MATH' AND year = 2023`,
    );
    expect(math?.n).toBe(0);
    expect(report.warnings).toContainEqual(expect.stringMatching(/^no item map for 2023 MATH-05 /));
  });
});

describe("student-item-scores: files and flags", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "pim-student-scores-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const ingest = async (paths: string[], options = {}) => {
    const { warehouse, report } = await loadedWarehouse(paths, options);
    return { warehouse, report };
  };

  it("refuses a file whose school it cannot tell, and loads it with --org", async () => {
    const unnamed = join(dir, "ma_mcas_2023_student_items.csv");
    copyFileSync(realFile(STUDENTS), unnamed);
    const refused = await ingest([unnamed]);
    expect(refused.report.refused[0]?.errors).toEqual([
      expect.stringMatching(/cannot tell which school these students belong to.*--org/),
    ]);
    const rows = await refused.warehouse.one<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM private_students",
    );
    expect(rows?.n).toBe(0);
    refused.warehouse.close();

    const named = await ingest([unnamed], { org: SCHOOL });
    expect(named.report.refused).toEqual([]);
    expect(named.report.loaded[0]?.tables.private_students).toBe(1168);
    named.warehouse.close();
  }, 30_000);

  const FULL_HEADER =
    "adminyear,testschoolcode,sasid,grade,gender,race,highneeds,lowincome,EL,FormerEL,ever_EL," +
    "IEP,eitem1,eitem2,eitem3,erawsc,escaleds,eperflev,idea1,conv1,eattempt,mitem1,mattempt";

  it("reads DESE's full layout: school codes, crosswalk, flags as student groups", async () => {
    const path = join(dir, "ma_mcas_2024_student_items_09700000.csv");
    writeFileSync(
      path,
      [
        FULL_HEADER,
        "2024,9700005,1,05,F,B,Y,Y,N,N,N,Y,1,2,0,3,480,PM,3,2,F,1,F",
        "2024,09700005,2,5,M,W,0,0,0,0,0,0,1,NA,,1,470,PM,BL,BL,P,,N",
        "2024,09700099,3,05,M,H,1,1,1,0,1,0,0,0,0,0,450,NM,1,1,F,0,NA",
        "2024,09700005,4,05,F,A,N,N,N,N,N,N,NA,NA,NA,NA,NA,ABS,NA,NA,N,NA,NA",
      ].join("\n"),
    );
    const { warehouse, report } = await ingest([path], {
      crosswalk: { "09700099": "09700010" },
    });
    expect(report.refused).toEqual([]);
    const students = await warehouse.all<Record<string, unknown>>(
      `SELECT source_row, org_code, grade, subject, attempt, groups FROM private_students
       ORDER BY source_row, subject`,
    );
    expect(students).toEqual([
      {
        source_row: 2,
        org_code: "09700005",
        grade: "05",
        subject: "ELA",
        attempt: "F",
        groups: ["high_needs", "low_income", "swd", "black", "female"],
      },
      {
        source_row: 2,
        org_code: "09700005",
        grade: "05",
        subject: "MATH",
        attempt: "F",
        groups: ["high_needs", "low_income", "swd", "black", "female"],
      },
      {
        source_row: 3,
        org_code: "09700005",
        grade: "05",
        subject: "ELA",
        attempt: "P",
        groups: ["white", "male"],
      },
      {
        source_row: 3,
        org_code: "09700005",
        grade: "05",
        subject: "MATH",
        attempt: "N",
        groups: ["white", "male"],
      },
      {
        source_row: 4,
        org_code: "09700010",
        grade: "05",
        subject: "ELA",
        attempt: "F",
        groups: ["high_needs", "low_income", "el", "ever_el", "hispanic", "male"],
      },
      {
        source_row: 5,
        org_code: "09700005",
        grade: "05",
        subject: "ELA",
        attempt: "N",
        groups: ["asian", "female"],
      },
    ]);
    // Items of counted students only; blank and NA are null points, BL a null trait.
    const items = await warehouse.all<{ item: string; points: number | null }>(
      `SELECT item, points FROM private_student_items WHERE student_key LIKE '%#3' ORDER BY item`,
    );
    expect(items).toEqual([
      { item: "1", points: 1 },
      { item: "2", points: null },
      { item: "3", points: null },
      { item: "CONV1", points: null },
      { item: "IDEA1", points: null },
    ]);
    warehouse.close();
  });

  it("reads a file that is not UTF-8 (Windows-1252), or starts with a byte-order mark", async () => {
    const row = "2024,09700005,1,05,F,B,Y,Y,N,N,N,Y,1,2,0,3,480,PM,3,2,F,1,F";
    const latin = join(dir, "ma_mcas_2024_student_items_latin.csv");
    writeFileSync(
      latin,
      Buffer.concat([
        Buffer.from(`${FULL_HEADER},testschoolname\n${row},`),
        Buffer.from([0x43, 0x61, 0x66, 0xe9]), // "Café" in Windows-1252
        Buffer.from("\n"),
      ]),
    );
    const bom = join(dir, "ma_mcas_2024_student_items_bom.csv");
    writeFileSync(bom, `\uFEFF${FULL_HEADER}\n${row}\n`);
    const { warehouse, report } = await ingest([latin, bom]);
    expect(report.refused).toEqual([]);
    expect(report.loaded.map((file) => file.tables.private_students)).toEqual([2, 2]);
    warehouse.close();
  });

  it("refuses cells that are neither a marker nor what the column holds, with their lines", async () => {
    const path = join(dir, "ma_mcas_2024_student_items_bad.csv");
    const good = "2024,09700005,1,05,F,B,Y,Y,N,N,N,Y,1,2,0,3,480,PM,3,2,F,1,F";
    const lines = [
      FULL_HEADER,
      good,
      good.replace(",1,2,0,", ",1,x,0,"),
      good.replace(",Y,Y,", ",Y,maybe,"),
    ];
    for (let i = 0; i < 30; i++) lines.push(good.replace(",F,1,F", ",F,-1,F"));
    writeFileSync(path, lines.join("\n"));
    const { warehouse, report } = await ingest([path]);
    const errors = report.refused[0]?.errors ?? [];
    expect(errors[0]).toBe(
      `ma_mcas_2024_student_items_bad.csv, row 3, column "eitem2": found "x"; ` +
        "expected points, 0 or more (blank or NA if none)",
    );
    expect(errors[1]).toMatch(
      /^ma_mcas_2024_student_items_bad\.csv, row 4, column "lowincome": found "maybe"; expected a flag/,
    );
    expect(errors[2]).toMatch(/, row 5, column "mitem1": found "-1"; /);
    expect(errors).toHaveLength(21);
    expect(errors[20]).toBe("ma_mcas_2024_student_items_bad.csv; and 12 more cells like these");
    const rows = await warehouse.one<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM private_students",
    );
    expect(rows?.n).toBe(0);
    warehouse.close();
  });

  it("recomputes items from students when the map arrives in a later run", async () => {
    const path = join(dir, "ma_mcas_2023_student_items_04830305.csv");
    copyFileSync(realFile(STUDENTS), path);
    const file = join(dir, "later.duckdb");
    const { warehouse, report } = await loadedWarehouse([path], {}, file);
    expect(report.warnings).toContainEqual(expect.stringMatching(/^no item map for 2023 ELA-05 /));
    expect(
      (await warehouse.one<{ n: number }>("SELECT count(*)::INTEGER AS n FROM item_results"))?.n,
    ).toBe(0);
    const log = createMemoryLog();
    await ingestPaths(warehouse, [realFile("ma_mcas_2023_ela_item_results_gr5-10.xlsx")], {
      log,
      org: DISTRICT,
    });
    const computed = await warehouse.one<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM item_results WHERE basis = 'students'",
    );
    expect(computed?.n).toBe(174);
    warehouse.close();
  }, 30_000);
});

describe("student-item-scores: the sample's student file", () => {
  let warehouse: Warehouse;

  beforeAll(async () => {
    const loaded = await loadedWarehouse([resolve(import.meta.dirname, "../../data/sample")]);
    warehouse = loaded.warehouse;
    expect(loaded.report.refused).toEqual([]);
  }, 120_000);
  afterAll(() => warehouse?.close());

  it("gives every 2024 item of every school the workbook's percent, within its rounding", async () => {
    const pairs = await warehouse.all<{ n: number; published: number; mismatched: number }>(
      `SELECT count(c.item)::INTEGER AS n, count(*)::INTEGER AS published,
              count(*) FILTER (WHERE abs(c.pct_possible_org - p.pct_possible_org) > 0.5 + 1e-9)
                ::INTEGER AS mismatched
       FROM item_results p
       LEFT JOIN item_results c
         ON c.basis = 'students' AND c.student_group = 'all' AND c.org_code = p.org_code
        AND c.year = p.year AND c.test = p.test AND c.item = p.item
       WHERE p.basis = 'published' AND p.year = 2024`,
    );
    expect(pairs[0]!.published).toBeGreaterThan(1000);
    expect(pairs[0]).toEqual({
      n: pairs[0]!.published,
      published: pairs[0]!.published,
      mismatched: 0,
    });
  });

  it("shows the planted gap of students with disabilities item by item", async () => {
    const { schoolCode, subject } = PLANTED.swdGap;
    // Points-weighted percent of possible points over the test's items, per school and group.
    const gaps = await warehouse.all<{ org_code: string; gap: number }>(
      `SELECT org_code,
              sum(pct_possible_org * max_points) FILTER (WHERE student_group = 'all')
                / sum(max_points) FILTER (WHERE student_group = 'all')
              - sum(pct_possible_org * max_points) FILTER (WHERE student_group = 'swd')
                / sum(max_points) FILTER (WHERE student_group = 'swd') AS gap
       FROM item_results
       WHERE basis = 'students' AND subject = ? AND item_role <> 'essay'
       GROUP BY org_code ORDER BY gap DESC`,
      [subject],
    );
    expect(gaps[0]?.org_code).toBe(schoolCode);
    expect(gaps[0]!.gap).toBeGreaterThan(25);
  });
});
