import { readdirSync, realpathSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Log } from "../log.ts";
import type { Warehouse } from "../warehouse/db.ts";
import { DATA_TABLES, type DataTable } from "../warehouse/schema.ts";
import type { TestOfYear } from "./derive.ts";
import { deriveScoreSpread, deriveStudentItemResults, testsOfFiles } from "./derive.ts";
import { InputError, InputErrors } from "./errors.ts";
import { FORMATS, describeFormats } from "./formats/index.ts";
import type { FileFormat, InputFile, TableRows } from "./formats/types.ts";
import { OrgDirectory } from "./orgs.ts";
import { commitFile } from "./stage.ts";
import { openInput, sha256OfFile } from "./input.ts";

export interface IngestOptions {
  org?: string;
  year?: number;
  /** Codes of closed or merged schools and the codes to load them under (a setting). */
  crosswalk?: Readonly<Record<string, string>>;
  /** Called as each file starts and ends, for a progress display. */
  progress?: (event: { file: string; index: number; total: number; done: boolean }) => void;
  log: Log;
}

export interface Outcome {
  file: string;
  path: string;
  /** Named on the command line rather than found in a folder. */
  explicit: boolean;
}

export interface IngestReport {
  loaded: (Outcome & {
    format: string;
    rows: number;
    /** Rows written to each table. */
    tables: Record<DataTable, number>;
    years: number[];
    warnings: string[];
  })[];
  unchanged: Outcome[];
  refused: (Outcome & { errors: string[] })[];
  skipped: (Outcome & { reason: string })[];
  /**
   * Entries of a folder that are deliberately not read: its documentation (README, SOURCES,
   * LICENSE, .md files) and hidden entries. Named in the summary, not listed as skipped files.
   */
  ignored: (Outcome & { reason: "documentation" | "hidden" })[];
  warnings: string[];
}

/** Files that document a folder of state files rather than hold data. */
const DOCUMENTATION = /^(readme|sources|license)(\.[a-z]+)?$|\.md$/i;

/** A file to read, or an entry of a folder that is not read, and why. */
type Listed = Outcome & { skip?: string; ignore?: IngestReport["ignored"][number]["reason"] };

/**
 * Expands folders (recursively, in name order) into files, remembering which were named. Links
 * are followed; entries of a folder that cannot be read (a link to a missing file) are listed as
 * skipped, and the folder's documentation and hidden entries (.DS_Store, .git) as ignored.
 */
function listFiles(paths: string[]): Listed[] {
  const files: Listed[] = [];
  // Real paths of the folders walked, so that a link back to a parent is not walked forever.
  const walked = new Set<string>();
  const walk = (dir: string) => {
    const real = realpathSync(dir);
    if (walked.has(real)) return;
    walked.add(real);
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      const outcome = { file: entry.name, path, explicit: false };
      if (entry.name.startsWith(".")) {
        files.push({ ...outcome, ignore: "hidden" });
        continue;
      }
      let stats;
      try {
        stats = entry.isSymbolicLink() ? statSync(path) : entry;
      } catch {
        files.push({ ...outcome, skip: "a link to a missing file" });
        continue;
      }
      if (stats.isDirectory()) walk(path);
      else if (!stats.isFile()) files.push({ ...outcome, skip: "not a regular file" });
      else if (DOCUMENTATION.test(entry.name)) files.push({ ...outcome, ignore: "documentation" });
      else files.push(outcome);
    }
  };
  for (const path of paths) {
    const absolute = resolve(path);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      throw new Error(`${path}: no such file or folder.`);
    }
    if (stats.isDirectory()) walk(absolute);
    else files.push({ file: basename(absolute), path: absolute, explicit: true });
  }
  return files;
}

/** Why a file has no format, and whether the list of known formats would help its reader. */
interface NoFormat {
  reason: string;
  listFormats: boolean;
}

/**
 * The format of a file, or why it has none: empty, unreadable, nearly a known format's header
 * (then what differs), or like no known format.
 */
async function detectFormat(input: InputFile): Promise<FileFormat | NoFormat> {
  if (statSync(input.path).size === 0) return { reason: "is empty", listFormats: true };
  let unreadable: string | undefined;
  for (const format of FORMATS) {
    try {
      if (await format.detect(input)) return format;
    } catch (error) {
      // A format that cannot open the file (a corrupt .xlsx) says why, unless another claims it.
      unreadable ??= `cannot be read as its name suggests (${(error as Error).message})`;
    }
  }
  if (unreadable) return { reason: unreadable, listFormats: true };
  for (const format of FORMATS) {
    // A file none claims, whose header is nearly one format's: say what differs from it.
    const difference = await format.resembles?.(input).catch(() => undefined);
    if (difference) {
      return { reason: `looks like a ${format.id} file, but ${difference}`, listFormats: false };
    }
  }
  return { reason: "matches no known state file format", listFormats: true };
}

function messagesOf(error: unknown, file: string): string[] {
  if (error instanceof InputErrors) return error.errors.map((e) => e.message);
  if (error instanceof InputError) return [error.message];
  return [`${file}: ${(error as Error).message}`];
}

/**
 * Loads files and folders of state files into the warehouse, one transaction per file. Every file
 * that can be loaded is; the others are refused with all their errors. Files already loaded with
 * the same content are left alone; a file of the same name with new content replaces its rows.
 */
export async function ingestPaths(
  warehouse: Warehouse,
  paths: string[],
  options: IngestOptions,
): Promise<IngestReport> {
  // DuckDB spills to its temporary directory (beside a warehouse file) rather than hold a
  // statewide student file's rows in memory.
  return warehouse.withSettings({ memory_limit: INGEST_MEMORY_LIMIT }, () =>
    ingestWithin(warehouse, paths, options),
  );
}

/** DuckDB's memory while loading files: a statewide student file loads in 1 GB with it. */
export const INGEST_MEMORY_LIMIT = "512MB";

async function ingestWithin(
  warehouse: Warehouse,
  paths: string[],
  options: IngestOptions,
): Promise<IngestReport> {
  const { log } = options;
  const report: IngestReport = {
    loaded: [],
    unchanged: [],
    refused: [],
    skipped: [],
    ignored: [],
    warnings: [],
  };
  const done = log.time();

  const known = new Map(
    (await warehouse.all<{ file: string; sha256: string }>("SELECT file, sha256 FROM sources")).map(
      (row) => [row.file, row.sha256],
    ),
  );

  // Detect every file's format first, so that files naming organisations load before the
  // workbooks that refer to them by name.
  const queue: { outcome: Outcome; input: InputFile; format: FileFormat; sha256: string }[] = [];
  const seen = new Set<string>();
  for (const { skip, ignore, ...outcome } of listFiles(paths)) {
    // A file named twice (or named and inside a named folder) is read once.
    if (seen.has(outcome.path)) continue;
    seen.add(outcome.path);
    if (skip) {
      report.skipped.push({ ...outcome, reason: skip });
      continue;
    }
    if (ignore) {
      report.ignored.push({ ...outcome, reason: ignore });
      continue;
    }
    const input = openInput(outcome.path, outcome.file);
    const sha256 = sha256OfFile(outcome.path);
    const format = await detectFormat(input);
    // Read again when the file is parsed: the queue need not hold every file's bytes.
    input.release();
    if (!("parse" in format)) {
      const { reason, listFormats } = format;
      if (outcome.explicit) {
        const known = listFormats ? `. The known formats are:\n${describeFormats()}` : "";
        report.refused.push({ ...outcome, errors: [`${outcome.file}: ${reason}${known}`] });
      } else {
        report.skipped.push({ ...outcome, reason });
      }
      continue;
    }
    if (known.get(outcome.file) === sha256) {
      report.unchanged.push(outcome);
      continue;
    }
    queue.push({ outcome, input, format, sha256 });
  }
  queue.sort((a, b) => a.format.order - b.format.order);
  // The tests whose item results from student rows this run can change: those of the files it
  // replaces, as loaded before, and those of the files it loads (below).
  const touched = await testsOfFiles(
    warehouse,
    queue.filter(({ outcome }) => known.has(outcome.file)).map(({ outcome }) => outcome.file),
  );

  const crosswalk = options.crosswalk ?? {};
  for (const [index, { outcome, input, format, sha256 }] of queue.entries()) {
    const fileDone = log.time();
    options.progress?.({ file: outcome.file, index, total: queue.length, done: false });
    try {
      const orgs = await OrgDirectory.load(warehouse);
      const parsed = await format.parse(input, {
        orgs,
        log,
        warehouse,
        crosswalk,
        org: options.org,
        year: options.year,
      });
      applyCrosswalk(parsed.rows, crosswalk);
      const counts = await commitFile(
        warehouse,
        {
          file: outcome.file,
          path: outcome.path,
          sha256,
          format: format.id,
          years: parsed.years,
          yearOrigin: parsed.yearOrigin,
          warnings: parsed.warnings,
        },
        parsed,
      );
      const rows = Object.values(counts).reduce((sum, n) => sum + n, 0);
      report.loaded.push({
        ...outcome,
        format: format.id,
        rows,
        tables: counts,
        years: parsed.years,
        warnings: parsed.warnings,
      });
      report.warnings.push(...parsed.warnings);
      const replaced = known.has(outcome.file) ? ", replacing its earlier version" : "";
      fileDone(
        `loaded ${outcome.file} (${format.id}: ${parsed.records} records read, ` +
          `${rows} warehouse rows written${replaced})`,
      );
    } catch (error) {
      report.refused.push({ ...outcome, errors: messagesOf(error, outcome.file) });
      fileDone(`refused ${outcome.file}`);
    }
    options.progress?.({ file: outcome.file, index, total: queue.length, done: true });
  }
  // Item results computed from student rows use the item maps loaded so far, in any run.
  if (report.loaded.length > 0) {
    touched.push(
      ...(await testsOfFiles(
        warehouse,
        report.loaded.map((file) => file.file),
      )),
    );
    const tests = distinctTests(touched);
    report.warnings.push(...(await deriveStudentItemResults(warehouse, log, tests)).warnings);
    const studentFiles = report.loaded.filter((file) => file.tables.private_students > 0);
    await deriveScoreSpread(
      warehouse,
      log,
      studentFiles.map((file) => file.file),
    );
  }
  done(
    `ingest: ${report.loaded.length} loaded, ${report.unchanged.length} unchanged, ` +
      `${report.refused.length} refused, ${report.skipped.length} skipped`,
  );
  return report;
}

function distinctTests(tests: readonly TestOfYear[]): TestOfYear[] {
  const byKey = new Map(tests.map((test) => [`${test.year} ${test.test}`, test]));
  return [...byKey.values()];
}

/** Puts the rows of closed or merged schools under the codes the crosswalk gives them. */
function applyCrosswalk(rows: TableRows, crosswalk: Readonly<Record<string, string>>): void {
  if (Object.keys(crosswalk).length === 0) return;
  for (const table of DATA_TABLES) {
    for (const row of rows[table] as { org_code: string }[]) {
      row.org_code = crosswalk[row.org_code] ?? row.org_code;
    }
  }
}

/** The table that ends a run: per loaded file, its format, rows per table and warnings. */
export function formatTable(report: IngestReport): string {
  if (report.loaded.length === 0) return "";
  const short: Record<DataTable, string> = {
    achievement: "achievement",
    achievement_levels: "levels",
    item_results: "items",
    private_students: "students",
    private_student_forms: "forms",
  };
  const header = ["file", "format", ...DATA_TABLES.map((t) => short[t]), "warnings"];
  const body = report.loaded.map((file) => [
    file.file,
    file.format,
    ...DATA_TABLES.map((table) => String(file.tables[table])),
    String(file.warnings.length),
  ]);
  // Only the columns some file wrote to: a run of profile files has no student columns.
  const keep = header.map(
    (_, column) =>
      column < 2 || column === header.length - 1 || body.some((r) => r[column] !== "0"),
  );
  const rows = [header, ...body].map((row) => row.filter((_, column) => keep[column]));
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
        )
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

/** The run's summary for the terminal: what was refused and why, skipped files and warnings. */
export function formatSummary(report: IngestReport): string {
  const lines: string[] = [];
  if (report.unchanged.length > 0) {
    lines.push(
      `unchanged (already loaded with the same content): ${report.unchanged.length} file(s)`,
    );
  }
  if (report.skipped.length > 0) {
    lines.push(`skipped ${report.skipped.length} file(s) that pim cannot read:`);
    for (const skipped of report.skipped) lines.push(`  - ${skipped.file}: ${skipped.reason}`);
  }
  if (report.ignored.length > 0) {
    const names = report.ignored.map((ignored) => ignored.file).join(", ");
    lines.push(`ignored the folder's documentation and hidden files: ${names}`);
  }
  if (report.warnings.length > 0) {
    lines.push(`warnings (${report.warnings.length}):`);
    for (const warning of report.warnings) lines.push(`  - ${warning}`);
  }
  if (report.refused.length > 0) {
    lines.push(`refused ${report.refused.length} file(s); the warehouse holds none of their rows:`);
    for (const refused of report.refused) {
      for (const error of refused.errors) lines.push(`  - ${error}`);
    }
  }
  return lines.join("\n");
}
