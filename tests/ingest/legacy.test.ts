import { join, resolve } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readFigure } from "../../loaders/ingest/legacy.ts";
import type { IngestOptions, IngestReport } from "../../loaders/ingest/ingest.ts";
import type { Warehouse } from "../../loaders/warehouse/db.ts";
import { realFile } from "../helpers/real.ts";
import { loadedWarehouse } from "../helpers/warehouse.ts";

const SCHOOLS = "ma_mcas_2015_legacy_schools_cpi_apniw.xlsx";
const DISTRICTS = "ma_mcas_2015_legacy_districts_cpi_apniw.xlsx";
const COMPILATION = "ma_public_schools_2017_wide_mcas_cpi_ppi.csv";

// The small hand-made files; tests/corpus/legacy/README.md lists what each holds.
const CORPUS = resolve(import.meta.dirname, "../corpus/legacy");

describe("readFigure", () => {
  it("rounds float noise to the published precision", () => {
    expect(readFigure(79.0999999, "cpi")).toEqual({ ok: true, value: 79.1 });
    expect(readFigure(50.0000001, "percent")).toEqual({ ok: true, value: 50 });
    expect(readFigure("229.0", "count")).toEqual({ ok: true, value: 229 });
  });

  it("rounds real extra decimals half up and flags them", () => {
    expect(readFigure(81.05, "cpi")).toEqual({ ok: true, value: 81.1, excess: true });
    expect(readFigure("45.5", "percent")).toEqual({ ok: true, value: 46, excess: true });
  });

  it("reads blank and single-space cells as missing, and * as withheld", () => {
    expect(readFigure(" ", "percent")).toEqual({ ok: true, value: null });
    expect(readFigure(null, "cpi")).toEqual({ ok: true, value: null });
    expect(readFigure("*", "count")).toEqual({ ok: true, value: null, withheld: true });
  });

  it("refuses figures outside their range, fractional counts and text", () => {
    expect(readFigure(140, "percent")).toEqual({ ok: false, expected: "a percent from 0 to 100" });
    expect(readFigure(12.5, "count")).toEqual({
      ok: false,
      expected: "a whole number of students",
    });
    expect(readFigure("n/a%", "sgp")).toEqual({
      ok: false,
      expected: "a growth percentile from 1 to 99 (blank if missing)",
    });
  });
});

describe("legacyMcasWorkbook and publicSchools2017 on the real files", () => {
  let warehouse: Warehouse;
  let report: IngestReport;
  let lines: string[];

  beforeAll(async () => {
    // Schools first, so that the district the districts workbook leaves unnamed is known.
    const loaded = await loadedWarehouse([SCHOOLS, DISTRICTS, COMPILATION].map(realFile));
    ({ warehouse, report, lines } = loaded);
  }, 120_000);

  afterAll(() => warehouse?.close());

  const loadedFile = (file: string) => report.loaded.find((loaded) => loaded.file === file);

  it("loads the three files together: their years do not clash", () => {
    expect(report.refused).toEqual([]);
    // Achievement rows: one per organisation, grade, subject and year with students tested or a
    // result, counted from the files by a separate script; four level rows each.
    expect(loadedFile(SCHOOLS)?.tables).toMatchObject({
      achievement: 22118,
      achievement_levels: 88472,
    });
    expect(loadedFile(DISTRICTS)?.tables).toMatchObject({
      achievement: 9095,
      achievement_levels: 36380,
    });
    expect(loadedFile(COMPILATION)?.tables).toMatchObject({
      achievement: 3072,
      achievement_levels: 12288,
    });
  });

  it("reads every data row of each file", () => {
    // Rows below the header: 4,721 and 1,904 in the workbooks, 1,861 schools in the CSV.
    expect(lines.filter((line) => / records read/.test(line)).map((l) => l.split(" (")[0])).toEqual(
      [`loaded ${SCHOOLS}`, `loaded ${DISTRICTS}`, `loaded ${COMPILATION}`],
    );
    expect(lines.join("\n")).toContain("4721 records read");
    expect(lines.join("\n")).toContain("1904 records read");
    expect(lines.join("\n")).toContain("1861 records read");
  });

  it("leaves out subject-years with only a participation rate or SGP count, and logs them", () => {
    // Counted by the same script; e.g. schools workbook rows 560 and 561 (00440520, grades 10
    // and AL) hold sci_part_rate_15 83, and " " in stotal_perf_15 and every science result.
    expect(lines).toContain(
      `${SCHOOLS}: 26 subject-year(s) of a row hold only a participation rate or an SGP ` +
        "count, with no students tested: not loaded",
    );
    expect(lines).toContain(
      `${DISTRICTS}: 10 subject-year(s) of a row hold only a participation rate or an SGP ` +
        "count, with no students tested: not loaded",
    );
  });

  it("records the years of the workbooks' columns and the compilation's default year", async () => {
    expect(
      await warehouse.all(`SELECT file, format, years, year_origin FROM sources ORDER BY file`),
    ).toEqual([
      {
        file: DISTRICTS,
        format: "legacy-mcas-workbook",
        years: [2014, 2015],
        year_origin: "column",
      },
      { file: SCHOOLS, format: "legacy-mcas-workbook", years: [2014, 2015], year_origin: "column" },
      {
        file: COMPILATION,
        format: "public-schools-2017-compilation",
        years: [2016],
        year_origin: "format default",
      },
    ]);
  });

  it("reads a school row for both years as published", async () => {
    // Schools workbook row 2: 00010003 Beaver Brook Elementary School, grade_15 03; etotal_perf,
    // e_AandP, ecpi, ela_part_rate are 169, 60, 84.3, 100 for _15 and 170, 54, 81.2, 99 for _14.
    expect(
      await warehouse.all(
        `SELECT year, org_name, org_type, district_code, district_name, n_students,
                n_meeting_or_above, pct_meeting_or_above, cpi, sgp, participation_rate
         FROM achievement WHERE org_code = '00010003' AND grade = '03' AND subject = 'ELA'
           AND year IN (2014, 2015) ORDER BY year`,
      ),
    ).toEqual([
      {
        year: 2014,
        org_name: "Beaver Brook Elementary School",
        org_type: "school",
        district_code: "00010000",
        district_name: "Abington",
        n_students: 170,
        n_meeting_or_above: null,
        pct_meeting_or_above: 54,
        cpi: 81.2,
        sgp: null,
        participation_rate: 99,
      },
      {
        year: 2015,
        org_name: "Beaver Brook Elementary School",
        org_type: "school",
        district_code: "00010000",
        district_name: "Abington",
        n_students: 169,
        n_meeting_or_above: null,
        pct_meeting_or_above: 60,
        cpi: 84.3,
        sgp: null,
        participation_rate: 100,
      },
    ]);
  });

  it("reads the four level percents of a school row, with no counts", async () => {
    // Schools workbook row 2: eadv/epro/eni/ewf_per_15 are 7, 54, 34, 6.
    expect(
      await warehouse.all(
        `SELECT level, n, pct FROM achievement_levels WHERE org_code = '00010003'
           AND grade = '03' AND subject = 'ELA' AND year = 2015 ORDER BY level`,
      ),
    ).toEqual([
      { level: "A", n: null, pct: 7 },
      { level: "NI", n: null, pct: 34 },
      { level: "P", n: null, pct: 54 },
      { level: "W", n: null, pct: 6 },
    ]);
  });

  it("reads SGPs and grade AL as all grades", async () => {
    // Schools workbook row 4: 00010003 grade_15 AL; ELASGP15 53, esgp_incl_15 169, MATSGP15 52.5,
    // ecpi_15 82.3.
    expect(
      await warehouse.all(
        `SELECT subject, sgp, n_included_sgp, cpi FROM achievement
         WHERE org_code = '00010003' AND grade = 'all' AND year = 2015 ORDER BY subject`,
      ),
    ).toEqual([
      { subject: "ELA", sgp: 53, n_included_sgp: 169, cpi: 82.3 },
      { subject: "MATH", sgp: 52.5, n_included_sgp: 170, cpi: 77.9 },
    ]);
  });

  it("gives no row to a subject an organisation was not tested in", async () => {
    // Schools workbook rows 2 to 4: every science cell of 00010003 holds " " (grades 3 and 4).
    expect(
      await warehouse.one(
        `SELECT count(*)::INTEGER AS n FROM achievement
         WHERE org_code = '00010003' AND subject = 'SCI'`,
      ),
    ).toEqual({ n: 0 });
  });

  it("reads the state's rows of the districts workbook, single-space cells as null", async () => {
    // Districts workbook row 2: State, grade_15 03; etotal_perf_15 24217, e_AandP_15 60,
    // ecpi_15 83.4, ELASGP15 " "; row 9: grade_15 AL, etotal_perf_15 216396, e_AandP_15 and
    // ecpi_15 empty (the state published no 2015 all-grades ELA figure).
    expect(
      await warehouse.all(
        `SELECT grade, org_name, org_type, district_code, n_students, pct_meeting_or_above, cpi, sgp
         FROM achievement WHERE org_code = '00000000' AND subject = 'ELA' AND year = 2015
           AND grade IN ('03', 'all') ORDER BY grade`,
      ),
    ).toEqual([
      {
        grade: "03",
        org_name: "State",
        org_type: "state",
        district_code: null,
        n_students: 24217,
        pct_meeting_or_above: 60,
        cpi: 83.4,
        sgp: null,
      },
      {
        grade: "all",
        org_name: "State",
        org_type: "state",
        district_code: null,
        n_students: 216396,
        pct_meeting_or_above: null,
        cpi: null,
        sgp: 50,
      },
    ]);
  });

  it("loads levels that sum to 102 by half-up rounding without a warning", async () => {
    // Districts workbook row 357: Granby 01110000, grade 05; madv/mpro/mni/mwf_per_15 are
    // 28, 38, 28, 8 (22, 30, 22 and 6 of mtotal_perf_15 80 students, each an exact half).
    expect(
      await warehouse.all(
        `SELECT a.org_name, a.org_type, a.n_students, l.level, l.pct
         FROM achievement a JOIN achievement_levels l USING (year, org_code, grade, subject)
         WHERE org_code = '01110000' AND grade = '05' AND subject = 'MATH' AND year = 2015
         ORDER BY l.level`,
      ),
    ).toEqual(
      [
        ["A", 28],
        ["NI", 28],
        ["P", 38],
        ["W", 8],
      ].map(([level, pct]) => ({
        org_name: "Granby",
        org_type: "district",
        n_students: 80,
        level,
        pct,
      })),
    );
  });

  it("warns once per file of ignored columns and of the district the file leaves unnamed", () => {
    // No row of the real files has level percents outside 99 to 102: no sum warning.
    expect(loadedFile(SCHOOLS)?.warnings).toEqual([
      `${SCHOOLS}: sheet 2015 MCAS results by school: ignored column(s) "Lowest Grade", ` +
        '"Highest Grade", "school_type", "echange_perf", "mchange_perf", "schange_perf", ' +
        '"echange_type", "mchange_type", "schange_type"',
    ]);
    // Districts workbook rows 1282 and 1283 (04150000) have an empty District_Name.
    expect(loadedFile(DISTRICTS)?.warnings).toEqual([
      `${DISTRICTS}: sheet 2015 MCAS State & District: ignored column(s) "echange_perf", ` +
        '"mchange_perf", "schange_perf", "echange_type", "mchange_type", "schange_type"',
      `${DISTRICTS}: rows 1282, 1283 give no name for 04150000; named "Amesbury Academy ` +
        'Charter Public (District)", as a file loaded before names it',
    ]);
  });

  it("reads the compilation's grade blocks with level counts, as 2016", async () => {
    // Compilation line 3: 00010003, MCAS_3rdGrade_English_: Stud. Incl. # 141.0, P+A # 81.0,
    // % P+A 57.0, CPI 84.2, A/P/NI/W/F # 14, 67, 52, 8 and % 10, 48, 37, 6; SGP columns empty.
    expect(
      await warehouse.one(
        `SELECT org_name, district_code, district_name, n_students, n_meeting_or_above,
                pct_meeting_or_above, cpi, sgp, n_included_sgp
         FROM achievement WHERE org_code = '00010003' AND grade = '03' AND subject = 'ELA'
           AND year = 2016`,
      ),
    ).toEqual({
      org_name: "Beaver Brook Elementary School",
      district_code: "00010000",
      district_name: "Abington",
      n_students: 141,
      n_meeting_or_above: 81,
      pct_meeting_or_above: 57,
      cpi: 84.2,
      sgp: null,
      n_included_sgp: null,
    });
    expect(
      await warehouse.all(
        `SELECT level, n, pct FROM achievement_levels WHERE org_code = '00010003'
           AND grade = '03' AND subject = 'ELA' AND year = 2016 ORDER BY level`,
      ),
    ).toEqual([
      { level: "A", n: 14, pct: 10 },
      { level: "NI", n: 52, pct: 37 },
      { level: "P", n: 67, pct: 48 },
      { level: "W", n: 8, pct: 6 },
    ]);
  });

  it("reads a high school's grade 10 block", async () => {
    // Compilation line 2: 00010505 Abington High, MCAS_10thGrade_Math_: Stud. Incl. # 125.0,
    // CPI 94.2, SGP 52.5, Incl. in SGP(#) 114.0.
    expect(
      await warehouse.one(
        `SELECT org_name, n_students, cpi, sgp, n_included_sgp FROM achievement
         WHERE org_code = '00010505' AND grade = '10' AND subject = 'MATH' AND year = 2016`,
      ),
    ).toEqual({
      org_name: "Abington High",
      n_students: 125,
      cpi: 94.2,
      sgp: 52.5,
      n_included_sgp: 114,
    });
  });
});

describe("legacyMcasWorkbook.parse on the corpus", () => {
  let warehouse: Warehouse | undefined;
  afterEach(() => warehouse?.close());

  async function load(file: string, options: Partial<IngestOptions> = {}) {
    const loaded = await loadedWarehouse([join(CORPUS, file)], options);
    warehouse = loaded.warehouse;
    return loaded;
  }

  const grade04 = (year: number) =>
    warehouse!.one(
      `SELECT n_students, pct_meeting_or_above, cpi, sgp, n_included_sgp, participation_rate,
              (SELECT list(pct ORDER BY level) FROM achievement_levels l
               WHERE l.year = a.year AND l.grade = a.grade) AS levels_a_ni_p_w
       FROM achievement a WHERE grade = '04' AND year = ?`,
      [year],
    );

  it("loads two grades for two years, and reads the layout sheet as documentation", async () => {
    const { report, lines } = await load("good_2015_legacy_schools.xlsx");
    expect(report.loaded[0]!.tables).toMatchObject({ achievement: 4, achievement_levels: 16 });
    expect(report.warnings).toEqual([]);
    expect(lines).toContain(
      "good_2015_legacy_schools.xlsx: sheet file layout documents the columns; not read",
    );
    expect(await grade04(2015)).toEqual({
      n_students: 50,
      pct_meeting_or_above: 60,
      cpi: 84.5,
      sgp: 52.5,
      n_included_sgp: 45,
      participation_rate: 100,
      levels_a_ni_p_w: [10, 30, 50, 10],
    });
    expect(
      await warehouse!.all(
        `SELECT DISTINCT org_code, org_name, org_type, district_code, district_name, grade
         FROM achievement ORDER BY grade`,
      ),
    ).toEqual(
      ["04", "all"].map((grade) => ({
        org_code: "09990005",
        org_name: "Town Elementary",
        org_type: "school",
        district_code: "09990000",
        district_name: "Town",
        grade,
      })),
    );
  });

  it("loads levels that sum to 97 and lists the row in one warning", async () => {
    const { report } = await load("sum-97_2015_legacy_schools.xlsx");
    expect(report.loaded[0]!.tables).toMatchObject({ achievement: 4, achievement_levels: 16 });
    expect(report.warnings).toEqual([
      "sum-97_2015_legacy_schools.xlsx: 1 row(s) whose A/P/NI/W percents do not sum to 100 " +
        "(99 to 102 allowed for rounding), loaded as published: 09990005/04/ELA/2015 (97)",
    ]);
    expect(await grade04(2015)).toMatchObject({ levels_a_ni_p_w: [10, 30, 50, 7] });
  });

  it("reads a single-space cell as null, not 0", async () => {
    const { report } = await load("single-space_2015_legacy_schools.xlsx");
    expect(report.warnings).toEqual([]);
    expect(await grade04(2015)).toMatchObject({ cpi: null, pct_meeting_or_above: 60 });
    expect(await grade04(2014)).toMatchObject({ cpi: 81, levels_a_ni_p_w: [null, 36, 46, 10] });
  });

  it("rounds float noise to the published precision without a warning", async () => {
    const { report } = await load("float-noise_2015_legacy_schools.xlsx");
    expect(report.warnings).toEqual([]);
    expect(await grade04(2015)).toMatchObject({ cpi: 79.1, levels_a_ni_p_w: [10, 30, 50, 10] });
  });

  it("rounds a figure with more decimals than published, and warns", async () => {
    const { report } = await load("more-decimals_2015_legacy_schools.xlsx");
    expect(report.warnings).toEqual([
      "more-decimals_2015_legacy_schools.xlsx: 1 cell(s) hold more decimals than the file " +
        "publishes (whole percents; CPI and SGP to 0.1) and were rounded half up: " +
        'row 2 column "ecpi_14" (81.06)',
    ]);
    expect(await grade04(2014)).toMatchObject({ cpi: 81.1 });
  });

  it("leaves out a subject-year with only a participation rate and an SGP count", async () => {
    const { report, lines } = await load("participation-only_2015_legacy_schools.xlsx");
    expect(report.warnings).toEqual([]);
    expect(lines).toContain(
      "participation-only_2015_legacy_schools.xlsx: 1 subject-year(s) of a row hold only a " +
        "participation rate or an SGP count, with no students tested: not loaded",
    );
    expect(
      await warehouse!.all("SELECT grade, year FROM achievement ORDER BY grade, year"),
    ).toEqual([
      { grade: "04", year: 2015 },
      { grade: "all", year: 2014 },
      { grade: "all", year: 2015 },
    ]);
  });

  it("refuses a percent of 140 with one exact line", async () => {
    const { report } = await load("percent-140_2015_legacy_schools.xlsx");
    expect(report.refused.map((refused) => refused.errors)).toEqual([
      [
        "percent-140_2015_legacy_schools.xlsx, sheet 2015 MCAS results by school, row 2, " +
          'column "eadv_per_15": found "140"; expected a percent from 0 to 100',
      ],
    ]);
    expect(await warehouse!.one("SELECT count(*)::INTEGER AS n FROM achievement")).toEqual({
      n: 0,
    });
  });

  it("loads a districts workbook without ecpi_15: CPI empty that year, and a warning", async () => {
    const { report } = await load("no-ecpi_15_2015_legacy_districts.xlsx");
    expect(report.warnings).toEqual([
      "no-ecpi_15_2015_legacy_districts.xlsx: sheet 2015 MCAS State & District lacks the " +
        "column(s) ecpi_15 that the legacy layout has for its subjects and years; those " +
        "figures are left empty",
    ]);
    expect(
      await warehouse!.all(
        `SELECT org_code, org_name, org_type, district_code, year, n_students, cpi
         FROM achievement ORDER BY org_code, year`,
      ),
    ).toEqual(
      [
        { org_code: "00000000", org_name: "State", org_type: "state", district_code: null },
        { org_code: "09990000", org_name: "Town", org_type: "district", district_code: "09990000" },
      ].flatMap((org) => [
        { ...org, year: 2014, n_students: 95, cpi: 80.1 },
        { ...org, year: 2015, n_students: 98, cpi: null },
      ]),
    );
  });
});

describe("publicSchools2017.parse on the corpus", () => {
  let warehouse: Warehouse | undefined;
  afterEach(() => warehouse?.close());

  const FILE = "ma_public_schools_2017_small.csv";
  const IGNORED =
    `${FILE}: ignored 2 column(s) that are not MCAS results (enrollment, demographics, ` +
    'finances, accountability, PPI): "TOTAL_Enrollment", "Progress and Performance Index ' +
    '(PPI) - All Students"';

  async function load(options: Partial<IngestOptions> = {}) {
    const loaded = await loadedWarehouse([join(CORPUS, FILE)], options);
    warehouse = loaded.warehouse;
    return loaded;
  }

  const rows = () =>
    warehouse!.all(
      `SELECT year, org_code, org_name, grade, subject, n_students, n_meeting_or_above,
              pct_meeting_or_above, cpi, sgp, n_included_sgp
       FROM achievement ORDER BY org_code`,
    );

  it("takes the year 2016 when --year is not given, and says so", async () => {
    const { report, lines } = await load();
    expect(report.warnings).toEqual([
      IGNORED,
      `${FILE}: year 2016 assumed for its MCAS columns, which the file does not date (legacy ` +
        "results of spring 2016, not of 2017); pass --year if they are another year's",
    ]);
    expect(lines).toContain(
      `${FILE}: year 2016 (the compilation's default: its legacy MCAS columns are spring 2016 ` +
        "results); 2 grade and subject blocks (MATH 03, ELA 10)",
    );
    expect(await rows()).toEqual([
      {
        year: 2016,
        org_code: "09990005",
        org_name: "Town Elementary",
        grade: "03",
        subject: "MATH",
        n_students: 50,
        n_meeting_or_above: 30,
        pct_meeting_or_above: 60,
        cpi: 84.5,
        sgp: null,
        n_included_sgp: null,
      },
      {
        year: 2016,
        org_code: "09990505",
        org_name: "Town High",
        grade: "10",
        subject: "ELA",
        n_students: 100,
        n_meeting_or_above: 90,
        pct_meeting_or_above: 90,
        cpi: 96.3,
        sgp: 55.5,
        n_included_sgp: 95,
      },
    ]);
    expect(
      await warehouse!.all(
        `SELECT level, n, pct FROM achievement_levels WHERE org_code = '09990005' ORDER BY level`,
      ),
    ).toEqual([
      { level: "A", n: 5, pct: 10 },
      { level: "NI", n: 15, pct: 30 },
      { level: "P", n: 25, pct: 50 },
      { level: "W", n: 5, pct: 10 },
    ]);
  });

  it("takes the year from --year when given", async () => {
    const { report, lines } = await load({ year: 2015 });
    expect(report.warnings).toEqual([IGNORED]);
    expect(lines).toContain(
      `${FILE}: year 2015 from --year; 2 grade and subject blocks (MATH 03, ELA 10)`,
    );
    expect(await warehouse!.all("SELECT DISTINCT year FROM achievement")).toEqual([{ year: 2015 }]);
    expect(await warehouse!.one("SELECT years, year_origin FROM sources")).toEqual({
      years: [2015],
      year_origin: "--year",
    });
  });
});
