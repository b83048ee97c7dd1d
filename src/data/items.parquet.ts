// Step 2: every item of every organisation's tests, next to the state.
import { itemsQuery } from "../../loaders/analysis/items.ts";
import { publishParquet } from "../../loaders/publish.ts";

await publishParquet("items", itemsQuery);
