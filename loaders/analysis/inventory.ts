import type { Warehouse } from "../warehouse/db.ts";
import { pagedItemsSql } from "./items.ts";

/** One loaded file as the home page lists it: names only, never the paths of the coach's disk. */
export interface SourceSummary {
  file: string;
  format: string;
  years: number[];
  rows: number;
  year_origin: string;
  warnings: string[];
}

export interface Inventory {
  sources: SourceSummary[];
  years: number[];
  subjects: string[];
  schools: number;
  schoolsWithItems: number;
  /** The school with the most item results: the home page's links open on it. */
  exampleSchool: string | null;
}

/** What the warehouse holds, for the home page. */
export async function readInventory(warehouse: Warehouse): Promise<Inventory> {
  const sources = await warehouse.all<SourceSummary>(
    `SELECT file, format, years, rows, year_origin, warnings FROM sources ORDER BY file`,
  );
  const totals = await warehouse.one<{ schools: number; schools_with_items: number }>(
    `SELECT (SELECT count(DISTINCT org_code) FROM achievement WHERE org_type = 'school')::INTEGER
              AS schools,
            (SELECT count(DISTINCT page_org_code) FROM (${pagedItemsSql()}))::INTEGER
              AS schools_with_items`,
  );
  const example = await warehouse.one<{ org_code: string }>(
    `SELECT page_org_code AS org_code FROM (${pagedItemsSql()})
     GROUP BY ALL ORDER BY count(*) DESC, org_code LIMIT 1`,
  );
  const years = await warehouse.all<{ year: number }>(
    `SELECT DISTINCT year FROM (SELECT year FROM achievement UNION SELECT year FROM item_results)
     ORDER BY year`,
  );
  const subjects = await warehouse.all<{ subject: string }>(
    `SELECT DISTINCT subject FROM (SELECT subject FROM achievement
                                   UNION SELECT subject FROM item_results) ORDER BY subject`,
  );
  return {
    sources: sources.map((source) => ({
      ...source,
      years: [...source.years],
      warnings: [...source.warnings],
    })),
    years: years.map((row) => row.year),
    subjects: subjects.map((row) => row.subject),
    schools: totals?.schools ?? 0,
    schoolsWithItems: totals?.schools_with_items ?? 0,
    exampleSchool: example?.org_code ?? null,
  };
}
