import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Warehouse } from "../loaders/warehouse/db.ts";
import { SCHEMA_VERSION } from "../loaders/warehouse/schema.ts";

const dir = mkdtempSync(join(tmpdir(), "pim-warehouse-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function columns(warehouse: Warehouse, table: string): Promise<string[]> {
  const rows = await warehouse.all<{ column_name: string }>(
    `SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index`,
    [table],
  );
  return rows.map((row) => row.column_name);
}

describe("Warehouse.open", () => {
  it("brings a warehouse of version 1 up to date, keeping its rows", async () => {
    const file = join(dir, "old.duckdb");
    // Make a version 1 warehouse: today's tables without the columns version 2 added.
    const old = await Warehouse.open(file);
    await old.run("ALTER TABLE achievement DROP COLUMN cpi");
    await old.run("ALTER TABLE achievement DROP COLUMN withheld");
    await old.run("ALTER TABLE achievement_levels DROP COLUMN withheld");
    await old.run("ALTER TABLE item_results DROP COLUMN withheld");
    await old.run(
      `INSERT INTO achievement (year, org_code, org_name, org_type, grade, subject, student_group,
                                n_students, source_file)
       VALUES (2022, '04830305', 'Rising Tide', 'school', '03-08', 'ELA', 'all', 359, 'x.csv')`,
    );
    await old.run("UPDATE warehouse_meta SET schema_version = 1");
    old.close();

    const upgraded = await Warehouse.open(file);
    try {
      expect(await columns(upgraded, "achievement")).toContain("cpi");
      expect(await columns(upgraded, "item_results")).toContain("withheld");
      expect(await upgraded.one("SELECT n_students, cpi, withheld FROM achievement")).toEqual({
        n_students: 359,
        cpi: null,
        withheld: [],
      });
      expect(await upgraded.one("SELECT schema_version FROM warehouse_meta")).toEqual({
        schema_version: SCHEMA_VERSION,
      });
    } finally {
      upgraded.close();
    }
  });

  it("refuses a warehouse made by a newer pim", async () => {
    const file = join(dir, "new.duckdb");
    const newer = await Warehouse.open(file);
    await newer.run("UPDATE warehouse_meta SET schema_version = ?", [SCHEMA_VERSION + 1]);
    newer.close();
    await expect(Warehouse.open(file)).rejects.toThrow(/made by a newer pim/);
  });
});
