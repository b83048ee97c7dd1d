import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DuckDBInstance } from "@duckdb/node-api";
import { ingestPaths } from "./ingest/ingest.ts";
import type { Log } from "./log.ts";
import { formatDuration } from "./log.ts";
import { STUDENT_FILE_COLUMNS } from "./sample/student-file.ts";
import { Warehouse } from "./warehouse/db.ts";

/**
 * The student-level ingest benchmark: a statewide file in DESE's full layout (500,000 students by
 * default, about 40 item columns per subject), read (a) by pim's whole ingest, validation, staging
 * of the private student rows and aggregation to item results included, into a fresh warehouse
 * file holding a generated item map, and (b) by DuckDB alone, reading the same file and grouping n
 * and percent of possible points per school and item. Each phase runs in its own child process,
 * so that its peak memory (VmHWM) is its own; times are measured inside the child, from the start
 * of the work to its end. The ratio (a / b) compares the two on the same machine in the same run.
 */

export interface PhaseResult {
  ms: number;
  peakRssMb: number;
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

/** Runs both phases on a generated file; the file and the warehouse are removed afterwards. */
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
    return { students, fileMb, ours, duckdb, ratio: ours.ms / duckdb.ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function formatIngestBench(result: IngestBenchResult): string {
  const row = (name: string, phase: PhaseResult) =>
    `${name.padEnd(14)}${(phase.ms / 1000).toFixed(1).padStart(8)} s${String(phase.peakRssMb).padStart(8)} MB`;
  return [
    `student file: ${result.students} students, ${result.fileMb.toFixed(0)} MB`,
    `${"".padEnd(14)}${"wall".padStart(10)}${"peak RSS".padStart(11)}`,
    row("pim ingest", result.ours),
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

/** The item map of the generated tests, as the published rows an item workbook would give. */
export async function insertItemMap(warehouse: Warehouse): Promise<void> {
  const tests: string[] = [];
  for (const grade of GRADES) {
    const g = String(grade).padStart(2, "0");
    const essays = ESSAYS.map((e) => e.item);
    for (let item = 1; item <= ITEMS.e; item++) {
      const essay = ESSAYS.find((e) => e.item === item);
      if (essay) {
        tests.push(`('${g}', 'ELA', '${item}', 'essay', '${item}', 'ES', NULL, 7)`);
        tests.push(
          `('${g}', 'ELA', 'WR${item}.IDEA${essay.k}', 'essay_trait', '${item}', 'ES', 'WR', 4)`,
        );
        tests.push(
          `('${g}', 'ELA', 'LA${item}.CONV${essay.k}', 'essay_trait', '${item}', 'ES', 'LA', 3)`,
        );
      } else if (!essays.includes(item)) {
        tests.push(`('${g}', 'ELA', '${item}', 'item', NULL, 'SR', 'RE', 1)`);
      }
    }
    for (let item = 1; item <= ITEMS.m; item++) {
      tests.push(`('${g}', 'MATH', '${item}', 'item', NULL, 'SR', 'NF', 1)`);
    }
    if (SCIENCE_GRADES.includes(grade)) {
      for (let item = 1; item <= ITEMS.s; item++) {
        tests.push(`('${g}', 'SCI', '${item}', 'item', NULL, 'SR', 'PS', 1)`);
      }
    }
  }
  await warehouse.run(
    `INSERT INTO item_results
       (year, org_code, org_type, grade, subject, test, student_group, item, item_role, essay,
        item_type, reporting_category, standards, max_points, pct_possible_org,
        pct_possible_state, source_file, source_row, source_test, basis)
     SELECT 2024, '00000000', 'district', grade, subject, subject || '-' || grade, 'all', item,
            role, essay, type, category, [], points, 50, 50, 'bench-item-map', 1, NULL, 'published'
     FROM (VALUES ${tests.join(", ")}) t(grade, subject, item, role, essay, type, category, points)`,
  );
}

/** DuckDB alone: n and percent of possible points per school, test and item. */
async function groupWithDuckdb(file: string): Promise<void> {
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    const path = `'${file.replaceAll("'", "''")}'`;
    const subjects = (["e", "m", "s"] as const).map(
      (prefix) => `
        SELECT testschoolcode, grade, '${prefix}' AS subject, item, v
        FROM (SELECT testschoolcode, grade, COLUMNS('^${prefix}item[0-9]+$')
              FROM f WHERE ${prefix}attempt IN ('F', 'P'))
        UNPIVOT INCLUDE NULLS (v FOR item IN (COLUMNS('^${prefix}item[0-9]+$')))`,
    );
    const reader = await connection.runAndReadAll(
      `WITH f AS (SELECT * FROM read_csv(${path}, all_varchar = true, header = true)),
            points AS (${subjects.join(" UNION ALL ")})
       SELECT count(*)::INTEGER AS groups, sum(n)::BIGINT AS cells FROM (
         SELECT testschoolcode, grade, subject, item, count(*) AS n,
                100 * sum(coalesce(try_cast(v AS DOUBLE), 0)) / count(*) AS pct
         FROM points GROUP BY ALL)`,
    );
    if (reader.getRowObjectsJS().length !== 1) throw new Error("bench: DuckDB grouped nothing");
  } finally {
    connection.closeSync();
    instance.closeSync();
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

/** The child's side: runs one phase and prints its time and peak memory as JSON. */
async function runChild([mode, file, db]: string[]): Promise<void> {
  if (mode === "ours") {
    const warehouse = await Warehouse.open(db!);
    try {
      await insertItemMap(warehouse);
      const quiet: Log = { info() {}, warn() {}, time: () => () => {} };
      const start = performance.now();
      const report = await ingestPaths(warehouse, [file!], { log: quiet });
      const ms = performance.now() - start;
      if (report.loaded.length !== 1) {
        throw new Error(`bench: the file was not loaded: ${JSON.stringify(report.refused)}`);
      }
      process.stdout.write(`${JSON.stringify({ ms, peakRssMb: peakRssMb() })}\n`);
    } finally {
      warehouse.close();
    }
  } else if (mode === "duckdb") {
    const start = performance.now();
    await groupWithDuckdb(file!);
    const ms = performance.now() - start;
    process.stdout.write(`${JSON.stringify({ ms, peakRssMb: peakRssMb() })}\n`);
  } else {
    throw new Error(`bench: unknown phase ${mode}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runChild(process.argv.slice(2));
}
