import type { CellValue } from "exceljs";

/**
 * Plain values out of exceljs cells. Workbooks from Edwin wrap items and standards in hyperlinks,
 * some cells are rich text and some are formulas; the analysis only wants the text or the number.
 */
export function cellText(value: CellValue | undefined): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof Date) return value.toISOString();
  if ("richText" in value) return value.richText.map((part) => part.text).join("");
  // Hyperlink cells hold their shown value in `text`, which can be a number or rich text.
  if ("text" in value) return cellText(value.text as CellValue);
  if ("result" in value) return cellText(value.result as CellValue);
  if ("error" in value) return String(value.error);
  return "";
}

/** The hyperlink of a cell, if it has one. */
export function cellLink(value: CellValue | undefined): string | undefined {
  if (value && typeof value === "object" && "hyperlink" in value) return value.hyperlink;
  return undefined;
}

/** A number from a cell: numeric cells as they are, text cells parsed; undefined if not a number. */
export function cellNumber(value: CellValue | undefined): number | null | undefined {
  if (value && typeof value === "object" && "result" in value) {
    return cellNumber(value.result as CellValue);
  }
  if (typeof value === "number") return value;
  const text = cellText(value).trim();
  if (text === "") return null;
  const cleaned = text.replace(/,(?=\d{3}(\D|$))/g, "");
  return /^-?(\d+(\.\d*)?|\.\d+)$/.test(cleaned) ? Number(cleaned) : undefined;
}
