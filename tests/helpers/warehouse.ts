import { ingestPaths } from "../../loaders/ingest/ingest.ts";
import type { IngestOptions, IngestReport } from "../../loaders/ingest/ingest.ts";
import { createMemoryLog } from "../../loaders/log.ts";
import { Warehouse } from "../../loaders/warehouse/db.ts";

/** An in-memory warehouse with `paths` ingested, and the run's report and log lines. */
export async function loadedWarehouse(
  paths: string[],
  options: Partial<IngestOptions> = {},
  file = ":memory:",
): Promise<{ warehouse: Warehouse; report: IngestReport; lines: string[] }> {
  const warehouse = await Warehouse.open(file);
  const log = createMemoryLog();
  const report = await ingestPaths(warehouse, paths, { log, ...options });
  return { warehouse, report, lines: log.lines };
}
