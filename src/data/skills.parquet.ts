// Step 3: each school's standards ranked from the weakest, with the evidence for each.
import { skillsQuery } from "../../loaders/analysis/skills.ts";
import { publishParquet } from "../../loaders/publish.ts";

await publishParquet("skills", skillsQuery);
