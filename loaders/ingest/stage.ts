import { LIST, UTINYINT, VARCHAR } from "@duckdb/node-api";
import type { DuckDBAppender } from "@duckdb/node-api";
import type { Warehouse } from "../warehouse/db.ts";
import { quoteIdentifier } from "../warehouse/db.ts";
import type { DataTable } from "../warehouse/schema.ts";
import { DATA_TABLES } from "../warehouse/schema.ts";
import { InputError, InputErrors } from "./errors.ts";
import type { ParsedFile } from "./formats/types.ts";

export interface SourceRecord {
  file: string;
  path: string;
  sha256: string;
  format: string;
  years: number[];
  yearOrigin: string;
  warnings: string[];
}

/** The columns that identify a row: two files may not both hold the same one. */
const KEYS: Record<DataTable, string[] | null> = {
  achievement: ["year", "org_code", "grade", "subject", "student_group"],
  achievement_levels: ["year", "org_code", "grade", "subject", "student_group", "level"],
  // Files may repeat each other's items (see ITEM_FORMAT_PRECEDENCE): kept, and resolved in a view.
  item_results: null,
  // A student row's key names its file and row, so rows of two files never clash.
  private_students: null,
  private_student_forms: null,
};

type Appendable = string | number | boolean | null | string[] | (number | null)[];

function appendValue(appender: DuckDBAppender, type: string, value: Appendable): void {
  if (value === null || value === undefined) return appender.appendNull();
  switch (type) {
    case "VARCHAR":
      return appender.appendVarchar(String(value));
    case "INTEGER":
      return appender.appendInteger(value as number);
    case "DOUBLE":
      return appender.appendDouble(value as number);
    case "BOOLEAN":
      return appender.appendBoolean(value as boolean);
    case "VARCHAR[]":
      // Typed explicitly: DuckDB cannot infer the type of an empty list.
      return appender.appendList(value as string[], LIST(VARCHAR));
    case "UTINYINT[]":
      return appender.appendList(value as (number | null)[], LIST(UTINYINT));
    default:
      throw new Error(`stage: no appender for column type ${type}`);
  }
}

/**
 * Writes a file's rows to temporary staging tables, or, for tables the format gives as a query,
 * defines a temporary view of that query. Staging is outside the warehouse file, so a file
 * refused at this point (or at the key check) leaves the warehouse untouched.
 */
async function stage(warehouse: Warehouse, parsed: ParsedFile): Promise<void> {
  const { rows } = parsed;
  for (const table of DATA_TABLES) {
    const staged = `stage_${table}`;
    const query = parsed.queries?.[table];
    if (query !== undefined) {
      await warehouse.run(`CREATE OR REPLACE TEMP VIEW ${staged} AS ${query}`);
      continue;
    }
    await warehouse.run(`CREATE OR REPLACE TEMP TABLE ${staged} AS SELECT * FROM ${table} LIMIT 0`);
    const columns = await warehouse.all<{ column_name: string; data_type: string }>(
      `SELECT column_name, data_type FROM duckdb_columns()
       WHERE database_name = 'temp' AND table_name = ? ORDER BY column_index`,
      [staged],
    );
    const appender = await warehouse.connection.createAppender(staged, "main", "temp");
    try {
      for (const row of rows[table] as unknown as Record<string, Appendable>[]) {
        for (const { column_name, data_type } of columns) {
          appendValue(appender, data_type, row[column_name] ?? null);
        }
        appender.endRow();
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }
}

async function dropStage(warehouse: Warehouse): Promise<void> {
  const views = new Set(
    (
      await warehouse.all<{ name: string }>(
        "SELECT view_name AS name FROM duckdb_views() WHERE database_name = 'temp'",
      )
    ).map((view) => view.name),
  );
  for (const table of DATA_TABLES) {
    const staged = `stage_${table}`;
    await warehouse.run(`DROP ${views.has(staged) ? "VIEW" : "TABLE"} IF EXISTS temp.${staged}`);
  }
}

/** Refuses rows that another file already loaded: the warehouse keeps one value per key. */
async function checkKeys(warehouse: Warehouse, file: string): Promise<void> {
  const errors: InputError[] = [];
  for (const table of DATA_TABLES) {
    const keyColumns = KEYS[table];
    if (!keyColumns) continue;
    const keys = keyColumns.map(quoteIdentifier);
    const clashes = await warehouse.all<Record<string, unknown>>(
      `SELECT ${keys.map((k) => `s.${k}`).join(", ")}, t.source_file AS other_file
       FROM temp.stage_${table} s
       JOIN ${table} t USING (${keys.join(", ")})
       WHERE t.source_file <> ?
       LIMIT 5`,
      [file],
    );
    for (const clash of clashes) {
      const key = keyColumns.map((k) => `${k} ${String(clash[k])}`).join(", ");
      errors.push(
        new InputError(
          file,
          `holds ${table} rows already loaded from ${String(clash.other_file)} (${key}); ` +
            "remove one of the two files, or load them into separate warehouses",
        ),
      );
    }
    if (errors.length > 0) break;
  }
  if (errors.length > 0) throw new InputErrors(file, errors);
}

/**
 * Loads one file's rows in one transaction: the rows of an earlier file of the same name are
 * replaced, and the file is recorded in `sources`. Either all of it lands or none of it.
 */
export async function commitFile(
  warehouse: Warehouse,
  source: SourceRecord,
  parsed: ParsedFile,
): Promise<Record<DataTable, number>> {
  try {
    await stage(warehouse, parsed);
    await checkKeys(warehouse, source.file);
    const counts = {} as Record<DataTable, number>;
    for (const table of DATA_TABLES) {
      const staged = await warehouse.one<{ n: number }>(
        `SELECT count(*)::INTEGER AS n FROM temp.stage_${table}`,
      );
      counts[table] = staged?.n ?? 0;
    }
    const total = DATA_TABLES.reduce((sum, table) => sum + counts[table], 0);
    await warehouse.transaction(async () => {
      for (const table of DATA_TABLES) {
        await warehouse.run(`DELETE FROM ${table} WHERE source_file = ?`, [source.file]);
        const insert = () =>
          warehouse.run(`INSERT INTO ${table} BY NAME SELECT * FROM temp.stage_${table}`);
        // Rows given as a query are many, and carry their file row: their order need not be kept.
        if (parsed.queries?.[table] === undefined) await insert();
        else await warehouse.withSettings({ preserve_insertion_order: false }, insert);
      }
      await warehouse.run("DELETE FROM sources WHERE file = ?", [source.file]);
      await warehouse.run(
        `INSERT INTO sources VALUES (?, ?, ?, ?, ?, from_json(?, '["INTEGER"]'), ?,
           from_json(?, '["VARCHAR"]'), current_timestamp)`,
        [
          source.file,
          source.path,
          source.sha256,
          source.format,
          total,
          JSON.stringify(source.years),
          source.yearOrigin,
          JSON.stringify(source.warnings),
        ],
      );
    });
    return counts;
  } finally {
    await dropStage(warehouse);
    await parsed.cleanUp?.();
  }
}
