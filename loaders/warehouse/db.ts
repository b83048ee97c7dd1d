import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection, DuckDBValue } from "@duckdb/node-api";
import {
  META_TABLE,
  MIGRATIONS,
  ORGANIZATIONS_VIEW,
  PRIVATE_STUDENT_ITEMS_VIEW,
  SCHEMA_VERSION,
  TABLES,
  itemResultsResolvedView,
} from "./schema.ts";

export type Params = DuckDBValue[] | Record<string, DuckDBValue>;
export type Row = Record<string, unknown>;

/**
 * A DuckDB database file with the warehouse tables. Queries return plain JavaScript rows; cast
 * counts to INTEGER or DOUBLE in SQL, because DuckDB's BIGINT arrives as a BigInt.
 */
export class Warehouse {
  private constructor(
    readonly file: string,
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  /** Opens (creating if needed) a warehouse; read-only opens an existing one for publishing. */
  static async open(file: string, { readOnly = false } = {}): Promise<Warehouse> {
    if (readOnly) {
      const instance = await DuckDBInstance.create(file, { access_mode: "READ_ONLY" });
      return new Warehouse(file, instance, await instance.connect());
    }
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    const instance = await DuckDBInstance.create(file);
    const warehouse = new Warehouse(file, instance, await instance.connect());
    try {
      await warehouse.migrate();
    } catch (error) {
      warehouse.close();
      throw error;
    }
    return warehouse;
  }

  /**
   * Creates the tables of a new warehouse and redefines the views of an older one. A warehouse
   * that is up to date is not written to at all: opening it must not change its bytes.
   */
  private async migrate(): Promise<void> {
    for (const ddl of [META_TABLE, ...Object.values(TABLES)]) await this.run(ddl);
    const meta = await this.one<{ version: number }>(
      "SELECT max(schema_version) AS version FROM warehouse_meta",
    );
    if (meta?.version === SCHEMA_VERSION) return;
    if (meta?.version !== null && meta?.version !== undefined && meta.version > SCHEMA_VERSION) {
      throw new Error(
        `${this.file} was made by a newer pim (warehouse version ${meta.version}, this pim reads ` +
          `up to ${SCHEMA_VERSION}): update pim, or load the files into a new warehouse.`,
      );
    }
    await this.transaction(async () => {
      for (let version = (meta?.version ?? 0) + 1; version <= SCHEMA_VERSION; version++) {
        for (const sql of MIGRATIONS[version] ?? []) await this.run(sql);
      }
      await this.run(ORGANIZATIONS_VIEW);
      await this.run(itemResultsResolvedView());
      await this.run(PRIVATE_STUDENT_ITEMS_VIEW);
      await this.run("DELETE FROM warehouse_meta");
      await this.run("INSERT INTO warehouse_meta VALUES (?)", [SCHEMA_VERSION]);
    });
  }

  async run(sql: string, params?: Params): Promise<void> {
    await this.connection.run(sql, params);
  }

  async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as T[];
  }

  async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** Runs `work` in one transaction: all of it is committed, or none of it. */
  async transaction<T>(work: () => Promise<T>): Promise<T> {
    await this.run("BEGIN TRANSACTION");
    try {
      const result = await work();
      await this.run("COMMIT");
      return result;
    } catch (error) {
      await this.run("ROLLBACK");
      throw error;
    }
  }

  /**
   * Runs `work` with DuckDB settings changed (SET name = value), then puts back the values they
   * had. Settings are the database's, not the transaction's.
   */
  async withSettings<T>(
    settings: Readonly<Record<string, string | boolean>>,
    work: () => Promise<T>,
  ): Promise<T> {
    const names = Object.keys(settings);
    const before = await this.all<{ name: string; value: string }>(
      `SELECT name, value FROM duckdb_settings()
       WHERE list_contains(from_json(?, '["VARCHAR"]'), name)`,
      [JSON.stringify(names)],
    );
    const set = (name: string, value: string | boolean) =>
      this.run(
        `SET ${name} = ${typeof value === "boolean" ? value : `'${value.replaceAll("'", "''")}'`}`,
      );
    for (const [name, value] of Object.entries(settings)) await set(name, value);
    try {
      return await work();
    } finally {
      for (const { name, value } of before) await set(name, value);
    }
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** Quotes an SQL identifier (a table or column name). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
