import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Command, InvalidArgumentError } from "commander";
import { createLog } from "./log.ts";
import { loadSettings } from "./settings.ts";

export const DEFAULT_DB = "data/warehouse.duckdb";
export const SAMPLE_DIR = "data/sample";
export const SITE_DIR = "reports/site";

/** Runs the pim command line; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const log = createLog();
  let exitCode = 0;
  const program = new Command("pim")
    .description("Turn Massachusetts assessment files into evidence for a PIM planning team.")
    .version(packageVersion())
    .showHelpAfterError()
    // Errors come back here rather than exiting, so that main() decides the exit code; set before
    // the subcommands are added, which copy it.
    .exitOverride()
    .option("--settings <file>", "JSON file of settings overriding the defaults (see README)");

  program
    .command("ingest")
    .description("Load state files (or folders of them) into the DuckDB warehouse.")
    .argument("<paths...>", "files or folders of state files")
    .option("--db <file>", "warehouse file", DEFAULT_DB)
    .option(
      "--org <code>",
      "organisation code for sheets that name no known organisation",
      parseOrg,
    )
    .option(
      "--year <yyyy>",
      "school year (spring) of files whose year is not in the file",
      parseYear,
    )
    .action(async (paths: string[], options: { db: string; org?: string; year?: number }) => {
      const { ingestPaths, formatSummary, formatTable } = await import("./ingest/ingest.ts");
      const { Warehouse } = await import("./warehouse/db.ts");
      const { createFileProgress } = await import("./progress.ts");
      const settings = loadSettings(program.opts<{ settings?: string }>().settings);
      const warehouse = await Warehouse.open(options.db);
      const progress = createFileProgress();
      try {
        const report = await ingestPaths(warehouse, paths, {
          ...options,
          crosswalk: settings.orgCrosswalk,
          progress: (event) => progress.update(event),
          log,
        });
        progress.stop();
        log.info(formatSummary(report));
        log.info(formatTable(report));
        // A refused file named on the command line fails the run. Files found in a folder are
        // reported, refused or skipped, without failing it: a folder holds other things too.
        if (report.refused.some((outcome) => outcome.explicit)) exitCode = 1;
      } finally {
        warehouse.close();
      }
    });

  program
    .command("sample")
    .description("Write the seeded fictional district's state files into a folder.")
    .option("--out <dir>", "folder to write", SAMPLE_DIR)
    .option("--seed <n>", "random seed", parseInteger, 20260301)
    .action(async (options: { out: string; seed: number }) => {
      const { generateSample } = await import("./sample/generate.ts");
      await generateSample({ outDir: resolve(options.out), seed: options.seed, log });
    });

  program
    .command("build")
    .description("Build the report site from a folder of state files (default: the sample).")
    .option("--input <folder>", "folder of state files", SAMPLE_DIR)
    .option(
      "--org <code>",
      "organisation code for sheets that name no known organisation",
      parseOrg,
    )
    .option("--year <yyyy>", "school year of files whose year is not in the file", parseYear)
    .option("--out <dir>", "folder the site is written to", SITE_DIR)
    .action(async (options: { input: string; out: string; org?: string; year?: number }) => {
      const { buildSite } = await import("./build/build.ts");
      const settings = loadSettings(program.opts<{ settings?: string }>().settings);
      exitCode = await buildSite({ ...options, settings, log });
    });

  program
    .command("bench")
    .description(
      "Time the ingest of each CSV of a folder against DuckDB's own CSV reader, as ratios.",
    )
    .option("--input <folder>", "folder of state files", SAMPLE_DIR)
    .option("--runs <n>", "runs per file; the median is reported", parseInteger, 5)
    .action(async (options: { input: string; runs: number }) => {
      const { runBench, formatBench } = await import("./bench.ts");
      const done = log.time();
      process.stdout.write(`${formatBench(await runBench(options.input, options.runs, log))}\n`);
      done("bench");
    });

  program
    .command("bench-ingest")
    .description(
      "Time the ingest of a generated statewide student file (items aggregated to every group) " +
        "against DuckDB alone computing the same item results, with peak memory and the ratio.",
    )
    .option("--students <n>", "students in the generated file", parseInteger, 500_000)
    .action(async (options: { students: number }) => {
      const { runIngestBench, formatIngestBench } = await import("./bench-ingest.ts");
      const done = log.time();
      const result = await runIngestBench({ students: options.students, log });
      process.stdout.write(`${formatIngestBench(result)}\n`);
      done("bench-ingest");
    });

  program
    .command("serve")
    .description("Serve a built site on this machine (loopback only) to look at it in a browser.")
    .option("--dir <dir>", "built site folder", SITE_DIR)
    .option("--port <n>", "port", parseInteger, 3000)
    .action(async (options: { dir: string; port: number }) => {
      const { serveSite } = await import("./build/serve.ts");
      if (!existsSync(resolve(options.dir, "index.html"))) {
        throw new Error(`${options.dir} holds no built site: build one first with npm run build.`);
      }
      if (options.port > 65535) throw new Error(`--port ${options.port}: ports go up to 65535.`);
      const server = await serveSite(resolve(options.dir), options.port).catch((error) => {
        if ((error as { code?: string }).code !== "EADDRINUSE") throw error;
        throw new Error(`port ${options.port} is in use: pick another with --port.`, {
          cause: error,
        });
      });
      log.info(`serving ${options.dir} at ${server.url} (Ctrl-C to stop)`);
      await new Promise(() => {});
    });

  try {
    await program.parseAsync(argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "commander.helpDisplayed" || code === "commander.version") return 0;
    if (code?.startsWith("commander.")) return 2;
    log.info(`pim: ${(error as Error).message}`);
    return 1;
  }
  return exitCode;
}

function packageVersion(): string {
  const file = new URL("../package.json", import.meta.url);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

function parseInteger(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError("expected a whole number.");
  return Number(value);
}

function parseYear(value: string): number {
  if (!/^(19|20)\d\d$/.test(value)) throw new InvalidArgumentError("expected a year such as 2022.");
  return Number(value);
}

function parseOrg(value: string): string {
  if (!/^\d{1,8}$/.test(value)) {
    throw new InvalidArgumentError("expected a DESE organisation code of up to 8 digits.");
  }
  return value.padStart(8, "0");
}
