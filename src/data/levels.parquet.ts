// Step 1: each group's share at each performance level.
import { levelsQuery } from "../../loaders/analysis/achievement.ts";
import { publishParquet } from "../../loaders/publish.ts";

await publishParquet("levels", levelsQuery);
