import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { median } from "d3-array";
import { ingestPaths } from "./ingest/ingest.ts";
import { createLog, type Log } from "./log.ts";
import { Warehouse } from "./warehouse/db.ts";

/**
 * Ingest speed, as ratios to a baseline measured in the same run on the same machine: DuckDB's
 * own CSV reader loading the same file into a table of text columns. The ratio says how much our
 * decoding, validation and atomic load cost over the fastest reading DuckDB can do, and stays
 * comparable between a fast laptop and a slow CI machine, where seconds do not.
 */

export interface BenchResult {
  file: string;
  rows: number;
  baselineMs: number;
  ingestMs: number;
  ratio: number;
}

async function timeBaseline(file: string): Promise<number> {
  const warehouse = await Warehouse.open(":memory:");
  try {
    const start = performance.now();
    await warehouse.run(
      `CREATE TABLE raw AS SELECT * FROM read_csv(?, all_varchar = true, header = true)`,
      [file],
    );
    return performance.now() - start;
  } finally {
    warehouse.close();
  }
}

async function timeIngest(file: string): Promise<{ ms: number; rows: number }> {
  const warehouse = await Warehouse.open(":memory:");
  const quiet: Log = { info() {}, warn() {}, time: () => () => {} };
  try {
    const start = performance.now();
    const report = await ingestPaths(warehouse, [file], { log: quiet });
    const ms = performance.now() - start;
    if (report.loaded.length !== 1) throw new Error(`bench: ${file} did not load`);
    return { ms, rows: report.loaded[0]!.rows };
  } finally {
    warehouse.close();
  }
}

/** Benchmarks every CSV of `folder`, `runs` times each; returns the median timings. */
export async function runBench(
  folder: string,
  runs = 5,
  log = createLog(),
): Promise<BenchResult[]> {
  const files = readdirSync(folder)
    .filter((name) => name.endsWith(".csv"))
    .sort()
    .map((name) => join(resolve(folder), name));
  const results: BenchResult[] = [];
  for (const file of files) {
    const baseline: number[] = [];
    const ingest: number[] = [];
    let rows = 0;
    // Alternate the two, so that a machine that slows down mid-run slows both alike.
    for (let run = 0; run < runs; run++) {
      baseline.push(await timeBaseline(file));
      const timed = await timeIngest(file);
      ingest.push(timed.ms);
      rows = timed.rows;
    }
    const baselineMs = median(baseline)!;
    const ingestMs = median(ingest)!;
    const name = file.slice(file.lastIndexOf("/") + 1);
    results.push({ file: name, rows, baselineMs, ingestMs, ratio: ingestMs / baselineMs });
    log.info(`bench: ${name}: ingest ${(ingestMs / baselineMs).toFixed(1)}x the baseline`);
  }
  return results;
}

export function formatBench(results: BenchResult[]): string {
  const lines = ["file\trows\tbaseline ms\tingest ms\tratio"];
  for (const r of results) {
    lines.push(
      [r.file, r.rows, r.baselineMs.toFixed(1), r.ingestMs.toFixed(1), r.ratio.toFixed(2)].join(
        "\t",
      ),
    );
  }
  const ratios = results.map((r) => r.ratio);
  lines.push(`median ratio\t\t\t\t${(median(ratios) ?? NaN).toFixed(2)}`);
  return lines.join("\n");
}
