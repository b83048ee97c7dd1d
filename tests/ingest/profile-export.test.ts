import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Warehouse } from "../../loaders/warehouse/db.ts";
import { realFile } from "../helpers/real.ts";
import { loadedWarehouse } from "../helpers/warehouse.ts";

// Records in each real profile file (its lines minus the header), checked against `wc -l`.
const FILES: Record<string, { records: number; group: string; grade: string }> = {
  "ma_mcas_2017_gr3-8_schools_all_students.csv": { records: 2752, group: "all", grade: "03-08" },
  "ma_mcas_2022_gr3-8_schools_all_students.csv": { records: 3929, group: "all", grade: "03-08" },
  "ma_mcas_2022_gr3-8_schools_black.csv": { records: 1717, group: "black", grade: "03-08" },
  "ma_mcas_2022_gr3-8_schools_el.csv": { records: 1811, group: "el", grade: "03-08" },
  "ma_mcas_2022_gr3-8_schools_high_needs.csv": {
    records: 3891,
    group: "high_needs",
    grade: "03-08",
  },
  "ma_mcas_2022_gr3-8_schools_hispanic.csv": { records: 2860, group: "hispanic", grade: "03-08" },
  "ma_mcas_2022_gr3-8_schools_low_income.csv": {
    records: 3719,
    group: "low_income",
    grade: "03-08",
  },
  "ma_mcas_2022_gr3-8_schools_swd.csv": { records: 3593, group: "swd", grade: "03-08" },
  "ma_mcas_2022_gr3-8_schools_white.csv": { records: 3504, group: "white", grade: "03-08" },
  "ma_mcas_2022_gr5_schools_all_students.csv": { records: 2627, group: "all", grade: "05" },
};

let warehouse: Warehouse;
let refused: string[];
let warnings: string[];

beforeAll(async () => {
  const loaded = await loadedWarehouse(Object.keys(FILES).map(realFile));
  warehouse = loaded.warehouse;
  refused = loaded.report.refused.flatMap((r) => r.errors);
  warnings = loaded.report.warnings;
}, 120_000);

afterAll(() => warehouse?.close());

const row = (sql: string, params: (string | number)[]) => warehouse.one(sql, params);

describe("profile exports of the real files", () => {
  it("loads every file with one achievement row and four level rows per record", async () => {
    expect(refused).toEqual([]);
    for (const [file, expected] of Object.entries(FILES)) {
      const counts = await warehouse.one<{ a: number; l: number; groups: string; grades: string }>(
        `SELECT (SELECT count(*) FROM achievement WHERE source_file = $1)::INTEGER AS a,
                (SELECT count(*) FROM achievement_levels WHERE source_file = $1)::INTEGER AS l,
                (SELECT string_agg(DISTINCT student_group) FROM achievement WHERE source_file = $1)
                  AS groups,
                (SELECT string_agg(DISTINCT grade) FROM achievement WHERE source_file = $1) AS grades`,
        [file],
      );
      expect(counts, file).toEqual({
        a: expected.records,
        l: expected.records * 4,
        groups: expected.group,
        grades: expected.grade,
      });
    }
  });

  it("finds every published percent equal to its count over the students, rounded half up", () => {
    // Checked on every level and M+E percent of every row of the ten files: a row that disagreed
    // would be listed in a warning. None does; this test fails if one ever does.
    expect(warnings).toEqual([]);
  });

  it("holds the first and the last row of every file as the file itself gives them", async () => {
    // Read apart from pim: csv-parse on the raw text, the numbers freed of padding and commas.
    const number = (cell: string) =>
      cell.trim() === "" ? null : Number(cell.replaceAll(",", "").trim());
    for (const file of Object.keys(FILES)) {
      const text = readFileSync(realFile(file), "utf8").replace(/^\uFEFF/, "");
      const delimiter = text.slice(0, text.indexOf("\n")).includes(";") ? ";" : ",";
      const records = parse(text, { delimiter, columns: true }) as Record<string, string>[];
      for (const record of [records[0]!, records.at(-1)!]) {
        const code = record["School Code"]!.padStart(8, "0");
        const found = await row(
          `SELECT n_students, n_meeting_or_above, pct_meeting_or_above, avg_scaled_score
           FROM achievement WHERE source_file = ? AND org_code = ? AND subject = ?`,
          [file, code, record.Subject!],
        );
        expect(found, `${file} ${code} ${record.Subject}`).toEqual({
          n_students: number(record["No. of Students Included"]!),
          n_meeting_or_above: number(record["M+E #"]!),
          pct_meeting_or_above: number(record["M+E %"]!),
          avg_scaled_score: number(record["Avg. Scaled Score"]!),
        });
      }
    }
  });

  it("records each file in sources with its hash, format, year and rows", async () => {
    const source = await row(
      `SELECT format, rows, years, year_origin, length(sha256)::INTEGER AS hash_length
       FROM sources WHERE file = ?`,
      ["ma_mcas_2022_gr3-8_schools_el.csv"],
    );
    expect(source).toEqual({
      format: "profile-export",
      rows: 1811 * 5,
      years: [2022],
      year_origin: "column",
      hash_length: 64,
    });
  });

  it("reads a comma-file school row as published, restoring the code's leading zero", async () => {
    expect(
      await row(
        `SELECT org_name, org_type, district_code, district_name, n_students, n_meeting_or_above,
                pct_meeting_or_above, avg_scaled_score, sgp, n_included_sgp, participation_rate,
                achievement_percentile
         FROM achievement WHERE year = 2022 AND org_code = ? AND subject = 'MATH'
           AND grade = '03-08' AND student_group = 'all'`,
        ["04830305"],
      ),
    ).toEqual({
      org_name: "Rising Tide Charter Public School",
      org_type: "school",
      district_code: "04830000",
      district_name: "Rising Tide Charter Public (District)",
      n_students: 360,
      n_meeting_or_above: 147,
      pct_meeting_or_above: 41,
      avg_scaled_score: 496.6,
      sgp: 44.7,
      n_included_sgp: 329,
      participation_rate: 99,
      achievement_percentile: 59,
    });
  });

  it("reads each level's count and percent", async () => {
    const levels = await warehouse.all(
      `SELECT level, n, pct FROM achievement_levels
       WHERE year = 2022 AND org_code = '04830305' AND subject = 'MATH' AND grade = '03-08'
         AND student_group = 'all' ORDER BY level`,
    );
    expect(levels).toEqual([
      { level: "E", n: 8, pct: 2 },
      { level: "M", n: 139, pct: 39 },
      { level: "NM", n: 30, pct: 8 },
      { level: "PM", n: 183, pct: 51 },
    ]);
  });

  it("reads the state row's quoted counts with thousands separators", async () => {
    expect(
      await row(
        `SELECT org_name, org_type, n_students, n_meeting_or_above, pct_meeting_or_above, sgp
         FROM achievement WHERE year = 2022 AND org_code = ? AND subject = 'ELA'
           AND grade = '03-08' AND student_group = 'all'`,
        ["00000000"],
      ),
    ).toEqual({
      org_name: "State",
      org_type: "state",
      n_students: 400101,
      n_meeting_or_above: 165044,
      pct_meeting_or_above: 41,
      sgp: 49.8,
    });
  });

  it("keeps the empty participation column of 2017 as missing, not zero", async () => {
    expect(
      await row(
        `SELECT n_students, pct_meeting_or_above, participation_rate FROM achievement
         WHERE year = 2017 AND org_code = ? AND subject = 'ELA' AND student_group = 'all'`,
        ["04830305"],
      ),
    ).toEqual({ n_students: 356, pct_meeting_or_above: 51, participation_rate: null });
  });

  it("reads semicolon files: grade ALL as the file's span, a single grade as itself", async () => {
    expect(
      await row(
        `SELECT grade, n_students, pct_meeting_or_above, avg_scaled_score FROM achievement
         WHERE org_code = ? AND subject = 'MATH' AND student_group = 'high_needs'`,
        ["04830305"],
      ),
    ).toEqual({
      grade: "03-08",
      n_students: 144,
      pct_meeting_or_above: 23,
      avg_scaled_score: 488.5,
    });
    expect(
      await row(
        `SELECT grade, n_students, pct_meeting_or_above, sgp FROM achievement
         WHERE org_code = ? AND subject = 'MATH' AND student_group = 'all' AND grade = '05'`,
        ["04830305"],
      ),
    ).toEqual({ grade: "05", n_students: 89, pct_meeting_or_above: 34, sgp: 26.3 });
  });

  it("keeps a blank SGP blank (the state computes none under 20 students)", async () => {
    expect(
      await row(
        `SELECT org_name, n_students, sgp, n_included_sgp FROM achievement
         WHERE org_code = ? AND subject = 'ELA' AND student_group = 'el'`,
        ["04920005"],
      ),
    ).toEqual({
      org_name: "Martin Luther King, Jr. Charter School of Excellence",
      n_students: 44,
      sgp: null,
      n_included_sgp: 18,
    });
  });

  it("knows each school's district and counts the district's schools", async () => {
    expect(
      await row(
        `SELECT org_name, org_type, district_school_count FROM organizations WHERE org_code = ?`,
        ["04830000"],
      ),
    ).toEqual({
      org_name: "Rising Tide Charter Public (District)",
      org_type: "district",
      district_school_count: 1,
    });
  });
});
