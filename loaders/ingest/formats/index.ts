import { itemAnalysisWorkbook } from "./item-workbook.ts";
import { profileExport } from "./profile-export.ts";
import type { FileFormat } from "./types.ts";

/** Every state file format pim reads, in load order. */
export const FORMATS: readonly FileFormat[] = [profileExport, itemAnalysisWorkbook].sort(
  (a, b) => a.order - b.order,
);

export function describeFormats(): string {
  return FORMATS.map((format) => `  - ${format.id}: ${format.description}`).join("\n");
}
