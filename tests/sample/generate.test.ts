import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMemoryLog } from "../../loaders/log.ts";
import { PLANTED, generateSample } from "../../loaders/sample/generate.ts";

// Everything here is read back from the written files, never from the generator's internals.

const DEFAULT_SEED = 20260301;
const COMMITTED = fileURLToPath(new URL("../../data/sample/", import.meta.url));
const YEARS = [2023, 2024];
const GROUP_LABELS: Record<string, string> = {
  el: "EL",
  high_needs: "high needs",
  swd: "students with disabilities",
  low_income: "low-income",
  black: "afr.american/black",
  hispanic: "hispanic/latino",
  white: "white",
};
const HEADER = [
  "School Name",
  "School Code",
  "Subject",
  "M+E #",
  "M+E %",
  "E #",
  "E %",
  "M #",
  "M %",
  "PM #",
  "PM %",
  "NM #",
  "NM %",
  "No. of Students Included",
  "Part. Rate %",
  "Avg. Scaled Score",
  "SGP",
  "Included In SGP",
  "Ach. PCTL",
] as const;
const LEVELS = ["E", "M", "PM", "NM"] as const;
const LEVEL_SCORES = { E: [530, 560], M: [500, 529], PM: [470, 499], NM: [440, 469] } as const;

/** A profile row by column name ("year", "grade" and "student_group" only in semicolon files). */
type ProfileRecord = Record<
  (typeof HEADER)[number] | "Year" | "year" | "grade" | "student_group",
  string
>;

let dir: { first: string; second: string; otherSeed: string };
const log = createMemoryLog();

beforeAll(async () => {
  const temp = (label: string) => mkdtemp(join(tmpdir(), `pim-sample-${label}-`));
  dir = { first: await temp("a"), second: await temp("b"), otherSeed: await temp("c") };
  await generateSample({ outDir: dir.first, seed: DEFAULT_SEED, log });
  await generateSample({ outDir: dir.second, seed: DEFAULT_SEED, log: createMemoryLog() });
  await generateSample({ outDir: dir.otherSeed, seed: DEFAULT_SEED + 1, log: createMemoryLog() });
}, 120_000);

afterAll(async () => {
  for (const path of Object.values(dir ?? {})) await rm(path, { recursive: true, force: true });
});

describe("generateSample({ outDir, seed, log })", () => {
  it("writes the same bytes for the same seed", async () => {
    const names = (await readdir(dir.first)).sort();
    expect((await readdir(dir.second)).sort()).toEqual(names);
    for (const name of names) {
      const same = (await readFile(join(dir.first, name))).equals(
        await readFile(join(dir.second, name)),
      );
      expect(same, name).toBe(true);
    }
  });

  it("writes different numbers for a different seed", async () => {
    const name = "ma_mcas_2023_gr3-8_schools_all_students.csv";
    const [first, other] = await Promise.all([
      readFile(join(dir.first, name), "utf8"),
      readFile(join(dir.otherSeed, name), "utf8"),
    ]);
    expect(other.split("\n")[0]).toBe(first.split("\n")[0]);
    expect(other).not.toBe(first);
    const workbook = "ma_mcas_2024_item_analysis_09700020.xlsx";
    const sameWorkbook = (await readFile(join(dir.first, workbook))).equals(
      await readFile(join(dir.otherSeed, workbook)),
    );
    expect(sameWorkbook).toBe(false);
  });

  it("returns the names it wrote and logs how long it took", async () => {
    const memory = createMemoryLog();
    const outDir = await mkdtemp(join(tmpdir(), "pim-sample-log-"));
    try {
      const written = await generateSample({ outDir, seed: 7, log: memory });
      expect(written.sort()).toEqual((await readdir(outDir)).sort());
      expect(written).toHaveLength(42);
      expect(memory.lines.at(-1)).toMatch(/^sample: wrote 42 files to .* \(seed 7\) \(\d/);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("equals the committed data/sample (regenerate with `node bin/pim.js sample`)", async () => {
    const names = (await readdir(dir.first)).sort();
    expect((await readdir(COMMITTED)).sort()).toEqual(names);
    for (const name of names) {
      const same = (await readFile(join(dir.first, name))).equals(
        await readFile(join(COMMITTED, name)),
      );
      expect(same, `${name} differs from a fresh run`).toBe(true);
    }
  });
});

describe("generateSample: profile files", () => {
  it("use the comma layout of the state's all-students file", async () => {
    for (const year of YEARS) {
      const text = await readFile(profilePath(year, "gr3-8", "all_students"), "utf8");
      expect(text.charCodeAt(0)).not.toBe(0xfeff);
      expect(text).not.toContain("\r");
      expect(text.endsWith("\n")).toBe(true);
      expect(text.split("\n")[0]).toBe([...HEADER, "Year"].join(","));
      const rows = await readProfile(year, "gr3-8", "all_students");
      for (const row of rows) {
        expect(row["School Code"]).toMatch(row["School Name"] === "State" ? /^0$/ : /^970\d{4}$/);
        expect(row["School Name"]).toMatch(/^(State|Kestrel Valley - .+)$/);
        expect(row["Year"]).toBe(String(year));
        if (row["Ach. PCTL"] !== "") expect(row["Ach. PCTL"]).toMatch(/^\d{1,2}\.0$/);
      }
      // Counts are padded to 12 characters; the state's, with separators, are quoted.
      expect(text).toMatch(/\nState,0,ELA,"\s+\d{1,3},\d{3}",\d+,/);
    }
  });

  it("use the semicolon layout of the state's subgroup and single-grade files", async () => {
    for (const year of YEARS) {
      const files = [
        ...Object.entries(GROUP_LABELS).map(([file, label]) => ({
          path: profilePath(year, "gr3-8", file),
          grade: "ALL",
          group: label,
        })),
        ...[3, 4, 5, 6, 7, 8].map((grade) => ({
          path: profilePath(year, `gr${grade}`, "all_students"),
          grade: String(grade),
          group: "ALL",
        })),
      ];
      for (const { path, grade, group } of files) {
        const bytes = await readFile(path);
        expect([...bytes.subarray(0, 3)], path).toEqual([0xef, 0xbb, 0xbf]);
        const text = bytes.toString("utf8").slice(1);
        expect(text.split("\r\n").at(-1), path).toBe("");
        expect(text.replaceAll("\r\n", "")).not.toContain("\n");
        expect(text.split("\r\n")[0]).toBe([...HEADER, "year", "grade", "student_group"].join(";"));
        for (const row of parseProfile(text, ";")) {
          expect(row["School Code"]).toMatch(
            row["School Name"] === "State" ? /^0{8}$/ : /^0970\d{4}$/,
          );
          expect([row["year"], row["grade"], row["student_group"]]).toEqual([
            String(year),
            grade,
            group,
          ]);
          expect(row["Avg. Scaled Score"]).toMatch(/^ {5}\d{3}\.\d$/);
          expect(row["SGP"]).toMatch(/^(| {10}\d{2}\.\d| {11}\d\.\d)$/);
          if (row["School Name"] !== "State") expect(row["Ach. PCTL"]).toMatch(/^\d{1,2}$/);
        }
      }
    }
  });

  it("list schools by name and the State last", async () => {
    const rows = await readProfile(2023, "gr3-8", "all_students");
    const names = rows.map((row) => row["School Name"]);
    expect(names.at(-1)).toBe("State");
    const schools = names.filter((name) => name !== "State");
    expect(schools).toEqual([...schools].sort());
    expect(new Set(schools).size).toBeGreaterThanOrEqual(6);
    expect(rows.map((row) => row["Subject"]).slice(0, 2)).toEqual(["ELA", "MATH"]);
  });

  it("have counts that add up and percents rounded half up on every row", async () => {
    for (const { rows } of await readAllProfiles()) {
      for (const row of rows) {
        const n = count(row["No. of Students Included"]);
        const levels = LEVELS.map((level) => count(row[`${level} #`]));
        expect(levels.reduce((sum, levelCount) => sum + levelCount, 0)).toBe(n);
        const meetingOrAbove = count(row["E #"]) + count(row["M #"]);
        expect(count(row["M+E #"])).toBe(meetingOrAbove);
        expect(Number(row["M+E %"])).toBe(halfUp(meetingOrAbove, n));
        for (const level of LEVELS) {
          expect(Number(row[`${level} %`])).toBe(halfUp(count(row[`${level} #`]), n));
        }
      }
    }
  });

  it("keep scores, growth, participation and percentiles in the state's ranges", async () => {
    for (const { rows } of await readAllProfiles()) {
      for (const row of rows) {
        const n = count(row["No. of Students Included"]);
        const score = Number(row["Avg. Scaled Score"]);
        // The average lies between the lowest and highest scores the level counts allow.
        const low = LEVELS.reduce((s, l) => s + count(row[`${l} #`]) * LEVEL_SCORES[l][0], 0);
        const high = LEVELS.reduce((s, l) => s + count(row[`${l} #`]) * LEVEL_SCORES[l][1], 0);
        expect(score).toBeGreaterThanOrEqual(Math.floor((10 * low) / n) / 10);
        expect(score).toBeLessThanOrEqual(Math.ceil((10 * high) / n) / 10);
        const participation = Number(row["Part. Rate %"]);
        expect(participation).toBeGreaterThanOrEqual(95);
        expect(participation).toBeLessThanOrEqual(100);
        const included = row["Included In SGP"].trim() === "" ? 0 : count(row["Included In SGP"]);
        expect(included).toBeLessThanOrEqual(n);
        if (row["SGP"].trim() !== "") {
          expect(included).toBeGreaterThanOrEqual(20);
          expect(Number(row["SGP"])).toBeGreaterThanOrEqual(1);
          expect(Number(row["SGP"])).toBeLessThanOrEqual(99);
        }
        if (row["School Name"] === "State") expect(row["Ach. PCTL"]).toBe("");
        else expect(Number(row["Ach. PCTL"])).toBeGreaterThanOrEqual(1);
        expect(Number(row["Ach. PCTL"] || 0)).toBeLessThanOrEqual(99);
      }
    }
  });

  it("make each grades 3-8 row the sum of the grade rows", async () => {
    const columns = [
      ...LEVELS.map((level) => `${level} #` as const),
      "No. of Students Included",
      "Included In SGP",
    ] as const;
    for (const year of YEARS) {
      const aggregate = await readProfile(year, "gr3-8", "all_students");
      const grades = (
        await Promise.all(
          [3, 4, 5, 6, 7, 8].map((g) => readProfile(year, `gr${g}`, "all_students")),
        )
      ).flat();
      for (const row of aggregate) {
        const parts = grades.filter(
          (g) =>
            g["School Code"] === row["School Code"].padStart(8, "0") &&
            g["Subject"] === row["Subject"],
        );
        expect(parts.length, row["School Name"]).toBeGreaterThanOrEqual(3);
        for (const column of columns) {
          const sum = parts.reduce((total, part) => total + count(part[column]), 0);
          expect(count(row[column]), `${row["School Name"]} ${column}`).toBe(sum);
        }
      }
    }
  });

  it("keep every group within all students, and high needs over its parts", async () => {
    for (const year of YEARS) {
      const all = await readProfile(year, "gr3-8", "all_students");
      const groups = new Map(
        await Promise.all(
          Object.keys(GROUP_LABELS).map(
            async (g) => [g, await readProfile(year, "gr3-8", g)] as const,
          ),
        ),
      );
      for (const row of all) {
        const code = row["School Code"].padStart(8, "0");
        const n = (group: string) =>
          count(
            (groups.get(group) ?? []).find(
              (g) => g["School Code"] === code && g["Subject"] === row["Subject"],
            )?.["No. of Students Included"] ?? "0",
          );
        const total = count(row["No. of Students Included"]);
        for (const group of Object.keys(GROUP_LABELS)) expect(n(group)).toBeLessThanOrEqual(total);
        expect(n("high_needs")).toBeGreaterThanOrEqual(
          Math.max(n("el"), n("swd"), n("low_income")),
        );
        expect(n("black") + n("hispanic") + n("white")).toBeLessThanOrEqual(total);
      }
    }
  });

  it("give schools of 30 to 120 students a grade, and the state tens of thousands", async () => {
    for (const year of YEARS) {
      for (const grade of [3, 4, 5, 6, 7, 8]) {
        for (const row of await readProfile(year, `gr${grade}`, "all_students")) {
          const n = count(row["No. of Students Included"]);
          if (row["School Name"] === "State") expect(n).toBeGreaterThan(10_000);
          else expect(n).toBeGreaterThanOrEqual(28);
          if (row["School Name"] !== "State") expect(n).toBeLessThanOrEqual(120);
        }
      }
    }
  });
});

describe("generateSample: item analysis workbooks", () => {
  it("lay out every sheet like the state's Edwin export", async () => {
    for (const { name, sheets } of await readAllWorkbooks()) {
      for (const sheet of sheets) {
        const quirk = name === PLANTED.temHeader.file && sheet.name === PLANTED.temHeader.sheet;
        expect(sheet.header.slice(0, 7)).toEqual([
          quirk ? "TEM" : "ITEM",
          "TYPE",
          "REPORTING CATEGORY",
          "STANDARD",
          "ITEM DESC",
          "ITEM DESC",
          "POSSIBLE POINTS",
        ]);
        expect(sheet.header.slice(8)).toEqual(["STATE", "SCHOOL-STATE DIFFERENCE"]);
        expect(sheet.header[7]).toMatch(/^[A-Z ]+SCHOOL$/);
        expect(sheet.merges).toEqual(["E1:F1"]);
        for (const item of sheet.items) {
          for (const value of [item.org, item.state]) {
            expect(value).toBeGreaterThanOrEqual(0);
            expect(value).toBeLessThanOrEqual(1);
            expect(Math.round(value * 100) / 100).toBe(value);
          }
          expect(item.diff).toBe(Math.round(100 * (item.org - item.state)));
        }
        // ELA sheets end with two blank rows and the legend link, math sheets with their items.
        const legend = sheet.name.startsWith("E")
          ? "View the Item by Item Results - Legend"
          : undefined;
        expect(sheet.legend).toBe(legend);
      }
    }
  });

  it("hold one sheet per test the school takes, math first, highest grade first", async () => {
    for (const { sheets } of await readAllWorkbooks()) {
      const names = sheets.map((sheet) => sheet.name);
      const grades = names.filter((n) => n.startsWith("M")).map((n) => Number(n.slice(2)));
      expect(grades).toEqual([...grades].sort((a, b) => b - a));
      expect(names).toEqual([...grades.map((g) => `MG${g}`), ...grades.map((g) => `EG${g}`)]);
    }
  });

  it("write math tests of 35 to 40 items in the grade's reporting categories", async () => {
    const categories: Record<number, string[]> = {
      3: ["GE", "MD", "NF", "NT", "OA"],
      4: ["GE", "MD", "NF", "NT", "OA"],
      5: ["GE", "MD", "NF", "NT", "OA"],
      6: ["EE", "GE", "NS", "RP", "SP"],
      7: ["EE", "GE", "NS", "RP", "SP"],
      8: ["FN", "GE", "NSEE", "SP"],
    };
    for (const { sheets } of await readAllWorkbooks()) {
      for (const sheet of sheets.filter((s) => s.name.startsWith("M"))) {
        const grade = Number(sheet.name.slice(2));
        expect(sheet.items.length).toBeGreaterThanOrEqual(35);
        expect(sheet.items.length).toBeLessThanOrEqual(40);
        expect([...new Set(sheet.items.map((item) => item.category))].sort()).toEqual(
          categories[grade],
        );
        for (const item of sheet.items) {
          expect(`${item.type} ${item.points}`).toMatch(/^(SR [12]|SA 1|CR 4)$/);
          for (const code of item.standard.split(" ")) {
            expect(code).toMatch(
              new RegExp(`^${grade}\\.(OA|NBT|NF|MD|G|RP|NS|EE|SP|F)\\.[A-D]\\.\\d$`),
            );
          }
        }
      }
    }
  });

  it("weight each whole essay by its traits, as the state's ELA sheets show it", async () => {
    const pickOrg = (i: Item) => i.org;
    for (const { sheets } of await readAllWorkbooks()) {
      for (const sheet of sheets.filter((s) => s.name.startsWith("E"))) {
        const selected = sheet.items.filter((item) => item.type === "SR");
        expect(selected.length).toBeGreaterThanOrEqual(25);
        expect(new Set(selected.map((item) => item.category))).toEqual(new Set(["RE", "LA"]));
        const essays = sheet.items.filter((item) => item.type === "ES" && item.category === "-");
        expect(essays).toHaveLength(2);
        essays.forEach((essay, k) => {
          expect(essay.description).toMatch(/^Write an essay /);
          const traits = sheet.items.filter((item) =>
            [`WR${essay.id}.IDEA${k + 1}`, `LA${essay.id}.CONV${k + 1}`].includes(item.id),
          );
          expect(traits.map((t) => [t.category, t.points])).toEqual([
            ["WR", 5],
            ["LA", 3],
          ]);
          expect(essay.points).toBe(8);
          for (const pick of [pickOrg, (i: Item) => i.state]) {
            const weighted = traits.reduce(
              (sum, t) => sum + t.points * Math.round(100 * pick(t)),
              0,
            );
            const expected = Math.floor((2 * weighted + 8) / 16);
            // The school's essay is counted from its students' points, not from the traits'
            // rounded percents: the two roundings may differ by one.
            const slack = pick === pickOrg ? 1 : 0;
            expect(Math.abs(Math.round(100 * pick(essay)) - expected)).toBeLessThanOrEqual(slack);
          }
        });
      }
    }
  });

  it("share forms and state values across schools, with new questions each year", async () => {
    const books = await readAllWorkbooks();
    const forms = new Map<string, Map<string, Item>>();
    for (const { name, sheets } of books) {
      const year = name.slice(8, 12);
      for (const sheet of sheets) {
        const key = `${year} ${sheet.name}`;
        const items = new Map(sheet.items.map((item) => [item.id, item]));
        const known = forms.get(key);
        if (!known) forms.set(key, items);
        else {
          expect([...items.keys()].sort()).toEqual([...known.keys()].sort());
          for (const [id, item] of items) {
            expect(item.state, `${key} item ${id}`).toBe(known.get(id)?.state);
            expect(item.description).toBe(known.get(id)?.description);
          }
        }
      }
    }
    for (const [key, items] of forms) {
      if (!key.startsWith("2023")) continue;
      // Essay traits are described by their essay's number only ("Essay 12 Writing ..."): skipped.
      const questions = (form: Map<string, Item> | undefined) =>
        [...(form?.values() ?? [])].filter((item) => !item.id.includes("."));
      const later = new Set(
        questions(forms.get(key.replace("2023", "2024"))).map((i) => i.description),
      );
      expect(later.size, key).toBeGreaterThan(0);
      for (const item of questions(items)) expect(later.has(item.description), key).toBe(false);
    }
  });
});

// The planted facts hold for any seed: checked on the default seed's files and another seed's.
const RUNS: [string, () => string][] = [
  [`seed ${DEFAULT_SEED}`, () => dir.first],
  [`seed ${DEFAULT_SEED + 1}`, () => dir.otherSeed],
];

describe.each(RUNS)("PLANTED (%s)", (_, folder) => {
  it("names a weak math category that is the weakest of any school, in both years", async () => {
    const weak = PLANTED.weakCategory;
    const rollups: { planted: boolean; school: string; diff: number }[] = [];
    let inBand = 0;
    let weakItems = 0;
    for (const { name, sheets } of await readAllWorkbooks(folder())) {
      const school = name.slice(-13, -5);
      for (const sheet of sheets.filter((s) => s.name.startsWith("M"))) {
        for (const category of new Set(sheet.items.map((item) => item.category))) {
          const items = sheet.items.filter((item) => item.category === category);
          const points = items.reduce((sum, item) => sum + item.points, 0);
          const diff = items.reduce((sum, item) => sum + item.points * item.diff, 0) / points;
          const planted =
            school === weak.schoolCode &&
            category === weak.category &&
            (weak.grades as readonly number[]).includes(Number(sheet.name.slice(2)));
          rollups.push({ planted, school, diff });
          if (!planted) continue;
          weakItems += items.length;
          inBand += items.filter(
            (item) => -item.diff >= weak.belowState.min && -item.diff <= weak.belowState.max,
          ).length;
        }
      }
    }
    const planted = rollups.filter((r) => r.planted);
    expect(planted).toHaveLength(weak.grades.length * weak.years.length);
    // Weighted by points, a mild 4-point item can lift a category a little above -12.
    for (const { diff } of planted) expect(diff).toBeLessThanOrEqual(-10);
    expect(inBand / weakItems).toBeGreaterThanOrEqual(0.8);
    const weakest = Math.max(...planted.map((r) => r.diff));
    for (const other of rollups.filter((r) => !r.planted)) {
      expect(other.diff, `${other.school}`).toBeGreaterThan(weakest + 3);
      if (other.school === weak.schoolCode) expect(Math.abs(other.diff)).toBeLessThanOrEqual(8);
    }
  });

  it("names the school where students with disabilities trail most in ELA", async () => {
    const gap = PLANTED.swdGap;
    for (const year of gap.years) {
      const all = await readProfile(year, "gr3-8", "all_students", folder());
      const swd = await readProfile(year, "gr3-8", "swd", folder());
      const gaps = all
        .filter((row) => row["Subject"] === gap.subject && row["School Name"] !== "State")
        .map((row) => {
          const code = row["School Code"].padStart(8, "0");
          const group = swd.find((g) => g["School Code"] === code && g["Subject"] === gap.subject);
          return { code, gap: Number(row["M+E %"]) - Number(group?.["M+E %"]) };
        });
      const planted = must(gaps.find((g) => g.code === gap.schoolCode));
      expect(planted.gap).toBeGreaterThanOrEqual(gap.minGap);
      for (const other of gaps) if (other !== planted) expect(other.gap).toBeLessThan(planted.gap);
    }
  });

  it("names the only group under 10 students, present in the EL files", async () => {
    const small = PLANTED.smallGroup;
    for (const year of small.years) {
      for (const file of Object.keys(GROUP_LABELS)) {
        for (const row of await readProfile(year, "gr3-8", file, folder())) {
          const n = count(row["No. of Students Included"]);
          const isPlanted = file === small.group && row["School Code"] === small.schoolCode;
          if (!isPlanted) {
            expect(n, `${year} ${file} ${row["School Name"]}`).toBeGreaterThanOrEqual(10);
            continue;
          }
          expect(row["student_group"]).toBe(small.studentGroup);
          expect(row["School Name"]).toBe(`${PLANTED.district.name} - ${small.schoolName}`);
          expect(n).toBeGreaterThanOrEqual(small.minStudents);
          expect(n).toBeLessThanOrEqual(small.maxStudents);
        }
      }
    }
  });

  it("names the district and the workbook with the TEM header", async () => {
    const rows = await readProfile(2024, "gr3-8", "all_students", folder());
    const first = must(rows[0]);
    expect(first["School Name"]).toMatch(new RegExp(`^${PLANTED.district.name} - `));
    expect(PLANTED.district.code).toBe(`${first["School Code"].padStart(8, "0").slice(0, 4)}0000`);
    const book = must(
      (await readAllWorkbooks(folder())).find((b) => b.name === PLANTED.temHeader.file),
    );
    const sheet = must(book.sheets.find((s) => s.name === PLANTED.temHeader.sheet));
    expect(sheet.header[0]).toBe("TEM");
  });
});

// Readers of the written files.

function profilePath(year: number, grades: string, group: string, folder = dir.first): string {
  return join(folder, `ma_mcas_${year}_${grades}_schools_${group}.csv`);
}

function parseProfile(text: string, delimiter: string): ProfileRecord[] {
  return parse(text, { bom: true, columns: true, delimiter }) as ProfileRecord[];
}

/** The value, which the test expects to be there. */
function must<T>(value: T | undefined): T {
  expect(value).toBeDefined();
  return value as T;
}

async function readProfile(year: number, grades: string, group: string, folder = dir.first) {
  const text = await readFile(profilePath(year, grades, group, folder), "utf8");
  return parseProfile(text, text.startsWith("\uFEFF") ? ";" : ",");
}

async function readAllProfiles() {
  const names = (await readdir(dir.first)).filter(
    (name) => name.endsWith(".csv") && !name.includes("_student_items_"),
  );
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(join(dir.first, name), "utf8");
      return { name, rows: parseProfile(text, text.startsWith("\uFEFF") ? ";" : ",") };
    }),
  );
}

/** "     165,044" is 165044; a blank is 0. */
function count(field: string | undefined): number {
  const text = (field ?? "").trim().replaceAll(",", "");
  if (text !== "" && !/^\d+$/.test(text)) throw new Error(`not a count: ${field}`);
  return Number(text);
}

/** 100 * count / n rounded half up, on whole numbers. */
function halfUp(part: number, n: number): number {
  return Math.floor((200 * part + n) / (2 * n));
}

interface Item {
  id: string;
  type: string;
  category: string;
  standard: string;
  description: string;
  points: number;
  org: number;
  state: number;
  diff: number;
}

interface Sheet {
  name: string;
  header: string[];
  merges: string[];
  items: Item[];
  legend: string | undefined;
}

const workbooks = new Map<string, Promise<{ name: string; sheets: Sheet[] }[]>>();

/** Every workbook of a run, read once. */
function readAllWorkbooks(folder = dir.first) {
  let books = workbooks.get(folder);
  if (!books) {
    books = readdir(folder).then((names) =>
      Promise.all(
        names
          .filter((name) => name.endsWith(".xlsx"))
          .sort()
          .map(async (name) => ({ name, sheets: await readSheets(folder, name) })),
      ),
    );
    workbooks.set(folder, books);
  }
  return books;
}

async function readSheets(folder: string, name: string): Promise<Sheet[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(join(folder, name));
  return workbook.worksheets.map((sheet) => {
    // Read first: exceljs adds the rows that getRow asks for, even past the end.
    const rowCount = sheet.rowCount;
    const text = (row: number, column: number) => {
      const value = sheet.getRow(row).getCell(column).value;
      if (value && typeof value === "object" && "text" in value) return String(value.text);
      return value === null || value === undefined ? "" : String(value);
    };
    const header = Array.from({ length: 10 }, (_, i) => text(1, i + 1));
    const items: Item[] = [];
    let row = 2;
    for (; text(row, 1) !== ""; row++) {
      const cells = sheet.getRow(row);
      items.push({
        id: text(row, 1),
        type: text(row, 2),
        category: text(row, 3),
        standard: text(row, 4),
        description: text(row, 5),
        points: Number(cells.getCell(7).value),
        org: Number(cells.getCell(8).value),
        state: Number(cells.getCell(9).value),
        diff: Number(cells.getCell(10).value),
      });
    }
    // After the items: nothing (math), or two blank rows and the legend (ELA).
    let legend: string | undefined;
    if (rowCount === row + 2) legend = text(row + 2, 1);
    else if (rowCount !== row - 1) throw new Error(`${name} ${sheet.name}: rows after the items`);
    return { name: sheet.name, header, merges: sheet.model.merges, items, legend };
  });
}
