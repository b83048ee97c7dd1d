// Home page: the published figures that disagree with their own counts or with each other.
import { listedChecksQuery } from "../../loaders/analysis/checks.ts";
import { publishParquet } from "../../loaders/publish.ts";

await publishParquet("checks", listedChecksQuery);
