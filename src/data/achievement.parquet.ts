// Step 1: each group's achievement and gaps, per organisation, subject, grade and year.
import { achievementQuery } from "../../loaders/analysis/achievement.ts";
import { publishParquet } from "../../loaders/publish.ts";

await publishParquet("achievement", achievementQuery);
