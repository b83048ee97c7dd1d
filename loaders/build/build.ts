import { renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, resolve } from "node:path";
import { formatSummary, ingestPaths } from "../ingest/ingest.ts";
import type { Log } from "../log.ts";
import type { Settings } from "../settings.ts";
import { Warehouse } from "../warehouse/db.ts";
import { runFrameworkBuild } from "./framework.ts";

export interface BuildOptions {
  /** Folder of state files the site is built from. */
  input: string;
  /** Folder the site is written to. */
  out: string;
  org?: string;
  year?: number;
  settings: Settings;
  log: Log;
}

/**
 * Builds the report site from a folder of state files: loads them into a fresh warehouse beside
 * the site (`<out>.duckdb`, kept so that the numbers on a page can be checked with SQL), then runs
 * Framework, whose data loaders read that warehouse. A fresh warehouse makes the site show exactly
 * the files of the folder. Resolves to the exit code.
 */
export async function buildSite(options: BuildOptions): Promise<number> {
  const { log } = options;
  const done = log.time();
  const out = resolve(options.out);
  const database = `${out}.duckdb`;
  // The build loads into a new file and puts it beside the site only once the site is built, so
  // that a failed build never leaves a site next to a warehouse it was not computed from.
  const building = `${out}.building.duckdb`;
  const removeBuilding = () => {
    rmSync(building, { force: true });
    rmSync(`${building}.wal`, { force: true });
  };
  removeBuilding();

  const warehouse = await Warehouse.open(building);
  let report;
  try {
    report = await ingestPaths(warehouse, [options.input], {
      log,
      crosswalk: options.settings.orgCrosswalk,
      ...(options.org ? { org: options.org } : {}),
      ...(options.year ? { year: options.year } : {}),
    });
  } finally {
    warehouse.close();
  }
  const summary = formatSummary(report);
  if (summary) log.info(summary);

  // A site that silently lacks a refused file's rows would mislead: refuse to build it.
  if (report.refused.length > 0) {
    removeBuilding();
    log.info(`build stopped: ${report.refused.length} file(s) of ${options.input} were refused.`);
    return 1;
  }
  if (report.loaded.length === 0) {
    removeBuilding();
    log.info(`build stopped: ${options.input} holds no state file that pim can read.`);
    return 1;
  }

  // What the loaders need besides the warehouse: the settings and the files that were skipped.
  const settingsFile = `${out}.settings.json`;
  const reportFile = `${out}.build.json`;
  writeFileSync(settingsFile, JSON.stringify(options.settings, null, 2));
  // Warnings of the whole run, not of one file (a student file's test with no item map), and
  // the folder's entries read as documentation or hidden: the home page lists both.
  const fileWarnings = new Set(report.loaded.flatMap((file) => file.warnings));
  writeFileSync(
    reportFile,
    JSON.stringify({
      input: basename(resolve(options.input)),
      skipped: report.skipped.map(({ file, reason }) => ({ file, reason })),
      ignored: report.ignored.map(({ file, reason }) => ({ file, reason })),
      runWarnings: report.warnings.filter((warning) => !fileWarnings.has(warning)),
    }),
  );

  try {
    await runFrameworkBuild({
      outDir: out,
      env: { PIM_DB: building, PIM_SETTINGS: settingsFile, PIM_BUILD_REPORT: reportFile },
      log,
    });
  } catch (error) {
    removeBuilding();
    throw error;
  }
  rmSync(`${database}.wal`, { force: true });
  renameSync(building, database);
  done(`built ${options.out} from ${report.loaded.length} file(s) of ${options.input}`);
  return 0;
}
