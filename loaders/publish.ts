import { createReadStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createLog, type Log } from "./log.ts";
import { loadSettings, type Settings } from "./settings.ts";
import { Warehouse } from "./warehouse/db.ts";

/**
 * What Framework's data loaders share: open the build's warehouse read-only, run one analysis
 * query, and write its result once to stdout. Framework runs each loader as its own process and
 * keeps stdout as the file; diagnostics go to stderr.
 */

export function warehousePath(): string {
  const file = process.env.PIM_DB;
  if (!file) {
    throw new Error(
      "PIM_DB is not set: the site's data loaders read the warehouse that `pim build` makes. " +
        "Build with `npm run build` or `npx pim build --input <folder>`.",
    );
  }
  return file;
}

/** Writes the result of `query(settings)` as a Parquet file to `out` (stdout by default). */
export async function publishParquet(
  name: string,
  query: (settings: Settings) => string,
  out: NodeJS.WritableStream = process.stdout,
  log: Log = createLog(),
): Promise<void> {
  const done = log.time();
  const settings = loadSettings();
  const warehouse = await Warehouse.open(warehousePath(), { readOnly: true });
  const dir = await mkdtemp(join(tmpdir(), "pim-publish-"));
  try {
    const file = join(dir, `${name}.parquet`);
    const sql = query(settings);
    const counted = await warehouse.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM (${sql})`,
    );
    await warehouse.run(`COPY (${sql}) TO '${file.replaceAll("'", "''")}' (FORMAT parquet)`);
    await pipeline(createReadStream(file), out, { end: false });
    done(`${name}: ${counted?.n ?? 0} rows, ${(await stat(file)).size} bytes of Parquet`);
  } finally {
    warehouse.close();
    await rm(dir, { recursive: true, force: true });
  }
}
