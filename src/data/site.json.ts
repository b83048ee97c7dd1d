// The home page's inventory: the files behind the site, what they hold, and the settings used.
import { readFileSync } from "node:fs";
import { summarizeChecks } from "../../loaders/analysis/checks.ts";
import { readInventory } from "../../loaders/analysis/inventory.ts";
import { STUDENT_GROUPS } from "../../loaders/ingest/groups.ts";
import { warehousePath } from "../../loaders/publish.ts";
import { loadSettings } from "../../loaders/settings.ts";
import { suppressionReason } from "../../loaders/suppression.ts";
import { Warehouse } from "../../loaders/warehouse/db.ts";

const warehouse = await Warehouse.open(warehousePath(), { readOnly: true });
try {
  const inventory = await readInventory(warehouse);
  const settings = loadSettings();

  // Files of the input folder that were not loaded, as `pim build` recorded them.
  const reportFile = process.env.PIM_BUILD_REPORT;
  const build = reportFile ? JSON.parse(readFileSync(reportFile, "utf8")) : { skipped: [] };

  process.stdout.write(
    JSON.stringify({
      ...inventory,
      skipped: build.skipped ?? [],
      ignored: build.ignored ?? [],
      runWarnings: build.runWarnings ?? [],
      input: build.input ?? null,
      settings,
      suppression: suppressionReason(settings),
      checks: await summarizeChecks(warehouse),
      // Every group's label, also for groups that only a student-level file gives.
      groupLabels: Object.fromEntries(STUDENT_GROUPS.map((d) => [d.code, d.label])),
    }),
  );
} finally {
  warehouse.close();
}
