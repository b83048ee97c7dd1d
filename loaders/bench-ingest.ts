import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { ingestPaths } from "./ingest/ingest.ts";
import type { Log } from "./log.ts";
import { createMemoryLog, formatDuration } from "./log.ts";
import { STUDENT_FILE_COLUMNS } from "./sample/student-file.ts";
import { Warehouse } from "./warehouse/db.ts";

/**
 * The student-level ingest benchmark: a statewide file in DESE's full layout (500,000 students by
 * default, about 40 item columns per subject), read (a) by pim's whole ingest, validation, the
 * private student rows and the item results computed from them included, into a fresh warehouse
 * file holding a generated item map, and (b) by DuckDB alone computing the same item results from
 * the same file in one query (duckdbAloneSql): both give n and percent of possible points per
 * school, grade, subject, item and student group, and the benchmark checks that their numbers
 * agree. What (a) does beyond (b) is pim's own work: checking every cell, and writing the student
 * rows and the item results to the warehouse file. Each side runs in a fresh child process, so
 * that its peak memory (VmHWM) is its own; times are measured inside the child, from the start of
 * the work to its end. The ratio (a / b) compares the two on the same machine in the same run.
 */

export interface PhaseResult {
  ms: number;
  peakRssMb: number;
  /** The item results computed, summed up. */
  checksum: Checksum;
  /** pim's timed log lines: where its time went. */
  steps?: string[];
}

export interface IngestBenchResult {
  students: number;
  fileMb: number;
  ours: PhaseResult;
  duckdb: PhaseResult;
  ratio: number;
}

const SEED = 20260301;
const SCHOOLS = 500;
const GRADES = [3, 4, 5, 6, 7, 8];
const SCIENCE_GRADES = [5, 8];
/** Items per test: ELA's two essays (items 12 and 31) are scored by traits. */
const ITEMS = { e: 32, m: 40, s: 40 } as const;
const ESSAYS = [
  { item: 12, k: 1 },
  { item: 31, k: 2 },
];
const TRAITS = { idea: 4, conv: 3 };

/** Runs both sides on a generated file; the file and the warehouse are removed afterwards. */
export async function runIngestBench(options: {
  students?: number;
  log: Log;
}): Promise<IngestBenchResult> {
  const students = options.students ?? 500_000;
  const { log } = options;
  const dir = mkdtempSync(join(tmpdir(), "pim-bench-ingest-"));
  try {
    const file = join(dir, "ma_mcas_2024_student_items_statewide.csv");
    const generated = log.time();
    const fileMb = await writeStatewideFile(file, students);
    generated(`bench: generated ${students} students in the full layout (${fileMb.toFixed(0)} MB)`);

    const ours = await runPhase(["ours", file, join(dir, "bench.duckdb")]);
    log.info(`bench: pim ingest ${formatDuration(ours.ms)}, peak ${ours.peakRssMb} MB`);
    const duckdb = await runPhase(["duckdb", file]);
    log.info(`bench: DuckDB alone ${formatDuration(duckdb.ms)}, peak ${duckdb.peakRssMb} MB`);
    if (!sameChecksum(ours.checksum, duckdb.checksum)) {
      throw new Error(
        `bench: pim and DuckDB alone computed different item results: ` +
          `${JSON.stringify(ours.checksum)} and ${JSON.stringify(duckdb.checksum)}`,
      );
    }
    return { students, fileMb, ours, duckdb, ratio: ours.ms / duckdb.ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function sameChecksum(a: Checksum, b: Checksum): boolean {
  return (
    a.rows === b.rows &&
    a.students === b.students &&
    Math.abs(a.percents - b.percents) <= 1e-6 * Math.max(1, a.rows)
  );
}

export function formatIngestBench(result: IngestBenchResult): string {
  const row = (name: string, phase: PhaseResult) =>
    `${name.padEnd(14)}${(phase.ms / 1000).toFixed(1).padStart(8)} s${String(phase.peakRssMb).padStart(8)} MB`;
  return [
    `student file: ${result.students} students, ${result.fileMb.toFixed(0)} MB`,
    `both compute ${result.ours.checksum.rows} item results (n and percent of possible points ` +
      "per school, grade, subject, item and student group), and agree; pim also checks every " +
      "cell and writes the student rows and the item results to its warehouse file",
    `${"".padEnd(14)}${"wall".padStart(10)}${"peak RSS".padStart(11)}`,
    row("pim ingest", result.ours),
    ...(result.ours.steps ?? []).map((step) => `  ${step}`),
    row("DuckDB alone", result.duckdb),
    `ratio (pim / DuckDB): ${result.ratio.toFixed(2)}`,
  ].join("\n");
}

/** A pseudo-random number from 0 to 999 for a student and a column: deterministic, seeded. */
const draw = (column: string) => `(hash(${SEED}, i, '${column}') % 1000)::INTEGER`;

/** Writes the statewide file with DuckDB; returns its size in MB. */
export async function writeStatewideFile(file: string, students: number): Promise<number> {
  // Columns computed from the student's number, then columns computed from those.
  const values = new Map<string, string>();
  const later = new Map<string, string>();
  const school = `(i % ${SCHOOLS})`;
  values.set("adminyear", "'2024'");
  values.set("testschoolcode", `lpad(((1000 + ${school}) * 10000 + 5)::VARCHAR, 8, '0')`);
  values.set("sprp_sch", values.get("testschoolcode")!);
  values.set("sasid", `(1000000000 + i)::VARCHAR`);
  values.set(
    "grade",
    `lpad((${GRADES[0]} + (i // ${SCHOOLS}) % ${GRADES.length})::VARCHAR, 2, '0')`,
  );
  values.set("gender", `CASE WHEN ${draw("gender")} < 490 THEN 'F' ELSE 'M' END`);
  values.set("race", `['W', 'H', 'B', 'A', 'M'][1 + ${draw("race")} % 5]`);
  const flag = (name: string, perMille: number) =>
    values.set(name, `CASE WHEN ${draw(name)} < ${perMille} THEN '1' ELSE '0' END`);
  flag("lowincome", 440);
  flag("EL", 100);
  flag("ever_EL", 150);
  flag("FormerEL", 50);
  flag("IEP", 190);
  later.set(
    "highneeds",
    `CASE WHEN lowincome = '1' OR EL = '1' OR IEP = '1' THEN '1' ELSE '0' END`,
  );

  const grade = `(${GRADES[0]} + (i // ${SCHOOLS}) % ${GRADES.length})`;
  // Ability (0 to 999) sets each point's chance; 1 % of students miss a test, 0.5 % stop early.
  const ability = draw("ability");
  for (const prefix of ["e", "m", "s"] as const) {
    const registered = prefix === "s" ? `${grade} IN (${SCIENCE_GRADES.join(", ")})` : "true";
    const attempt = draw(`${prefix}attempt`);
    values.set(
      `${prefix}attempt`,
      `CASE WHEN NOT ${registered} THEN NULL WHEN ${attempt} < 10 THEN 'N' ` +
        `WHEN ${attempt} < 15 THEN 'P' ELSE 'F' END`,
    );
    const tested = `(${registered} AND ${attempt} >= 10)`;
    const answered = (item: number) => `(${tested} AND (${attempt} >= 15 OR ${item} <= 20))`;
    for (let item = 1; item <= ITEMS[prefix]; item++) {
      const essay = prefix === "e" ? ESSAYS.find((e) => e.item === item) : undefined;
      if (essay) {
        for (const [trait, max] of Object.entries(TRAITS)) {
          values.set(
            `${trait}${essay.k}`,
            `CASE WHEN ${answered(item)} THEN ((${draw(`${trait}${essay.k}`)} + ${ability}) * ${max + 1} // 2000)::VARCHAR END`,
          );
        }
        later.set(
          `eitem${item}`,
          `CASE WHEN ${answered(item)} THEN (try_cast(idea${essay.k} AS INTEGER) + try_cast(conv${essay.k} AS INTEGER))::VARCHAR END`,
        );
        continue;
      }
      const chance = `${draw(`${prefix}${item}`)} < 250 + ${ability} // 2`;
      values.set(
        `${prefix}item${item}`,
        `CASE WHEN ${answered(item)} THEN CASE WHEN ${chance} THEN '1' ELSE '0' END END`,
      );
    }
    values.set(
      `${prefix}scaleds`,
      `CASE WHEN ${tested} THEN (440 + ${ability} * 120 // 1000)::VARCHAR END`,
    );
  }

  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const first = [...values].map(([name, sql]) => `${sql} AS "${name}"`).join(", ");
    const second = [...later].map(([name, sql]) => `${sql} AS "${name}"`).join(", ");
    const laidOut = STUDENT_FILE_COLUMNS.map((name) =>
      values.has(name) || later.has(name) ? `"${name}"` : `NULL::VARCHAR AS "${name}"`,
    ).join(", ");
    await connection.run(
      `COPY (
         SELECT ${laidOut} FROM (
           SELECT *, ${second} FROM (SELECT i, ${first} FROM range(${students}) t(i))
         ) ORDER BY i
       ) TO '${file.replaceAll("'", "''")}' (HEADER, DELIMITER ',')`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return readFileSync(file).length / 1e6;
}

interface MapItem {
  grade: string;
  subject: string;
  item: string;
  role: "item" | "essay" | "essay_trait";
  essay: string | null;
  type: string;
  category: string | null;
  points: number;
  /** The student file's column of the item; none for a whole essay, the sum of its traits. */
  column: string | null;
}

/** The item map of the generated tests: their items, essays and essay traits. */
function itemMap(): MapItem[] {
  const items: MapItem[] = [];
  for (const grade of GRADES) {
    const g = String(grade).padStart(2, "0");
    const item = (subject: string, n: number, category: string, column: string) =>
      items.push({
        grade: g,
        subject,
        item: String(n),
        role: "item",
        essay: null,
        type: "SR",
        category,
        points: 1,
        column,
      });
    for (let n = 1; n <= ITEMS.e; n++) {
      const essay = ESSAYS.find((e) => e.item === n);
      if (!essay) {
        item("ELA", n, "RE", `eitem${n}`);
        continue;
      }
      const whole = { grade: g, subject: "ELA", essay: String(n), type: "ES" } as const;
      items.push({
        ...whole,
        item: String(n),
        role: "essay",
        category: null,
        points: 7,
        column: null,
      });
      items.push({
        ...whole,
        item: `WR${n}.IDEA${essay.k}`,
        role: "essay_trait",
        category: "WR",
        points: TRAITS.idea,
        column: `idea${essay.k}`,
      });
      items.push({
        ...whole,
        item: `LA${n}.CONV${essay.k}`,
        role: "essay_trait",
        category: "LA",
        points: TRAITS.conv,
        column: `conv${essay.k}`,
      });
    }
    for (let n = 1; n <= ITEMS.m; n++) item("MATH", n, "NF", `mitem${n}`);
    if (SCIENCE_GRADES.includes(grade)) {
      for (let n = 1; n <= ITEMS.s; n++) item("SCI", n, "PS", `sitem${n}`);
    }
  }
  return items;
}

const sqlText = (text: string | null) => (text === null ? "NULL" : `'${text}'`);

/** The item map as SQL rows: (grade, subject, item, role, essay, type, category, points, col). */
function itemMapValues(): string {
  return itemMap()
    .map((m) =>
      [m.grade, m.subject, m.item, m.role, m.essay, m.type, m.category, m.points, m.column]
        .map((value) => (typeof value === "number" ? String(value) : sqlText(value)))
        .join(", "),
    )
    .map((row) => `(${row})`)
    .join(", ");
}
const MAP_COLUMNS = "grade, subject, item, role, essay, type, category, points, col";

/** The item map of the generated tests, as the published rows an item workbook would give. */
export async function insertItemMap(warehouse: Warehouse): Promise<void> {
  await warehouse.run(
    `INSERT INTO item_results
       (year, org_code, org_type, grade, subject, test, student_group, item, item_role, essay,
        item_type, reporting_category, standards, max_points, pct_possible_org,
        pct_possible_state, source_file, source_row, source_test, basis)
     SELECT 2024, '00000000', 'district', grade, subject, subject || '-' || grade, 'all', item,
            role, essay, type, category, [], points, 50, 50, 'bench-item-map', 1, NULL, 'published'
     FROM (VALUES ${itemMapValues()}) t(${MAP_COLUMNS})`,
  );
}

/**
 * DuckDB alone computing what pim computes from the file, in one query: per school, grade,
 * subject, item (and whole essay, from its traits) and student group ('all', the flags, race and
 * gender), the students counted (attempt F or P) and their percent of possible points. It is
 * written as well as we know how: DuckDB detects the column types itself, each student's points
 * are read once and summed column by column over the student's groups, and only then unpivoted to
 * one row per item. The item map is a table made before the clock starts, as pim's is.
 */
export function duckdbAloneSql(file: string): string {
  const map = itemMap();
  const columns = [...new Set(map.flatMap((m) => (m.column ? [m.column] : [])))];
  const prefixOf = (column: string) => (/^(idea|conv)/.test(column) ? "e" : column[0]!);
  const counted = (prefix: string) => `${prefix}attempt IN ('F', 'P')`;
  const flag = (column: string, group: string) =>
    `CASE WHEN ${column}::VARCHAR = '1' THEN '${group}' END`;
  const code = (column: string, codes: Record<string, string>) =>
    `CASE ${column} ${Object.entries(codes)
      .map(([key, group]) => `WHEN '${key}' THEN '${group}'`)
      .join(" ")} END`;
  const groups = [
    "'all'",
    flag("highneeds", "high_needs"),
    flag("lowincome", "low_income"),
    flag("EL", "el"),
    flag("FormerEL", "former_el"),
    flag("ever_EL", "ever_el"),
    flag("IEP", "swd"),
    code("race", { W: "white", H: "hispanic", B: "black", A: "asian", M: "multi_race" }),
    code("gender", { F: "female", M: "male" }),
  ];
  return `
    CREATE TEMP TABLE duckdb_alone AS
    WITH students AS (
      SELECT testschoolcode AS org_code, lpad(grade::VARCHAR, 2, '0') AS grade,
             list_filter([${groups.join(", ")}], g -> g IS NOT NULL) AS groups,
             ${["e", "m", "s"].map((p) => `(${counted(p)})::INTEGER AS ${p}_n`).join(", ")},
             ${columns
               .map((c) => `CASE WHEN ${counted(prefixOf(c))} THEN ${c}::DOUBLE END AS ${c}`)
               .join(", ")}
      FROM read_csv('${file.replaceAll("'", "''")}')
    ),
    sums AS (
      SELECT org_code, grade, student_group, sum(e_n) AS e_n, sum(m_n) AS m_n, sum(s_n) AS s_n,
             ${columns.map((c) => `coalesce(sum(${c}), 0) AS ${c}`).join(", ")}
      FROM (SELECT * EXCLUDE (groups), unnest(groups) AS student_group FROM students)
      GROUP BY ALL
    ),
    cells AS (
      SELECT u.org_code, u.grade, m.subject, u.student_group, m.item, m.role, m.essay,
             m.points AS max_points, u.points,
             CASE m.subject WHEN 'ELA' THEN u.e_n WHEN 'MATH' THEN u.m_n ELSE u.s_n END AS n
      FROM (UNPIVOT sums ON ${columns.join(", ")} INTO NAME col VALUE points) u
      JOIN map m ON m.grade = u.grade AND m.col = u.col
    ),
    essays AS (
      SELECT c.org_code, c.grade, c.subject, c.student_group, m.item, m.role, m.essay,
             m.points AS max_points, sum(c.points) AS points, c.n
      FROM cells c JOIN map m
        ON m.grade = c.grade AND m.subject = c.subject AND m.role = 'essay' AND m.essay = c.essay
      WHERE c.role = 'essay_trait'
      GROUP BY ALL
    )
    SELECT org_code, grade, subject, student_group, item, n,
           100 * points / (n * max_points) AS pct_possible
    FROM (SELECT * FROM cells UNION ALL SELECT * FROM essays)
    WHERE n > 0`;
}

/** What both sides computed, to check that they did the same work: rows, students, percents. */
interface Checksum {
  rows: number;
  students: number;
  percents: number;
}

async function runDuckdbAlone(file: string): Promise<PhaseResult> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    await connection.run(
      `CREATE TEMP TABLE map AS SELECT * FROM (VALUES ${itemMapValues()}) t(${MAP_COLUMNS})`,
    );
    const start = performance.now();
    await connection.run(duckdbAloneSql(file));
    const ms = performance.now() - start;
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::INTEGER AS rows, sum(n)::DOUBLE AS students,
              sum(round(pct_possible, 6))::DOUBLE AS percents
       FROM duckdb_alone`,
    );
    const checksum = reader.getRowObjectsJS()[0] as unknown as Checksum;
    return { ms, peakRssMb: peakRssMb(), checksum };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function runPim(file: string, db: string): Promise<PhaseResult> {
  const warehouse = await Warehouse.open(db);
  try {
    await insertItemMap(warehouse);
    const log = createMemoryLog();
    const start = performance.now();
    const report = await ingestPaths(warehouse, [file], { log });
    const ms = performance.now() - start;
    if (report.loaded.length !== 1) {
      throw new Error(`bench: the file was not loaded: ${JSON.stringify(report.refused)}`);
    }
    const checksum = await warehouse.one<Checksum>(
      `SELECT count(*)::INTEGER AS rows, sum(n_tested)::DOUBLE AS students,
              sum(round(pct_possible_org, 6))::DOUBLE AS percents
       FROM item_results WHERE basis = 'students'`,
    );
    // The steps pim logs with their times: reading the file, loading it, the item results.
    const steps = log.lines.filter((line) => /\(\d+(\.\d+)? m?s\)$/.test(line));
    return { ms, peakRssMb: peakRssMb(), checksum: checksum!, steps };
  } finally {
    warehouse.close();
  }
}

/** One phase in a child process of its own; its result is the child's last stdout line. */
function runPhase(args: string[]): Promise<PhaseResult> {
  const self = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", self, ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0) return reject(new Error(`bench: ${args[0]} exited with ${code}`));
      try {
        resolve(JSON.parse(last) as PhaseResult);
      } catch {
        reject(new Error(`bench: ${args[0]} printed no result: ${last}`));
      }
    });
  });
}

/** This process's peak resident memory, in MB (Linux). */
function peakRssMb(): number {
  const status = readFileSync("/proc/self/status", "utf8");
  return Math.round(Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
}

/** The child's side: runs one phase and prints its result as JSON. */
async function runChild([mode, file, db]: string[]): Promise<void> {
  let result: PhaseResult;
  if (mode === "ours") result = await runPim(file!, db!);
  else if (mode === "duckdb") result = await runDuckdbAlone(file!);
  else throw new Error(`bench: unknown phase ${mode}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runChild(process.argv.slice(2));
}
