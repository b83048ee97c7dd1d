// Step 2: points-weighted results by reporting category and by standard.
import { rollupQuery } from "../../loaders/analysis/rollup.ts";
import { publishParquet } from "../../loaders/publish.ts";

await publishParquet("rollups", rollupQuery);
