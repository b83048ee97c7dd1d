import { civicsItemCsv } from "./civics-items.ts";
import { edwinIt301 } from "./edwin-it301.ts";
import { itemAnalysisTemplate } from "./item-template.ts";
import { itemAnalysisWorkbook } from "./item-workbook.ts";
import { legacyMcasWorkbook } from "./legacy-workbook.ts";
import { profileExport } from "./profile-export.ts";
import { publicSchools2017 } from "./public-schools-2017.ts";
import { statewideItemReport } from "./statewide-items.ts";
import { studentItemScores } from "./student-scores.ts";
import type { FileFormat } from "./types.ts";

/** Every state file format pim reads, in load order. */
export const FORMATS: readonly FileFormat[] = [
  profileExport,
  legacyMcasWorkbook,
  publicSchools2017,
  itemAnalysisWorkbook,
  statewideItemReport,
  edwinIt301,
  itemAnalysisTemplate,
  civicsItemCsv,
  studentItemScores,
].sort((a, b) => a.order - b.order);

export function describeFormats(): string {
  return FORMATS.map((format) => `  - ${format.id}: ${format.description}`).join("\n");
}
