import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { formatSummary, ingestPaths } from "../../loaders/ingest/ingest.ts";
import { createMemoryLog } from "../../loaders/log.ts";
import { Warehouse } from "../../loaders/warehouse/db.ts";

const HEADER =
  "School Name;School Code;Subject;M+E #;M+E %;E #;E %;M #;M %;PM #;PM %;NM #;NM %;" +
  "No. of Students Included;Part. Rate %;Avg. Scaled Score;SGP;Included In SGP;Ach. PCTL;" +
  "year;grade;student_group";

/** A small profile export in the semicolon layout, one row per [name, code, subject, E, M, PM, NM]. */
function profile(rows: [string, string, string, number, number, number, number][]): string {
  const lines = rows.map(([name, code, subject, e, m, pm, nm]) => {
    const n = e + m + pm + nm;
    const pct = (count: number) => Math.round((100 * count) / n);
    return [name, code, subject, e + m, pct(e + m), e, pct(e), m, pct(m), pm, pct(pm), nm, pct(nm)]
      .concat([n, 99, 500.1, 50.5, n, 50, 2022, "ALL", "EL"])
      .join(";");
  });
  return `\ufeff${[HEADER, ...lines].join("\r\n")}\r\n`;
}

const GOOD = profile([
  ["Town - Town Elementary", "09990005", "ELA", 5, 20, 15, 10],
  ["Town - Town Elementary", "09990005", "MATH", 4, 18, 18, 10],
]);

let dir: string;
let database: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "pim-atomic-"));
  database = join(dir, "warehouse.duckdb");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function ingest(paths: string[]) {
  const warehouse = await Warehouse.open(database);
  try {
    return await ingestPaths(warehouse, paths, { log: createMemoryLog() });
  } finally {
    warehouse.close();
  }
}

async function count(table: string): Promise<number> {
  const warehouse = await Warehouse.open(database);
  try {
    return (await warehouse.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`))!.n;
  } finally {
    warehouse.close();
  }
}

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe("ingestPaths", () => {
  it("refuses a bad file without changing the warehouse, byte for byte", async () => {
    await ingest([write("ma_mcas_2022_gr3-8_schools_el.csv", GOOD)]);
    const before = readFileSync(database);

    const bad = GOOD.replace(";20;", ";twenty;");
    const report = await ingest([write("ma_mcas_2022_gr3-8_schools_el_v2.csv", bad)]);

    expect(report.refused.map((r) => r.file)).toEqual(["ma_mcas_2022_gr3-8_schools_el_v2.csv"]);
    expect(readFileSync(database).equals(before)).toBe(true);
  });

  it("names the file, row, column, value and what was expected", async () => {
    const bad = GOOD.replace(
      "Town - Town Elementary;09990005;MATH;22;",
      "Town - Town Elementary;09990005;MATH;22,5;",
    );
    const report = await ingest([write("ma_mcas_2022_gr3-8_schools_el.csv", bad)]);
    expect(report.refused[0]!.errors).toEqual([
      'ma_mcas_2022_gr3-8_schools_el.csv, row 3, column "M+E #": found "22,5"; ' +
        "expected a whole number of students (blank if missing)",
    ]);
    expect(await count("achievement")).toBe(0);
  });

  it("reports every bad file of a run, and loads the good ones", async () => {
    const report = await ingest([
      write("a_2022_gr3-8_el.csv", GOOD.replace("09990005;ELA", "0999-0005;ELA")),
      write("b_2022_gr3-8_el.csv", GOOD.replace(";MATH;", ";HISTORY;")),
      write("c_2022_gr3-8_el.csv", GOOD),
    ]);
    expect(report.refused.map((r) => r.file)).toEqual([
      "a_2022_gr3-8_el.csv",
      "b_2022_gr3-8_el.csv",
    ]);
    expect(report.refused[0]!.errors[0]).toMatch(/row 2, column "School Code": found "0999-0005"/);
    expect(report.refused[1]!.errors[0]).toMatch(/row 3, column "Subject": found "HISTORY"/);
    expect(report.loaded.map((r) => r.file)).toEqual(["c_2022_gr3-8_el.csv"]);
  });

  it("leaves a file loaded twice unchanged", async () => {
    const path = write("ma_mcas_2022_gr3-8_schools_el.csv", GOOD);
    await ingest([path]);
    const again = await ingest([path]);
    expect(again.unchanged.map((r) => r.file)).toEqual(["ma_mcas_2022_gr3-8_schools_el.csv"]);
    expect(again.loaded).toEqual([]);
    expect(await count("achievement")).toBe(2);
  });

  it("replaces the rows of a file of the same name with new content", async () => {
    const path = write("ma_mcas_2022_gr3-8_schools_el.csv", GOOD);
    await ingest([path]);
    write(
      "ma_mcas_2022_gr3-8_schools_el.csv",
      profile([["Town - Town Elementary", "09990005", "ELA", 6, 20, 15, 10]]),
    );
    const report = await ingest([path]);
    expect(report.loaded.map((r) => r.file)).toEqual(["ma_mcas_2022_gr3-8_schools_el.csv"]);
    expect(await count("achievement")).toBe(1);
    expect(await count("achievement_levels")).toBe(4);
    expect(await count("sources")).toBe(1);
  });

  it("refuses a second file holding rows another file already loaded", async () => {
    await ingest([write("first_2022_gr3-8_el.csv", GOOD)]);
    const report = await ingest([write("second_2022_gr3-8_el.csv", GOOD)]);
    expect(report.refused[0]!.errors[0]).toMatch(
      /second_2022_gr3-8_el.csv; holds achievement rows already loaded from first_2022_gr3-8_el.csv/,
    );
    expect(await count("achievement")).toBe(2);
  });

  it("refuses an unknown file named on the command line, listing the known formats", async () => {
    const report = await ingest([write("notes.csv", "a,b\n1,2\n")]);
    expect(report.refused[0]!.errors[0]).toMatch(/^notes.csv: matches no known state file format/);
    expect(report.refused[0]!.errors[0]).toMatch(/profile-export/);
    expect(report.refused[0]!.errors[0]).toMatch(/item-analysis-workbook/);
  });

  it("lists ten rows of disagreeing percents, one a line, and counts the rest", async () => {
    const schools = Array.from({ length: 12 }, (_, i) => `099900${String(10 + i)}`);
    const text = profile(schools.map((code) => [`Town - S${code}`, code, "ELA", 5, 20, 15, 10]));
    // 25 of 50 students is 50 %; each row says 51.
    const report = await ingest([
      write("ma_mcas_2022_gr3-8_schools_el.csv", text.replaceAll(";25;50;", ";25;51;")),
    ]);
    const line = (row: number) =>
      `ma_mcas_2022_gr3-8_schools_el.csv, row ${row}: a percent that is not its count over the ` +
      'students included, rounded half up: "M+E %" 51 (25 of 50 is 50)';
    expect(report.loaded[0]!.warnings).toEqual([
      ...Array.from({ length: 10 }, (_, i) => line(i + 2)),
      "ma_mcas_2022_gr3-8_schools_el.csv: 2 more row(s) with a percent that is not its count " +
        "over the students included: rows 12, 13",
    ]);
  });

  it("refuses a file whose header is nearly a format's, naming it and what differs", async () => {
    // The civics item CSV's header, its state percent column renamed by hand.
    const civics =
      "adminyear,school_code,Grade,question_number,Number_Tested_School," +
      "Percent_Possible_Points_School,Pct_State,Reporting_Category,Civics_Standard,Points," +
      "Item_Description\n23CV,04830305,08,1,50,60,55,CV,8.T1.1,1,An item\n";
    const report = await ingest([write("civics_renamed.csv", civics)]);
    expect(report.refused.map((r) => r.errors)).toEqual([
      [
        "civics_renamed.csv: looks like a civics-item-csv file, but the header lacks the " +
          'column(s) "percent_possible_points_state" that a civics item CSV has, and has ' +
          '"Pct_State" instead',
      ],
    ]);
  });

  it("skips unknown files inside a folder and lists them", async () => {
    const folder = join(dir, "in");
    mkdirSync(folder);
    writeFileSync(join(folder, "notes.csv"), "a,b\n1,2\n");
    writeFileSync(join(folder, "README.md"), "# about these files\n");
    writeFileSync(join(folder, ".DS_Store"), "Bud1");
    writeFileSync(join(dir, "download.csv"), GOOD);
    // A link to a state file is read as the file, by the link's name; a link to a missing file
    // is listed.
    symlinkSync(join(dir, "download.csv"), join(folder, "ma_mcas_2022_gr3-8_schools_el.csv"));
    symlinkSync(join(dir, "deleted.csv"), join(folder, "broken.csv"));
    // A link back to the folder itself is walked once.
    symlinkSync(folder, join(folder, "loop"));
    const report = await ingest([folder]);
    expect(report.skipped.map(({ file, reason }) => [file, reason])).toEqual([
      ["broken.csv", "a link to a missing file"],
      ["notes.csv", "matches no known state file format"],
    ]);
    expect(report.ignored.map(({ file, reason }) => [file, reason])).toEqual([
      [".DS_Store", "hidden"],
      ["README.md", "documentation"],
    ]);
    expect(report.refused).toEqual([]);
    expect(report.loaded.map((r) => r.file)).toEqual(["ma_mcas_2022_gr3-8_schools_el.csv"]);
    expect(formatSummary(report)).toBe(
      [
        "skipped 2 file(s) that pim cannot read:",
        "  - broken.csv: a link to a missing file",
        "  - notes.csv: matches no known state file format",
        "ignored the folder's documentation and hidden files: .DS_Store, README.md",
      ].join("\n"),
    );
  });
});

describe("ingestPaths on files that are not what they seem", () => {
  it("refuses a header-only file, keeping the rows of the earlier file of that name", async () => {
    const path = write("ma_mcas_2022_gr3-8_schools_el.csv", GOOD);
    await ingest([path]);
    write("ma_mcas_2022_gr3-8_schools_el.csv", `\ufeff${HEADER}\r\n`);
    const report = await ingest([path]);
    expect(report.refused[0]!.errors).toEqual([
      "ma_mcas_2022_gr3-8_schools_el.csv; the file holds no data rows below its header: " +
        "an interrupted export?",
    ]);
    expect(await count("achievement")).toBe(2);
  });

  it("refuses grade ALL when the file name does not say which grades", async () => {
    const report = await ingest([write("ma_mcas_2022_schools_el.csv", GOOD)]);
    expect(report.refused[0]!.errors[0]).toBe(
      'ma_mcas_2022_schools_el.csv, row 2, column "grade": found "ALL"; grade "ALL" means every ' +
        "grade of the file, and the file name does not say which: name it as the state does, " +
        'e.g. "..._gr3-8_..."',
    );
  });

  it("says an empty file is empty, and a corrupt workbook unreadable", async () => {
    const report = await ingest([
      write("empty_2022.csv", ""),
      write("broken_2022.xlsx", "this is not a zip archive"),
    ]);
    const [empty, broken] = report.refused.map((r) => r.errors[0]);
    expect(empty).toMatch(/^empty_2022.csv: is empty\./);
    expect(broken).toMatch(/^broken_2022.xlsx: cannot be read as its name suggests \(/);
  });

  it("warns that --year is not used when the file has a Year column", async () => {
    const warehouse = await Warehouse.open(database);
    try {
      const report = await ingestPaths(
        warehouse,
        [write("ma_mcas_2022_gr3-8_schools_el.csv", GOOD)],
        { log: createMemoryLog(), year: 2019 },
      );
      expect(report.warnings).toEqual([
        "ma_mcas_2022_gr3-8_schools_el.csv: --year 2019 not used: the file's Year column says 2022",
      ]);
    } finally {
      warehouse.close();
    }
  });

  it("logs where the year, grades and group of each file came from", async () => {
    const warehouse = await Warehouse.open(database);
    const log = createMemoryLog();
    try {
      await ingestPaths(warehouse, [write("ma_mcas_2022_gr3-8_schools_el.csv", GOOD)], { log });
    } finally {
      warehouse.close();
    }
    expect(log.lines).toContain(
      "ma_mcas_2022_gr3-8_schools_el.csv: year from its Year column, grades from the file name " +
        "(03-08), group from its student_group column",
    );
  });
});
